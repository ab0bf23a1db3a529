#!/usr/bin/env python3
"""Writes bale's own template cases (testdata/templates/cases/) in the fixture layout:
job/ + context.json, with expected/ produced by the Ruby reference renderer.

    python3 testdata/templates/gen_cases.py --oracle PATH/erb-oracle.rb

Each case is one template plus the spec properties (YAML) it declares and optional manifest
properties or links. The outputs are committed: the tests do not need Ruby.
"""
import argparse, json, os, pathlib, shutil, subprocess

HERE = pathlib.Path(__file__).parent
OUT = HERE / 'cases'

BASE = {
    "deployment": "shop", "name": "web", "index": 2, "id": "b2c1d0e9-7f3a-4c55-9d21-5a6b7c8d9e0f",
    "az": "z2", "bootstrap": False, "address": "10.1.0.12", "ip": "10.1.0.12", "dns_domain_name": "bosh",
    "persistent_disk": 2048,
    "networks": {"private": {"type": "manual", "ip": "10.1.0.12", "netmask": "255.255.255.0", "gateway": "10.1.0.1",
                             "default": ["dns", "gateway"], "dns": ["10.1.0.2"], "cloud_properties": {}},
                 "backend_net": {"type": "manual", "ip": "192.168.5.9", "netmask": "255.255.255.0", "gateway": "192.168.5.1",
                                 "dns": [], "cloud_properties": {"name": "vlan9"}}},
    "job": {"name": "web", "templates": [{"name": "demo", "version": "abc", "sha1": "def", "blobstore_id": "ghi"}]},
    "release": {"name": "shop-release", "version": "3.1.4"},
    "properties": {}, "links": {},
}

DB_LINK = {"instance_group": "data_store", "default_network": "private", "deployment_name": "shop", "domain": "bosh",
           "properties": {"port": 5432, "users": ["admin", "app"], "tls": {"enabled": True, "ca": "CA"}},
           "use_short_dns_addresses": False, "use_link_dns_names": False, "group_name": "db-link",
           "instances": [{"name": "data_store", "index": 0, "id": "c1", "az": "z1", "address": "10.1.0.20", "bootstrap": True},
                         {"name": "data_store", "index": 1, "id": "c2", "az": "z2", "address": "10.1.0.21", "bootstrap": False}]}
DNS = {"az_ids": {"z1": "1", "z2": "2"}, "network_ids": {"private": "4"}, "group_ids": {"instance-group/data_store/shop": "7", "link/db-link/shop": "9"}, "instance_ids": {"c1": "11"}}

CASES = []


def case(name, template, props='', manifest=None, consumes=None, links=None, dns=None, monit=None, ctx=None,
         more=None):
    # more: further templates after t.erb, as (source, destination, text)
    CASES.append(dict(name=name, template=template, props=props, manifest=manifest or {}, consumes=consumes,
                      links=links or {}, dns=dns, monit=monit, ctx=ctx or {}, more=more or []))


# ---- literals and printing ------------------------------------------------------------
case('int-float-to-s', "<% [0, -7, 10**12, 1.0, 2.5, 100.0, 1e15, 1e16, 1e14, 123456789.123, 0.0001, 0.00001, 1.5e-7, -0.0, 1.0/3, 2.0/3, 1e100, 12.0e3].each do |n| %><%= n %>\n<% end %>")
case('float-arith', "<%= 0.1 + 0.2 %> <%= 1.1 * 3 %> <%= 10 / 4 %> <%= 10.0 / 4 %> <%= -7 / 2 %> <%= -7 % 3 %> <%= 7.fdiv(2) %> <%= 2**10 %> <%= 10.divmod(3) %> <%= (-7).divmod(2) %>\n")
case('float-round', "<%= 3.14159.round(2) %> <%= 2.5.round %> <%= 3.5.round %> <%= -2.5.round %> <%= 1234.5678.round(-2) %> <%= 7.9.floor %> <%= 7.1.ceil %> <%= 7.99.to_i %> <%= 1.23456.floor(2) %> <%= 15.round(-1) %>\n")
case('string-inspect', "<%= ['a\"b', 'back\\\\slash', \"tab\\there\", \"nl\\n\", \"\\e[0m\", '#{x}', \"uni é ✓\", \"\\u0001\", :sym, :\"odd-sym\", :a?, nil, true, 1.5].inspect %>\n")
case('hash-inspect', "<%= {'a' => 1, :b => [1, nil], 'c' => {:d => 'e'}, :'e-f' => 2, 3 => 4.0, nil => true} %>\n<%= {} %> <%= [] %> <%= [{}] %>\n")
case('nil-true-false-to-s', "[<%= nil %>] [<%= true %>] [<%= false %>] [<%= nil.to_a %>] [<%= nil.to_s.empty? %>] [<%= nil.inspect %>]\n")
case('symbols', "<%= :abc %> <%= :abc.to_s.upcase %> <%= %i[a b].inspect %> <%= :b <=> :a %> <%= :abc.length %> <%= 'x'.to_sym.inspect %>\n")
case('ranges', "<%= (1..5).to_a.inspect %> <%= (1...5).to_a.inspect %> <%= ('a'..'e').to_a.join %> <%= (1..10).step(3).to_a.inspect %> <%= (1..4).sum %> <%= (1..3).map { |i| i * i }.inspect %> <%= (1..10).include?(5) %> <%= (1..10) === 11 %>\n")
case('percent-literals', "<%= %w[a b c].inspect %> <%= %q(it's) %> <%= %Q(v=#{1 + 1}) %> <%= %w(x y).length %>\n")
case('heredoc-dash', "<%\n  text = <<-EOS\n    keep indent\n    EOS\n%><%= text %>")
case('heredoc-plain', "<% t = <<EOS\nline one\n  line two\nEOS\n%><%= t %>")
case('heredoc-quoted', "<% t = <<~'RAW'\n  no #{interp} here\n    nested\nRAW\n%><%= t %>")
case('string-escapes', "<%= \"a\\tb\\\\c\\\"d\" %> <%= 'single \\' \\\\ \\n' %> <%= \"\\x41\\u00e9\\u{1F600}\" %>\n")
case('string-concat-adjacent', "<%= 'a' 'b' \"c\" %> <%= 'x' + 'y' * 3 %> <%= 'ab' << 'cd' %>\n")
case('integer-methods', "<%= 10.to_s(2) %> <%= 255.to_s(16) %> <%= 3.times.map { |i| i * 2 }.inspect %> <%= 1.upto(3).to_a.inspect %> <%= 5.downto(3).to_a.inspect %> <%= 7.even? %> <%= 7.odd? %> <%= 0.zero? %> <%= -5.abs %> <%= 5.between?(1, 10) %> <%= 15.clamp(1, 10) %> <%= 65.chr %> <%= 10.pred %> <%= 10.succ %> <%= 12.gcd(8) %> <%= 4.lcm(6) %>\n")

# ---- strings ----------------------------------------------------------------------
case('str-case', "<%= 'Hello World'.upcase %> <%= 'Hello'.downcase %> <%= 'hello world'.capitalize %> <%= 'Hello'.swapcase %> <%= 'abc'.reverse %> <%= 'abc'.length %> <%= 'äöü'.length %> <%= 'äöü'.bytesize %>\n")
case('str-strip', "[<%= '  x  '.strip %>] [<%= '  x  '.lstrip %>] [<%= '  x  '.rstrip %>] [<%= \"line\\n\".chomp %>] [<%= 'path/'.chomp('/') %>] [<%= 'abc'.chop %>] [<%= \"a\\r\\n\".chomp %>]\n")
case('str-split', "<%= 'a,b,,c,,'.split(',').inspect %> <%= 'a,b,,c,,'.split(',', -1).inspect %> <%= ' a  b c '.split.inspect %> <%= 'a b c'.split(' ', 2).inspect %> <%= 'a1b2c3'.split(/\\d/).inspect %> <%= 'abc'.split('').inspect %> <%= ''.split(',').inspect %> <%= 'k=v=w'.split('=', 2).inspect %>\n")
case('str-gsub', "<%= 'hello world'.gsub('o', '0') %> <%= 'hello'.gsub(/l+/) { |m| m.upcase } %> <%= 'a-b_c'.gsub(/[-_]/, '-' => '+', '_' => '=') %> <%= 'john smith'.gsub(/(\\w+) (\\w+)/, '\\2, \\1') %> <%= 'aaa'.sub('a', 'b') %> <%= 'x.y.z'.gsub('.', '\\\\.') %> <%= 'CamelCaseName'.gsub(/([a-z])([A-Z])/, '\\1_\\2').downcase %>\n")
case('str-regex-match', "<% m = 'v1.22.3'.match(/v(\\d+)\\.(\\d+)\\.(\\d+)/) -%><%= m[1] %>-<%= m[2] %>-<%= m[3] %> <%= m.captures.inspect %> <%= m[0] %>\n<%= 'abc' =~ /b/ %> <%= 'abc' =~ /z/ ? 'y' : 'n' %> <%= $~.inspect %>\n<% if 'key=value' =~ /(\\w+)=(\\w+)/ -%><%= $1 %>:<%= $2 %><% end %>\n")
case('str-named-captures', "<% m = /(?<host>[^:]+):(?<port>\\d+)/.match('db.local:5432') -%><%= m[:host] %> <%= m['port'] %> <%= 'x:1' =~ /(?<a>x)/ %>\n")
case('str-scan', "<%= 'a1b22c333'.scan(/\\d+/).inspect %> <%= 'k1=v1;k2=v2'.scan(/(\\w+)=(\\w+)/).inspect %> <%= 'hello'.count('l') %> <%= 'hello'.index('l') %> <%= 'hello'.rindex('l') %>\n")
case('str-predicates', "<%= 'abc'.start_with?('ab') %> <%= 'abc'.end_with?('bc', 'x') %> <%= 'abc'.include?('d') %> <%= ''.empty? %> <%= 'abc'.match?(/B/i) %> <%= 'abc' == 'abc' %> <%= 'a' < 'b' %> <%= 'abc'.eql?('abc') %> <%= 'abc'.casecmp?('ABC') %>\n")
case('str-slicing', "<%= 'hello'[0] %> <%= 'hello'[-1] %> <%= 'hello'[1, 3] %> <%= 'hello'[1..] %> <%= 'hello'[1..-2] %> <%= 'hello'[10].inspect %> <%= 'hello'[/l+/] %> <%= 'hello'.slice(0, 2) %> <%= 'hello'[1...3] %>\n")
case('str-pad', "[<%= 'ab'.ljust(5, '.') %>] [<%= 'ab'.rjust(5) %>] [<%= 'ab'.center(6, '*') %>] [<%= '7'.rjust(3, '0') %>]\n")
case('str-tr-delete', "<%= 'hello'.tr('el', 'ip') %> <%= 'hello'.tr('a-y', 'b-z') %> <%= 'hello'.delete('l') %> <%= 'aaabbb'.squeeze %> <%= 'a-b-c'.tr('-', '_') %> <%= 'hello'.tr('^l', '*') %>\n")
case('str-conversions', "<%= '42'.to_i + 1 %> <%= '3.7'.to_f * 2 %> <%= '12abc'.to_i %> <%= 'abc'.to_i %> <%= '0x1A'.hex %> <%= '777'.oct %> <%= 'ff'.to_i(16) %> <%= '1e3'.to_f %> <%= ' 12 '.to_i %> <%= 'a'.ord %>\n")
case('str-interpolation-nested', "<% name = 'db'; port = 5432 -%><%= \"#{name}:#{port} #{\"inner #{name.upcase}\"} #{[1, 2].map { |x| x * 2 }.join('+')} #{nil}|#{:s}|#{1.5}\" %>\n")
case('str-format', "<%= format('%05d|%-6s|%6.2f|%x|%o|%b|%e|%+d|%%|%s', 42, 'ab', 3.14159, 255, 8, 5, 12345.678, 5, nil.inspect) %>\n<%= '%.3f' % 2.0 %> <%= '%s and %s' % ['a', 'b'] %> <%= format('%<a>s-%<b>d', a: 'x', b: 3) %> <%= format('%{a}/%{b}', a: 1, b: 2) %> <%= format('%3s|%-3s|', 'abcd', 'x') %> <%= format('%.2s', 'abcdef') %> <%= format('%g %g %g', 1.0, 0.00001234, 123456789.0) %>\n")
case('str-mutation', "<% s = 'abc'; t = s; t << 'd'; s.upcase! -%><%= s %> <%= t %> <% u = 'x'.dup; u.concat('y', 'z') -%><%= u %> <% v = +'q'; v.insert(0, '>'); v.prepend('[') -%><%= v %>\n")
case('str-each-char-lines', "<%= \"a\\nb\\nc\".lines.inspect %> <%= 'abc'.chars.inspect %> <%= 'abc'.each_char.to_a.inspect %> <% \"x\\ny\".each_line do |l| %>[<%= l.chomp %>]<% end %>\n")
case('str-succ-upto', "<%= 'a'.succ %> <%= 'az'.succ %> <%= 'zz'.succ %> <%= 'a9'.succ %> <%= 'Zz'.succ %> <%= ('a'..'e').step(2).to_a.inspect %>\n")
case('str-partition', "<%= 'key=val=ue'.partition('=').inspect %> <%= 'key=val=ue'.rpartition('=').inspect %> <%= 'abc'.partition('x').inspect %>\n")
case('str-multiply-join', "<%= '-' * 20 %>\n<%= ['a', ['b', ['c']], 1, nil].join(',') %> <%= [1, 2].join %>\n")
case('str-freeze-frozen', "<%= 'a'.frozen? %> <%= :a.frozen? %> <%= 1.frozen? %> <%= 'b'.freeze.upcase %>\n")

