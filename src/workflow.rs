//! Commands chained as the `bosh` CLI chains them, so that every front end (the CLI module,
//! compile-release's inputs) runs the same sequence: `release` never touches `blobs/` and
//! `blobs` knows nothing of releases, and this is where the two meet.

use crate::blobs;
use crate::error::Result;
use crate::progress::Report;
use crate::release::{self, CreateOptions, CreateOutcome};

/// `create-release` as the CLI runs it: `blobs/` brought in line with `config/blobs.yml`
/// first (verified downloads, one at a time as the CLI does), then the release. A dry run
/// writes nothing, so it downloads nothing either.
pub fn create_release(opts: &CreateOptions, report: Report) -> Result<CreateOutcome> {
    if !opts.dry_run {
        blobs::sync(&opts.dir, 1, report)?;
    }
    release::create(opts, report)
}
