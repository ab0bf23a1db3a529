//! Random numbers, as Ruby draws them: `Random.new(seed)`, `srand(seed)` then `rand`,
//! `shuffle(random: Random.new(seed))`. A seed makes the draws a pure function of it, so a
//! template that seeds its generator (to spread cron minutes by deployment name, to order
//! replicas the same way on every deploy) renders the same bytes as the director. Draws
//! without a seed (`rand` before `srand`, `Random.new`, `shuffle`, `SecureRandom`) take one
//! from the host's [`Entropy`]: the system's, as on the director, or a fixed one for a render
//! that must repeat; a host that gives none keeps them refused.
//!
//! Ruby's generator is MT19937 (Matsumoto and Nishimura's reference algorithm, written here
//! from its published description); how Ruby turns a seed into the generator's state and
//! its words into integers below a limit and floats is its own, and followed here exactly.

use std::cell::RefCell;
use std::rc::Rc;

use indexmap::IndexMap;

use crate::host::Entropy;
use crate::interp::{Interp, R};
use crate::methods::{arg, int_arg};
use crate::value::{ObjKind, Object, Value};

const N: usize = 624;
const M: usize = 397;

/// A template's random generators (kept by its interpreter).
#[derive(Default)]
pub struct Draws {
    /// The generator `rand` draws from: the one `srand` seeded, or one seeded from the
    /// host's source at the first unseeded draw.
    default: Option<Box<Mt>>,
    /// Seeds handed out from a fixed [`Entropy::Seed`] so far: the first is the seed
    /// itself, each later one the next number, so two unseeded generators differ.
    seeds_drawn: u64,
    /// With a fixed seed, the generator `SecureRandom` draws its bytes from.
    pub(crate) secure: Option<Box<Mt>>,
}

/// The generator's state: 624 words and the next one to temper.
pub struct Mt {
    s: Box<[u32; N]>,
    i: usize,
    /// The seed it was made from (`Random#seed`, what `srand` answers next).
    pub seed: i64,
}

impl Mt {
    /// The generator for an integer seed: a seed that fits one 32-bit word (its absolute
    /// value, as Ruby takes it) seeds the state directly; a wider one is a key of words,
    /// lowest first.
    pub fn new(seed: i64) -> Mt {
        let a = seed.unsigned_abs();
        let mut mt = Mt {
            s: Box::new([0; N]),
            i: N,
            seed,
        };
        if a >> 32 == 0 {
            mt.init(a as u32);
        } else {
            mt.init_by_array(&[a as u32, (a >> 32) as u32]);
        }
        mt
    }

    fn init(&mut self, s: u32) {
        self.s[0] = s;
        for j in 1..N {
            let p = self.s[j - 1];
            self.s[j] = 1_812_433_253u32
                .wrapping_mul(p ^ (p >> 30))
                .wrapping_add(j as u32);
        }
        self.i = N;
    }

    fn init_by_array(&mut self, key: &[u32]) {
        self.init(19_650_218);
        let (mut i, mut j) = (1usize, 0usize);
        for _ in 0..N.max(key.len()) {
            let p = self.s[i - 1];
            self.s[i] = (self.s[i] ^ (p ^ (p >> 30)).wrapping_mul(1_664_525))
                .wrapping_add(key[j])
                .wrapping_add(j as u32);
            i += 1;
            j += 1;
            if i >= N {
                self.s[0] = self.s[N - 1];
                i = 1;
            }
            if j >= key.len() {
                j = 0;
            }
        }
        for _ in 0..N - 1 {
            let p = self.s[i - 1];
            self.s[i] =
                (self.s[i] ^ (p ^ (p >> 30)).wrapping_mul(1_566_083_941)).wrapping_sub(i as u32);
            i += 1;
            if i >= N {
                self.s[0] = self.s[N - 1];
                i = 1;
            }
        }
        self.s[0] = 0x8000_0000;
        self.i = N;
    }

