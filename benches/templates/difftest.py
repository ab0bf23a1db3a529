#!/usr/bin/env python3
"""Differential testing of bale's template engine against the Ruby reference renderer.

Generates many small job templates from the constructs real templates use (the features table
in template-features.md: the evaluation API, ERB control flow, literals, method chains on
strings/arrays/hashes/numbers, blocks and enumerator chains, format, JSON/YAML output, def,
begin/rescue, case/when, ternaries in hash literals), renders each with bale and with the
reference renderer (erb-oracle.rb, all jobs in one Ruby process), and reports how many differ.

    python3 benches/templates/difftest.py --oracle PATH/erb-oracle.rb --bale target/debug/bale \
        [--count 3000] [--seed 1] [--keep DIR]

A template agrees when both render the same bytes, or both fail on the same template line
(Ruby's own error messages vary between Ruby versions; raise texts and the evaluation API's
messages are compared exactly). --keep DIR writes each differing job (job/ + context.json)
so it can be turned into a case in testdata/templates/gen_cases.py.
"""
import argparse, concurrent.futures, json, os, pathlib, random, re, shutil, subprocess, sys, tempfile

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent.parent / 'testdata' / 'templates'))
from gen_cases import BASE, DB_LINK, DNS  # noqa: E402  (the cases' instance context)

# ---- atoms ------------------------------------------------------------------------------
INT = ['0', '1', '7', '42', '-3', '-17', '100', '255', '1_000', '(2**10)', '(10**12)', '(-2)', '3', '12',
       "p('port')", "p('count')", 'index', 'spec.index', "p('port', 1)"]
FLOAT = ['1.5', '-0.25', '3.14159', '2.5', '1e3', '0.1', '100.0', '(1.0/3)', '-7.5', '12.345', '2.675',
         '1e20', '0.0001', '1.0e-5', "p('ratio')", '3.0', '-0.5', '1234.5678']
STR = ["'abc'", "'Hello World'", "'  padded  '", "'a,b,,c'", '"tab\\there"', "'k=v'", "'snake_case_name'",
       "'CamelCaseName'", "'\u00e9t\u00e9 \u00fc'", "''", "'10.0.0.1'", "'x-y-z'", '"multi\\nline\\n"', "'42'", "'3.7'",
       "'yes'", "'null'", "'1.0'", "'a: b'", "'- item'", "' lead'", "'true'", "'~'", "'#comment'", "'@at'",
       "'https://user:pw@host.example:8443/p/a?q=1&r=2'", "'0755'", "'1e3'", "'%s-%d'", "'Ab1_-.'",
       "p('name')", "p('host')", "spec.deployment", 'spec.address', 'spec.az', 'name', "spec.job.name",
       "\"#{p('host')}:#{p('port')}\"", "'*'", "'\\\\back'", '"quote\\"d"', "'line1\\nline2'", "\"line1\\nline2\""]
# `--binary`: strings of bytes past ASCII (ASCII-8BIT), as digests, decoded Base64, `pack`
# and `chr` make them, weighted so that most templates take one through a text method
BINARY = ["255.chr", "['00ff41'].pack('H*')", "Base64.decode64('/+8=')", "Digest::MD5.digest('a')",
          "'\u00e9t\u00e9'.b", "[104, 105, 200].pack('C*')"]
SYM = [':a', ':foo_bar', ':"odd-key"', ':B', ':a?']
ARR = ['[3, 1, 2]', '%w[b a c]', "[1, 'two', :three, nil, 4.5]", '[[1, 2], [3, 4]]', '[]', '[1, [2, [3]]]',
       "['x', nil, 'y']", '(1..5).to_a', "[{'n' => 'a', 'v' => 2}, {'n' => 'b', 'v' => 1}]", '[2, 2, 3, 3, 3]',
       "p('list')", "p('servers')", '[true, false, nil]', "['10.0.0.2', '10.0.0.1']", '[1.5, -2, 0.25]',
       "%w[web db web cache]", "p('list', [])", "link('db').instances.map(&:address)", "spec.networks.to_h.keys",
       "[[:a, 1], [:b, 2]]", "['b', 'a']"]
HASH = ["{'b' => 2, 'a' => 1}", "{a: 1, b: [1, 2]}", "{'x' => {'y' => {'z' => 1}}}", '{}', "{'k' => nil, 'n' => false}",
        "{1 => 'one', 2.5 => :two}", "p('opts')", "p('nested')", "{'list' => [1, {'a' => nil}], 'str' => 'v: x', 'f' => 1.0}",
        "{name: 'web', 'port' => 80, :tls => {enabled: true}}", "link('db').p('tls')", "spec.networks.private.to_h",
        "{'yes' => 'no', 'on' => 'off', '' => ''}"]
BOOL = ['true', 'false', 'nil', "p('flag')", 'spec.bootstrap', "p('opts').empty?"]

# ---- typed transforms: (result type, format with {x} for the receiver) --------------------
T = {'int': [], 'float': [], 'str': [], 'arr': [], 'hash': [], 'bool': [], 'any': [], 'sym': []}


def tr(src, dst, *forms):
    for f in forms:
        # a rescue modifier binds loosest: keep it inside the receiver it belongs to
        T[src].append((dst, '(%s)' % f if ' rescue ' in f else f))


