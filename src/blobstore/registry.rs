//! The server's record of releases and stemcells, in one redb file (`registry.redb` in the
//! store directory). redb is pure Rust (no C toolchain on CI or in a stemcell), and a commit
//! is atomic and checksummed: a server killed mid-write reopens with the registry exactly as
//! the last commit left it. Records point at content-addressed objects, which are always
//! written (and verified) before the record that names them is committed.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use redb::{Database, ReadableDatabase, ReadableTable, TableDefinition};
use serde::{Deserialize, Serialize};

use crate::manifest::release_mf::ReleaseManifest;
use crate::provider::ObjectId;

const RELEASES: TableDefinition<&str, &[u8]> = TableDefinition::new("releases");
const STEMCELLS: TableDefinition<&str, &[u8]> = TableDefinition::new("stemcells");
/// Facts about the server itself, such as the uuid the director API reports.
const META: TableDefinition<&str, &[u8]> = TableDefinition::new("meta");

/// A registered release: its release.MF as uploaded, and the object of each archive.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReleaseRecord {
    pub name: String,
    pub version: String,
    pub manifest: String,
    /// `(entry, object id)`: `jobs/x.tgz`, `packages/y.tgz`, `compiled_packages/z.tgz`,
    /// `license.tgz`.
    pub objects: Vec<(String, String)>,
    pub uploaded_at: u64,
}

/// A registered stemcell: the tarball itself is one object.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StemcellRecord {
    pub name: String,
    pub version: String,
    pub operating_system: String,
    /// The image's SHA-1, as stemcell.MF gives it.
    pub sha1: String,
    pub api_version: Option<u64>,
    pub formats: Vec<String>,
    /// The tarball's content address.
    pub object: String,
    pub size: u64,
    pub uploaded_at: u64,
}

impl ReleaseRecord {
    pub fn manifest(&self) -> Option<ReleaseManifest> {
        ReleaseManifest::parse(Path::new("release.MF"), &self.manifest).ok()
    }
}

pub struct Registry {
    db: Database,
}

