//! `bale blobstore serve`: a blobstore that speaks the DAV protocol BOSH's own DAV client
//! speaks (spec: blobstore.md §2): objects at `/<XX>/<id>`, Basic auth with separate read
//! and write users, HMAC-signed URLs under `/signed/`, and writes that are atomic and, when
//! the client sends a digest, verified before the object becomes visible.
//! tokio and axum stay inside this module; callers get a blocking `serve`.

mod auth;
mod server;
mod signing;
mod store;

pub use crate::provider::{object_path, ObjectId};
pub use auth::{Credentials, Users};
pub use server::{serve, ServeOptions};
pub use signing::sign;
