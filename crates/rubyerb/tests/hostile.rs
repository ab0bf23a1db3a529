//! Hostile templates end in a clean template error at their line, quickly: no crash, no
//! hang, no unbounded allocation. Steps are lowered so that the loops end fast in debug
//! builds; every other budget is the default.

use std::time::{Duration, Instant};

use rubyerb::{render, Failure, Limits, NoHost, YamlErrorKind};

/// Inputs past what the fuzzer makes, sharing these helpers.
#[path = "hostile/deep.rs"]
mod deep;

fn limits() -> Limits {
    Limits {
        steps: 200_000,
        ..Limits::default()
    }
}

/// Renders `src`, expecting a failure of `class` at `line` whose message contains `msg`.
fn check_fails(src: &str, line: u32, class: &str, msg: &str) {
    check_fails_under(&limits(), src, line, class, msg)
}

/// [`check_fails`] under `limits`.
fn check_fails_under(limits: &Limits, src: &str, line: u32, class: &str, msg: &str) {
    let start = Instant::now();
    let r = render(src.as_bytes(), &NoHost, limits);
    let took = start.elapsed();
    match r {
        Err(Failure {
            line: l,
            class: c,
            message,
        }) => {
            assert_eq!((l, c.as_str()), (line, class), "{src}: {message}");
            assert!(message.contains(msg), "{src}: {message}");
        }
        Ok(out) => panic!("{src}: rendered {} bytes", out.len()),
    }
    assert!(took < Duration::from_secs(20), "{src}: took {took:?}");
}

#[test]
fn lambda_recursion_is_stack_level_too_deep() {
    check_fails(
        "x\n<% f = ->(x) { f.(x) } %><%= f.(1) %>",
        2,
        "SystemStackError",
        "stack level too deep",
    );
}

#[test]
fn method_recursion_is_stack_level_too_deep() {
    check_fails(
        "<% def r(n); r(n + 1); end %>\n<%= r(0) %>",
        1,
        "SystemStackError",
        "stack level too deep",
    );
}

/// Integer division at the ends of 64 bits once panicked (`i64::MIN / -1`, a remainder by 0).
#[test]
fn integer_division_edges_are_answers_or_errors() {
    check_fails(
        "<%= (-9223372036854775807 - 1) / -1 %>\n<%= 5.remainder(0) %>",
        2,
        "ZeroDivisionError",
        "divided by 0",
    );
}

/// A write far past an array's end once filled the gap with nils without a bound.
#[test]
fn writes_far_past_an_array_end_are_budgeted() {
    check_fails(
        "<% a = [1] %>\n<% a.insert(2**62, 9) %>",
        2,
        rubyerb::EXCEEDED,
        "exceeds the budget",
    );
    check_fails(
        "\n\n<% a = [1]; a[2**40] = 1 %>",
        3,
        rubyerb::EXCEEDED,
        "exceeds the budget",
    );
}

#[test]
fn two_thousand_nested_parentheses_render() {
    let src = format!("<%= {}1{} %>", "(".repeat(2000), ")".repeat(2000));
    let out = render(src.as_bytes(), &NoHost, &limits()).unwrap();
    assert_eq!(out, b"1");
}

#[test]
fn nesting_past_the_budget_is_a_syntax_error() {
    let src = format!("\n<%= {}1{} %>", "[".repeat(6000), "]".repeat(6000));
    check_fails(&src, 2, "SyntaxError", "nest deeper");
}

#[test]
fn upto_ten_billion_runs_out_of_steps() {
    check_fails(
        "<% 1.upto(10_000_000_000){} %>",
        1,
        "BudgetExceeded",
        "evaluation steps",
    );
}

/// A rescue clause that retries a body failing every time, and one that retries a
/// re-raise: both spend steps per run.
#[test]
fn retry_forever_runs_out_of_steps() {
    for src in [
        "\n<% begin; raise 'x'; rescue; retry; end %>",
        "\n<% begin; raise; rescue; retry; end %>",
        "\n<% Integer('z') rescue retry %>",
    ] {
        check_fails(src, 2, "BudgetExceeded", "evaluation steps");
    }
}

/// An endless range walked by a block that never stops it, or taken a billion at a time.
#[test]
fn an_endless_range_runs_out_of_steps() {
    for src in [
        "<% (1..).each {} %>",
        "<% (1..).take_while { true } %>",
        "<% (1..).find { false } %>",
        "<% (1..).lazy.select { false }.first %>",
        "<% (1..).lazy.map { |x| x }.to_a %>",
        "<% (1..).lazy.to_a %>",
        "<% (1..).step(2).find { false } %>",
        "<% (1..).step(3) { } %>",
        "<% 1.step.lazy.reject { true }.first(2) %>",
    ] {
        check_fails(src, 1, "BudgetExceeded", "evaluation steps");
    }
    check_fails(
        "<% (1..).first(10_000_000_000) %>",
        1,
        "BudgetExceeded",
        "materialising",
    );
}

