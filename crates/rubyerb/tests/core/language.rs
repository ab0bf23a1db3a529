//! Language forms beyond the core classes: `alias` and `alias_method`, `retry`, `defined?`
//! of Kernel functions and of assignments, `__method__`, `__FILE__`, `Proc#arity`, the
//! attributes of `KeyError` and `NameError`, `def self.x` at a template's top level, `x = a, b`.

use super::{check, check_err};

#[test]
fn alias() {
    check(
        r##"class LangA; def a; "a:#{__method__}"; end; alias b a; alias :c :a; def a; "new"; end; end; o = LangA.new; [o.a, o.b, o.c].inspect"##,
        r##"["new", "a:a", "a:a"]"##,
    );
    check(
        r##"class LangB; def v; 1; end; alias_method :w, :v; X = alias_method(:x, "v"); end; [LangB.new.w, LangB.new.x, LangB::X].inspect"##,
        r##"[1, 1, :x]"##,
    );
    check(
        r##"class LangC; def ==(o) true end; alias eql? ==; end; LangC.new.eql?(1)"##,
        r##"true"##,
    );
    check(
        r##"class LangD; def v; 1; end; end; class LangE < LangD; alias w v; def v; 2; end; end; [LangE.new.w, LangE.new.v].inspect"##,
        r##"[1, 2]"##,
    );
    check(
        r##"def lang_f; 7; end; alias lang_g lang_f; lang_g"##,
        r##"7"##,
    );
    check_err(
        r##"class LangF; alias_method :x, :nope; end"##,
        r##"NameError: undefined method 'nope' for class 'LangF'"##,
    );
    check_err(
        r##"class LangG; alias x nope; end"##,
        r##"NameError: undefined method 'nope' for class 'LangG'"##,
    );
}

#[test]
fn retry() {
    check(
        r##"n = 0; begin; n += 1; raise "x" if n < 3; rescue; retry; end; n"##,
        r##"3"##,
    );
    check(
        r##"n = 0; begin; n += 1; raise "x" if n < 3; rescue; retry; ensure; n += 100; end; n"##,
        r##"103"##,
    );
    check(
        r##"def lang_r(a); a << 1; raise "e" if a.size < 4; a.size; rescue; retry if a.size < 6; -1; end; lang_r([])"##,
        r##"4"##,
    );
    check(
        r##"m = 0; x = (m += 1; m < 3 ? raise("z") : m) rescue retry; x"##,
        r##"3"##,
    );
    check(
        r##"k = 0; [1].each do |i| k += 1; raise "q" if k < 2; rescue; retry; end; k"##,
        r##"2"##,
    );
    check(
        r##"n = 0; [1, 2].map { |x| begin; n += 1; raise "e" if n < 3; x; rescue; retry; end }.inspect"##,
        r##"[1, 2]"##,
    );
    check_err(
        r##"n = 0; begin; n += 1; raise ArgumentError, "a#{n}" if n < 3; raise "b"; rescue ArgumentError; retry; end"##,
        r##"RuntimeError: b"##,
    );
}

