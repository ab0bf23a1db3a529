//! Any bytes as an ERB template, rendered without a host under small budgets: template
//! errors are fine; a panic, a crash, a hang or an allocation past the budgets is not.
//! Run from crates/rubyerb: `cargo +nightly fuzz run templates -- -rss_limit_mb=2048`.
#![no_main]

use std::time::{Duration, Instant};

use libfuzzer_sys::fuzz_target;
use rubyerb::{render, Limits, NoHost};

fuzz_target!(|data: &[u8]| {
    let limits = Limits {
        steps: 200_000,
        max_len: 1 << 20,
        total_alloc: 64 << 20,
        format_width: 1 << 16,
        range: 100_000,
        time: Duration::from_secs(2),
        ..Limits::default()
    };
    let start = Instant::now();
    let _ = render(data, &NoHost, &limits);
    // the time budget is checked every few thousand steps: allow for that and the compile
    assert!(start.elapsed() < Duration::from_secs(10), "budget overrun");
});
