//! Any text as a job spec: the spec loader (its direct reader for the usual spec shape, else
//! the full parser) must read exactly what the full parser reads for `YAML.load`, and refuse
//! what it refuses at the same line. A template's loaders nest: what `safe_load` reads,
//! `load` reads the same, and what `load` reads, `unsafe_load` reads the same. A panic, a
//! hang or a difference is a failure. Loading with values pruned (a spec's property
//! descriptions, or every value two levels down) gives what loading in full and then
//! taking those values out gives, or the same error.
//! Run from crates/rubyerb: `cargo +nightly fuzz run yaml_data -- -rss_limit_mb=2048`.
#![no_main]

use libfuzzer_sys::fuzz_target;
use rubyerb::format::inspect;
use rubyerb::yaml_in::{
    load_data, load_data_pruned, load_data_with, load_permitted, load_with, prune_data, Permits,
};
use rubyerb::Limits;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let limits = Limits::default();
    match (load_data_with(text, &limits), load_with(text, &limits)) {
        (Ok(d), Ok(v)) => assert_eq!(inspect(&d.to_value()), inspect(&v), "{text:?}"),
        (Err(a), Err(b)) => assert_eq!(a.line, b.line, "{text:?}: {a} / {b}"),
        (a, b) => panic!(
            "{text:?}: data loader {:?}, value loader {:?}",
            a.is_ok(),
            b.is_ok()
        ),
    }
    for prune in [
        &[Some("properties"), None, Some("description")][..],
        &[None, None][..],
    ] {
        let full = load_data(text).map(|mut d| {
            prune_data(&mut d, prune);
            d
        });
        match (load_data_pruned(text, prune), full) {
            (Ok(p), Ok(f)) => assert_eq!(format!("{p:?}"), format!("{f:?}"), "{text:?}"),
            (Err(a), Err(b)) => assert_eq!(a.line, b.line, "{text:?}: {a} / {b}"),
            (a, b) => panic!("{text:?}: pruned {:?}, full {:?}", a.is_ok(), b.is_ok()),
        }
    }
    let loads: Vec<_> = [
        Permits::safe_load(),
        Permits::load(),
        Permits::unsafe_load(),
    ]
    .iter()
    .map(|p| load_permitted(text, &limits, p).map(|v| inspect(&v)))
    .collect();
    for pair in loads.windows(2) {
        if let (Ok(narrow), wide) = (&pair[0], &pair[1]) {
            assert_eq!(Some(narrow), wide.as_ref().ok(), "{text:?}");
        }
    }
});
