# ruby.wasm is a 32-bit Ruby; the director's is 64-bit. Where that shows in a template's
# output, answer as a 64-bit Ruby does: Integer#size is 8 for a machine-word integer (a
# bignum's size, its bytes, is the same on both).
class Integer
  alias_method :wasm32_size, :size

  def size
    self >= -(2**62) && self < 2**62 ? 8 : wasm32_size
  end
end
