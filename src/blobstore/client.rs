//! bale's side of the registry API: a target (`--blobstore URL`, `--user`), its calls, and
//! messages that say what to fix. tokio stays inside; callers block.

use std::path::Path;

use futures::StreamExt;
use serde::de::DeserializeOwned;

use super::auth::Credentials;
use super::wire::{Outcome, ReleaseInfo, Stats, StemcellInfo, StemcellUpload};
use crate::error::{Error, Result};
use crate::provider::{object_path, runtime, ObjectId};

#[derive(Clone)]
pub struct Target {
    url: String,
    user: Option<Credentials>,
    client: reqwest::Client,
}

impl std::fmt::Debug for Target {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never the password.
        write!(f, "Target({})", self.url)
    }
}

/// What the server said to a registration.
#[derive(Debug)]
pub enum Registered {
    Done(Outcome),
    /// The server lacks these objects (a concurrent delete removed one, or they were never
    /// sent): upload them and register again.
    Missing(Vec<String>),
}

pub type Body = reqwest::Body;

impl Target {
    /// `ca_cert`: a PEM file to trust besides the system's roots (a private CA or a
    /// self-signed server).
    pub fn new(url: &str, user: Option<Credentials>, ca_cert: Option<&Path>) -> Result<Target> {
        let url = url.trim_end_matches('/').to_string();
        if !(url.starts_with("http://") || url.starts_with("https://")) {
            return Err(Error::msg(format!(
                "blobstore '{url}' is not an http:// or https:// URL (give --blobstore or BALE_BLOBSTORE)"
            )));
        }
        let mut b = reqwest::Client::builder();
        if let Some(ca) = ca_cert {
            let pem = std::fs::read(ca).map_err(|e| Error::io("read", ca, &e))?;
            let certs = reqwest::Certificate::from_pem_bundle(&pem)
                .map_err(|e| Error::msg(format!("{}: not a PEM certificate: {e}", ca.display())))?;
            for c in certs {
                b = b.add_root_certificate(c);
            }
        }
        let client = b
            .build()
            .map_err(|e| Error::msg(format!("configuring the HTTP client: {e}")))?;
        Ok(Target { url, user, client })
    }

    pub fn url(&self) -> &str {
        &self.url
    }

    fn req(&self, method: reqwest::Method, path: &str) -> reqwest::RequestBuilder {
        let r = self.client.request(method, format!("{}{path}", self.url));
        match &self.user {
            Some(c) => r.basic_auth(&c.user, Some(&c.password)),
            None => r,
        }
    }

    fn unreachable(&self, e: reqwest::Error) -> Error {
        // reqwest's own text stops at "error sending request"; the cause (refused, bad
        // certificate) is further down the chain.
        let mut text = e.to_string();
        let mut src = std::error::Error::source(&e);
        while let Some(s) = src {
            text.push_str(&format!(": {s}"));
            src = s.source();
        }
        Error::msg(format!(
            "cannot reach the blobstore at {} (is `bale blobstore serve` running there? check --blobstore or BALE_BLOBSTORE, and --ca-cert for a private CA): {text}",
            self.url
        ))
    }

    fn refused(&self, status: reqwest::StatusCode, body: &str) -> Error {
        let hint = match status.as_u16() {
            401 => format!(
                "{} refused the credentials (give a user with --user USER:PASSWORD or BALE_BLOBSTORE_USER and BALE_BLOBSTORE_PASSWORD)",
                self.url
            ),
            _ => format!("{} answered {status}", self.url),
        };
        let body: String = body.trim().chars().take(4096).collect();
        // The server's own texts for these say what is wrong and what to do.
        if matches!(status.as_u16(), 400 | 404 | 409 | 413 | 422) && !body.is_empty() {
            return Error::msg(body);
        }
        if body.is_empty() {
            Error::msg(hint)
        } else {
            Error::msg(format!("{hint}: {body}"))
        }
    }

    /// Sends a request; `Ok(None)` for a 404 when `absent_ok`.
    async fn call<T: DeserializeOwned>(
        &self,
        r: reqwest::RequestBuilder,
        absent_ok: bool,
    ) -> Result<Option<T>> {
        let resp = r.send().await.map_err(|e| self.unreachable(e))?;
        let status = resp.status();
        if status == reqwest::StatusCode::NOT_FOUND && absent_ok {
            return Ok(None);
        }
        let body = resp.bytes().await.map_err(|e| self.unreachable(e))?;
        if !status.is_success() {
            return Err(self.refused(status, &String::from_utf8_lossy(&body)));
        }
        serde_json::from_slice(&body)
            .map(Some)
            .map_err(|e| Error::msg(format!("{}: unexpected answer: {e}", self.url)))
    }

    fn get<T: DeserializeOwned>(&self, path: &str, absent_ok: bool) -> Result<Option<T>> {
        runtime().block_on(self.call(self.req(reqwest::Method::GET, path), absent_ok))
    }

    pub fn releases(&self) -> Result<Vec<ReleaseInfo>> {
        Ok(self.get("/api/v1/releases", false)?.unwrap_or_default())
    }

    pub fn release(&self, name: &str, version: &str) -> Result<Option<ReleaseInfo>> {
        self.get(&api(&["releases", name, version]), true)
    }

    pub fn stemcells(&self) -> Result<Vec<StemcellInfo>> {
        Ok(self.get("/api/v1/stemcells", false)?.unwrap_or_default())
    }

