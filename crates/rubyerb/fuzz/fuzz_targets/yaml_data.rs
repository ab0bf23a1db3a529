//! Any text as a job spec: the spec loader (its direct reader for the usual spec shape, else
//! the full parser) must read exactly what the full parser reads for `YAML.load`, and refuse
//! what it refuses at the same line. A panic, a hang or a difference is a failure.
//! Run from crates/rubyerb: `cargo +nightly fuzz run yaml_data -- -rss_limit_mb=2048`.
#![no_main]

use libfuzzer_sys::fuzz_target;
use rubyerb::format::inspect;
use rubyerb::yaml_in::{load_data_with, load_with};
use rubyerb::Limits;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let limits = Limits::default();
    match (load_data_with(text, &limits), load_with(text, &limits)) {
        (Ok(d), Ok(v)) => assert_eq!(inspect(&d.to_value()), inspect(&v), "{text:?}"),
        (Err(a), Err(b)) => assert_eq!(a.line, b.line, "{text:?}: {a} / {b}"),
        (a, b) => panic!("{text:?}: data loader {:?}, value loader {:?}", a.is_ok(), b.is_ok()),
    }
});