tr('int', 'int', '{x}.abs', '{x}.succ', '{x}.pred', '({x} + {int})', '({x} - {int})', '({x} * {int})',
   '({x} / {int})', '({x} % {int})', '({x} ** 2)', '{x}.round', '{x}.round(-1)', '{x}.floor(-1)', '{x}.ceil(-2)',
   '{x}.gcd({int})', '{x}.lcm(6)', '{x}.bit_length', '{x}.digits.sum', '{x}.clamp(0, 10)', '-{x}.abs ** 2',
   '-2 ** 2', '{x}.pow(3, 7)', '{x}[0]', '({x} & 6)', '({x} | 1)', '({x} ^ 3)', '({x} << 2)', '({x} >> 1)',
   '{x}.divmod(3).first', "Integer({x}.to_s)", '{x}.round(1)', '{x}.truncate', '{x}.to_i', '{x}.ord',
   '[{x}, {int}].max', '({x} <=> {int})', '{x}.fdiv(4).round', '{x}.remainder(3)', '{x}.modulo(-3)',
   '{x}.div(2)', '-{x}', '+{x}', '~{x}', '{x}.size', '{x}.floor', '{x}.ceil')
tr('int', 'float', '{x}.to_f', '{x}.fdiv(3)', '({x} / 2.0)', '({x} * 1.5)', '({x} + 0.1)', '{x}.to_f.round(-1)',
   'Float({x})', '{x}.quo(2.0)')
tr('int', 'str', '{x}.to_s', '{x}.to_s(2)', '{x}.to_s(16)', '{x}.to_s(36)', "{x}.to_s.rjust(6, '0')",
   "format('%05d', {x})", "'%x' % {x}", "'%+d' % {x}", "'%08.3f' % {x}", "format('%-6d|', {x})", '{x}.inspect',
   "'%o' % {x}", "'%b' % {x}", "format('%e', {x})", "format('%10.4s|', {x}.to_s)", '{x}.chr', '"n=#{{{x}}}"',
   "{x}.to_s.reverse", "format('%,d', {x})", "'%c' % 65", "format('%3$s %1$s %2$s', {x}, 'b', 'c')")
tr('int', 'arr', '{x}.digits', '{x}.clamp(0, 12).times.to_a', '{x}.clamp(-5, 5).downto(-5).to_a',
   '(0..{x}.clamp(0, 9)).step(3).to_a', '{x}.clamp(0, 9).times.map {{ |i| i * i }}', '{x}.divmod(7)',
   '1.step({x}.clamp(1, 20), 4).to_a', '({x}.clamp(0, 5)...8).to_a', '[{x}] * 3', '{x}.coerce(2.5)')
tr('int', 'bool', '{x}.even?', '{x}.odd?', '{x}.zero?', '{x}.positive?', '{x}.negative?', '({x} > 3)',
   '({x} == 7)', '{x}.between?(1, 10)', '{x}.integer?', '{x}.is_a?(Numeric)', '{x}.eql?(7.0)', '({x} == 7.0)',
   '{x}.nonzero?', '({x} === 3)', '(1..10) === {x}', '{x}.frozen?')
tr('float', 'float', '{x}.round(2)', '{x}.abs', '({x} * 1.1)', '({x} + 0.2)', '({x} / 3)', '{x}.floor(1)',
   '{x}.ceil(2)', '-{x}', '({x} % 1)', '{x}.truncate(1)', '({x} ** 2)', '{x}.round(-1)', '({x} - {int})',
   '[{x}, {float}].min', '{x}.clamp(-1, 1)', 'Math.sqrt({x}.abs)', '({x} * 100).round / 100.0', '{x}.round(half: :even)',
   '{x}.round(1, half: :up)', '{x}.divmod(0.3).last', '({x} ** 0.5)', '{x}.fdiv(2)', 'Math.cbrt({x})',
   'Math.atan2({x}, -1.5)', 'Math.log({x}.abs + 1)', 'Math.hypot({x}, 2)', 'Math.tanh({x})', 'Math.erf({x})')
tr('float', 'int', '{x}.round', '{x}.to_i', '{x}.floor', '{x}.ceil', '{x}.truncate', '({x} <=> 1)', '{x}.round(half: :even)',
   '{x}.divmod(2).first', '({x} * 10).to_i')
tr('float', 'str', '{x}.to_s', '{x}.inspect', "format('%.3f', {x})", "'%e' % {x}", "'%g' % {x}", '{x}.round(1).to_s',
   "format('%08.2f', {x})", "format('%-9.1f|', {x})", "'%d' % {x}", "'%s' % {x}", "format('%.0f', {x})",
   "format('%10.3e', {x})", "'%G' % {x}", "'%.2g' % {x}", '"#{{{x}}}"', '{x}.to_s.split(".").first')
tr('float', 'bool', '{x}.nan?', '{x}.finite?', '{x}.integer?', '({x} > 1.0)', '{x}.zero?', '{x}.infinite?.nil?',
   '({x} == {x}.to_i)', '{x}.positive?')
