//! `bale compile-release`: compiles every package of a source release on this machine, as
//! many at once as there are workers, longest critical path first, each in its own mount
//! namespace that looks like a compilation VM; reuses every package compiled before (keyed
//! on its whole dependency closure and the root file system); writes a compiled release
//! tarball that bale's verifier checks before the command succeeds.
//!
//! Layers: `graph` (the package DAG, dependency keys, critical paths) and `schedule` (the
//! worker pool) know nothing of files; `sandbox` knows namespaces, not BOSH; `package` is
//! the agent's compile contract; `cache`, `rootfs` and `input` are the stores and sources;
//! `lease` lets machines sharing a bucket split the packages (`--cooperate`); `assemble`
//! writes the compiled release.

mod assemble;
pub mod cache;
pub mod error;
pub mod graph;
pub mod input;
pub mod lease;
pub mod package;
pub mod rootfs;
/// Mount namespaces exist on Linux only; elsewhere the same interface refuses to run, and
/// `compile_release` says so before doing any work.
#[cfg(target_os = "linux")]
pub mod sandbox;
#[cfg(not(target_os = "linux"))]
#[path = "sandbox_unsupported.rs"]
pub mod sandbox;
pub mod schedule;

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;
use std::sync::Mutex;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use serde::Serialize;

use crate::error::{Error, Result};
use crate::manifest::release_mf::HostOs;
use crate::name::Name;
use crate::provider::ObjectBlobstore;
use crate::release::Report;
use assemble::{failure_text, select, write_compiled, Built};
use cache::{Cache, Entry, KeyInput, Meta, Times};
use error::{PackageError, TaskError};
use graph::Graph;
use lease::{Claim, Leases, Owner};
use sandbox::Root;
use schedule::{Counts, Event, Outcome, Step};

#[derive(Debug, Clone)]
pub struct Options {
    /// A release tarball, a release directory or a release manifest.
    pub release: PathBuf,
    /// `os/version` the packages are compiled for: a label, which only a stemcell tarball
    /// or `host_rootfs` backs.
    pub stemcell: Option<String>,
    /// Compile on this machine's own root file system, recording its distribution.
    pub host_rootfs: bool,
    /// A stemcell whose image is a root file system to compile in.
    pub stemcell_tarball: Option<PathBuf>,
    pub workers: usize,
    pub tarball: Option<PathBuf>,
    pub keep_going: bool,
    /// Cache root (compiled packages, unpacked stemcells, logs, work dirs).
    pub cache_dir: PathBuf,
    pub remote_cache: Option<ObjectBlobstore>,
    pub logs: Option<PathBuf>,
    pub allow_empty: bool,
    /// Only these jobs and the packages they need (the director's export); all when empty.
    pub jobs: Vec<String>,
    /// Network, memory and process limits of each packaging script.
    pub isolation: sandbox::Isolation,
    /// Split the packages with other machines through leases in `remote_cache`: the lease
    /// time.
    pub cooperate: Option<Duration>,
}

/// Where a package's result came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Source {
    /// In the cache before this run looked.
    Hit,
    Compiled,
    /// Compiled by another machine of this cooperative run.
    Cooperated,
}

/// What `compile-release` says where there are no mount namespaces.
pub const NEEDS_LINUX: &str = "compile-release needs Linux: packaging scripts run in a private mount namespace (as root, or through an unprivileged user namespace); run bale on a Linux machine, VM or container";

/// The default cache root: `$XDG_CACHE_HOME/bale/compile`, else `~/.cache/bale/compile`.
pub fn default_cache_dir() -> PathBuf {
    std::env::var_os("XDG_CACHE_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache")))
        .unwrap_or_else(std::env::temp_dir)
        .join("bale/compile")
}

