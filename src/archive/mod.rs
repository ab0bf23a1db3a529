//! Tarballs: a deterministic writer (sorted entries, fixed owner and mtime, gzip header without
//! a timestamp; already-compressed files stored, not recompressed) and a reader that refuses
//! paths escaping the archive. Knows nothing of releases: callers name entries and sources.

mod gzip;
mod reader;
mod writer;

pub use gzip::{Compression, GzipWriter};
pub use reader::{read_entries, EntryVisitor, ReadError};
pub use writer::{Entry, EntrySource, TarWriter};

/// Fixed mtime of every entry bale writes (2000-01-01T00:00:00Z): same input, same bytes.
pub const MTIME: u64 = 946_684_800;
