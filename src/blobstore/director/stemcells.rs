//! `/stemcells` and `/stemcell_uploads`: a stemcell tarball is verified as `bale
//! upload-stemcell` verifies it and stored whole, as one object under its SHA-256; the
//! spooled body becomes that object by a rename. As on a director, a name and version that
//! are registered already are skipped unless `--fix`.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use axum::body::Body;
use axum::extract::{Path as UrlPath, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Value};
use tempfile::NamedTempFile;

use super::releases::{is_json, remote_location, remote_refused};
use super::spool;
use super::tasks::Task;
use super::{flag, redirect_to_task, require, DirectorError, Need};
use crate::blobstore::api::{sweep, valid_name};
use crate::blobstore::registry::StemcellRecord;
use crate::blobstore::server::App;
use crate::digest::{Algo, Digest};
use crate::provider::ObjectId;
use crate::version::Version;

const INVALID_ARCHIVE: u32 = 50000;
const NOT_FOUND: u32 = 50003;
const MISSING_FIELD: u32 = 40001;

/// `GET /stemcells`: the object id stands where a director shows the cloud's id.
pub async fn list(
    State(app): State<Arc<App>>,
    uri: axum::http::Uri,
    headers: HeaderMap,
) -> Response {
    if let Err(r) = require(&app, &headers, uri.path(), Need::Read) {
        return *r;
    }
    let mut all = match app.registry.stemcells() {
        Ok(a) => a,
        Err(e) => return DirectorError::internal(e).into_response(),
    };
    all.sort_by(|a, b| {
        a.name.cmp(&b.name).then_with(|| {
            match (a.version.parse::<Version>(), b.version.parse::<Version>()) {
                (Ok(x), Ok(y)) => x.cmp(&y),
                _ => a.version.cmp(&b.version),
            }
        })
    });
    let out: Vec<Value> = all
        .iter()
        .enumerate()
        .map(|(i, s)| {
            json!({
                "name": s.name,
                "operating_system": s.operating_system,
                "version": s.version,
                "cid": s.object,
                "cpi": "",
                "deployments": [],
                "api_version": s.api_version,
                "id": i + 1,
            })
        })
        .collect();
    Json(out).into_response()
}

/// `POST /stemcell_uploads`: whether the CLI needs to send `{"stemcell": {name, version}}`.
pub async fn needed(
    State(app): State<Arc<App>>,
    uri: axum::http::Uri,
    headers: HeaderMap,
    body: Body,
) -> Response {
    if let Err(r) = require(&app, &headers, uri.path(), Need::Read) {
        return *r;
    }
    let body = match crate::blobstore::api::read_body(body).await {
        Ok(b) => b,
        Err(r) => return r,
    };
    let v: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
    let s = &v["stemcell"];
    let missing = |f: &str| DirectorError::bad(MISSING_FIELD, format!("Missing '{f}' field"));
    if s.is_null() {
        return missing("stemcell").into_response();
    }
    let (Some(name), Some(version)) = (s["name"].as_str(), s["version"].as_str()) else {
        let f = if s["name"].is_null() {
            "name"
        } else {
            "version"
        };
        return missing(f).into_response();
    };
    match app.registry.stemcell(name, version) {
        Ok(found) => Json(json!({"needed": found.is_none()})).into_response(),
        Err(e) => DirectorError::internal(e).into_response(),
    }
}

/// `POST /stemcells[?fix=true]`: a tarball becomes an upload task; a JSON body names a URL,
/// which this server does not fetch.
pub async fn upload(
    State(app): State<Arc<App>>,
    uri: axum::http::Uri,
    headers: HeaderMap,
    Query(q): Query<BTreeMap<String, String>>,
    body: Body,
) -> Response {
    let caller = match require(
        &app,
        &headers,
        uri.path(),
        Need::Upload("bosh.stemcells.upload"),
    ) {
        Ok(c) => c,
        Err(r) => return *r,
    };
    let fix = flag(&q, "fix");
    if is_json(&headers) {
        let location = remote_location(body).await;
        let id = app.director.tasks.spawn(
            "create stemcell",
            &caller.user,
            "",
            move |task| async move {
                let mut stage = task.stage("Update stemcell", 1);
                let i = stage.start("Downloading remote stemcell");
                let e = remote_refused("stemcell", &location);
                stage.fail(i, "Downloading remote stemcell", &e.message);
                Err(e)
            },
        );
        return redirect_to_task(id);
    }
    spool::spool_then_spawn(
        &app,
        &headers,
        uri.path(),
        body,
        ("create stemcell", &caller.user, ""),
        move |a, task, tarball| ingest(a, task, tarball, fix),
    )
    .await
}

/// What a verified stemcell tarball says about itself.
struct Checked {
    record: StemcellRecord,
    id: ObjectId,
}

fn invalid(msg: impl Into<String>) -> DirectorError {
    DirectorError::bad(INVALID_ARCHIVE, msg)
}

