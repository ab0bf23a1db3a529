//! Unpacks a tarball into a fresh directory through the one reader, so everything the reader
//! refuses (`..`, entries under symlinks, links to nowhere) never reaches the disk. Owners are
//! not restored: files belong to whoever extracts, as `tar --no-same-owner` does.

use std::fs::{self, File};
use std::io::{self, Read};
use std::os::unix::fs::{symlink, PermissionsExt};
use std::path::{Path, PathBuf};

use super::reader::{
    read_stream, EntryInfo, EntryKind, EntryVisitor, Limits, ReadError, VisitError,
};

/// What stopped an entry from being written where the archive is unpacked.
#[derive(Debug, thiserror::Error)]
#[error("{what} {}: {source}", path.display())]
pub struct UnpackError {
    what: &'static str,
    path: PathBuf,
    #[source]
    source: io::Error,
}

struct Unpack<'a> {
    dest: &'a Path,
    /// Directory modes are applied last, deepest first, so a read-only directory is still
    /// filled before it closes.
    dirs: Vec<(PathBuf, u32)>,
    bytes: u64,
}

impl EntryVisitor for Unpack<'_> {
    fn entry(&mut self, info: &EntryInfo, data: &mut dyn Read) -> Result<(), VisitError> {
        let path = if info.name.is_empty() {
            self.dest.to_path_buf()
        } else {
            self.dest.join(&info.name)
        };
        let err = |what: &'static str, source: io::Error| {
            VisitError::refuse(UnpackError {
                what,
                path: path.clone(),
                source,
            })
        };
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).map_err(|e| err("creating the parent of", e))?;
        }
        match &info.kind {
            EntryKind::Dir => {
                fs::create_dir_all(&path).map_err(|e| err("creating", e))?;
                self.dirs.push((path, info.mode & 0o7777));
            }
            EntryKind::File => {
                let mut f = File::create(&path).map_err(|e| err("creating", e))?;
                self.bytes += io::copy(data, &mut f).map_err(|e| err("writing", e))?;
                f.set_permissions(fs::Permissions::from_mode(info.mode & 0o7777))
                    .map_err(|e| err("setting the mode of", e))?;
            }
            EntryKind::Symlink(target) => symlink(target, &path).map_err(|e| err("linking", e))?,
            EntryKind::Hardlink(target) => {
                fs::hard_link(self.dest.join(target), &path).map_err(|e| err("linking", e))?
            }
        }
        Ok(())
    }
}

/// Extracts `archive` into `dest` (created if missing); returns the bytes of regular files.
pub fn extract(archive: &Path, dest: &Path, skip_devices: bool) -> Result<u64, ReadError> {
    let io_err = |source| ReadError::Io {
        path: archive.to_path_buf(),
        source,
    };
    let f = File::open(archive).map_err(io_err)?;
    let size = f.metadata().map(|m| m.len()).unwrap_or(0);
    extract_stream(f, archive, size, dest, skip_devices)
}

/// Extracts a tarball read from a stream (an archive inside another); `label` names it in
/// errors and `size` is its compressed size, for the decompression limit.
pub fn extract_stream(
    input: impl Read,
    label: &Path,
    size: u64,
    dest: &Path,
    skip_devices: bool,
) -> Result<u64, ReadError> {
    fs::create_dir_all(dest).map_err(|source| ReadError::Io {
        path: dest.to_path_buf(),
        source,
    })?;
    let mut limits = Limits::for_size(size);
    limits.skip_devices = skip_devices;
    let mut u = Unpack {
        dest,
        dirs: Vec::new(),
        bytes: 0,
    };
    read_stream(input, label, limits, &mut u)?;
    u.dirs
        .sort_by_key(|(p, _)| std::cmp::Reverse(p.components().count()));
    for (p, mode) in &u.dirs {
        fs::set_permissions(p, fs::Permissions::from_mode(mode | 0o700)).map_err(|source| {
            ReadError::Io {
                path: p.clone(),
                source,
            }
        })?;
    }
    Ok(u.bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn extracts_files_links_and_modes() {
        let mut b = tar::Builder::new(Vec::new());
        let mut add = |name: &str, kind: tar::EntryType, link: &str, data: &[u8], mode: u32| {
            let mut h = tar::Header::new_gnu();
            h.set_entry_type(kind);
            h.set_size(data.len() as u64);
            h.set_mode(mode);
            h.set_path(name).unwrap();
            if !link.is_empty() {
                h.set_link_name(link).unwrap();
            }
            h.set_cksum();
            b.append(&h, data).unwrap();
        };
        add("./", tar::EntryType::Directory, "", b"", 0o755);
        add(
            "./bin/tool",
            tar::EntryType::Regular,
            "",
            b"#!/bin/sh\n",
            0o755,
        );
        add(
            "./bin/abs",
            tar::EntryType::Symlink,
            "/var/vcap/packages/x",
            b"",
            0o777,
        );
        add("./bin/hard", tar::EntryType::Link, "./bin/tool", b"", 0o755);
        let bytes = b.into_inner().unwrap();
        let dir = tempfile::tempdir().unwrap();
        let tar = dir.path().join("a.tar");
        fs::write(&tar, bytes).unwrap();
        let out = dir.path().join("out");
        assert_eq!(extract(&tar, &out, false).unwrap(), 10);
        let meta = fs::metadata(out.join("bin/tool")).unwrap();
        assert_eq!(meta.permissions().mode() & 0o777, 0o755);
        assert_eq!(
            fs::read_link(out.join("bin/abs")).unwrap(),
            Path::new("/var/vcap/packages/x")
        );
        assert_eq!(fs::read(out.join("bin/hard")).unwrap(), b"#!/bin/sh\n");
    }
}
