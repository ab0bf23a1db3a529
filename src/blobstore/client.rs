//! bale's side of the registry API: a target (`--blobstore URL`, `--user`), its calls, and
//! messages that say what to fix. tokio stays inside; callers block.
//!
//! Requests are retried on connection failures and 5xx (`crate::retry`): queries, uploads
//! from a file and deletes always; a registration only when the connection was never made
//! (the server cannot have registered anything); an upload streamed from the verifier not at
//! all (its bytes cannot be read twice).

use std::path::Path;

use futures::StreamExt;
use serde::de::DeserializeOwned;

use super::auth::Credentials;
use super::wire::{Outcome, ReleaseInfo, Stats, StemcellInfo, StemcellUpload};
use crate::error::{Error, Result};
use crate::provider::{object_path, runtime, ObjectId};
use crate::retry::{self, Idempotence, Policy};

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

    /// Sends `r`, again on failures `idempotence` allows when its body can be sent twice.
    async fn send(
        &self,
        r: reqwest::RequestBuilder,
        idempotence: Idempotence,
    ) -> Result<reqwest::Response> {
        let mut policy = Policy::network();
        if r.try_clone().is_none() {
            policy.attempts = 1;
        }
        let mut first = Some(r);
        let make = || {
            let next = first
                .as_ref()
                .and_then(reqwest::RequestBuilder::try_clone)
                .or_else(|| first.take());
            async move { next.ok_or_else(|| Error::msg("internal: a request without a body to resend")) }
        };
        retry::send(&policy, idempotence, make)
            .await?
            .map_err(|e| self.unreachable(e))
    }

    /// Sends a request; `Ok(None)` for a 404 when `absent_ok`.
    async fn call<T: DeserializeOwned>(
        &self,
        r: reqwest::RequestBuilder,
        absent_ok: bool,
    ) -> Result<Option<T>> {
        let resp = self.send(r, Idempotence::Idempotent).await?;
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
            let resp = self.send(r, Idempotence::ConnectOnly).await?;
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
            let resp = this.send(r, Idempotence::Idempotent).await?;
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

    /// Streams a file up as object `id`; a failed attempt starts over from the file.
    pub fn put_file(&self, id: &ObjectId, file: &Path) -> Result<()> {
        let url = format!("/{}", object_path(id));
        runtime().block_on(async {
            let make = || async {
                let f = tokio::fs::File::open(file)
                    .await
                    .map_err(|e| Error::io("open", file, &e))?;
                let len = f
                    .metadata()
                    .await
                    .map_err(|e| Error::io("stat", file, &e))?
                    .len();
                Ok::<_, Error>(
                    self.req(reqwest::Method::PUT, &url)
                        .header(reqwest::header::CONTENT_LENGTH, len)
                        .body(Body::wrap_stream(crate::provider::chunks(f, 1 << 20))),
                )
            };
            let resp = retry::send(&Policy::network(), Idempotence::Idempotent, make)
                .await?
                .map_err(|e| self.unreachable(e))?;
            let status = resp.status();
            if status.is_success() {
                return Ok(());
            }
            let text = resp.text().await.unwrap_or_default();
            Err(Error::msg(format!(
                "uploading object {}: {}",
                id.as_str(),
                self.refused(status, &text)
            )))
        })
    }

    /// Downloads `url` (any http(s) URL, e.g. a release on bosh.io) to `dest`.
    pub fn download(url: &str, dest: &Path) -> Result<()> {
        use std::io::Write;
        let mut out = std::fs::File::create(dest).map_err(|e| Error::io("create", dest, &e))?;
        runtime().block_on(async {
            let client = reqwest::Client::new();
            let make = || async { Ok::<_, Error>(client.get(url)) };
            let resp = retry::send(&Policy::network(), Idempotence::Idempotent, make)
                .await?
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::retry::flaky::{Answer, Server};

    fn target(server: &Server) -> Target {
        let user = Credentials {
            user: "director".into(),
            password: "dpass".into(),
        };
        Target::new(&format!("http://{}", server.addr), Some(user), None).unwrap()
    }

    #[test]
    fn queries_retry_after_5xx_and_broken_connections() {
        let server = Server::start(vec![
            Answer::Hangup,
            Answer::Status(502, "bad gateway"),
            Answer::Status(200, "[]"),
        ]);
        assert!(target(&server).releases().unwrap().is_empty());
        let seen = server.seen();
        assert_eq!(seen.len(), 3, "{seen:?}");
        assert!(seen.iter().all(|s| s.path == "/api/v1/releases"));
    }

    #[test]
    fn a_query_with_a_body_is_sent_whole_each_time() {
        let server = Server::start(vec![
            Answer::Status(500, ""),
            Answer::Status(200, "[\"a\"]"),
        ]);
        let ids = vec!["a".to_string(), "b".to_string()];
        assert_eq!(
            target(&server).missing(&ids).unwrap(),
            vec!["a".to_string()]
        );
        let seen = server.seen();
        assert_eq!(seen.len(), 2);
        assert!(seen.iter().all(|s| s.body == br#"["a","b"]"#));
    }

    #[test]
    fn client_errors_are_not_retried() {
        for code in [400, 401, 404, 409] {
            let server = Server::start(vec![Answer::Status(code, ""), Answer::Status(200, "[]")]);
            assert!(target(&server).releases().is_err(), "{code}");
            assert_eq!(server.seen().len(), 1, "{code}");
        }
    }

    #[test]
    fn a_registration_that_reached_the_server_is_not_sent_again() {
        let server = Server::start(vec![Answer::Status(503, ""), Answer::Status(201, "{}")]);
        assert!(target(&server)
            .register_release("name: x\n", false)
            .is_err());
        assert_eq!(server.seen().len(), 1);
    }

    #[test]
    fn a_file_upload_starts_over_from_the_file() {
        let server = Server::start(vec![Answer::Hangup, Answer::Status(201, "")]);
        let t = tempfile::tempdir().unwrap();
        let f = t.path().join("obj");
        std::fs::write(&f, b"object bytes").unwrap();
        let digest = crate::digest::Digest::of_bytes(crate::digest::Algo::Sha256, b"object bytes");
        let id = ObjectId::parse(&format!("sha256-{}", digest.hex())).unwrap();
        target(&server).put_file(&id, &f).unwrap();
        let seen = server.seen();
        assert_eq!(seen.len(), 2, "{seen:?}");
        assert!(seen
            .iter()
            .all(|s| s.method == "PUT" && s.body == b"object bytes"));
    }
}
