//! The compiled-package cache. An entry is `<key>.tgz` plus `<key>.json` (its metadata, written
//! last: an entry without it does not exist, so a compile killed half way leaves nothing
//! usable behind). The key covers everything the result depends on — the package's
//! fingerprint and source digest, the keys of its dependencies (so the whole closure), the
//! stemcell it was built for and the root file system it was built in — so a dependency
//! that changes, or another machine's OS, never reuses a stale build (the director's key
//! holds only names and versions; fissile's not even those). Every entry is hashed again
//! when it is used. Optionally backed by an S3 bucket that CI machines share.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::atomic;
use crate::digest::{Algo, Digest};
use crate::error::{Error, Result};
use crate::provider::ObjectBlobstore;

/// Bumped whenever the way bale runs a packaging script changes what it produces.
const CONTRACT: &str = "bale-compile-1";

/// What is known about one cached compiled package.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Meta {
    pub name: String,
    pub version: String,
    pub fingerprint: String,
    pub stemcell: String,
    /// The director's dependency key, kept so a compiled release round-trips.
    pub dependency_key: String,
    /// `sha256:<hex>` of the `.tgz`.
    pub digest: String,
    pub size: u64,
    /// How long the packaging script took.
    pub seconds: f64,
    /// The process that compiled it, in a cooperative run (`host pid N (run id)`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub compiled_by: Option<String>,
    /// When it was compiled (milliseconds since the Unix epoch), in a cooperative run.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub compiled_at: Option<u64>,
    /// The distribution it was built on, when built on a machine's root (`--host-rootfs`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub host_rootfs: Option<crate::manifest::release_mf::HostOs>,
}

#[derive(Debug, Clone)]
pub struct Entry {
    pub path: PathBuf,
    pub meta: Meta,
}

/// Inputs of a cache key, besides the dependencies' own keys.
pub struct KeyInput<'a> {
    pub name: &'a str,
    pub version: &'a str,
    pub fingerprint: &'a str,
    pub source_digest: &'a str,
    pub stemcell: &'a str,
    /// Identity of the root file system: the stemcell image digest, or the host's os-release.
    pub root_id: &'a str,
    /// `(name, key)` of each direct dependency.
    pub deps: Vec<(&'a str, &'a str)>,
}

pub fn key(k: &KeyInput<'_>) -> String {
    let mut deps = k.deps.clone();
    deps.sort();
    let mut text = format!(
        "{CONTRACT}\nname {}\nversion {}\nfingerprint {}\nsource {}\nstemcell {}\nroot {}\narch {}\n",
        k.name,
        k.version,
        k.fingerprint,
        k.source_digest,
        k.stemcell,
        k.root_id,
        std::env::consts::ARCH
    );
    for (n, key) in deps {
        text.push_str(&format!("dep {n} {key}\n"));
    }
    Digest::of_bytes(Algo::Sha256, text.as_bytes())
        .hex()
        .to_string()
}

pub struct Cache {
    dir: PathBuf,
    remote: Option<ObjectBlobstore>,
}

impl Cache {
    pub fn open(dir: &Path, remote: Option<ObjectBlobstore>) -> Result<Cache> {
        fs::create_dir_all(dir).map_err(|e| Error::io("mkdir", dir, &e))?;
        Ok(Cache {
            dir: dir.to_path_buf(),
            remote,
        })
    }

    fn tgz(&self, key: &str) -> PathBuf {
        self.dir.join(format!("{key}.tgz"))
    }

    fn json(&self, key: &str) -> PathBuf {
        self.dir.join(format!("{key}.json"))
    }

    /// Whether a local entry exists, without checking it (for scheduling estimates).
    pub fn has_local(&self, key: &str) -> bool {
        self.json(key).is_file()
    }

    /// The verified entry for `key`: local first, then the shared bucket. An entry whose
    /// bytes do not match its recorded digest is deleted and counts as a miss; the warning
    /// says so.
    pub fn lookup(&self, key: &str, warn: &dyn Fn(&str)) -> Result<Option<Entry>> {
        if let Some(e) = self.local(key, warn)? {
            tracing::debug!(key, "compile cache hit (local)");
            return Ok(Some(e));
        }
        let Some(remote) = &self.remote else {
            tracing::debug!(key, "compile cache miss");
            return Ok(None);
        };
        let tmp_json = self.temp_path("json")?;
        if !remote.get_if_present(&format!("{key}.json"), &tmp_json)? {
            tracing::debug!(key, remote = %remote.shown(), "compile cache miss (local and remote)");
            return Ok(None);
        }
        let tmp_tgz = self.temp_path("tgz")?;
        if !remote.get_if_present(&format!("{key}.tgz"), &tmp_tgz)? {
            let _ = fs::remove_file(&tmp_json);
            return Ok(None);
        }
        let meta: Meta = read_meta(&tmp_json)?;
        if !matches(&tmp_tgz, &meta.digest)? {
            warn(&format!(
                "{} in {}: digest differs from {}; compiling it again",
                format_args!("{key}.tgz"),
                remote.shown(),
                meta.digest
            ));
            let _ = fs::remove_file(&tmp_tgz);
            let _ = fs::remove_file(&tmp_json);
            return Ok(None);
        }
        fs::rename(&tmp_tgz, self.tgz(key)).map_err(|e| Error::io("rename", &tmp_tgz, &e))?;
        fs::rename(&tmp_json, self.json(key)).map_err(|e| Error::io("rename", &tmp_json, &e))?;
        tracing::debug!(key, remote = %remote.shown(), "compile cache hit (remote)");
        Ok(Some(Entry {
            path: self.tgz(key),
            meta,
        }))
    }

