# What the director's Ruby (3.4 and later, with the libraries it bundles or pins) prints
# differently from an older Ruby (3.1 on this machine), for the reference renderer to print
# it the director's way. Loaded by oracle_setup.rb, testdata/templates/gen_cases.py and the
# core tests' expect.rb; each part applies only where the library is older. Checked against
# Ruby 3.4 itself (`ruby34/ruby.mjs`).
require 'psych'
require 'openssl'

# Psych 5 double-quotes `Y` and `N` as it does `y` and `n` (all four are YAML 1.1 booleans).
if Gem::Version.new(Psych::VERSION) < Gem::Version.new('5.1')
  module PsychQuotesCapitalYN
    def visit_String(o)
      node = super
      if (o == 'Y' || o == 'N') && node.is_a?(Psych::Nodes::Scalar) &&
         node.style == Psych::Nodes::Scalar::PLAIN
        node.style = Psych::Nodes::Scalar::DOUBLE_QUOTED
      end
      node
    end
  end
  Psych::Visitors::YAMLTree.prepend(PsychQuotesCapitalYN)
end

# Psych 5 refuses an alias that a loader was not told to follow with AliasesNotEnabled (a
# BadAlias) and a message naming the keyword that allows it; Psych 4 raised BadAlias with
# "Unknown alias".
unless defined?(Psych::AliasesNotEnabled)
  module Psych
    class AliasesNotEnabled < BadAlias
      def initialize
        super('Alias parsing was not enabled. To enable it, pass `aliases: true` to ' \
              '`Psych::load` or `Psych::safe_load`.')
      end
    end
  end
  module PsychAliasesNotEnabled
    def visit_Psych_Nodes_Alias(_node)
      raise Psych::AliasesNotEnabled
    end
  end
  Psych::Visitors::NoAliasRuby.prepend(PsychAliasesNotEnabled)
end

# The openssl gem 3.2 and later add OpenSSL's error data to a message: a certificate
# without a PEM start line says what it expected.
if Gem::Version.new(OpenSSL::VERSION) < Gem::Version.new('3.2')
  module CertificateErrorData
    def initialize(*args)
      super
    rescue OpenSSL::X509::CertificateError => e
      raise e unless e.message.end_with?('PEM_read_bio_X509: no start line')
      raise e.class, "#{e.message} (Expecting: CERTIFICATE)", e.backtrace
    end
  end
  OpenSSL::X509::Certificate.prepend(CertificateErrorData)
end

# Object#=~ (always nil) is gone since Ruby 3.2: `false =~ /x/`, or `!s =~ /x/` (which is
# `(!s) =~ /x/`), raises NoMethodError. NilClass keeps its own.
if RUBY_VERSION < '3.2' && Kernel.method_defined?(:=~)
  module Kernel
    undef_method :=~
  end
end

# Integer#floor and #ceil to negative digits: Ruby 3.1 answers 0 past the integer's own size
# (`1.ceil(-20)`, `-1.floor(-20)`) and rounds through a float on the way
# (`9e18.to_i.ceil(-18)` is 10**19); Ruby 3.4 is exact.
if RUBY_VERSION < '3.4'
  module IntegerFloorCeilExact
    def floor(ndigits = 0)
      return super unless ndigits.is_a?(Integer) && ndigits.negative?

      m = 10**-ndigits
      (self / m) * m
    end

    def ceil(ndigits = 0)
      return super unless ndigits.is_a?(Integer) && ndigits.negative?

      m = 10**-ndigits
      -((-self / m) * m)
    end
  end
  Integer.prepend(IntegerFloorCeilExact)
end

# Encoding#inspect: Ruby 3.4 names binary by its alias first, `#<Encoding:BINARY (ASCII-8BIT)>`.
if RUBY_VERSION < '3.4'
  module EncodingInspectBinary
    def inspect
      self == Encoding::ASCII_8BIT ? '#<Encoding:BINARY (ASCII-8BIT)>' : super
    end
  end
  Encoding.prepend(EncodingInspectBinary)
end
