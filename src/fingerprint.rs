//! The `v2` fingerprint of jobs, packages and the license, byte-identical to the `bosh` CLI
//! (spec: release-format §4.1). This is the compatibility contract that lets a team switch
//! tools without a single build being redone, so the preimage is documented here in full:
//!
//! ```text
//! "v2"
//! for each file, sorted by name (bytes):
//!     label  = basename(path) if use_basename else name
//!     digest = DIGEST_STRING(H, readlink text)   if symlink and not follow_symlinks
//!              DIGEST_STRING(H, file contents)   otherwise (symlinks followed)
//!     mode   = ""        if exclude_mode
//!              "40755"   if a directory (lstat)
//!              "symlink" if a symlink and not follow_symlinks
//!              "100755"  if any x bit in the lstat mode, else "100644"
//!     append label + digest + mode
//! if chunks: append ",".join(sorted(chunks))       (package dependency names)
//! fingerprint = hex(H(preimage))
//! ```
//! With SHA-256 every per-file digest carries its `sha256:` prefix inside the preimage.

use std::fs;
use std::io;
use std::os::unix::fs::PermissionsExt;
use std::path::PathBuf;

use crate::digest::{Algo, Digest};
use crate::digest_cache::DigestCache;

/// Where a fingerprinted file's bytes come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// A file on disk (lstat decides mode and symlink handling).
    Disk(PathBuf),
    /// A blob known only by its `config/blobs.yml` digest: a regular, non-executable file
    /// (add-blob and sync-blobs never set an x bit), so it can be fingerprinted without
    /// being downloaded.
    Blob(Digest),
    /// A file whose digest and mode are already known, e.g. read from an archive entry.
    Known(Digest, Mode),
}

/// The mode word of a preimage piece.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Dir,
    Symlink,
    Executable,
    Regular,
}

