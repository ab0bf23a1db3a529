//! `bale blobstore serve`: a blobstore that speaks the DAV protocol BOSH's own DAV client
//! speaks (spec: blobstore.md §2): objects at `/<XX>/<id>`, Basic auth with separate read
//! and write users, HMAC-signed URLs under `/signed/`, and writes that are atomic and, when
//! the client sends a digest, verified before the object becomes visible.
//! tokio and axum stay inside this module; callers get a blocking `serve`.

mod api;
mod auth;
mod client;
mod config;
mod director;
mod metrics;
mod registry;
mod server;
mod service;
mod signing;
mod store;
mod tls;
mod upload;
pub mod wire;

pub use crate::provider::{object_path, ObjectId};
pub use auth::{Credentials, Users};
pub use client::Target;
pub use config::{ServeConfig, UserEntry};
pub use server::{serve, Listening, ServeOptions};
pub use service::Limits;
pub use signing::{sign, DEFAULT_MAX_EXPIRY};
pub use upload::{release_is_whole, upload_release, upload_stemcell, Uploaded};
