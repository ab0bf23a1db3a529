//! Why one package did not compile. Each failure names the path or package at fault and,
//! where there is one, what to change; `compile_release` prints every failed package with the
//! tail of its log under one heading.

use std::fmt;
use std::io;
use std::path::PathBuf;
use std::process::ExitStatus;

use super::lease::LeaseError;
use crate::archive::ReadError;
use crate::name::NameError;

/// A package that could not be compiled in its sandbox.
#[derive(Debug, thiserror::Error)]
pub enum PackageError {
    /// Laying out the compile's `/var/vcap`, or reading or writing its results.
    #[error("{what} {}: {source}", path.display())]
    Io {
        what: &'static str,
        path: PathBuf,
        #[source]
        source: io::Error,
    },
    /// Package names come from release.MF; they become directories the script runs in.
    #[error("package name {0}")]
    Name(#[source] NameError),
    #[error("unpacking the source package: {0}")]
    Source(#[source] ReadError),
    #[error("installing dependency '{name}': {source}")]
    Dependency {
        name: String,
        #[source]
        source: ReadError,
    },
    #[error("starting {bash} -x packaging in its own namespaces: {source}")]
    Start {
        bash: String,
        #[source]
        source: io::Error,
    },
    #[error("waiting for the packaging script: {0}")]
    Wait(#[source] io::Error),
    #[error("interrupted")]
    Interrupted,
    #[error("packaging script ran out of memory: the kernel killed it at the --memory limit of {limit} bytes{hint}")]
    OutOfMemory { limit: u64, hint: Hint },
    #[error("packaging script {}{hint}", exit_text(status))]
    Failed { status: ExitStatus, hint: Hint },
    #[error("the packaging script wrote outside its install target: {}. Install everything under $BOSH_INSTALL_TARGET ({install_target})", paths.join(", "))]
    Stray {
        paths: Vec<String>,
        install_target: String,
    },
    #[error("the packaging script succeeded but installed nothing in $BOSH_INSTALL_TARGET ({install_target}); install the package there, or pass --allow-empty if an empty package is intended")]
    Empty { install_target: String },
}

impl PackageError {
    pub(super) fn io(what: &'static str, path: impl Into<PathBuf>, source: io::Error) -> Self {
        PackageError::Io {
            what,
            path: path.into(),
            source,
        }
    }
}

fn exit_text(status: &ExitStatus) -> String {
    match status.code() {
        Some(c) => format!("exited with {c}"),
        None => format!("was killed ({status})"),
    }
}

/// What a failed script's log suggests: a write to a read-only place is the usual culprit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hint {
    None,
    ReadOnly,
}

impl fmt::Display for Hint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Hint::None => Ok(()),
            Hint::ReadOnly => f.write_str("; it tried to write to a read-only place: packaging scripts may write only under $BOSH_INSTALL_TARGET, $BOSH_COMPILE_TARGET, /tmp and $HOME"),
        }
    }
}

/// Why one package of a compile run failed: its compile, or the cache or lease around it.
#[derive(Debug, thiserror::Error)]
pub enum TaskError {
    #[error(transparent)]
    Package(#[from] PackageError),
    /// The compile cache, or the source release's archive of the package.
    #[error(transparent)]
    Store(#[from] crate::error::Error),
    #[error(transparent)]
    Lease(#[from] LeaseError),
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::process::ExitStatusExt;

    #[test]
    fn a_failed_script_says_how_and_what_to_do() {
        let exited = PackageError::Failed {
            status: ExitStatus::from_raw(2 << 8),
            hint: Hint::None,
        };
        assert_eq!(exited.to_string(), "packaging script exited with 2");
        let killed = PackageError::Failed {
            status: ExitStatus::from_raw(9),
            hint: Hint::ReadOnly,
        };
        let text = killed.to_string();
        assert!(
            text.starts_with("packaging script was killed (signal: 9")
                && text.ends_with("may write only under $BOSH_INSTALL_TARGET, $BOSH_COMPILE_TARGET, /tmp and $HOME"),
            "{text}"
        );
        let io = PackageError::io("creating", "/w/var", io::Error::other("full"));
        assert_eq!(io.to_string(), "creating /w/var: full");
        assert!(std::error::Error::source(&io).is_some());
    }
}