#[test]
fn times_ten_billion_runs_out_of_steps() {
    check_fails(
        "<% 10_000_000_000.times{} %>",
        1,
        "BudgetExceeded",
        "evaluation steps",
    );
}

#[test]
fn step_ten_billion_is_not_materialised() {
    check_fails(
        "<% 1.step(10_000_000_000, 1){} %>",
        1,
        "BudgetExceeded",
        "materialising",
    );
}

/// Each string of a string range is a step: a long one ends at the step budget (under the
/// default steps, at the range budget), not after millions of `succ` calls.
#[test]
fn a_long_string_range_runs_out_of_steps() {
    check_fails(
        "<%= ('a'..'zzzzzz').to_a.size %>",
        1,
        "BudgetExceeded",
        "evaluation steps",
    );
    let few = Limits {
        range: 1_000,
        ..limits()
    };
    let r = render(b"<%= ('a'..'zzz').step(2).to_a.size %>", &NoHost, &few);
    assert!(matches!(r, Err(Failure { ref message, .. }) if message.contains("materialising")));
    let r = render(b"<%= ('a'..'zz').to_a.size %>", &NoHost, &limits());
    assert_eq!(r.unwrap(), b"702");
}

#[test]
fn string_times_ten_billion_is_too_big() {
    check_fails(
        "<%= 'a' * 10_000_000_000 %>",
        1,
        "BudgetExceeded",
        "10000000000 bytes",
    );
}

#[test]
fn ljust_ten_billion_is_too_wide() {
    check_fails(
        "<%= 'a'.ljust(10_000_000_000) %>",
        1,
        "BudgetExceeded",
        "format width",
    );
}

#[test]
fn array_times_ten_billion_is_too_big() {
    check_fails(
        "<%= [1] * 10_000_000_000 %>",
        1,
        "BudgetExceeded",
        "10000000000 bytes or elements",
    );
}

#[test]
fn format_width_of_a_billion_is_too_wide() {
    check_fails(
        "<%= '%01000000000d' % 1 %>",
        1,
        "BudgetExceeded",
        "format width 1000000000",
    );
}

#[test]
fn doubling_a_string_stops_at_the_size_budget() {
    check_fails(
        "<% s = 'ab'; 60.times { s << s } %>",
        1,
        "BudgetExceeded",
        "exceeds the budget",
    );
}

#[test]
fn doubling_by_interpolation_stops_at_the_size_budget() {
    check_fails(
        "<% s = 'ab'; 60.times { s = \"#{s}#{s}\" } %>",
        1,
        "BudgetExceeded",
        "exceeds the budget",
    );
}

/// The generator's options are strings of any length, repeated per level and element.
#[test]
fn a_long_json_indent_stops_at_the_size_budget() {
    check_fails(
        "<%= JSON.generate([[[1]]] * 1000, indent: 'x' * 1_000_000) %>",
        1,
        "BudgetExceeded",
        "exceeds the budget",
    );
}

#[test]
fn an_endless_loop_runs_out_of_steps() {
    check_fails(
        "<% while true; end %>",
        1,
        "BudgetExceeded",
        "evaluation steps",
    );
}

#[test]
fn a_spent_budget_is_not_rescued() {
    check_fails(
        "<% begin; loop {}; rescue Exception; end %>",
        1,
        "BudgetExceeded",
        "evaluation steps",
    );
}

#[test]
fn wall_time_is_budgeted() {
    let l = Limits {
        time: Duration::from_millis(200),
        ..Limits::default()
    };
    let start = Instant::now();
    let r = render(b"<% loop {} %>", &NoHost, &l).unwrap_err();
    assert_eq!(r.class, "BudgetExceeded");
    assert!(r.message.contains("evaluation time"), "{}", r.message);
    assert!(start.elapsed() < Duration::from_secs(5));
}

#[test]
fn a_self_containing_array_does_not_join_forever() {
    check_fails(
        "<% a = []; a << a %><%= a.join %>",
        1,
        "ArgumentError",
        "recursive array join",
    );
}