tr('str', 'str', '{x}.upcase', '{x}.downcase', '{x}.capitalize', '{x}.swapcase', '{x}.reverse', '{x}.strip',
   '{x}.squeeze', '{x}.succ', '{x}.chomp', "{x}.center(11, '*')", "{x}.ljust(8, '.')", '{x}.rjust(6)',
   "{x}.tr('a-m', 'n-z')", "{x}.delete('l')", "{x}.gsub(/[aeiou]/, '*')", "{x}.gsub('a') {{ |m| m.upcase }}",
   "{x}.sub(/(\\w)(\\w*)/, '\\\\2\\\\1')", '({x} * 2)', "({x} + 'x')", '{x}.slice(1, 3).to_s', '{x}[1..].to_s',
   '{x}[-3..].to_s', "{x}.tr('^a-z', '_')", "{x}.gsub(/(?<w>\\w+)/, '<\\\\k<w>>')", '{x}.chop', '{x}.lstrip',
   "{x}.chomp('e')", "{x}.delete_prefix('a')", "{x}.delete_suffix('c')", '{x}.squeeze(\'l\')', '{x}.dump',
   "{x}.gsub(/\\s+/, ' ')", "{x}.gsub(/([A-Z])/) {{ '_' + $1.downcase }}", "{x}.sub('.', '\\\\\\\\.')",
   '{x}.each_char.map(&:ord).join(",")', '{x}.unicode_normalize', '{x}.encode("UTF-8")', '{x}.force_encoding("UTF-8")',
   "{x}.tr_s('a-z', '*')", "{x}.ljust(3)[0, 3]", '{x}.freeze', '{x}.dup << "!"', "{x}.gsub(/./) {{ |c| c.ord.to_s(16) }}",
   '{x}.to_sym.to_s', "{x}.split(',').map(&:strip).join(';')", '{x}.inspect', '{x}.to_s', '{x}.shellescape',
   "{x}.gsub('\\n', '\\\\n')", "ERB::Util.url_encode({x})", "ERB::Util.html_escape({x})", "CGI.escape({x})",
   "Base64.strict_encode64({x})", "Base64.encode64({x})", "Digest::SHA1.hexdigest({x})", "Digest::MD5.hexdigest({x})",
   "{x}.unpack1('H*')", "[{x}.unpack1('H*')].pack('H*')", "[{x}].pack('m0')", "{x}.dup.tap {{ |s| s.slice!(1, 2) }}",
   "{x}.dup.slice!(/[a-z]+/)", "{x}.partition(':').last", "{x}.sub(/\\A\\s*/, '')",
   "{x}.scan(/[a-z]+/).join('|')", "{x}.each_line.map(&:chomp).join('/')", "{x}.encode('UTF-8', invalid: :replace)",
   "{x}.casecmp({str}).to_s", "{x}.center(3)", '"[#{{{x}}}]"', "{x} % [1]", "{x}.sub(/(\\d+)/) {{ ($1.to_i + 1).to_s }}")
# regexp escapes read as Onigmo reads them (octal, hex runs spelling one character,
# back-references), and what each search leaves in `$~`
tr('str', 'str', "{x}.gsub(/\\x61|\\141/, '#')", "{x}.sub(/(\\w)\\1/, '<\\\\1>')",
   "{x}.gsub(/[\\141-\\145]/, '.')", "{x}.sub(/\\xc3\\xa9/, 'e')", "({x}.gsub(/[aeiou]/, '*'); $~ && $~.pre_match).to_s",
   "({x}.scan(/\\w/); $~.to_a.inspect)", "({x}.index(/[lo]/); $~ && $~[0]).to_s", "({x}.split(/[, ]/, 2); $~.to_a.inspect)",
   "{x}.rpartition(/[a-z][a-z]/).inspect", "({x}.rindex(/\\w/); $~.to_a.inspect)", "({x}[/\\d/]; $~.inspect)")
tr('str', 'int', '{x}.length', '{x}.size', "{x}.count('a')", "{x}.index('a').to_i", '{x}.bytesize', '{x}.to_i',
   '{x}.hex', '{x}.oct', "{x}.to_i(16)", '{x}.ord', "({x} =~ /[a-z]/).to_i", "({x} <=> {str})", '{x}.sum',
   "{x}.rindex('a').to_i", "{x}.casecmp({str})", 'Integer({x}) rescue -1', "{x}.count('a-z')", '{x}.lines.size')
tr('str', 'float', '{x}.to_f', 'Float({x}) rescue -1.0', '{x}.to_f.round(1)')
tr('str', 'arr', '{x}.chars', "{x}.split(',')", '{x}.split', '{x}.bytes.first(4)', '{x}.lines', "{x}.scan(/\\w+/)",
   '{x}.each_char.to_a', "{x}.partition('=')", "{x}.rpartition('.')", "{x}.split(',', -1)", "{x}.split('', 3)",
   "{x}.split(/(,)/)", "{x}.scan(/(\\w)(\\w)/)", "{x}.unpack('C3')", '{x}.chars.each_slice(2).map(&:join)',
   "{x}.split(/\\s*,\\s*/, 2)", "Shellwords.split({x}) rescue []", "{x}.chars.sort.uniq", "{x}.codepoints.first(3)",
   "{x}.match(/(\\w+)/).to_a", "{x}.split('.').map(&:to_i)", "[{x}].pack('m').lines", "{x}.each_byte.first(2)")
tr('str', 'bool', '{x}.empty?', "{x}.start_with?('a')", "{x}.include?('b')", "{x}.end_with?('e', 'c')",
   "{x}.match?(/\\d/)", '({x} == {str})', "{x}.frozen?", "{x}.ascii_only?", "{x}.casecmp?({str})", '({x} < {str})',
   "{x}.valid_encoding?", "{x} =~ /\\A\\d+\\z/ ? true : false", '{x}.eql?({str})', "{x}.upcase == {x}",
   "!{x}.strip.empty?", "{x}.blank?", "{x}.present?", "{x}.is_a?(Comparable)", "{x}.respond_to?(:upcase)")
tr('str', 'sym', '{x}.to_sym', '{x}.downcase.to_sym', '{x}.intern')
tr('str', 'any', "{x}.match(/(\\w)(\\w+)?/)&.captures", "{x}[/\\d+/]", "{x}.presence", "{x}.index('z')",
   "({x} =~ /l/)", "{x}.match(/(?<first>\\w)/)&.named_captures", "{x}.slice(10)", "{x}[0]", "{x}.chars.first",
   "{x}.split.first", "{x}.encoding")
tr('sym', 'str', '{x}.to_s', '{x}.inspect', '{x}.to_proc.call({str}) rescue "no-method"', '{x}.upcase.inspect',
   '{x}.length.to_s', '"#{{{x}}}"', '{x}.to_json', '{x}.to_yaml', '[{x}].to_s', '{x}.succ.to_s')
