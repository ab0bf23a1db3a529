//! Inputs past what the fuzzer makes, each of which once crashed bale or held gigabytes:
//! chains of a hundred thousand links, values nested by a loop a million levels deep,
//! thousands of objects or regexps, `eval` of a large string. Each now ends in a template
//! error at its line, or renders. Steps are lowered where the loops allow it.

use std::time::{Duration, Instant};

use rubyerb::{render, Limits, NoHost};

use super::{check_fails, limits};

/// Thousands of distinct patterns with large automata (`\p{L}{100}` is hundreds of
/// thousands of NFA states' worth of bytes) once held gigabytes: compiling one now counts its
/// engines' memory towards the allocation budget, and the thread's cache of patterns is
/// held to a size, so the render stops at its budget (lowered here to keep the test short).
#[test]
fn many_large_regexps_are_budgeted() {
    let src =
        "<% n = 0 %>\n<% 2000.times { |i| n += 1 if Regexp.new(\"\\\\p{L}{100}#{i}\") =~ 'x' } %>";
    let limits = Limits {
        total_alloc: 64 << 20,
        ..limits()
    };
    let start = Instant::now();
    let err = render(src.as_bytes(), &NoHost, &limits).unwrap_err();
    assert_eq!(
        (err.line, err.class.as_str()),
        (2, rubyerb::EXCEEDED),
        "{}",
        err.message
    );
    assert!(err.message.contains("allocated more"), "{}", err.message);
    assert!(start.elapsed() < Duration::from_secs(20));
    // the same few patterns again and again are compiled once: no budget spent past the first
    let reused =
        "<% n = 0; 5_000.times { |i| n += 1 if Regexp.new(\"x#{i % 3}y+\") =~ 'x1yy' } %><%= n %>";
    let out = render(reused.as_bytes(), &NoHost, &limits).unwrap();
    assert_eq!(out, b"1667");
}

/// A chain built in a loop nests the tree as deeply as parentheses do (`1+1+...`,
/// `x.abs.abs...`, `elsif` after `elsif`, `not not ...`): a 600 KB template of one once
/// crashed bale when its tree was dropped. Each link counts against the nesting budget.
#[test]
fn long_chains_are_held_to_the_nesting_budget() {
    let n = 100_000;
    for src in [
        format!("<%= {}1 %>", "1+".repeat(n)),
        format!("<%= 1{} %>", ".abs".repeat(n)),
        format!("<%= {}true %>", "true && ".repeat(n)),
        format!("<% 1{} %>", " if true".repeat(n)),
        format!("<% if false %>{}<% end %>", "<% elsif false %>".repeat(n)),
        format!("<%= {}true %>", "not ".repeat(n)),
    ] {
        check_fails(&src, 1, "SyntaxError", "nest deeper than the budget");
    }
    // a long chain within the budget still renders
    let src = format!("<%= {}1 %>", "1+".repeat(3_000));
    assert_eq!(render(src.as_bytes(), &NoHost, &limits()).unwrap(), b"3001");
}

/// An array nested 20,000 levels deep by a loop, and another like it.
fn deep_arrays(then: &str) -> String {
    let make =
        |v: &str| format!("<% {v} = []; x = {v}; 20_000.times {{ y = []; x << y; x = y }} %>");
    format!("{}{}\n{then}", make("a"), make("b"))
}

