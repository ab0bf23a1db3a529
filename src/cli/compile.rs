//! `bale compile-release`: flags, Ctrl-C, the shared cache's address, and the summary.

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};

use clap::Args;
use serde_json::Value;

use super::output::Ui;
use crate::compile::{self, Options};
use crate::error::Result;
use crate::provider::ObjectBlobstore;

#[derive(Args, Debug)]
pub(super) struct CompileArgs {
    /// Release tarball, release directory (its dev release is built first) or release manifest
    release: PathBuf,
    /// Stemcell OS/VERSION the packages are labelled for (e.g. ubuntu-jammy/1.406); taken
    /// from --stemcell-tarball, or required with --host-rootfs
    #[arg(long)]
    stemcell: Option<String>,
    /// Compile inside the root file system of this warden/docker-style stemcell
    #[arg(long, value_name = "PATH")]
    stemcell_tarball: Option<PathBuf>,
    /// Compile on this machine's own root file system instead of a stemcell's; the compiled
    /// release records this machine's distribution (from /etc/os-release)
    #[arg(long, conflicts_with = "stemcell_tarball")]
    host_rootfs: bool,
    /// Packages compiled at once (default: the number of cores)
    #[arg(long)]
    workers: Option<usize>,
    /// Where to write the compiled release (default: NAME-VERSION-OS-STEMCELL_VERSION.tgz)
    #[arg(long, value_name = "PATH")]
    tarball: Option<PathBuf>,
    /// After a failure, go on compiling the packages that do not depend on it
    #[arg(long)]
    keep_going: bool,
    /// Only these jobs and the packages they need, as export-release does (repeatable)
    #[arg(long = "job", value_name = "NAME")]
    jobs: Vec<String>,
    /// Cache directory (default: $XDG_CACHE_HOME/bale/compile or ~/.cache/bale/compile)
    #[arg(long, value_name = "DIR", env = "BALE_COMPILE_CACHE")]
    cache_dir: Option<PathBuf>,
    /// Shared cache in S3-compatible storage, s3://BUCKET[/PREFIX]; credentials from
    /// AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, endpoint from AWS_ENDPOINT_URL, region from AWS_REGION
    #[arg(long = "cache", value_name = "URL", env = "BALE_COMPILE_CACHE_URL")]
    remote_cache: Option<String>,
    /// Only read the shared cache, never write to it
    #[arg(long)]
    cache_read_only: bool,
    /// Split the work with other machines running the same command on the same --cache:
    /// each package is compiled by one of them (it holds a lease in the bucket), the others
    /// download it
    #[arg(long, requires = "remote_cache")]
    cooperate: bool,
    /// With --cooperate: how long a lease lasts unless renewed (a machine that dies loses its
    /// packages to the others after this long)
    #[arg(long, value_name = "SECONDS", default_value_t = 60, value_parser = clap::value_parser!(u64).range(1..=86400))]
    lease_seconds: u64,
    /// Directory for the packaging logs (default: under the cache directory)
    #[arg(long, value_name = "DIR")]
    logs: Option<PathBuf>,
    /// Accept packages whose packaging script installs nothing
    #[arg(long)]
    allow_empty: bool,
    /// Let packaging scripts use the host's network (default: only their own loopback)
    #[arg(long)]
    network: bool,
    /// Memory limit of each package, e.g. 2G or 512M (needs cgroup v2)
    #[arg(long, value_name = "SIZE", value_parser = parse_size)]
    memory: Option<u64>,
    /// Limit on the processes and threads of each package (needs cgroup v2)
    #[arg(long, value_name = "N")]
    pids: Option<u64>,
}

/// A `--memory` value clap refuses (it prints the message after the flag's name).
#[derive(Debug, thiserror::Error)]
enum SizeError {
    #[error("'{0}' is not a size (bytes, or a number with K, M, G or T)")]
    NotASize(String),
    #[error("'{0}' is not a usable size")]
    Unusable(String),
}