tr('sym', 'bool', '({x} == :a)', '{x}.start_with?("a")', '({x} <=> :b).nil?', '{x}.is_a?(Symbol)', '{x}.empty?')
tr('arr', 'arr', '{x}.sort', '{x}.reverse', '{x}.uniq', '{x}.compact', '{x}.flatten', '{x}.rotate', '{x}.first(2)',
   '{x}.last(2)', '{x}.take(2)', '{x}.drop(1)', '{x}.map {{ |e| e.to_s }}', '{x}.map(&:to_s)',
   '{x}.select {{ |e| e.is_a?(Integer) }}', '{x}.reject(&:nil?)', '{x}.each_slice(2).to_a', '{x}.each_cons(2).to_a',
   '{x}.zip({arr})', '{x}.each_with_index.map {{ |e, i| [i, e] }}', "{x}.map.with_index(1) {{ |e, i| \"#{{i}}:#{{e}}\" }}",
   '{x}.collect!.with_index {{ |e, i| [e, i] }}', '{x}.each_with_index.to_a', '{x}.sort_by(&:to_s)',
   '{x}.sort_by {{ |e| e.to_s }}.reverse', '({x} + {arr})', '({x} - [nil])', '({x} & {arr})', '({x} | {arr})',
   '({x} * 2)', '{x}.flat_map {{ |e| [e, e] }}', '{x}.group_by(&:class).values', '{x}.partition {{ |e| e.to_s.size > 1 }}',
   '{x}.tally.to_a', '{x}.each_with_object([]) {{ |e, a| a.unshift(e) }}', '{x}.filter_map {{ |e| e.to_s if e }}',
   '{x}.chunk_while {{ |a, b| a == b }}.to_a', '{x}.slice_when {{ |a, b| a != b }}.to_a', '{x}.values_at(0, 2, 5)',
   '{x}.product([0, 1])', '{x}.transpose', '{x}.uniq {{ |e| e.to_s.size }}', '{x}.min(2)', '{x}.max_by(2, &:to_s)',
   '{x}.cycle.first(5)', '{x}.inject([]) {{ |a, e| a + [e] }}', '{x}.lazy.map {{ |e| [e] }}.first(2)',
   '{x}.reverse_each.to_a', '{x}.find_all {{ |e| e }}', '{x}.dup.push(9)', '{x}.dup.insert(1, :z)', '{x}.map(&:inspect)',
   '{x}.sort {{ |a, b| b.to_s <=> a.to_s }}', '{x}.each_slice(3).map(&:first)', '{x}.map.with_index {{ |e, i| i }}',
   '{x}.select.with_index {{ |e, i| i.even? }}', '{x}.each.with_object([]) {{ |e, acc| acc << e.class }}',
   '{x}.map!(&:to_s)', '{x}.sort_by.with_index {{ |e, i| -i }}', '{x}.flatten(1)', '{x}.compact.sort_by(&:to_s).uniq',
   '{x}.zip({x}.rotate).map(&:first)', 'Array({x})', '[*{x}, *{arr}]', '{x}.each_entry.to_a', '{x}.to_a',
   '{x}.minmax', '{x}.sum([]) rescue []', '{x}.sort.reverse', '{x}.take_while {{ |e| e }}', '{x}.drop_while(&:nil?)',
   '{x}.combination(2).to_a', '{x}.permutation(2).first(4)', '{x}.repeated_combination(2).count', '{x}.each_index.to_a', '{x}.map {{ |e| e.nil? ? "-" : e }}', '{x}.grep(String)',
   '{x}.grep_v(Integer)', '{x}.grep(/a/)', '{x}.zip([1, 2]).flatten.compact', '{x}.select(&:itself)',
   '{x}.dup.fill(0)', '{x}.dup.concat([1], [2])', '{x}.dup.tap {{ |a| a.delete(nil) }}', '{x}.dup.tap(&:pop)',
   '{x}.dup.tap {{ |a| a.shift }}', '{x}.dup.tap {{ |a| a.unshift(0) }}', '{x}.dup.tap {{ |a| a.delete_at(1) }}',
   '{x}.dup.tap {{ |a| a.delete_if(&:nil?) }}', '{x}.dup.tap {{ |a| a.keep_if {{ |e| e }} }}', '{x}.dup.tap(&:compact!)',
   '{x}.dup.tap(&:uniq!)', '{x}.dup.tap(&:reverse!)', '{x}.dup.tap {{ |a| a.sort_by!(&:to_s) }}',
   '{x}.dup.tap {{ |a| a.select! {{ |e| e }} }}', '{x}.dup.tap {{ |a| a.reject! {{ |e| e }} }}',
   '{x}.dup.tap {{ |a| a[1] = :set }}', '{x}.dup.tap {{ |a| a[5] = 0 }}', '{x}.dup.tap {{ |a| a[0, 2] = [9] }}',
   '{x}.each_with_index.select {{ |e, i| i > 0 }}.map(&:first)', '{x}.each.with_index(1).map {{ |e, i| [i, e] }}',
   '{x}.to_enum.with_index.to_a', '{x}.map.each_with_index {{ |e, i| i }}', '{x}.sum {{ |e| e.to_s.size }}.digits')
tr('arr', 'int', '{x}.size', '{x}.length', '{x}.count', '{x}.count(nil)', '{x}.index(2).to_i', '{x}.sum',
   '{x}.find_index {{ |e| e.nil? }}.to_i', '{x}.count {{ |e| e.to_s.size > 1 }}', '{x}.sum {{ |e| e.to_s.size }}',
   '{x}.compact.size', '{x}.flatten.size', '{x}.hash.class.name.size', '{x}.inject(0) {{ |s, e| s + e.to_s.size }}',
   '{x}.rindex(3).to_i', '({x} <=> {arr}).to_i', '{x}.bsearch {{ |e| e >= 2 }}.to_i', '{x}.max.to_i', '{x}.min.to_i')