/// Why the registry could not be read or written. A server answers 500 with it; nothing
/// here is the client's fault.
#[derive(Debug, thiserror::Error)]
pub enum RegistryError {
    #[error("{}: {source}", path.display())]
    Open {
        path: PathBuf,
        #[source]
        source: redb::DatabaseError,
    },
    #[error("registry: {0}")]
    Db(#[from] redb::Error),
    /// A record that does not (de)serialize: written by an incompatible bale.
    #[error("registry: {0}")]
    Record(#[from] serde_json::Error),
}

pub type DbResult<T> = std::result::Result<T, RegistryError>;

fn key(name: &str, version: &str) -> String {
    format!("{name}/{version}")
}

fn db_err(e: impl Into<redb::Error>) -> RegistryError {
    RegistryError::Db(e.into())
}

/// A release.MF digest that names no object.
#[derive(Debug, thiserror::Error)]
#[error("release.MF {entry}: {source}")]
pub struct ObjectsError {
    /// The archive whose digest is refused (`jobs/x.tgz`).
    pub entry: String,
    #[source]
    pub source: crate::digest::DigestError,
}

impl Registry {
    pub fn open(path: &Path) -> DbResult<Registry> {
        let db = Database::create(path).map_err(|source| RegistryError::Open {
            path: path.to_path_buf(),
            source,
        })?;
        let tx = db.begin_write().map_err(db_err)?;
        tx.open_table(RELEASES).map_err(db_err)?;
        tx.open_table(STEMCELLS).map_err(db_err)?;
        tx.open_table(META).map_err(db_err)?;
        tx.commit().map_err(db_err)?;
        Ok(Registry { db })
    }

    /// The value `make` gives the first time `key` is asked for, kept from then on.
    pub fn meta_or_insert(&self, key: &str, make: impl FnOnce() -> String) -> DbResult<String> {
        if let Some(v) = self.one::<String>(META, key)? {
            return Ok(v);
        }
        let v = make();
        self.put(META, key, &v)?;
        Ok(v)
    }

    fn all<T: for<'de> Deserialize<'de>>(
        &self,
        table: TableDefinition<&str, &[u8]>,
    ) -> DbResult<Vec<T>> {
        let tx = self.db.begin_read().map_err(db_err)?;
        let t = tx.open_table(table).map_err(db_err)?;
        let mut out = Vec::new();
        for row in t.iter().map_err(db_err)? {
            let (_, v) = row.map_err(db_err)?;
            out.push(serde_json::from_slice(v.value())?);
        }
        Ok(out)
    }

    fn one<T: for<'de> Deserialize<'de>>(
        &self,
        table: TableDefinition<&str, &[u8]>,
        k: &str,
    ) -> DbResult<Option<T>> {
        let tx = self.db.begin_read().map_err(db_err)?;
        let t = tx.open_table(table).map_err(db_err)?;
        match t.get(k).map_err(db_err)? {
            Some(v) => Ok(Some(serde_json::from_slice(v.value())?)),
            None => Ok(None),
        }
    }

    fn put<T: Serialize>(
        &self,
        table: TableDefinition<&str, &[u8]>,
        k: &str,
        v: &T,
    ) -> DbResult<()> {
        let bytes = serde_json::to_vec(v)?;
        let tx = self.db.begin_write().map_err(db_err)?;
        {
            let mut t = tx.open_table(table).map_err(db_err)?;
            t.insert(k, bytes.as_slice()).map_err(db_err)?;
        }
        tx.commit().map_err(db_err)
    }

    /// Removes the rows whose key is `k` or, with `prefix`, starts with `k/`; returns them.
    fn remove<T: for<'de> Deserialize<'de>>(
        &self,
        table: TableDefinition<&str, &[u8]>,
        k: &str,
        prefix: bool,
    ) -> DbResult<Vec<T>> {
        let tx = self.db.begin_write().map_err(db_err)?;
        let mut gone = Vec::new();
        {
            let mut t = tx.open_table(table).map_err(db_err)?;
            let keys: Vec<String> = if prefix {
                let start = format!("{k}/");
                let mut keys = Vec::new();
                for row in t.range(start.as_str()..).map_err(db_err)? {
                    let (rk, _) = row.map_err(db_err)?;
                    let rk = rk.value().to_string();
                    if !rk.starts_with(&start) {
                        break;
                    }
                    keys.push(rk);
                }
                keys
            } else {
                vec![k.to_string()]
            };
            for rk in keys {
                if let Some(v) = t.remove(rk.as_str()).map_err(db_err)? {
                    gone.push(serde_json::from_slice(v.value())?);
                }
            }
        }
        tx.commit().map_err(db_err)?;
        Ok(gone)
    }

    pub fn releases(&self) -> DbResult<Vec<ReleaseRecord>> {
        self.all(RELEASES)
    }

    pub fn release(&self, name: &str, version: &str) -> DbResult<Option<ReleaseRecord>> {
        self.one(RELEASES, &key(name, version))
    }

    pub fn put_release(&self, r: &ReleaseRecord) -> DbResult<()> {
        self.put(RELEASES, &key(&r.name, &r.version), r)
    }

    /// Every version of `name`, or just `name/version`.
    pub fn delete_release(
        &self,
        name: &str,
        version: Option<&str>,
    ) -> DbResult<Vec<ReleaseRecord>> {
        match version {
            Some(v) => self.remove(RELEASES, &key(name, v), false),
            None => self.remove(RELEASES, name, true),
        }
    }

    pub fn stemcells(&self) -> DbResult<Vec<StemcellRecord>> {
        self.all(STEMCELLS)
    }

    pub fn stemcell(&self, name: &str, version: &str) -> DbResult<Option<StemcellRecord>> {
        self.one(STEMCELLS, &key(name, version))
    }

    pub fn put_stemcell(&self, s: &StemcellRecord) -> DbResult<()> {
        self.put(STEMCELLS, &key(&s.name, &s.version), s)
    }

    pub fn delete_stemcell(&self, name: &str, version: &str) -> DbResult<Vec<StemcellRecord>> {
        self.remove(STEMCELLS, &key(name, version), false)
    }

    /// Who names object `id`: `release NAME/VERSION` and `stemcell NAME/VERSION`, sorted.
    pub fn users_of(&self, id: &str) -> DbResult<Vec<String>> {
        let mut users: Vec<String> = self
            .releases()?
            .into_iter()
            .filter(|r| r.objects.iter().any(|(_, o)| o == id))
            .map(|r| format!("release {}/{}", r.name, r.version))
            .collect();
        users.extend(
            self.stemcells()?
                .into_iter()
                .filter(|s| s.object == id)
                .map(|s| format!("stemcell {}/{}", s.name, s.version)),
        );
        users.sort();
        Ok(users)
    }

    /// Every object some record names: what a delete must keep.
    pub fn referenced(&self) -> DbResult<BTreeSet<String>> {
        let mut set: BTreeSet<String> = self
            .releases()?
            .into_iter()
            .flat_map(|r| r.objects.into_iter().map(|(_, o)| o))
            .collect();
        set.extend(self.stemcells()?.into_iter().map(|s| s.object));
        Ok(set)
    }
}

/// The object ids a release's archives must have, from release.MF alone: every archive is
/// stored under its digest, so the manifest names its objects.
pub fn release_objects(
    m: &ReleaseManifest,
) -> std::result::Result<Vec<(String, ObjectId)>, ObjectsError> {
    let mut out = Vec::new();
    let mut add = |entry: String, sha: &str| -> std::result::Result<(), ObjectsError> {
        let d: crate::digest::MultiDigest = match sha.parse() {
            Ok(d) => d,
            Err(source) => return Err(ObjectsError { entry, source }),
        };
        out.push((entry, ObjectId::for_digest(d.strongest())));
        Ok(())
    };
    for j in &m.jobs {
        add(format!("jobs/{}.tgz", j.name), &j.sha1)?;
    }
    for p in &m.packages {
        add(format!("packages/{}.tgz", p.name), &p.sha1)?;
    }
    for p in &m.compiled_packages {
        add(format!("compiled_packages/{}.tgz", p.name), &p.sha1)?;
    }
    if let Some(l) = &m.license {
        add("license.tgz".into(), &l.sha1)?;
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rel(name: &str, version: &str, objects: &[&str]) -> ReleaseRecord {
        ReleaseRecord {
            name: name.into(),
            version: version.into(),
            manifest: String::new(),
            objects: objects
                .iter()
                .map(|o| (format!("jobs/{o}.tgz"), o.to_string()))
                .collect(),
            uploaded_at: 0,
        }
    }

    #[test]
    fn records_survive_reopening_and_deletes_match_whole_names() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("registry.redb");
        {
            let r = Registry::open(&path).unwrap();
            r.put_release(&rel("app", "1", &["a", "b"])).unwrap();
            r.put_release(&rel("app", "2", &["b", "c"])).unwrap();
            r.put_release(&rel("app-extra", "1", &["d"])).unwrap();
        }
        let r = Registry::open(&path).unwrap();
        assert_eq!(r.releases().unwrap().len(), 3);
        assert_eq!(
            r.release("app", "2").unwrap(),
            Some(rel("app", "2", &["b", "c"]))
        );
        assert_eq!(r.users_of("b").unwrap(), ["release app/1", "release app/2"]);
        let gone = r.delete_release("app", None).unwrap();
        assert_eq!(gone.len(), 2, "app/1 and app/2, not app-extra/1");
        let left: Vec<String> = r.referenced().unwrap().into_iter().collect();
        assert_eq!(left, vec!["d".to_string()]);
        assert!(r.delete_release("app", Some("9")).unwrap().is_empty());
        assert!(r.users_of("b").unwrap().is_empty());
    }
}
