//! `/releases` and `/packages/matches*`: listing, inspecting, uploading (a task, see
//! `ingest`) and deleting (a task) releases, and telling the CLI which packages it need not
//! send.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use axum::body::{Body, Bytes};
use axum::extract::{Path as UrlPath, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Value};

use super::ingest::{object_of, vouched};
use super::spool;
use super::{flag, redirect_to_task, require, DirectorError, Need};
use crate::blobstore::api::sweep;
use crate::blobstore::registry::ReleaseRecord;
use crate::blobstore::server::App;
use crate::version::Version;

type Q = Query<BTreeMap<String, String>>;

const RELEASE_NOT_FOUND: u32 = 30005;
const VERSION_NOT_FOUND: u32 = 30006;
const BAD_MANIFEST: u32 = 440001;

fn context_id(headers: &HeaderMap) -> String {
    headers
        .get("x-bosh-context-id")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .chars()
        .take(64)
        .collect()
}

fn release_not_found(name: &str) -> DirectorError {
    DirectorError::new(
        StatusCode::NOT_FOUND,
        RELEASE_NOT_FOUND,
        format!("Release '{name}' doesn't exist"),
    )
}

/// Versions sorted as the director sorts them (numerically by segment).
fn by_version(list: &mut [ReleaseRecord]) {
    list.sort_by(|a, b| {
        a.name.cmp(&b.name).then_with(|| {
            match (a.version.parse::<Version>(), b.version.parse::<Version>()) {
                (Ok(x), Ok(y)) => x.cmp(&y),
                _ => a.version.cmp(&b.version),
            }
        })
    });
}

fn versions_of(app: &App, name: &str) -> Result<Vec<ReleaseRecord>, DirectorError> {
    let mut list: Vec<ReleaseRecord> = app
        .registry
        .releases()
        .map_err(DirectorError::internal)?
        .into_iter()
        .filter(|r| r.name == name)
        .collect();
    by_version(&mut list);
    Ok(list)
}

/// `GET /releases`: every release with its versions.
pub async fn list(
    State(app): State<Arc<App>>,
    uri: axum::http::Uri,
    headers: HeaderMap,
) -> Response {
    if let Err(r) = require(&app, &headers, uri.path(), Need::Read) {
        return *r;
    }
    let mut all = match app.registry.releases() {
        Ok(a) => a,
        Err(e) => return DirectorError::internal(e).into_response(),
    };
    by_version(&mut all);
    let mut out: Vec<Value> = Vec::new();
    let mut current: Option<(String, Vec<Value>)> = None;
    for r in all {
        let m = r.manifest();
        let v = json!({
            "version": r.version,
            "commit_hash": m.as_ref().map(|m| m.commit_hash.clone()).unwrap_or_default(),
            "uncommitted_changes": m.as_ref().is_some_and(|m| m.uncommitted_changes),
            "currently_deployed": false,
            "job_names": m.as_ref().map(|m| m.jobs.iter().map(|j| j.name.clone()).collect::<Vec<_>>()).unwrap_or_default(),
        });
        match &mut current {
            Some((n, vs)) if *n == r.name => vs.push(v),
            _ => {
                if let Some((n, vs)) = current.take() {
                    out.push(json!({"name": n, "release_versions": vs}));
                }
                current = Some((r.name.clone(), vec![v]));
            }
        }
    }
    if let Some((n, vs)) = current {
        out.push(json!({"name": n, "release_versions": vs}));
    }
    Json(out).into_response()
}

/// `GET /releases/NAME[?version=V]`: one version's jobs and packages (`inspect-release`), or
/// without a version what all versions hold.
pub async fn show(
    State(app): State<Arc<App>>,
    uri: axum::http::Uri,
    headers: HeaderMap,
    UrlPath(name): UrlPath<String>,
    q: Q,
) -> Response {
    if let Err(r) = require(&app, &headers, uri.path(), Need::Read) {
        return *r;
    }
    let name = name.trim().to_string();
    match show_inner(&app, &name, q.get("version")) {
        Ok(v) => Json(v).into_response(),
        Err(e) => e.into_response(),
    }
}