#[derive(Debug, Clone, Serialize)]
pub struct PackageReport {
    pub name: String,
    pub fingerprint: String,
    /// `hit`, `compiled`, `cooperated` (compiled by another machine of this run),
    /// `failed` or `not-run`.
    pub result: &'static str,
    /// The machine and process that compiled it, when it was compiled with `--cooperate`.
    pub compiled_by: Option<String>,
    /// The process whose expired lease this one replaced to compile it (a machine that died).
    pub took_over_from: Option<String>,
    /// Time of the packaging script (for a hit: when it was compiled).
    pub seconds: Option<f64>,
    pub digest: Option<String>,
    pub log: Option<PathBuf>,
    pub error: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Summary {
    pub name: String,
    pub version: String,
    pub stemcell: String,
    /// The distribution the packages were really built on, with `--host-rootfs`.
    pub host_rootfs: Option<HostOs>,
    pub tarball: Option<PathBuf>,
    pub workers: usize,
    pub seconds: f64,
    pub compiled: usize,
    pub cache_hits: usize,
    /// Compiled by other machines of a cooperative run.
    pub cooperated: usize,
    /// This process, as its leases name it (with `--cooperate`).
    pub owner: Option<String>,
    pub logs: PathBuf,
    pub packages: Vec<PackageReport>,
}

/// Removes work dirs of runs that are gone (killed, power cut): `work/<pid>-…`.
fn sweep_work(dir: &Path) {
    let Ok(rd) = fs::read_dir(dir) else { return };
    for e in rd.flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        let pid = name.split('-').next().and_then(|p| p.parse::<u32>().ok());
        let alive = pid.is_some_and(|p| Path::new(&format!("/proc/{p}")).exists());
        if !alive {
            package::remove_work(&e.path());
        }
    }
}