# ---- arrays ---------------------------------------------------------------------------
case('arr-basic', "<% a = [3, 1, 2] -%><%= a.sort.inspect %> <%= a.reverse.inspect %> <%= a.max %> <%= a.min %> <%= a.sum %> <%= a.first %> <%= a.last(2).inspect %> <%= a.length %> <%= a.include?(2) %> <%= a.index(1) %> <%= a.empty? %> <%= a.sort.reverse.first(2).inspect %>\n")
case('arr-mutation', "<% a = [1, 2] -%><% a << 3; a.push(4, 5); a.unshift(0); x = a.pop; y = a.shift -%><%= a.inspect %> <%= x %> <%= y %> <% a.delete(2); a.insert(1, 9) -%><%= a.inspect %> <% a.concat([7, 8]) -%><%= a.inspect %> <% a.delete_at(0) -%><%= a.inspect %>\n")
case('arr-set-ops', "<%= ([1, 2, 3] & [2, 3, 4]).inspect %> <%= ([1, 2] | [2, 3]).inspect %> <%= ([1, 2, 3, 2] - [2]).inspect %> <%= ([1, 2] + [3]).inspect %> <%= ([1, 2] * 2).inspect %> <%= ([0] * 3).inspect %>\n")
case('arr-uniq-compact-flatten', "<%= [1, 1, 2, nil, 3, nil].uniq.inspect %> <%= [1, nil, 2, nil].compact.inspect %> <%= [1, [2, [3, [4]]]].flatten.inspect %> <%= [1, [2, [3, [4]]]].flatten(1).inspect %> <%= %w[a B b A].uniq(&:downcase).inspect %>\n")
case('arr-enumerable', "<% a = [1, 2, 3, 4, 5, 6] -%><%= a.select(&:even?).inspect %> <%= a.reject(&:even?).inspect %> <%= a.map { |x| x * 10 }.inspect %> <%= a.find { |x| x > 3 } %> <%= a.detect(&:odd?) %> <%= a.inject(:+) %> <%= a.reduce(1) { |acc, x| acc * x } %> <%= a.count(&:even?) %> <%= a.any? { |x| x > 5 } %> <%= a.all?(&:positive?) %> <%= a.none? { |x| x > 10 } %> <%= a.partition(&:even?).inspect %> <%= a.each_slice(4).to_a.inspect %> <%= a.each_cons(5).to_a.length %> <%= a.group_by(&:odd?).inspect %> <%= a.min_by { |x| (x - 4).abs } %> <%= a.max_by { |x| x % 4 } %> <%= a.sum { |x| x * 2 } %> <%= a.take(2).inspect %> <%= a.drop(4).inspect %> <%= a.take_while { |x| x < 3 }.inspect %> <%= a.each_with_object([]) { |x, acc| acc << x if x > 4 }.inspect %>\n")
case('arr-each-with-index', "<% %w[a b c].each_with_index do |x, i| -%><%= i %>:<%= x %> <% end %>\n<%= %w[a b].each_with_index.map { |x, i| \"#{i}#{x}\" }.inspect %> <%= %w[a b].map.with_index(1) { |x, i| \"#{i}#{x}\" }.inspect %> <%= %w[a b c].each.with_index.to_a.inspect %>\n")
case('arr-sort-by', "<% people = [{'n' => 'bo', 'a' => 30}, {'n' => 'al', 'a' => 25}, {'n' => 'cy', 'a' => 35}] -%><%= people.sort_by { |p| p['a'] }.map { |p| p['n'] }.join(',') %> <%= people.sort { |a, b| b['n'] <=> a['n'] }.map { |p| p['n'] }.join(',') %> <%= people.max_by { |p| p['a'] }['n'] %> <%= people.map { |p| p['a'] }.minmax.inspect %> <%= %w[bb a ccc].sort_by(&:length).inspect %> <%= [[2, 'b'], [1, 'a']].sort.inspect %>\n")
case('arr-zip-product', "<%= [1, 2].zip(['a', 'b'], [true]).inspect %> <%= [1, 2].product(['x', 'y']).inspect %> <%= [[1, 2], [3, 4]].transpose.inspect %> <%= [[1, :a], [2, :b]].to_h.inspect %> <%= %w[a b c].each_slice(2).map(&:join).inspect %>\n")
case('arr-flat-map-filter-map', "<%= [[1, 2], [3]].flat_map { |x| x }.inspect %> <%= [1, 2, 3, 4].filter_map { |x| x * 2 if x.even? }.inspect %> <%= %w[a b a c a].tally.inspect %> <%= [1, 2, 3].zip([4, 5, 6]).map { |a, b| a * b }.sum %>\n")
case('arr-indexing', "<% a = %w[a b c d e] -%><%= a[1] %> <%= a[-1] %> <%= a[1, 2].inspect %> <%= a[1..3].inspect %> <%= a[10].inspect %> <%= a.values_at(0, 2, 10).inspect %> <%= a.dig(0) %> <%= [[1, [2]]].dig(0, 1, 0) %> <%= a.fetch(1) %> <%= a.fetch(10, 'z') %> <%= a.rotate(2).inspect %>\n")
case('arr-assign', "<% a = [1, 2, 3]; a[0] = 9; a[5] = 6; b, c = a; d, *e = [1, 2, 3]; f, (g, h) = 1, [2, 3] -%><%= a.inspect %> <%= b %> <%= c %> <%= d %> <%= e.inspect %> <%= f %><%= g %><%= h %>\n")
case('arr-destructure-block', "<% [[1, [2, 3]], [4, [5, 6]]].each do |a, (b, c)| -%><%= a + b + c %> <% end %>\n<% {'x' => [1, 2]}.each do |k, (v1, v2)| %><%= k %><%= v1 %><%= v2 %><% end %>\n")
case('arr-compare', "<%= [1, 2] == [1, 2] %> <%= [1, 2] <=> [1, 3] %> <%= [[1, 'b'], [1, 'a']].sort.first.inspect %> <%= [3, 1] .sort!.inspect %> <%= [1, 2, 3].reverse_each.to_a.inspect %>\n")
case('arr-chunk-slice-when', "<%= [1, 2, 4, 5, 7].chunk_while { |a, b| b == a + 1 }.to_a.inspect %> <%= [1, 2, 4, 5, 7].slice_when { |a, b| b != a + 1 }.map(&:size).inspect %>\n")
case('arr-misc', "<%= [1, 2, 3].first(0).inspect %> <%= Array(nil).inspect %> <%= Array([1]).inspect %> <%= Array('a').inspect %> <%= Array.new(3) { |i| i * i }.inspect %> <%= Array.new(2, 'x').inspect %> <%= [nil, false, 1].compact.inspect %> <%= [3, 5, 2].max(2).inspect rescue 'max-n' %>\n")

# ---- hashes ---------------------------------------------------------------------------
case('hash-basic', "<% h = {'b' => 2, 'a' => 1} -%><%= h['a'] %> <%= h['z'].inspect %> <%= h.keys.inspect %> <%= h.values.inspect %> <%= h.size %> <%= h.key?('a') %> <%= h.include?('z') %> <%= h.value?(2) %> <%= h.fetch('b') %> <%= h.fetch('z', 0) %> <%= h.fetch('z') { |k| k * 2 } %> <%= h.dig('a') %> <%= h.to_a.inspect %> <%= h.sort.inspect %> <%= h.min_by { |k, v| v }.inspect %> <%= h.invert.inspect %> <%= h.key(2) %>\n")
case('hash-iteration', "<% h = {'x' => 1, 'y' => 2} -%><% h.each do |k, v| %><%= k %>=<%= v %>;<% end %> <% h.each_pair { |k, v| %><%= k %><% } %> <%= h.map { |k, v| \"#{k}#{v}\" }.join('&') %> <% h.each_with_index do |(k, v), i| %><%= i %><%= k %><% end %> <%= h.sum { |k, v| v } %> <%= h.count { |k, v| v > 1 } %> <%= h.find { |k, v| v == 2 }.inspect %> <%= h.sort_by { |k, v| -v }.first.inspect %> <%= h.each_with_object({}) { |(k, v), acc| acc[v] = k }.inspect %>\n")
case('hash-transform', "<% h = {'a' => 1, 'b' => 2, 'c' => nil} -%><%= h.select { |k, v| v && v > 1 }.inspect %> <%= h.reject { |k, v| v.nil? }.inspect %> <%= h.compact.inspect %> <%= h.transform_values { |v| v.to_s }.inspect %> <%= h.transform_keys(&:to_sym).inspect %> <%= h.to_h { |k, v| [k.upcase, v] }.inspect %> <%= h.slice('a', 'z').inspect %> <%= h.except('a').inspect %> <%= h.filter_map { |k, v| k if v }.inspect %> <%= h.any? { |k, v| v.nil? } %> <%= h.all? { |k, v| k.is_a?(String) } %>\n")
case('hash-merge', "<% a = {'x' => 1, 'n' => {'p' => 1}}; b = {'y' => 2, 'x' => 3} -%><%= a.merge(b).inspect %> <%= a.merge(b) { |k, o, n| o + n }.inspect %> <% a.merge!('z' => 0) -%><%= a.inspect %> <% a.delete('z') -%><%= a.keys.inspect %> <%= a.update('q' => 1).size %>\n")
case('hash-default', "<% h = Hash.new(0); %w[a b a].each { |w| h[w] += 1 } -%><%= h.inspect %> <% g = Hash.new { |hash, k| hash[k] = k * 2 } -%><%= g['ab'] %> <%= g.inspect %> <%= h['zz'] %> <%= h.fetch('zz', 'none') %>\n")
case('hash-symbol-keys', "<% h = {name: 'x', 'str' => 1, :\"with-dash\" => 2} -%><%= h[:name] %> <%= h.inspect %> <%= h.keys.map(&:class).inspect %> <%= {a: {b: {c: 1}}}.dig(:a, :b, :c) %>\n")
case('hash-nested-build', "<% cfg = {} ; cfg['db'] ||= {}; cfg['db']['host'] = 'h'; cfg['list'] ||= []; cfg['list'] << 1; cfg['list'] += [2] -%><%= cfg.inspect %>\n")
case('hash-group-by-partition', "<% items = [{'t' => 'a', 'v' => 1}, {'t' => 'b', 'v' => 2}, {'t' => 'a', 'v' => 3}] -%><%= items.group_by { |i| i['t'] }.transform_values { |l| l.sum { |i| i['v'] } }.inspect %> <%= items.partition { |i| i['v'] > 1 }.map(&:size).inspect %> <%= items.map { |i| i['v'] }.each_slice(2).to_a.inspect %>\n")
case('hash-sort-to-h', "<% h = {'b' => 1, 'a' => 2} -%><%= h.sort.to_h.inspect %> <%= h.sort_by { |k, v| v }.to_h.keys.inspect %> <%= h.min_by { |_, v| v }.first %> <%= h.to_a.flatten.inspect %> <%= Hash[[['k', 'v']]].inspect %>\n")

# ---- control flow --------------------------------------------------------------------
case('if-elsif-else', "<% [1, 5, 15].each do |n| -%><% if n < 3 %>small<% elsif n < 10 %>mid<% else %>big<% end %> <% end %>\n")
case('unless-else', "<% unless false %>a<% else %>b<% end %><% unless true %>c<% else %>d<% end %>\n")
case('modifiers', "<% x = 5 -%><%= 'pos' if x > 0 %><%= 'neg' unless x > 0 %> <% y = 1; y += 1 while y < 10 -%><%= y %> <% z = 10; z -= 3 until z < 0 -%><%= z %>\n")
case('case-when-values', "<% %w[a b z].each do |v| -%><%= case v when 'a', 'A' then 1 when 'b' then 2 else 0 end %><% end %>\n")
case('case-when-ranges-classes', "<% [5, 50, 'x', 1.5, nil, [1]].each do |v| -%><%= case v\n when 0..9 then 'digit'\n when Integer then 'int'\n when String then 'str'\n when Float then 'float'\n when nil then 'nil'\n else 'other'\n end %> <% end %>\n")
case('case-when-regex', "<% %w[web-1 db-2 other].each do |n| %><% case n %><% when /^web/ %>W<% when /^db/ %>D<% else %>?<% end %><% end %>\n")
case('case-no-subject', "<% v = 7 -%><% case -%><% when v > 10 -%>big<% when v > 5 -%>medium<% else -%>small<% end %>\n")
case('ternary-nested', "<% [1, 2, 3].each do |i| %><%= i == 1 ? 'one' : i == 2 ? 'two' : 'many' %> <% end %>\n")
case('boolean-ops', "<%= nil || 'd' %> <%= false && 'x' %> <%= 1 && 2 %> <%= !nil %> <%= (not true) %> <%= (true and false) %> <%= (nil or 'o') %> <% a = nil; a ||= 5; b = 1; b &&= 9 -%><%= a %> <%= b %> <%= nil.to_a.empty? && 'empty' %>\n")
case('while-until-loop', "<% i = 0; out = []; while i < 3 do out << i; i += 1; end -%><%= out.inspect %> <% j = 0; until j >= 2; j += 1; end -%><%= j %> <% k = 0; loop do k += 1; break if k > 4; end -%><%= k %> <% n = 0; begin; n += 1; end while n < 3 -%><%= n %>\n")
case('next-break-in-blocks', "<%= [1, 2, 3, 4].map { |x| next 0 if x.even?; x }.inspect %> <%= [1, 2, 3, 4].each { |x| break x * 10 if x == 3 } %> <% r = [5, 6].each do |x| %><% next if x == 5 %>[<%= x %>]<% end %>\n")
case('for-loop', "<% for i in 1..3 do %><%= i %><% end %> <% for k, v in {'a' => 1} %><%= k %><%= v %><% end %> <%= i %>\n")
case('comparison-ops', "<%= 1 <=> 2 %> <%= 'b' <=> 'a' %> <%= 1 == 1.0 %> <%= 1.eql?(1.0) %> <%= 2 >= 2 %> <%= nil == false %> <%= [1] != [1] %> <%= 5.between?(1, 5) %> <%= 3 === 3 %> <%= Integer === 3 %> <%= (1..3) === 2 %> <%= /a/ === 'cat' %>\n")
case('safe-navigation', "<% x = nil -%>[<%= x&.length %>] [<%= 'abc'&.length %>] [<%= {'a' => nil}['a']&.upcase.inspect %>]\n")
case('multiple-statements-one-tag', "<% a = 1; b = 2; c = a + b %><%= c %><% d = [a, b, c].map { |x| x * x }; e = d.sum %> <%= e %>\n")
case('defined-and-respond-to', "<%= defined?(foo).inspect %> <% bar = 1 %><%= defined?(bar) %> <%= defined?(String) %> <%= 'x'.respond_to?(:upcase) %> <%= 1.respond_to?(:upcase) %> <%= defined?(p) %>\n")
case('block-local-vars', "<% total = 0; [1, 2].each { |x| total += x }; y = 10; [1].each { |y2| y = y2 } -%><%= total %> <%= y %>\n")
case('object-methods', "<%= 1.class %> <%= 'a'.class %> <%= nil.class %> <%= [].class %> <%= {}.class %> <%= 1.5.class %> <%= :s.class %> <%= (1..2).class %> <%= true.class %> <%= 1.is_a?(Integer) %> <%= 1.is_a?(Numeric) %> <%= 1.kind_of?(Comparable) %> <%= 'x'.instance_of?(String) %> <%= [].is_a?(Enumerable) %> <%= nil.nil? %> <%= 5.then { |x| x + 1 } %> <%= [1].tap { |a| a << 2 }.inspect %> <%= 'abc'.send(:upcase) %> <%= 2.public_send(:+, 3) %>\n")
case('blank-present', "<%= ''.blank? %> <%= ' '.blank? %> <%= 'a'.blank? %> <%= [].blank? %> <%= {}.present? %> <%= nil.present? %> <%= 0.blank? %> <%= false.blank? %> <%= ''.presence.inspect %> <%= 'x'.presence %>\n")

