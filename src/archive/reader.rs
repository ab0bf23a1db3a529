//! Streams a tarball (gzip or plain, sniffed by magic) entry by entry, refusing names that
//! would escape the archive. Never extracts with the tar crate's `unpack`.

use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::path::{Component, Path, PathBuf};

#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    #[error("{}: {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
    #[error("{}: entry '{name}' has an unsafe path (absolute or with '..')", path.display())]
    UnsafePath { path: PathBuf, name: String },
    #[error("{}: {message}", path.display())]
    Visitor { path: PathBuf, message: String },
}

/// Called for each regular-file entry with its normalized name (no `./`) and contents.
pub trait EntryVisitor {
    fn file(&mut self, name: &str, data: &mut dyn Read) -> Result<(), String>;
}

/// Visits every regular file of the tarball at `path` in archive order.
pub fn read_entries(path: &Path, visitor: &mut dyn EntryVisitor) -> Result<(), ReadError> {
    let io_err = |source| ReadError::Io {
        path: path.to_path_buf(),
        source,
    };
    let f = File::open(path).map_err(io_err)?;
    let mut r = BufReader::with_capacity(256 * 1024, f);
    let gz = r.fill_buf().map_err(io_err)?.starts_with(&[0x1f, 0x8b]);
    let stream: Box<dyn Read> = if gz {
        Box::new(flate2::read::MultiGzDecoder::new(r))
    } else {
        Box::new(r)
    };
    let mut archive = tar::Archive::new(stream);
    for entry in archive.entries().map_err(io_err)? {
        let mut entry = entry.map_err(io_err)?;
        let raw = entry.path().map_err(io_err)?.into_owned();
        let name = normalize(&raw).ok_or_else(|| ReadError::UnsafePath {
            path: path.to_path_buf(),
            name: raw.display().to_string(),
        })?;
        if entry.header().entry_type().is_file() {
            visitor
                .file(&name, &mut entry)
                .map_err(|message| ReadError::Visitor {
                    path: path.to_path_buf(),
                    message,
                })?;
        }
    }
    Ok(())
}

/// `./a/b` and `a/b` both become `a/b`; absolute paths and `..` are refused.
pub fn normalize(p: &Path) -> Option<String> {
    let mut parts = Vec::new();
    for c in p.components() {
        match c {
            Component::CurDir => {}
            Component::Normal(s) => parts.push(s.to_string_lossy().into_owned()),
            _ => return None,
        }
    }
    Some(parts.join("/"))
}