/// `512M`, `2G`, `1048576`: bytes, with an optional binary K/M/G/T suffix.
fn parse_size(s: &str) -> std::result::Result<u64, SizeError> {
    let t = s.trim();
    let (num, shift) = match t.chars().last().map(|c| c.to_ascii_uppercase()) {
        Some('K') => (&t[..t.len() - 1], 10),
        Some('M') => (&t[..t.len() - 1], 20),
        Some('G') => (&t[..t.len() - 1], 30),
        Some('T') => (&t[..t.len() - 1], 40),
        _ => (t, 0),
    };
    let n: u64 = num
        .parse()
        .map_err(|_| SizeError::NotASize(s.to_string()))?;
    n.checked_mul(1 << shift)
        .filter(|n| *n > 0)
        .ok_or_else(|| SizeError::Unusable(s.to_string()))
}

static CANCEL: AtomicBool = AtomicBool::new(false);

extern "C" fn on_signal(_: libc::c_int) {
    CANCEL.store(true, Ordering::SeqCst);
}

fn trap_signals() {
    // SAFETY: the handler only stores to an atomic, which is async-signal-safe.
    unsafe {
        libc::signal(libc::SIGINT, on_signal as *const () as libc::sighandler_t);
        libc::signal(libc::SIGTERM, on_signal as *const () as libc::sighandler_t);
    }
}

pub(super) fn compile_release(a: &CompileArgs, ui: &Ui) -> Result<()> {
    ui.own_command("compile-release");
    trap_signals();
    let report = |s: &str| ui.line(s);
    let workers = a
        .workers
        .filter(|w| *w > 0)
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
    let opts = Options {
        release: a.release.clone(),
        stemcell: a.stemcell.clone(),
        stemcell_tarball: a.stemcell_tarball.clone(),
        host_rootfs: a.host_rootfs,
        workers,
        tarball: a.tarball.clone(),
        keep_going: a.keep_going,
        cache_dir: a
            .cache_dir
            .clone()
            .unwrap_or_else(compile::default_cache_dir),
        remote_cache: a
            .remote_cache
            .as_deref()
            .map(|u| {
                ObjectBlobstore::s3_from_url(u).map(|store| {
                    if a.cache_read_only {
                        store.into_read_only()
                    } else {
                        store
                    }
                })
            })
            .transpose()?,
        logs: a.logs.clone(),
        allow_empty: a.allow_empty,
        jobs: a.jobs.clone(),
        isolation: compile::sandbox::Isolation {
            network: a.network,
            memory: a.memory,
            pids: a.pids,
        },
        cooperate: a
            .cooperate
            .then(|| std::time::Duration::from_secs(a.lease_seconds)),
    };
    let s = compile::compile_release(&opts, &report, &CANCEL)?;
    ui.done();
    if ui.json() {
        ui.document(serde_json::to_value(&s).unwrap_or(Value::Null));
        return Ok(());
    }
    let rows: Vec<Vec<String>> = s
        .packages
        .iter()
        .map(|p| {
            vec![
                p.name.clone(),
                match (&p.compiled_by, p.result) {
                    (Some(by), "cooperated") => format!("cooperated ({by})"),
                    _ => p.result.to_string(),
                },
                p.seconds.map(|t| format!("{t:.1}s")).unwrap_or_default(),
                p.digest.clone().unwrap_or_default(),
            ]
        })
        .collect();
    let host = s
        .host_rootfs
        .as_ref()
        .map(|h| format!(" (built on this machine's {h} root file system, --host-rootfs)"))
        .unwrap_or_default();
    let others = if s.owner.is_some() {
        format!(", {} by other machines", s.cooperated)
    } else {
        String::new()
    };
    ui.text(&format!(
        "Compiled release '{}/{}' for stemcell {}{host} in {:.1}s ({} compiled, {} from the cache{others}, {} workers)\n\n{}\n\nCompiled release: {}\nLogs: {}",
        s.name,
        s.version,
        s.stemcell,
        s.seconds,
        s.compiled,
        s.cache_hits,
        s.workers,
        super::table::aligned(Some(&["Package", "Result", "Time", "Digest"]), &rows),
        s.tarball.as_ref().map(|t| t.display().to_string()).unwrap_or_default(),
        s.logs.display()
    ));
    Ok(())
}
