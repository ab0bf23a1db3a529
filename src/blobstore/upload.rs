//! `upload-release` and `upload-stemcell`. A release tarball is read once: the verifier checks
//! every digest and fingerprint while the archives the server lacks stream to it (each under
//! its content address, which the server checks again); the release is registered only when
//! the whole tarball verified. A release the server already has moves no archive bytes,
//! unless an object it names went missing from the store: that one is sent again.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use serde::Serialize;

use super::client::{Registered, Target};
use super::registry::release_objects;
use super::wire::StemcellUpload;
use crate::archive;
use crate::digest::Algo;
use crate::digest_cache::DigestCache;
use crate::error::{Error, Result};
use crate::manifest::release_mf::ReleaseManifest;
use crate::provider::{runtime, ObjectId};
use crate::verify::{self, Report, Tap};

#[derive(Debug, Clone, Serialize)]
pub struct Uploaded {
    pub name: String,
    pub version: String,
    /// `created`, `exists` (nothing to do), `repaired` (registered already, objects lost from
    /// the store sent again), `replaced` (`--fix`).
    pub status: String,
    pub objects_sent: usize,
    pub bytes_sent: u64,
    /// Archives the server already held (same digest, any release).
    pub objects_reused: usize,
    /// Digests, fingerprints and rules the verifier checked (0 when nothing was read).
    pub checks: usize,
}

impl Uploaded {
    /// Nothing sent yet.
    pub fn new(name: &str, version: &str) -> Uploaded {
        Uploaded {
            name: name.to_string(),
            version: version.to_string(),
            status: String::new(),
            objects_sent: 0,
            bytes_sent: 0,
            objects_reused: 0,
            checks: 0,
        }
    }
}

/// A manifest of a tarball, read without reading the rest.
fn manifest_text(path: &Path, name: &str, kind: &str) -> Result<String> {
    archive::read_text_entry(path, name)
        .map_err(|e| {
            Error::msg(format!(
                "{}: not a readable {kind} tarball: {e}",
                path.display()
            ))
        })?
        .ok_or_else(|| {
            Error::msg(format!(
                "{}: no {name} in the tarball (is it a {kind}?)",
                path.display()
            ))
        })
}

/// Sends the archives the server lacks while the verifier reads them.
struct Sender<'a> {
    target: &'a Target,
    /// entry → object id, for archives to send.
    wanted: BTreeMap<String, ObjectId>,
    sent_ids: BTreeSet<String>,
    current: Option<InFlight>,
    buf: Vec<u8>,
    error: Option<Error>,
    objects: usize,
    bytes: u64,
}

struct InFlight {
    tx: tokio::sync::mpsc::Sender<std::io::Result<bytes::Bytes>>,
    handle: tokio::task::JoinHandle<Result<()>>,
}

const CHUNK: usize = 1 << 20;

impl<'a> Sender<'a> {
    /// Sends the entries `wanted` names, each under its object id.
    fn new(target: &'a Target, wanted: BTreeMap<String, ObjectId>) -> Sender<'a> {
        Sender {
            target,
            wanted,
            sent_ids: BTreeSet::new(),
            current: None,
            buf: Vec::new(),
            error: None,
            objects: 0,
            bytes: 0,
        }
    }

    fn flush(&mut self) {
        if self.buf.is_empty() {
            return;
        }
        let chunk = bytes::Bytes::from(std::mem::take(&mut self.buf));
        self.bytes += chunk.len() as u64;
        if let Some(f) = &self.current {
            // A closed channel means the request already failed; `end` collects why.
            let _ = f.tx.blocking_send(Ok(chunk));
        }
    }
}

impl Tap for Sender<'_> {
    fn begin(&mut self, entry: &str, size: u64) {
        let Some(id) = self.wanted.get(entry).cloned() else {
            return;
        };
        // Two entries with the same bytes go up once.
        if self.error.is_some() || !self.sent_ids.insert(id.as_str().to_string()) {
            return;
        }
        let (tx, rx) = tokio::sync::mpsc::channel(4);
        let stream =
            futures::stream::unfold(rx, |mut rx| async move { rx.recv().await.map(|c| (c, rx)) });
        let handle = self
            .target
            .spawn_put(&id, size, reqwest::Body::wrap_stream(stream));
        self.current = Some(InFlight { tx, handle });
        self.buf = Vec::with_capacity(CHUNK);
    }

