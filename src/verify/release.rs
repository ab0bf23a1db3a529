//! Verifying a release or stemcell tarball in one pass: the outer stream is read once; each
//! inner archive is hashed as it streams by, and its bytes go on to a worker thread
//! (`archives`) that inflates it and hashes its files, so the job, package and license
//! fingerprints can be recomputed while the reader moves on to the next archive.

use std::collections::{BTreeMap, BTreeSet};
use std::io::{self, Read};
use std::path::{Path, PathBuf};

use super::archives::{read_full, ArchiveError, ChannelReader, FileHasher, Inner};
use super::structure::structure;
use super::{finding, warning, Artifact, Report};
use crate::archive::{self, EntryInfo, EntryKind, EntryVisitor, Limits, VisitError};
use crate::digest::{Algo, Digest, Hasher, MultiDigest};
use crate::digest_cache::DigestCache;
use crate::error::Result;
use crate::fingerprint::{self, FileItem, Source, Symlinks};
use crate::manifest::job_spec::{template_entry, TemplateEntryError};
use crate::manifest::release_mf::ReleaseManifest;
use crate::stemcell;

/// Sees each inner archive's bytes as the verifier reads them, so a caller can send them
/// somewhere (`upload-release`) in the same pass that checks them: the tarball is read once.
pub trait Tap {
    fn begin(&mut self, entry: &str, size: u64);
    fn data(&mut self, bytes: &[u8]);
    fn end(&mut self);
}

struct NoTap;

impl Tap for NoTap {
    fn begin(&mut self, _: &str, _: u64) {}
    fn data(&mut self, _: &[u8]) {}
    fn end(&mut self) {}
}

struct Visitor<'t> {
    tap: &'t mut dyn Tap,
    /// Archives whose files are still being hashed: name, archive digests, worker.
    pending: std::collections::VecDeque<(String, Vec<Digest>, std::thread::JoinHandle<Inner>)>,
    /// Chunks workers are done with, refilled by the reader: no allocation in steady state.
    pool: (
        std::sync::mpsc::Sender<Vec<u8>>,
        std::sync::mpsc::Receiver<Vec<u8>>,
    ),
    label: PathBuf,
    manifest_text: Option<String>,
    algos: Vec<Algo>,
    inner: BTreeMap<String, Inner>,
    /// Stemcell entries (stemcell.MF, image) are scanned in the same pass.
    stemcell: stemcell::Scanner,
}

fn is_inner(name: &str) -> bool {
    name == "license.tgz"
        || ["jobs/", "packages/", "compiled_packages/"]
            .iter()
            .any(|d| {
                name.strip_prefix(d)
                    .is_some_and(|n| n.ends_with(".tgz") && !n.contains('/'))
            })
}

