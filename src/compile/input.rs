//! What `compile-release` compiles: a release tarball as given, or one made from a release
//! directory (its newest dev release when that still matches the sources, else a new dev
//! release, as `create-release` would make) or from a release manifest in `dev_releases/` or
//! `releases/`.

use std::collections::HashMap;
use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::layout::{ReleaseDir, Stage};
use crate::manifest::release_mf::ReleaseManifest;
use crate::release::{self, CreateOptions, CreateOutcome, ReleaseKind, Report};
use crate::verify::Tap;

/// A source release tarball, and the temp dir that holds it when bale made it.
pub struct Source {
    pub tarball: PathBuf,
    _dir: Option<tempfile::TempDir>,
}

pub fn resolve(path: &Path, report: Report) -> Result<Source> {
    let meta = std::fs::metadata(path).map_err(|e| Error::io("stat", path, &e))?;
    if meta.is_dir() {
        return from_dir(path, report);
    }
    if path.extension().is_some_and(|e| e == "yml" || e == "yaml") {
        let root = release_root(path).ok_or_else(|| {
            Error::msg(format!(
                "{}: a release manifest must lie in the dev_releases/ or releases/ folder of a release directory",
                path.display()
            ))
        })?;
        return rebuilt(&root, path);
    }
    Ok(Source {
        tarball: path.to_path_buf(),
        _dir: None,
    })
}

/// `<root>/dev_releases/<name>/<manifest>.yml` → `<root>`.
fn release_root(manifest: &Path) -> Option<PathBuf> {
    let abs = std::fs::canonicalize(manifest).ok()?;
    let root = abs.parent()?.parent()?.parent()?;
    root.join("config").is_dir().then(|| root.to_path_buf())
}

fn rebuilt(root: &Path, manifest: &Path) -> Result<Source> {
    let dir = tempfile::tempdir().map_err(|e| Error::msg(format!("creating a temp dir: {e}")))?;
    let tarball = dir.path().join("release.tgz");
    let abs = std::fs::canonicalize(manifest).map_err(|e| Error::io("open", manifest, &e))?;
    release::rebuild::rebuild(root, &abs, Some(&tarball.to_string_lossy()))?;
    Ok(Source {
        tarball,
        _dir: Some(dir),
    })
}

fn from_dir(root: &Path, report: Report) -> Result<Source> {
    let mut opts = CreateOptions {
        dir: root.to_path_buf(),
        name: None,
        version: None,
        timestamp_version: false,
        kind: ReleaseKind::Dev,
        tarball: None,
        // Compiling what is on disk, committed or not, is the point of a local compile.
        force: true,
        dry_run: true,
        compression_level: crate::archive::DEFAULT_LEVEL,
        algo: crate::digest::Algo::Sha256,
        parallel: 5,
    };
    let progress = |p: crate::progress::Progress| report(p.text());
    crate::blobs::sync(root, 1, &progress)?;
    let plan = match release::create(&opts, &progress)? {
        CreateOutcome::Planned(p) => p,
        CreateOutcome::Created(_) => unreachable!("a dry run creates nothing"),
    };
    let dir = ReleaseDir::new(root);
    if let Some((_, latest, path)) =
        release::indexes::newest_release(&dir, &plan.name, &[Stage::Dev])?
    {
        if let Ok(m) = ReleaseManifest::load(&path) {
            if same_contents(&m, &plan) {
                // Its archives may be gone (a fresh clone keeps dev_releases/ but not the
                // cache); then a new dev release is built, as create-release would.
                if let Ok(s) = rebuilt(root, &path) {
                    report(&format!(
                        "Using dev release {}/{latest}: it matches the sources",
                        plan.name
                    ));
                    return Ok(s);
                }
            }
        }
    }
    let tmp = tempfile::tempdir().map_err(|e| Error::msg(format!("creating a temp dir: {e}")))?;
    let tarball = tmp.path().join("release.tgz");
    opts.dry_run = false;
    opts.tarball = Some(tarball.to_string_lossy().into_owned());
    match release::create(&opts, &progress)? {
        CreateOutcome::Created(s) => report(&format!(
            "Created dev release {}/{}",
            s.manifest.name, s.manifest.version
        )),
        CreateOutcome::Planned(_) => unreachable!("not a dry run"),
    }
    Ok(Source {
        tarball,
        _dir: Some(tmp),
    })
}

