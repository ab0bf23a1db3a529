//! Scaffolding: `init-release`, `generate-job`, `generate-package`, and `reset-release`. The
//! generated files come from `templates/` in bale's source tree, embedded at build time, and
//! are the bytes the `bosh` CLI writes (spec: release-format §1, §1.4).

use std::fs;
use std::path::Path;
use std::process::Command;

use crate::atomic;
use crate::error::{Error, Result};
use crate::layout::ReleaseDir;

const GITIGNORE: &str = include_str!("../../templates/release/gitignore");
const JOB_SPEC: &str = include_str!("../../templates/job/spec");
const JOB_MONIT: &str = include_str!("../../templates/job/monit");
const PACKAGE_SPEC: &str = include_str!("../../templates/package/spec");
const PACKAGE_PACKAGING: &str = include_str!("../../templates/package/packaging");

fn mkdir(p: &Path) -> Result<()> {
    fs::create_dir_all(p).map_err(|e| Error::io("mkdir", p, &e))
}

/// Creates the directories and config of a new release; with `git`, a repository too.
pub fn init_release(root: &Path, git: bool) -> Result<()> {
    let dir = ReleaseDir::new(root);
    mkdir(root)?;
    let abs = fs::canonicalize(root).map_err(|e| Error::io("stat", root, &e))?;
    let base = abs
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let name = base.strip_suffix("-release").unwrap_or(&base);
    for d in [dir.jobs_dir(), dir.packages_dir(), dir.src_dir()] {
        mkdir(&d)?;
    }
    if !dir.final_yml().exists() {
        atomic::write(&dir.final_yml(), format!("name: {name}\n").as_bytes())?;
    }
    if !dir.blobs_yml().exists() {
        atomic::write(&dir.blobs_yml(), b"--- {}\n")?;
    }
    if git {
        tracing::debug!(dir = %root.display(), "running git init");
        let out = Command::new("git")
            .args(["init", "-q"])
            .current_dir(root)
            .output()
            .map_err(|e| Error::msg(format!("Initializing git repository: running git: {e}")))?;
        if !out.status.success() {
            return Err(Error::msg(format!(
                "Initializing git repository:\n  {}",
                String::from_utf8_lossy(&out.stderr).trim()
            )));
        }
        let gi = root.join(".gitignore");
        if !gi.exists() {
            atomic::write(&gi, GITIGNORE.as_bytes())?;
        }
    }
    Ok(())
}

pub fn generate_job(root: &Path, name: &str) -> Result<()> {
    let d = ReleaseDir::new(root).jobs_dir().join(name);
    if d.exists() {
        return Err(Error::msg(format!(
            "Job '{name}' at '{}' already exists",
            d.display()
        )));
    }
    let tmp = staging_dir(root)?;
    atomic::write(
        &tmp.path().join("spec"),
        JOB_SPEC.replace("NAME", name).as_bytes(),
    )?;
    atomic::write(&tmp.path().join("monit"), JOB_MONIT.as_bytes())?;
    mkdir(&tmp.path().join("templates"))?;
    publish(tmp, &d)
}

pub fn generate_package(root: &Path, name: &str) -> Result<()> {
    let d = ReleaseDir::new(root).packages_dir().join(name);
    if d.exists() {
        return Err(Error::msg(format!(
            "Package '{name}' at '{}' already exists",
            d.display()
        )));
    }
    let tmp = staging_dir(root)?;
    atomic::write(
        &tmp.path().join("spec"),
        PACKAGE_SPEC.replace("NAME", name).as_bytes(),
    )?;
    atomic::write(&tmp.path().join("packaging"), PACKAGE_PACKAGING.as_bytes())?;
    publish(tmp, &d)
}

/// A hidden scratch dir inside the release, so the final rename stays on one filesystem.
fn staging_dir(root: &Path) -> Result<tempfile::TempDir> {
    Ok(crate::atomic::temp_dir_in(root, ".bale-gen-")?)
}

/// Moves a fully written directory into place in one rename.
fn publish(tmp: tempfile::TempDir, dest: &Path) -> Result<()> {
    if let Some(parent) = dest.parent() {
        mkdir(parent)?;
    }
    let path = tmp.keep();
    fs::rename(&path, dest).map_err(|e| {
        let _ = fs::remove_dir_all(&path);
        Error::io("rename", dest, &e)
    })
}

/// Deletes dev builds, dev releases and local blobs; final builds, releases and the cache stay.
pub fn reset_release(root: &Path) -> Result<()> {
    for d in [".dev_builds", "dev_releases", ".blobs", "blobs"] {
        let p = root.join(d);
        if fs::symlink_metadata(&p).is_ok() {
            fs::remove_dir_all(&p).map_err(|e| Error::io("remove", &p, &e))?;
        }
    }
    Ok(())
}