# ---- def / class / exceptions ----------------------------------------------------------
case('def-defaults-kwargs', "<%\n  def greet(name, greeting = 'hi', *rest, punct: '!', **opts)\n    \"#{greeting} #{name}#{punct} #{rest.inspect} #{opts.inspect}\"\n  end\n-%><%= greet('a') %>\n<%= greet('b', 'yo', 1, 2, punct: '?', x: 1) %>\n")
case('def-recursion', "<% def fact(n) n <= 1 ? 1 : n * fact(n - 1) end -%><%= fact(10) %> <% def fib(n); return n if n < 2; fib(n - 1) + fib(n - 2); end -%><%= fib(15) %>\n")
case('def-yield-block', "<%\n  def twice\n    yield 1\n    yield 2\n  end\n  def with_block(&blk) blk.call(5) end\n  def maybe; block_given? ? yield : 'none'; end\n-%><% twice do |i| %>[<%= i %>]<% end %> <%= with_block { |x| x * 3 } %> <%= maybe %> <%= maybe { 'given' } %>\n")
case('def-uses-api', "<%\n  def port_line(key)\n    \"#{key}=#{p(key)}\"\n  end\n-%><%= port_line('port') %> <%= port_line('host') %>\n", props="port:\n    default: 80\n  host:\n    default: h.local\n")
case('def-return-early', "<% def classify(x)\n  return 'none' if x.nil?\n  return 'many' if x.size > 2\n  'few'\nend -%><%= classify(nil) %> <%= classify([1]) %> <%= classify([1, 2, 3]) %>\n")
case('class-accessors-inheritance', "<%\n  class Base\n    attr_reader :name\n    def initialize(name) @name = name end\n    def describe; \"#{kind}:#{name}\"; end\n    def kind; 'base'; end\n  end\n  class Child < Base\n    attr_accessor :extra\n    def kind; 'child'; end\n    def describe; super + \"+#{extra}\"; end\n  end\n  c = Child.new('c'); c.extra = 'e'\n-%><%= Base.new('b').describe %> <%= c.describe %> <%= c.is_a?(Base) %> <%= c.class %>\n")
case('class-constants-and-self-methods', "<%\n  module Util\n    SEP = '/'\n    def self.join(*parts) parts.join(SEP) end\n  end\n  LIMIT = 3\n-%><%= Util.join('a', 'b') %> <%= Util::SEP %> <%= LIMIT %>\n")
case('class-to-s-comparable', "<%\n  class Ver\n    include Comparable\n    attr_reader :n\n    def initialize(n) @n = n end\n    def <=>(o) n <=> o.n end\n    def to_s; \"v#{n}\" end\n  end\n  vs = [Ver.new(3), Ver.new(1), Ver.new(2)]\n-%><%= vs.sort.map(&:to_s).join(',') %> <%= vs.max %> <%= \"#{vs.min}\" %>\n")
case('begin-rescue-ensure', "<% log = []\nr = begin\n  log << 'try'\n  raise ArgumentError, 'bad arg'\nrescue TypeError => e\n  'type'\nrescue ArgumentError => e\n  \"caught #{e.message} #{e.class}\"\nelse\n  'else'\nensure\n  log << 'ensure'\nend -%><%= r %> <%= log.inspect %>\n")
case('rescue-else-and-retry-free', "<% r = begin; 1; rescue; 2; else; 3; end -%><%= r %> <% x = (Integer('zz') rescue -1) -%><%= x %> <% y = Integer('12') rescue 0 -%><%= y %>\n")
case('rescue-standard-error-default', "<% msg = begin\n  nil.upcase\nrescue => e\n  e.class.to_s\nend -%><%= msg %> <% z = begin; 1 / 0; rescue ZeroDivisionError => e; e.message; end -%><%= z %>\n")
case('custom-exception-class', "<%\n  class ConfigError < StandardError; end\n  begin\n    raise ConfigError, 'bad config'\n  rescue ConfigError => e\n    @msg = \"#{e.class}: #{e.message}\"\n  end\n-%><%= @msg %> <% begin; raise ConfigError; rescue StandardError => e; %><%= e.message %><% end %>\n")
case('raise-custom-message-error', "ok\n<% raise ArgumentError, \"port #{p('port')} out of range\" if p('port') > 1000 %>\n", props="port:\n    default: 8080\n")
case('raise-runtime-in-def', "<%\n  def check(v)\n    raise \"invalid value: #{v}\" unless v.is_a?(Integer)\n    v\n  end\n-%>\n<%= check(1) %>\n<%= check('x') %>\n")
case('rescue-unknown-property-by-class', "<% v = begin; p('missing'); rescue UnknownProperty => e; \"full:#{e.message}\"; end -%><%= v %> <% w = begin p('missing') rescue StandardError; 'std' end %><%= w %>\n", props="missing: {}\n")
case('exception-in-block-line', "a\n<% [1, 2].each do |x| -%>\n<%= x %>\n<%= p(\"item_#{x}\") %>\n<% end -%>\n", props="item_1:\n    default: one\n")
case('key-error-message', "<%= {'a' => 1}.fetch('b') %>\n")
case('zero-division-error', "x\n<%= 1 / 0 %>\n")
case('integer-parse-error', "<%= Integer('12abc') %>\n")
case('lambda-proc', "<% sq = ->(x) { x * x }; add = lambda { |a, b| a + b }; pr = proc { |a, b| \"#{a}-#{b}\" } -%><%= sq.call(4) %> <%= sq.(3) %> <%= add[1, 2] %> <%= pr.call(1) %> <%= [1, 2].map(&sq).inspect %>\n")
case('catch-throw-and-loop-stop', "<% r = catch(:done) do\n  10.times { |i| throw :done, i if i == 3 }\n  :never\nend -%><%= r %>\n")
case('instance-vars-top-level', "<% @count = 0; [1, 2, 3].each { @count += 1 } -%><%= @count %> <%= @unset.inspect %>\n")
case('methods-on-integers-in-defs', "<% def pct(a, b) (a.to_f / b * 100).round(1) end -%><%= pct(1, 3) %>% <%= pct(2, 2) %>%\n")

# ---- JSON / YAML ------------------------------------------------------------------------
case('json-scalars', "<%= 'a\"b'.to_json %> <%= nil.to_json %> <%= 1.to_json %> <%= 1.5.to_json %> <%= true.to_json %> <%= [1, 'two', nil, 3.0].to_json %> <%= {'k' => {'n' => []}}.to_json %> <%= :sym.to_json %> <%= \"tab\\there\\nnl\\u0001/é\".to_json %>\n")
case('json-floats', "<%= [1.0, 100.0, 1e15, 1e16, 1e20, 1.5e-7, 0.0001, 0.00001, 123456789.123456, -0.0, 1e-10, 12345678901234567.0, 0.1 + 0.2, 2.5e-5].to_json %>\n")
case('json-pretty', "<%= JSON.pretty_generate({'a' => [], 'b' => {}, 'c' => [1, {'d' => nil, 'e' => [true, false]}], 'f' => 'x', 'g' => [[]]}) %>\n<%= JSON.pretty_generate([]) %> <%= JSON.pretty_generate({}) %> <%= JSON.pretty_generate('s') %>\n")
case('json-dump-generate', "<%= JSON.dump({'a' => 1, :b => [nil]}) %> <%= JSON.generate([1, 2]) %> <%= JSON.dump('str') %> <%= JSON.dump(nil) %> <%= JSON.generate({1 => 'int key', nil => 'nil key'}) %>\n")
case('json-parse', "<% d = JSON.parse('{\"a\": [1, 2.5, null, true], \"b\": {\"c\": \"d\"}}') -%><%= d['a'].inspect %> <%= d['b']['c'] %> <%= d.keys.inspect %> <%= JSON.parse('[1]', symbolize_names: true).inspect %> <%= JSON.parse('{\"k\": 1}', symbolize_names: true).inspect %>\n")
case('json-of-properties', "<%= p('cfg').to_json %>\n<%= JSON.pretty_generate(p('cfg')) %>\n", props="cfg:\n    default:\n      zeta: 1\n      alpha:\n        nested: [1, 2]\n        empty: {}\n      mid: ~\n")
case('yaml-strings-quoting', "<%= ['plain', 'with: colon', 'hash #comment', 'a#b', '/path', '-dash', '- item', '@at', '*star', '&amp', '!bang', '%pct', '`tick', '?q', 'q?', ':sym', 'true', 'no', 'yes', 'on', 'null', '~', '', ' lead', 'trail ', '1.5', '1', '0755', '089', '1e3', '1_000', '2001-01-01', '2001-01-01 10:00:00', 'y', 'n', 'Y', '<<', \"quote'single\", 'quote\"double', \"tab\\tx\", '{brace', '[bracket', 'x]', 'a,b', '0x1F', '.5', '+1', '-1', '.inf', 'é'].to_yaml %>")
case('yaml-multiline', "<%= {'script' => \"#!/bin/sh\\necho hi\\n\", 'nochomp' => \"a\\nb\", 'keep' => \"a\\n\\n\", 'lead' => \"  indented\\nx\", 'one' => \"x\\n\", 'list' => [\"l1\\nl2\"]}.to_yaml %>")
case('yaml-long-strings-fold', "<%= {'long' => ('word ' * 30).strip, 'longq' => 'yes ' + ('x' * 90), 'path' => '/a/' + ('b' * 100), 'key' => ('lorem ipsum ' * 12).strip + ': x'}.to_yaml %>")
case('yaml-nested-structures', "<%= {'a' => [[1, 2], [], {}, [{'b' => nil, 'c' => [3]}]], 'd' => {'e' => {'f' => {}}}, :sym => :val, 1 => 1.5, true => nil, 'n' => [nil, false]}.to_yaml %><%= [].to_yaml %><%= 'scalar'.to_yaml %><%= 42.to_yaml %><%= nil.to_yaml %><%= YAML.dump([{'x' => 1}]) %>")
case('yaml-of-properties', "<%= p('cfg').to_yaml %>", props="cfg:\n    default:\n      servers:\n      - name: a\n        port: 1\n      - name: b\n        tags: []\n      opts:\n        enabled: yes\n        mode: \"0644\"\n      flag: false\n")
case('yaml-load', "<% d = YAML.load(\"a: 1\\nb: [x, yes, '0755', 0755, ~]\\nc:\\n  d: 1.5\\n\") -%><%= d.inspect %>\n")

# ---- spec YAML 1.1 defaults -----------------------------------------------------------
case('spec-yaml11-scalars', "<% %w[y1 y2 y3 n1 n2 oct hex bin under sexa flt flt2 inf nul tilde str sym date quoted empty].each do |k| -%><%= k %>=<%= p(k, 'NIL').inspect %>\n<% end -%>",
     props="y1:\n    default: yes\n  y2:\n    default: On\n  y3:\n    default: TRUE\n  n1:\n    default: no\n  n2:\n    default: off\n  oct:\n    default: 0755\n  hex:\n    default: 0x1F\n  bin:\n    default: 0b101\n  under:\n    default: 1_000\n  sexa:\n    default: 1:30\n  flt:\n    default: 1.5e+3\n  flt2:\n    default: .5\n  inf:\n    default: .inf\n  nul:\n    default: null\n  tilde:\n    default: ~\n  str:\n    default: plain text\n  sym:\n    default: :symbol\n  date:\n    default: '2024-01-01'\n  quoted:\n    default: \"yes\"\n  empty:\n    default: ''\n")
case('spec-anchors-merge', "<%= p('a').inspect %> <%= p('b').inspect %>\n", props="a:\n    default: &base\n      x: 1\n      y: 2\n  b:\n    default:\n      <<: *base\n      y: 3\n")
case('spec-block-scalars', "<%= p('script') %>|<%= p('folded') %>|<%= p('kept').inspect %>\n", props="script:\n    default: |\n      line 1\n        line 2\n  folded:\n    default: >\n      one\n      two\n  kept:\n    default: |+\n      k\n\n")

# ---- evaluation API -------------------------------------------------------------------
case('p-nested-and-defaults', "<%= p('db.host') %> <%= p('db.port') %> <%= p('db.user', 'anon') %> <%= p('db.opts').inspect %> <%= p('db').keys.inspect %>\n",
     props="db.host:\n    default: localhost\n  db.port:\n    default: 5432\n  db.user: {}\n  db.opts:\n    default:\n      b: 1\n      a: 2\n", manifest={"db": {"port": 6543}})
case('p-false-zero-empty', "<%= p('f').inspect %> <%= p('z') %> <%= p('e').inspect %> <%= p('l').inspect %> <%= p('h').inspect %>\n",
     props="f:\n    default: true\n  z:\n    default: 5\n  e:\n    default: x\n  l:\n    default: [1]\n  h:\n    default: {a: 1}\n", manifest={"f": False, "z": 0, "e": "", "l": [], "h": {}})