    fn data(&mut self, bytes: &[u8]) {
        if self.current.is_none() {
            return;
        }
        self.buf.extend_from_slice(bytes);
        if self.buf.len() >= CHUNK {
            self.flush();
        }
    }

    fn end(&mut self) {
        self.flush();
        let Some(f) = self.current.take() else {
            return;
        };
        drop(f.tx);
        let res = runtime()
            .block_on(f.handle)
            .unwrap_or_else(|e| Err(Error::msg(format!("upload task: {e}"))));
        match res {
            Ok(()) => self.objects += 1,
            Err(e) => {
                self.error.get_or_insert(e);
            }
        }
    }
}

fn failed(report: &Report, what: &str) -> Error {
    let lines: Vec<String> = report
        .findings
        .iter()
        .filter(|f| f.severity == verify::Severity::Error)
        .map(|f| format!("  {f}"))
        .collect();
    Error::msg(format!(
        "{} failed verification, nothing was registered:\n{}",
        what,
        lines.join("\n")
    ))
}

/// Whether `name/version` is registered and every object it names is stored: an upload from a
/// URL may then skip the download.
pub fn release_is_whole(target: &Target, name: &str, version: &str) -> Result<bool> {
    let Some(info) = target.release(name, version)? else {
        return Ok(false);
    };
    let ids: Vec<String> = info
        .jobs
        .iter()
        .chain(&info.packages)
        .chain(&info.compiled_packages)
        .map(|a| a.object.clone())
        .chain(info.license_object.clone())
        .collect();
    Ok(target.missing(&ids)?.is_empty())
}

/// Uploads a release tarball. `fix` re-sends every archive and replaces a registered
/// release of the same name and version.
pub fn upload_release(
    target: &Target,
    tarball: &Path,
    fix: bool,
    report: &dyn Fn(&str),
) -> Result<Uploaded> {
    let text = manifest_text(tarball, "release.MF", "release")?;
    let m = ReleaseManifest::parse(&tarball.join("release.MF"), &text)
        .map_err(|e| Error::msg(e.to_string()))?;
    let mut up = Uploaded::new(&m.name, &m.version);
    // Registered already: only a repair of objects lost from the store, if any.
    let mut repair = false;
    if !fix {
        if let Some(have) = target.release(&m.name, &m.version)? {
            if !have.holds(&m) {
                return Err(Error::msg(format!(
                    "Release '{}/{}' already exists in {} with other contents; upload it under another version, or with --fix to replace it",
                    m.name,
                    m.version,
                    target.url()
                )));
            }
            repair = true;
        }
    }
    let objects = release_objects(&m).map_err(Error::msg)?;
    let ids: Vec<String> = objects
        .iter()
        .map(|(_, id)| id.as_str().to_string())
        .collect();
    let missing: BTreeSet<String> = if fix {
        ids.iter().cloned().collect()
    } else {
        target.missing(&ids)?.into_iter().collect()
    };
    let distinct: BTreeSet<&String> = ids.iter().collect();
    if repair && missing.is_empty() {
        up.status = "exists".into();
        return Ok(up);
    }
    up.objects_reused = distinct.len() - missing.len();
    report(&format!(
        "{} release '{}/{}': {} of {} archives to send",
        if repair {
            "Already registered, but the blobstore lacks archives; verifying and re-sending for"
        } else {
            "Verifying and uploading"
        },
        m.name,
        m.version,
        missing.len(),
        distinct.len()
    ));
    let mut sender = Sender::new(
        target,
        objects
            .into_iter()
            .filter(|(_, id)| missing.contains(id.as_str()))
            .collect(),
    );
    let verified = verify::verify_release_tapped(tarball, &mut sender)?;
    // An interrupted stream (the verifier stopped mid-archive) must not linger.
    if let Some(f) = sender.current.take() {
        f.handle.abort();
    }
    up.objects_sent = sender.objects;
    up.bytes_sent = sender.bytes;
    up.checks = verified.checks;
    if !verified.ok() {
        return Err(failed(&verified, &tarball.display().to_string()));
    }
    if matches!(verified.artifact, verify::Artifact::Stemcell) {
        return Err(Error::msg(format!(
            "{} is a stemcell: use upload-stemcell",
            tarball.display()
        )));
    }
    if let Some(e) = sender.error {
        return Err(e);
    }
    let mut retried = false;
    loop {
        match target.register_release(&text, fix)? {
            Registered::Done(o) => {
                up.status = if repair { "repaired".into() } else { o.status };
                return Ok(up);
            }
            // Another client deleted a release sharing these objects between our question
            // and our registration: send them and try once more.
            Registered::Missing(ids) if !retried => {
                retried = true;
                let mut again = Sender::new(
                    target,
                    release_objects(&m)
                        .map_err(Error::msg)?
                        .into_iter()
                        .filter(|(_, id)| ids.iter().any(|i| i == id.as_str()))
                        .collect(),
                );
                verify::verify_release_tapped(tarball, &mut again)?;
                if let Some(e) = again.error {
                    return Err(e);
                }
                up.objects_sent += again.objects;
                up.bytes_sent += again.bytes;
            }
            Registered::Missing(ids) => {
                return Err(Error::msg(format!(
                    "{} lacks objects the release needs and the tarball does not hold them: {}",
                    target.url(),
                    ids.join(", ")
                )))
            }
        }
    }
}