tr('arr', 'str', '{x}.join', "{x}.join(', ')", '{x}.inspect', '{x}.to_s', '{x}.to_json', '{x}.to_yaml',
   'JSON.pretty_generate({x})', 'JSON.dump({x})', '{x}.first.to_s', "{x}.map(&:inspect).join('|')",
   'JSON.generate({x})', 'YAML.dump({x})', "{x}.join(\"\\n\")", '"#{{{x}}}"', "{x}.pack('U*') rescue 'pack'",
   '{x}.to_yaml.lines.last.to_s', "{x}.map {{ |e| e.to_json }}.join(',')", "{x}.collect(&:to_s).sort.join(' ')",
   "{x}.flatten.compact.map(&:to_s).max.to_s", "{x}.to_json(space: ' ') rescue 'j'", "JSON.pretty_generate({x}.first(1))",
   "{x}.shelljoin rescue 'sh'", "{x}.each_with_index.map {{ |e, i| \"#{{i}}=#{{e}}\" }}.join('&')", "{x}.to_a.to_s")
tr('arr', 'bool', '{x}.empty?', '{x}.any?', '{x}.all? {{ |e| e }}', '{x}.none?', '{x}.include?(1)', '{x}.one?',
   '{x}.any?(Integer)', '{x}.all?(String)', '({x} == {arr})', '{x}.frozen?', '{x}.include?(nil)', '{x}.eql?({x}.dup)',
   '{x}.is_a?(Enumerable)', '{x}.blank?', '{x}.member?(:three)', '{x}.any?(/a/)', '{x}.all?(nil)')
tr('arr', 'hash', '{x}.each_with_index.to_h', '{x}.group_by(&:class)', '{x}.tally', '{x}.zip({arr}).to_h',
   '{x}.each_with_object({{}}) {{ |e, h| h[e.to_s] = e }}', '{x}.to_h {{ |e| [e.to_s, e] }}',
   '{x}.map.with_index {{ |e, i| [i, e] }}.to_h', '{x}.group_by {{ |e| e.to_s.size }}', '{x}.each_slice(2).to_h',
   'Hash[{x}.zip({x})]', '{x}.to_h', '{x}.index_by(&:to_s) rescue {{}}', '{x}.each_with_index.to_h.invert')
tr('arr', 'any', '{x}.first', '{x}.last', '{x}.min', '{x}.max', '{x}.sum', '{x}.dig(0)', '{x}[1]', '{x}[-1]',
   '{x}.find {{ |e| e }}', '{x}[5]', '{x}.fetch(1, :d)', '{x}.min_by(&:to_s)',
   '{x}.max_by {{ |e| e.to_s }}', '{x}.inject {{ |a, b| a.to_s + b.to_s }}', '{x}.reduce(:+)', '{x}.detect(&:nil?)',
   '{x}[1..2]', '{x}[1, 5]', '{x}.slice(0..0)', '{x}.dig(0, 0)', '{x}.first&.to_s', '{x}.pop', '{x}.shift')
tr('hash', 'hash', '{x}.merge({hash})', '{x}.merge({hash}) {{ |k, a, b| [a, b] }}', '{x}.select {{ |k, v| v }}',
   '{x}.reject {{ |k, v| v.nil? }}', '{x}.transform_values(&:to_s)', '{x}.transform_keys(&:to_s)',
   '{x}.transform_keys(&:to_sym)', '{x}.sort.to_h', '{x}.sort_by {{ |k, v| k.to_s }}.to_h', '{x}.invert', '{x}.compact',
   "{x}.slice('a', :a)", "{x}.except('a')", '{x}.to_a.reverse.to_h', '{x}.map {{ |k, v| [k.to_s.upcase, v] }}.to_h',
   '{x}.filter_map {{ |k, v| [k, v] if v }}.to_h', '{x}.min_by(2) {{ |k, v| k.to_s }}.to_h', '{x}.group_by {{ |k, v| v.class }}',
   '{x}.each_with_object({{}}) {{ |(k, v), h| h[v.to_s] = k }}', "{x}.dup.tap {{ |h| h['new'] = 1 }}",
   "{x}.merge('list' => [1, 2], 'nested' => {{'x' => nil}})", '{x}.to_h {{ |k, v| [v.to_s, k] }}',
   '{x}.transform_values {{ |v| v.is_a?(Hash) ? v.keys : v }}', '{x}.filter {{ |k, _| k.is_a?(String) }}',
   '{x}.dup.tap {{ |h| h.delete("a") }}', '{x}.dup.tap {{ |h| h.store(:s, 2) }}', '{x}.dup.tap(&:clear)',
   '{x}.dup.tap {{ |h| h.delete_if {{ |k, v| v }} }}', '{x}.dup.tap {{ |h| h.merge!({hash}) }}',
   '{x}.dup.tap {{ |h| h.update(z: 1) }}', '{x}.dup.tap {{ |h| h.keep_if {{ |k, v| v }} }}',
   '{x}.dup.tap {{ |h| h.transform_values!(&:to_s) }}', '{x}.select.with_index {{ |(k, v), i| i == 0 }}',
   '{x}.sort_by {{ |k, v| v.to_s }}.reverse.to_h', '{x}.each_with_index.to_h {{ |(k, v), i| [i, k] }}',
   '{x}.dup.tap {{ |h| h.default = 0 }}', 'Hash[{x}.to_a]', '{x}.merge!({{}})', '{x}.reject {{ |k, v| v.is_a?(Hash) }}',
   "{x}.deep_merge({hash}) rescue {{}}", '{x}.sum([]).each_slice(2).to_h rescue {{}}', '{x}.find_all {{ |k, v| v }}.to_h')
