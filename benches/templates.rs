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
                Context::from_json(&std::fs::read_to_string(ctx).unwrap()).unwrap(),
            )
        })
        .collect();
    let mut per_round = Vec::new();
    let mut count = 0usize;
    for _ in 0..rounds {
        let t = Instant::now();
        count = 0;
        for (dir, ctx) in &pairs {
            let job = Job::from_dir(std::path::Path::new(dir)).unwrap();
            count += match render_job(&job, ctx) {
                Ok(r) => r.files.len(),
                Err(RenderError::Templates(f)) => {
                    job.templates.len() + usize::from(job.monit.is_some()).max(f.len())
                }
                Err(RenderError::Context(_)) => 0,
            };
        }
        per_round.push(t.elapsed().as_secs_f64());
    }
    let first = per_round[0];
    let rest: f64 = per_round[1..].iter().sum::<f64>() / (rounds - 1).max(1) as f64;
    println!(
        "bale: {} jobs, {count} templates per round, {rounds} rounds",
        pairs.len()
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