case('p-default-nil-explicit', "[<%= p('unset', nil).inspect %>] [<%= p('unset', false) %>] [<%= p(['unset', 'also'], 'd') %>] [<%= p(['unset', 'set']) %>]\n", props="unset: {}\n  also: {}\n  set:\n    default: here\n")
case('p-string-index-quirk', "<%= p('s.ell').inspect %> <%= p('s.zz', 'none') %> <%= p('') .keys.inspect %>\n", props="s:\n    default: hello\n")
case('p-undeclared-manifest-key', "<%= p('declared') %> <%= p('undeclared', 'invisible') %>\n", props="declared:\n    default: d\n", manifest={"undeclared": "set", "declared": "m"})
case('p-array-of-hashes-not-sorted-inside', "<%= p('list').inspect %> <%= p('map').inspect %>\n", props="list:\n    default: []\n  map:\n    default: {}\n", manifest={"list": [{"z": 1, "a": 2}], "map": {"z": {"y": 1, "b": 2}, "a": [{"d": 1, "c": 2}]}})
case('p-mutation-visible-later', "<% p('list') << 'added' -%><%= p('list').inspect %>\n", props="list:\n    default: [a]\n")
case('if-p-multi-and-else-chains', "<% if_p('a', 'b') do |a, b| %>both:<%= a %><%= b %><% end.else do %>not-both<% end %> <% if_p('missing') { |m| %>no<% }.else_if_p('a') { |a| %>elseif:<%= a %><% }.else { %>else<% } %> <% if_p('missing') { }.else_if_p('also_missing') { }.else { %>final-else<% } %> <%= if_p('missing') { }.else { 'value-of-else' } %>\n", props="a:\n    default: A\n  b:\n    default: B\n  missing: {}\n  also_missing: {}\n")
case('if-p-nil-false-values', "<% if_p('f') do |f| %>f=<%= f %><% end %> <% if_p('n') do |n| %>never<% end %>|<% if_p('nested.key') do |v| %>v=<%= v %><% end %>\n", props="f:\n    default: false\n  n: {}\n  nested.key:\n    default: deep\n")
case('spec-object-fields', "<%= spec.name %> <%= spec.index %> <%= spec.id %> <%= spec.az %> <%= spec.bootstrap %> <%= spec.deployment %> <%= spec.address %> <%= spec.ip %> <%= spec.dns_domain_name %> <%= spec.persistent_disk %> <%= spec.release.name %>/<%= spec.release.version %> <%= spec.job.name %> <%= spec.job.templates.first.name %> <%= spec.nope.inspect %> <%= name %> <%= index %>\n")
case('spec-networks-iteration', "<%= spec.networks.marshal_dump.keys.inspect %> <% spec.networks.to_h.each do |n, cfg| %><%= n %>=<%= cfg.ip %> <% end %> <%= spec.networks.methods(false).inspect %> <%= spec.networks.send(spec.networks.methods(false).first).ip %> <%= spec.networks['backend_net'].cloud_properties.name %> <%= spec.networks.private.respond_to?(:ip) %> <%= spec.networks.private.dig(:ip) rescue 'dig' %>\n")
case('spec-properties-and-raw', "<%= spec.properties.a.b %> <%= properties.a.b %> <%= properties.nope.inspect %> <%= raw_properties['a']['b'] %> <%= properties.a.to_h.inspect %>\n", props="a.b:\n    default: 1\n")
case('spec-unset-fields', "[<%= spec.az.inspect %>] [<%= spec.address %>]\n", ctx={"az": None, "address": None})
case('link-properties-and-instances', "<% db = link('db') -%><%= db.p('port') %> <%= db.p('tls.enabled') %> <%= db.p('tls.ca') %> <%= db.p('nope', 'dflt') %> <%= db.p(['nope', 'port']) %> <%= db.instances.map(&:address).join(',') %> <%= db.instances.map { |i| \"#{i.name}/#{i.index}/#{i.id}/#{i.az}/#{i.bootstrap}\" }.join(' ') %> <%= db.properties.keys.sort.inspect %> <% db.if_p('tls.enabled', 'port') do |t, pt| %>tls:<%= t %>:<%= pt %><% end %>\n",
     consumes="- name: db\n  type: database\n", links={"db": DB_LINK}, dns=DNS)
case('link-address-variants', "<%= link('db').address %> <%= link('db').address(azs: ['z2']) %> <%= link('db').address(status: 'unhealthy') %> <%= link('db').address(initial_health_check: 'asynchronous', azs: ['z1', 'z2']) %> <%= link('db').instances.first.address %>\n",
     consumes="- name: db\n  type: database\n", links={"db": DB_LINK}, dns=DNS)
case('link-dns-link-names-short', "<%= link('db').address %> <%= link('db').address(azs: ['z1']) %>\n",
     consumes="- name: db\n  type: database\n", links={"db": dict(DB_LINK, use_link_dns_names=True, use_short_dns_addresses=True)}, dns=DNS)
case('link-dns-link-names-long', "<%= link('db').address %>\n",
     consumes="- name: db\n  type: database\n", links={"db": dict(DB_LINK, use_link_dns_names=True)}, dns=DNS)
case('if-link-else-if-link', "<% if_link('cache') do |c| %>cache<% end.else_if_link('db') do |d| %>db:<%= d.p('port') %><% end.else do %>none<% end %> <% if_link('cache') { |c| }.else { %>no-cache<% } %> <% if_link('db') { |d| %><%= d.instances.size %><% } %>\n",
     consumes="- name: db\n  type: database\n- name: cache\n  type: redis\n  optional: true\n", links={"db": DB_LINK}, dns=DNS)
case('link-instance-p-default', "<%= link('db').instances.first.p('x', 'fallback') %> <% link('db').instances.first.if_p('x') { }.else { %>inst-else<% } %>\n",
     consumes="- name: db\n  type: database\n", links={"db": DB_LINK}, dns=DNS)
case('link-unknown-error', "<%= link('db').p('port') %>\n<%= link('nope').p('x') %>\n", consumes="- name: db\n  type: database\n", links={"db": DB_LINK}, dns=DNS)
case('link-p-unknown-error', "<%= link('db').p('missing.prop') %>\n", consumes="- name: db\n  type: database\n", links={"db": DB_LINK}, dns=DNS)
case('unknown-property-in-def', "<%\n  def need(k)\n    p(k)\n  end\n-%>\n<%= need('there') %>\n<%= need('missing') %>\n", props="there:\n    default: 1\n  missing: {}\n")
case('unknown-property-nested-name', "<%= p('a.b.c') %>\n", props="a.b.c: {}\n")
case('unknown-property-array-names-three', "<%= p(['x', 'y'], 'ignored', 'extra') %>\n", props="x: {}\n  y: {}\n")
case('invalid-property-type-integer', "<%= p('a.b') %>\n", props="a.b: {}\n", manifest={"a": 5})
case('invalid-property-type-array', "<%= p('a.b.c') %>\n", props="a.b.c: {}\n", manifest={"a": {"b": [1]}})
case('property-hash-sorted-recursively', "<%= p('h').inspect %> <%= p('h').keys.join %>\n", props="h: {}\n", manifest={"h": {"z": 1, "m": {"y": 1, "b": 2}, "a": [{"z": 0, "a": 1}]}})
case('property-tree-spec-order', "<%= p('svc').keys.inspect %> <%= p('svc').inspect %>\n", props="svc.zport:\n    default: 1\n  svc.aname:\n    default: x\n  svc.mid: {}\n")
case('monit-uses-spec', "cfg\n", monit="check process <%= name %>-<%= index %>\n  with pidfile /var/vcap/sys/run/<%= spec.job.name %>.pid\n<% if p('enabled') -%>\n  group vcap\n<% end -%>\n", props="enabled:\n    default: true\n")
case('monit-empty', "x\n", monit="")

# ---- ERB dialect ---------------------------------------------------------------------
case('erb-trim-in-loops', "<% [1, 2].each do |i| -%>\n  item <%= i %>\n<% end -%>\n<%- [3].each do |i| -%>\n    <%- if i -%>\n  three\n    <%- end -%>\n<%- end -%>\nend\n")
case('erb-crlf', "a\r\n<% x = 1 -%>\r\nb <%= x %>\r\n")
case('erb-percent-lines-and-literals', "% not a ruby line\n%% also text\n<%% literal %>\n100% sure <%= '%' %>\n")
case('erb-comment-variants', "<%# single %>a<%#\n multi\n line\n%>b<%# trailing -%>\nc\n<%= 1 # ruby comment inside output\n%>\n")
case('erb-ruby-comment-in-code-tag', "<% x = 1 # comment %>after\nnext line <%= x %>\n")
case('erb-tags-only-whitespace', "  <% x = 1 %>  \n  <%- y = 2 -%>\n  <%= x + y %>\n")
case('erb-output-nil-false', "[<%= nil %>][<%= false %>][<%= [nil] %>][<%= '' %>]\n")
case('erb-multiline-code', "<%\n  items = %w[a b c]\n  joined = items\n    .map(&:upcase)\n    .join('-')\n-%>\n<%= joined %>\n")
case('erb-do-block-spanning-tags', "<% {'x' => [1, 2], 'y' => [3]}.each do |k, vs| -%>\n[<%= k %>]\n<%   vs.each do |v| -%>\n  v=<%= v %>\n<%   end -%>\n<% end -%>\n")
case('erb-unicode-and-bom', "\ufeffunicode: ✓ é 中文 <%= '✓'.length %> <%= 'é'.bytes.length %>\n")
case('erb-trailing-no-newline', "no newline at end <%= 1 %>")
case('erb-empty-template', "")
case('erb-dash-not-trim-outside', "a -%> b %> c\n")
case('erb-nested-quotes-in-tag', "<%= \"he said \\\"%%>\\\"\" %>|<%= 'it''s' %>\n")

# ---- stdlib ----------------------------------------------------------------------------
case('base64', "<%= Base64.encode64('a' * 50) %>|<%= Base64.strict_encode64('hello world') %>|<%= Base64.decode64('aGVsbG8=') %>|<%= Base64.urlsafe_encode64('??>>') %>|<%= Base64.strict_decode64('d29ybGQ=') %>|<%= ['abc'].pack('m0') %>|<%= 'YWJj'.unpack1('m0') %>\n")
case('digests', "<%= Digest::SHA256.hexdigest('x') %> <%= Digest::SHA1.hexdigest('x') %> <%= Digest::MD5.hexdigest('x') %> <%= OpenSSL::Digest::SHA256.hexdigest('x')[0, 8] %> <%= Digest::SHA512.hexdigest('x')[0, 16] %> <%= Digest::SHA256.base64digest('x') %>\n")
case('ipaddr', "<% net = IPAddr.new('10.20.30.0/24') -%><%= net %> <%= net.include?(IPAddr.new('10.20.30.7')) %> <%= net.include?('10.20.31.1') %> <%= net.to_range.first %> <%= net.to_range.last %> <%= IPAddr.new('10.1.2.3/16').to_s %> <%= IPAddr.new('192.168.1.1').ipv4? %> <%= IPAddr.new('::1').ipv6? %> <%= IPAddr.new('fd00::1/64').to_s %> <%= IPAddr.new('10.0.0.1').to_i %> <%= IPAddr.new('10.0.0.1').succ %> <%= IPAddr.new('10.0.0.0/8').prefix rescue 'prefix' %> <%= IPAddr.new('10.0.0.5').mask(24) %>\n")
case('uri', "<% u = URI.parse('https://user:pw@example.com:8443/p/a?q=1#frag') -%><%= u.scheme %> <%= u.host %> <%= u.port %> <%= u.path %> <%= u.query %> <%= u.fragment %> <%= u.user %> <%= u.password %> <%= URI.parse('http://h/').port %> <%= URI.parse('https://h').port %> <%= u %> <%= URI.encode_www_form_component('a b&c/é~') %>\n")
case('shellwords-erb-util-cgi', "<%= Shellwords.escape(\"it's a $test\") %> <%= 'x y'.shellescape %> <%= Shellwords.join(['a b', 'c']) %> <%= ''.shellescape %> <%= ERB::Util.url_encode('a b&c=d/é~') %> <%= ERB::Util.html_escape('<a href=\"x\">&\\'</a>') %> <%= CGI.escape('a b&c/~') %> <%= CGI.unescape('a+b%26c') %> <%= CGI.escapeHTML('<&>') %>\n")
case('require-noops', "<% require 'json'; require 'yaml'; require 'base64'; require 'ipaddr'; require 'uri'; require 'shellwords' -%>ok <%= JSON.generate([1]) %>\n")
case('math-and-misc', "<%= Math.sqrt(16) %> <%= Math.log10(1000) %> <%= Math.log2(8) %> <%= Float::INFINITY > 1 %> <%= Integer.sqrt(17) rescue 'isqrt' %> <%= 10.0.nan? %> <%= (0.0 / 0.0).nan? %>\n")
case('openstruct', "<% o = OpenStruct.new('a' => 1, 'b' => {'c' => 2}) -%><%= o.a %> <%= o.b['c'] %> <%= o.zz.inspect %> <% o.d = 4 -%><%= o.d %> <%= o.to_h.inspect %> <%= o.respond_to?(:a) %> <%= o['a'] %>\n")
case('integer-float-conversions', "<%= Integer('0x1f') %> <%= Integer('0b11') %> <%= Integer('017') %> <%= Integer(' 42 ') %> <%= Integer(3.99) %> <%= Float('1.5') %> <%= Float(3) %> <%= String(12) %> <%= Integer('1_000') %> <%= Integer('ff', 16) %>\n")

# ---- a few realistic templates ------------------------------------------------------------
case('real-bpm-yml', "<%\n  bpm = {\n    'processes' => [{\n      'name' => 'server',\n      'executable' => '/var/vcap/packages/server/bin/server',\n      'args' => ['--config', '/var/vcap/jobs/server/config/server.yml'],\n      'env' => p('env'),\n      'limits' => { 'memory' => p('memory_limit') },\n    }]\n  }\n  if_p('extra_volume') do |v|\n    bpm['processes'][0]['additional_volumes'] = [{ 'path' => v, 'writable' => true }]\n  end\n-%>\n<%= YAML.dump(bpm) %>",
     props="env:\n    default: {}\n  memory_limit:\n    default: 1G\n  extra_volume: {}\n", manifest={"env": {"Z_VAR": "1", "A_VAR": "two words", "PORT": 8080}, "extra_volume": "/var/vcap/store/x"})
case('real-config-json', "<%\n  servers = link('db').instances.map { |i| { 'host' => i.address, 'port' => link('db').p('port') } }\n  config = {\n    'log_level' => p('log_level'),\n    'servers' => servers,\n    'tls' => p('tls.enabled') ? { 'ca' => p('tls.ca'), 'skip_verify' => false } : nil,\n    'timeouts' => { 'read' => p('timeout') * 1.5, 'write' => p('timeout') },\n  }.compact\n-%>\n<%= JSON.pretty_generate(config) %>\n",
     props="log_level:\n    default: info\n  tls.enabled:\n    default: true\n  tls.ca:\n    default: |\n      -----BEGIN CERTIFICATE-----\n      MIIB\n      -----END CERTIFICATE-----\n  timeout:\n    default: 10\n",
     consumes="- name: db\n  type: database\n", links={"db": DB_LINK}, dns=DNS)
