//! The release directory's git state: `commit_hash` and the dirty check (spec: §7.1).

use std::path::Path;
use std::process::Command;

use crate::error::{Error, Result};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GitState {
    /// `git rev-parse --short HEAD`, `non-git` outside a repository, `empty` with no commits.
    pub commit_hash: String,
    /// `git status --short` output (ignored files excluded), empty when clean.
    pub status: String,
}

impl GitState {
    pub fn read(dir: &Path) -> GitState {
        let run = |args: &[&str]| {
            tracing::debug!(dir = %dir.display(), ?args, "running git");
            Command::new("git")
                .args(args)
                .current_dir(dir)
                .output()
                .ok()
        };
        let inside = run(&["rev-parse", "--is-inside-work-tree"])
            .is_some_and(|o| o.status.success() && o.stdout.starts_with(b"true"));
        if !inside {
            return GitState {
                commit_hash: "non-git".into(),
                status: String::new(),
            };
        }
        let commit_hash = match run(&["rev-parse", "--short", "HEAD"]) {
            Some(o) if o.status.success() => String::from_utf8_lossy(&o.stdout).trim().to_string(),
            _ => "empty".into(),
        };
        let status = run(&["status", "--short"])
            .filter(|o| o.status.success())
            .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
            .unwrap_or_default();
        GitState {
            commit_hash,
            status,
        }
    }

    pub fn dirty(&self) -> bool {
        !self.status.is_empty()
    }

    /// Fails on a dirty tree unless `force`, listing the modified files.
    pub fn check_clean(&self, force: bool) -> Result<()> {
        if self.dirty() && !force {
            return Err(Error::msg(format!(
                "Git repository has local modifications:\n\n{}",
                self.status
            )));
        }
        Ok(())
    }
}