impl EntryVisitor for Visitor<'_> {
    fn entry(
        &mut self,
        info: &EntryInfo,
        data: &mut dyn Read,
    ) -> std::result::Result<(), VisitError> {
        if info.kind != EntryKind::File {
            return self.stemcell.entry(info, data);
        }
        if info.name == "release.MF" {
            let s = crate::manifest::yaml::read_capped(
                data,
                Path::new("release.MF"),
                crate::manifest::yaml::MAX_MANIFEST_BYTES,
            )
            .map_err(VisitError::refuse)?;
            // Known before the archives (the CLI writes release.MF first): hash only what it uses.
            if let Ok(m) = ReleaseManifest::parse(Path::new("release.MF"), &s) {
                let mut algos = BTreeSet::new();
                let shas = m
                    .jobs
                    .iter()
                    .map(|j| &j.sha1)
                    .chain(m.packages.iter().map(|p| &p.sha1));
                for sha in shas
                    .chain(m.compiled_packages.iter().map(|p| &p.sha1))
                    .chain(m.license.iter().map(|l| &l.sha1))
                {
                    if let Ok(d) = sha.parse::<MultiDigest>() {
                        algos.insert(d.strongest().algo());
                    }
                }
                for fp in m
                    .jobs
                    .iter()
                    .map(|j| &j.fingerprint)
                    .chain(m.packages.iter().map(|p| &p.fingerprint))
                {
                    algos.insert(if fp.len() == 40 {
                        Algo::Sha1
                    } else {
                        Algo::Sha256
                    });
                }
                if !algos.is_empty() {
                    self.algos = algos.into_iter().collect();
                }
            }
            self.manifest_text = Some(s);
            return Ok(());
        }
        if !is_inner(&info.name) {
            return self.stemcell.entry(info, data);
        }
        // Two stages: this thread reads the outer stream, hashes the archive and feeds the
        // tap; a worker inflates the archive and hashes its files, and may still be at it
        // while this thread reads the next archive. Chunks pass through a bounded channel
        // (and come back for reuse), so memory stays at a few MiB whatever the sizes.
        self.tap.begin(&info.name, info.size);
        let mut hashers: Vec<Hasher> = self.algos.iter().map(|a| a.hasher()).collect();
        let (algos, label) = (self.algos.clone(), self.label.join(&info.name));
        let limits = Limits::for_size(info.size);
        let (tx, rx) = std::sync::mpsc::sync_channel::<Vec<u8>>(QUEUE);
        let back_tx = self.pool.0.clone();
        let worker = std::thread::spawn(move || {
            let mut r = ChannelReader {
                rx,
                back: back_tx,
                buf: Vec::new(),
                pos: 0,
            };
            let mut result = Inner::default();
            {
                let mut fh = FileHasher {
                    algos: &algos,
                    out: &mut result,
                };
                if let Err(e) = archive::read_stream(&mut r, &label, limits, &mut fh) {
                    result.error = Some(e.to_string());
                }
            }
            // Drain what the inner reader left (tar padding, or the rest after an error).
            let _ = io::copy(&mut r, &mut io::sink());
            result
        });
        let mut read: io::Result<()> = Ok(());
        loop {
            let mut buf = self.pool.1.try_recv().unwrap_or_else(|_| vec![0u8; CHUNK]);
            buf.resize(CHUNK, 0);
            match read_full(data, &mut buf) {
                Ok(0) => break,
                Ok(n) => {
                    buf.truncate(n);
                    for h in &mut hashers {
                        h.update(&buf);
                    }
                    self.tap.data(&buf);
                    // A worker that stopped early has its answer; keep hashing.
                    let _ = tx.send(buf);
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => {
                    read = Err(e);
                    break;
                }
            }
        }
        drop(tx);
        let digests = hashers.into_iter().map(Hasher::finish).collect();
        self.pending.push_back((info.name.clone(), digests, worker));
        if let Err(e) = read {
            self.join_all();
            // A read error of the outer stream while an entry is being read means the
            // archive itself is damaged.
            return Err(VisitError::refuse(ArchiveError::Truncated(e)));
        }
        self.tap.end();
        while self.pending.len() > workers() {
            self.join_oldest();
        }
        Ok(())
    }
}

const CHUNK: usize = 256 * 1024;
/// Chunks queued per archive (16 MiB): enough for the reader to finish a typical package and
/// move on while its worker is still inflating it.
const QUEUE: usize = 64;
/// Archives being inflated behind the reader at most: one per core beyond the reader's, and
/// at least two so the reader never waits on a single worker.
fn workers() -> usize {
    std::thread::available_parallelism()
        .map(|n| n.get().saturating_sub(1))
        .unwrap_or(1)
        .clamp(2, 8)
}

impl Visitor<'_> {
    fn join_oldest(&mut self) {
        if let Some((name, digests, worker)) = self.pending.pop_front() {
            let mut result = worker.join().unwrap_or_else(|_| Inner {
                error: Some("the archive worker failed".into()),
                ..Inner::default()
            });
            result.digests = digests;
            self.inner.insert(name, result);
        }
    }

    fn join_all(&mut self) {
        while !self.pending.is_empty() {
            self.join_oldest();
        }
    }
}

pub fn verify_release(path: &Path) -> Result<Report> {
    verify_release_tapped(path, &mut NoTap)
}

/// Verifies as `verify_release` does, handing every inner archive's bytes to `tap` too.
pub fn verify_release_tapped(path: &Path, tap: &mut dyn Tap) -> Result<Report> {
    verify_release_supplied(path, tap, &BTreeSet::new())
}

