//! Template rendering throughput, measured as the Ruby reference renderer's side
//! (`benches/templates/oracle_bench.rb`) measures it, so the two figures compare:
//!
//! - the work of a round: for every (job dir, context) pair of the list, read the job from
//!   disk (spec and every template), bind its properties, compile and render every template
//!   (monit first; a failing monit stops the job, as the director stops). Contexts are parsed
//!   from JSON once, before timing, on both sides. bale reads the jobs of a batch and renders
//!   them together (`render_jobs`: all bound, then all compiled, then all run), in batches
//!   of the size `render-deployment` and `lint-templates` give one thread;
//! - one thread, and CPU time of the process (user + sys, `CLOCK_PROCESS_CPUTIME_ID`) rather
//!   than wall time, so that other load on the machine changes the figures little;
//! - templates counted: those attempted (rendered or failed), as the reference renderer
//!   counts them;
//! - cold: the compiled-program and regexp caches are emptied before each round, so every
//!   template is compiled again, as in a fresh `bale render`; warm: the same rounds with the
//!   caches kept (after one round that fills them), as `lint-templates` and
//!   `render-deployment` reuse programs across instances. Each is the fastest of its rounds:
//!   on a shared machine, other load only ever adds CPU time (cache and core contention), so
//!   the minimum is the figure least disturbed by it; Ruby's side takes its minimum too;
//! - `BALE_BENCH_PER_JOB=1` also prints each job's reading and rendering summed, timed
//!   within cold rounds and alone (see `in_round_and_alone`);
//! - also printed: the kernel's share of the rounds' CPU time (system time), and a round that only
//!   reads the jobs (warm): the file reading both renderers pay, which bounds the ratio.
//!
//!     cargo bench --bench templates -- LIST [ROUNDS]
//!
//! LIST has one `JOB_DIR<TAB>CONTEXT_JSON` per line; `benches/templates/bench.sh` writes it
//! and runs the Ruby reference renderer on the same list.

/// The `bale` binary's allocator, so that the figures are the binary's.
#[global_allocator]
static ALLOC: bale_alloc::Allocator = bale_alloc::Allocator;

use bale::template::{
    batch_size, forget_compiled, render_job, render_jobs, Context, Job, RenderError, RenderOptions,
    RenderedJob,
};

/// CPU time of this process (every thread, user + system), in seconds.
fn cpu_seconds() -> f64 {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: a valid clock id and a pointer to a timespec we own
    let rc = unsafe { libc::clock_gettime(libc::CLOCK_PROCESS_CPUTIME_ID, &mut ts) };
    assert_eq!(rc, 0, "clock_gettime");
    ts.tv_sec as f64 + ts.tv_nsec as f64 * 1e-9
}

fn fastest(v: &[f64]) -> f64 {
    v.iter().copied().fold(f64::INFINITY, f64::min)
}

/// System CPU time of this process so far, in seconds: the kernel's share of a round (opening
/// and reading every job's files), which the renderer's own code does not spend.
fn sys_seconds() -> f64 {
    // SAFETY: an all-zero rusage is valid, and getrusage fills the one we own
    let mut ru: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: a valid `who` and a pointer to a rusage we own
    let rc = unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut ru) };
    assert_eq!(rc, 0, "getrusage");
    ru.ru_stime.tv_sec as f64 + ru.ru_stime.tv_usec as f64 * 1e-6
}

/// The least CPU time of the rounds `v` (CPU time, system time each), and the kernel's
/// share of all their CPU time: system time is sampled at clock ticks, so one round's
/// figure is coarse, while the share over many rounds is steady.
fn fastest_split(v: &[(f64, f64)]) -> (f64, f64) {
    let cpu: f64 = v.iter().map(|r| r.0).sum();
    let sys: f64 = v.iter().map(|r| r.1).sum();
    let fastest = fastest(&v.iter().map(|r| r.0).collect::<Vec<_>>());
    (fastest, if cpu > 0.0 { (sys / cpu).min(1.0) } else { 0.0 })
}