/// Arrays that share one large array or string many times are small to hold and huge to
/// print, flatten or combine: refused before any of it is made.
#[test]
fn shared_parts_are_counted_each_time_they_are_printed() {
    for (src, msg) in [
        (
            "<%= [[1] * 10**6] * 10**4 %>",
            "10000000000 bytes or elements",
        ),
        (
            "<% x = [[1] * 10**6] * 10**4 %><%= x.flatten.size %>",
            "10000000000",
        ),
        (
            "<% x = [[1] * 10**6] * 10**4 %><%= x.to_json.size %>",
            "10000000000",
        ),
        (
            "<% x = [[1] * 10**6] * 10**4 %><%= YAML.dump(x).size %>",
            "10000000000",
        ),
        (
            "<% x = ['y' * 10**6] * 10**4 %><%= x.join.size %>",
            "10000000000",
        ),
        (
            "<% x = [[1] * 10**6] * 10**4 %><%= \"#{x}\".size %>",
            "10000000000",
        ),
        (
            "<%= (1..26).to_a.combination(13).size %>",
            "materialising 10400600",
        ),
        (
            "<%= (1..1000).to_a.product((1..1000).to_a, (1..1000).to_a).size %>",
            "materialising",
        ),
        ("<%= (1..40).to_a.permutation(20).size %>", "materialising"),
        (
            "<%= (1..40).to_a.repeated_permutation(9).size %>",
            "materialising",
        ),
        ("<%= ['a'].pack('a10000000000').size %>", "10000000000"),
        ("<%= ['a'].pack('x10000000000').size %>", "10000000000"),
        ("<%= [1].values_at(0..10**12).size %>", "1000000000001"),
    ] {
        check_fails(src, 1, "BudgetExceeded", msg);
    }
    // an array's elements count as the bytes they take against the total
    check_fails(
        "<%= Array.new(10**6) { [0] * 10**6 }.size %>",
        1,
        "BudgetExceeded",
        "allocated more than its budget",
    );
}

