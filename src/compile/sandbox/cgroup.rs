//! `--memory` and `--pids`: each package runs in a cgroup v2 group of its own under bale's
//! cgroup, with `memory.max` (and no swap) and `pids.max`. Only where cgroup v2 is mounted,
//! writable, and its `memory`/`pids` controllers can be enabled for bale's children; anywhere
//! else asking for a limit is an error that says so, never a silently unlimited compile.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use super::Isolation;

/// Why the limits cannot be applied here.
#[derive(Debug, thiserror::Error)]
pub enum Unavailable {
    #[error(
        "no cgroup v2 file system is mounted (this machine uses cgroup v1 for memory and pids)"
    )]
    NotMounted,
    #[error("bale's cgroup {0} has no '{1}' controller available (cgroup v2 must delegate it)")]
    NoController(PathBuf, &'static str),
    #[error("cannot enable the '{1}' controller for the children of {0}: {2} (cgroup v2 lets only a cgroup without processes of its own have limited children: run bale in a delegated cgroup of its own, e.g. `systemd-run --scope -p Delegate=yes bale ...`)")]
    Enable(PathBuf, &'static str, io::Error),
    #[error("cannot create {0}: {1}")]
    Create(PathBuf, io::Error),
    #[error("cannot set {0}: {1}")]
    Set(PathBuf, io::Error),
}

/// The cgroup v2 directory bale runs in: the cgroup2 mount plus the `0::` line of
/// `/proc/self/cgroup`.
fn own_dir() -> Result<PathBuf, Unavailable> {
    let info = fs::read_to_string("/proc/self/mountinfo").unwrap_or_default();
    let mount = info
        .lines()
        .find_map(|l| {
            let (left, right) = l.split_once(" - ")?;
            (right.split_whitespace().next() == Some("cgroup2"))
                .then(|| left.split_whitespace().nth(4).map(PathBuf::from))?
        })
        .ok_or(Unavailable::NotMounted)?;
    let own = fs::read_to_string("/proc/self/cgroup").unwrap_or_default();
    let rel = own
        .lines()
        .find_map(|l| l.strip_prefix("0::"))
        .ok_or(Unavailable::NotMounted)?;
    Ok(mount.join(rel.trim().trim_start_matches('/')))
}

/// The controllers the limits need.
fn wanted(iso: &Isolation) -> Vec<&'static str> {
    let mut v = Vec::new();
    if iso.memory.is_some() {
        v.push("memory");
    }
    if iso.pids.is_some() {
        v.push("pids");
    }
    v
}

/// bale's cgroup with the controllers enabled for its children.
pub fn parent(iso: &Isolation) -> Result<Option<PathBuf>, Unavailable> {
    let want = wanted(iso);
    if want.is_empty() {
        return Ok(None);
    }
    let dir = own_dir()?;
    let available = fs::read_to_string(dir.join("cgroup.controllers")).unwrap_or_default();
    for c in &want {
        if !available.split_whitespace().any(|a| a == *c) {
            return Err(Unavailable::NoController(dir, c));
        }
        let enabled = fs::read_to_string(dir.join("cgroup.subtree_control")).unwrap_or_default();
        if !enabled.split_whitespace().any(|a| a == *c) {
            fs::write(dir.join("cgroup.subtree_control"), format!("+{c}"))
                .map_err(|e| Unavailable::Enable(dir.clone(), c, e))?;
        }
    }
    Ok(Some(dir))
}

/// One package's group; removed when dropped (its processes are gone by then).
pub struct Group {
    pub dir: PathBuf,
}

impl Group {
    pub fn create(parent: &Path, name: &str, iso: &Isolation) -> Result<Group, Unavailable> {
        let dir = parent.join(name);
        fs::create_dir(&dir).map_err(|e| Unavailable::Create(dir.clone(), e))?;
        let g = Group { dir };
        let set = |file: &str, value: String| {
            let p = g.dir.join(file);
            fs::write(&p, value).map_err(|e| Unavailable::Set(p, e))
        };
        if let Some(m) = iso.memory {
            set("memory.max", m.to_string())?;
            // Without swap the limit is the limit; a kernel without swap accounting lacks
            // the file, which is the same thing.
            if g.dir.join("memory.swap.max").exists() {
                set("memory.swap.max", "0".into())?;
            }
        }
        if let Some(p) = iso.pids {
            set("pids.max", p.to_string())?;
        }
        Ok(g)
    }

    /// `cgroup.procs`, which the child writes itself into before it unshares.
    pub fn procs(&self) -> PathBuf {
        self.dir.join("cgroup.procs")
    }

    /// Whether the kernel killed something for exceeding `memory.max`.
    pub fn oom_killed(&self) -> bool {
        fs::read_to_string(self.dir.join("memory.events"))
            .unwrap_or_default()
            .lines()
            .any(|l| l.strip_prefix("oom_kill ").is_some_and(|n| n.trim() != "0"))
    }
}

impl Drop for Group {
    fn drop(&mut self) {
        // The group empties a moment after its last process is reaped.
        for _ in 0..50 {
            match fs::remove_dir(&self.dir) {
                Err(e) if e.raw_os_error() == Some(libc::EBUSY) => {
                    std::thread::sleep(std::time::Duration::from_millis(20))
                }
                _ => return,
            }
        }
    }
}
