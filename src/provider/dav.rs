//! The `dav` provider: a blobstore speaking BOSH's DAV protocol, such as `bale blobstore
//! serve` (spec: blobstore.md §2). Options `endpoint`, `user`, `password` (the last two best
//! kept in `config/private.yml`). Objects live at `<endpoint>/<XX>/<id>`. Uploads stream with
//! the blob's digest in `X-Bale-Digest`, so a bale server verifies them before storing.
//! Requests that fail to connect, break off or get a 5xx are sent again (`crate::retry`);
//! a download cut off mid-body starts over into a fresh temp file.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;

use futures::StreamExt;
use serde_json::Value;

use super::dav_path::{object_path, ObjectId};
use super::object::runtime;
use crate::atomic::AtomicFile;
use crate::error::{Error, Result};
use crate::retry::{self, Idempotence, Policy};

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
            // A fresh stream of the file for every attempt.
            let make = || async {
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
                Ok::<_, Error>(req)
            };
            let resp = retry::send(&Policy::network(), Idempotence::Idempotent, make)
                .await?
                .map_err(|e| self.unreachable(e))?;
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
        let policy = Policy::network();
        let mut failed = 0;
        loop {
            match self.get_once(&url, id, dest, &policy) {
                Err(Fetch::CutOff(e)) if failed + 1 < policy.attempts => {
                    failed += 1;
                    let wait = policy.delay(failed);
                    tracing::warn!(%url, "download of dav blob {id} broke off ({e}); starting over in {} ms", wait.as_millis());
                    std::thread::sleep(wait);
                }
                Err(Fetch::CutOff(e)) => {
                    return Err(Error::msg(format!("Getting dav blob {id}: {e}")))
                }
                Err(Fetch::Failed(e)) => return Err(e),
                Ok(()) => return Ok(()),
            }
        }
    }

    fn get_once(&self, url: &str, id: &str, dest: &Path, policy: &Policy) -> Result<(), Fetch> {
        let mut out = AtomicFile::create(dest).map_err(|e| Fetch::Failed(e.into()))?;
        runtime().block_on(async {
            let make = || async { Ok::<_, Error>(self.auth(self.client.get(url))) };
            let resp = retry::send(policy, Idempotence::Idempotent, make)
                .await?
                .map_err(|e| self.unreachable(e))?;
            let status = resp.status();
            if status != reqwest::StatusCode::OK {
                let body = resp.text().await.unwrap_or_default();
                return Err(self.failure("Getting", id, status, &body).into());
            }
            let mut stream = resp.bytes_stream();
            while let Some(chunk) = stream.next().await {
                let chunk = chunk.map_err(Fetch::CutOff)?;
                out.write_all(&chunk)
                    .map_err(|e| Error::io("write", dest, &e))?;
            }
            Ok::<(), Fetch>(())
        })?;
        out.commit_unsynced().map_err(|e| Fetch::Failed(e.into()))?;
        Ok(())
    }
}

/// How one download attempt ended badly: cut off mid-body (worth starting over) or not.
enum Fetch {
    CutOff(reqwest::Error),
    Failed(Error),
}

impl From<Error> for Fetch {
    fn from(e: Error) -> Fetch {
        Fetch::Failed(e)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::retry::flaky::{Answer, Server};

    fn store(server: &Server) -> DavBlobstore {
        let mut o = BTreeMap::new();
        o.insert(
            "endpoint".into(),
            Value::from(format!("http://{}", server.addr)),
        );
        o.insert("user".into(), Value::from("director"));
        o.insert("password".into(), Value::from("dpass"));
        DavBlobstore::new(&o).unwrap()
    }

    const ID: &str = "9b2bf30b-1e1c-4c57-b8a6-4a4d0d9b3d7e";

    #[test]
    fn downloads_retry_after_5xx_and_broken_connections() {
        let server = Server::start(vec![
            Answer::Status(503, "busy"),
            Answer::Hangup,
            Answer::Status(200, "blob bytes"),
        ]);
        let t = tempfile::tempdir().unwrap();
        let dest = t.path().join("blob");
        store(&server).get(ID, &dest).unwrap();
        assert_eq!(std::fs::read(&dest).unwrap(), b"blob bytes");
        let seen = server.seen();
        assert_eq!(seen.len(), 3, "{seen:?}");
        assert!(seen
            .iter()
            .all(|s| s.method == "GET" && s.path.ends_with(ID)));
    }

    #[test]
    fn uploads_retry_with_the_whole_file_each_time() {
        let server = Server::start(vec![
            Answer::Status(500, "oops"),
            Answer::Status(502, "bad gateway"),
            Answer::Status(201, ""),
        ]);
        let t = tempfile::tempdir().unwrap();
        let src = t.path().join("src");
        std::fs::write(&src, vec![7u8; 300_000]).unwrap();
        store(&server).put(ID, &src, Some("sha256:abc")).unwrap();
        let seen = server.seen();
        assert_eq!(seen.len(), 3, "{seen:?}");
        assert!(seen
            .iter()
            .all(|s| s.method == "PUT" && s.body == vec![7u8; 300_000]));
    }

    #[test]
    fn client_errors_are_not_retried() {
        for code in [401, 403, 404] {
            let server = Server::start(vec![Answer::Status(code, "no"), Answer::Status(200, "x")]);
            let t = tempfile::tempdir().unwrap();
            let e = store(&server).get(ID, &t.path().join("blob")).unwrap_err();
            assert!(e.to_string().contains(&code.to_string()), "{e}");
            assert_eq!(server.seen().len(), 1, "{code}");
            assert!(!t.path().join("blob").exists());
        }
    }

    #[test]
    fn a_server_that_stays_down_is_reported_after_the_last_attempt() {
        let server = Server::start(vec![Answer::Status(503, "down for maintenance")]);
        let t = tempfile::tempdir().unwrap();
        let e = store(&server).get(ID, &t.path().join("blob")).unwrap_err();
        assert!(e.to_string().contains("503"), "{e}");
        assert_eq!(server.seen().len() as u32, Policy::network().attempts);
    }
}