/// Verifies a release tarball that may leave out the archives in `supplied` (entries such as
/// `packages/app.tgz`): a client that was told the server holds them sends the rest only,
/// and the caller vouches for those from its own store. An archive that is present is
/// checked in full either way.
pub fn verify_release_supplied(
    path: &Path,
    tap: &mut dyn Tap,
    supplied: &BTreeSet<String>,
) -> Result<Report> {
    let mut v = Visitor {
        tap,
        pending: Default::default(),
        pool: std::sync::mpsc::channel(),
        label: path.to_path_buf(),
        manifest_text: None,
        algos: vec![Algo::Sha1, Algo::Sha256],
        inner: BTreeMap::new(),
        stemcell: stemcell::Scanner::new(path),
    };
    let mut report = Report {
        path: path.to_path_buf(),
        artifact: Artifact::Release,
        name: String::new(),
        version: String::new(),
        checks: 1,
        findings: Vec::new(),
    };
    let read = archive::read_entries(path, &mut v);
    v.join_all();
    if let Err(e) = read {
        report.findings.push(finding(
            "archive",
            "cannot be read safely",
            "a sound tar archive",
            e,
        ));
        return Ok(report);
    }
    let scan = v.stemcell.finish();
    if v.manifest_text.is_none() && (scan.manifest.is_some() || scan.manifest_error.is_some()) {
        return Ok(verify_stemcell(scan, report));
    }
    let Some(text) = v.manifest_text else {
        report.findings.push(finding(
            "release.MF",
            "missing",
            "release.MF or stemcell.MF",
            "neither",
        ));
        return Ok(report);
    };
    let m = match ReleaseManifest::parse(&path.join("release.MF"), &text) {
        Ok(m) => m,
        Err(e) => {
            report.findings.push(finding(
                "release.MF",
                "does not parse",
                "a release manifest",
                e,
            ));
            return Ok(report);
        }
    };
    report.name = m.name.clone();
    report.version = m.version.clone();
    if !m.compiled_packages.is_empty() {
        report.artifact = Artifact::CompiledRelease;
    }
    let mut f = Vec::new();
    let mut checks = 0;
    structure(&m, &mut f, &mut checks);

    let mut expected: Vec<Expected> = Vec::new();
    for j in &m.jobs {
        expected.push((
            format!("jobs/{}.tgz", j.name),
            &j.sha1,
            Some((&j.fingerprint, &[][..], Kind::Job)),
        ));
    }
    for p in &m.packages {
        expected.push((
            format!("packages/{}.tgz", p.name),
            &p.sha1,
            Some((&p.fingerprint, &p.dependencies[..], Kind::Package)),
        ));
    }
    for p in &m.compiled_packages {
        expected.push((format!("compiled_packages/{}.tgz", p.name), &p.sha1, None));
    }
    if let Some(l) = &m.license {
        expected.push((
            "license.tgz".into(),
            &l.sha1,
            Some((&l.fingerprint, &[][..], Kind::License)),
        ));
    }
    for (entry, sha1, fp) in &expected {
        checks += 1;
        let Some(inner) = v.inner.get(entry) else {
            if supplied.contains(entry) {
                continue;
            }
            f.push(finding(
                entry,
                "missing from the tarball",
                "present (listed in release.MF)",
                "absent",
            ));
            continue;
        };
        match sha1.parse::<MultiDigest>() {
            Err(e) => f.push(finding(
                entry,
                "release.MF digest does not parse",
                "a digest string",
                e,
            )),
            Ok(want) => {
                let want = want.strongest();
                match inner.digests.iter().find(|d| d.algo() == want.algo()) {
                    Some(got) if got == want => {}
                    Some(got) => f.push(finding(entry, "digest mismatch", want, got)),
                    None => f.push(finding(entry, "digest not computed", want, "-")),
                }
            }
        }
        if let Some(e) = &inner.error {
            f.push(finding(
                entry,
                "inner archive cannot be read safely",
                "a sound tar archive",
                e,
            ));
            continue;
        }
        if let (Some((_, _, Kind::Job)), Some(text)) = (fp, &inner.job_mf) {
            checks += 1;
            if let Err(e) = job_templates(entry, text) {
                f.push(finding(
                    &format!("{entry} job.MF"),
                    "templates entry leaves the job's directory",
                    "relative paths inside templates/ and the job directory",
                    e,
                ));
            }
        }
        if let Some((want, deps, kind)) = fp {
            checks += 1;
            let algo = if want.len() == 40 {
                Algo::Sha1
            } else {
                Algo::Sha256
            };
            let got = recompute(inner, algo, deps, *kind, &v.algos);
            if !got.iter().any(|g| g == want) {
                let actual = got.first().map(String::as_str).unwrap_or("-");
                if *kind == Kind::Package {
                    // A pre_packaging script is fingerprinted but not shipped, and what it
                    // generated is shipped but not fingerprinted: such a package cannot be
                    // re-fingerprinted from its archive. Its digest was still checked above.
                    f.push(warning(entry, "fingerprint does not match the archive's files (built with pre_packaging?)", want, actual));
                } else {
                    f.push(finding(entry, "fingerprint mismatch", want, actual));
                }
            }
        }
    }
    for name in v.inner.keys() {
        if !expected.iter().any(|(e, _, _)| e == name) {
            f.push(finding(
                name,
                "not listed in release.MF",
                "absent",
                "present",
            ));
        }
    }
    report.checks = checks;
    report.findings = f;
    Ok(report)
}

