//! Reads a release directory into fingerprinted jobs, packages and license, exactly as the
//! `bosh` CLI selects and fingerprints their files (spec: release-format §2, §4). Errors of
//! every package and job are collected and reported together, as the CLI does.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::digest::{Algo, MultiDigest};
use crate::digest_cache::DigestCache;
use crate::error::{split, Error, Result};
use crate::fingerprint::{self, FileItem, Source, Symlinks};
use crate::glob;
use crate::layout::{Kind, ReleaseDir};
use crate::manifest::blobs_yml::BlobsIndex;
use crate::manifest::job_spec::JobSpec;
use crate::manifest::package_spec::{PackageSpec, SpecLock};
use crate::manifest::yaml;

/// One job, package or license, ready to be looked up by fingerprint or built.
#[derive(Debug, Clone)]
pub struct Resource {
    pub kind: Kind,
    pub name: String,
    pub fingerprint: String,
    /// Files with their archive names; empty for a vendored (`spec.lock`) package.
    pub files: Vec<FileItem>,
    /// Package dependencies (spec order) or, for a job, the packages it names.
    pub dependencies: Vec<String>,
    pub pre_packaging: Option<PathBuf>,
    pub no_compression: bool,
    /// Blobs (paths under `blobs/`) this resource's fingerprint needs but that can be had
    /// neither from `blobs/` nor from a `config/blobs.yml` digest in the release's algorithm.
    /// Only a dry run (`MissingBlobs::FromIndex`) leaves any: then `fingerprint` is empty.
    pub needs_blobs: Vec<String>,
}

impl Resource {
    /// The fingerprint, unless blobs it needs are missing.
    pub fn known_fingerprint(&self) -> Option<&str> {
        self.needs_blobs
            .is_empty()
            .then_some(self.fingerprint.as_str())
    }
}

#[derive(Debug, Clone, Default)]
pub struct SourceRelease {
    pub jobs: Vec<Resource>,
    pub packages: Vec<Resource>,
    pub license: Option<Resource>,
}

/// What to do with a blob a glob needs that is not in `blobs/`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MissingBlobs {
    /// It is simply not there: "Missing files for pattern".
    Fail,
    /// Use its digest from `config/blobs.yml` when that digest is in the release's algorithm;
    /// otherwise leave the package without a fingerprint, naming the blob in `needs_blobs`.
    FromIndex,
}

pub struct ReadOptions<'a> {
    pub algo: Algo,
    pub cache: &'a DigestCache,
    pub missing_blobs: MissingBlobs,
}

/// Entries of `<dir>/*` that are directories after following symlinks, sorted by name.
fn subdirs(dir: &Path) -> Vec<(String, PathBuf)> {
    let mut out: Vec<(String, PathBuf)> = fs::read_dir(dir)
        .map(|rd| {
            rd.filter_map(|e| e.ok())
                .map(|e| (e.file_name().to_string_lossy().into_owned(), e.path()))
                .filter(|(_, p)| p.is_dir())
                .collect()
        })
        .unwrap_or_default();
    out.sort();
    out
}