    fn local(&self, key: &str, warn: &dyn Fn(&str)) -> Result<Option<Entry>> {
        let json = self.json(key);
        if !json.is_file() {
            return Ok(None);
        }
        let meta = read_meta(&json)?;
        let tgz = self.tgz(key);
        if !tgz.is_file() || !matches(&tgz, &meta.digest)? {
            warn(&format!(
                "cached {} for package '{}' is missing or does not match {}; compiling it again",
                tgz.display(),
                meta.name,
                meta.digest
            ));
            let _ = fs::remove_file(&json);
            let _ = fs::remove_file(&tgz);
            return Ok(None);
        }
        Ok(Some(Entry { path: tgz, meta }))
    }

    /// A path for a file that becomes an entry by rename (same file system).
    pub fn temp_path(&self, ext: &str) -> Result<PathBuf> {
        let f = tempfile::Builder::new()
            .prefix(".tmp-")
            .suffix(&format!(".{ext}"))
            .tempfile_in(&self.dir)
            .map_err(|e| Error::io("create temp file in", &self.dir, &e))?;
        let (_, p) = f.keep().map_err(|e| Error::msg(e.to_string()))?;
        Ok(p)
    }

    /// Makes `tgz` (a temp path of this cache) the entry for `key`, then shares it.
    pub fn store(&self, key: &str, tgz: &Path, meta: Meta) -> Result<Entry> {
        let dest = self.tgz(key);
        fs::rename(tgz, &dest).map_err(|e| Error::io("rename", tgz, &e))?;
        let text = serde_json::to_string_pretty(&meta).expect("meta serializes");
        atomic::write(&self.json(key), text.as_bytes())?;
        if let Some(remote) = self.remote.as_ref().filter(|r| !r.read_only()) {
            remote.put(&format!("{key}.tgz"), &dest)?;
            remote.put(&format!("{key}.json"), &self.json(key))?;
        }
        Ok(Entry { path: dest, meta })
    }

    /// Removes temp files left by runs that were killed.
    pub fn sweep(&self) {
        if let Ok(rd) = fs::read_dir(&self.dir) {
            for e in rd.flatten() {
                if e.file_name().to_string_lossy().starts_with(".tmp-") {
                    let _ = fs::remove_file(e.path());
                }
            }
        }
    }
}

fn read_meta(path: &Path) -> Result<Meta> {
    let text = fs::read_to_string(path).map_err(|e| Error::io("read", path, &e))?;
    serde_json::from_str(&text).map_err(|e| {
        Error::msg(format!(
            "{}: {e}; delete it to compile the package again",
            path.display()
        ))
    })
}

fn matches(path: &Path, digest: &str) -> Result<bool> {
    let want: Digest = digest.parse()?;
    let got = Digest::of_file(want.algo(), path).map_err(|e| Error::io("read", path, &e))?;
    Ok(got == want)
}

/// Last known compile time of each package, by name: the scheduler's estimate for packages
/// not yet in the cache.
pub struct Times {
    path: PathBuf,
    pub seconds: BTreeMap<String, f64>,
}

impl Times {
    pub fn load(dir: &Path) -> Times {
        let path = dir.join("times.json");
        let seconds = fs::read_to_string(&path)
            .ok()
            .and_then(|t| serde_json::from_str(&t).ok())
            .unwrap_or_default();
        Times { path, seconds }
    }

    /// Best effort: losing it only makes the next estimate worse.
    pub fn save(&self) {
        if let Ok(text) = serde_json::to_string_pretty(&self.seconds) {
            let _ = atomic::write(&self.path, text.as_bytes());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input<'a>(deps: Vec<(&'a str, &'a str)>) -> KeyInput<'a> {
        KeyInput {
            name: "app",
            version: "1",
            fingerprint: "f",
            source_digest: "sha256:aa",
            stemcell: "ubuntu-jammy/1.406",
            root_id: "host",
            deps,
        }
    }

    #[test]
    fn keys_change_with_dependencies_and_ignore_their_order() {
        let a = key(&input(vec![("x", "k1"), ("y", "k2")]));
        assert_eq!(a, key(&input(vec![("y", "k2"), ("x", "k1")])));
        assert_ne!(a, key(&input(vec![("x", "k1"), ("y", "k3")])));
        let mut other = input(vec![("x", "k1"), ("y", "k2")]);
        other.stemcell = "ubuntu-noble/1.1";
        assert_ne!(a, key(&other));
    }

    #[test]
    fn a_tampered_entry_is_a_miss_and_is_removed() {
        let dir = tempfile::tempdir().unwrap();
        let cache = Cache::open(dir.path(), None).unwrap();
        let tmp = cache.temp_path("tgz").unwrap();
        fs::write(&tmp, b"compiled").unwrap();
        let meta = Meta {
            name: "app".into(),
            version: "1".into(),
            fingerprint: "f".into(),
            stemcell: "s/1".into(),
            dependency_key: "[]".into(),
            digest: Digest::of_bytes(Algo::Sha256, b"compiled").to_string(),
            size: 8,
            seconds: 1.0,
            compiled_by: None,
            compiled_at: None,
            host_rootfs: None,
        };
        let e = cache.store("k", &tmp, meta).unwrap();
        let none = |_: &str| {};
        assert!(cache.lookup("k", &none).unwrap().is_some());
        fs::write(&e.path, b"tampered").unwrap();
        let warned = std::cell::RefCell::new(String::new());
        let warn = |s: &str| warned.borrow_mut().push_str(s);
        assert!(cache.lookup("k", &warn).unwrap().is_none());
        assert!(warned.borrow().contains("does not match"));
        assert!(!cache.has_local("k"));
    }
}