fn show_inner(app: &App, name: &str, version: Option<&String>) -> Result<Value, DirectorError> {
    let versions = versions_of(app, name)?;
    if versions.is_empty() {
        return Err(release_not_found(name));
    }
    let Some(version) = version else {
        let mut packages = BTreeMap::new();
        let mut jobs = BTreeMap::new();
        for r in &versions {
            let Some(m) = r.manifest() else { continue };
            for p in m.packages.iter().chain(&m.compiled_packages) {
                packages.insert(
                    (p.name.clone(), p.version.clone()),
                    json!({"name": p.name, "sha1": p.sha1, "version": p.version, "dependencies": p.dependencies}),
                );
            }
            for j in &m.jobs {
                jobs.insert(
                    (j.name.clone(), j.version.clone()),
                    json!({"name": j.name, "sha1": j.sha1, "version": j.version, "packages": j.packages.clone().unwrap_or_default()}),
                );
            }
        }
        return Ok(json!({
            "packages": packages.into_values().collect::<Vec<_>>(),
            "jobs": jobs.into_values().collect::<Vec<_>>(),
            "versions": versions.iter().map(|r| r.version.clone()).collect::<Vec<_>>(),
        }));
    };
    let r = versions
        .iter()
        .find(|r| &r.version == version)
        .ok_or_else(|| {
            DirectorError::new(
                StatusCode::NOT_FOUND,
                VERSION_NOT_FOUND,
                format!("Release version '{name}/{version}' doesn't exist"),
            )
        })?;
    let m = r
        .manifest()
        .ok_or_else(|| DirectorError::internal("the registered release.MF does not parse"))?;
    let object = |entry: String| {
        r.objects
            .iter()
            .find(|(e, _)| *e == entry)
            .map(|(_, o)| o.clone())
            .unwrap_or_default()
    };
    let mut jobs: Vec<Value> = m
        .jobs
        .iter()
        .map(|j| {
            json!({
                "name": j.name,
                "blobstore_id": object(format!("jobs/{}.tgz", j.name)),
                "sha1": j.sha1,
                "fingerprint": j.fingerprint,
                "consumes": [],
                "provides": [],
            })
        })
        .collect();
    jobs.sort_by(|a, b| a["name"].as_str().cmp(&b["name"].as_str()));
    let mut packages: BTreeMap<String, Value> = BTreeMap::new();
    for p in &m.packages {
        packages.insert(
            p.name.clone(),
            json!({
                "name": p.name,
                "blobstore_id": object(format!("packages/{}.tgz", p.name)),
                "sha1": p.sha1,
                "fingerprint": p.fingerprint,
                "compiled_packages": [],
            }),
        );
    }
    for p in &m.compiled_packages {
        let entry = packages.entry(p.name.clone()).or_insert_with(|| {
            json!({
                "name": p.name,
                "blobstore_id": Value::Null,
                "sha1": Value::Null,
                "fingerprint": p.fingerprint,
                "compiled_packages": [],
            })
        });
        if let Some(list) = entry["compiled_packages"].as_array_mut() {
            list.push(json!({
                "stemcell": p.stemcell.clone().unwrap_or_default(),
                "sha1": p.sha1,
                "blobstore_id": object(format!("compiled_packages/{}.tgz", p.name)),
            }));
        }
    }
    Ok(json!({"jobs": jobs, "packages": packages.into_values().collect::<Vec<_>>()}))
}

/// The manifest the CLI posts to `/packages/matches*`, with the director's refusal when it
/// has no usable list under `key`.
fn posted_manifest(body: &Bytes, key: &str) -> Result<Value, DirectorError> {
    let bad = || {
        DirectorError::bad(
            BAD_MANIFEST,
            "Manifest doesn't have a usable packages section",
        )
    };
    let text = std::str::from_utf8(body).map_err(|_| bad())?;
    let v: Value = crate::manifest::yaml::from_str(std::path::Path::new("release.MF"), text)
        .map_err(|_| bad())?;
    if !v.get(key).is_some_and(Value::is_array) {
        return Err(bad());
    }
    Ok(v)
}

