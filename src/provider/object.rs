//! `s3` and `gcs` providers through object_store, configured from the same options the
//! `bosh` CLI's s3cli and gcscli take (spec: blobstore.md §3.3, §3.4). Transfers stream: a
//! file goes up in parts and comes down chunk by chunk, never whole in memory. Secrets from
//! `config/private.yml` are handed to the client and never appear in a message.

use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::path::Path;
use std::sync::{Arc, OnceLock};

use futures::StreamExt;
use object_store::aws::{AmazonS3Builder, AmazonS3ConfigKey};
use object_store::buffered::BufWriter;
use object_store::gcp::GoogleCloudStorageBuilder;
use object_store::path::Path as ObjectPath;
use object_store::{ObjectStore, ObjectStoreExt};
use serde_json::Value;
use tokio::io::AsyncWriteExt;

use super::ObjectId;
use crate::atomic::AtomicFile;
use crate::error::{Error, Result};

/// One runtime for all transfers; callers stay synchronous (rayon threads block on it).
pub fn runtime() -> &'static tokio::runtime::Runtime {
    static RT: OnceLock<tokio::runtime::Runtime> = OnceLock::new();
    RT.get_or_init(|| {
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .expect("a tokio runtime can be built")
    })
}

#[derive(Clone)]
pub struct ObjectBlobstore {
    store: Arc<dyn ObjectStore>,
    /// Anonymous reads, tried before `store`: the CLI's gcscli reads public buckets (most
    /// public releases' final builds and blobs) without credentials, and uses its credentials
    /// only when the bucket refuses an anonymous read. `store` stays the only writer.
    public: Option<Arc<dyn ObjectStore>>,
    prefix: Option<String>,
    /// Where objects live, for messages (`s3://bucket/folder`).
    shown: String,
    read_only: bool,
}

impl std::fmt::Debug for ObjectBlobstore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never the client: it holds credentials.
        write!(f, "ObjectBlobstore({})", self.shown)
    }
}

fn opt<'a>(o: &'a BTreeMap<String, Value>, k: &str) -> Option<&'a str> {
    o.get(k).and_then(Value::as_str).filter(|s| !s.is_empty())
}

fn flag(o: &BTreeMap<String, Value>, k: &str, default: bool) -> bool {
    match o.get(k) {
        Some(Value::Bool(b)) => *b,
        Some(Value::String(s)) => s == "true",
        _ => default,
    }
}

/// Three attempts, as the CLI makes, within a minute.
fn retry() -> object_store::RetryConfig {
    object_store::RetryConfig {
        max_retries: 3,
        retry_timeout: std::time::Duration::from_secs(60),
        ..Default::default()
    }
}

const PRIVATE_HINT: &str = "create config/private.yml with:\n  blobstore:\n    options:\n      access_key_id: <key id>\n      secret_access_key: <secret>";

impl ObjectBlobstore {
    /// `s3://BUCKET[/PREFIX]` with the standard AWS environment variables
    /// (`AWS_ACCESS_KEY_ID`/`AWS_SECRET_ACCESS_KEY`, `AWS_REGION`, `AWS_ENDPOINT_URL` for
    /// S3-compatible storage), as CI jobs configure every S3 client.
    pub fn s3_from_url(url: &str) -> Result<ObjectBlobstore> {
        let rest = url.strip_prefix("s3://").ok_or_else(|| {
            Error::msg(format!(
                "{url}: expected s3://BUCKET[/PREFIX] (set AWS_ENDPOINT_URL for S3-compatible storage)"
            ))
        })?;
        let (bucket, prefix) = match rest.split_once('/') {
            Some((b, p)) => (b, p.trim_matches('/')),
            None => (rest, ""),
        };
        let mut o: BTreeMap<String, Value> = BTreeMap::new();
        o.insert("bucket_name".into(), bucket.into());
        if !prefix.is_empty() {
            o.insert("folder_name".into(), prefix.into());
        }
        if let Ok(region) = std::env::var("AWS_REGION") {
            o.insert("region".into(), region.into());
        }
        match (
            std::env::var("AWS_ACCESS_KEY_ID"),
            std::env::var("AWS_SECRET_ACCESS_KEY"),
        ) {
            (Ok(k), Ok(s)) => {
                o.insert("access_key_id".into(), k.into());
                o.insert("secret_access_key".into(), s.into());
                o.insert("credentials_source".into(), "static".into());
            }
            _ => {
                o.insert("credentials_source".into(), "none".into());
            }
        }
        if let Ok(endpoint) = std::env::var("AWS_ENDPOINT_URL") {
            let u = reqwest::Url::parse(&endpoint)
                .map_err(|e| Error::msg(format!("AWS_ENDPOINT_URL '{endpoint}': {e}")))?;
            o.insert("host".into(), u.host_str().unwrap_or_default().into());
            if let Some(p) = u.port() {
                o.insert("port".into(), p.into());
            }
            o.insert("use_ssl".into(), (u.scheme() == "https").into());
        }
        ObjectBlobstore::s3(&o)
    }

