//! The part of BOSH's director API that the `bosh` CLI uses for releases and stemcells
//! (`env`, `upload-release`, `releases`, `inspect-release`, `delete-release`,
//! `upload-stemcell`, `stemcells`, `delete-stemcell`), on the blobstore's own listener. It
//! works on the same registry and objects as bale's `/api/v1/`: a release uploaded with
//! `bosh` is one `bale releases` lists, and the other way round.
//!
//! As on a director, uploads and deletes run as tasks (`/tasks/ID`) whose event output the CLI
//! prints; routes, status codes, JSON fields and error texts follow the director's, so the CLI
//! behaves as it does against one. Users map onto the director's scopes: a write user is an
//! admin, a read user has `bosh.read`.

mod info;
mod ingest;
mod releases;
mod spool;
mod stemcells;
mod tasks;

use std::path::PathBuf;
use std::sync::Arc;

use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};

use super::auth::Access;
use super::server::App;

pub use tasks::Tasks;

/// What the director side keeps besides the registry and the store.
pub struct Director {
    pub tasks: Tasks,
    /// Stable across restarts: the CLI shows it and scopes name it (`bosh.<uuid>.admin`).
    pub uuid: String,
    /// Request bodies (tarballs) wait here while their task runs; emptied at startup.
    pub spool: PathBuf,
    /// No tarball arrives with a pause longer than this between two reads.
    pub body_timeout: std::time::Duration,
}

impl Director {
    /// Reads (or makes) the server's uuid, kept in the registry, and empties the spool.
    pub fn open(
        dir: &std::path::Path,
        registry: &super::registry::Registry,
        body_timeout: std::time::Duration,
    ) -> crate::error::Result<Director> {
        let uuid = registry
            .meta_or_insert("director_uuid", || uuid::Uuid::new_v4().to_string())
            .map_err(crate::error::Error::msg)?;
        let spool = dir.join(".bale-spool");
        let _ = std::fs::remove_dir_all(&spool);
        std::fs::create_dir_all(&spool)
            .map_err(|e| crate::error::Error::io("mkdir", &spool, &e))?;
        Ok(Director {
            tasks: Tasks::new(),
            uuid,
            spool,
            body_timeout,
        })
    }
}

/// The director's routes; the DAV and `/api/v1/` routes live beside them.
pub fn routes() -> Router<Arc<App>> {
    Router::new()
        .route("/info", get(info::info))
        .route("/releases", get(releases::list).post(releases::upload))
        .route(
            "/releases/{name}",
            get(releases::show).delete(releases::delete),
        )
        .route("/packages/matches", post(releases::matches))
        .route(
            "/packages/matches_compiled",
            post(releases::matches_compiled),
        )
        .route("/stemcells", get(stemcells::list).post(stemcells::upload))
        .route(
            "/stemcells/{name}/{version}",
            axum::routing::delete(stemcells::delete),
        )
        .route("/stemcell_uploads", post(stemcells::needed))
        .route("/tasks", get(tasks::list))
        .route("/tasks/{id}", get(tasks::show))
        .route("/tasks/{id}/output", get(tasks::output))
}

/// A director error: its HTTP status and the `{"code", "description"}` body the CLI prints.
#[derive(Debug, Clone)]
pub struct DirectorError {
    pub status: StatusCode,
    pub code: u32,
    pub message: String,
}

impl DirectorError {
    pub fn new(status: StatusCode, code: u32, message: impl Into<String>) -> DirectorError {
        DirectorError {
            status,
            code,
            message: message.into(),
        }
    }

    pub fn bad(code: u32, message: impl Into<String>) -> DirectorError {
        DirectorError::new(StatusCode::BAD_REQUEST, code, message)
    }

    /// What the director answers for an error it did not foresee.
    pub fn internal(e: impl std::fmt::Display) -> DirectorError {
        DirectorError::new(StatusCode::INTERNAL_SERVER_ERROR, 100, e.to_string())
    }
}

impl IntoResponse for DirectorError {
    fn into_response(self) -> Response {
        (
            self.status,
            Json(serde_json::json!({"code": self.code, "description": self.message})),
        )
            .into_response()
    }
}

/// What a route needs, in the director's scopes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Need {
    /// `bosh.read` or admin: lists, inspections, task output.
    Read,
    /// Admin only: deletes, package matching, debug output.
    Admin,
    /// Admin or this upload scope (`bosh.releases.upload`, `bosh.stemcells.upload`).
    Upload(&'static str),
}

/// Who is calling.
#[derive(Debug, Clone)]
pub struct Caller {
    pub user: String,
}

/// The caller, or the director's refusal: a 401 with its text when the credentials are
/// missing or wrong, a 401 with error 600000 naming the scopes when the user lacks them.
/// Called before any request body is read.
pub fn require(
    app: &App,
    headers: &HeaderMap,
    path: &str,
    need: Need,
) -> Result<Caller, Box<Response>> {
    let auth = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok());
    let Some((user, access)) = app.users.who(auth) else {
        return Err(Box::new(not_authorized(path)));
    };
    if access == Access::Write || need == Need::Read {
        return Ok(Caller { user });
    }
    let uuid = &app.director.uuid;
    let mut scopes = format!("bosh.admin, bosh.{uuid}.admin");
    if let Need::Upload(s) = need {
        scopes.push_str(", ");
        scopes.push_str(s);
    }
    Err(Box::new(
        DirectorError::new(
            StatusCode::UNAUTHORIZED,
            600000,
            format!("Require one of the scopes: {scopes}"),
        )
        .into_response(),
    ))
}

pub fn not_authorized(path: &str) -> Response {
    (
        StatusCode::UNAUTHORIZED,
        [(header::WWW_AUTHENTICATE, "Basic realm=\"BOSH Director\"")],
        format!("Not authorized: '{path}'\n"),
    )
        .into_response()
}

/// The director's answer to a route it does not have.
pub fn endpoint_not_found(path: &str) -> Response {
    (
        StatusCode::NOT_FOUND,
        format!("Endpoint '{path}' not found."),
    )
        .into_response()
}

/// The redirect to a task that answers every POST or DELETE that starts one.
pub fn redirect_to_task(id: u64) -> Response {
    (
        StatusCode::FOUND,
        [(header::LOCATION, format!("/tasks/{id}"))],
        "",
    )
        .into_response()
}

pub fn now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

/// A query flag the CLI sends as `name=true`.
pub fn flag(q: &std::collections::BTreeMap<String, String>, name: &str) -> bool {
    q.get(name).is_some_and(|v| v == "true")
}