tr('hash', 'arr', '{x}.keys', '{x}.values', '{x}.to_a', "{x}.map {{ |k, v| \"#{{k}}=#{{v}}\" }}",
   '{x}.sort_by {{ |k, v| v.to_s }}', '{x}.flatten', '{x}.flat_map {{ |k, v| [k] }}', '{x}.find {{ |k, v| v }}.to_a',
   '{x}.each_with_index.map {{ |(k, v), i| [i, k] }}', '{x}.sort {{ |a, b| b.to_s <=> a.to_s }}',
   "{x}.values_at(:a, 'a')", '{x}.keys.map(&:class)', '{x}.min_by {{ |k, v| v.to_s }}.to_a', '{x}.each.to_a',
   '{x}.each_pair.map {{ |k, v| k }}', '{x}.collect {{ |pair| pair.size }}', '{x}.map(&:first)', '{x}.map(&:last)',
   '{x}.sort_by(&:first) rescue []', '{x}.partition {{ |k, v| v }}', '{x}.each_slice(1).to_a', '{x}.to_a.transpose',
   '{x}.select {{ |k, v| v }}.keys', "{x}.fetch_values('a') rescue [:missing]", '{x}.filter_map {{ |k, v| k if v }}',
   '{x}.dig(*{x}.keys.first(1)).to_a rescue []', '{x}.entries', '{x}.zip([1]).flatten(1)')
tr('hash', 'str', '{x}.inspect', '{x}.to_s', '{x}.to_json', '{x}.to_yaml', 'JSON.pretty_generate({x})', 'JSON.dump({x})',
   "{x}.map {{ |k, v| \"#{{k}}=#{{v}}\" }}.join('&')", "{x}.keys.join(',')", 'YAML.dump({x})', 'JSON.generate({x})',
   '{x}.to_yaml(line_width: -1) rescue "y"', 'JSON.pretty_generate({x}, indent: "    ") rescue "j"',
   '"#{{{x}}}"', "{x}.sort.map {{ |k, v| \"#{{k}}: #{{v.inspect}}\" }}.join(\"\\n\")", 'JSON.parse({x}.to_json).inspect',
   'YAML.load({x}.to_yaml).inspect', 'JSON.pretty_generate(JSON.parse({x}.to_json))', '{x}.to_json.to_json',
   'JSON.parse({x}.to_json, symbolize_names: true).inspect', 'OpenStruct.new({x}).to_h.inspect',
   "{x}.map {{ |k, v| format('%-6s%s', k, v) }}.join('|')")
tr('hash', 'int', '{x}.size', '{x}.count', '{x}.count {{ |k, v| v }}', '{x}.length', '{x}.sum {{ |k, v| v.to_s.size }}',
   '{x}.keys.sum {{ |k| k.to_s.size }}')
tr('hash', 'bool', '{x}.empty?', "{x}.key?('a')", '{x}.key?(:a)', '{x}.value?(1)', '{x}.any? {{ |k, v| v.nil? }}',
   '{x}.all? {{ |k, v| k.is_a?(String) }}', "{x}.include?('b')", '({x} == {hash})', '{x}.has_key?(1)', '{x}.member?(:b)',
   '{x}.has_value?(nil)', '{x}.none?', '{x}.is_a?(Hash)', '{x}.respond_to?(:each_pair)', '{x}.present?', '{x}.frozen?')
tr('hash', 'any', "{x}['a']", '{x}[:a]', "{x}.fetch('a', 0)", "{x}.dig('x', 'y')", '{x}.values.first', '{x}.first',
   "{x}.fetch('a') {{ |k| k * 2 }}", "{x}.fetch(:b)", "{x}.key(1)", "{x}.dig(:tls, :enabled)", "{x}.min_by {{ |k, v| k.to_s }}",
   "{x}['list']&.last", "{x}.to_a.dig(0, 1)", "{x}.default", "{x}.values.compact.first", "{x}.assoc('b')",
   "{x}.sum([]) rescue 0", "{x}.find {{ |k, v| v.is_a?(Integer) }}&.last", "{x}.keys.first")
tr('bool', 'str', '{x}.to_s', '{x}.inspect', '({x} ? "on" : "off")', '{x}.to_json', '{x}.to_yaml', '"#{{{x}}}"',
   '{x}.class.name', '({x} && "and")', '({x} || "or")')
tr('bool', 'bool', '!{x}', '({x} && {bool})', '({x} || {bool})', '({x} ^ true)', '{x}.nil?', '({x} == false)',
   '(not {x})', '({x} and {bool})', '({x} or {bool})', '{x}.!', '{x}.blank?', '({x} & true)', '({x} | false)')
tr('any', 'str', '{x}.to_s', '{x}.inspect', '{x}.to_json', '{x}.class.to_s', '{x}.to_yaml', '{x}.nil?.to_s',
   '"#{{{x}}}"', 'JSON.generate([{x}])', '[{x}].inspect', "{x}.respond_to?(:each).to_s", '{x}.frozen?.to_s',
   "{x}.then {{ |v| v.to_s * 2 }}", '{x}.dup.to_s', '{x}.itself.inspect', '{x}.presence.inspect', '{x}.to_s.length.to_s',
   "Array({x}).inspect", "{x}.is_a?(Comparable).to_s", "{x}.instance_of?(String).to_s", '{x}.class.ancestors.include?(Enumerable).to_s',
   "({x} rescue 'r').to_s", "{x}.hash.is_a?(Integer).to_s", '{x}.tap {{ |v| v }}.inspect', "{x}&.to_s.inspect",
   "String({x})", "{x}.kind_of?(Numeric).to_s", "{x}.class.respond_to?(:new).to_s", "JSON.respond_to?(:dump).to_s")

TYPES = ['int', 'float', 'str', 'arr', 'hash', 'bool', 'sym']
ATOMS = {'int': INT, 'float': FLOAT, 'str': STR, 'arr': ARR, 'hash': HASH, 'bool': BOOL, 'sym': SYM}


