//! Tarballs: a deterministic writer (sorted entries, fixed owner and mtime, gzip header without
//! a timestamp; already-compressed files stored, not recompressed) and a reader that refuses
//! paths escaping the archive. Knows nothing of releases: callers name entries and sources.

mod extract;
mod gzip;
mod join;
mod prefetch;
mod reader;
mod writer;

pub use extract::{extract, extract_stream, UnpackError};
pub use gzip::{Compression, GzipWriter};
pub use reader::{
    read_entries, read_stream, read_text_entry, EntryError, EntryInfo, EntryKind, EntryVisitor,
    Limits, ReadError, VisitError,
};
pub use writer::{is_compressed, pack_dir, Entry, EntrySource, TarWriter};

/// Deflate level of the archives bale builds unless told otherwise: gzip's default. With
/// libdeflate it runs about three times as fast as zlib's level 6 on source text, for output
/// within about 1-5% of `gzip -6`'s (level 7: no larger, at half the speed of level 6); blobs
/// that are already compressed are stored at any level (`cargo bench --bench archive` and
/// `benches/reference.sh` measure it).
pub const DEFAULT_LEVEL: u32 = 6;

/// Fixed mtime of every entry bale writes (2000-01-01T00:00:00Z): same input, same bytes.
pub const MTIME: u64 = 946_684_800;
