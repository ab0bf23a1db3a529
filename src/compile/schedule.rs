//! Runs a dependency graph of tasks on a fixed number of workers. A task becomes ready when
//! all its dependencies are done; a free worker takes the ready task with the longest
//! remaining critical path (the director takes the newest ready one, and fissile holds a
//! worker while a task waits for its dependencies — both leave workers idle behind a long
//! chain). No worker ever waits for a dependency: a task is only handed out when it can run.
//! A task another machine is running (`Step::Elsewhere`) is set aside, and its worker takes
//! other work; it is handed out again when due, before new work, since asking is cheap and
//! its result may unblock the critical path.

use std::collections::BinaryHeap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Condvar, Mutex};
use std::time::{Duration, Instant};

use super::graph::Graph;

/// What became of one task; `E` is the task's own error.
#[derive(Debug)]
pub enum Outcome<T, E> {
    Done(T),
    Failed(E),
    /// Not run: a dependency failed, an earlier failure stopped new work, or the run was
    /// interrupted.
    NotRun,
    /// Not part of this run.
    Unneeded,
}

/// What one attempt at a task came to.
#[derive(Debug)]
pub enum Step<T> {
    Done(T),
    /// Someone else is running it: ask again after this long.
    Elsewhere(Duration),
}

/// Progress of a run, for the caller to show.
#[derive(Debug, Clone, Copy)]
pub enum Event {
    Started(usize),
    /// First seen running elsewhere; set aside.
    Elsewhere(usize),
    Finished {
        index: usize,
        ok: bool,
    },
}

/// Counts at the moment of an event.
#[derive(Debug, Clone, Copy, Default)]
pub struct Counts {
    pub done: usize,
    pub running: usize,
    pub queued: usize,
    pub failed: usize,
    /// Set aside, running on another machine.
    pub elsewhere: usize,
}

pub struct Options<'a> {
    pub workers: usize,
    /// After a failure, keep running tasks that do not depend on it.
    pub keep_going: bool,
    /// Set from a signal handler: nothing new starts once it is set.
    pub cancel: &'a AtomicBool,
}

#[derive(PartialEq)]
struct Ready {
    priority: f64,
    index: usize,
}

impl Eq for Ready {}

impl Ord for Ready {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.priority
            .total_cmp(&other.priority)
            // Ties go to the package first in release.MF, so runs are repeatable.
            .then_with(|| other.index.cmp(&self.index))
    }
}

