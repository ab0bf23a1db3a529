# Shared by the table generators (arity.rb, responds.rb): Rust list entries packed as many to
# a line as fit in 100 columns, each line starting with `indent` spaces.
def puts_packed(items, indent)
  line = ' ' * (indent - 1)
  items.each do |item|
    if line.size + 1 + item.size > 100
      puts line
      line = ' ' * (indent - 1)
    end
    line << ' ' << item
  end
  puts line
end