case('real-ctl-script', "#!/bin/bash\nset -e\n\nRUN_DIR=/var/vcap/sys/run/<%= name %>\nLOG_DIR=/var/vcap/sys/log/<%= name %>\n<% if p('debug') -%>\nset -x\n<% end -%>\n\ncase $1 in\n  start)\n    mkdir -p $RUN_DIR $LOG_DIR\n<% p('env').each do |k, v| -%>\n    export <%= k %>=<%= v.to_s.shellescape %>\n<% end -%>\n    exec /var/vcap/packages/app/bin/app \\\n      --port <%= p('port') %> \\\n      --peers <%= p('peers').join(',') %> \\\n      <%= p('flags').map { |f| \"--#{f}\" }.join(' ') %>\n    ;;\n  stop)\n    kill $(cat $RUN_DIR/pid)\n    ;;\nesac\n",
     props="debug:\n    default: false\n  env:\n    default: {}\n  port:\n    default: 8080\n  peers:\n    default: []\n  flags:\n    default: [verbose]\n", manifest={"env": {"B": "x y", "A": "it's"}, "peers": ["10.0.0.1", "10.0.0.2"], "debug": True})
case('real-nginx-conf', "<% upstreams = p('upstreams') -%>\nworker_processes <%= p('workers') %>;\nhttp {\n<% upstreams.each_with_index do |u, i| -%>\n  upstream backend_<%= i %> {\n<%   u['servers'].each do |s| -%>\n    server <%= s %><%= ' backup' if u['backup'] %>;\n<%   end -%>\n  }\n<% end -%>\n  server {\n    listen <%= p('port') %><%= ' ssl' if p('ssl') %>;\n    server_name <%= p('server_names').join(' ') %>;\n  }\n}\n",
     props="upstreams:\n    default: []\n  workers:\n    default: auto\n  port:\n    default: 443\n  ssl:\n    default: true\n  server_names:\n    default: [example.com, www.example.com]\n", manifest={"upstreams": [{"servers": ["a:1", "b:2"]}, {"servers": ["c:3"], "backup": True}]})
case('real-properties-file', "<% def flatten_props(h, prefix = nil, out = {})\n  h.each do |k, v|\n    key = prefix ? \"#{prefix}.#{k}\" : k.to_s\n    if v.is_a?(Hash)\n      flatten_props(v, key, out)\n    else\n      out[key] = v\n    end\n  end\n  out\nend -%>\n<% flatten_props(p('app')).each do |k, v| -%>\n<%= k %>=<%= v.is_a?(Array) ? v.join(',') : v %>\n<% end -%>\n",
     props="app:\n    default: {}\n", manifest={"app": {"server": {"port": 80, "hosts": ["a", "b"]}, "db": {"url": "jdbc:x", "pool": {"max": 10}}, "name": "svc"}})
case('real-haproxy-backends', "<% backends = link('db').instances.each_with_index.map { |inst, i| \"  server node#{i} #{inst.address}:#{link('db').p('port')} check#{' backup' unless inst.bootstrap}\" } -%>\nbackend db\n<%= backends.join(\"\\n\") %>\n",
     consumes="- name: db\n  type: database\n", links={"db": DB_LINK}, dns=DNS)
case('real-certificates', "<%= p('tls.certificate') %><%= p('tls.private_key').lines.first %><% p('trusted_cas').each do |ca| %>---\n<%= ca.strip %>\n<% end %>",
     props="tls.certificate: {}\n  tls.private_key: {}\n  trusted_cas:\n    default: []\n", manifest={"tls": {"certificate": "-----BEGIN CERT-----\nAAA\n-----END CERT-----\n", "private_key": "-----BEGIN KEY-----\nBBB\n-----END KEY-----\n"}, "trusted_cas": ["  CA1\n", "CA2"]})
case('real-dns-aliases-json', "<%\n  aliases = p('aliases').map do |domain, targets|\n    [domain, targets.map { |t| t.is_a?(Hash) ? \"#{t['query']}.#{t['domain']}\" : t }]\n  end.to_h\n-%><%= JSON.dump(aliases) %>\n", props="aliases:\n    default: {}\n", manifest={"aliases": {"svc.local": ["a.b", {"query": "q-s0", "domain": "x.bosh"}], "api.local": []}})
case('real-env-file-with-format', "<% p('limits').each do |name, value| -%>\n<%= format('%-20s %8s', name.upcase, value) %>\n<% end -%>\n", props="limits:\n    default:\n      nofile: 65536\n      nproc: unlimited\n      core: 0\n")
case('real-bosh-dns-health', "<% if p('health.enabled') -%>\nhealth: <%= JSON.dump({'port' => p('health.port'), 'max_tracked_queries' => p('health.max', 2000)}) %>\n<% else -%>\nhealth: disabled\n<% end -%>\nrecursors: <%= p('recursors', []).to_json %>\n", props="health.enabled:\n    default: true\n  health.port:\n    default: 8853\n  health.max: {}\n  recursors: {}\n")
case('real-uaa-clients-yaml', "<%\n  clients = p('clients').each_with_object({}) do |(id, c), acc|\n    acc[id] = {\n      'authorized-grant-types' => c['authorized-grant-types'] || 'client_credentials',\n      'scope' => (c['scope'] || '').split(',').map(&:strip),\n      'secret' => c['secret'],\n    }.reject { |_, v| v.nil? || v == [] }\n  end\n-%>\n<%= { 'oauth' => { 'clients' => clients } }.to_yaml %>",
     props="clients:\n    default: {}\n", manifest={"clients": {"cf": {"scope": "openid, cloud_controller.read", "authorized-grant-types": "password,refresh_token"}, "admin": {"secret": "s3cr3t!"}, "empty": {}}})
case('real-monit-multi-process', "x\n", monit="<% p('processes').each do |proc| -%>\ncheck process <%= proc %>\n  with pidfile /var/vcap/sys/run/bpm/<%= name %>/<%= proc %>.pid\n  start program \"/var/vcap/jobs/bpm/bin/bpm start <%= name %> -p <%= proc %>\"\n  stop program \"/var/vcap/jobs/bpm/bin/bpm stop <%= name %> -p <%= proc %>\"\n  group vcap\n<% end -%>\n", props="processes:\n    default: [web, worker]\n")
case('real-spec-id-bootstrap-logic', "<% if spec.bootstrap -%>\nleader\n<% else -%>\nfollower of <%= link('db').instances.find(&:bootstrap).address %>\n<% end -%>\nnode_id=<%= spec.id.split('-').first %>\n<%= spec.index.zero? ? 'first' : \"n#{spec.index}\" %>\n",
     consumes="- name: db\n  type: database\n", links={"db": DB_LINK}, dns=DNS)
case('real-string-building-heredoc', "<%\n  conf = +''\n  p('rules').each do |r|\n    conf << <<~RULE\n      rule #{r['name']} {\n        match #{r['match'].inspect};\n        action #{r.fetch('action', 'allow')};\n      }\n    RULE\n  end\n-%>\n<%= conf -%>\n# end\n", props="rules:\n    default: []\n", manifest={"rules": [{"name": "r1", "match": "a.*"}, {"name": "r2", "match": "b", "action": "deny"}]})
case('real-credhub-style-rescue', "<%\n  def optional(key)\n    p(key)\n  rescue UnknownProperty\n    nil\n  end\n-%>\nurl=<%= optional('url') || 'none' %>\nport=<%= optional('port') %>\n", props="url: {}\n  port:\n    default: 9000\n")

# more small checks to reach breadth
case('more-string-methods', "<%= 'Hello'.sub(/l/) { |m| m.upcase } %> <%= 'a.b.c'.split('.', 2).last %> <%= 'abc'.each_char.map(&:ord).sum %> <%= 'x,y'.split(',').map(&:upcase).join('|') %> <%= 'TitleCase'.downcase.capitalize %> <%= 'snake_case_words'.split('_').map(&:capitalize).join %> <%= 'a  b'.squeeze(' ') %> <%= 'hello'.delete_prefix('he') %> <%= 'hello'.delete_suffix('lo') %> <%= 'abc'.casecmp('ABD') %>\n")
case('more-array-methods', "<%= [1, 2, 3, 4].each_slice(2).map(&:sum).inspect %> <%= [[1, 2], [3, 4]].map { |a, b| a * b }.inspect %> <%= [1, 2, 3].inject { |s, x| s + x } %> <%= %w[a b c].each_with_index.to_a.inspect %> <%= [3, 1, 2].sort { |a, b| b <=> a }.inspect %> <%= [1, 2, 3].find_index(2) %> <%= [1, 2, 3].sum.fdiv(3).round(2) %> <%= [nil, 1].first.inspect %> <%= [1, 2, 3, 4, 5].select.with_index { |x, i| i.odd? }.inspect %>\n")
case('more-hash-methods', "<% h = {'a' => 1, 'b' => 2} -%><%= h.map { |k, v| [k, v * 2] }.to_h.inspect %> <%= h.sum { |_, v| v } %> <%= h.max_by { |_, v| v }.first %> <%= h.sort_by { |k, _| k }.reverse.map(&:first).join %> <%= h.keys.zip(h.values).inspect %> <%= h.each_with_index.map { |(k, v), i| \"#{i}#{k}\" }.join %> <%= h.group_by { |k, v| v.odd? }.keys.inspect %> <%= h.reduce(0) { |s, (k, v)| s + v } %> <%= h.filter_map { |k, v| k if v > 1 }.inspect %> <%= h.count %> <%= h.first.inspect %> <%= h.entries.length %>\n")
case('more-numeric-formatting', "<%= 1234567.to_s.reverse.scan(/\\d{1,3}/).join(',').reverse %> <%= (0.1 * 3).round(15) %> <%= 100.0.to_i %> <%= 3.0 * 2 %> <%= 7.0 / 2 %> <%= 2**62 %> <%= 1e3.to_i %> <%= 5.0.floor %> <%= 12.34.truncate %> <%= -3.7.round %> <%= 0.5.round %> <%= 1.5.round %>\n")
case('more-conditional-assign', "<% a = nil; a ||= []; a << 1; b = {}; b['k'] ||= 'v'; b['k'] ||= 'w'; c = 0; c += 1 while c < 5; d = [1]; d += [2]; e = 'x'; e *= 3 -%><%= a.inspect %> <%= b.inspect %> <%= c %> <%= d.inspect %> <%= e %>\n")
case('more-nested-blocks-closures', "<% counters = []; 3.times { |i| counters << lambda { i * 10 } } -%><%= counters.map(&:call).inspect %> <% sum = 0; [[1, 2], [3]].each { |row| row.each { |x| sum += x } } -%><%= sum %>\n")
case('more-string-comparisons-sorting', "<%= %w[banana Apple cherry apple].sort.inspect %> <%= %w[banana Apple cherry].sort_by(&:downcase).inspect %> <%= %w[b a].max %> <%= ['10', '9', '100'].sort.inspect %> <%= ['10', '9', '100'].sort_by(&:to_i).inspect %>\n")
case('more-gsub-special', "<%= 'a.b'.gsub('.', '\\\\\\\\.') %> <%= 'path/to'.gsub('/', '\\\\/') %> <%= 'x'.gsub(/x/, '\\\\0\\\\0') %> <%= 'tab'.gsub(/a/, \"\\t\") %> <%= 'aaa'.gsub(/a/) { $~[0].upcase } %> <%= 'k=v'.sub(/(?<key>\\w+)=(?<val>\\w+)/, '\\k<val>=\\k<key>') %>\n")
case('more-multiline-hash-literal', "<%\n  cfg = {\n    'a' => 1,\n    'b' => [\n      2,\n      3,\n    ],\n    c: {\n      d: 'e',\n    },\n  }\n-%><%= cfg.inspect %>\n")
case('more-method-chains-newlines', "<%=\n  %w[c a b]\n    .sort\n    .map(&:upcase)\n    .join(',')\n%>\n")
case('more-empty-and-nil-checks', "<% [nil, '', [], {}, 0, 'x'].each do |v| %><%= v.nil? ? 'nil' : (v.respond_to?(:empty?) && v.empty?) ? 'empty' : 'value' %> <% end %>\n")
case('more-integer-division-modulo', "<%= 7 / 2 %> <%= -7 / 2 %> <%= 7 % -3 %> <%= -7.5 % 2 %> <%= 7.divmod(-2).inspect %> <%= 2**0.5 %> <%= 10.0 % 3 %> <%= 1_000_000 / 3 %>\n")
case('more-frozen-string-ops', "<% s = 'abc'.freeze; t = s + 'd' -%><%= t %> <%= s.upcase %>\n")
case('more-each-with-object-hash', "<%= %w[a bb ccc].each_with_object({}) { |w, h| h[w] = w.length }.inspect %> <%= %w[a bb].map { |w| [w, w.size] }.to_h.inspect %> <%= %w[a b].zip([1, 2]).to_h.inspect %>\n")
case('more-regexp-options', "<%= 'HeLLo' =~ /hello/i %> <%= \"a\\nb\" =~ /a.b/m %> <%= \"a\\nb\".match?(/a.b/) %> <%= 'x1y2'.gsub(/\\d/) { |d| (d.to_i * 2).to_s } %> <%= 'line1\\nline2'.scan(/^line\\d$/).length %> <%= Regexp.escape('a.b*c') %> <%= 'a+b'.split(Regexp.new(Regexp.escape('+'))).inspect %>\n")
case('more-spec-ostruct-to-json', "<%= spec.networks.private.to_h.keys.inspect %> <%= spec.release.to_h.inspect %>\n")
case('more-links-json-file', "x\n", consumes=None)
case('more-deep-property-structures', "<% p('clusters').each do |c| -%>\n<%= c['name'] %>: <%= c['nodes'].map { |n| \"#{n['host']}:#{n.fetch('port', 80)}\" }.join(' ') %>\n<% end -%>\n", props="clusters:\n    default: []\n", manifest={"clusters": [{"name": "east", "nodes": [{"host": "e1"}, {"host": "e2", "port": 81}]}, {"name": "west", "nodes": []}]})
case('more-sprintf-widths', "<%= '%-10s|' % 'left' %><%= '%10s|' % 'right' %><%= '%05.1f|' % 3.14159 %><%= '%+.2e|' % -1234.5 %><%= '%x|%X|%#x' % [255, 255, 255] %><%= '%08.3f' % -3.5 %><%= '%c%c' % [72, 'i'] %>\n")
case('more-bool-methods', "<%= true & false %> <%= true | false %> <%= true ^ true %> <%= !true %> <%= true.to_s.upcase %> <%= nil.to_s.length %> <%= false.inspect %>\n")