pub fn read(dir: &ReleaseDir, opts: &ReadOptions) -> Result<SourceRelease> {
    let blobs = if opts.missing_blobs == MissingBlobs::FromIndex {
        dir.blobs_index()?
    } else {
        BlobsIndex::default()
    };
    let pkg_dirs = subdirs(&dir.packages_dir());
    let results: Vec<Result<Resource>> = pkg_dirs
        .par_iter()
        .map(|(_, p)| {
            read_package(dir, p, opts, &blobs)
                .map_err(|e| e.context(format!("Reading package from '{}'", p.display())))
        })
        .collect();
    let (mut packages, mut pkg_errors) = split(results);
    packages.sort_by(|a, b| a.name.cmp(&b.name));
    if pkg_errors.is_empty() {
        for p in &packages {
            for d in &p.dependencies {
                if !packages.iter().any(|q| &q.name == d) {
                    pkg_errors.push(Error::msg(format!(
                        "Expected to find package '{d}' since it's a dependency of package '{}'",
                        p.name
                    )));
                }
            }
        }
    }
    if !pkg_errors.is_empty() {
        // As in the CLI, a failed package list leaves jobs with no packages to refer to.
        packages.clear();
    }

    let job_dirs = subdirs(&dir.jobs_dir());
    let results: Vec<Result<Resource>> = job_dirs
        .par_iter()
        .map(|(dname, p)| {
            read_job(dname, p, opts)
                .map_err(|e| e.context(format!("Reading job from '{}'", p.display())))
        })
        .collect();
    let (read, mut job_errors) = split(results);
    let mut jobs = Vec::new();
    for j in read {
        match j
            .dependencies
            .iter()
            .find(|d| !packages.iter().any(|p| &p.name == *d))
        {
            Some(missing) => job_errors.push(Error::msg(format!(
                "Expected to find package '{missing}' since it's a dependency of job '{}'",
                j.name
            ))),
            None => jobs.push(j),
        }
    }
    jobs.sort_by(|a, b| a.name.cmp(&b.name));

    let license = read_license(dir, opts);
    let mut errors = Vec::new();
    if !pkg_errors.is_empty() {
        errors.push(Error::List(
            "Constructing packages from directory".into(),
            pkg_errors,
        ));
    }
    if !job_errors.is_empty() {
        errors.push(Error::List(
            "Constructing jobs from manifest".into(),
            job_errors,
        ));
    }
    let license = match license {
        Ok(l) => l,
        Err(e) => {
            errors.push(e.context("Constructing license from directory"));
            None
        }
    };
    if !errors.is_empty() {
        return Err(Error::List(
            format!(
                "Building a release from directory '{}'",
                dir.root().display()
            ),
            errors,
        ));
    }
    Ok(SourceRelease {
        jobs,
        packages,
        license,
    })
}

fn read_package(
    dir: &ReleaseDir,
    pkg_dir: &Path,
    opts: &ReadOptions,
    blobs: &BlobsIndex,
) -> Result<Resource> {
    read_package_files(dir, pkg_dir, opts, blobs).map_err(|e| e.context("Collecting package files"))
}

fn read_package_files(
    dir: &ReleaseDir,
    pkg_dir: &Path,
    opts: &ReadOptions,
    blobs: &BlobsIndex,
) -> Result<Resource> {
    let src = dir.src_dir();
    let real_src = fs::canonicalize(&src).map_err(|e| {
        Error::msg(format!(
            "Unexpected error occurred: {}",
            Error::io("lstat", &src, &e)
        ))
    })?;

    let lock_path = pkg_dir.join("spec.lock");
    if lock_path.exists() {
        let lock: SpecLock = yaml::read(&lock_path)?;
        return Ok(Resource {
            kind: Kind::Package,
            name: package_name(&lock_path, lock.name)?,
            fingerprint: lock.fingerprint,
            files: Vec::new(),
            dependencies: lock.dependencies.unwrap_or_default(),
            pre_packaging: None,
            no_compression: false,
            needs_blobs: Vec::new(),
        });
    }

    let spec_path = pkg_dir.join("spec");
    let text = read_spec(&spec_path)?;
    let spec: PackageSpec = yaml::from_str(&spec_path, &text)
        .map_err(|e| Error::from(e).context("Unmarshalling package spec"))?;

    let packaging = pkg_dir.join("packaging");
    if fs::symlink_metadata(&packaging).is_err() {
        return Err(Error::msg(format!(
            "Expected to find '{}' for package '{}'",
            packaging.display(),
            spec.name
        )));
    }
    let mut files = vec![FileItem {
        exclude_mode: true,
        ..FileItem::disk(packaging, "packaging")
    }];
    let pre = pkg_dir.join("pre_packaging");
    let pre_packaging = fs::symlink_metadata(&pre).is_ok().then(|| pre.clone());
    if pre_packaging.is_some() {
        files.push(FileItem {
            exclude_mode: true,
            ..FileItem::disk(pre, "pre_packaging")
        });
    }

    let blobs_dir = dir.blobs_dir();
    let mut selected: BTreeMap<String, Source> = BTreeMap::new();
    let mut needs: BTreeSet<String> = BTreeSet::new();
    for pattern in spec.files.iter().flatten() {
        let mut found = false;
        for base in [&src, &blobs_dir] {
            for m in glob::glob(base, pattern) {
                if !packageable(&src, &real_src, &m) {
                    continue;
                }
                let Some(rel) = rel_name(base, &m) else {
                    continue;
                };
                found = true;
                selected.entry(rel).or_insert(Source::Disk(m));
            }
        }
        if !found && opts.missing_blobs == MissingBlobs::FromIndex {
            for (path, rec) in &blobs.0 {
                if glob::matches_path(pattern, path) {
                    let Ok(ds) = rec.sha.parse::<MultiDigest>() else {
                        continue;
                    };
                    found = true;
                    match ds.in_algo(opts.algo) {
                        Some(d) => {
                            selected
                                .entry(path.to_string())
                                .or_insert(Source::Blob(d.clone()));
                        }
                        None => {
                            needs.insert(path.to_string());
                        }
                    }
                }
            }
        }
        if !found {
            return Err(Error::msg(format!("Missing files for pattern '{pattern}'")));
        }
    }
    for pattern in spec.excluded_files.iter().flatten() {
        for base in [&src, &blobs_dir] {
            for m in glob::glob(base, pattern) {
                if let Some(rel) = rel_name(base, &m) {
                    selected.remove(&rel);
                }
            }
        }
        for path in blobs.0.keys() {
            if glob::matches_path(pattern, path) {
                if let Some(Source::Blob(_)) = selected.get(path.as_str()) {
                    selected.remove(path.as_str());
                }
                needs.remove(path.as_str());
            }
        }
    }
    for special in ["packaging", "pre_packaging"] {
        if selected.contains_key(special) {
            return Err(Error::msg(format!(
                "Expected special '{special}' file to not be included via 'files' key for package '{}'",
                spec.name
            )));
        }
    }
    files.extend(selected.into_iter().map(|(name, source)| FileItem {
        source,
        name,
        use_basename: false,
        exclude_mode: false,
    }));
    let dependencies = spec.dependencies.unwrap_or_default();
    let fingerprint = if needs.is_empty() {
        fingerprint::fingerprint(opts.algo, &files, &dependencies, Symlinks::Keep, opts.cache)
            .map_err(|e| Error::from(e).context("Fingerprinting source files"))?
    } else {
        String::new()
    };
    Ok(Resource {
        kind: Kind::Package,
        name: package_name(&spec_path, spec.name)?,
        fingerprint,
        files,
        dependencies,
        pre_packaging,
        no_compression: spec.no_compression.unwrap_or(false),
        needs_blobs: needs.into_iter().collect(),
    })
}

