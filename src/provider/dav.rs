//! The `dav` provider: a blobstore speaking BOSH's DAV protocol, such as `bale blobstore
//! serve` (spec: blobstore.md §2). Options `endpoint`, `user`, `password` (the last two best
//! kept in `config/private.yml`). Objects live at `<endpoint>/<XX>/<id>`. Uploads stream with
//! the blob's digest in `X-Bale-Digest`, so a bale server verifies them before storing.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;

use futures::StreamExt;
use serde_json::Value;

use super::dav_path::{object_path, ObjectId};
use super::object::runtime;
use crate::atomic::AtomicFile;
use crate::error::{Error, Result};

#[derive(Clone)]
pub struct DavBlobstore {
    client: reqwest::Client,
    endpoint: String,
    user: Option<String>,
    password: Option<String>,
}

impl std::fmt::Debug for DavBlobstore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never the password.
        write!(f, "DavBlobstore({})", self.endpoint)
    }
}

impl DavBlobstore {
    pub fn new(o: &BTreeMap<String, Value>) -> Result<DavBlobstore> {
        let s = |k: &str| {
            o.get(k)
                .and_then(Value::as_str)
                .filter(|v| !v.is_empty())
                .map(str::to_string)
        };
        let endpoint = s("endpoint")
            .ok_or_else(|| {
                Error::msg("Expected 'endpoint' in the dav blobstore options of config/final.yml")
            })?
            .trim_end_matches('/')
            .to_string();
        let client = reqwest::Client::builder()
            .build()
            .map_err(|e| Error::msg(format!("Configuring the dav blobstore: {e}")))?;
        Ok(DavBlobstore {
            client,
            endpoint,
            user: s("user"),
            password: s("password"),
        })
    }

    fn url(&self, id: &str) -> Result<String> {
        let id = ObjectId::parse(id)
            .ok_or_else(|| Error::msg(format!("'{id}' is not a valid object id")))?;
        Ok(format!("{}/{}", self.endpoint, object_path(&id)))
    }

    fn auth(&self, r: reqwest::RequestBuilder) -> reqwest::RequestBuilder {
        match &self.user {
            Some(u) => r.basic_auth(u, self.password.as_deref()),
            None => r,
        }
    }

    fn failure(&self, what: &str, id: &str, status: reqwest::StatusCode, body: &str) -> Error {
        let hint = match status.as_u16() {
            401 => " (check user and password under blobstore.options in config/private.yml)",
            404 => " (not found)",
            422 => " (the server received other bytes than the blob's digest says)",
            _ => "",
        };
        let body: String = body.chars().take(1024).collect();
        Error::msg(format!(
            "{what} dav blob {id} at {}: response {status}{hint}: {}",
            self.endpoint,
            body.trim()
        ))
    }

    fn unreachable(&self, e: reqwest::Error) -> Error {
        Error::msg(format!(
            "cannot reach {} (check endpoint in config/final.yml): {e}",
            self.endpoint
        ))
    }

    /// Streams the file up; `digest` (when known) lets the server verify what it received.
    pub fn put(&self, id: &str, file: &Path, digest: Option<&str>) -> Result<()> {
        if self.user.is_none() {
            return Err(Error::msg(
                "The dav blobstore needs credentials to write: create config/private.yml with:\n  blobstore:\n    options:\n      user: <user>\n      password: <password>",
            ));
        }
        let url = self.url(id)?;
        runtime().block_on(async {
            let f = tokio::fs::File::open(file)
                .await
                .map_err(|e| Error::io("open", file, &e))?;
            let len = f
                .metadata()
                .await
                .map_err(|e| Error::io("stat", file, &e))?
                .len();
            let stream = super::chunks(f, 1 << 20);
            let mut req = self
                .auth(self.client.put(&url))
                .header(reqwest::header::CONTENT_LENGTH, len)
                .body(reqwest::Body::wrap_stream(stream));
            if let Some(d) = digest {
                req = req.header("X-Bale-Digest", d);
            }
            let resp = req.send().await.map_err(|e| self.unreachable(e))?;
            let status = resp.status();
            if status == reqwest::StatusCode::CREATED || status == reqwest::StatusCode::NO_CONTENT {
                return Ok(());
            }
            let body = resp.text().await.unwrap_or_default();
            Err(self.failure("Putting", id, status, &body))
        })
    }

    /// Streams object `id` into `dest`, which appears only once the whole object arrived.
    pub fn get(&self, id: &str, dest: &Path) -> Result<()> {
        let url = self.url(id)?;
        let mut out = AtomicFile::create(dest)?;
        runtime().block_on(async {
            let resp = self
                .auth(self.client.get(&url))
                .send()
                .await
                .map_err(|e| self.unreachable(e))?;
            let status = resp.status();
            if status != reqwest::StatusCode::OK {
                let body = resp.text().await.unwrap_or_default();
                return Err(self.failure("Getting", id, status, &body));
            }
            let mut stream = resp.bytes_stream();
            while let Some(chunk) = stream.next().await {
                let chunk = chunk.map_err(|e| Error::msg(format!("Getting dav blob {id}: {e}")))?;
                out.write_all(&chunk)
                    .map_err(|e| Error::io("write", dest, &e))?;
            }
            Ok(())
        })?;
        out.commit_unsynced()?;
        Ok(())
    }
}
