//! Release authoring: reading a release directory, building its archives, recording dev and
//! final releases, and writing release tarballs — the `bosh` CLI's commands, drop-in.
//! Commands never print: they return values and report progress through a [`Report`].

pub mod build;
pub mod cache;
pub mod create;
pub mod finalize;
pub mod generate;
pub mod git;
pub mod indexes;
pub mod open;
pub mod rebuild;
pub mod redigest;
pub mod source;
pub mod tarball;
pub mod vendor;

pub use create::{create, CreateOptions, CreateOutcome, Plan, ReleaseKind};

/// Progress lines (`Adding job '…'...`) for people watching; called from worker threads.
pub type Report<'a> = &'a (dyn Fn(&str) + Sync);

/// A release manifest plus where its tarball was written, for summary output.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Summary {
    #[serde(flatten)]
    pub manifest: crate::manifest::release_mf::ReleaseManifest,
    pub archive: Option<std::path::PathBuf>,
}