/// A package's name becomes `.dev_builds/packages/<name>/` and `packages/<name>.tgz`: one
/// checked segment.
fn package_name(spec: &Path, name: String) -> Result<String> {
    crate::name::Name::new(name)
        .map(String::from)
        .map_err(|e| Error::msg(format!("{}: package name {e}", spec.display())))
}

/// The CLI's check that a file is not reached through a symlinked directory: the lexical path
/// relative to `src/` must equal the relative path of the resolved file (§4.4).
fn packageable(src: &Path, real_src: &Path, p: &Path) -> bool {
    let Ok(meta) = fs::symlink_metadata(p) else {
        return false;
    };
    if meta.is_dir() {
        return false;
    }
    if meta.file_type().is_symlink() {
        return true;
    }
    let Some(parent) = p.parent().and_then(|d| fs::canonicalize(d).ok()) else {
        return false;
    };
    let real = parent.join(p.file_name().unwrap_or_default());
    lexical_rel(src, p) == lexical_rel(real_src, &real)
}

fn lexical_rel(base: &Path, p: &Path) -> Option<PathBuf> {
    let b: Vec<_> = base.components().collect();
    let t: Vec<_> = p.components().collect();
    let common = b.iter().zip(&t).take_while(|(x, y)| x == y).count();
    let mut out = PathBuf::new();
    for _ in common..b.len() {
        out.push("..");
    }
    for c in &t[common..] {
        out.push(c);
    }
    Some(out)
}

fn rel_name(base: &Path, p: &Path) -> Option<String> {
    let rel = p.strip_prefix(base).ok()?;
    let s = rel.to_string_lossy().into_owned();
    (!s.is_empty()).then_some(s)
}

/// A job or package spec, at most [`yaml::MAX_SPEC_BYTES`].
fn read_spec(path: &Path) -> Result<String> {
    let mut f = fs::File::open(path).map_err(|e| Error::io("open", path, &e))?;
    Ok(yaml::read_capped(&mut f, path, yaml::MAX_SPEC_BYTES)?)
}