# ---- fidelity misses found on other releases' templates -------------------------------------
case('fidelity-integer-round-no-digits', "<%= 15.round %> <%= -3.round %> <%= 15.round(-1) %> <%= 25.round(-1) %> <%= 15.round.class %> <%= 7.floor %> <%= 7.ceil %>\n")
case('fidelity-bang-enumerator-with-index', "<% a = [1, 2, 3]; a.collect!.with_index { |x, i| x * 10 + i } -%><%= a.inspect %> <% b = %w[x y]; b.map!.with_index(1) { |s, i| \"#{s}#{i}\" } -%><%= b.inspect %> <% c = [5, 6, 7, 8]; c.select!.with_index { |x, i| i.even? } -%><%= c.inspect %>\n")
case('fidelity-begin-rescue-command-call', "<% def http?(u)\n  begin\n    URI.parse(u).instance_of? URI::HTTP\n  rescue URI::InvalidURIError\n    false\n  end\nend -%>\n<%= http?('http://a.example/x') %> <%= http?('https://a.example') %> <%= http?('a b') %> <%= begin URI.parse('ftp://h').instance_of? URI::Generic rescue false end %> <%= URI.parse('https://h').is_a? URI::HTTP %> <%= URI.parse('https://h/p').class %> <%= URI.parse('x').class %>\n")
case('fidelity-ternary-in-labelled-hash', "<% c = true; n = nil -%><%= { a: c ? 1 : 2, b: !c ? 'x' : 'y', d: n ? n : 'none', e: 3 }.inspect %> <%= [c ? 1 : 2, f: 3].inspect %> <%= { k: (c ? :yes : :no), l: c ? [1] : [] }.inspect %>\n")

# ---- found by differential testing (benches/templates/difftest.py) ---------------------
case('diff-modifier-if-after-command-call', "<%= [1, nil].filter_map { |e| e.to_s if e }.inspect %> <% x = 'a'; y = x.upcase if x -%><%= y %> <%= [2].map { |e| e.to_s unless e.nil? }.inspect %>\n")
case('diff-operator-method-names', "<%= true.! %> <%= [1].empty?.! %> <%= 1.+(2) %> <%= 3.<=>(4) %> <%= 'a'.==('a') %> <%= 5.-(1).*(2) %>\n")
case('diff-unary-minus-pow', "<%= -2 ** 2 %> <%= -2.0 ** 2 %> <%= -2.abs %> <%= -2.abs ** 2 %> <% x = 3 -%><%= -x ** 2 %> <%= -(x).abs ** 2 %> <%= 2 ** -2 ** 2 == 2 ** (-(2 ** 2)) %>\n")
case('diff-integer-methods', "<%= 1.size %> <%= 5[0] %> <%= 5[1] %> <%= 15.truncate(-1) %> <%= -15.truncate(-1) %> <%= 4.pow(3, 7) %> <%= -7.pow(3, -5) %> <%= 3.quo(2.0) %> <%= (5432.chr rescue 'range') %> <%= 65.chr %>\n")
case('diff-float-methods', "<%= 1.55.truncate(1) %> <%= -13.57.truncate(1) %> <%= 2.5.round(half: :even) %> <%= 3.5.round(half: :even) %> <%= 3.5.round(half: :down) %> <%= 2.5.round(half: :up) %> <%= 7.5.divmod(2).inspect %> <%= 7.5.divmod(-2).inspect %> <%= -7.5 % 2 %> <%= -1e20 % 0.3 %> <%= -1e10.divmod(0.3).inspect %> <%= (Math.sqrt(-1) rescue 'domain') %> <%= 100.0.divmod(2).first %>\n")
case('diff-string-succ', "<%= %w[a? a-9 1.9.9 a.z Az-9 9-z zz Zz *** az a9].map(&:succ).inspect %> <%= :a?.succ.inspect %> <%= \"false\\n\".succ.inspect %>\n")
case('diff-enumerable-counts', "<%= [3, 1, 2].min_by(2) { |x| x }.inspect %> <%= [3, 1, 2].max_by(2) { |x| x }.inspect %> <%= {'b' => 2, 'a' => 1}.min_by(1) { |k, v| v }.inspect %> <%= [5, 6].each_index.to_a.inspect %> <%= {a: [1]}.flatten.inspect %> <%= 'ab'.codepoints.inspect %> <%= ['a b', 1, nil].shelljoin %> <%= ([1].index_by(&:to_s) rescue 'no index_by') %>\n")
case('diff-format-positional', "<%= format('%3$s %1$s %2$s', 1, 'b', 'c') %> <%= format('%2$05d|%1$-4s|', 'x', 42) %> <%= (format('%3$s', 1) rescue 'bad index') %>\n")
case('diff-symbol-proc-extra-args', "<% def to_h_deep(os)\n  os.marshal_dump.map do |key, value|\n    { key => value.is_a?(OpenStruct) ? to_h_deep(value) : value }\n  end.reduce(&:merge)\nend -%><%= [{a: 1}, {b: 2}, {c: 3}].reduce(&:merge) %> <%= [1, 2, 3].reduce(&:+) %> <%= [2, 3].inject(&:*) %> <%= to_h_deep(spec.networks).keys.inspect %> <%= to_h_deep(spec.networks).values.find { |n| n.key?(:default) }[:ip] %>\n")
case('diff-bang-method-ends-statement', "<%= begin\n  true.!\nrescue => err\n  err.class\nend %> <%= begin\n  1.+(1)\nrescue => err\n  err.class\nend %>\n")
case('diff-pretty-generate-indent', "<%= JSON.pretty_generate({'a' => [1, {'b' => 2}], 'c' => {}, 'd' => []}, indent: '    ') %>\n<%= JSON.pretty_generate([1, 'x'], indent: \"\\t\") %>\n")
case('diff-string-dump', "<%= \"\\u0001a\\e\\t\\u00e9\\u{1F600}\\x7f\".dump %> <%= 'a\\\\b \"q\"'.dump %> <%= 'plain'.dump %>\n")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--oracle', required=True)
    ap.add_argument('only', nargs='*')
    args = ap.parse_args()
    if not args.only and OUT.exists():
        shutil.rmtree(OUT)
    OUT.mkdir(exist_ok=True)
    for n, c in list(enumerate(CASES, 1)) + [(0, c) for c in NUMBERED]:
        name = '%03d-%s' % (c.get('num') or n, c['name'])
        if args.only and c['name'] not in args.only:
            continue
        d = OUT / name
        if d.exists():
            shutil.rmtree(d)
        (d / 'job' / 'templates').mkdir(parents=True)
        spec = '---\nname: demo\ntemplates:\n  t.erb: out/t.txt\n'
        spec += ''.join('  %s: %s\n' % (src, dst) for src, dst, _ in c['more'])
        if c['consumes']:
            spec += 'consumes:\n' + c['consumes']
        spec += 'properties:' + ((' \n  ' + c['props']) if c['props'] else ' {}\n')
        (d / 'job' / 'spec').write_text(spec)
        (d / 'job' / 'templates' / 't.erb').write_bytes(c['template'].encode('utf-8'))
        for src, _, text in c['more']:
            (d / 'job' / 'templates' / src).write_bytes(text.encode('utf-8'))
        if c['monit'] is not None:
            (d / 'job' / 'monit').write_text(c['monit'])
        ctx = json.loads(json.dumps(BASE))
        ctx.update(c['ctx'])
        ctx['properties'] = c['manifest']
        ctx['links'] = c['links']
        if c['dns']:
            ctx['dns'] = c['dns']
        (d / 'context.json').write_text(json.dumps(ctx, indent=2, ensure_ascii=False) + '\n')
        out = d / "expected" / "out"
        (d / "expected").mkdir(parents=True, exist_ok=True)
        # Psych and OpenSSL as the director's Ruby has them (see ruby34_compat.rb)
        psych = pathlib.Path(__file__).resolve().parents[2] / 'benches/templates/ruby34_compat.rb'
        p = subprocess.run(['ruby', '-r', str(psych), args.oracle, '--job-dir', str(d / 'job'), '--context', str(d / 'context.json'), '--out', str(out)], capture_output=True)
        (d / 'expected' / 'exit_code').write_text('%d\n' % p.returncode)
        if p.returncode != 0:
            (d / 'expected' / 'stderr.txt').write_bytes(p.stderr)
        # classes a template defines are named inside the director's context class; the
        # oracle's own module path shows through in output (it rewrites only messages)
        for f in out.rglob('*') if out.exists() else []:
            if f.is_file():
                f.write_bytes(f.read_bytes().replace(b'ErbOracle::Template::', b'Bosh::Common::Template::'))
        print('%s exit %d %s' % (name, p.returncode, p.stderr.decode()[:200].strip()))


# ---- features of cf-deployment's templates (uaa, gorouter, route_emitter) -----------------
# numbered from 300 so cases added above keep their numbers
NUMBERED = []


def case_at(num, name, template, **kw):
    case(name, template, **kw)
    c = CASES.pop()
    c['num'] = num
    NUMBERED.append(c)


case_at(300, 'cf-modifier-if-after-command-arg-and-block-rescue', "<% out = []\n[1, 0].each do |d|\n  raise ArgumentError.new if d.instance_of? Float\n  out << 10 / d\nrescue ZeroDivisionError => e\n  out << e.message\nelse\n  out << 'ok'\nensure\n  out << 'done'\nend\nbegin\n  u = URI.parse('a:b')\n  raise URI::InvalidURIError.new if u.instance_of? URI::Generic\n  out << 'uri'\nrescue URI::InvalidURIError\n  out << 'not a web uri'\nend\ny = [3].first unless out.empty? -%><%= out.inspect %> <%= y %>\n")

case_at(301, 'cf-uri-setters', "<% u = URI.parse(p('url'))\nu.scheme = 'https'\n-%><%= u %> <%= u.class %> <%= u.port %>\n<% u.port = p('mtls_port'); u.host = 'api.' + u.host; u.path = '/v1'; u.userinfo = 'me:pw' -%><%= u %> <%= u.inspect %>\n<% v = URI.parse('http://h:8080/x'); v.scheme = 'HTTPS'; v.port = '' -%><%= v %> <%= v.port.inspect %>\n<% ['1x', 'x1', 'a b', 'rel'].zip(%w[scheme= port= host= path=]).each do |val, m| -%><%= begin; v.send(m, val); rescue => e; [e.class, e.message].inspect; end %>\n<% end -%>", props="url:\n    default: http://routing-api.service.cf.internal:3000\n  mtls_port:\n    default: 3001\n")

