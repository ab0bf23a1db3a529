//! Seeded random numbers: `Random.new(seed)`, `srand` then `rand`, `shuffle(random:)`.

use super::{check, check_err};

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
