//! Compile speed of the engine alone: every template of a list of job directories compiled
//! (ERB scan, lexer, parser) and freed, round after round, in CPU time. It builds far faster
//! than bale's whole-job bench (`benches/templates.rs`), for iterating on the compiler.
//!
//!     cargo bench -p rubyerb --bench compile -- LIST [ROUNDS] [compile]
//!
//! With `BALE_COMPILE_DUMP=FILE` set, it writes every template's tree (or error) to FILE
//! instead, so that two builds of the compiler can be compared.
//!
//! With `BALE_COMPILE_SLOWEST` set, it times each template alone instead (the fastest of ROUNDS
//! compiles) and prints the sum and the thirty slowest, with their size and time per byte.
//!
//! With `compile` last, the specs are not loaded: the program's instruction count under
//! callgrind is then the compiler's alone (compare runs of 1 and 3 rounds for one round's).
//!
//! LIST has one job directory per line, optionally followed by a tab and more (bale's
//! template bench lists, such as `benches/templates/bench.sh` writes, fit as they are).
//! Every file under `templates/` and the `monit` file of each directory is compiled, and
//! each directory's `spec` is loaded as job specs are.

/// The `bale` binary's allocator, so that the figures are the binary's.
#[global_allocator]
static ALLOC: bale_alloc::Allocator = bale_alloc::Allocator;

use std::path::Path;
use std::time::Duration;

fn cpu_time() -> Duration {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: a valid clock id and a pointer to a timespec we own
    let rc = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) };
    assert_eq!(rc, 0, "clock_gettime");
    Duration::new(ts.tv_sec as u64, ts.tv_nsec as u32)
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
    let mut specs = Vec::new();
    for d in &dirs {
        let d = Path::new(d);
        if let Ok(s) = std::fs::read_to_string(d.join("spec")) {
            specs.push(s);
        }
        collect(&d.join("templates"), &mut templates);
        if let Ok(b) = std::fs::read(d.join("monit")) {
            templates.push(b);
        }
    }
    if let Some(path) = std::env::var_os("BALE_COMPILE_DUMP") {
        // every template's tree or error, to compare two builds of the compiler
        let mut out = String::new();
        for t in &templates {
            out.push_str(&format!("{:?}\n", rubyerb::erb::compile(t)));
            // and cut short, for syntax errors
            for k in 1..8 {
                let cut = &t[..t.len() * k / 8];
                out.push_str(&format!("{:?}\n", rubyerb::erb::compile(cut)));
            }
        }
        std::fs::write(path, out).unwrap();
        return;
    }
    if std::env::var_os("BALE_COMPILE_SLOWEST").is_some() {
        let mut rows: Vec<(f64, usize, String)> = templates
            .iter()
            .map(|src| {
                let mut best = Duration::MAX;
                for _ in 0..rounds {
                    let t = cpu_time();
                    std::hint::black_box(rubyerb::erb::compile(src)).ok();
                    best = best.min(cpu_time() - t);
                }
                let head = String::from_utf8_lossy(&src[..src.len().min(60)]).replace('\n', " ");
                (best.as_secs_f64() * 1e6, src.len(), head)
            })
            .collect();
        rows.sort_by(|a, b| b.0.total_cmp(&a.0));
        let total: f64 = rows.iter().map(|r| r.0).sum();
        println!("sum {total:.0} us");
        for (us, len, head) in rows.iter().take(30) {
            println!(
                "{us:8.1} us {len:7} B {:6.1} ns/B  {head}",
                us * 1e3 / *len as f64
            );
        }
        return;
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
    let compile_only = args.get(3).is_some_and(|a| a == "compile");
    let mut spec_best = Duration::MAX;
    for _ in 0..if compile_only { 0 } else { rounds } {
        let t = cpu_time();
        for s in &specs {
            std::hint::black_box(rubyerb::yaml_in::load_data(s).ok());
        }
        spec_best = spec_best.min(cpu_time() - t);
    }
    if !compile_only {
        println!(
            "specs: {} job specs ({} KiB), fastest of {rounds} rounds: {:.2} ms CPU",
            specs.len(),
            specs.iter().map(String::len).sum::<usize>() / 1024,
            spec_best.as_secs_f64() * 1e3
        );
    }
    println!(
        "compile: {} templates ({} KiB, {failed} syntax errors), fastest of {rounds} rounds: {:.2} ms CPU",
        templates.len(),
        bytes / 1024,
        best.as_secs_f64() * 1e3
    );
}
