//! `bale verify`: every digest and fingerprint of a release tarball (source or compiled), a
//! stemcell tarball or a release directory, checked offline in one streaming pass before
//! anything is uploaded. Every failure names the entry and the expected and actual values;
//! all of them are reported, not just the first.

mod archives;
mod dir;
mod release;
mod structure;

use std::path::{Path, PathBuf};

use crate::error::Result;

pub use dir::verify_dir;
pub use release::{verify_release, verify_release_supplied, verify_release_tapped, Tap};
pub use structure::manifest_findings;

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Artifact {
    Release,
    CompiledRelease,
    Stemcell,
    ReleaseDirectory,
}

/// Errors fail verification; warnings are facts bale cannot hold against the artifact.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct Finding {
    pub severity: Severity,
    /// The entry (`packages/app.tgz`, `stemcell.MF sha1`, a blob path) the finding is about.
    pub entry: String,
    pub problem: String,
    pub expected: String,
    pub actual: String,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct Report {
    pub path: PathBuf,
    pub artifact: Artifact,
    pub name: String,
    pub version: String,
    /// How many digests, fingerprints and structural rules were checked.
    pub checks: usize,
    pub findings: Vec<Finding>,
}

/// One line: `entry: problem (expected …, actual …)`.
impl std::fmt::Display for Finding {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}: {} (expected {}, actual {})",
            self.entry, self.problem, self.expected, self.actual
        )
    }
}

impl Report {
    pub fn ok(&self) -> bool {
        self.findings
            .iter()
            .all(|f| f.severity == Severity::Warning)
    }
}

/// Verifies a release or stemcell tarball, or a release directory.
pub fn verify(path: &Path) -> Result<Report> {
    if path.is_dir() {
        return verify_dir(path);
    }
    verify_release(path)
}

pub(crate) fn warning(
    entry: &str,
    problem: &str,
    expected: impl ToString,
    actual: impl ToString,
) -> Finding {
    Finding {
        severity: Severity::Warning,
        ..finding(entry, problem, expected, actual)
    }
}

pub(crate) fn finding(
    entry: &str,
    problem: &str,
    expected: impl ToString,
    actual: impl ToString,
) -> Finding {
    Finding {
        severity: Severity::Error,
        entry: entry.to_string(),
        problem: problem.to_string(),
        expected: expected.to_string(),
        actual: actual.to_string(),
    }
}