    fn refill(&mut self) {
        let twist = |u: u32, v: u32| {
            let y = (u & 0x8000_0000) | (v & 0x7fff_ffff);
            (y >> 1) ^ if v & 1 == 1 { 0x9908_b0df } else { 0 }
        };
        for k in 0..N {
            self.s[k] = self.s[(k + M) % N] ^ twist(self.s[k], self.s[(k + 1) % N]);
        }
        self.i = 0;
    }

    /// The next 32-bit word.
    pub fn next_u32(&mut self) -> u32 {
        if self.i >= N {
            self.refill();
        }
        let mut y = self.s[self.i];
        self.i += 1;
        y ^= y >> 11;
        y ^= (y << 7) & 0x9d2c_5680;
        y ^= (y << 15) & 0xefc6_0000;
        y ^ (y >> 18)
    }

    /// A number in `0..=limit`, drawn as Ruby draws it: the limit's bit mask filled a word
    /// at a time, high word first, again from the start whenever it passes the limit.
    pub fn upto(&mut self, limit: u64) -> u64 {
        if limit == 0 {
            return 0;
        }
        let mask = u64::MAX >> limit.leading_zeros();
        'retry: loop {
            let mut val = 0u64;
            for i in (0..2).rev() {
                if (mask >> (i * 32)) & 0xffff_ffff != 0 {
                    val |= (self.next_u32() as u64) << (i * 32);
                    val &= mask;
                    if limit < val {
                        continue 'retry;
                    }
                }
            }
            return val;
        }
    }

    /// A float in `[0, 1)` from two words (53 bits).
    pub fn real(&mut self) -> f64 {
        let a = (self.next_u32() >> 5) as f64;
        let b = (self.next_u32() >> 6) as f64;
        (a * 67_108_864.0 + b) / 9_007_199_254_740_992.0
    }
}

/// A `Random` object seeded with `seed`; its state counts against the allocation budget,
/// as a template could make millions.
pub fn object(it: &mut Interp, seed: i64) -> R<Value> {
    let spent = it.budget.alloc(std::mem::size_of::<Mt>() + 4 * N);
    it.spend(spent)?;
    Ok(Value::Object(Rc::new(Object {
        class: it.classes.get("Random").unwrap(),
        ivars: RefCell::new(IndexMap::new()),
        kind: ObjKind::Random(RefCell::new(Mt::new(seed))),
    })))
}

/// `rand(max)` on a generator: an Integer below `max`, a Float below a Float `max`, a
/// member of a Range, or a Float below 1. `kernel` is `Kernel#rand`, which takes a
/// negative or zero bound as its absolute value or as no bound where `Random#rand` refuses
/// it.
pub fn draw(it: &mut Interp, mt: &mut Mt, max: Option<&Value>, kernel: bool) -> R<Value> {
    let invalid = |it: &mut Interp, v: &Value| {
        let shown = crate::format::inspect(v);
        it.arg_err(format!("invalid argument - {shown}"))
    };
    match max {
        None | Some(Value::Nil) => Ok(Value::Float(mt.real())),
        Some(Value::Int(n)) => {
            let n = *n;
            if n == 0 && kernel {
                return Ok(Value::Float(mt.real()));
            }
            if n <= 0 && !kernel {
                return invalid(it, &Value::Int(n));
            }
            Ok(Value::Int(mt.upto(n.unsigned_abs() - 1) as i64))
        }
        Some(Value::Float(f)) => {
            if kernel {
                let n = f.trunc().abs() as i64;
                return draw(it, mt, Some(&Value::Int(n)), true);
            }
            if !(f.is_finite() && *f > 0.0) {
                return invalid(it, &Value::Float(*f));
            }
            Ok(Value::Float(mt.real() * f))
        }
        Some(Value::Range(r)) => match (&r.0, &r.1) {
            (Value::Int(lo), Value::Int(hi)) => {
                let hi = if r.2 { hi - 1 } else { *hi };
                if hi < *lo {
                    return if kernel {
                        Ok(Value::Nil)
                    } else {
                        invalid(it, &Value::Range(r.clone()))
                    };
                }
                let span = (hi as i128 - *lo as i128) as u64;
                Ok(Value::Int((*lo as i128 + mt.upto(span) as i128) as i64))
            }
            _ => it.unsupported("rand over a range of non-integers"),
        },
        Some(other) => {
            let other = other.clone();
            invalid(it, &other)
        }
    }
}

