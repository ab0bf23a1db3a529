//! Compile speed of the engine alone: every template of a list of job directories compiled
//! (ERB scan, lexer, parser) and freed, round after round, in CPU time. It builds far faster
//! than bale's whole-job bench (`benches/templates.rs`), for iterating on the compiler.
//!
//!     cargo bench -p rubyerb --bench compile -- LIST [ROUNDS]
//!
//! LIST has one job directory per line, optionally followed by a tab and more (bale's
//! template bench lists, such as `benches/templates/bench.sh` writes, fit as they are).
//! Every file under `templates/` and the `monit` file of each directory is compiled.

use std::path::Path;
use std::time::Duration;

fn cpu_time() -> Duration {
    // the main thread's time on a CPU in nanoseconds (the bench runs on one thread); std has
    // no CPU clock and the engine crate takes no dependency for a bench
    let s = std::fs::read_to_string("/proc/self/schedstat").unwrap_or_default();
    let ns: u64 = s
        .split_whitespace()
        .next()
        .and_then(|n| n.parse().ok())
        .unwrap_or(0);
    Duration::from_nanos(ns)
}

fn collect(dir: &Path, out: &mut Vec<Vec<u8>>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut paths: Vec<_> = entries.flatten().map(|e| e.path()).collect();
    paths.sort();
    for p in paths {
        if p.is_dir() {
            collect(&p, out);
        } else if let Ok(b) = std::fs::read(&p) {
            out.push(b);
        }
    }
}

fn main() {
    let args: Vec<String> = std::env::args().filter(|a| a != "--bench").collect();
    let Some(list) = args.get(1) else {
        eprintln!("usage: compile LIST [ROUNDS]");
        std::process::exit(2);
    };
    let rounds: usize = args.get(2).and_then(|r| r.parse().ok()).unwrap_or(20);
    let mut dirs: Vec<String> = std::fs::read_to_string(list)
        .unwrap()
        .lines()
        .filter(|l| !l.is_empty())
        .map(|l| l.split('\t').next().unwrap().to_string())
        .collect();
    dirs.sort();
    dirs.dedup();
    let mut templates = Vec::new();
    for d in &dirs {
        let d = Path::new(d);
        collect(&d.join("templates"), &mut templates);
        if let Ok(b) = std::fs::read(d.join("monit")) {
            templates.push(b);
        }
    }
    let bytes: usize = templates.iter().map(Vec::len).sum();
    let failed = templates
        .iter()
        .filter(|t| rubyerb::erb::compile(t).is_err())
        .count();
    let mut best = Duration::MAX;
    for _ in 0..rounds {
        let t = cpu_time();
        for src in &templates {
            let p = rubyerb::erb::compile(src);
            std::hint::black_box(&p);
        }
        best = best.min(cpu_time() - t);
    }
    println!(
        "compile: {} templates ({} KiB, {failed} syntax errors), fastest of {rounds} rounds: {:.2} ms CPU",
        templates.len(),
        bytes / 1024,
        best.as_secs_f64() * 1e3
    );
}