    pub fn s3(o: &BTreeMap<String, Value>) -> Result<ObjectBlobstore> {
        let bucket = opt(o, "bucket_name").ok_or_else(|| {
            Error::msg("Expected 'bucket_name' in the s3 blobstore options of config/final.yml")
        })?;
        let mut b = AmazonS3Builder::new()
            .with_bucket_name(bucket)
            .with_region(opt(o, "region").unwrap_or("us-east-1"));
        if let Some(host) = opt(o, "host") {
            let ssl = flag(o, "use_ssl", true);
            let port = match o.get("port") {
                Some(Value::Number(n)) if n.as_u64() != Some(0) => format!(":{n}"),
                Some(Value::String(s)) if !s.is_empty() && s != "0" => format!(":{s}"),
                _ => String::new(),
            };
            b = b
                .with_endpoint(format!(
                    "{}://{host}{port}",
                    if ssl { "https" } else { "http" }
                ))
                .with_allow_http(!ssl);
        }
        b = b
            .with_virtual_hosted_style_request(flag(o, "host_style", false))
            .with_retry(retry());
        if !flag(o, "ssl_verify_peer", true) {
            b = b.with_client_options(
                object_store::ClientOptions::new().with_allow_invalid_certificates(true),
            );
        }
        let (key, secret) = (opt(o, "access_key_id"), opt(o, "secret_access_key"));
        let source = opt(o, "credentials_source").unwrap_or(match (key, secret) {
            (Some(_), Some(_)) => "static",
            (None, None) => "none",
            _ => "partial",
        });
        let read_only = match source {
            "static" => {
                let (Some(k), Some(s)) = (key, secret) else {
                    return Err(Error::msg(format!(
                        "The s3 blobstore needs both access_key_id and secret_access_key for credentials_source 'static': {PRIVATE_HINT}"
                    )));
                };
                b = b.with_access_key_id(k).with_secret_access_key(s);
                false
            }
            "env_or_profile" => {
                let env = AmazonS3Builder::from_env();
                for k in [AmazonS3ConfigKey::AccessKeyId, AmazonS3ConfigKey::SecretAccessKey, AmazonS3ConfigKey::Token] {
                    if let Some(v) = env.get_config_value(&k) {
                        b = b.with_config(k, v);
                    }
                }
                false
            }
            "none" => {
                b = b.with_skip_signature(true);
                true
            }
            "partial" => {
                return Err(Error::msg(format!(
                    "The s3 blobstore options have only one of access_key_id and secret_access_key: {PRIVATE_HINT}"
                )))
            }
            other => {
                return Err(Error::msg(format!(
                    "Unknown credentials_source '{other}' in the s3 blobstore options (use static, env_or_profile or none)"
                )))
            }
        };
        for (key, cfg) in [
            ("server_side_encryption", "aws_server_side_encryption"),
            ("sse_kms_key_id", "aws_sse_kms_key_id"),
        ] {
            if let Some(v) = opt(o, key) {
                let k: AmazonS3ConfigKey =
                    cfg.parse().map_err(|e| Error::msg(format!("{key}: {e}")))?;
                b = b.with_config(k, v);
            }
        }
        let store = b
            .build()
            .map_err(|e| Error::msg(format!("Configuring the s3 blobstore: {e}")))?;
        let prefix = opt(o, "folder_name").map(str::to_string);
        Ok(ObjectBlobstore {
            store: Arc::new(store),
            public: None,
            shown: format!(
                "s3://{bucket}{}",
                prefix
                    .as_deref()
                    .map(|p| format!("/{p}"))
                    .unwrap_or_default()
            ),
            prefix,
            read_only,
        })
    }