/// `Random.new(seed)`, `Random.rand`, `Random.srand`: the class's methods. Without a seed,
/// a new generator is seeded from the host's source.
pub fn class_call(it: &mut Interp, name: &str, args: &[Value]) -> R<Value> {
    match name {
        "new" if !args.is_empty() => {
            let seed = int_arg(it, &args[0])?;
            object(it, seed)
        }
        "new" => {
            let seed = seed_or_refuse(it, "Random.new without a seed")?;
            object(it, seed)
        }
        "new_seed" => Ok(Value::Int(seed_or_refuse(it, "Random.new_seed")?)),
        "rand" | "random_number" => kernel_rand(it, args.first()),
        "srand" => srand(it, args),
        _ => it.unsupported(&format!("Random.{name}")),
    }
}

/// A seed for a generator no template seeded, from the host's source: `None` when it
/// gives none. A fixed seed hands out itself first, then the numbers after it.
pub(crate) fn fresh_seed(it: &mut Interp) -> R<Option<i64>> {
    Ok(match it.host.entropy() {
        Entropy::None => None,
        Entropy::Seed(s) => {
            let k = it.random.seeds_drawn;
            it.random.seeds_drawn += 1;
            Some((s.wrapping_add(k) & i64::MAX as u64) as i64)
        }
        Entropy::System => {
            let mut b = [0u8; 8];
            system_bytes(it, &mut b)?;
            Some((u64::from_le_bytes(b) >> 1) as i64)
        }
    })
}

/// [`fresh_seed`], or the template error saying the render cannot draw without one.
fn seed_or_refuse(it: &mut Interp, what: &str) -> R<i64> {
    match fresh_seed(it)? {
        Some(s) => Ok(s),
        None => it.unsupported(&format!("{what} (rendering must be deterministic)")),
    }
}

/// Bytes from the operating system's generator, as Ruby's own seeds and `SecureRandom`
/// take them.
pub(crate) fn system_bytes(it: &mut Interp, buf: &mut [u8]) -> R<()> {
    match crate::host::system_random(buf) {
        Ok(()) => Ok(()),
        Err(e) => it.err(
            "RuntimeError",
            format!("failed to get urandom: /dev/urandom: {e}"),
        ),
    }
}

/// The generator `rand` draws from: the one `srand` seeded, else one seeded from the
/// host's source now (and kept, as Ruby keeps its default one). Given back with
/// `Draws::default` after the draw.
fn default_generator(it: &mut Interp, what: &str) -> R<Box<Mt>> {
    if let Some(g) = it.random.default.take() {
        return Ok(g);
    }
    let seed = seed_or_refuse(it, what)?;
    Ok(Box::new(Mt::new(seed)))
}

/// Methods of a `Random` object.
pub fn object_call(it: &mut Interp, o: &Object, name: &str, args: &[Value]) -> R<Option<Value>> {
    let ObjKind::Random(mt) = &o.kind else {
        return Ok(None);
    };
    Ok(Some(match name {
        // no template code runs while it draws: the borrow cannot meet another
        "rand" | "random_number" => draw(it, &mut mt.borrow_mut(), args.first(), false)?,
        "seed" => Value::Int(mt.borrow().seed),
        _ => return Ok(None),
    }))
}