#[test]
fn defined_kernel_functions() {
    check(
        r##"[defined?(puts), defined?(format), defined?(raise), defined?(lambda), defined?(require), defined?(nope)].inspect"##,
        r##"["method", "method", "method", "method", "method", nil]"##,
    );
    check(r##"defined?(String.new)"##, r##"method"##);
}

#[test]
fn method_name() {
    check(
        r##"def lang_m; __method__; end; lang_m.inspect"##,
        r##":lang_m"##,
    );
    check(
        r##"def lang_n; [1].map { __method__ }; end; lang_n.inspect"##,
        r##"[:lang_n]"##,
    );
}

#[test]
fn proc_arity() {
    check(
        r##"[proc { |x| }.arity, proc { |*a| }.arity, proc { |x = 0| }.arity, proc { |x, y = 0| }.arity, proc { |x, *y| }.arity, proc {}.arity].inspect"##,
        r##"[1, -1, 0, 1, -2, 0]"##,
    );
    check(
        r##"[->(x, y) {}.arity, lambda { |x = 0| }.arity, ->(a, b: 1) {}.arity, ->(a, b:) {}.arity, ->(**k) {}.arity, ->() {}.arity].inspect"##,
        r##"[2, -1, -2, 2, -1, 0]"##,
    );
}

#[test]
fn exception_attributes() {
    check(
        r##"begin; {}.fetch(:x); rescue KeyError => e; [e.key, e.receiver].inspect; end"##,
        r##"[:x, {}]"##,
    );
    check(
        r##"begin; {a: 1}.fetch_values(:a, :zz); rescue KeyError => e; [e.key, e.receiver].inspect; end"##,
        r##"[:zz, {a: 1}]"##,
    );
    check(
        r##"begin; nil.foo; rescue NoMethodError => e; [e.name, e.receiver].inspect; end"##,
        r##"[:foo, nil]"##,
    );
    check(
        r##"begin; undefined_thing; rescue NameError => e; e.name.inspect; end"##,
        r##":undefined_thing"##,
    );
    check(
        r##"begin; {}.fetch(:x); rescue KeyError => e; e.inspect; end"##,
        r##"#<KeyError: key not found: :x>"##,
    );
}

#[test]
fn defined_assignment() {
    check(
        r##"defined?(x = 1).inspect + defined?(@a ||= 2).inspect + defined?(h[:k] += 1).inspect"##,
        r##""assignment""assignment""assignment""##,
    );
}

#[test]
fn kernel_module_functions() {
    check(r##"Kernel.format("%05.1f", 3.14159)"##, r##"003.1"##);
    check(
        r##"Kernel.Integer("12") + Kernel.sprintf("%d", 3).to_i"##,
        r##"15"##,
    );
    check_err(
        r##"Kernel.raise ArgumentError, "boom""##,
        r##"ArgumentError: boom"##,
    );
}

#[test]
fn file_name_without_a_host() {
    check(
        r##"[__FILE__.class, __dir__].inspect"##,
        r##"[String, nil]"##,
    );
}

/// Values without an order of their own still compare equal to an equal value.
#[test]
fn equal_values_compare() {
    check(
        r##"[[nil, nil, nil].min(2), [nil, nil].max, [{a: 1}, {a: 1}].max, [true, true].sort].inspect"##,
        r##"[[nil, nil], nil, {a: 1}, [true, true]]"##,
    );
    check_err(
        r##"[{a: 1}, {a: 2}].max"##,
        r##"ArgumentError: comparison of Hash with Hash failed"##,
    );
}

/// `def self.x` at a template's top level defines a method of its main object, called
/// with or without `self.`.
#[test]
fn singleton_methods_of_main() {
    check(
        r##"def self.lang_h(x); x * 2; end; [lang_h(3), self.lang_h(4)].inspect"##,
        r##"[6, 8]"##,
    );
    check(
        r##"def self.lang_i; lang_j + 1; end; def self.lang_j; 2; end; [lang_i, respond_to?(:lang_i)].inspect"##,
        r##"[3, true]"##,
    );
    check(
        r##"def self.lang_k; yield __method__; end; lang_k { |m| m.inspect }"##,
        r##":lang_k"##,
    );
    check(
        r##"class LangK; def self.m; 1; end; def m; 2; end; end; [LangK.m, LangK.new.m].inspect"##,
        r##"[1, 2]"##,
    );
}

/// A statement `lhs = a, b` assigns the list, also to an element or attribute, and after a
/// splat; in an argument list the `,` still ends the argument.
#[test]
fn assignment_of_a_list() {
    check(r##"x = 1, 2; x.inspect"##, r##"[1, 2]"##);
    check(
        r##"h = {}; h[:a] = 1, *[2, 3]; o = OpenStruct.new; o.b = 4, 5; [h[:a], o.b].inspect"##,
        r##"[[1, 2, 3], [4, 5]]"##,
    );
    check(
        r##"x = *[1], 2; y = z = 3, 4; w = [5], 6; [x, y, z, w].inspect"##,
        r##"[[1, 2], [3, 4], 3, [[5], 6]]"##,
    );
    check(
        r##"x = 1,
  2; x.inspect"##,
        r##"[1, 2]"##,
    );
    check(
        r##"def lang_l(*a); a; end; z = lang_l(x = 1, 2); [x, z].inspect"##,
        r##"[1, [1, 2]]"##,
    );
}

/// A proc's or lambda's `&b` parameter takes the block its call is given.
#[test]
fn a_proc_called_with_a_block() {
    check(
        r##"h = ->(&b) { b.call(2) }; h.call { |x| x * 3 }"##,
        r##"6"##,
    );
    check(
        r##"h = ->(a, &b) { b ? b[a] : :none }; [h.(1) { |x| x + 1 }, h.(1)].inspect"##,
        r##"[2, :none]"##,
    );
    check(
        r##"pr = proc { |a, &b| [a, b.nil?] }; [pr.call(1), pr.yield(2) { }].inspect"##,
        r##"[[1, true], [2, false]]"##,
    );
    check(r##"l = lambda { |&b| b }; l.call.inspect"##, r##"nil"##);
}

/// `respond_to?` answers from Ruby's own method lists, whether or not bale implements the
/// method: `nil.to_s`, `'a'.next`, `1.gcd` and `1.5.nan?` are there, `1.5.times` is not.
#[test]
fn respond_to_answers_as_ruby_does() {
    check(
        r##"class Rt; def a; end; end; [Rt.new.respond_to?(:a), Rt.new.respond_to?(:to_s), Rt.new.respond_to?(:b), Rt.new.respond_to?(:instance_variables), Rt.respond_to?(:new)].inspect"##,
        r##"[true, true, false, true, true]"##,
    );
    check(
        r##"[nil.respond_to?(:to_s), nil.respond_to?(:empty?), 'a'.respond_to?(:next), 'a'.respond_to?(:each), 'a'.respond_to?(:each_char), 'a'.respond_to?(:empty?)].inspect"##,
        r##"[true, false, true, false, true, true]"##,
    );
    check(
        r##"[1.respond_to?(:gcd), 1.respond_to?(:pow), 1.5.respond_to?(:pow), 1.5.respond_to?(:times), 1.5.respond_to?(:nan?), (2**70).respond_to?(:bit_length)].inspect"##,
        r##"[true, true, false, false, true, true]"##,
    );
    check(
        r##"[[].respond_to?(:each), [].respond_to?(:keys), {}.respond_to?(:each_pair), {}.respond_to?(:to_ary), (1..2).respond_to?(:step), :a.respond_to?(:to_proc)].inspect"##,
        r##"[true, false, true, false, true, true]"##,
    );
    check(
        r##"[true.respond_to?(:&), false.respond_to?(:to_s), /a/.respond_to?(:match), ->{}.respond_to?(:call), 1.respond_to?(:each), 1.respond_to?('to_json')].inspect"##,
        r##"[true, true, true, true, false, true]"##,
    );
    // a built-in class or module: its own singleton methods, then what every class or
    // module has; never one of its functions called with the name
    check(
        r##"[JSON.respond_to?(:generate), YAML.respond_to?(:dump), Base64.respond_to?(:encode64), SecureRandom.respond_to?(:hex), Shellwords.respond_to?(:escape), Time.respond_to?(:now)].inspect"##,
        r##"[true, true, true, true, true, true]"##,
    );
    check(
        r##"[Math.respond_to?(:sqrt), Math.respond_to?(:nope), Integer.respond_to?(:sqrt), Integer.respond_to?(:new), File.respond_to?(:exist?), JSON.respond_to?(:name), JSON.respond_to?(:new), Struct.respond_to?(:new)].inspect"##,
        r##"[true, false, true, false, true, true, false, true]"##,
    );
    check(
        r##"[Digest::SHA256.respond_to?(:hexdigest), URI.respond_to?(:parse), OpenStruct.respond_to?(:new), String.respond_to?(:ancestors), Kernel.respond_to?(:format), Comparable.respond_to?(:instance_method)].inspect"##,
        r##"[true, true, true, true, true, true]"##,
    );
    check(
        r##"class RtE < StandardError; end; class RtH < Hash; end; [RtE.respond_to?(:exception), RtH.respond_to?(:[]), RtH.respond_to?(:new), RtE.respond_to?(:nope)].inspect"##,
        r##"[true, true, true, false]"##,
    );
}

/// Class comparison: `<` and `>` are strict, classes apart compare as nil, and a value that
/// is no class is a TypeError.
#[test]
fn classes_compare_by_ancestry() {
    check(
        r##"[Integer <= Numeric, Integer < Integer, String < Comparable, Hash < Object, Integer < Float, Numeric > Integer, Numeric >= Numeric, Integer > Numeric, Comparable > String, Integer >= Float].inspect"##,
        r##"[true, false, true, true, nil, true, true, false, true, nil]"##,
    );
    check_err(
        r##"Integer < 1"##,
        r##"TypeError: compared with non class/module"##,
    );
}