class Gen:
    def __init__(self, rnd):
        self.r = rnd

    def expr(self, ty, depth):
        r = self.r
        if ty == 'any':
            ty = r.choice(TYPES)
        if depth <= 0 or r.random() < 0.25:
            return r.choice(ATOMS[ty])
        # a transform producing ty from some source type
        cands = [(src, f) for src in T for (dst, f) in T[src] if dst == ty and src != 'any']
        if ty == 'str':
            cands += [('any', f) for (dst, f) in T['any']]
        src, f = r.choice(cands)
        x = self.expr(src if src != 'any' else r.choice(TYPES), depth - 1)
        return self.fill(f, x, depth)

    def fill(self, f, x, depth):
        subs = {'x': x}
        for t in TYPES:
            if '{' + t + '}' in f:
                subs[t] = self.expr(t, min(depth - 1, 1))
        return f.format(**subs)

    def line(self, depth):
        """One ERB statement producing output (or not), from the forms real templates use."""
        r = self.r
        e = lambda ty='any', d=depth: self.expr(ty, d)  # noqa: E731
        k = r.randrange(30)
        if k < 8:
            return '<%= ' + e('str' if k < 4 else 'any') + ' %>\n'
        if k == 8:
            return '<% v = ' + e() + ' -%>\n<%= v.inspect %>\n'
        if k == 9:
            return "<%%= { a: %s ? %s : %s, 'b' => %s, c: %s }.to_json %%>\n" % (e('bool'), e(), e(), e(), e('int', 1))
        if k == 10:
            return '<%= begin\n  ' + e('any') + '\nrescue => err\n  err.class\nend %>\n'
        if k == 11:
            return ('<% def helper(v)\n  begin\n    v.instance_of? String\n  rescue NoMethodError\n    false\n  end\nend -%>\n'
                    '<%= helper(' + e() + ') %> <%= (' + e() + " rescue 'failed').inspect %>\n")
        if k == 12:
            return ('<%= case ' + e() + "\n  when Integer then 'int'\n  when String then 'str'\n  when Array, Hash then 'coll'\n"
                    "  when nil then 'nil'\n  when 0..1 then 'range'\n  else 'other'\n  end %>\n")
        if k == 13:
            return '<% if ' + e('bool') + ' -%>\nyes <%= ' + e() + ' %>\n<% elsif ' + e('bool') + ' -%>\nmid\n<% else -%>\nno\n<% end -%>\n'
        if k == 14:
            return '<% ' + e('arr') + '.each do |item| -%>\n  - <%= item.inspect %>\n<% end -%>\n'
        if k == 15:
            return '<% ' + e('hash') + '.each_pair do |key, val| -%>\n<%= key %>: <%= val.to_json %>\n<% end -%>\n'
        if k == 16:
            return "<%= format('%-8s|%5.1f|%03d|%s', " + e('str', 1) + ', ' + e('float', 1) + ', ' + e('int', 1) + ', ' + e('any', 1) + ') %>\n'
        if k == 17:
            return '<% text = <<~EOS\n  value: #{' + e('any', 2) + '}\n    nested: #{' + e('str', 1) + '}\nEOS\n-%>\n<%= text %>'
        if k == 18:
            return "<% if_p('opts', 'name') do |o, n| -%>\n<%= o.keys.inspect %> <%= n %> <%= " + e() + " %>\n<% end.else do -%>\nnone\n<% end -%>\n"
        if k == 19:
            return '<%= x = ' + e() + "; x.is_a?(Array) ? x.join(',') : x.to_s %>\n"
        if k == 20:
            return '<%= [' + e('any', 1) + ', ' + e('any', 1) + '].map { |z| z.to_s.upcase }.join(" ") %>\n'
        if k == 21:
            return '<%- ' + e('arr', 2) + '.each_with_index do |item, i| -%>\n  <%= i %>=<%= item %>\n<%- end -%>\n'
        if k == 22:
            return '<%= ' + e('int', 2) + ' > 5 ? "big" : "small" %> <%= !' + e('bool', 1) + ' %>\n'
        if k == 23:
            # a local assigned in a block, its earlier assignment perhaps never run
            return '<% acc = 0 if ' + e('bool', 1) + '; ' + e('arr') + '.each { |el| acc = el } -%>\n<%= acc.inspect %>\n'
        if k == 24:
            # a regexp literal's named groups as locals
            return ('<% if /(?<word>[a-z]+)(?<num>[0-9]*)/ =~ ' + e('any', 1) + '.to_s then end -%>\n'
                    '<%= [word, num].inspect %>\n')
        if k == 25:
            return '<% *head, tail = ' + e('arr') + ' -%>\n<%= [head, tail].inspect %>\n'
        if k == 26:
            return '<% @v = ' + e('any', 1) + ' -%>\n<%= "v=#@v;" %>\n'
        if k == 28:
            # `alias` keeps the method it names when that name is defined again
            return ("<% def fmt_v(v) v.inspect end; alias show_v fmt_v; def fmt_v(v) 'again' end -%>\n"
                    '<%= show_v(' + e('any', 1) + ') %> <%= fmt_v(1) %> <%= defined?(show_v) %> <%= __method__.inspect %>\n')
        if k == 29:
            # `retry` runs the body again after its rescue clause
            return ('<% tries = 0 -%>\n<%= begin\n  tries += 1\n  ' + e('any', 1) + '\n'
                    "  raise 'again' if tries < 3\n  tries\nrescue => err\n  retry if tries < 3\n  err.class\nend %>\n")
        return '<%= ' + e('hash') + '.to_yaml %>'


PROPS = """port:
    default: 8080
  count:
    default: 3
  ratio:
    default: 0.75
  name:
    default: web-Server_1
  host:
    default: db.example.com
  list:
    default: [b, a, 3, null]
  servers:
    default: ['10.0.0.5', '10.0.0.4']
  opts:
    default: {b: 2, a: "x", c: null}
  nested:
    default: {top: {mid: [1, {leaf: true}]}, 'empty': {}}
  flag:
    default: false
"""