#[test]
fn billion_laughs_yaml_fails_on_expansion() {
    let mut doc = String::from("a0: &a0 [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
    for i in 1..10 {
        let refs = vec![format!("*a{}", i - 1); 10].join(",");
        doc.push_str(&format!("a{i}: &a{i} [{refs}]\n"));
    }
    assert!(doc.len() < 800, "{}", doc.len());
    // the expansion budget's own error is the proof that it stopped (no timing: a debug
    // build on a loaded machine takes seconds to reach the budget)
    let e = rubyerb::load_yaml_json(&doc).unwrap_err();
    assert!(matches!(e.kind, YamlErrorKind::TooLarge(_)), "{e}");
    assert!(e.to_string().contains("expands"), "{e}");
}

#[test]
fn deep_yaml_fails_on_depth() {
    // block style: ours; flow style: the YAML parser's own recursion limit
    let block: String = (0..300).map(|i| format!("{}k:\n", " ".repeat(i))).collect();
    let e = rubyerb::load_yaml_json(&block).unwrap_err();
    assert!(matches!(e.kind, YamlErrorKind::TooDeep(_)), "{e}");
    assert!(e.to_string().contains("nesting deeper"), "{e}");
    let flow = format!("{}1{}", "[".repeat(10_000), "]".repeat(10_000));
    let e = rubyerb::load_yaml_json(&flow).unwrap_err();
    assert_eq!(e.line, 1, "{e}");
    assert!(e.to_string().starts_with("line 1:"), "{e}");
}

#[test]
fn an_endless_cycle_runs_out_of_steps() {
    check_fails(
        "<% [1].cycle { } %>",
        1,
        "BudgetExceeded",
        "evaluation steps",
    );
    check_fails("<% loop { } %>", 1, "BudgetExceeded", "evaluation steps");
}

#[test]
fn an_endless_cycle_is_not_materialised() {
    check_fails(
        "\n<%= [1].cycle.map { |x| x } %>",
        2,
        "RuntimeError",
        "cycle without a count never ends",
    );
}

#[test]
fn random_generators_count_against_the_allocation_budget() {
    // each keeps 2.5 KiB of state: with 10 MB to allocate, the loop stops at about 4,000
    let src = "<% a = []\n 1_000_000.times { |i| a << Random.new(i) } %>";
    let small = Limits {
        total_alloc: 10 << 20,
        ..Limits::default()
    };
    check_fails_under(
        &small,
        src,
        2,
        "BudgetExceeded",
        "allocated more than its budget",
    );
}

/// Literals made in a loop, and the small arrays a method makes inside its result, count
/// with their own blocks: each of these once held gigabytes under the default budget.
#[test]
fn literals_and_nested_results_count_against_the_allocation_budget() {
    let small = Limits {
        total_alloc: 16 << 20,
        ..Limits::default()
    };
    for src in [
        "<% a = []\n 1_000_000.times { a << {x: 1, y: 2} } %>",
        "<% a = []\n 1_000_000.times { a << [1, 2, 3] } %>",
        "<% a = []\n 1_000_000.times { a << 'a string of some length' } %>",
        "<% a = []\n 1_000_000.times { a << [] } %>",
        "\n<%= (1..1_000_000).zip(1..1_000_000).size %>",
        "\n<%= (1..1_000_000).each_slice(2).to_a.size %>",
        "\n<%= (1..1_000_000).group_by { |i| i }.size %>",
    ] {
        check_fails_under(
            &small,
            src,
            2,
            "BudgetExceeded",
            "allocated more than its budget",
        );
    }
    // the same loops, a hundred times shorter, fit
    let out = render(
        b"<% a = []; 10_000.times { a << {x: 1} << [1, 2] << 'ab' } %><%= a.size %>",
        &NoHost,
        &small,
    );
    assert_eq!(out.unwrap(), b"30000");
}

#[test]
fn eval_of_eval_runs_out_of_call_depth() {
    check_fails(
        "\n<% s = 'eval(s)' %><%= eval(s) %>",
        2,
        "SystemStackError",
        "stack level too deep",
    );
}

/// Big integers are bounded: a power, a shift, a product or a literal past the size limit
/// is refused before the number is made, however small the expression.
#[test]
fn integers_past_the_size_limit_are_refused() {
    for (src, msg) in [
        ("<%= 2 ** (2 ** 40) %>", "65536-bit limit"),
        ("<%= 3 ** 100_000 %>", "65536-bit limit"),
        ("<%= 1 << (2 ** 40) %>", "65536-bit limit"),
        ("<%= (2 ** 40_000) * (2 ** 40_000) %>", "65536-bit limit"),
    ] {
        check_fails(src, 1, "RangeError", msg);
    }
    let digits = "9".repeat(30_000);
    check_fails(
        &format!("<%= '{digits}'.to_i %>"),
        1,
        "NotImplementedError",
        "65536 bits",
    );
    check_fails(&format!("<%= {digits} %>"), 1, "SyntaxError", "too large");
}

/// Numbers at the ends of their ranges (64-bit integers, big ones, infinities, NaN, the
/// smallest float) through the numeric, indexing, formatting and counting methods: each is
/// an answer or a Ruby error, never a panic (tests are built with overflow checks, so a
/// wrapped operation fails here), a hang or an unbounded allocation.
#[test]
fn edge_numbers_through_every_numeric_method_are_answers_or_errors() {
    let ints = [
        "(-9223372036854775807 - 1)",
        "9223372036854775807",
        "-1",
        "0",
        "(2**62)",
        "(2**64)",
    ];
    let floats = ["Float::NAN", "-Float::INFINITY", "1e308", "5e-324", "-0.0"];
    let unary = [
        "abs",
        "-@",
        "succ",
        "pred",
        "digits",
        "bit_length",
        "to_s(2)",
        "chr",
        "to_i",
        "round",
        "floor",
        "ceil",
        "to_r",
        "next_float",
        "divmod(-1)",
        "remainder(0)",
        "times.size",
    ];
    let binary = [
        "{} / {}",
        "{} % {}",
        "{} ** {}",
        "{} <=> {}",
        "{} << {}",
        "{} >> {}",
        "{}.div({})",
        "{}.divmod({})",
        "{}.remainder({})",
        "{}.gcd({})",
        "{}.lcm({})",
        "{}.fdiv({})",
        "{}.round({})",
        "{}.floor({})",
        "{}.ceil({})",
        "{}.pow({}, 7)",
        "{}.step({}, -1).first(2)",
        "({}..{}).size",
        "(1..10).step({}).first(2)",
        "[1, 2, 3][{}, {}]",
        "'abcdef'[{}, {}]",
        "[1, 2, 3][..{}]",
        "[1].insert({}, {})",
        "a = [1]; a[{}] = {}",
        "[3, 1].each.with_index({}).to_a",
        "'%d|%f' % [{}, {}]",
        "format('%.*f', {}, {})",
        "Time.at({}).year + {}",
    ];
    let nums: Vec<&str> = ints.iter().chain(floats.iter()).copied().collect();
    let mut exprs = Vec::new();
    for x in &nums {
        for u in unary {
            exprs.push(format!("({x}).{u}"));
        }
        for y in &nums {
            for b in binary {
                exprs.push(b.replacen("{}", &format!("({x})"), 1).replacen(
                    "{}",
                    &format!("({y})"),
                    1,
                ));
            }
        }
    }
    let start = Instant::now();
    for e in &exprs {
        let src = format!("<%= begin; ({e}).inspect; rescue => x; x.class; end %>");
        let r = std::panic::catch_unwind(|| render(src.as_bytes(), &NoHost, &limits()));
        assert!(r.is_ok(), "{e}: panicked");
    }
    assert!(
        start.elapsed() < Duration::from_secs(120),
        "took {:?}",
        start.elapsed()
    );
}