/// Reads every pair's job from disk, as a round does first; its time is the part of a
/// round that is file reading (specs come from the cache when it is warm).
#[inline(never)]
fn read_only(pairs: &[(String, Context)]) -> usize {
    pairs
        .iter()
        .map(|(dir, _)| {
            Job::from_dir(std::path::Path::new(dir))
                .unwrap()
                .templates
                .len()
        })
        .sum()
}

/// One round over every pair; the templates attempted. Never inlined: `callgrind.sh` counts
/// instructions between calls of it.
#[inline(never)]
fn round(pairs: &[(String, Context)]) -> usize {
    // batches as `render-deployment` on one thread makes them
    let size = batch_size(pairs.len(), 1);
    pairs
        .chunks(size)
        .map(|chunk| {
            let jobs: Vec<Job> = chunk
                .iter()
                .map(|(dir, _)| Job::from_dir(std::path::Path::new(dir)).unwrap())
                .collect();
            let batch: Vec<(&Job, &Context)> =
                jobs.iter().zip(chunk.iter().map(|p| &p.1)).collect();
            render_jobs(&batch, RenderOptions::default())
                .into_iter()
                .zip(&jobs)
                .map(|(r, job)| attempted(job, r))
                .sum::<usize>()
        })
        .sum()
}

/// The templates of `job` that its render attempted, as the reference renderer counts them.
fn attempted(job: &Job, r: Result<RenderedJob, RenderError>) -> usize {
    match r {
        Ok(r) => r.files.len(),
        // a failing monit stops the job; a spec that cannot bind is one failure
        Err(RenderError::Templates(f))
            if f.iter().any(|f| f.path == "monit" || f.path == "spec") =>
        {
            1
        }
        Err(RenderError::Templates(_)) => job.templates.len() + usize::from(job.monit.is_some()),
        Err(RenderError::Context(_)) => 0,
    }
}

/// Prints the `n` pairs that take the most CPU time, cold and warm (each the fastest of
/// five tries), so that work on speed starts where the time is.
fn slowest(pairs: &[(String, Context)], n: usize) {
    let mut rows: Vec<(f64, f64, &str)> = pairs
        .iter()
        .map(|p| {
            let one = std::slice::from_ref(p);
            let times = |cold: bool| {
                let tries: Vec<f64> = (0..5)
                    .map(|_| {
                        if cold {
                            forget_compiled();
                        }
                        let t = cpu_seconds();
                        round(one);
                        cpu_seconds() - t
                    })
                    .collect();
                fastest(&tries)
            };
            let c = times(true);
            (c, times(false), p.0.as_str())
        })
        .collect();
    let (tc, tw) = rows.iter().fold((0.0, 0.0), |a, r| (a.0 + r.0, a.1 + r.1));
    rows.sort_by(|a, b| b.0.total_cmp(&a.0));
    println!(
        "slowest pairs (cold µs, warm µs; sums {:.0} and {:.0}):",
        tc * 1e6,
        tw * 1e6
    );
    for (c, w, dir) in rows.iter().take(n) {
        println!("{:8.0} {:8.0}  {dir}", c * 1e6, w * 1e6);
    }
}