fn read_job(dir_name: &str, job_dir: &Path, opts: &ReadOptions) -> Result<Resource> {
    let spec_path = job_dir.join("spec");
    let spec: JobSpec = (|| -> Result<JobSpec> {
        let text = read_spec(&spec_path)?;
        let spec: JobSpec = yaml::from_str(&spec_path, &text)
            .map_err(|e| Error::from(e).context("Unmarshalling job spec"))?;
        if spec.name != dir_name {
            return Err(Error::msg(format!(
                "Job directory '{dir_name}' does not match job name '{}' in spec",
                spec.name
            )));
        }
        Ok(spec)
    })()
    .map_err(|e| e.context("Collecting job files"))?;

    let mut files = vec![FileItem::disk(spec_path, "job.MF")];
    let monit = job_dir.join("monit");
    if monit.exists() {
        files.push(FileItem::disk(monit, "monit"));
    }
    // checked when the spec was read: every source is a path inside templates/
    for (src, _) in spec.templates.iter().flatten() {
        files.push(FileItem::disk(
            src.under(&job_dir.join("templates")),
            format!("templates/{src}"),
        ));
    }
    let fingerprint =
        fingerprint::fingerprint(opts.algo, &files, &[], Symlinks::Follow, opts.cache)
            .map_err(|e| Error::from(e).context("Fingerprinting source files"))?;
    Ok(Resource {
        kind: Kind::Job,
        name: spec.name,
        fingerprint,
        files,
        dependencies: spec.packages.unwrap_or_default(),
        pre_packaging: None,
        no_compression: false,
        needs_blobs: Vec::new(),
    })
}

fn read_license(dir: &ReleaseDir, opts: &ReadOptions) -> Result<Option<Resource>> {
    let mut files = Vec::new();
    for prefix in ["LICENSE", "NOTICE"] {
        let mut names: Vec<(String, PathBuf)> = fs::read_dir(dir.root())
            .map(|rd| {
                rd.filter_map(|e| e.ok())
                    .map(|e| (e.file_name().to_string_lossy().into_owned(), e.path()))
                    .filter(|(n, _)| n.starts_with(prefix))
                    .collect()
            })
            .unwrap_or_default();
        names.sort();
        for (n, p) in names {
            files.push(FileItem {
                use_basename: true,
                exclude_mode: true,
                ..FileItem::disk(p, n)
            });
        }
    }
    if files.is_empty() {
        return Ok(None);
    }
    let fingerprint = fingerprint::fingerprint(opts.algo, &files, &[], Symlinks::Keep, opts.cache)
        .map_err(|e| Error::from(e).context("Fingerprinting source files"))?;
    Ok(Some(Resource {
        kind: Kind::License,
        name: "license".into(),
        fingerprint,
        files,
        dependencies: Vec::new(),
        pre_packaging: None,
        no_compression: false,
        needs_blobs: Vec::new(),
    }))
}

/// Packages in a dependency cycle, named in cycle order, or `None` when the graph is a DAG.
/// The CLI accepts cycles silently; a compiler cannot, so bale reports them at build time.
pub fn find_cycle(packages: &[Resource]) -> Option<Vec<String>> {
    let idx: BTreeMap<&str, usize> = packages
        .iter()
        .enumerate()
        .map(|(i, p)| (p.name.as_str(), i))
        .collect();
    let mut state = vec![0u8; packages.len()];
    let mut stack = Vec::new();
    fn visit(
        i: usize,
        pk: &[Resource],
        idx: &BTreeMap<&str, usize>,
        st: &mut [u8],
        stack: &mut Vec<usize>,
    ) -> Option<Vec<String>> {
        st[i] = 1;
        stack.push(i);
        for d in &pk[i].dependencies {
            let Some(&j) = idx.get(d.as_str()) else {
                continue;
            };
            if st[j] == 1 {
                let start = stack.iter().position(|&k| k == j).expect("on stack");
                let mut cyc: Vec<String> =
                    stack[start..].iter().map(|&k| pk[k].name.clone()).collect();
                cyc.push(pk[j].name.clone());
                return Some(cyc);
            }
            if st[j] == 0 {
                if let Some(c) = visit(j, pk, idx, st, stack) {
                    return Some(c);
                }
            }
        }
        stack.pop();
        st[i] = 2;
        None
    }
    for i in 0..packages.len() {
        if state[i] == 0 {
            if let Some(c) = visit(i, packages, &idx, &mut state, &mut stack) {
                return Some(c);
            }
        }
    }
    None
}