case_at(302, 'cf-x509-certificate', '<% p(\'tls_pem\').each_with_index do |pair, i|\n  cert = OpenSSL::X509::Certificate.new pair[\'cert_chain\']\n  has_san = cert.extensions.map { |ext|\n    x509ext = OpenSSL::X509::Extension.new ext\n    x509ext.oid == "2.5.29.17" || x509ext.oid == "subjectAltName"\n  }.reduce(:|)\n-%>\n<%= i %>: <%= cert.subject %> issuer <%= cert.issuer %> san=<%= has_san %>\n<% cert.extensions.each do |e| -%>\n  <%= e.oid %> <%= e.critical? %> <%= e.value unless e.oid =~ /KeyIdentifier/ %>\n<% end -%>\n<% end -%>\n<% subjects = p(\'tls_pem\').map { |pair| OpenSSL::X509::Name.new OpenSSL::X509::Certificate.new(pair[\'cert_chain\']).subject.to_a.sort { |a, b| a[0] <=> b[0] } } -%>\n<% rule = OpenSSL::X509::Name.new [[\'CN\', \'Example Root\'], [\'C\', \'US\'], [\'O\', \'Example Org\'], [\'OU\', \'Platform\'], [\'ST\', \'CA\']].sort { |a, b| a[0] <=> b[0] } -%>\n<%= [rule].intersect?(subjects) %> <%= subjects.map { |c| c.to_s }.join(\', \') %>\n<% [\'not a certificate\', "-----BEGIN CERTIFICATE-----\\nAAAA\\n-----END CERTIFICATE-----\\n"].each do |bad| -%>\n<%= begin; OpenSSL::X509::Certificate.new bad; rescue OpenSSL::X509::CertificateError => e; "#{e.class}: #{e.message}"; end %>\n<% end -%>\n', props='tls_pem:\n    default:\n    - cert_chain: |\n        -----BEGIN CERTIFICATE-----\n        MIIEozCCAwugAwIBAgIQZBhpfrMgj5aCdikxcHIfZzANBgkqhkiG9w0BAQsFADA5\n        MQwwCgYDVQQGEwNVU0ExFjAUBgNVBAoTDUNsb3VkIEZvdW5kcnkxETAPBgNVBAMT\n        CHJvdXRlckNBMB4XDTI2MTIwMTEwMDYzMVoXDTI3MTIwMTEwMDYzMVowOjEMMAoG\n        A1UEBhMDVVNBMRYwFAYDVQQKEw1DbG91ZCBGb3VuZHJ5MRIwEAYDVQQDEwlyb3V0\n        ZXJTU0wwggGiMA0GCSqGSIb3DQEBAQUAA4IBjwAwggGKAoIBgQDA9roy/d1msF3d\n        0J5+OB+PFH/QZ2do/rP2k/L4T9P321HSEbD1NnTCopRYVW2DfHE6bBXzB2xxGIV6\n        hXD4MRgnGBKCtSDB4OprvSUvA/qPeOMGmWwme+cuSoBoDR1445ir0sTDl0G4vFAM\n        yX9kLAqAg7gjzMIR1NwKMdSnF/Dg8PozcoBzlwxpd8cqzyaH62KwaJEENsZWvRmf\n        rpZFkIe6SlDyHgFTUxsER8FwyZkcWhbxds3YRgxPt63zmjBKHxbFEil1DGdoSH9W\n        S5XNWzondVTAoA4NnhqvTkekXefKOclymbhmCDH5aJwA62PEwa0XtyhSALAvCjvu\n        7p50Sfzovpq0ayy6OHgN4Y+NaVnE613oRHr6xJ3hipeMKmWzEEmXXDUMfBcDOOqM\n        QPN21o4lypD2LyXMCk9ew/S4UWVRb1CdJAN8sjUcZmK4WRAl0u+egaVdiWEcVjOx\n        GkB3ZPnpv8MR2kaUFYasYvA86FXAMIKKtsBKTr69WXmXXwSGqpUCAwEAAaOBpTCB\n        ojAOBgNVHQ8BAf8EBAMCBaAwEwYDVR0lBAwwCgYIKwYBBQUHAwEwDAYDVR0TAQH/\n        BAIwADAdBgNVHQ4EFgQUHAbfjgRZlUNUI6D7AzWHCBvaCzwwHwYDVR0jBBgwFoAU\n        8z18faH92eh4cGJ+hsa2og5Ui34wLQYDVR0RBCYwJIIPc3lzLmV4YW1wbGUuY29t\n        ghEqLnN5cy5leGFtcGxlLmNvbTANBgkqhkiG9w0BAQsFAAOCAYEAcrWJbRb8R7Db\n        UjiMuOhL9G/R61aD+Fpho/payLX32stQAUOHQ3JO2GOYrdSP1RvGTUnAuzNamhX7\n        QWhGjrb34tx+w9FLAugFxaCg1dhFPFSaZYFaVLaZkF8BqHNB8u7Isg2TCKFZ8uZ2\n        NWDpnAPZyrcMgas39+m41QDzE37AqCdEySTDvdx01d+l3o/h2zR9J9LDdMe9NmAr\n        8irxFGRr+Kx0tpnqpiHsFnIo3hSzGsN/hQHjLgWoRjo7CkxTx6lM3X6GAtSK3OwL\n        M5drzbPM5ST1N6Ljy+t7GHo8IRna7I4/TPWiFAmHv3ox4ezVUC3grWbj5K2vnYOG\n        fja8z2XbKvdNBGvYrcMU+bzgOKwxP4f72P9CI5DdMdOpLdk06roK5jVRJ+Zi+f1N\n        v48kLQhsSEwk0yjOVCc6Ie4YqWFCDLjcwIio6wOMh+koB0JNd0xox2wtxMJp2FNg\n        dHu+IrrAP7tIhuTTLYI8NMRDryub6U/QSDLGYNcA5U5ZyqvnV6Dy\n        -----END CERTIFICATE-----\n        -----BEGIN CERTIFICATE-----\n        MIICnTCCAkOgAwIBAgIUcnPuO2Lw8rJULJqH9ei+YHsnk3EwCgYIKoZIzj0EAwIw\n        WjELMAkGA1UEBhMCVVMxCzAJBgNVBAgMAkNBMRQwEgYDVQQKDAtFeGFtcGxlIE9y\n        ZzERMA8GA1UECwwIUGxhdGZvcm0xFTATBgNVBAMMDEV4YW1wbGUgUm9vdDAgFw0y\n        NjEyMDExMTMzNTFaGA8yMTI2MTEwNzExMzM1MVowWjELMAkGA1UEBhMCVVMxCzAJ\n        BgNVBAgMAkNBMRQwEgYDVQQKDAtFeGFtcGxlIE9yZzERMA8GA1UECwwIUGxhdGZv\n        cm0xFTATBgNVBAMMDEV4YW1wbGUgUm9vdDBZMBMGByqGSM49AgEGCCqGSM49AwEH\n        A0IABCEoiusfWK1Ctas94238M2wXBX3Cdtpf2OxVGFZ+NgH/8GU/BnCSbYPMCpHC\n        4dtvmlvuQ7lxfLOuMb7rquX91u6jgeQwgeEwHQYDVR0OBBYEFHaANRxhLMzax8Jd\n        Buxkt0fzy8LMMB8GA1UdIwQYMBaAFHaANRxhLMzax8JdBuxkt0fzy8LMMFwGA1Ud\n        EQRVMFOCDmNhLmV4YW1wbGUuY29thwQKAAABhxD9AAAAAAAAAAAAAAAAAAABhhho\n        dHRwczovL2NhLmV4YW1wbGUuY29tL3iBD29wc0BleGFtcGxlLmNvbTASBgNVHRMB\n        Af8ECDAGAQH/AgEBMA4GA1UdDwEB/wQEAwIBBjAdBgNVHSUEFjAUBggrBgEFBQcD\n        AQYIKwYBBQUHAwIwCgYIKoZIzj0EAwIDSAAwRQIgNWsnyF2LGjPNjw6A3OBqGpVr\n        ypM7HM7mO7rqrmuie1gCIQDD88088+ycQF9xDKJ8janOvy3HKQHMe/z2SvWq6yXA\n        Xg==\n        -----END CERTIFICATE-----\n      private_key: unused\n    - cert_chain: |\n        -----BEGIN CERTIFICATE-----\n        MIICnTCCAkOgAwIBAgIUcnPuO2Lw8rJULJqH9ei+YHsnk3EwCgYIKoZIzj0EAwIw\n        WjELMAkGA1UEBhMCVVMxCzAJBgNVBAgMAkNBMRQwEgYDVQQKDAtFeGFtcGxlIE9y\n        ZzERMA8GA1UECwwIUGxhdGZvcm0xFTATBgNVBAMMDEV4YW1wbGUgUm9vdDAgFw0y\n        NjEyMDExMTMzNTFaGA8yMTI2MTEwNzExMzM1MVowWjELMAkGA1UEBhMCVVMxCzAJ\n        BgNVBAgMAkNBMRQwEgYDVQQKDAtFeGFtcGxlIE9yZzERMA8GA1UECwwIUGxhdGZv\n        cm0xFTATBgNVBAMMDEV4YW1wbGUgUm9vdDBZMBMGByqGSM49AgEGCCqGSM49AwEH\n        A0IABCEoiusfWK1Ctas94238M2wXBX3Cdtpf2OxVGFZ+NgH/8GU/BnCSbYPMCpHC\n        4dtvmlvuQ7lxfLOuMb7rquX91u6jgeQwgeEwHQYDVR0OBBYEFHaANRxhLMzax8Jd\n        Buxkt0fzy8LMMB8GA1UdIwQYMBaAFHaANRxhLMzax8JdBuxkt0fzy8LMMFwGA1Ud\n        EQRVMFOCDmNhLmV4YW1wbGUuY29thwQKAAABhxD9AAAAAAAAAAAAAAAAAAABhhho\n        dHRwczovL2NhLmV4YW1wbGUuY29tL3iBD29wc0BleGFtcGxlLmNvbTASBgNVHRMB\n        Af8ECDAGAQH/AgEBMA4GA1UdDwEB/wQEAwIBBjAdBgNVHSUEFjAUBggrBgEFBQcD\n        AQYIKwYBBQUHAwIwCgYIKoZIzj0EAwIDSAAwRQIgNWsnyF2LGjPNjw6A3OBqGpVr\n        ypM7HM7mO7rqrmuie1gCIQDD88088+ycQF9xDKJ8janOvy3HKQHMe/z2SvWq6yXA\n        Xg==\n        -----END CERTIFICATE-----\n      private_key: unused\n')

# the director gives each template fresh spec fields: what monit changes, t.erb does not see
case_at(303, 'fields-fresh-per-template', "<%= name %> <%= index %> <%= spec.networks.private.ip %> <%= spec.az %> <%= spec.job.templates.first.name %>\n",
        monit="<% name << '-x'; spec.networks.private.ip << '!'; spec.az.replace('zz'); spec.job.templates << 1; spec.job.templates.first.name = 'other' -%>\nmonit <%= name %> <%= spec.networks.private.ip %> <%= spec.az %>\n")


# keys libyaml cannot write as simple keys (a line break, over 128 bytes, a non-empty
# collection) go after `?`; nil and symbols written quoted carry the `!` tag
case_at(304, 'to-yaml-complex-keys', "<%= {\"a\\nb\" => [1, [2, 3], {'q' => 1}], \"c\\nd\" => {'e' => {'f' => 1}, 'g' => [1]}, \"x\\n\" => '', \"\\nq\" => nil, \"t\\n\\n\" => 2, 'k' => {\"m\\nn\" => \"v\\nw\"}} .to_yaml %>" +
        "<%= {'a' * 129 => 1, 'b' * 128 => 2, 'é' * 65 => 3, 'é' * 64 => 4, ('s' * 128).to_sym => 5, ('s' * 127).to_sym => 6, :\"s\\nt\" => 7} .to_yaml %>" +
        "<%= {['l', ['m']] => [{'k' => 'v'}], {'a' => [1]} => {'b' => 2}, [] => 1, {} => 2, nil => 3, :'' => 4, '' => 5} .to_yaml %>" +
        "<%= [{\"a\\nb\" => 1}, [{\"c\\nd\" => {'e' => 1}}], :'a: b', :'', nil, :'#x'] .to_yaml %>")

# a hash as a hash key is equal to one with the same pairs in any order, never to an array
case_at(305, 'hash-keys-of-hashes', "<% h = {['l'] => 1, {'m' => 1} => 2, [] => 3, {} => 4, ['m', 1] => 5} -%><%= h.size %> <%= h.keys.inspect %>\n" +
        "<%= {{a: 1, b: 2} => 1}[{b: 2, a: 1}] %> <%= {{a: 1} => 1}[{a: 1.0}].inspect %> <%= [{a: 1, b: 2}, {b: 2, a: 1}].uniq.size %> <%= [[{}], [[]]].uniq.size %> <%= {a: 1, b: 2}.eql?({b: 2, a: 1}) %> <%= {a: 1}.hash == {a: 1}.hash %>\n")


# the match globals: `$~ = m` sets `$1`... from m, `$&` `$`` `$'` `$+`, defined?, and a
# method's matches leaving its caller's `$1` as it was
case_at(306, 'match-globals', "<% m = 'ab12'.match(/(\\d)(\\d)/); 'zz' =~ /z/; $~ = m -%><%= $1 %> <%= $2 %> <%= $& %> <%= $` %>|<%= $' %>|<%= $+ %>\n" +
        "<% $~ = nil -%><%= [$1, $~, $&].inspect %> <%= begin; $~ = 's'; rescue => e; [e.class, e.message].inspect; end %>\n" +
        "<% 'ab' =~ /(x)?(b)/ -%><%= [$+, $&, $`, $'].inspect %> <% 'ab' =~ /a(x)?/ -%><%= $+.inspect %> <% 'q12'.match(/(\\d)(\\d)?(z)?/) -%><%= [$+, $3].inspect %>\n" +
        "<% 'a' =~ /b/ -%><%= [defined?($&), defined?($1), defined?($~)].inspect %> <% 'a' =~ /(a)/ -%><%= [defined?($&), defined?($2), defined?($1)].inspect %>\n" +
        "<% def f; 'a' =~ /(a)/; $1; end; 'b' =~ /(b)/ -%><%= f %> <%= $1 %> <% [1].each { 'c' =~ /(c)/ } -%><%= $1 %>\n")


# from the differential generator: split('', n), tr_s, pack's conversions, %x/%o/%b of a
# negative number (two's complement after `..`), Integer#digits, classes in to_yaml
case_at(307, 'diff-split-tr-s-pack-format-digits-yaml-class',
        "<%= ['0755'.split('', 3), 'abc'.split('', 1), 'abc'.split('', -1), 'abc'.split('', 5), 'a b '.split(' ', -1)].inspect %>\n" +
        "<%= ['#comment'.tr_s('a-z', '*'), 'aabbcc'.tr_s('b', 'x'), 'hello'.tr_s('el', '-'), 'aabbccdd'.tr_s('^b', '*'), 'hello'.tr_s('l', '')].inspect %>\n" +
        "<%= [(['a'].pack('U*') rescue 'pack'), [1.5, 66].pack('U*'), ([nil].pack('C*') rescue $!.message), ([-1].pack('U*') rescue $!.class)].inspect %>\n" +
        "<%= ['%x' % -255, '%o' % -9, '%b' % -5, '%#x' % -128, '%08x' % -255, '%.8x' % -255, '%10.5x' % -255, '%-6x|' % -1, '%+x' % -255, '% o' % -9, '%#010X' % -255].inspect %>\n" +
        "<%= [255.digits(16), 0.digits, ((-1).digits rescue $!.class), (10.digits(1) rescue $!.message)].inspect %>\n" +
        "<%= {Integer => [Float, nil.class], 'k' => Comparable}.to_yaml %>")


# Float#floor and #ceil to negative digits go through an Integer; Integer rounding of any
# digits stays exact
case_at(308, 'floor-ceil-negative-digits', "<%= [1234.5.floor(-2), (-1234.5).floor(-2), 1234.5.ceil(-2), (-1234.5).ceil(-2), 1.5.floor(-20), 25.round(-1, half: :even), 35.round(-1, half: :down), -25.round(-1), 1234.truncate(-2), (9 * 10**18).round(-18)].inspect %>\n")


# the modules built-in classes include (Enumerable, Comparable, Kernel and json's), as
# `ancestors`, `is_a?`, `===`, `include?` and `<` see them
case_at(309, 'included-modules', "<%= [String.ancestors, Symbol.ancestors, Range.ancestors].inspect %>\n" +
        "<%= [Comparable === 'a', Enumerable === {}, Kernel === 1, 1.is_a?(Comparable), :a.is_a?(Comparable), Array.include?(Enumerable), Integer.include?(Kernel), Array < Enumerable, String.include?(Enumerable), nil.is_a?(Comparable), {'a' => 1}.class.ancestors.include?(Enumerable)].inspect %>\n")


# OpenStruct.new walks its argument with each_pair and makes each key a symbol
case_at(310, 'ostruct-new-arguments', "<%= [(OpenStruct.new({3 => 0}) rescue $!.class), OpenStruct.new('a' => 1, b: 2).to_h, (OpenStruct.new(nil => 1) rescue $!.class), (OpenStruct.new([1]) rescue $!.class), OpenStruct.new(OpenStruct.new(a: 1)).a, OpenStruct.new(nil).to_h].inspect %>\n")