/// Each job's two parts, reading (`Job::from_dir`) and rendering, timed within cold rounds
/// of the whole list and then with the job alone (five tries, caches emptied before each),
/// each the fastest: the sums show how much of a round is the job's own work and how much
/// is its code and data having been pushed out of the caches by the jobs before it, which
/// a round of a small set, repeated, never pays. Wall time per part (`Instant`, no system
/// call of its own), one thread.
fn in_round_and_alone(pairs: &[(String, Context)], rounds: usize) {
    let parts = |p: &(String, Context)| {
        let t = std::time::Instant::now();
        let job = Job::from_dir(std::path::Path::new(&p.0)).unwrap();
        let read = t.elapsed().as_secs_f64();
        let _ = std::hint::black_box(render_job(&job, &p.1));
        (read, t.elapsed().as_secs_f64() - read)
    };
    let least = |a: (f64, f64), b: (f64, f64)| (a.0.min(b.0), a.1.min(b.1));
    let mut in_round = vec![(f64::INFINITY, f64::INFINITY); pairs.len()];
    for _ in 0..rounds {
        forget_compiled();
        for (best, p) in in_round.iter_mut().zip(pairs) {
            *best = least(*best, parts(p));
        }
    }
    let alone: Vec<(f64, f64)> = pairs
        .iter()
        .map(|p| {
            (0..5).fold((f64::INFINITY, f64::INFINITY), |best, _| {
                forget_compiled();
                least(best, parts(p))
            })
        })
        .collect();
    let sum = |v: &[(f64, f64)]| v.iter().fold((0.0, 0.0), |a, r| (a.0 + r.0, a.1 + r.1));
    let (r, a) = (sum(&in_round), sum(&alone));
    println!(
        "per job, summed (ms): in cold rounds read {:.2} + render {:.2} = {:.2}; alone read {:.2} + render {:.2} = {:.2}",
        r.0 * 1e3,
        r.1 * 1e3,
        (r.0 + r.1) * 1e3,
        a.0 * 1e3,
        a.1 * 1e3,
        (a.0 + a.1) * 1e3
    );
}

fn main() {
    let args: Vec<String> = std::env::args().filter(|a| a != "--bench").collect();
    let Some(list) = args.get(1) else {
        eprintln!("usage: templates LIST [ROUNDS]");
        std::process::exit(2);
    };
    let rounds: usize = args.get(2).and_then(|r| r.parse().ok()).unwrap_or(10);
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
    let timed = |cold: bool| {
        if cold {
            forget_compiled();
        }
        let (t, k) = (cpu_seconds(), sys_seconds());
        let n = round(&pairs);
        (n, (cpu_seconds() - t, sys_seconds() - k))
    };
    let mut count = 0;
    let mut cold = Vec::new();
    let mut warm = Vec::new();
    let mut read = Vec::new();
    for _ in 0..rounds {
        let (n, t) = timed(true);
        count = n;
        cold.push(t);
    }
    timed(false);
    for _ in 0..rounds {
        warm.push(timed(false).1);
    }
    // after every round: `callgrind.sh` counts the parts between calls of `round`
    for _ in 0..rounds {
        let (t, k) = (cpu_seconds(), sys_seconds());
        std::hint::black_box(read_only(&pairs));
        read.push((cpu_seconds() - t, sys_seconds() - k));
    }
    let (cold, warm, read) = (
        fastest_split(&cold),
        fastest_split(&warm),
        fastest_split(&read),
    );
    if std::env::var_os("BALE_BENCH_PER_JOB").is_some() {
        in_round_and_alone(&pairs, rounds);
    }
    if let Some(n) = std::env::var("BALE_BENCH_SLOWEST")
        .ok()
        .and_then(|n| n.parse::<usize>().ok())
    {
        slowest(&pairs, n);
    }
    println!(
        "bale: {} jobs, {count} templates per round, {rounds} cold and {rounds} warm rounds, 1 thread, CPU time",
        pairs.len()
    );
    println!(
        "bale: cold {:.1} ms = {:.0} templates/s (every template compiled; {:.0}% in the kernel)",
        cold.0 * 1e3,
        count as f64 / cold.0,
        cold.1 * 1e2
    );
    println!(
        "bale: warm {:.1} ms = {:.0} templates/s (compiled programs reused; {:.0}% in the kernel)",
        warm.0 * 1e3,
        count as f64 / warm.0,
        warm.1 * 1e2
    );
    println!(
        "bale: reading the jobs alone (files, cached specs) {:.1} ms ({:.0}% in the kernel)",
        read.0 * 1e3,
        read.1 * 1e2
    );
}
