//! What long commands say as they go, and the CLI's worker pool that runs their parallel
//! parts. Shared by `blobs` (sync, upload) and `release` (create-release's builds and
//! downloads), which must not depend on each other.

use crate::error::Result;

/// A line of progress, which the CLI shows on a terminal only, or a failure line (a blob or
/// a final build that could not be downloaded), which it prints on stderr for scripts too.
#[derive(Debug, Clone, Copy)]
pub enum Progress<'a> {
    Line(&'a str),
    Failed(&'a str),
}

impl<'a> Progress<'a> {
    pub fn text(self) -> &'a str {
        match self {
            Progress::Line(s) | Progress::Failed(s) => s,
        }
    }
}

/// Where a command sends its [`Progress`]; called from worker threads.
pub type Report<'a> = &'a (dyn Fn(Progress<'_>) + Sync);

/// Runs `task` over `items` on `workers` threads the way the CLI's worker pool
/// (bosh-utils `work.Pool`) does: items are handed out in order, and a worker stops at its
/// own first failure while the others go on. So one failure does not stop the others'
/// work, with one worker the first failure ends the run, and once every worker has failed
/// nothing more starts. Returns each item's outcome in item order; `None` for items never
/// started.
pub fn run_pool<T: Sync, R: Send>(
    items: &[T],
    workers: usize,
    task: impl Fn(&T) -> Result<R> + Sync,
) -> Vec<Option<Result<R>>> {
    let next = std::sync::atomic::AtomicUsize::new(0);
    let done = std::sync::Mutex::new(Vec::new());
    std::thread::scope(|s| {
        for _ in 0..workers.clamp(1, items.len().max(1)) {
            s.spawn(|| loop {
                let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                let Some(item) = items.get(i) else { break };
                let r = task(item);
                let failed = r.is_err();
                done.lock().unwrap_or_else(|e| e.into_inner()).push((i, r));
                if failed {
                    break;
                }
            });
        }
    });
    let mut out: Vec<Option<Result<R>>> = (0..items.len()).map(|_| None).collect();
    for (i, r) in done.into_inner().unwrap_or_else(|e| e.into_inner()) {
        out[i] = Some(r);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Error;

    #[test]
    fn one_worker_stops_at_the_first_failure() {
        let items = [1, 2, 3, 4];
        let r = run_pool(&items, 1, |i| {
            if *i == 2 {
                Err(Error::msg("two"))
            } else {
                Ok(*i)
            }
        });
        assert!(matches!(r[0], Some(Ok(1))));
        assert!(matches!(r[1], Some(Err(_))));
        assert!(r[2].is_none() && r[3].is_none());
    }

    #[test]
    fn each_worker_stops_at_its_own_failure_and_the_others_go_on() {
        let items: Vec<usize> = (0..10).collect();
        // every item fails: each of the three workers takes one and stops
        let r = run_pool(&items, 3, |_| -> Result<()> { Err(Error::msg("x")) });
        assert_eq!(r.iter().filter(|o| o.is_some()).count(), 3);
        // one failure: everything else still runs
        let r = run_pool(&items, 3, |i| {
            if *i == 0 {
                Err(Error::msg("x"))
            } else {
                Ok(())
            }
        });
        assert_eq!(r.iter().filter(|o| matches!(o, Some(Ok(())))).count(), 9);
    }
}