/// Walking a value nested past 10,000 levels (`==`, `<=>`, hash keys, `flatten`,
/// `to_yaml`) recursed once per level and overflowed the native stack; it now stops, with
/// Ruby's `SystemStackError` (Ruby gives up at about the same depths).
#[test]
fn deep_values_are_walked_to_a_limit() {
    let limits = Limits {
        steps: 1_000_000,
        ..limits()
    };
    for op in [
        "<%= a == b %>",
        "<%= [a, b].sort.size %>",
        "<%= { a => 1 }.size %>",
        "<%= [a, b].uniq.size %>",
        "<%= a.flatten.size %>",
        "<%= a.to_yaml.size %>",
        "<%= case a when b then 1 end %>",
    ] {
        let src = deep_arrays(op);
        let err = render(src.as_bytes(), &NoHost, &limits).unwrap_err();
        assert_eq!(
            (err.line, err.class.as_str(), err.message.as_str()),
            (2, "SystemStackError", "stack level too deep"),
            "{op}"
        );
    }
    // printing stops at its own depth, as before
    let src = deep_arrays("<%= a.inspect.size %>");
    assert!(render(src.as_bytes(), &NoHost, &limits).is_ok());
}

/// Dropping an array, hash, object, OpenStruct or range nested 100,000 levels deep
/// recursed once per level: a template that only built one crashed bale when its values
/// were dropped.
#[test]
fn deeply_nested_values_drop_without_recursion() {
    let limits = Limits {
        steps: 10_000_000,
        ..limits()
    };
    for src in [
        "<% a = []; x = a; 100_000.times { y = []; x << y; x = y } %>ok",
        "<% a = {}; x = a; 100_000.times { y = {}; x[1] = y; x = y } %>ok",
        "<% a = []; x = a; 100_000.times { y = [{}]; x << y; x = y[0]; x[0] = [] ; x = x[0] } %>ok",
        "<% a = OpenStruct.new; x = a; 100_000.times { y = OpenStruct.new; x.n = y; x = y } %>ok",
        "<% class C; attr_accessor :n; end; a = C.new; x = a; 100_000.times { y = C.new; x.n = y; x = y } %>ok",
        "<% r = (1..2); 100_000.times { r = (r..r) } %>ok",
    ] {
        assert_eq!(
            render(src.as_bytes(), &NoHost, &limits).unwrap(),
            b"ok",
            "{src}"
        );
    }
}

/// Objects, OpenStructs and their names were not counted against the allocation budget:
/// `Object.new` five million times held 2 GB. And `eval` of a 40 MB string of code held
/// 4.7 GB compiling it; its tokens and tree are now counted before they are made.
#[test]
fn objects_and_eval_count_against_the_allocation_budget() {
    let limits = Limits {
        steps: 50_000_000,
        total_alloc: 64 << 20,
        ..limits()
    };
    for src in [
        "<% a = []; 2_000_000.times { a << Object.new } %>",
        "<% a = []; 2_000_000.times { a << OpenStruct.new(x: 1) } %>",
        "<% o = Object.new; 2_000_000.times { |i| o.instance_variable_set(\"@v#{i}\", i) } %>",
        "<%= eval('[' + '1,' * 1_000_000 + '1]').size %>",
    ] {
        let err = render(src.as_bytes(), &NoHost, &limits).unwrap_err();
        assert_eq!(err.class, rubyerb::EXCEEDED, "{src}: {}", err.message);
        assert!(err.message.contains("budget"), "{src}: {}", err.message);
    }
    // what a template makes of a few objects and a small eval is nowhere near
    let src = "<% a = []; 1000.times { |i| a << OpenStruct.new(x: i) } %><%= eval('a.size') %>";
    assert_eq!(render(src.as_bytes(), &NoHost, &limits).unwrap(), b"1000");
}

