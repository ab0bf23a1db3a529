//! Seeded random numbers: `Random.new(seed)`, `srand` then `rand`, `shuffle(random:)`.

use super::{check, check_err, eval, eval_with, Outcome};

#[test]
fn a_seeded_generator_draws_as_ruby_draws() {
    check(
        r##"r = Random.new(1); [r.rand(10), r.rand(10), r.rand(1000), r.rand(2**40)].inspect"##,
        r##"[5, 8, 767, 589709028043]"##,
    );
    check(
        r##"r = Random.new(42); [r.rand, r.rand(2.5), r.rand(3..9), r.rand(3...4), r.seed].inspect"##,
        r##"[0.3745401188473625, 2.37678576602479, 5, 3, 42]"##,
    );
    check(r##"Random.new(2**40 + 5).rand(100)"##, r##"36"##);
    check(r##"Random.new(-3).rand(100)"##, r##"24"##);
    check(
        r##"(1..10).to_a.shuffle(random: Random.new(1)).inspect"##,
        r##"[3, 10, 7, 5, 1, 4, 2, 8, 9, 6]"##,
    );
    check(
        r##"a = [1, 2, 3, 4, 5]; a.shuffle!(random: Random.new(9)); a.inspect"##,
        r##"[4, 1, 2, 3, 5]"##,
    );
    check(r##"[5, 6, 7].sample(random: Random.new(3))"##, r##"7"##);
    check(r##"[].sample(random: Random.new(3)).inspect"##, r##"nil"##);
    check_err(
        r##"Random.new(1).rand(0)"##,
        r##"ArgumentError: invalid argument - 0"##,
    );
    check_err(
        r##"Random.new(1).rand(-2)"##,
        r##"ArgumentError: invalid argument - -2"##,
    );
}

#[test]
fn srand_seeds_what_rand_draws() {
    check(
        r##"srand(7); [rand, rand(60), rand(24), rand(-5), rand(1.9), rand(2..3)].inspect"##,
        r##"[0.07630828937395717, 25, 22, 3, 0, 3]"##,
    );
    check(
        r##"srand(1); a = rand(100); srand(1); [a, rand(100), srand(5)].inspect"##,
        r##"[37, 37, 1]"##,
    );
    check(
        r##"srand(603882322); [rand(60), rand(24)].inspect"##,
        r##"[37, 20]"##,
    );
    check(r##"srand(3); Random.rand(10)"##, r##"8"##);
}

#[test]
fn shuffle_and_sample_draw_from_the_generator_srand_seeded() {
    check(
        r##"srand(5); [1, 2, 3, 4, 5, 6, 7].shuffle.inspect"##,
        r##"[7, 3, 5, 2, 1, 6, 4]"##,
    );
    check(r##"srand(5); [1, 2, 3, 4, 5, 6, 7].sample"##, r##"4"##);
    check(
        r##"srand(9); [rand(100), [1, 2, 3].shuffle, rand].inspect"##,
        r##"[92, [1, 2, 3], 0.4957732931341461]"##,
    );
}

/// What `<%= expr %>` renders with a host whose unseeded draws start from `seed`, or the
/// error it raises.
fn seeded(expr: &str, seed: u64) -> Outcome {
    struct Seeded(u64);
    impl rubyerb::Host for Seeded {
        fn entropy(&self) -> rubyerb::Entropy {
            rubyerb::Entropy::Seed(self.0)
        }
    }
    eval_with(expr, &Seeded(seed))
}

/// [`seeded`]'s output; panics on an error.
fn seeded_out(expr: &str, seed: u64) -> String {
    match seeded(expr, seed) {
        Outcome::Rendered(out) => out,
        Outcome::Raised(e) => panic!("{expr}: raised {e}"),
    }
}

/// [`seeded`]'s error as `Class: message`; panics when it renders.
fn seeded_err(expr: &str, seed: u64) -> String {
    match seeded(expr, seed) {
        Outcome::Rendered(out) => panic!("{expr}: rendered {out:?}"),
        Outcome::Raised(e) => e,
    }
}

#[test]
fn unseeded_draws_take_the_hosts_seed_and_are_refused_without_one() {
    // a fixed seed draws as `srand(seed)` would, and repeats
    let a = seeded_out("[rand(1000), rand, [1, 2, 3, 4].shuffle].inspect", 5);
    let b = seeded_out(
        "srand(5); [rand(1000), rand, [1, 2, 3, 4].shuffle].inspect",
        77,
    );
    assert_eq!(a, b);
    assert_eq!(
        a,
        seeded_out("[rand(1000), rand, [1, 2, 3, 4].shuffle].inspect", 5)
    );
    // a second unseeded generator is not the first one again
    let two = seeded_out(
        "[Random.new.rand(2**40), Random.new.rand(2**40)].uniq.size",
        5,
    );
    assert_eq!(two, "2");
    assert_eq!(seeded_out("srand; srand", 5), "5");
    // without a source every unseeded draw is refused, naming itself
    for expr in [
        "rand",
        "srand",
        "Random.new",
        "[1, 2].shuffle",
        "[1, 2].sample",
        "SecureRandom.hex",
    ] {
        match eval(expr) {
            Outcome::Raised(e) => {
                assert!(e.contains("rendering must be deterministic"), "{expr}: {e}")
            }
            Outcome::Rendered(out) => panic!("{expr}: rendered {out:?}"),
        }
    }
}

#[test]
fn secure_random_gives_ruby_shapes() {
    for (expr, shape) in [
        (
            "SecureRandom.uuid",
            r"\A[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}\z",
        ),
        ("SecureRandom.hex", r"\A[0-9a-f]{32}\z"),
        ("SecureRandom.hex(5)", r"\A[0-9a-f]{10}\z"),
        ("SecureRandom.base64(4)", r"\A[A-Za-z0-9+/]{6}==\z"),
        ("SecureRandom.urlsafe_base64(4)", r"\A[A-Za-z0-9_-]{6}\z"),
        (
            "SecureRandom.urlsafe_base64(4, true)",
            r"\A[A-Za-z0-9_-]{6}==\z",
        ),
        ("SecureRandom.alphanumeric(20)", r"\A[A-Za-z0-9]{20}\z"),
        ("SecureRandom.random_number(10)", r"\A[0-9]\z"),
        ("SecureRandom.random_number(3..4)", r"\A[34]\z"),
        ("SecureRandom.random_number", r"\A0\.[0-9]+(e-[0-9]+)?\z"),
    ] {
        let out = seeded_out(expr, 3);
        let pattern = regex_automata::meta::Regex::new(shape).unwrap();
        assert!(pattern.is_match(&out), "{expr}: {out:?} is not {shape}");
        assert_eq!(out, seeded_out(expr, 3), "{expr} repeats on a seed");
    }
    assert_eq!(
        seeded_err("SecureRandom.hex(-1)", 3),
        "ArgumentError: negative string size (or size too big)"
    );
    assert!(seeded_err("SecureRandom.hex(10_000_000_000)", 3).starts_with("BudgetExceeded"));
}