/// Uploads a stemcell tarball: verified here (and again by a server that stores objects on
/// disk), stored once under its SHA-256, registered by name and version.
pub fn upload_stemcell(
    target: &Target,
    tarball: &Path,
    fix: bool,
    report: &dyn Fn(&str),
) -> Result<Uploaded> {
    let mf = manifest_text(tarball, "stemcell.MF", "stemcell")?;
    let m = crate::stemcell::manifest::StemcellManifest::parse(&tarball.join("stemcell.MF"), &mf)?;
    let cache = DigestCache::open(&DigestCache::file_for(
        tarball.parent().unwrap_or(Path::new(".")),
    ));
    let digest = cache
        .digest(tarball, Algo::Sha256)
        .map_err(|e| Error::io("read", tarball, &e))?;
    cache.save();
    let id = ObjectId::for_digest(&digest);
    let field = |k: &str| m.str(k).unwrap_or_default();
    let (name, version) = (field("name"), field("version"));
    let mut up = Uploaded::new(&name, &version);
    let mut repair = false;
    if !fix {
        if let Some(have) = target.stemcell(&name, &version)? {
            if have.object != id.as_str() {
                return Err(Error::msg(format!(
                    "Stemcell '{name}/{version}' already exists in {} with other contents ({} there, {} here); upload it with --fix to replace it",
                    target.url(),
                    have.object,
                    id.as_str()
                )));
            }
            if target
                .missing(std::slice::from_ref(&have.object))?
                .is_empty()
            {
                up.status = "exists".into();
                return Ok(up);
            }
            // Registered, but the tarball was lost from the store: send it again.
            repair = true;
        }
    }
    report(&format!("Verifying stemcell '{name}/{version}'"));
    let verified = verify::verify_release(tarball)?;
    up.checks = verified.checks;
    if verified.artifact != verify::Artifact::Stemcell {
        return Err(Error::msg(format!(
            "{} is not a stemcell tarball (no stemcell.MF): use upload-release for releases",
            tarball.display()
        )));
    }
    if !verified.ok() {
        return Err(failed(&verified, &tarball.display().to_string()));
    }
    let size = std::fs::metadata(tarball)
        .map_err(|e| Error::io("stat", tarball, &e))?
        .len();
    if fix || !target.missing(&[id.as_str().to_string()])?.is_empty() {
        report(&format!(
            "Uploading stemcell '{name}/{version}' ({size} bytes)"
        ));
        target.put_file(&id, tarball)?;
        up.objects_sent = 1;
        up.bytes_sent = size;
    } else {
        up.objects_reused = 1;
    }
    let reg = StemcellUpload {
        name,
        version,
        operating_system: m.str("operating_system").unwrap_or_else(|| field("name")),
        sha1: field("sha1"),
        api_version: m.api_version(),
        formats: m.formats(),
        object: id.as_str().to_string(),
    };
    match target.register_stemcell(&reg, fix)? {
        Registered::Done(o) => up.status = if repair { "repaired".into() } else { o.status },
        Registered::Missing(_) => {
            // Deleted between our question and the registration: send it once more.
            target.put_file(&id, tarball)?;
            up.objects_sent += 1;
            up.bytes_sent += size;
            match target.register_stemcell(&reg, fix)? {
                Registered::Done(o) => up.status = o.status,
                Registered::Missing(ids) => {
                    return Err(Error::msg(format!(
                        "{} keeps losing {}: another client is deleting it",
                        target.url(),
                        ids.join(", ")
                    )))
                }
            }
        }
    }
    Ok(up)
}