/// Compiles the release; an `Err` means nothing was written, and whatever compiled is
/// cached for the next run. `cancel` is set by Ctrl-C.
pub fn compile_release(opts: &Options, report: Report, cancel: &AtomicBool) -> Result<Summary> {
    if !cfg!(target_os = "linux") {
        return Err(Error::msg(NEEDS_LINUX));
    }
    let start = Instant::now();
    let source = input::resolve(&opts.release, report)?;
    let opened = input::unpack_verified(&source.tarball, &opts.release)?;
    let m = &opened.manifest;
    if m.packages.is_empty() && !m.compiled_packages.is_empty() {
        return Err(Error::msg(format!(
            "Release '{}/{}' is already compiled (its release.MF lists compiled_packages); compile-release needs a source release",
            m.name, m.version
        )));
    }

    let (root, stemcell, root_id, host) = match &opts.stemcell_tarball {
        Some(_) if opts.host_rootfs => {
            return Err(Error::msg(
                "--host-rootfs and --stemcell-tarball exclude each other: compile either on this machine's root or inside the stemcell",
            ))
        }
        Some(t) => {
            let r = rootfs::prepare(t, &opts.cache_dir, report)?;
            if let Some(s) = opts.stemcell.as_ref().filter(|s| **s != r.slug) {
                return Err(Error::msg(format!(
                    "--stemcell {s} does not match the stemcell tarball, which is {}",
                    r.slug
                )));
            }
            (
                Root { dir: r.dir },
                r.slug,
                format!("image {}", r.image_sha1),
                None,
            )
        }
        None if opts.host_rootfs => {
            let s = opts.stemcell.clone().ok_or_else(|| {
                Error::msg("--host-rootfs needs --stemcell OS/VERSION: the label the director matches compiled packages by (for example ubuntu-jammy/1.406)")
            })?;
            let host = rootfs::host_os();
            report(&format!(
                "Compiling on this machine's root file system ({host}), not inside stemcell {s}: the compiled release records it (compiled_on_host in release.MF)"
            ));
            (Root::host(), s, rootfs::host_identity(), Some(host))
        }
        None => {
            return Err(Error::msg(match &opts.stemcell {
                Some(s) => format!(
                    "--stemcell {s} is only a label: give --stemcell-tarball PATH to compile inside that stemcell's root file system, or --host-rootfs to compile on this machine's ({}) and record that in the compiled release",
                    rootfs::host_os()
                ),
                None => "Expected --stemcell-tarball PATH (a warden/docker-style stemcell to compile in), or --host-rootfs with --stemcell OS/VERSION".to_string(),
            }))
        }
    };
    validate_slug(&stemcell)?;
    let bash = root.bash().ok_or_else(|| {
        Error::msg(format!(
            "bash was not found at /bin/bash or /usr/bin/bash in {}: packaging scripts run as 'bash -x packaging'; install bash there",
            if root.is_host() { "this machine".to_string() } else { root.dir.display().to_string() }
        ))
    })?;

    let cgroup = sandbox::cgroup::parent(&opts.isolation).map_err(|e| {
        Error::msg(format!(
            "--memory and --pids need a writable cgroup v2 with the memory and pids controllers, which this machine does not offer: {e}. Run without them"
        ))
    })?;

    let graph = Graph::new(m.packages.clone())?;
    let (jobs, needed) = select(m, &graph, &opts.jobs)?;

    let leases = match (opts.cooperate, &opts.remote_cache) {
        (None, _) => None,
        (Some(ttl), Some(remote)) if !remote.read_only() => Some(Leases::new(
            remote.store(),
            remote.prefix().map(str::to_string),
            remote.shown(),
            Owner::this_process(),
            ttl,
        )),
        (Some(_), _) => {
            return Err(Error::msg(
                "--cooperate splits the packages with other machines through the shared cache: give --cache s3://BUCKET/PREFIX with credentials that may write (not --cache-read-only)",
            ))
        }
    };
    let run_started = unix_millis();
    let cache = Cache::open(&opts.cache_dir.join("packages"), opts.remote_cache.clone())?;
    cache.sweep();
    let work_root = opts.cache_dir.join("work");
    sweep_work(&work_root);
    let work_dir = work_root.join(format!("{}-{}", std::process::id(), uuid::Uuid::new_v4()));
    fs::create_dir_all(&work_dir).map_err(|e| Error::io("mkdir", &work_dir, &e))?;
    let logs = opts.logs.clone().unwrap_or_else(|| {
        opts.cache_dir
            .join("logs")
            .join(format!("{}-{}", m.name, m.version))
    });
    fs::create_dir_all(&logs).map_err(|e| Error::io("mkdir", &logs, &e))?;

    // Keys in dependency order: each covers its whole closure.
    let mut keys = vec![String::new(); graph.len()];
    for &i in &graph.topo {
        let p = &graph.packages[i];
        let deps: Vec<(&str, &str)> = graph.deps[i]
            .iter()
            .map(|&d| (graph.packages[d].name.as_str(), keys[d].as_str()))
            .collect();
        keys[i] = cache::key(&KeyInput {
            name: &p.name,
            version: &p.version,
            fingerprint: &p.fingerprint,
            source_digest: &p.sha1,
            stemcell: &stemcell,
            root_id: &root_id,
            deps,
        });
    }
    let mut times = Times::load(&opts.cache_dir);
    let cost: Vec<f64> = (0..graph.len())
        .map(|i| {
            let p = &graph.packages[i];
            if cache.has_local(&keys[i]) {
                return 0.001;
            }
            times.seconds.get(&p.name).copied().unwrap_or_else(|| {
                // Unknown: about 10 MiB of source per second, plus a start-up cost.
                let size = opened
                    .archive(&format!("packages/{}.tgz", p.name))
                    .ok()
                    .and_then(|f| fs::metadata(f).ok())
                    .map_or(0, |m| m.len());
                0.1 + size as f64 / (10 << 20) as f64
            })
        })
        .collect();
    let priority = graph.remaining_path(&cost);

    let done: Mutex<Vec<Option<(Entry, Source)>>> = Mutex::new(vec![None; graph.len()]);
    // Packages seen under another machine's lease: their results count as cooperated.
    let waited = Mutex::new(vec![false; graph.len()]);
    let took_over: Mutex<Vec<Option<String>>> = Mutex::new(vec![None; graph.len()]);
    let total = needed.iter().filter(|n| **n).count();
    let me = leases.as_ref().map(|l| l.owner().to_string());
    let found = |i: usize, e: Entry| {
        let by_other = e.meta.compiled_by.is_some() && e.meta.compiled_by != me;
        let during = e.meta.compiled_at.is_some_and(|t| t >= run_started);
        let source = if waited.lock().expect("waited lock")[i] || (by_other && during) {
            Source::Cooperated
        } else {
            Source::Hit
        };
        done.lock().expect("results lock")[i] = Some((e, source));
    };
    let work = |i: usize| -> std::result::Result<Step<()>, TaskError> {
        let p = &graph.packages[i];
        let warn = |s: &str| report(&format!("warning: {s}"));
        if let Some(e) = cache.lookup(&keys[i], &warn)? {
            found(i, e);
            return Ok(Step::Done(()));
        }
        let dep_entries: Vec<(usize, Entry)> = {
            let d = done.lock().expect("results lock");
            graph.deps[i]
                .iter()
                .map(|&j| {
                    (
                        j,
                        d[j].as_ref().expect("dependencies finish first").0.clone(),
                    )
                })
                .collect()
        };
        let source = opened.archive(&format!("packages/{}.tgz", p.name))?;
        let pkg_work = Name::new(p.name.as_str())
            .map_err(PackageError::Name)?
            .under(&work_dir);
        let lease = match &leases {
            None => None,
            Some(l) => match l.claim(&keys[i])? {
                Claim::Held(h) => {
                    waited.lock().expect("waited lock")[i] = true;
                    tracing::debug!(package = %p.name, owner = %h.owner, "compiling elsewhere");
                    let poll =
                        (l.ttl() / 8).clamp(Duration::from_millis(100), Duration::from_secs(1));
                    return Ok(Step::Elsewhere(
                        poll.min(h.expires_in + Duration::from_millis(50)),
                    ));
                }
                Claim::Won(lease) => {
                    // Its result may have landed between the lookup and the claim.
                    if let Some(e) = cache.lookup(&keys[i], &warn)? {
                        l.release(lease)?;
                        waited.lock().expect("waited lock")[i] = true;
                        found(i, e);
                        return Ok(Step::Done(()));
                    }
                    if let Some(prev) = &lease.took_over {
                        report(&format!(
                            "Taking over {}: the lease of {prev} expired",
                            p.name
                        ));
                        took_over.lock().expect("takeover lock")[i] = Some(prev.to_string());
                    }
                    Some(lease)
                }
            },
        };
        let out = match cache.temp_path("tgz") {
            Ok(o) => o,
            Err(e) => {
                if let (Some(l), Some(lease)) = (&leases, lease) {
                    let _ = l.release(lease);
                }
                return Err(e.into());
            }
        };
        let log = package::log_path(&logs, &p.name);
        let t = Instant::now();
        let job = package::Job {
            name: &p.name,
            version: &p.version,
            source,
            deps: dep_entries
                .iter()
                .map(|(j, e)| package::Dep {
                    name: &graph.packages[*j].name,
                    version: &graph.packages[*j].version,
                    archive: &e.path,
                })
                .collect(),
            root: &root,
            bash,
            work: &pkg_work,
            log: &log,
            out: &out,
            allow_empty: opts.allow_empty,
            cancel,
            isolation: &opts.isolation,
            cgroup: cgroup.as_deref(),
        };
        // The lease is held until the result is in the bucket: released any earlier,
        // another machine would find neither and compile the package again.
        let compile_and_store = || -> std::result::Result<Entry, TaskError> {
            let result = package::compile(&job);
            package::remove_work(&pkg_work);
            let packed = match result {
                Ok(p) => p,
                Err(e) => {
                    let _ = fs::remove_file(&out);
                    return Err(e.into());
                }
            };
            let meta = Meta {
                name: p.name.clone(),
                version: p.version.clone(),
                fingerprint: p.fingerprint.clone(),
                stemcell: stemcell.clone(),
                dependency_key: graph.dependency_key(i),
                digest: packed.digest.to_string(),
                size: packed.size,
                seconds: t.elapsed().as_secs_f64(),
                compiled_by: me.clone(),
                compiled_at: me.as_ref().map(|_| unix_millis()),
                host_rootfs: host.clone(),
            };
            Ok(cache.store(&keys[i], &out, meta)?)
        };
        let entry = match (&leases, lease) {
            (Some(l), Some(lease)) => l.hold_while(lease, &warn, compile_and_store).0,
            _ => compile_and_store(),
        }?;
        done.lock().expect("results lock")[i] = Some((entry, Source::Compiled));
        Ok(Step::Done(()))
    };
    let on_event = |ev: Event, c: Counts| {
        let elapsed = start.elapsed().as_secs_f64();
        let elsewhere = if c.elsewhere > 0 {
            format!(", {} on other machines", c.elsewhere)
        } else {
            String::new()
        };
        let status = format!(
            "{}/{total} done, {} running, {} queued{elsewhere}, {elapsed:.1}s",
            c.done, c.running, c.queued
        );
        match ev {
            Event::Started(i) => {
                report(&format!("Compiling {} ({status})", graph.packages[i].name))
            }
            Event::Elsewhere(i) => report(&format!(
                "Waiting for {}: another machine is compiling it ({status})",
                graph.packages[i].name
            )),
            Event::Finished { index, ok } => report(&format!(
                "{} {} ({status})",
                if ok { "Finished" } else { "Failed" },
                graph.packages[index].name
            )),
        }
    };
    let outcomes = schedule::run(
        &graph,
        &needed,
        &priority,
        &schedule::Options {
            workers: opts.workers,
            keep_going: opts.keep_going,
            cancel,
        },
        work,
        on_event,
    );
    package::remove_work(&work_dir);
    let results = done.into_inner().expect("results lock");
    let mut took_over = took_over.into_inner().expect("takeover lock");

    let mut reports = Vec::new();
    let mut failures = Vec::new();
    for (i, o) in outcomes.iter().enumerate() {
        let p = &graph.packages[i];
        let log = package::log_path(&logs, &p.name);
        let mut r = PackageReport {
            name: p.name.clone(),
            fingerprint: p.fingerprint.clone(),
            result: "not-run",
            compiled_by: None,
            took_over_from: None,
            seconds: None,
            digest: None,
            log: None,
            error: None,
        };
        match (o, &results[i]) {
            (Outcome::Unneeded, _) => continue,
            (Outcome::Done(()), Some((e, source))) => {
                r.result = match source {
                    Source::Hit => "hit",
                    Source::Compiled => "compiled",
                    Source::Cooperated => "cooperated",
                };
                r.compiled_by = e.meta.compiled_by.clone();
                r.took_over_from = took_over[i].take();
                r.seconds = Some(e.meta.seconds);
                r.digest = Some(e.meta.digest.clone());
                if *source == Source::Compiled {
                    times.seconds.insert(p.name.clone(), e.meta.seconds);
                    r.log = Some(log);
                }
            }
            (Outcome::Failed(err), _) => {
                r.result = "failed";
                r.error = Some(err.to_string());
                failures.push(failure_text(&p.name, err, log.exists().then_some(&log)));
                r.log = log.exists().then_some(log);
            }
            _ => {}
        }
        reports.push(r);
    }
    times.save();
    let compiled = reports.iter().filter(|r| r.result == "compiled").count();
    let cache_hits = reports.iter().filter(|r| r.result == "hit").count();
    let cooperated = reports.iter().filter(|r| r.result == "cooperated").count();
    if cancel.load(std::sync::atomic::Ordering::SeqCst) {
        return Err(Error::msg(format!(
            "Interrupted: {compiled} package(s) compiled and cached, {cache_hits} from the cache; run the same command again to resume"
        )));
    }
    if !failures.is_empty() {
        let not_run = reports.iter().filter(|r| r.result == "not-run").count();
        return Err(Error::msg(format!(
            "Compiling release '{}/{}' failed ({} failed, {not_run} not run, {compiled} compiled and cached):\n\n{}",
            m.name,
            m.version,
            failures.len(),
            failures.join("\n\n")
        )));
    }

    let tarball = match &opts.tarball {
        Some(t) => t.clone(),
        None => PathBuf::from(format!(
            "{}-{}-{}.tgz",
            m.name,
            m.version,
            stemcell.replacen('/', "-", 1)
        )),
    };
    let entries: Vec<Option<Entry>> = results.into_iter().map(|r| r.map(|(e, _)| e)).collect();
    write_compiled(
        &opened,
        &graph,
        &needed,
        &jobs,
        &entries,
        &Built {
            stemcell: &stemcell,
            host: host.as_ref(),
        },
        &tarball,
    )?;
    let check = crate::verify::verify(&tarball)?;
    if !check.ok() {
        let _ = fs::remove_file(&tarball);
        let lines: Vec<String> = check.findings.iter().map(|f| f.to_string()).collect();
        return Err(Error::msg(format!(
            "The compiled release failed bale's own verification and was removed:\n  - {}",
            lines.join("\n  - ")
        )));
    }
    Ok(Summary {
        name: m.name.clone(),
        version: m.version.clone(),
        stemcell,
        host_rootfs: host,
        tarball: Some(tarball),
        workers: opts.workers,
        seconds: start.elapsed().as_secs_f64(),
        compiled,
        cache_hits,
        cooperated,
        owner: me,
        logs,
        packages: reports,
    })
}

fn unix_millis() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as u64)
}

fn validate_slug(s: &str) -> Result<()> {
    match s.split_once('/') {
        Some((os, v)) if !os.is_empty() && !v.is_empty() && !v.contains('/') => Ok(()),
        _ => Err(Error::msg(format!(
            "Stemcell '{s}' must be OS/VERSION, for example ubuntu-jammy/1.406"
        ))),
    }
}