/// A template of millions of tokens (a 14 MB array literal held 1.3 GB while compiled, and a
/// string of a million interpolations, a word list or a heredoc as much) ends at the token
/// budget, at the line where it is spent; real templates have at most some 20,000 tokens.
#[test]
fn templates_past_the_token_budget_are_refused() {
    let small = Limits {
        tokens: 10_000,
        ..limits()
    };
    let fails = |src: &str, line: u32| {
        let Err(err) = render(src.as_bytes(), &NoHost, &small) else {
            panic!("{src:.60}: rendered");
        };
        assert_eq!(
            (err.line, err.class.as_str()),
            (line, "SyntaxError"),
            "{src:.60}"
        );
        assert!(
            err.message.contains("budget of 10000 tokens"),
            "{}",
            err.message
        );
    };
    fails(&format!("<%= [{}1].size %>", "1,".repeat(20_000)), 1);
    fails(
        &format!("<% x = 1 %>\n<% {} %>", "x\n".repeat(20_000)),
        4999,
    );
    fails(&format!("<%= \"{}\" %>", "#{1}".repeat(10_000)), 1);
    fails(&format!("<%= %w[{}].size %>", "a ".repeat(20_000)), 1);
    fails(&format!("<%= %W[{}].size %>", "a ".repeat(20_000)), 1);
    fails(&format!("<%= <<~E\n{}\nE\n%>", "#{1}".repeat(10_000)), 2);
    fails(&"a<% %>".repeat(10_000), 1);
    // within the budget, the same forms render
    let out = render(
        format!("<%= [{}1].size %>", "1,".repeat(4_000)).as_bytes(),
        &NoHost,
        &small,
    );
    assert_eq!(out.unwrap(), b"4001");
    let out = render(
        format!("<%= %w[{}].size %>", "a ".repeat(9_000)).as_bytes(),
        &NoHost,
        &small,
    );
    assert_eq!(out.unwrap(), b"9000");
    // and the default budget passes the largest real templates many times over
    let big = format!("<%= [{}1].size %>", "1,".repeat(200_000));
    assert_eq!(
        render(big.as_bytes(), &NoHost, &Limits::default()).unwrap(),
        b"200001"
    );
}

/// A lambda made in a loop keeps the block call's scope alive, three times the proc's own
/// block: both count against the allocation budget (the proc alone let 200,000 lambdas,
/// some 50 MB, through a 20 MB budget).
#[test]
fn lambdas_count_the_scopes_they_keep() {
    let src = "<% a = [] %>\n<% 200_000.times { a << ->{} } %><%= a.size %>";
    let limits = Limits {
        total_alloc: 20 << 20,
        ..Limits::default()
    };
    let err = render(src.as_bytes(), &NoHost, &limits).unwrap_err();
    assert_eq!(
        (err.line, err.class.as_str()),
        (2, rubyerb::EXCEEDED),
        "{}",
        err.message
    );
    let fewer = "<% a = [] %>\n<% 20_000.times { a << ->{} } %><%= a.size %>";
    assert_eq!(
        render(fewer.as_bytes(), &NoHost, &limits).unwrap(),
        b"\n20000"
    );
}

/// Methods and enumerators nest with no evaluation between them (`m = m.method(:call)`,
/// `e = e.each_with_index`, in a loop): calling or walking the nest ends at the call-depth
/// budget, and dropping it does not recurse (both overflowed the native stack).
#[test]
fn methods_and_enumerators_nested_by_a_loop() {
    check_fails(
        "<% m = 1.method(:+); 10_000.times { m = m.method(:call) } %><%= m.call(1) %>",
        1,
        "SystemStackError",
        "stack level too deep",
    );
    check_fails(
        "<% m = 1.method(:+); 10_000.times { m = m.method(:call).to_proc } %><%= m.call(1) %>",
        1,
        "SystemStackError",
        "stack level too deep",
    );
    check_fails(
        "<% e = [1].each; 10_000.times { e = e.each_with_index } %><%= e.to_a.size %>",
        1,
        "SystemStackError",
        "stack level too deep",
    );
    // a nest a hundred thousand deep, made and dropped
    let limits = Limits {
        steps: 2_000_000,
        ..limits()
    };
    for src in [
        "<% m = 1.method(:+); 100_000.times { m = m.method(:call).to_proc } %>made",
        "<% e = [1].each; 100_000.times { e = e.each_with_index } %>made",
    ] {
        assert_eq!(render(src.as_bytes(), &NoHost, &limits).unwrap(), b"made");
    }
}