    pub fn gcs(o: &BTreeMap<String, Value>) -> Result<ObjectBlobstore> {
        let bucket = opt(o, "bucket_name").ok_or_else(|| {
            Error::msg("Expected 'bucket_name' in the gcs blobstore options of config/final.yml")
        })?;
        let builder = || {
            GoogleCloudStorageBuilder::new()
                .with_bucket_name(bucket)
                .with_retry(retry())
        };
        let build = |b: GoogleCloudStorageBuilder| -> Result<Arc<dyn ObjectStore>> {
            let store = b
                .build()
                .map_err(|e| Error::msg(format!("Configuring the gcs blobstore: {e}")))?;
            Ok(Arc::new(store))
        };
        let anonymous = build(builder().with_skip_signature(true))?;
        let (store, public, read_only) = match opt(o, "credentials_source") {
            Some("static") => {
                let key = opt(o, "json_key").ok_or_else(|| {
                    Error::msg("The gcs blobstore needs json_key for credentials_source 'static': add it under blobstore.options in config/private.yml")
                })?;
                let authed = build(builder().with_service_account_key(key))?;
                (authed, Some(anonymous), false)
            }
            Some("none") => (anonymous, None, true),
            Some(other) if !other.is_empty() => {
                return Err(Error::msg(format!(
                    "Unknown credentials_source '{other}' in the gcs blobstore options (use static, none, or leave it out for application default credentials)"
                )))
            }
            _ => {
                // Application default credentials, looked for only when a read needs them
                // or on a write, as gcscli looks for them.
                let mut b = builder();
                let env = GoogleCloudStorageBuilder::from_env();
                if let Some(v) = env
                    .get_config_value(&object_store::gcp::GoogleConfigKey::ApplicationCredentials)
                {
                    b = b.with_application_credentials(v);
                }
                (build(b)?, Some(anonymous), false)
            }
        };
        Ok(ObjectBlobstore {
            store,
            public,
            shown: format!("gs://{bucket}"),
            prefix: None,
            read_only,
        })
    }

    /// The client and where it points, for a server that keeps its objects here.
    pub fn store(&self) -> Arc<dyn ObjectStore> {
        self.store.clone()
    }

    /// The folder objects live under, if any.
    pub fn prefix(&self) -> Option<&str> {
        self.prefix.as_deref()
    }

    pub fn shown(&self) -> &str {
        &self.shown
    }

    /// `id` (which may hold `/`) below the configured folder.
    /// The key of a release's object `id` (from `config/blobs.yml` or a build index, which
    /// the release's author wrote): parsed as [`ObjectId`], so it names one object under the
    /// configured folder and never another key of the bucket.
    fn object(&self, id: &str) -> Result<ObjectPath> {
        let id = ObjectId::parse(id).ok_or_else(|| {
            Error::msg(format!("'{}' is not a valid object id", id.escape_debug()))
        })?;
        Ok(self.path(id.as_str()))
    }

    pub fn path(&self, id: &str) -> ObjectPath {
        match &self.prefix {
            Some(p) => ObjectPath::from(format!("{p}/{id}")),
            None => ObjectPath::from(id),
        }
    }

    fn explain(&self, id: &str, e: object_store::Error) -> Error {
        let not_found = matches!(e, object_store::Error::NotFound { .. });
        self.explain_text(id, &e.to_string(), not_found)
    }

    /// A message that says what to fix: object, credentials, bucket or address.
    fn explain_text(&self, id: &str, text: &str, not_found: bool) -> Error {
        // Whole phrases only: a bare "403" also matches port numbers and object ids.
        let has = |words: &[&str]| words.iter().any(|w| text.contains(w));
        let hint = match () {
            _ if not_found => format!("object '{id}' is not in {}", self.shown),
            _ if has(&["error sending request", "onnection refused", "dns error"]) => {
                if self.is_gcs() {
                    format!("cannot reach {} (check the network)", self.shown)
                } else {
                    format!(
                        "cannot reach {} (check host, port and use_ssl in config/final.yml)",
                        self.shown
                    )
                }
            }
            _ if has(&[
                "403 Forbidden",
                "401 Unauthorized",
                "SignatureDoesNotMatch",
                "InvalidAccessKeyId",
                "AccessDenied",
            ]) =>
            {
                let keys = if self.is_gcs() {
                    "credentials_source and json_key"
                } else {
                    "access_key_id and secret_access_key"
                };
                format!(
                    "{} refused the credentials (check {keys} in config/private.yml)",
                    self.shown
                )
            }
            _ if has(&["NoSuchBucket"]) => format!("bucket of {} does not exist", self.shown),
            _ => format!("{} failed", self.shown),
        };
        Error::msg(format!("{hint}: {text}"))
    }

