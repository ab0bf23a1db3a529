//! Template rendering throughput: renders every (job dir, context) pair listed in a file,
//! reading the job from disk each time as the reference renderer does, and prints
//! templates/s for the first round (every template compiled) and for the rounds after
//! (compiled programs reused).
//!
//!     cargo bench --bench templates -- LIST [ROUNDS]
//!
//! LIST has one `JOB_DIR<TAB>CONTEXT_JSON` per line; `benches/templates/bench.sh` writes it
//! and runs the Ruby reference renderer on the same list.

use std::time::Instant;

use bale::template::{render_job, Context, Job, RenderError};
use rayon::prelude::*;

fn main() {
    let args: Vec<String> = std::env::args().filter(|a| a != "--bench").collect();
    let Some(list) = args.get(1) else {
        eprintln!("usage: templates LIST [ROUNDS]");
        std::process::exit(2);
    };
    let rounds: usize = args.get(2).and_then(|r| r.parse().ok()).unwrap_or(20);
    let pairs: Vec<(String, Context)> = std::fs::read_to_string(list)
        .unwrap()
        .lines()
        .filter(|l| !l.is_empty())
        .map(|l| {
            let (dir, ctx) = l.split_once('\t').unwrap();
            (
                dir.to_string(),
                Context::from_file(std::path::Path::new(ctx)).unwrap(),
            )
        })
        .collect();
    // BALE_BENCH_PRELOAD=1 reads every job once up front, to see rendering alone
    let preload: Vec<Job> = if std::env::var_os("BALE_BENCH_PRELOAD").is_some() {
        pairs
            .iter()
            .map(|(d, _)| Job::from_dir(std::path::Path::new(d)).unwrap())
            .collect()
    } else {
        Vec::new()
    };
    let mut per_round = Vec::new();
    let mut count = 0usize;
    for _ in 0..rounds {
        let t = Instant::now();
        // jobs render in parallel, as `bale lint-templates` renders them
        count = pairs
            .par_iter()
            .enumerate()
            .map(|(i, (dir, ctx))| {
                let loaded;
                let job = match preload.get(i) {
                    Some(j) => j,
                    None => {
                        loaded = Job::from_dir(std::path::Path::new(dir)).unwrap();
                        &loaded
                    }
                };
                // templates attempted: all of them, or only monit when monit fails (the
                // director stops there), as the reference renderer counts
                match render_job(job, ctx) {
                    Ok(r) => r.files.len(),
                    Err(RenderError::Templates(f)) if f.iter().any(|f| f.path == "monit") => 1,
                    Err(RenderError::Templates(_)) => {
                        job.templates.len() + usize::from(job.monit.is_some())
                    }
                    Err(RenderError::Context(_)) => 0,
                }
            })
            .sum();
        per_round.push(t.elapsed().as_secs_f64());
    }
    let first = per_round[0];
    let rest: f64 = per_round[1..].iter().sum::<f64>() / (rounds - 1).max(1) as f64;
    println!(
        "bale: {} jobs, {count} templates per round, {rounds} rounds, {} threads",
        pairs.len(),
        rayon::current_num_threads()
    );
    println!(
        "bale: first round {:.1} ms = {:.0} templates/s (every template compiled)",
        first * 1e3,
        count as f64 / first
    );
    println!(
        "bale: later rounds {:.1} ms = {:.0} templates/s (compiled programs reused)",
        rest * 1e3,
        count as f64 / rest
    );
}