/// Checks every `templates:` source and destination of a job's spec as release authoring
/// does. A spec that does not parse is left to the fingerprint check.
fn job_templates(entry: &str, text: &[u8]) -> std::result::Result<(), TemplateEntryError> {
    let text = String::from_utf8_lossy(text);
    let path = PathBuf::from(format!("{entry}/job.MF"));
    let Ok(spec) = crate::manifest::yaml::from_str::<serde_json::Value>(&path, &text) else {
        return Ok(());
    };
    let Some(templates) = spec.get("templates").and_then(|t| t.as_object()) else {
        return Ok(());
    };
    for (src, dest) in templates {
        let dest = match dest {
            serde_json::Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        template_entry(src, &dest)?;
    }
    Ok(())
}

/// An inner archive release.MF lists: path, digest string, and what to re-fingerprint it
/// with (fingerprint, dependency names, kind); compiled packages have nothing to re-fingerprint.
type Expected<'a> = (String, &'a str, Option<(&'a str, &'a [String], Kind)>);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Job,
    Package,
    License,
}

/// Fingerprints of an inner archive's contents as the CLI would have computed them from the
/// source files; jobs are tried with and without `properties_schema.json`, which only newer
/// CLIs fingerprint.
fn recompute(
    inner: &Inner,
    algo: Algo,
    deps: &[String],
    kind: Kind,
    algos: &[Algo],
) -> Vec<String> {
    let Some(idx) = algos.iter().position(|a| *a == algo) else {
        return Vec::new();
    };
    let items = |skip_schema: bool| -> Vec<FileItem> {
        inner
            .files
            .iter()
            .filter(|(n, _, _)| !(skip_schema && n == "properties_schema.json"))
            .map(|(name, digests, mode)| FileItem {
                source: Source::Known(digests[idx].clone(), *mode),
                name: name.clone(),
                use_basename: kind == Kind::License,
                exclude_mode: kind == Kind::License
                    || (kind == Kind::Package && name == "packaging"),
            })
            .collect()
    };
    let cache = DigestCache::in_memory();
    let symlinks = if kind == Kind::Job {
        Symlinks::Follow
    } else {
        Symlinks::Keep
    };
    let mut out = Vec::new();
    for skip in [false, true] {
        if let Ok(fp) = fingerprint::fingerprint(algo, &items(skip), deps, symlinks, &cache) {
            out.push(fp);
        }
        if kind != Kind::Job {
            break;
        }
    }
    out
}

fn verify_stemcell(s: stemcell::Scan, mut report: Report) -> Report {
    report.artifact = Artifact::Stemcell;
    if let Some(m) = &s.manifest {
        report.name = m.str("name").unwrap_or_default();
        report.version = m.str("version").unwrap_or_default();
    }
    report.checks = 8;
    report.findings = stemcell::problems(&s)
        .into_iter()
        .map(|(what, want, got)| {
            if want == "a known format" {
                warning(
                    &what,
                    "unknown format (no CPI bale knows takes it)",
                    want,
                    got,
                )
            } else {
                finding(&what, "invalid", want, got)
            }
        })
        .collect();
    report
}