/// Verifies the tarball and reads its manifest (blocking).
fn check(path: &Path) -> Result<Checked, DirectorError> {
    let report = crate::verify::verify_release(path).map_err(|e| invalid(e.to_string()))?;
    if report.artifact != crate::verify::Artifact::Stemcell {
        return Err(invalid(
            "the tarball has no stemcell.MF: use upload-release for releases",
        ));
    }
    if !report.ok() {
        let lines: Vec<String> = report
            .findings
            .iter()
            .filter(|f| f.severity == crate::verify::Severity::Error)
            .map(|f| format!("  {f}"))
            .collect();
        return Err(invalid(format!(
            "the stemcell failed verification, nothing was registered:\n{}",
            lines.join("\n")
        )));
    }
    let text = crate::archive::read_text_entry(path, "stemcell.MF")
        .map_err(|e| invalid(e.to_string()))?
        .ok_or_else(|| invalid("stemcell.MF not found"))?;
    let m = crate::stemcell::manifest::StemcellManifest::parse(Path::new("stemcell.MF"), &text)
        .map_err(|e| invalid(e.to_string()))?;
    let field = |k: &str| m.str(k).unwrap_or_default();
    let (name, version) = (field("name"), field("version"));
    if !valid_name(&name) || !valid_name(&version) {
        return Err(invalid(format!(
            "stemcell name '{name}' and version '{version}' may hold only letters, digits and -_+."
        )));
    }
    let digest = Digest::of_file(Algo::Sha256, path).map_err(DirectorError::internal)?;
    let size = std::fs::metadata(path)
        .map_err(DirectorError::internal)?
        .len();
    let id = ObjectId::for_digest(&digest);
    Ok(Checked {
        record: StemcellRecord {
            operating_system: m.str("operating_system").unwrap_or_else(|| name.clone()),
            name,
            version,
            sha1: field("sha1"),
            api_version: m.api_version(),
            formats: m.formats(),
            object: id.as_str().to_string(),
            size,
            uploaded_at: super::now(),
        },
        id,
    })
}

async fn ingest(
    app: Arc<App>,
    task: Arc<Task>,
    tarball: NamedTempFile,
    fix: bool,
) -> Result<String, DirectorError> {
    let mut stage = task.stage("Update stemcell", 5);
    let run = |stage: &mut super::tasks::Stage, step: &str, r: Result<(), DirectorError>| {
        let i = stage.start(step);
        match r {
            Ok(()) => {
                stage.finish(i, step);
                Ok(())
            }
            Err(e) => {
                stage.fail(i, step, &e.message);
                Err(e)
            }
        }
    };
    let path = tarball.path().to_path_buf();
    let i = stage.start("Extracting stemcell archive");
    let checked = tokio::task::spawn_blocking(move || check(&path))
        .await
        .map_err(DirectorError::internal)
        .and_then(|r| r);
    let c = match checked {
        Ok(c) => {
            stage.finish(i, "Extracting stemcell archive");
            c
        }
        Err(e) => {
            stage.fail(i, "Extracting stemcell archive", &e.message);
            return Err(e);
        }
    };
    run(&mut stage, "Verifying stemcell manifest", Ok(()))?;
    let slug = format!("{}/{}", c.record.name, c.record.version);
    let _guard = app.lock.lock().await;
    let old = app
        .registry
        .stemcell(&c.record.name, &c.record.version)
        .map_err(DirectorError::internal);
    let old = run(
        &mut stage,
        "Checking if this stemcell already exists",
        old.as_ref().map(|_| ()).map_err(Clone::clone),
    )
    .and(old)?;
    let needs = fix || old.is_none();
    let skipped = if needs {
        ""
    } else {
        " (already exists, skipped)"
    };
    let step = format!("Uploading stemcell {slug} to the blobstore{skipped}");
    let i = stage.start(&step);
    if needs {
        if let Err(e) = app.store.adopt(&c.id, tarball.into_temp_path()).await {
            let msg = format!("storing the stemcell: {e:?}");
            stage.fail(i, &step, &msg);
            return Err(DirectorError::internal(msg));
        }
    }
    stage.finish(i, &step);
    let step = format!("Save stemcell {slug} ({}){skipped}", c.record.object);
    let i = stage.start(&step);
    if needs {
        if let Err(e) = app.registry.put_stemcell(&c.record) {
            stage.fail(i, &step, &e.to_string());
            return Err(DirectorError::internal(e));
        }
        if let Some(o) = old.filter(|o| o.object != c.record.object) {
            sweep(&app, [o.object].into_iter().collect())
                .await
                .map_err(DirectorError::internal)?;
        }
    }
    stage.finish(i, &step);
    Ok(format!("/stemcells/{slug}"))
}

/// `DELETE /stemcells/NAME/VERSION`, as a task.
pub async fn delete(
    State(app): State<Arc<App>>,
    uri: axum::http::Uri,
    headers: HeaderMap,
    UrlPath((name, version)): UrlPath<(String, String)>,
) -> Response {
    let caller = match require(&app, &headers, uri.path(), Need::Admin) {
        Ok(c) => c,
        Err(r) => return *r,
    };
    let a = app.clone();
    let id = app.director.tasks.spawn(
        "delete stemcell",
        &caller.user,
        "",
        move |task| async move {
            let slug = format!("{name}/{version}");
            let _guard = a.lock.lock().await;
            let gone = a
                .registry
                .delete_stemcell(&name, &version)
                .map_err(DirectorError::internal)?;
            if gone.is_empty() {
                return Err(DirectorError::new(
                    StatusCode::NOT_FOUND,
                    NOT_FOUND,
                    format!("Stemcell '{slug}' doesn't exist"),
                ));
            }
            let n = sweep(&a, gone.iter().map(|s| s.object.clone()).collect())
                .await
                .map_err(DirectorError::internal)?;
            task.debug(&format!("{n} object(s) removed"));
            task.stage("Deleting stemcell", 1).done(&slug);
            Ok(format!("/stemcells/{slug}"))
        },
    );
    redirect_to_task(id)
}