impl PartialOrd for Ready {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

struct State<T, F> {
    ready: BinaryHeap<Ready>,
    /// Set aside until the instant: running elsewhere.
    aside: Vec<(Instant, Ready)>,
    seen_elsewhere: Vec<bool>,
    waiting_on: Vec<usize>,
    outcomes: Vec<Option<Outcome<T, F>>>,
    counts: Counts,
    stopped: bool,
    left: usize,
}

/// Runs `work` for every needed task and returns every task's outcome, by index.
/// `priority[i]` orders ready tasks (higher first); `on_event` is called under the
/// scheduler's lock, so it sees consistent counts and must be quick.
pub fn run<T, F, W, E>(
    graph: &Graph,
    needed: &[bool],
    priority: &[f64],
    opts: &Options<'_>,
    work: W,
    on_event: E,
) -> Vec<Outcome<T, F>>
where
    T: Send,
    F: Send,
    W: Fn(usize) -> Result<Step<T>, F> + Sync,
    E: Fn(Event, Counts) + Sync,
{
    let n = graph.len();
    let mut st = State {
        ready: BinaryHeap::new(),
        aside: Vec::new(),
        seen_elsewhere: vec![false; n],
        waiting_on: vec![0; n],
        outcomes: (0..n).map(|_| None).collect(),
        counts: Counts::default(),
        stopped: false,
        left: 0,
    };
    for i in 0..n {
        if !needed[i] {
            st.outcomes[i] = Some(Outcome::Unneeded);
            continue;
        }
        st.left += 1;
        st.waiting_on[i] = graph.deps[i].iter().filter(|&&d| needed[d]).count();
        if st.waiting_on[i] == 0 {
            st.ready.push(Ready {
                priority: priority[i],
                index: i,
            });
        }
    }
    st.counts.queued = st.left;
    let state = Mutex::new(st);
    let wake = Condvar::new();
    let workers = opts.workers.max(1).min(n.max(1));

    std::thread::scope(|s| {
        for _ in 0..workers {
            s.spawn(|| loop {
                let index = {
                    let mut st = state.lock().unwrap_or_else(|e| e.into_inner());
                    loop {
                        if opts.cancel.load(Ordering::SeqCst) {
                            st.stopped = true;
                        }
                        if st.left == 0 || (st.stopped && st.counts.running == 0) {
                            wake.notify_all();
                            return;
                        }
                        let now = Instant::now();
                        if !st.stopped {
                            if let Some(r) = take_due(&mut st.aside, now) {
                                st.counts.running += 1;
                                st.counts.elsewhere -= 1;
                                break r.index;
                            }
                            if let Some(r) = st.ready.pop() {
                                st.counts.running += 1;
                                st.counts.queued -= 1;
                                on_event(Event::Started(r.index), st.counts);
                                break r.index;
                            }
                        }
                        let next = st.aside.iter().map(|(t, _)| *t).min();
                        let nap = next.map_or(Duration::from_millis(100), |t| {
                            t.saturating_duration_since(now)
                                .clamp(Duration::from_millis(1), Duration::from_millis(100))
                        });
                        st = wake
                            .wait_timeout(st, nap)
                            .unwrap_or_else(|e| e.into_inner())
                            .0;
                    }
                };
                let result = work(index);
                let mut st = state.lock().unwrap_or_else(|e| e.into_inner());
                st.counts.running -= 1;
                if let Ok(Step::Elsewhere(after)) = result {
                    st.counts.elsewhere += 1;
                    if !std::mem::replace(&mut st.seen_elsewhere[index], true) {
                        on_event(Event::Elsewhere(index), st.counts);
                    }
                    let again = Instant::now() + after;
                    st.aside.push((
                        again,
                        Ready {
                            priority: priority[index],
                            index,
                        },
                    ));
                    wake.notify_all();
                    continue;
                }
                st.left -= 1;
                let ok = result.is_ok();
                match result {
                    Ok(Step::Elsewhere(_)) => unreachable!("set aside above"),
                    Ok(Step::Done(v)) => {
                        st.counts.done += 1;
                        st.outcomes[index] = Some(Outcome::Done(v));
                        for &d in &graph.dependents[index] {
                            if !needed[d] {
                                continue;
                            }
                            st.waiting_on[d] -= 1;
                            if st.waiting_on[d] == 0 && st.outcomes[d].is_none() {
                                st.ready.push(Ready {
                                    priority: priority[d],
                                    index: d,
                                });
                            }
                        }
                    }
                    Err(e) => {
                        st.counts.failed += 1;
                        st.outcomes[index] = Some(Outcome::Failed(e));
                        if opts.keep_going {
                            skip_dependents(graph, needed, index, &mut st);
                        } else {
                            st.stopped = true;
                        }
                    }
                }
                on_event(Event::Finished { index, ok }, st.counts);
                wake.notify_all();
            });
        }
    });

    let st = state.into_inner().unwrap_or_else(|e| e.into_inner());
    st.outcomes
        .into_iter()
        .map(|o| o.unwrap_or(Outcome::NotRun))
        .collect()
}

/// The set-aside task that is due with the highest priority.
fn take_due(aside: &mut Vec<(Instant, Ready)>, now: Instant) -> Option<Ready> {
    let best = aside
        .iter()
        .enumerate()
        .filter(|(_, (t, _))| *t <= now)
        .max_by(|a, b| a.1 .1.cmp(&b.1 .1))
        .map(|(i, _)| i)?;
    Some(aside.swap_remove(best).1)
}

/// Marks everything downstream of a failed task as not run, so the run can end.
fn skip_dependents<T, F>(graph: &Graph, needed: &[bool], failed: usize, st: &mut State<T, F>) {
    let mut stack = graph.dependents[failed].clone();
    while let Some(d) = stack.pop() {
        if needed[d] && st.outcomes[d].is_none() {
            st.outcomes[d] = Some(Outcome::NotRun);
            st.left -= 1;
            st.counts.queued -= 1;
            stack.extend(&graph.dependents[d]);
        }
    }
}

/// The shortest possible makespan for these task durations: the longer of the critical path
/// and the total work spread evenly over the workers.
pub fn lower_bound(graph: &Graph, cost: &[f64], workers: usize) -> f64 {
    let critical = graph.remaining_path(cost).into_iter().fold(0.0, f64::max);
    let total: f64 = cost.iter().sum();
    critical.max(total / workers.max(1) as f64)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::manifest::release_mf::PackageRef;
    use std::convert::Infallible;

    #[derive(Debug)]
    struct Boom;

    fn graph(spec: &[(&str, &[&str])]) -> Graph {
        Graph::new(
            spec.iter()
                .map(|(n, d)| PackageRef {
                    name: n.to_string(),
                    version: "1".into(),
                    fingerprint: "1".into(),
                    sha1: String::new(),
                    stemcell: None,
                    dependencies: d.iter().map(|s| s.to_string()).collect(),
                })
                .collect(),
        )
        .unwrap()
    }

    fn sleep_run(g: &Graph, cost_ms: &[u64], workers: usize) -> Vec<usize> {
        let cancel = AtomicBool::new(false);
        let cost: Vec<f64> = cost_ms.iter().map(|&c| c as f64).collect();
        let prio = g.remaining_path(&cost);
        let order = Mutex::new(Vec::new());
        let out = run(
            g,
            &vec![true; g.len()],
            &prio,
            &Options {
                workers,
                keep_going: false,
                cancel: &cancel,
            },
            |i| {
                order.lock().unwrap().push(i);
                std::thread::sleep(Duration::from_millis(cost_ms[i]));
                Ok::<_, Infallible>(Step::Done(()))
            },
            |_, _| {},
        );
        assert!(out.iter().all(|o| matches!(o, Outcome::Done(()))));
        order.into_inner().unwrap()
    }

    #[test]
    fn the_long_chain_starts_first() {
        // Two workers; a chain long -> tail of 200 ms each and four 100 ms leaves. The
        // director's LIFO order can run the leaves first and take 500 ms; started first, the
        // chain fits the 400 ms lower bound.
        let g = graph(&[
            ("a", &[]),
            ("b", &[]),
            ("c", &[]),
            ("d", &[]),
            ("long", &[]),
            ("tail", &["long"]),
        ]);
        let cost = [100, 100, 100, 100, 200, 200];
        let order = sleep_run(&g, &cost, 2);
        assert_eq!(order[0], 4, "the chain's head starts first: {order:?}");
        assert_eq!(order.len(), 6);
        let c: Vec<f64> = cost.iter().map(|&c| c as f64 / 1000.0).collect();
        assert!((lower_bound(&g, &c, 2) - 0.4).abs() < 1e-9);
    }

    #[test]
    fn a_failure_stops_new_work_unless_keep_going() {
        let g = graph(&[("bad", &[]), ("after", &["bad"]), ("other", &[])]);
        let cancel = AtomicBool::new(false);
        for keep_going in [false, true] {
            let out = run(
                &g,
                &[true; 3],
                &[3.0, 1.0, 2.0],
                &Options {
                    workers: 1,
                    keep_going,
                    cancel: &cancel,
                },
                |i| {
                    if i == 0 {
                        Err(Boom)
                    } else {
                        Ok(Step::Done(i))
                    }
                },
                |_, _| {},
            );
            assert!(matches!(&out[0], Outcome::Failed(Boom)));
            assert!(matches!(out[1], Outcome::NotRun));
            if keep_going {
                assert!(matches!(out[2], Outcome::Done(2)));
            } else {
                assert!(matches!(out[2], Outcome::NotRun));
            }
        }
    }

    #[test]
    fn cancel_lets_running_tasks_finish_and_starts_nothing() {
        let g = graph(&[("a", &[]), ("b", &["a"])]);
        let cancel = AtomicBool::new(false);
        let out = run(
            &g,
            &[true, true],
            &[2.0, 1.0],
            &Options {
                workers: 2,
                keep_going: false,
                cancel: &cancel,
            },
            |i| {
                cancel.store(true, Ordering::SeqCst);
                Ok::<_, Infallible>(Step::Done(i))
            },
            |_, _| {},
        );
        assert!(matches!(out[0], Outcome::Done(0)));
        assert!(matches!(out[1], Outcome::NotRun));
    }

    #[test]
    fn a_task_running_elsewhere_frees_its_worker_and_is_asked_again() {
        // One worker. "remote" is busy elsewhere for its first two attempts; meanwhile the
        // worker runs the independent "local"; "after" waits for "remote"'s result.
        let g = graph(&[("remote", &[]), ("local", &[]), ("after", &["remote"])]);
        let cancel = AtomicBool::new(false);
        let attempts = Mutex::new(Vec::new());
        let events = Mutex::new(Vec::new());
        let out = run(
            &g,
            &[true; 3],
            &[3.0, 1.0, 2.0],
            &Options {
                workers: 1,
                keep_going: false,
                cancel: &cancel,
            },
            |i| {
                let mut a = attempts.lock().unwrap();
                a.push(i);
                if i == 0 && a.iter().filter(|&&x| x == 0).count() <= 2 {
                    return Ok(Step::Elsewhere(Duration::from_millis(20)));
                }
                Ok::<_, Infallible>(Step::Done(i))
            },
            |e, _| events.lock().unwrap().push(format!("{e:?}")),
        );
        assert!(out.iter().all(|o| matches!(o, Outcome::Done(_))));
        let a = attempts.into_inner().unwrap();
        assert_eq!(a[..2], [0, 1], "set aside, the worker takes other work");
        assert_eq!(a[2..], [0, 0, 2]);
        let ev = events.into_inner().unwrap();
        assert_eq!(
            ev.iter().filter(|e| e.starts_with("Elsewhere")).count(),
            1,
            "{ev:?}"
        );
    }
}