    fn is_gcs(&self) -> bool {
        self.shown.starts_with("gs://")
    }

    /// An object's metadata: anonymously first where the bucket may be public.
    async fn head_any(&self, path: &ObjectPath) -> object_store::Result<object_store::ObjectMeta> {
        if let Some(p) = &self.public {
            match p.head(path).await {
                Err(e) if refused_anonymously(&e) => {}
                other => return other,
            }
        }
        self.store.head(path).await
    }

    /// An object's bytes: anonymously first where the bucket may be public.
    async fn get_any(&self, path: &ObjectPath) -> object_store::Result<object_store::GetResult> {
        if let Some(p) = &self.public {
            match p.get(path).await {
                Err(e) if refused_anonymously(&e) => {}
                other => return other,
            }
        }
        self.store.get(path).await
    }

    /// Streams the file up under `id`, in parts.
    pub fn put(&self, id: &str, file: &Path) -> Result<()> {
        if self.read_only {
            return Err(Error::msg(format!(
                "{} has no credentials to write with (credentials_source none): {PRIVATE_HINT}",
                self.shown
            )));
        }
        let mut f = std::fs::File::open(file).map_err(|e| Error::io("open", file, &e))?;
        let path = self.object(id)?;
        tracing::debug!(store = %self.shown, %path, file = %file.display(), "object store put");
        runtime().block_on(async {
            let mut w = BufWriter::with_capacity(self.store.clone(), path, 8 << 20);
            let mut buf = vec![0u8; 4 << 20];
            loop {
                let n = f.read(&mut buf).map_err(|e| Error::io("read", file, &e))?;
                if n == 0 {
                    break;
                }
                if let Err(e) = w.put(bytes::Bytes::copy_from_slice(&buf[..n])).await {
                    let _ = w.abort().await;
                    return Err(self.explain(id, e));
                }
            }
            w.shutdown()
                .await
                .map_err(|e| self.explain_text(id, &e.to_string(), false))
        })
    }

    /// Like [`get`](Self::get), but an absent object is `Ok(false)` rather than an error: a
    /// shared cache asks for objects that may not exist yet.
    pub fn get_if_present(&self, id: &str, dest: &Path) -> Result<bool> {
        let path = self.object(id)?;
        tracing::debug!(store = %self.shown, %path, "object store head");
        let head = runtime().block_on(self.head_any(&path));
        match head {
            Err(object_store::Error::NotFound { .. }) => Ok(false),
            Err(e) => Err(self.explain(id, e)),
            Ok(_) => self.get(id, dest).map(|()| true),
        }
    }

    pub fn read_only(&self) -> bool {
        self.read_only
    }

    /// The same store, refusing writes: CI shares a cache that developers only read.
    pub fn into_read_only(mut self) -> ObjectBlobstore {
        self.read_only = true;
        self
    }

    /// Streams object `id` into `dest`, which appears only when the whole object arrived.
    pub fn get(&self, id: &str, dest: &Path) -> Result<()> {
        let path = self.object(id)?;
        tracing::debug!(store = %self.shown, %path, dest = %dest.display(), "object store get");
        let mut out = AtomicFile::create(dest)?;
        runtime().block_on(async {
            let res = self.get_any(&path).await.map_err(|e| self.explain(id, e))?;
            let mut stream = res.into_stream();
            while let Some(chunk) = stream.next().await {
                let chunk = chunk.map_err(|e| self.explain(id, e))?;
                out.write_all(&chunk)
                    .map_err(|e| Error::io("write", dest, &e))?;
            }
            Ok::<(), Error>(())
        })?;
        out.commit_unsynced()?;
        Ok(())
    }
}