impl Mode {
    pub fn word(self) -> &'static str {
        match self {
            Mode::Dir => "40755",
            Mode::Symlink => "symlink",
            Mode::Executable => "100755",
            Mode::Regular => "100644",
        }
    }

    /// From permission bits: any x bit makes a file executable.
    pub fn of_file(mode: u32) -> Mode {
        if mode & 0o111 != 0 {
            Mode::Executable
        } else {
            Mode::Regular
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileItem {
    pub source: Source,
    /// Name used for sorting and hashing, and the path inside the resource's archive.
    pub name: String,
    pub use_basename: bool,
    pub exclude_mode: bool,
}

impl FileItem {
    pub fn disk(path: PathBuf, name: impl Into<String>) -> FileItem {
        FileItem {
            source: Source::Disk(path),
            name: name.into(),
            use_basename: false,
            exclude_mode: false,
        }
    }
}

/// How a resource kind treats symlinks (packages and the license hash link text; jobs follow).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Symlinks {
    Keep,
    Follow,
}

/// Errors name the file that could not be read, as the CLI does.
#[derive(Debug, thiserror::Error)]
#[error("Fingerprinting file '{}':\n  {action} {}: {}", path.display(), path.display(), crate::error::io_text(source))]
pub struct FingerprintError {
    pub path: PathBuf,
    pub action: &'static str,
    #[source]
    pub source: io::Error,
}

/// Computes the preimage; exposed so tests and `--dry-run` diagnostics can show it.
pub fn preimage(
    algo: Algo,
    files: &[FileItem],
    chunks: &[String],
    symlinks: Symlinks,
    cache: &DigestCache,
) -> Result<String, FingerprintError> {
    let mut sorted: Vec<&FileItem> = files.iter().collect();
    sorted.sort_by(|a, b| a.name.as_bytes().cmp(b.name.as_bytes()));
    let mut out = String::from("v2");
    for f in sorted {
        let label = if f.use_basename {
            f.name.rsplit('/').next().unwrap_or(&f.name)
        } else {
            &f.name
        };
        out.push_str(label);
        let (digest, mode) = file_digest(algo, f, symlinks, cache)?;
        out.push_str(&digest.to_string());
        if !f.exclude_mode {
            out.push_str(mode);
        }
    }
    if !chunks.is_empty() {
        let mut c: Vec<&String> = chunks.iter().collect();
        c.sort_by(|a, b| a.as_bytes().cmp(b.as_bytes()));
        out.push_str(&c.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(","));
    }
    Ok(out)
}

pub fn fingerprint(
    algo: Algo,
    files: &[FileItem],
    chunks: &[String],
    symlinks: Symlinks,
    cache: &DigestCache,
) -> Result<String, FingerprintError> {
    let pre = preimage(algo, files, chunks, symlinks, cache)?;
    Ok(Digest::of_bytes(algo, pre.as_bytes()).hex().to_string())
}

fn file_digest(
    algo: Algo,
    f: &FileItem,
    symlinks: Symlinks,
    cache: &DigestCache,
) -> Result<(Digest, &'static str), FingerprintError> {
    let path = match &f.source {
        Source::Blob(d) => return Ok((d.clone(), Mode::Regular.word())),
        Source::Known(d, m) => return Ok((d.clone(), m.word())),
        Source::Disk(p) => p,
    };
    let err = |action, source| FingerprintError {
        path: path.clone(),
        action,
        source,
    };
    let meta = fs::symlink_metadata(path).map_err(|e| err("lstat", e))?;
    let ft = meta.file_type();
    if ft.is_symlink() && symlinks == Symlinks::Keep {
        let target = fs::read_link(path).map_err(|e| err("readlink", e))?;
        let text = target.as_os_str().as_encoded_bytes();
        return Ok((Digest::of_bytes(algo, text), "symlink"));
    }
    let digest = cache.digest(path, algo).map_err(|e| err("open", e))?;
    let mode = if ft.is_dir() {
        "40755"
    } else if meta.permissions().mode() & 0o111 != 0 {
        "100755"
    } else {
        "100644"
    };
    Ok((digest, mode))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The worked examples of release-format §4.1, checked against the CLI.
    #[test]
    fn generated_package_and_job_match_the_cli() {
        let d = tempfile::tempdir().unwrap();
        let packaging = d.path().join("packaging");
        fs::write(&packaging, "set -e\n").unwrap();
        fs::set_permissions(&packaging, fs::Permissions::from_mode(0o644)).unwrap();
        let mut item = FileItem::disk(packaging, "packaging");
        item.exclude_mode = true;
        let cache = DigestCache::in_memory();
        let pre = preimage(Algo::Sha256, &[item.clone()], &[], Symlinks::Keep, &cache).unwrap();
        assert_eq!(
            pre,
            "v2packagingsha256:aa90afd8f163fe0ba86511eb4a8089c1723698dcada8a112747e0d7f6d25e3bf"
        );
        assert_eq!(
            fingerprint(Algo::Sha256, &[item], &[], Symlinks::Keep, &cache).unwrap(),
            "34581dd0d93735e444a32450e3ae3951258c936479b45e08f1fa074740c7e392"
        );

        let spec = d.path().join("spec");
        fs::write(
            &spec,
            "---\nname: demo-job\n\ntemplates: {}\n\npackages: []\n\nproperties: {}\n",
        )
        .unwrap();
        let monit = d.path().join("monit");
        fs::write(&monit, "").unwrap();
        for p in [&spec, &monit] {
            fs::set_permissions(p, fs::Permissions::from_mode(0o644)).unwrap();
        }
        let files = [
            FileItem::disk(monit, "monit"),
            FileItem::disk(spec, "job.MF"),
        ];
        assert_eq!(
            fingerprint(Algo::Sha256, &files, &[], Symlinks::Follow, &cache).unwrap(),
            "a76789ecc64ab497d60475ccc6c0c05d6311a5f1362d885649947c1d634b94c9"
        );
    }

    #[test]
    fn dependency_chunk_is_sorted_and_comma_joined() {
        let cache = DigestCache::in_memory();
        let pre = preimage(
            Algo::Sha1,
            &[],
            &["zlib".into(), "runtime".into()],
            Symlinks::Keep,
            &cache,
        )
        .unwrap();
        assert_eq!(pre, "v2runtime,zlib");
    }
}

#[cfg(test)]
mod properties {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// The fingerprint depends on the set of files and dependency names, never on the order
        /// in which a directory listing or a spec presented them.
        #[test]
        fn order_of_files_and_chunks_does_not_matter(
            files in proptest::collection::btree_map("[a-z]{1,6}(/[a-z.]{1,6}){0,2}", any::<Vec<u8>>(), 1..8),
            deps in proptest::collection::btree_set("[a-z-]{1,8}", 0..5),
            seed in any::<u64>(),
        ) {
            let d = tempfile::tempdir().unwrap();
            let mut items = Vec::new();
            for (i, (name, bytes)) in files.iter().enumerate() {
                let p = d.path().join(i.to_string());
                fs::write(&p, bytes).unwrap();
                items.push(FileItem::disk(p, name.clone()));
            }
            let chunks: Vec<String> = deps.into_iter().collect();
            let cache = DigestCache::in_memory();
            let a = fingerprint(Algo::Sha256, &items, &chunks, Symlinks::Keep, &cache).unwrap();
            let mut shuffled = items.clone();
            let mut rev = chunks.clone();
            rev.reverse();
            let n = shuffled.len();
            for i in 0..n {
                let j = (seed.wrapping_mul(i as u64 + 1) % n as u64) as usize;
                shuffled.swap(i, j);
            }
            let b = fingerprint(Algo::Sha256, &shuffled, &rev, Symlinks::Keep, &cache).unwrap();
            prop_assert_eq!(a, b);
        }
    }
}
