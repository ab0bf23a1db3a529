//! Verifying a release directory: every blob in `blobs/` against `config/blobs.yml`, and the
//! release `create-release` would produce (every job and package must read and fingerprint).

use std::fs;
use std::path::Path;

use super::{finding, Artifact, Report};
use crate::digest::MultiDigest;
use crate::digest_cache::DigestCache;
use crate::error::Result;
use crate::layout::ReleaseDir;
use crate::release::source::{self, MissingBlobs, ReadOptions};

pub fn verify_dir(root: &Path) -> Result<Report> {
    let dir = ReleaseDir::new(root);
    let mut f = Vec::new();
    let mut checks = 0;
    let digests = DigestCache::open(&DigestCache::file_for(dir.root()));
    let blobs = dir.blobs_index()?;
    for (path, rec) in &blobs.0 {
        checks += 1;
        let file = path.under(&dir.blobs_dir());
        let entry = format!("blobs/{path}");
        let Ok(meta) = fs::symlink_metadata(&file) else {
            if rec.object_id.is_none() {
                f.push(finding(
                    &entry,
                    "missing and never uploaded",
                    "a local file (run add-blob again)",
                    "absent",
                ));
            }
            continue;
        };
        if meta.len() != rec.size {
            f.push(finding(
                &entry,
                "size differs from blobs.yml (stale: sync-blobs fetches the right one)",
                rec.size,
                meta.len(),
            ));
            continue;
        }
        match rec.sha.parse::<MultiDigest>() {
            Err(e) => f.push(finding(
                &entry,
                "blobs.yml digest does not parse",
                "a digest string",
                e,
            )),
            Ok(want) => match digests.digest(&file, want.strongest().algo()) {
                Ok(got) if &got == want.strongest() => {}
                Ok(got) => f.push(finding(
                    &entry,
                    "digest differs from blobs.yml (stale)",
                    want.strongest(),
                    got,
                )),
                Err(e) => f.push(finding(&entry, "cannot be read", "readable", e)),
            },
        }
    }
    let name = dir.release_name(None).unwrap_or_default();
    // As create-release: SHA-256, the current CLI's only algorithm.
    let algo = crate::digest::Algo::Sha256;
    checks += 1;
    if let Err(e) = source::read(
        &dir,
        &ReadOptions {
            algo,
            cache: &digests,
            missing_blobs: MissingBlobs::FromIndex,
        },
    ) {
        f.push(finding(
            "release directory",
            "create-release would fail",
            "every job and package reads",
            e,
        ));
    }
    digests.save();
    Ok(Report {
        path: root.to_path_buf(),
        artifact: Artifact::ReleaseDirectory,
        name,
        version: String::new(),
        checks,
        findings: f,
    })
}