/// The bucket answered an anonymous request but would not serve it (private, or the object
/// needs credentials to be seen): worth asking again with credentials. A network failure is
/// not, and is reported as it is.
fn refused_anonymously(e: &object_store::Error) -> bool {
    match e {
        object_store::Error::NotFound { .. }
        | object_store::Error::PermissionDenied { .. }
        | object_store::Error::Unauthenticated { .. } => true,
        other => {
            let text = other.to_string();
            ["401 Unauthorized", "403 Forbidden"]
                .iter()
                .any(|w| text.contains(w))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn store() -> ObjectBlobstore {
        let o: BTreeMap<String, Value> = serde_json::from_str(
            r#"{"bucket_name": "b", "host": "127.0.0.1", "port": 40337, "use_ssl": false,
                "access_key_id": "k", "secret_access_key": "s"}"#,
        )
        .unwrap();
        ObjectBlobstore::s3(&o).unwrap()
    }

    /// A port number such as 40337 once made "nothing listening" read as "bad credentials".
    #[test]
    fn status_codes_are_not_matched_inside_ports_or_ids() {
        let s = store();
        let refused = "Error performing PUT http://127.0.0.1:40337/b/4031-x after 3 retries - HTTP error: error sending request";
        assert!(s
            .explain_text("4031-x", refused, false)
            .to_string()
            .starts_with("cannot reach s3://b"));
        let denied = "Error performing PUT http://127.0.0.1:40337/b/x: 403 Forbidden: <Code>SignatureDoesNotMatch</Code>";
        assert!(s
            .explain_text("x", denied, false)
            .to_string()
            .starts_with("s3://b refused the credentials"));
        assert_eq!(
            format!("{s:?}"),
            "ObjectBlobstore(s3://b)",
            "Debug never shows the client or its keys"
        );
    }

    fn two_stores(public: Arc<dyn ObjectStore>, authed: Arc<dyn ObjectStore>) -> ObjectBlobstore {
        ObjectBlobstore {
            store: authed,
            public: Some(public),
            prefix: None,
            shown: "gs://b".into(),
            read_only: false,
        }
    }

    fn memory_with(id: &str, body: &'static [u8]) -> Arc<dyn ObjectStore> {
        let m = object_store::memory::InMemory::new();
        runtime()
            .block_on(m.put(&ObjectPath::from(id), body.into()))
            .unwrap();
        Arc::new(m)
    }

    /// gcscli reads a public bucket without credentials and asks with them only when the
    /// bucket refuses the anonymous read.
    #[test]
    fn public_buckets_are_read_anonymously_first() {
        let t = tempfile::tempdir().unwrap();
        let empty: Arc<dyn ObjectStore> = Arc::new(object_store::memory::InMemory::new());

        let s = two_stores(memory_with("x", b"public"), empty.clone());
        s.get("x", &t.path().join("a")).unwrap();
        assert_eq!(std::fs::read(t.path().join("a")).unwrap(), b"public");

        let s = two_stores(empty, memory_with("x", b"private"));
        assert!(s.get_if_present("x", &t.path().join("b")).unwrap());
        assert_eq!(std::fs::read(t.path().join("b")).unwrap(), b"private");
    }

    /// A network failure is reported as one, not hidden behind a credentials error.
    #[test]
    fn unreachable_public_reads_are_not_retried_with_credentials() {
        let t = tempfile::tempdir().unwrap();
        let unreachable = object_store::http::HttpBuilder::new()
            .with_url("http://127.0.0.1:1")
            .with_client_options(object_store::ClientOptions::new().with_allow_http(true))
            .with_retry(object_store::RetryConfig {
                max_retries: 0,
                ..Default::default()
            })
            .build()
            .unwrap();
        let s = two_stores(Arc::new(unreachable), memory_with("x", b"private"));
        let e = s.get("x", &t.path().join("c")).unwrap_err().to_string();
        assert!(
            e.starts_with("cannot reach gs://b (check the network)"),
            "{e}"
        );
        assert!(!t.path().join("c").exists());
    }

    #[test]
    fn gcs_credentials_sources_as_gcscli_reads_them() {
        let opts = |j: &str| -> BTreeMap<String, Value> { serde_json::from_str(j).unwrap() };
        let default = ObjectBlobstore::gcs(&opts(r#"{"bucket_name": "b"}"#)).unwrap();
        assert!(default.public.is_some() && !default.read_only());
        let none = ObjectBlobstore::gcs(&opts(
            r#"{"bucket_name": "b", "credentials_source": "none"}"#,
        ))
        .unwrap();
        assert!(none.public.is_none() && none.read_only());
        let e = ObjectBlobstore::gcs(&opts(r#"{"bucket_name": "b", "credentials_source": "x"}"#))
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("Unknown credentials_source 'x'"), "{e}");
    }
}
