# Fills in the expected values of the core-class tests from real Ruby, so that no expectation
# is written by hand: every `check(r##"EXPR"##, r##"…"##)` gets what `<%= EXPR %>` renders in
# Ruby, every `check_err(r##"EXPR"##, r##"…"##)` gets `Class: message` of what it raises.
#
#   ruby crates/rubyerb/tests/core/expect.rb PATH/erb-oracle.rb crates/rubyerb/tests/core/*.rs
#
# bale renders as the current director (Ruby 3.4, json >= 2.15). On an older Ruby the
# reference renderer's compatibility layers are loaded (its first argument) for Hash#inspect,
# JSON and (ruby34_compat.rb) Psych and OpenSSL messages, and error messages are reworded
# as Ruby 3.4 words them (straight quotes, `for an instance of C`, `for nil`).
# A case whose output differs between runs of Ruby is a mistake in the test: it is reported.
require 'json'
require 'yaml'
require 'set'
require 'ostruct'
require 'base64'
require 'digest'
require 'shellwords'
require 'erb'
require 'time'
require 'zlib'
require 'stringio'

oracle = ARGV.shift
if RUBY_VERSION < '3.4'
  require oracle
  require_relative '../../../../benches/templates/ruby34_compat'
  ErbOracle::HashInspect.install(:ruby34)
  ErbOracle::JsonCompat.install
end
ENV['TZ'] = 'UTC'
$VERBOSE = nil

def ruby34_message(e)
  m = e.message.dup
  return m if RUBY_VERSION >= '3.4'

  # did_you_mean's hint left `message` in Ruby 3.2 (it is in detailed_message)
  m.sub!(/\nDid you mean\?.*\z/m, '')
  # so did error_highlight's snippet of the failing line and its carets
  m.sub!(/\n\n    .*\n *\^+\z/, '')
  # the json gem dropped its numeric prefixes (`1003: `) in 2.7
  m.sub!(/\A\d+: /, '') if e.class.name.start_with?('JSON::')

  m.gsub!(/`([^']*)'/) { "'#{$1}'" }
  # Ruby 3.4 names ASCII-8BIT by its alias first in encoding errors
  m.gsub!(/\bASCII-8BIT\b/, 'BINARY (ASCII-8BIT)') if m.start_with?('incompatible character encodings', 'incompatible encoding regexp match')
  m.sub!(/ for nil:NilClass\z/, ' for nil')
  m.sub!(/ for (true|false):(TrueClass|FalseClass)\z/, ' for \1')
  m.sub!(/ for main:Object\z/, ' for main')
  m.sub!(/ for ([A-Z]\w*(?:::\w+)*):Class\z/) { " for class #{$1}" }
  m.sub!(/ for ([A-Z]\w*(?:::\w+)*):Module\z/) { " for module #{$1}" }
  m.sub!(/ for (?:.*):([A-Z]\w*(?:::\w+)*)\z/m) { " for an instance of #{$1}" } unless m =~ / for (class|module) [A-Z][\w:]*\z/
  m
end

def evaluate(expr)
  b = Object.new.instance_eval { binding }
  begin
    # what ERB makes of `<%= EXPR %>`
    [:ok, eval("_erbout = +''; _erbout.<<(( #{expr} ).to_s); _erbout", b)]
  rescue Exception => e # rubocop:disable Lint/RescueException
    [:err, "#{e.class}: #{ruby34_message(e)}"]
  end
end

CASE = /(check(?:_err)?)\(\s*r##"(.*?)"##,\s*r##"(.*?)"##,?\s*\)/m.freeze
bad = 0
ARGV.reject { |p| File.basename(p) == 'main.rs' }.each do |path|
  text = File.read(path)
  out = text.gsub(CASE) do
    fn, expr, old = $1, $2, $3
    kind, got = evaluate(expr)
    again = evaluate(expr)
    if again != [kind, got]
      warn "#{path}: #{expr}: not deterministic"
      bad += 1
    end
    if (fn == 'check') != (kind == :ok)
      warn "#{path}: #{expr}: #{fn} but Ruby gives #{kind}: #{got}"
      bad += 1
      fn = kind == :ok ? 'check' : 'check_err'
    end
    if got.include?('"##')
      warn "#{path}: #{expr}: output holds \"## (use another expression)"
      bad += 1
    end
    warn "#{path}: #{expr}: #{old.inspect} -> #{got.inspect}" if old != got && !old.empty?
    %(#{fn}(r##"#{expr}"##, r##"#{got}"##))
  end
  File.write(path, out) if out != text
end
exit(bad.zero? ? 0 : 1)