def write_job(d, template):
    (d / 'job' / 'templates').mkdir(parents=True)
    spec = ('---\nname: demo\ntemplates:\n  t.erb: out/t.txt\nconsumes:\n- name: db\n  type: db\n'
            'properties:\n  ' + PROPS)
    (d / 'job' / 'spec').write_text(spec)
    (d / 'job' / 'templates' / 't.erb').write_bytes(template.encode('utf-8'))
    ctx = json.loads(json.dumps(BASE))
    ctx['properties'] = {'port': 5432}
    ctx['links'] = {'db': DB_LINK}
    ctx['dns'] = DNS
    (d / 'context.json').write_text(json.dumps(ctx, indent=2, ensure_ascii=False) + '\n')


def bale_render(bale, d):
    out = d / 'bale-out'
    p = subprocess.run([bale, 'render', '--job-dir', str(d / 'job'), '--context', str(d / 'context.json'),
                        '--out', str(out)], capture_output=True, timeout=120)
    files = {}
    if p.returncode == 0 and out.exists():
        for f in out.rglob('*'):
            if f.is_file():
                files[str(f.relative_to(out))] = f.read_bytes().decode('utf-8', 'replace')
    errors = [l for l in p.stderr.decode('utf-8', 'replace').splitlines() if l.strip()]
    return {'code': p.returncode, 'files': files, 'errors': errors}


# The reference renderer's classes live in its own module (ErbOracle::Template, renamed for
# the director's in oracle_batch.rb); a template that changes the name's case or escapes it
# (`upcase`, `CGI.escape`) shows the module either way: the same class to both sides.
MODULE = re.compile(r'(?i)(erboracle|bosh(::|%3A%3A)common)(::|%3A%3A)template')


def same_files(a, b):
    if a == b:
        return True
    if a.keys() != b.keys():
        return False
    return all(MODULE.sub('MODULE', a[k]) == MODULE.sub('MODULE', b[k]) for k in a)


def agree(o, b):
    if o['code'] == 0 and b['code'] == 0:
        return same_files(o['files'], b['files'])
    if o['code'] == 1 and b['code'] == 1:
        if len(o['errors']) != len(b['errors']):
            return False
        for eo, eb in zip(o['errors'], b['errors']):
            where_o, where_b = eo.split(': ', 1)[0], eb.split(': ', 1)[0]
            if where_o != where_b:
                return False
            api = any(s in eo for s in ("Can't find property", "Can't find link", "expects a hash"))
            if api and eo != eb:
                return False
        return True
    return False


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--oracle', required=True)
    ap.add_argument('--bale', required=True)
    ap.add_argument('--count', type=int, default=3000)
    ap.add_argument('--seed', type=int, default=1)
    ap.add_argument('--lines', type=int, default=3, help='statements per template')
    ap.add_argument('--depth', type=int, default=3)
    ap.add_argument('--keep', help='write each differing job here')
    ap.add_argument('--show', type=int, default=5)
    ap.add_argument('--jobs', type=int, default=2, help='bale processes at once')
    ap.add_argument('--binary', action='store_true', help='binary strings among the string atoms')
    ap.add_argument('--ruby', default='ruby', help='the command that runs the reference renderer '
                    '(see crosscheck.py: "node benches/templates/ruby34/ruby.mjs" for Ruby 3.4)')
    args = ap.parse_args()
    if args.binary:
        STR.extend(BINARY * 3)
    rnd = random.Random(args.seed)
    g = Gen(rnd)
    bale = os.path.abspath(args.bale)
    with tempfile.TemporaryDirectory() as tmp:
        tmp = pathlib.Path(tmp)
        dirs = []
        for i in range(args.count):
            d = tmp / ('%05d' % i)
            write_job(d, ''.join(g.line(args.depth) for _ in range(args.lines)))
            dirs.append(d)
        lst = tmp / 'list'
        lst.write_text(''.join('%s\t%s\n' % (d / 'job', d / 'context.json') for d in dirs))
        p = subprocess.run(args.ruby.split() + [str(HERE / 'oracle_batch.rb'), args.oracle, str(lst)],
                           capture_output=True)
        oracle = [json.loads(l) for l in p.stdout.decode().splitlines() if l.strip()]
        if len(oracle) != len(dirs):
            sys.exit('oracle stopped after %d jobs: %s' % (len(oracle), p.stderr.decode()[-2000:]))
        with concurrent.futures.ThreadPoolExecutor(args.jobs) as ex:
            ours = list(ex.map(lambda d: bale_render(bale, d), dirs))
        differ = []
        ok_render = 0
        for d, o, b in zip(dirs, oracle, ours):
            ok_render += o['code'] == 0
            if not agree(o, b):
                differ.append((d, o, b))
        print('generated: %d templates (%d render, %d fail in Ruby), seed %d' % (len(dirs), ok_render, len(dirs) - ok_render, args.seed))
        print('differing: %d' % len(differ))
        if args.keep:
            keep = pathlib.Path(args.keep)
            keep.mkdir(parents=True, exist_ok=True)
        for n, (d, o, b) in enumerate(differ):
            if args.keep:
                dst = keep / d.name
                if dst.exists():
                    shutil.rmtree(dst)
                shutil.copytree(d / 'job', dst / 'job')
                shutil.copy(d / 'context.json', dst / 'context.json')
                (dst / 'results.json').write_text(json.dumps({'oracle': o, 'bale': b}, indent=1, ensure_ascii=False))
            if n < args.show:
                print('\n--- %s\n%s' % (d.name, (d / 'job' / 'templates' / 't.erb').read_text()))
                print('oracle: %s' % json.dumps({k: o[k] for k in ('code', 'files', 'errors')}, ensure_ascii=False)[:1500])
                print('bale:   %s' % json.dumps(b, ensure_ascii=False)[:1500])


if __name__ == '__main__':
    main()