    pub fn stemcell(&self, name: &str, version: &str) -> Result<Option<StemcellInfo>> {
        self.get(&api(&["stemcells", name, version]), true)
    }

    pub fn stats(&self) -> Result<Stats> {
        Ok(self.get("/api/v1/stats", false)?.unwrap_or_default())
    }

    /// Which of `ids` the server does not hold.
    pub fn missing(&self, ids: &[String]) -> Result<Vec<String>> {
        let r = self
            .req(reqwest::Method::POST, "/api/v1/objects/missing")
            .json(ids);
        Ok(runtime().block_on(self.call(r, false))?.unwrap_or_default())
    }

    fn register(&self, r: reqwest::RequestBuilder) -> Result<Registered> {
        runtime().block_on(async {
            let resp = r.send().await.map_err(|e| self.unreachable(e))?;
            let status = resp.status();
            let body = resp.bytes().await.map_err(|e| self.unreachable(e))?;
            let parse = || -> Result<Outcome> {
                serde_json::from_slice(&body)
                    .map_err(|e| Error::msg(format!("{}: unexpected answer: {e}", self.url)))
            };
            match status.as_u16() {
                200 | 201 => Ok(Registered::Done(parse()?)),
                412 => Ok(Registered::Missing(parse()?.missing)),
                _ => Err(self.refused(status, &String::from_utf8_lossy(&body))),
            }
        })
    }

    pub fn register_release(&self, manifest: &str, fix: bool) -> Result<Registered> {
        let q = if fix { "?fix=true" } else { "" };
        self.register(
            self.req(reqwest::Method::POST, &format!("/api/v1/releases{q}"))
                .header(reqwest::header::CONTENT_TYPE, "text/yaml")
                .body(manifest.to_string()),
        )
    }

    pub fn register_stemcell(&self, up: &StemcellUpload, fix: bool) -> Result<Registered> {
        let q = if fix { "?fix=true" } else { "" };
        self.register(
            self.req(reqwest::Method::POST, &format!("/api/v1/stemcells{q}"))
                .json(up),
        )
    }

    pub fn delete_release(&self, name: &str, version: Option<&str>) -> Result<Outcome> {
        let path = match version {
            Some(v) => api(&["releases", name, v]),
            None => api(&["releases", name]),
        };
        runtime()
            .block_on(self.call(self.req(reqwest::Method::DELETE, &path), false))
            .map(Option::unwrap_or_default)
    }

    pub fn delete_stemcell(&self, name: &str, version: &str) -> Result<Outcome> {
        let path = api(&["stemcells", name, version]);
        runtime()
            .block_on(self.call(self.req(reqwest::Method::DELETE, &path), false))
            .map(Option::unwrap_or_default)
    }

    /// PUTs `len` bytes from `body` as object `id` (a content address, which the server
    /// checks the bytes against). Runs on the shared runtime; await the handle.
    pub fn spawn_put(
        &self,
        id: &ObjectId,
        len: u64,
        body: Body,
    ) -> tokio::task::JoinHandle<Result<()>> {
        let r = self
            .req(reqwest::Method::PUT, &format!("/{}", object_path(id)))
            .header(reqwest::header::CONTENT_LENGTH, len)
            .body(body);
        let this = self.clone();
        let id = id.as_str().to_string();
        runtime().spawn(async move {
            let resp = r.send().await.map_err(|e| this.unreachable(e))?;
            let status = resp.status();
            if status.is_success() {
                return Ok(());
            }
            let text = resp.text().await.unwrap_or_default();
            Err(Error::msg(format!(
                "uploading object {id}: {}",
                this.refused(status, &text)
            )))
        })
    }

    /// Streams a file up as object `id`.
    pub fn put_file(&self, id: &ObjectId, file: &Path) -> Result<()> {
        let f = std::fs::File::open(file).map_err(|e| Error::io("open", file, &e))?;
        let len = f.metadata().map_err(|e| Error::io("stat", file, &e))?.len();
        let f = tokio::fs::File::from_std(f);
        let body = Body::wrap_stream(crate::provider::chunks(f, 1 << 20));
        let handle = self.spawn_put(id, len, body);
        runtime()
            .block_on(handle)
            .map_err(|e| Error::msg(format!("upload task: {e}")))?
    }

    /// Downloads `url` (any http(s) URL, e.g. a release on bosh.io) to `dest`.
    pub fn download(url: &str, dest: &Path) -> Result<()> {
        use std::io::Write;
        let mut out = std::fs::File::create(dest).map_err(|e| Error::io("create", dest, &e))?;
        runtime().block_on(async {
            let resp = reqwest::get(url)
                .await
                .map_err(|e| Error::msg(format!("downloading {url}: {e}")))?;
            if !resp.status().is_success() {
                return Err(Error::msg(format!(
                    "No release found at '{url}' (the server answered {})",
                    resp.status()
                )));
            }
            let mut s = resp.bytes_stream();
            while let Some(chunk) = s.next().await {
                let chunk = chunk.map_err(|e| Error::msg(format!("downloading {url}: {e}")))?;
                out.write_all(&chunk)
                    .map_err(|e| Error::io("write", dest, &e))?;
            }
            Ok(())
        })
    }
}

/// `/api/v1/<parts>`, each part escaped as one path segment (a name can never add a `/`).
fn api(parts: &[&str]) -> String {
    let mut u = reqwest::Url::parse("http://registry/api/v1/").expect("a valid base URL");
    u.path_segments_mut()
        .expect("an http URL has path segments")
        .pop_if_empty()
        .extend(parts);
    u.path().to_string()
}