# spec's fields are converted when first read, and all of them, in order, when the object is
# looked at whole; the property tree and the links look as they did when `spec` was first
# called, whatever the template changed in them after
case_at(311, 'spec-fields-made-when-read', "<% s = spec; n = s.networks; h = p('h'); h['k'] = 'changed'; link('db').p('tls')['ca'] << '!'; link('db').instances.clear -%>" +
        "<%= s.id %> <%= s.networks.equal?(n) %> <%= s.name.equal?(name) %> <%= s.index.equal?(index) %> <%= s.properties.h.k %> <%= s.links.db.properties.tls.ca %> <%= s.links.db.instances.size %> <%= p('h.k') %>\n" +
        "<%= s.to_h.keys.inspect %> <%= s.each_pair.map { |k, _| k }.size %> <%= s.respond_to?(:az) %> <%= s.dig(:networks, :private, :ip) %> <%= s[:az] %> <%= s.nope.inspect %>\n" +
        "<% s.az = 'z9'; s.delete_field(:bootstrap) -%><%= s.to_h.keys.inspect %> <%= s.az %> <%= s.networks.equal?(n) %> <%= s == spec %> <%= s.properties.h.to_h.inspect %>\n",
        props="h:\n    default: {k: v, f: 1}\n",
        consumes="- name: db\n  type: database\n", links={"db": DB_LINK}, dns=DNS)


# an OpenStruct (spec's and the template's own) is written to YAML as a tagged mapping of its
# fields, as Psych writes one
case_at(312, 'ostruct-to-yaml', "<%= spec.networks.to_yaml %><%= [OpenStruct.new(a: {'b' => OpenStruct.new}), {OpenStruct.new => 1}].to_yaml %>\n")

# the director's context keeps its state in instance variables, which templates read directly
# (cf-rabbitmq-release: `lookup_property(@raw_properties, ...)`); each is its reader's object
case_at(313, 'context-ivars', "<%= lookup_property(@raw_properties, 'a.b').inspect %> <%= lookup_property(@raw_properties, 'a.none').inspect %> <%= @raw_properties.equal?(raw_properties) %> <%= @properties.a.b %> <%= @properties.equal?(properties) %> <%= @spec.equal?(spec) %> <%= @spec.az %> <%= @name %> <%= @index %>\n<%= defined?(@raw_properties) %> <%= defined?(@links).inspect %> <%= @links.inspect %> <%= instance_variable_get(:@raw_properties).equal?(raw_properties) %> <%= instance_variable_defined?(:@spec) %> <%= instance_variable_defined?(:@nope) %> <% @raw_properties = {'a' => 1} -%><%= @raw_properties %>\n",
        props="a.b:\n    default: x\n")

# an assignment is the right operand of a binary operator (`a && b = c` is `a && (b = c)`,
# predix rdpg-boshrelease); `methods(false)` of spec's structs lists their fields
case_at(314, 'assignment-as-right-operand', "<% if (nets = spec.networks.methods(false)) && dns = spec.networks.send(nets.first).ip -%><%= nets.inspect %> <%= dns %><% end %>\n<%= x = 1 + y = 2 * 3 %> <%= y %> <% z = nil; w = false || z ||= 5 -%><%= w %> <%= z %> <%= (v = nil) || u = 'u' %> <%= u %>\n")

# `eval` of a string runs in the template's frame (cf-services-contrib-release builds a
# property path with it); an error inside it is reported at the line of the call
case_at(315, 'eval-string', "<% service = 'vblob'\ngateway = eval(\"properties.#{service}_gateway\") -%>\n<%= gateway.acls.inspect %> <%= eval('service.upcase') %> <%= eval(\"p('vblob_gateway.acls').size\") %>\n<%= eval(\"p('no.such')\") %>\n",
        props="vblob_gateway.acls:\n    default: [a, b]\n")

# a seeded generator draws as Ruby's does (redis-forge-boshrelease orders replicas with
# Random.new(1); telemetry-release spreads cron times with srand(seed) and rand)
case_at(316, 'seeded-random', "<%= p('ips').shuffle(random: Random.new(1)).inspect %> <%= p('ips').sample(random: Random.new(7)) %>\n<% srand(p('seed')) -%><%= rand(60) %> <%= rand(24) %> <%= Random.new(p('seed')).rand(1000) %> <%= rand.round(6) %>\n",
        props="ips:\n    default: [10.0.0.1, 10.0.0.2, 10.0.0.3, 10.0.0.4, 10.0.0.5]\n  seed:\n    default: 603882322\n")

case_at(317, 'big-integer-seed', "<% require 'digest'\n   seed = Digest::MD5.hexdigest(spec.deployment.to_s).to_i(16) % ((2**31) - 1) -%>\n<%= seed %> <%= Digest::SHA256.hexdigest(p('name')).to_i(16) %> <%= (2**64 + p('offset')).to_s(16) %>\n<% srand(seed) -%><%= rand(60) %> <%= rand(24) %> * * *\n",
        props="name:\n    default: telemetry\n  offset:\n    default: 255\n")

case_at(318, 'yaml-anchors-repeated-property', "<%= {'x' => p('list'), 'y' => p('list'), 'h1' => p('h'), 'h2' => p('h')}.to_yaml %>\n<% l = p('list') -%><%= {'servers' => l, 'backup' => {'servers' => l}, 'n' => p('h').keys}.to_yaml %>\n",
        props="list:\n    default: [10.0.0.1, 10.0.0.2]\n  h:\n    default: {k: v}\n")

# a local belongs to the scope whose code assigns it from that scope's start, as Ruby's parser
# makes it: a block assigning one writes there even when the assignment written before the
# block never ran; a block-local (`|i; v|`) is the block's own
case_at(319, 'locals-assigned-in-blocks', "<% x = 1 if false -%>\n<% [1, 2].each { |i| x = i } -%>\nx=<%= x.inspect %>\n<% def f; y = 0 if false; [3].each { |i| y = i }; y; end -%>\nf=<%= f.inspect %>\n<% [1].each do |i| z = i if false; [9].each { |j| z = j } -%>\nz=<%= z.inspect %>\n<% end -%>\n<% if p('enabled') then w = 'on' end; p('list').each { |s| w = s } -%>\nw=<%= w %>\n<% v = 'outer'; [1].each { |i; v| v = i } -%>\nv=<%= v %>\n",
        props="enabled:\n    default: false\n  list:\n    default: [a, b]\n")

# a regexp literal's named groups become locals after `=~` (nil when it fails), as Ruby's
# parser makes them; not for a regexp in a variable or one with interpolation
case_at(320, 'named-captures-as-locals', "<% if /(?<foo>\\w+)-(?<bar>\\d+)/ =~ \"ab-12\" then end -%>\nf=<%= [foo, bar].inspect %>\n<% r = /(?<foo>\\w+)-(?<bar>\\d+)/ =~ \"nope\" -%>\ng=<%= [r, foo, bar].inspect %>\n<% [1].each { |i| /(?<zz>\\d)/ =~ \"x#{i}\" }; pat = /(?<yy>\\d)/; pat =~ \"5\" -%>\nh=<%= defined?(zz).inspect %> <%= defined?(yy).inspect %>\n<% v = (/(?<w1>a)(?<w2>b)?/ =~ \"xa\") -%>\ni=<%= [v, w1, w2].inspect %> <%= /(?<k>\\d+)/ =~ \"a1\" ? k.to_i + 1 : 0 %>\n<% s = \"x\"; if /#{s}(?<d>\\d)/ =~ \"x7\" then end -%>\nj=<%= defined?(d).inspect %>\n")

# a template's top level runs in the director's `get_binding`; `alias` keeps the method it
# names when it is defined again; `retry` runs a begin body again after a rescue
case_at(321, 'method-name-alias-retry', "<% def host; p('host'); end; alias server host; def host; 'other'; end -%>\n<%= __method__.inspect %> <%= server %> <%= defined?(puts) %> <%= defined?(server) %> <%= defined?(nope).inspect %>\n<% tries = 0; begin; tries += 1; raise 'not yet' if tries < p('attempts'); rescue; retry; end -%>\ntries=<%= tries %>\n",
        props="host:\n    default: db.internal\n  attempts:\n    default: 3\n")

# the director names each template's ERB `JOB/SOURCE` (`JOB/monit`): `__FILE__` and `__dir__`
case_at(322, 'file-name', "<%= __FILE__ %> <%= __dir__ %> <%= File.basename(__FILE__, '.erb') %>\n",
        monit="check process <%= __FILE__.split('/').first %> # <%= __FILE__ %>\n")

# a template's YAML.load follows Psych's rules: no alias unless `aliases: true`, no class but
# Symbol (`safe_load`: not even that) unless permitted, each refusal naming what it met; the
# YAML 1.1 tags (`!!binary`, `!!omap`, `!!int`) and the loaders' keywords
case_at(323, 'yaml-load-permits', "<% def t; yield.inspect; rescue Psych::Exception, ArgumentError => e; \"#{e.class}: #{e.message}\"; end -%>\n" +
        "<%= t { YAML.load(p('doc')) } %>\n<%= t { YAML.load(p('doc'), aliases: true) } %>\n<%= t { YAML.safe_load(p('doc'), aliases: true) } %>\n" +
        "<%= t { YAML.load(\"base: &b {x: 1}\\nc:\\n  <<: *b\\n\") } %>\n<%= t { YAML.unsafe_load(\"a: &x 1\\nb: *x\") } %>\n" +
        "<%= t { YAML.load(\":a:\\n- :b\\n- !ruby/sym c\") } %> <%= t { YAML.safe_load(\":a: 1\") } %> <%= t { YAML.safe_load(\"- !ruby/symbol c\") } %>\n" +
        "<%= t { YAML.safe_load(\":a: 1\", permitted_classes: [Symbol]) } %> <%= t { YAML.safe_load(\"- :a\\n- :b\", permitted_classes: ['Symbol'], permitted_symbols: [:a]) } %> <%= t { YAML.load(\":a: 1\", permitted_classes: []) } %>\n" +
        "<%= t { YAML.load(\"when: 2001-01-01\") } %> <%= t { YAML.load(\"at: 2001-01-01 10:00:00\") } %> <%= t { YAML.load(\"a: !!timestamp 2001-01-01\") } %>\n" +
        "<%= t { YAML.load(\"--- !ruby/object:Foo::Bar\\na: 1\\n\") } %> <%= t { YAML.load(\"- !ruby/hash:Quux {}\") } %> <%= t { YAML.load(\"- !ruby/exception:RuntimeError {message: x}\") } %> <%= t { YAML.load(\"- !ruby/class String\") } %>\n" +
        "<%= t { YAML.load(\"- !ruby/regexp /a/\") } %> <%= t { YAML.load(\"- !ruby/range 1..2\") } %> <%= t { YAML.load(\"a: !!set {x}\") } %>\n" +
        "<%= t { YAML.load(\"a: !!binary aGVsbG8=\\nb: !!omap [x: 1, y: 2]\\nc: !!int 0x1f\\nd: !!pairs [x: 1]\\ne: !foo {k: 1}\") } %>\n" +
        "<%= t { YAML.load(\"a: 1\\nb: {c: [d: 2]}\\n3: x\", symbolize_names: true) } %>\n" +
        "<%= t { YAML.load(\"# nothing\") } %> <%= t { YAML.unsafe_load(\"\") } %> <%= t { YAML.load(\"\", fallback: {}) } %> <%= t { YAML.load(\"---\") } %>\n" +
        "<%= t { YAML.load(\"a: 1\", nope: 1) } %> <%= t { YAML.safe_load(\"a: 1\", [Symbol]) } %>\n",
        props="doc:\n    default: \"defaults: &d {port: 80}\\nweb:\\n  <<: *d\\n  host: a\\nlist: &l [1, 2]\\nagain: *l\\n\"\n")

# binary strings: packed bytes, digests and decoded Base64 are bytes, not text, and a
# template may write them out whole (gk-consul derives its gossip key so)
case_at(324, 'binary-strings', "<%\n  require 'base64'\n  require 'digest'\n  # a 32-byte key from a long password, as releases derive gossip keys\n  hex = p('secret').downcase.to_i(36).to_s(16).rjust(64, '0')[-64..-1]\n  key = [hex].pack('H*')\n-%>\nkey: <%= Base64.strict_encode64(key) %>\nsize: <%= key.bytesize %>\ndigest: <%= Base64.strict_encode64(Digest::SHA256.digest(p('secret'))) %>\nmd5: <%= Digest::MD5.digest('a').unpack1('H*') %>\ndecoded: <%= Base64.decode64('/+8A').bytes.inspect %>\ninspect: <%= [255, 0x23, 0x7b, 1].pack('C*').inspect %>\nmixed: <%= ('id-' + [0xfe].pack('C')).bytes.inspect %>\n<%= begin; 'é' + 255.chr; rescue Encoding::CompatibilityError => e; e.class; end %>\n",
        more=[('raw.erb', 'out/raw.bin', 'bytes:<%= 255.chr %><%= [0, 200].pack("C*") %>\n')],
        props='secret:\n    default: "k3y7Yh2Wq9Zr4Tn8Lp1Vm6Xs0Bc5Df7Gh2Jk9Qw3Er6Ty1Ui4Op8As"\n')

# a list given as a gzipped text in Base64, as haproxy-boshrelease reads its CIDR lists
case_at(325, 'gzip-property', '<%\n  require \'base64\'\n  require \'zlib\'\n  require \'stringio\'\n  list = p(\'cidrs\')\n  text = list.is_a?(Array) ? list.join("\\n") : Zlib::GzipReader.new(StringIO.new(Base64.decode64(list))).read\n-%>\n<% text.each_line do |cidr| -%>\nallow <%= cidr.strip %>;\n<% end -%>\ngunzip: <%= Zlib.gunzip(Base64.decode64(list)).bytesize %>\n<%= begin; Zlib::GzipReader.new(StringIO.new(\'not gzip\')).read; rescue Zlib::GzipFile::Error => e; "#{e.class}: #{e.message}"; end %>\n',
        props='cidrs:\n    description: "a list, or a gzipped list in Base64"\n    default: "H4sIAAAAAAAAAzM01DMAQX0LLkMDPTBH39CMCwAVdzbgFwAAAA=="\n')

# a failing monit stops the job before any template runs: a template that does not parse is
# not reported, though bale compiles every program of the job before it runs the first
case_at(326, 'monit-error-stops-before-a-syntax-error', "<% if %>\n<%= [1, %>\n",
        monit="check process demo\n  if totalmem > <%= p('limit') %> Mb then restart\n", props="limit: {}\n")

if __name__ == '__main__':
    main()