/// The fingerprints under `key` whose every package (same fingerprint, same digest) a
/// registered release holds and the store has: the CLI leaves those out of the tarball.
async fn matched(app: &App, v: &Value, key: &str) -> Result<Vec<String>, DirectorError> {
    let vouched = vouched(app)?;
    let mut by_fp: BTreeMap<String, bool> = BTreeMap::new();
    for p in v[key].as_array().into_iter().flatten() {
        let (Some(fp), Some(sha)) = (p["fingerprint"].as_str(), p["sha1"].as_str()) else {
            continue;
        };
        let ok = match object_of(sha) {
            Some(o) if vouched.contains(&(fp.to_string(), o.clone())) => {
                match crate::provider::ObjectId::parse(&o) {
                    Some(id) => app
                        .store
                        .size(&id)
                        .await
                        .map_err(DirectorError::internal)?
                        .is_some(),
                    None => false,
                }
            }
            _ => false,
        };
        let e = by_fp.entry(fp.to_string()).or_insert(true);
        *e &= ok;
    }
    Ok(by_fp
        .into_iter()
        .filter(|(_, ok)| *ok)
        .map(|(fp, _)| fp)
        .collect())
}

async fn match_route(app: &App, uri: &str, headers: &HeaderMap, body: Body, key: &str) -> Response {
    if let Err(r) = require(app, headers, uri, Need::Admin) {
        return *r;
    }
    let body = match crate::blobstore::api::read_body(body).await {
        Ok(b) => b,
        Err(r) => return r,
    };
    let v = match posted_manifest(&body, key) {
        Ok(v) => v,
        Err(e) => return e.into_response(),
    };
    match matched(app, &v, key).await {
        Ok(fps) => Json(fps).into_response(),
        Err(e) => e.into_response(),
    }
}

/// `POST /packages/matches` (YAML release.MF): source packages the server holds.
pub async fn matches(
    State(app): State<Arc<App>>,
    uri: axum::http::Uri,
    headers: HeaderMap,
    body: Body,
) -> Response {
    match_route(&app, uri.path(), &headers, body, "packages").await
}

/// `POST /packages/matches_compiled`: compiled packages the server holds.
pub async fn matches_compiled(
    State(app): State<Arc<App>>,
    uri: axum::http::Uri,
    headers: HeaderMap,
    body: Body,
) -> Response {
    match_route(&app, uri.path(), &headers, body, "compiled_packages").await
}

/// `POST /releases[?fix=true]`: a tarball (raw or multipart) becomes an upload task; a JSON
/// body names a URL, which this server does not fetch (the task says so).
pub async fn upload(
    State(app): State<Arc<App>>,
    uri: axum::http::Uri,
    headers: HeaderMap,
    q: Q,
    body: Body,
) -> Response {
    let caller = match require(
        &app,
        &headers,
        uri.path(),
        Need::Upload("bosh.releases.upload"),
    ) {
        Ok(c) => c,
        Err(r) => return *r,
    };
    let fix = flag(&q, "fix");
    let ctx = context_id(&headers);
    if is_json(&headers) {
        let location = remote_location(body).await;
        let id = app.director.tasks.spawn(
            "create release",
            &caller.user,
            &ctx,
            move |task| async move {
                task.step("Downloading remote release", async {
                    Err::<(), _>(remote_refused("release", &location))
                })
                .await?;
                unreachable!("the step above always fails")
            },
        );
        return redirect_to_task(id);
    }
    spool::spool_then_spawn(
        &app,
        &headers,
        uri.path(),
        body,
        ("create release", &caller.user, &ctx),
        move |a, task, tarball| super::ingest::release(a, task, tarball, fix),
    )
    .await
}

pub fn is_json(headers: &HeaderMap) -> bool {
    headers
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|ct| ct.split(';').next().unwrap_or("").trim() == "application/json")
}

/// The `location` of a JSON upload body, for the message (credentials in it cut).
pub async fn remote_location(body: Body) -> String {
    let bytes = axum::body::to_bytes(body, 64 * 1024)
        .await
        .unwrap_or_default();
    let v: Value = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
    let loc = v["location"].as_str().unwrap_or("").to_string();
    let Some((scheme, rest)) = loc.split_once("://") else {
        return loc;
    };
    let host_end = rest.find('/').unwrap_or(rest.len());
    match rest[..host_end].rfind('@') {
        Some(at) => format!("{scheme}://<redacted>@{}", &rest[at + 1..]),
        None => loc,
    }
}