/// `Kernel#rand`: from the default generator (see [`default_generator`]).
pub fn kernel_rand(it: &mut Interp, max: Option<&Value>) -> R<Value> {
    let mut g = default_generator(it, "rand before srand")?;
    let r = draw(it, &mut g, max, true);
    it.random.default = Some(g);
    r
}

/// `srand(seed)`: seeds the generator `rand` draws from; answers the seed before it (0
/// for the first, where Ruby answers the system's seed). Without a seed, one from the
/// host's source.
pub fn srand(it: &mut Interp, args: &[Value]) -> R<Value> {
    let seed = match args.first() {
        Some(seed) => int_arg(it, seed)?,
        None => seed_or_refuse(it, "srand without a seed")?,
    };
    let before = it.random.default.as_ref().map_or(0, |g| g.seed);
    it.random.default = Some(Box::new(Mt::new(seed)));
    Ok(Value::Int(before))
}

/// `shuffle(random: r)` / `sample(random: r)`: the generator given, which must be a seeded
/// `Random`; `None` when there is none (the call is refused by its caller).
fn given(args: &[Value]) -> Option<Rc<Object>> {
    let Value::Hash(h) = arg(args, args.len().checked_sub(1)?) else {
        return None;
    };
    let h = h.borrow();
    match h.get(&Value::Sym("random".into())) {
        Some(Value::Object(o)) if matches!(o.kind, ObjKind::Random(_)) => Some(o.clone()),
        _ => None,
    }
}

/// Ruby's shuffle: from the last place down, each swapped with one drawn below it.
fn shuffle(mt: &mut Mt, items: &mut [Value]) {
    let mut i = items.len();
    while i > 0 {
        let j = mt.upto(i as u64 - 1) as usize;
        i -= 1;
        items.swap(i, j);
    }
}

/// `shuffle` and `sample`, as Ruby draws them: from the `Random` given as `random:`, else
/// from the default generator, as `rand` draws.
pub fn choice(it: &mut Interp, name: &str, items: &[Value], args: &[Value]) -> R<Value> {
    let rng = given(args);
    let counted = match args.first() {
        Some(Value::Hash(_)) | None => false,
        Some(_) => true,
    };
    if name == "sample" && counted {
        return it.unsupported("Array#sample of several elements");
    }
    if let Some(ObjKind::Random(mt)) = rng.as_ref().map(|o| &o.kind) {
        return Ok(pick(name, items, &mut mt.borrow_mut()));
    }
    if !args.is_empty() {
        return it.unsupported(&format!("Array#{name} with a random: that is not a Random"));
    }
    let mut g = default_generator(it, &format!("Array#{name} before srand"))?;
    let r = pick(name, items, &mut g);
    it.random.default = Some(g);
    Ok(r)
}

fn pick(name: &str, items: &[Value], mt: &mut Mt) -> Value {
    if name == "shuffle" {
        let mut v = items.to_vec();
        shuffle(mt, &mut v);
        Value::array(v)
    } else if items.is_empty() {
        Value::Nil
    } else {
        items[mt.upto(items.len() as u64 - 1) as usize].clone()
    }
}

#[cfg(test)]
mod tests {
    use super::Mt;

    #[test]
    fn draws_are_rubys_for_narrow_and_wide_seeds() {
        // Ruby 3: Random.new(1).rand(2**32) twice; Random.new(2**40 + 5), 0 and -3 once
        let mut g = Mt::new(1);
        assert_eq!((g.next_u32(), g.next_u32()), (1_791_095_845, 4_282_876_139));
        assert_eq!(Mt::new((1 << 40) + 5).next_u32(), 2_166_296_868);
        assert_eq!(Mt::new(0).next_u32(), 2_357_136_044);
        assert_eq!(Mt::new(-3).next_u32(), 2_365_658_986);
        // srand(7); rand; rand(60)
        let mut g = Mt::new(7);
        assert_eq!(g.real(), 0.076_308_289_373_957_17);
        assert_eq!(g.upto(59), 25);
    }
}
