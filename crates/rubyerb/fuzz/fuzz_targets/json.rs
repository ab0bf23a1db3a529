//! Any text through `JSON.parse`'s reader, with the options the first byte picks: it must
//! not panic, and JSON that serde_json reads it must read to the same value (an integer
//! past 64 bits as the float serde_json makes of it), or refuse only for its nesting limit.
//! A panic or a difference is a failure.
//! Run from crates/rubyerb: `cargo +nightly fuzz run json -- -rss_limit_mb=2048`.
#![no_main]

use libfuzzer_sys::fuzz_target;
use rubyerb::format::inspect;
use rubyerb::json_in::{parse, Options};
use rubyerb::Value;

/// serde_json's float for a long number is not always the nearest one (it reads fast, not
/// exactly; ours is the nearest, as the gem's is): within a few units in the last place.
fn near(theirs: Option<f64>, ours: f64) -> bool {
    theirs.is_some_and(|t| t == ours || (t - ours).abs() <= ours.abs() * 1e-15)
}

/// Whether `ours` holds what serde_json read. An integer past 64 bits is a float to
/// serde_json (an Integer to the gem): the same when the Integer as a float is that float.
/// A negative zero integer (`-0`) is 0 to the gem and may be -0.0 to serde_json.
fn same(j: &serde_json::Value, ours: &Value) -> bool {
    use serde_json::Value as J;
    match (j, ours) {
        (J::Number(n), Value::Int(i)) if n.is_f64() => near(n.as_f64(), *i as f64),
        (J::Number(n), Value::Big(b)) => {
            near(n.as_f64(), b.to_string().parse().unwrap_or(f64::NAN))
        }
        (J::Number(n), Value::Int(i)) => n.as_i64() == Some(*i),
        (J::Number(n), Value::Float(f)) => near(n.as_f64(), *f),
        (J::Array(a), Value::Array(b)) => {
            let b = b.borrow();
            a.len() == b.len() && a.iter().zip(b.iter()).all(|(x, y)| same(x, y))
        }
        (J::Object(o), Value::Hash(h)) => {
            let h = h.borrow();
            o.len() == h.map.len()
                && o.iter().zip(h.map.values()).all(|((k, x), (hk, y))| {
                    inspect(hk) == inspect(&Value::str(k.as_str())) && same(x, y)
                })
        }
        (j, v) => inspect(&rubyerb::from_json(j, false)) == inspect(v),
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((&pick, rest)) = data.split_first() else {
        return;
    };
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    let o = Options {
        allow_nan: pick & 1 != 0,
        max_nesting: if pick & 2 != 0 { 0 } else { 100 },
        symbolize_names: false,
        allow_trailing_comma: pick & 4 != 0,
    };
    let ours = parse(text, &o);
    if let Ok(j) = serde_json::from_str::<serde_json::Value>(text) {
        match &ours {
            Ok(v) => assert!(same(&j, v), "{text:?}: {}", inspect(v)),
            Err(e) => assert!(e.nesting, "{text:?}: {}", e.message),
        }
    }
});