pub fn remote_refused(kind: &str, location: &str) -> DirectorError {
    DirectorError::bad(
        100,
        format!(
            "bale blobstore does not download {kind}s from URLs (it may have no network): download '{location}' and upload the file, e.g. `bosh upload-{kind} ./{kind}.tgz`"
        ),
    )
}

/// `DELETE /releases/NAME[?version=V]`: removes one version or all of them, and the objects
/// nothing else names, as a task.
pub async fn delete(
    State(app): State<Arc<App>>,
    uri: axum::http::Uri,
    headers: HeaderMap,
    UrlPath(name): UrlPath<String>,
    q: Q,
) -> Response {
    let caller = match require(&app, &headers, uri.path(), Need::Admin) {
        Ok(c) => c,
        Err(r) => return *r,
    };
    match versions_of(&app, &name) {
        Ok(v) if v.is_empty() => return release_not_found(&name).into_response(),
        Ok(_) => {}
        Err(e) => return e.into_response(),
    }
    let version = q.get("version").filter(|v| !v.is_empty()).cloned();
    let a = app.clone();
    let id = app.director.tasks.spawn(
        "delete release",
        &caller.user,
        &context_id(&headers),
        move |task| async move {
            let _guard = a.lock.lock().await;
            if let Some(v) = &version {
                if a.registry
                    .release(&name, v)
                    .map_err(DirectorError::internal)?
                    .is_none()
                {
                    return Err(DirectorError::new(
                        StatusCode::NOT_FOUND,
                        VERSION_NOT_FOUND,
                        format!("Release version '{name}/{v}' doesn't exist"),
                    ));
                }
            }
            let gone = a
                .registry
                .delete_release(&name, version.as_deref())
                .map_err(DirectorError::internal)?;
            let candidates: BTreeSet<String> = gone
                .iter()
                .flat_map(|r| r.objects.iter().map(|(_, o)| o.clone()))
                .collect();
            let keep = a.registry.referenced().map_err(DirectorError::internal)?;
            // What is removed, by kind, for the director's stages.
            let mut packages = Vec::new();
            let mut jobs = Vec::new();
            let mut listed = BTreeSet::new();
            for r in &gone {
                let Some(m) = r.manifest() else { continue };
                for (entry, o) in &r.objects {
                    if keep.contains(o) || !listed.insert(o.clone()) {
                        continue;
                    }
                    let label = |n: &str, v: &str| format!("{n}/{v}");
                    if let Some(name) = entry
                        .strip_prefix("jobs/")
                        .and_then(|e| e.strip_suffix(".tgz"))
                    {
                        if let Some(j) = m.jobs.iter().find(|j| j.name == name) {
                            jobs.push(label(&j.name, &j.version));
                        }
                    } else if let Some(name) = entry
                        .strip_prefix("packages/")
                        .or_else(|| entry.strip_prefix("compiled_packages/"))
                        .and_then(|e| e.strip_suffix(".tgz"))
                    {
                        if let Some(p) = m
                            .packages
                            .iter()
                            .chain(&m.compiled_packages)
                            .find(|p| p.name == name)
                        {
                            packages.push(label(&p.name, &p.version));
                        }
                    }
                }
            }
            let n = sweep(&a, candidates)
                .await
                .map_err(DirectorError::internal)?;
            task.debug(&format!("{n} object(s) no longer named were removed"));
            for (stage_name, list) in [("Deleting packages", &packages), ("Deleting jobs", &jobs)] {
                let mut stage = task.stage(stage_name, list.len());
                for step in list {
                    stage.done(step);
                }
            }
            let mut stage = task.stage("Deleting release versions", gone.len());
            for r in &gone {
                stage.done(&format!("{}/{}", r.name, r.version));
            }
            Ok(format!("/release/{name}"))
        },
    );
    redirect_to_task(id)
}
