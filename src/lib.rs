//! bale: BOSH release engineering in one binary, drop-in compatible with the `bosh` CLI's
//! release authoring. See ARCHITECTURE.md for the module map. Layers, top to bottom:
//!
//! - `cli`: argument parsing and output only;
//! - `workflow`: commands chained as the CLI chains them (blob sync before create-release);
//! - commands: `release`, `blobs`, `verify`, `stemcell`, `blobstore`, `compile`, `template`,
//!   `interpolate`;
//! - formats and models: `manifest`, `fingerprint`, `glob`, `archive`, `digest`,
//!   `digest_cache`, `version`, `layout`, `provider`, `atomic`, `error`, `name` (checked names
//!   and relative paths from untrusted input), `beneath` (writes through a directory handle),
//!   `progress` (progress lines and the CLI's worker pool).

pub mod archive;
pub mod atomic;
pub mod beneath;
pub mod blobs;
pub mod blobstore;
pub mod cli;
pub mod compile;
pub mod deployment;
pub mod digest;
pub mod digest_cache;
pub mod error;
pub mod fingerprint;
pub mod glob;
pub mod interpolate;
pub mod layout;
pub mod manifest;
pub mod name;
pub mod progress;
pub mod provider;
pub mod release;
pub mod retry;
pub mod size;
pub mod stemcell;
pub mod template;
pub mod verify;
pub mod version;
pub mod workflow;