fn same_contents(m: &ReleaseManifest, plan: &release::Plan) -> bool {
    let fps = |items: &[release::create::PlanItem]| {
        let mut v: Vec<(String, String)> = items
            .iter()
            .map(|i| {
                (
                    i.name.clone().unwrap_or_default(),
                    i.fingerprint.clone().unwrap_or_default(),
                )
            })
            .collect();
        v.sort();
        v
    };
    let mut jobs: Vec<_> = m
        .jobs
        .iter()
        .map(|j| (j.name.clone(), j.fingerprint.clone()))
        .collect();
    jobs.sort();
    let mut pkgs: Vec<_> = m
        .packages
        .iter()
        .map(|p| (p.name.clone(), p.fingerprint.clone()))
        .collect();
    pkgs.sort();
    let license = m.license.as_ref().map(|l| l.fingerprint.clone());
    jobs == fps(&plan.jobs)
        && pkgs == fps(&plan.packages)
        && license == plan.license.as_ref().and_then(|l| l.fingerprint.clone())
}

/// A verified source release with its inner archives on disk.
pub struct Unpacked {
    pub manifest: ReleaseManifest,
    files: HashMap<String, PathBuf>,
    _dir: tempfile::TempDir,
}

impl Unpacked {
    /// The file of an inner archive (`packages/x.tgz`).
    pub fn archive(&self, inner: &str) -> Result<&PathBuf> {
        self.files
            .get(inner)
            .ok_or_else(|| Error::msg(format!("Release tarball is missing '{inner}'")))
    }
}

/// Writes each inner archive to a file while the verifier reads it.
struct Keep {
    dir: PathBuf,
    files: HashMap<String, PathBuf>,
    current: Option<std::io::BufWriter<File>>,
    error: Option<String>,
}

impl Tap for Keep {
    fn begin(&mut self, entry: &str, _: u64) {
        let path = self.dir.join(self.files.len().to_string());
        match File::create(&path) {
            Ok(f) => {
                self.current = Some(std::io::BufWriter::new(f));
                self.files.insert(entry.to_string(), path);
            }
            Err(e) => {
                self.error
                    .get_or_insert(format!("creating {}: {e}", path.display()));
            }
        }
    }

    fn data(&mut self, bytes: &[u8]) {
        if let Some(w) = &mut self.current {
            if let Err(e) = w.write_all(bytes) {
                self.error.get_or_insert(e.to_string());
            }
        }
    }

    fn end(&mut self) {
        if let Some(mut w) = self.current.take() {
            if let Err(e) = w.flush() {
                self.error.get_or_insert(e.to_string());
            }
        }
    }
}

/// Verifies a source release (every digest and fingerprint) and keeps its inner archives,
/// reading the tarball once.
pub fn unpack_verified(tarball: &Path, shown: &Path) -> Result<Unpacked> {
    let dir = tempfile::tempdir().map_err(|e| Error::msg(format!("creating a temp dir: {e}")))?;
    let mut keep = Keep {
        dir: dir.path().to_path_buf(),
        files: HashMap::new(),
        current: None,
        error: None,
    };
    let report = crate::verify::verify_release_tapped(tarball, &mut keep)?;
    if !report.ok() {
        let lines: Vec<String> = report.findings.iter().map(|f| f.to_string()).collect();
        return Err(Error::msg(format!(
            "Release '{}' failed verification; nothing was compiled:\n  - {}",
            shown.display(),
            lines.join("\n  - ")
        )));
    }
    if let Some(e) = keep.error {
        return Err(Error::msg(format!(
            "Keeping the archives of {}: {e}",
            tarball.display()
        )));
    }
    let text = crate::archive::read_text_entry(tarball, "release.MF")?.ok_or_else(|| {
        Error::msg(format!(
            "Release tarball '{}' has no release.MF",
            tarball.display()
        ))
    })?;
    Ok(Unpacked {
        manifest: ReleaseManifest::parse(&tarball.join("release.MF"), &text)?,
        files: keep.files,
        _dir: dir,
    })
}
