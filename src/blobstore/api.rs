//! The registry API under `/api/v1/`: what `upload-release`, `upload-stemcell`, `releases`,
//! `stemcells`, `inspect-release` and the deletes talk to. A release is registered from its
//! release.MF alone: every archive is an object named by its digest, so the server knows which
//! objects the release needs, checks that each is there (each was verified against its name
//! when it was PUT) and commits the record only then.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

use axum::body::{Body, Bytes};
use axum::extract::{Path as UrlPath, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;

use super::auth::Access;
use super::registry::{release_objects, RegistryError, ReleaseRecord, StemcellRecord};
use super::server::App;
use super::wire::{Outcome, ReleaseInfo, Stats, StemcellUpload};
use crate::manifest::release_mf::ReleaseManifest;
use crate::provider::ObjectId;
use crate::version::Version;

type Q = Query<BTreeMap<String, String>>;

fn text(code: StatusCode, msg: impl Into<String>) -> Response {
    let mut m = msg.into();
    if !m.ends_with('\n') {
        m.push('\n');
    }
    (code, m).into_response()
}

/// The most a registry call's body (a release.MF, a list of ids) may hold.
pub(super) const MAX_BODY: usize = 16 << 20;

/// A request body, read only after the caller was authenticated (an extractor would read it
/// before the handler runs).
pub(super) async fn read_body(body: Body) -> Result<Bytes, Response> {
    axum::body::to_bytes(body, MAX_BODY).await.map_err(|e| {
        text(
            StatusCode::PAYLOAD_TOO_LARGE,
            format!("request body unreadable or larger than {MAX_BODY} bytes: {e}"),
        )
    })
}

async fn read_json<T: serde::de::DeserializeOwned>(body: Body) -> Result<T, Response> {
    let b = read_body(body).await?;
    serde_json::from_slice(&b).map_err(|e| text(StatusCode::BAD_REQUEST, format!("JSON body: {e}")))
}

fn internal(e: impl std::fmt::Display) -> Response {
    text(StatusCode::INTERNAL_SERVER_ERROR, e.to_string())
}

fn fix(q: &Q) -> bool {
    q.get("fix").is_some_and(|v| v == "true" || v == "1")
}

fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

/// BOSH's rule for release and stemcell names and versions.
pub(super) fn valid_name(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_+.".contains(&b))
}

async fn missing_objects(app: &App, ids: &[ObjectId]) -> Result<Vec<String>, Response> {
    let mut missing = Vec::new();
    for id in ids {
        match app.store.size(id).await {
            Ok(Some(_)) => {}
            Ok(None) => missing.push(id.as_str().to_string()),
            Err(e) => return Err(internal(e)),
        }
    }
    Ok(missing)
}

/// Deletes objects no record names any more. Called with the registry lock held.
async fn collect(app: &App, candidates: BTreeSet<String>) -> Result<usize, Response> {
    sweep(app, candidates).await.map_err(internal)
}

/// Why objects a registration no longer names could not be removed.
#[derive(Debug, thiserror::Error)]
pub enum SweepError {
    #[error(transparent)]
    Registry(#[from] RegistryError),
    #[error("deleting object {id}: {source}")]
    Delete {
        id: String,
        #[source]
        source: std::io::Error,
    },
}

/// Deletes those of `candidates` no record names any more; returns how many. Called with
/// the registry lock held.
pub(super) async fn sweep(app: &App, candidates: BTreeSet<String>) -> Result<usize, SweepError> {
    let keep = app.registry.referenced()?;
    let mut n = 0;
    for o in candidates.difference(&keep) {
        if let Some(id) = ObjectId::parse(o) {
            app.store
                .delete(&id)
                .await
                .map_err(|source| SweepError::Delete {
                    id: o.clone(),
                    source,
                })?;
            n += 1;
        }
    }
    Ok(n)
}

/// 412 with the objects a registration lacks: the client sends them and registers again.
fn missing_response(missing: Vec<String>) -> Response {
    let body = Outcome {
        status: "missing".into(),
        missing,
        ..Default::default()
    };
    (StatusCode::PRECONDITION_FAILED, Json(body)).into_response()
}

/// The answer to a committed registration: 201 when new; 200 when it replaced a record, whose
/// objects nothing names any more are removed first. Called with the registry lock held.
async fn registered(app: &App, replaced: Option<BTreeSet<String>>) -> Response {
    let Some(old) = replaced else {
        let body = Outcome {
            status: "created".into(),
            ..Default::default()
        };
        return (StatusCode::CREATED, Json(body)).into_response();
    };
    match collect(app, old).await {
        Ok(n) => Json(Outcome {
            status: "replaced".into(),
            objects_deleted: n,
            ..Default::default()
        })
        .into_response(),
        Err(r) => r,
    }
}

/// A registry lookup as JSON, the CLI's "does not exist" as a 404, or a 500.
fn answer<T: serde::Serialize>(
    found: super::registry::DbResult<Option<T>>,
    kind: &str,
    name: &str,
    version: &str,
) -> Response {
    match found {
        Ok(Some(v)) => Json(v).into_response(),
        Ok(None) => text(
            StatusCode::NOT_FOUND,
            format!("{kind} '{name}/{version}' does not exist"),
        ),
        Err(e) => internal(e),
    }
}

pub async fn stats(State(app): State<Arc<App>>, headers: HeaderMap) -> Response {
    if let Some(r) = app.deny(&headers, Access::Read) {
        return r;
    }
    Json(Stats {
        bytes_received: app.received.load(Ordering::Relaxed),
        objects_written: app.written.load(Ordering::Relaxed),
    })
    .into_response()
}

/// `POST /api/v1/objects/missing` with a JSON list of ids: which of them the store lacks.
pub async fn missing(State(app): State<Arc<App>>, headers: HeaderMap, body: Body) -> Response {
    if let Some(r) = app.deny(&headers, Access::Read) {
        return r;
    }
    let ids: Vec<String> = match read_json(body).await {
        Ok(v) => v,
        Err(r) => return r,
    };
    let mut parsed = Vec::new();
    for i in &ids {
        match ObjectId::parse(i) {
            Some(id) => parsed.push(id),
            None => return text(StatusCode::BAD_REQUEST, format!("invalid object id '{i}'")),
        }
    }
    match missing_objects(&app, &parsed).await {
        Ok(m) => Json(m).into_response(),
        Err(r) => r,
    }
}

pub async fn releases(State(app): State<Arc<App>>, headers: HeaderMap) -> Response {
    if let Some(r) = app.deny(&headers, Access::Read) {
        return r;
    }
    match app.registry.releases() {
        Ok(list) => Json(list.iter().map(ReleaseInfo::of).collect::<Vec<_>>()).into_response(),
        Err(e) => internal(e),
    }
}

pub async fn release(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    UrlPath((name, version)): UrlPath<(String, String)>,
) -> Response {
    if let Some(r) = app.deny(&headers, Access::Read) {
        return r;
    }
    let found = app.registry.release(&name, &version);
    answer(
        found.map(|r| r.map(|r| ReleaseInfo::of(&r))),
        "Release",
        &name,
        &version,
    )
}

/// `POST /api/v1/releases[?fix=true]` with release.MF as the body.
pub async fn register_release(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    q: Q,
    body: Body,
) -> Response {
    if let Some(r) = app.deny(&headers, Access::Write) {
        return r;
    }
    let body = match read_body(body).await {
        Ok(b) => b,
        Err(r) => return r,
    };
    let Ok(manifest) = String::from_utf8(body.to_vec()) else {
        return text(StatusCode::BAD_REQUEST, "release.MF is not UTF-8");
    };
    let m = match ReleaseManifest::parse(Path::new("release.MF"), &manifest) {
        Ok(m) => m,
        Err(e) => return text(StatusCode::BAD_REQUEST, e.to_string()),
    };
    if !valid_name(&m.name) || !valid_name(&m.version) {
        return text(
            StatusCode::BAD_REQUEST,
            format!(
                "release name '{}' and version '{}' may hold only letters, digits and -_+.",
                m.name, m.version
            ),
        );
    }
    if let Err(e) = m.version.parse::<Version>() {
        return text(StatusCode::BAD_REQUEST, format!("release version: {e}"));
    }
    let problems = crate::verify::manifest_findings(&m);
    if !problems.is_empty() {
        let lines: Vec<String> = problems.iter().map(ToString::to_string).collect();
        return text(StatusCode::BAD_REQUEST, lines.join("\n"));
    }
    let objects = match release_objects(&m) {
        Ok(o) => o,
        Err(e) => return text(StatusCode::BAD_REQUEST, e.to_string()),
    };
    let _guard = app.lock.lock().await;
    let old = match app.registry.release(&m.name, &m.version) {
        Ok(o) => o,
        Err(e) => return internal(e),
    };
    let ids: Vec<ObjectId> = objects.iter().map(|(_, id)| id.clone()).collect();
    if let Some(old) = &old {
        let same = ReleaseInfo::of(old).holds(&m);
        if same && !fix(&q) {
            // "Exists" only when it is whole: an object lost from the store is asked for.
            return match missing_objects(&app, &ids).await {
                Ok(missing) if !missing.is_empty() => missing_response(missing),
                Ok(_) => Json(Outcome {
                    status: "exists".into(),
                    ..Default::default()
                })
                .into_response(),
                Err(r) => r,
            };
        }
        if !same && !fix(&q) {
            return text(
                StatusCode::CONFLICT,
                format!(
                    "Release '{}/{}' already exists with other contents ({}); upload it under another version, or with --fix to replace it",
                    m.name,
                    m.version,
                    differences(old, &m)
                ),
            );
        }
    }
    match missing_objects(&app, &ids).await {
        Ok(missing) if !missing.is_empty() => return missing_response(missing),
        Ok(_) => {}
        Err(r) => return r,
    }
    let rec = ReleaseRecord {
        name: m.name.clone(),
        version: m.version.clone(),
        manifest,
        objects: objects
            .into_iter()
            .map(|(e, id)| (e, id.as_str().to_string()))
            .collect(),
        uploaded_at: now(),
    };
    if let Err(e) = app.registry.put_release(&rec) {
        return internal(e);
    }
    registered(
        &app,
        old.map(|o| o.objects.into_iter().map(|(_, o)| o).collect()),
    )
    .await
}

/// Which archives differ between a registered release and an upload of the same version.
pub(super) fn differences(old: &ReleaseRecord, new: &ReleaseManifest) -> String {
    let Some(om) = old.manifest() else {
        return "release.MF differs".into();
    };
    let fps = |m: &ReleaseManifest| -> BTreeMap<String, String> {
        m.jobs
            .iter()
            .map(|j| (format!("job {}", j.name), j.sha1.clone()))
            .chain(
                m.packages
                    .iter()
                    .map(|p| (format!("package {}", p.name), p.sha1.clone())),
            )
            .chain(
                m.compiled_packages
                    .iter()
                    .map(|p| (format!("compiled package {}", p.name), p.sha1.clone())),
            )
            .collect()
    };
    let (a, b) = (fps(&om), fps(new));
    let keys: BTreeSet<&String> = a.keys().chain(b.keys()).collect();
    let diff: Vec<&str> = keys
        .into_iter()
        .filter(|k| a.get(*k) != b.get(*k))
        .map(String::as_str)
        .collect();
    if diff.is_empty() {
        "release.MF differs".into()
    } else {
        format!("{} differ", diff.join(", "))
    }
}

pub async fn delete_release(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    UrlPath(parts): UrlPath<Vec<String>>,
) -> Response {
    if let Some(r) = app.deny(&headers, Access::Write) {
        return r;
    }
    let (name, version) = match parts.as_slice() {
        [n] => (n.as_str(), None),
        [n, v] => (n.as_str(), Some(v.as_str())),
        _ => return text(StatusCode::BAD_REQUEST, "expected NAME or NAME/VERSION"),
    };
    let _guard = app.lock.lock().await;
    let gone = match app.registry.delete_release(name, version) {
        Ok(g) => g,
        Err(e) => return internal(e),
    };
    if gone.is_empty() {
        let what = version.map_or(name.to_string(), |v| format!("{name}/{v}"));
        return text(
            StatusCode::NOT_FOUND,
            format!("Release '{what}' does not exist"),
        );
    }
    let deleted = gone
        .iter()
        .map(|r| format!("{}/{}", r.name, r.version))
        .collect();
    let candidates = gone
        .into_iter()
        .flat_map(|r| r.objects.into_iter().map(|(_, o)| o))
        .collect();
    match collect(&app, candidates).await {
        Ok(n) => Json(Outcome {
            status: "deleted".into(),
            deleted,
            objects_deleted: n,
            ..Default::default()
        })
        .into_response(),
        Err(r) => r,
    }
}

pub async fn stemcells(State(app): State<Arc<App>>, headers: HeaderMap) -> Response {
    if let Some(r) = app.deny(&headers, Access::Read) {
        return r;
    }
    match app.registry.stemcells() {
        Ok(list) => Json(list).into_response(),
        Err(e) => internal(e),
    }
}

pub async fn stemcell(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    UrlPath((name, version)): UrlPath<(String, String)>,
) -> Response {
    if let Some(r) = app.deny(&headers, Access::Read) {
        return r;
    }
    answer(
        app.registry.stemcell(&name, &version),
        "Stemcell",
        &name,
        &version,
    )
}

/// `POST /api/v1/stemcells[?fix=true]`: registers a stemcell tarball already stored as an
/// object. On a local store the server verifies the tarball itself before registering it.
pub async fn register_stemcell(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    q: Q,
    body: Body,
) -> Response {
    if let Some(r) = app.deny(&headers, Access::Write) {
        return r;
    }
    let up: StemcellUpload = match read_json(body).await {
        Ok(v) => v,
        Err(r) => return r,
    };
    if !valid_name(&up.name) || !valid_name(&up.version) {
        return text(
            StatusCode::BAD_REQUEST,
            format!(
                "stemcell name '{}' and version '{}' may hold only letters, digits and -_+.",
                up.name, up.version
            ),
        );
    }
    let Some(id) = ObjectId::parse(&up.object).filter(|i| i.digest().is_some()) else {
        return text(
            StatusCode::BAD_REQUEST,
            format!("'{}' is not a content address", up.object),
        );
    };
    let size = match app.store.size(&id).await {
        Ok(Some(s)) => s,
        Ok(None) => return missing_response(vec![up.object.clone()]),
        Err(e) => return internal(e),
    };
    if let Some(path) = app.store.local_path(&id) {
        let checked =
            tokio::task::spawn_blocking(move || crate::verify::verify_release(&path)).await;
        match checked {
            Ok(Ok(report))
                if report.ok() && report.artifact == crate::verify::Artifact::Stemcell =>
            {
                if report.name != up.name || report.version != up.version {
                    return text(
                        StatusCode::BAD_REQUEST,
                        format!(
                            "the stored stemcell is {}/{}, not {}/{}",
                            report.name, report.version, up.name, up.version
                        ),
                    );
                }
            }
            Ok(Ok(report)) => {
                let lines: Vec<String> = report.findings.iter().map(ToString::to_string).collect();
                return text(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    format!("the stemcell does not verify:\n{}", lines.join("\n")),
                );
            }
            Ok(Err(e)) => return internal(e),
            Err(e) => return internal(e),
        }
    }
    let _guard = app.lock.lock().await;
    let old = match app.registry.stemcell(&up.name, &up.version) {
        Ok(o) => o,
        Err(e) => return internal(e),
    };
    if let Some(old) = &old {
        if old.object == up.object && !fix(&q) {
            return Json(Outcome {
                status: "exists".into(),
                ..Default::default()
            })
            .into_response();
        }
        if !fix(&q) {
            return text(
                StatusCode::CONFLICT,
                format!(
                    "Stemcell '{}/{}' already exists with other contents (stored {}, uploaded {}); upload it with --fix to replace it",
                    up.name, up.version, old.object, up.object
                ),
            );
        }
    }
    let rec = StemcellRecord {
        name: up.name,
        version: up.version,
        operating_system: up.operating_system,
        sha1: up.sha1,
        api_version: up.api_version,
        formats: up.formats,
        object: up.object,
        size,
        uploaded_at: now(),
    };
    if let Err(e) = app.registry.put_stemcell(&rec) {
        return internal(e);
    }
    registered(&app, old.map(|o| [o.object].into_iter().collect())).await
}

pub async fn delete_stemcell(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    UrlPath((name, version)): UrlPath<(String, String)>,
) -> Response {
    if let Some(r) = app.deny(&headers, Access::Write) {
        return r;
    }
    let _guard = app.lock.lock().await;
    let gone = match app.registry.delete_stemcell(&name, &version) {
        Ok(g) => g,
        Err(e) => return internal(e),
    };
    if gone.is_empty() {
        return text(
            StatusCode::NOT_FOUND,
            format!("Stemcell '{name}/{version}' does not exist"),
        );
    }
    let candidates = gone.iter().map(|s| s.object.clone()).collect();
    match collect(&app, candidates).await {
        Ok(n) => Json(Outcome {
            status: "deleted".into(),
            deleted: vec![format!("{name}/{version}")],
            objects_deleted: n,
            ..Default::default()
        })
        .into_response(),
        Err(r) => r,
    }
}
