//! `bale blobstore serve --config FILE`: everything the flags say, in YAML, so credentials
//! need not sit in a process list. Flags given on the command line win over the file.
//!
//! ```yaml
//! dir: /var/lib/bale-blobstore        # registry (and objects, without a bucket)
//! listen: 0.0.0.0:25250
//! write_users: [ci:secret]            # USER:PASSWORD, or {user: ci, password: secret}
//! read_users: [director:secret]
//! anonymous_reads: false
//! secret: signing-key                 # for signed URLs
//! max_signed_url_expiry: 604800       # longest lifetime `e` of a signed URL, seconds
//! max_upload_size: 10485760000
//! tls: {certificate: server.crt, private_key: server.key}
//! max_connections: 512                # idle connections are closed to make room
//! header_timeout: 10                  # seconds, for a request head
//! idle_timeout: 60                    # seconds, for a keep-alive connection between requests
//! body_timeout: 60                    # seconds an upload's body may pause
//! grace_period: 30                    # seconds a stop waits for requests and tasks
//! bucket:                             # objects in S3-compatible storage
//!   provider: s3                      # the s3 options of config/final.yml
//!   options: {bucket_name: b, host: 127.0.0.1, port: 9000, use_ssl: false,
//!             access_key_id: k, secret_access_key: s, folder_name: objects}
//! ```

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use super::auth::Credentials;
use crate::error::{Error, Result};
use crate::manifest::yaml;

#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum UserEntry {
    Pair(String),
    Map { user: String, password: String },
}

impl UserEntry {
    pub fn credentials(&self, file: &Path) -> Result<Credentials> {
        match self {
            UserEntry::Pair(s) => s
                .parse()
                .map_err(|e: String| Error::msg(format!("{}: user '{s}': {e}", file.display()))),
            UserEntry::Map { user, password } => Ok(Credentials {
                user: user.clone(),
                password: password.clone(),
            }),
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TlsFiles {
    pub certificate: PathBuf,
    pub private_key: PathBuf,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BucketConfig {
    pub provider: String,
    #[serde(default)]
    pub options: BTreeMap<String, serde_json::Value>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServeConfig {
    pub dir: Option<PathBuf>,
    pub listen: Option<String>,
    #[serde(default)]
    pub write_users: Vec<UserEntry>,
    #[serde(default)]
    pub read_users: Vec<UserEntry>,
    pub anonymous_reads: Option<bool>,
    pub secret: Option<String>,
    pub max_signed_url_expiry: Option<u64>,
    pub max_upload_size: Option<u64>,
    pub tls: Option<TlsFiles>,
    pub bucket: Option<BucketConfig>,
    pub max_connections: Option<usize>,
    pub header_timeout: Option<u64>,
    pub idle_timeout: Option<u64>,
    pub body_timeout: Option<u64>,
    pub grace_period: Option<u64>,
}

impl ServeConfig {
    /// Reads the file; relative paths in it resolve against its directory.
    pub fn load(file: &Path) -> Result<ServeConfig> {
        let mut c: ServeConfig = yaml::read(file).map_err(|e| Error::msg(e.to_string()))?;
        let base = file.parent().unwrap_or(Path::new("."));
        let rel = |p: &mut PathBuf| {
            if p.is_relative() {
                *p = base.join(&*p);
            }
        };
        if let Some(d) = c.dir.as_mut() {
            rel(d);
        }
        if let Some(t) = c.tls.as_mut() {
            rel(&mut t.certificate);
            rel(&mut t.private_key);
        }
        Ok(c)
    }

    pub fn bucket(&self, file: &Path) -> Result<Option<crate::provider::ObjectBlobstore>> {
        let Some(b) = &self.bucket else {
            return Ok(None);
        };
        // The same provider options as config/final.yml, through the same constructor.
        let cfg = crate::manifest::final_yml::BlobstoreConfig {
            provider: b.provider.clone(),
            options: b.options.clone(),
        };
        let base = file.parent().unwrap_or(Path::new("."));
        match crate::provider::Blobstore::open(&cfg, base) {
            Ok(crate::provider::Blobstore::Object(o)) => Ok(Some(o)),
            Ok(_) => Err(Error::msg(format!(
                "provider '{}' is not a bucket (use s3 or gcs)",
                b.provider
            ))),
            Err(e) => Err(e),
        }
        .map_err(|e| Error::msg(format!("{}: bucket: {e}", file.display())))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_both_user_forms_and_resolves_paths_against_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("serve.yml");
        std::fs::write(
            &file,
            "dir: store\nmax_signed_url_expiry: 86400\nwrite_users: ['ci:pw', {user: ops, password: 'p:w'}]\ntls: {certificate: c.pem, private_key: /k.pem}\n",
        )
        .unwrap();
        let c = ServeConfig::load(&file).unwrap();
        assert_eq!(c.dir.unwrap(), dir.path().join("store"));
        assert_eq!(c.max_signed_url_expiry, Some(86_400));
        let users: Vec<Credentials> = c
            .write_users
            .iter()
            .map(|u| u.credentials(&file).unwrap())
            .collect();
        assert_eq!(users[1].password, "p:w");
        assert_eq!(users[0].user, "ci");
        let t = c.tls.unwrap();
        assert_eq!(t.certificate, dir.path().join("c.pem"));
        assert_eq!(t.private_key, PathBuf::from("/k.pem"));
        std::fs::write(&file, "listne: 1\n").unwrap();
        let e = ServeConfig::load(&file).unwrap_err().to_string();
        assert!(e.contains("serve.yml"), "{e}");
    }
}
