//! `create-release`: fingerprint the directory, reuse or build every archive in parallel,
//! record a dev release (and with `--final` a final one), optionally write the tarball.
//! Nothing is recorded until every archive is built and the tarball, if asked for, is
//! written: a failure leaves indexes and manifests as they were (bosh-cli#189).

use std::path::{Path, PathBuf};

use super::build::{self, Built, Indexes};
use super::cache::ArchiveCache;
use super::git::GitState;
use super::indexes;
use super::source::{self, MissingBlobs, ReadOptions, Resource, SourceRelease};
use super::tarball::{self, Inner};
use super::Summary;
use crate::digest::Algo;
use crate::digest_cache::DigestCache;
use crate::error::{split, Error, Result};
use crate::layout::{Kind, ReleaseDir, Stage};
use crate::manifest::index::IndexEntry;
use crate::manifest::release_mf::{JobRef, LicenseRef, PackageRef, ReleaseManifest};
use crate::progress::{self, Progress, Report};
use crate::provider::Blobstore;
use crate::version::Version;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReleaseKind {
    Dev,
    Final,
}

#[derive(Debug, Clone)]
pub struct CreateOptions {
    pub dir: PathBuf,
    pub name: Option<String>,
    pub version: Option<String>,
    pub timestamp_version: bool,
    pub kind: ReleaseKind,
    pub tarball: Option<String>,
    pub force: bool,
    pub dry_run: bool,
    /// Deflate level of newly built archives (see `archive::DEFAULT_LEVEL`).
    pub compression_level: u32,
    /// Fingerprint and archive digest algorithm. The current CLI (v7) always uses SHA-256;
    /// SHA-1 only on request (`--sha1`), to reproduce releases made by CLIs before v5.5.0.
    pub algo: Algo,
    /// Workers that reuse, download or build jobs and packages (`--parallel`, the CLI's
    /// default 5). As in the CLI's pool, each stops at its first failure.
    pub parallel: usize,
}

/// What `--dry-run` reports: each resource's fingerprint and whether a build would be new.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Plan {
    pub name: String,
    pub version: String,
    pub jobs: Vec<PlanItem>,
    pub packages: Vec<PlanItem>,
    pub license: Option<PlanItem>,
}

/// One resource of a plan. A resource whose fingerprint needs a blob that is neither in
/// `blobs/` nor known by a digest in the release's algorithm has `fingerprint: None`
/// (`null`), `new: None`, the blobs in `needs_blobs` and a `reason`; the rest of the plan
/// is complete all the same.
#[derive(Debug, Clone, serde::Serialize)]
pub struct PlanItem {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    pub fingerprint: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dependencies: Option<Vec<String>>,
    pub new: Option<bool>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub needs_blobs: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

impl Plan {
    /// Every resource of the plan, jobs first.
    pub fn items(&self) -> impl Iterator<Item = &PlanItem> {
        self.jobs
            .iter()
            .chain(&self.packages)
            .chain(self.license.iter())
    }

    /// The blobs the unresolved resources need, each once, sorted.
    pub fn needed_blobs(&self) -> Vec<String> {
        let mut v: Vec<String> = self
            .items()
            .flat_map(|i| i.needs_blobs.iter().cloned())
            .collect();
        v.sort();
        v.dedup();
        v
    }
}

pub enum CreateOutcome {
    Created(Summary),
    Planned(Plan),
}

pub fn create(opts: &CreateOptions, report: Report) -> Result<CreateOutcome> {
    let line = |s: &str| report(Progress::Line(s));
    let dir = ReleaseDir::new(&opts.dir);
    let name = dir.release_name(opts.name.as_deref())?;
    let algo = opts.algo;
    let dev_version = dev_version(&dir, &name, opts)?;
    let git = GitState::read(dir.root());
    if !opts.dry_run {
        git.check_clean(opts.force)?;
    }
    let final_version = match opts.kind {
        ReleaseKind::Final => Some(final_version(&dir, &name, opts.version.as_deref())?),
        ReleaseKind::Dev => None,
    };
    if !opts.dry_run && indexes::version_exists(&dir, Stage::Dev, &name, &dev_version)? {
        return Err(Error::msg(format!(
            "Release version '{dev_version}' already exists"
        )));
    }

    let digests = DigestCache::open(&DigestCache::file_for(dir.root()));
    let src = source::read(
        &dir,
        &ReadOptions {
            algo,
            cache: &digests,
            missing_blobs: if opts.dry_run {
                MissingBlobs::FromIndex
            } else {
                MissingBlobs::Fail
            },
        },
    )?;
    if let Some(cycle) = source::find_cycle(&src.packages) {
        return Err(Error::msg(format!(
            "Packages form a dependency cycle: {}. Remove one of these dependencies from its package spec",
            cycle.join(" -> ")
        )));
    }
    if opts.dry_run {
        return Ok(CreateOutcome::Planned(plan(
            &dir,
            &src,
            &name,
            &dev_version,
        )?));
    }

    let cfg = dir.config()?;
    // Needed to finalize, and to fetch final builds missing from the cache when it is set.
    let blobstore = match (Blobstore::for_release(&dir), opts.kind) {
        (Ok(b), _) => Some(b),
        (Err(e), ReleaseKind::Final) => return Err(e.context("Finalizing release")),
        (Err(_), ReleaseKind::Dev) => None,
    };

    let cache = ArchiveCache::user();
    let built = build_all(
        &dir,
        &src,
        (algo, opts.compression_level, opts.parallel),
        &cache,
        &digests,
        blobstore.as_ref(),
        report,
    )?;
    let manifest = manifest_of(&name, &dev_version, &git, &built, algo);

    let mut final_manifest = None;
    let mut final_entries = Vec::new();
    if let Some(fv) = &final_version {
        let bs = blobstore
            .as_ref()
            .expect("checked above for final releases");
        final_entries = upload_new(&dir, &built, bs, opts.parallel, report)?;
        final_manifest = Some(ReleaseManifest {
            version: fv.clone(),
            ..manifest.clone()
        });
    }
    let recorded = final_manifest.as_ref().unwrap_or(&manifest);

    let archive = match &opts.tarball {
        Some(t) => {
            let path = PathBuf::from(
                t.replace("((name))", &recorded.name)
                    .replace("((version))", &recorded.version),
            );
            write_tarball(
                &path,
                recorded,
                &built,
                &digests,
                cfg.no_compression != Some(true),
            )?;
            Some(path)
        }
        None => None,
    };

    digests.save();
    let dev_entries: Vec<(Kind, String, IndexEntry)> = built
        .iter()
        .filter(|b| b.new)
        .map(|b| (b.kind, b.name.clone(), build::index_entry(b, None)))
        .collect();
    indexes::add_builds(&dir, Stage::Dev, &dev_entries)?;
    indexes::add_release(&dir, Stage::Dev, &manifest)?;
    line(&format!(
        "\nAdded dev release '{}/{}'\n",
        manifest.name, manifest.version
    ));
    if let Some(fm) = &final_manifest {
        indexes::add_builds(&dir, Stage::Final, &final_entries)?;
        indexes::add_release(&dir, Stage::Final, fm)?;
        line(&format!(
            "\nAdded final release '{}/{}'\n",
            fm.name, fm.version
        ));
    }
    Ok(CreateOutcome::Created(Summary {
        manifest: recorded.clone(),
        archive,
    }))
}

fn dev_version(dir: &ReleaseDir, name: &str, opts: &CreateOptions) -> Result<String> {
    let v = match &opts.version {
        Some(v) => v.parse::<Version>().map_err(Error::msg)?,
        None => {
            let latest = [Stage::Dev, Stage::Final]
                .iter()
                .filter_map(|s| indexes::latest_version(dir, *s, name).transpose())
                .collect::<Result<Vec<_>>>()?
                .into_iter()
                .max();
            Version::next_dev(latest.as_ref()).map_err(Error::msg)?
        }
    };
    if opts.timestamp_version {
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs())
            .unwrap_or(0);
        return Ok(v.with_dev_timestamp(now).to_string());
    }
    Ok(opts.version.clone().unwrap_or_else(|| v.to_string()))
}

/// The final version to record, refusing one that exists.
pub fn final_version(dir: &ReleaseDir, name: &str, flag: Option<&str>) -> Result<String> {
    let v = match flag {
        Some(v) => {
            v.parse::<Version>().map_err(Error::msg)?;
            v.to_string()
        }
        None => {
            let latest = indexes::latest_version(dir, Stage::Final, name)?;
            Version::next_final(latest.as_ref())
                .map_err(Error::msg)?
                .to_string()
        }
    };
    if indexes::version_exists(dir, Stage::Final, name, &v)? {
        return Err(Error::msg(format!(
            "Release '{name}' version '{v}' already exists"
        )));
    }
    Ok(v)
}

fn indexes_of(
    dir: &ReleaseDir,
    r: &Resource,
) -> Result<(crate::manifest::index::Index, crate::manifest::index::Index)> {
    Ok((
        indexes::build_index(dir, Stage::Dev, r.kind, &r.name)?,
        indexes::build_index(dir, Stage::Final, r.kind, &r.name)?,
    ))
}

/// Reuses, downloads or builds every archive as the CLI's `Build` does: jobs then packages
/// on `parallel` workers, each stopping at its first failure (so with one worker the first
/// failed download ends the run), and the license only once they all succeeded. Failures
/// are listed under `Building a release from directory '…'`.
fn build_all(
    dir: &ReleaseDir,
    src: &SourceRelease,
    (algo, level, parallel): (Algo, u32, usize),
    cache: &ArchiveCache,
    digests: &DigestCache,
    blobstore: Option<&Blobstore>,
    report: Report,
) -> Result<Vec<Built>> {
    let one = |r: &&Resource| -> Result<Built> {
        let (dev, fin) = indexes_of(dir, r)?;
        let idx = Indexes {
            dev: &dev,
            fin: &fin,
            blobstore,
        };
        if let Some(b) = build::reuse(r, cache, &idx, report)? {
            return Ok(b);
        }
        let label = format!("{} '{}/{}'", r.kind.word(), r.name, r.fingerprint);
        report(Progress::Line(&format!("Adding {label}...")));
        // The workers are plain threads, as many as `--parallel` (downloads wait on the
        // network); a build is CPU work, so it runs on rayon's pool, one thread per core,
        // where the chunks it compresses in parallel also run. Five builds on their own
        // threads next to that pool cost about 8% more CPU on two cores.
        let b = rayon::scope(|_| build::build(dir, r, algo, level, cache, digests))?;
        report(Progress::Line(&format!("Added {label}")));
        Ok(b)
    };
    let heading = format!(
        "Building a release from directory '{}'",
        dir.root().display()
    );
    let tasks: Vec<&Resource> = src.jobs.iter().chain(&src.packages).collect();
    let (mut built, errors) = split(
        progress::run_pool(&tasks, parallel, one)
            .into_iter()
            .flatten(),
    );
    if !errors.is_empty() {
        return Err(Error::List(heading, errors));
    }
    if let Some(l) = &src.license {
        built.push(one(&l).map_err(|e| e.context(heading))?);
    }
    Ok(built)
}

/// Uploads every build the final index does not have yet; returns the new final entries.
/// As the CLI's `Finalize`: jobs and packages on `parallel` workers, each stopping at its
/// first failure (reported with the CLI's `-- Failed uploading` and `Failed adding` error
/// lines), then the license.
pub fn upload_new(
    dir: &ReleaseDir,
    built: &[Built],
    bs: &Blobstore,
    parallel: usize,
    report: Report,
) -> Result<Vec<(Kind, String, IndexEntry)>> {
    let one = |b: &&Built| -> Result<Option<(Kind, String, IndexEntry)>> {
        let fin = indexes::build_index(dir, Stage::Final, b.kind, &b.name)?;
        if fin.0.contains_key(&b.fingerprint) {
            return Ok(None);
        }
        let label = format!("'{}/{}'", b.name, b.fingerprint);
        let line = |s: String| report(Progress::Line(&s));
        line(format!("Adding {} {label}...", b.kind.word()));
        line(format!("-- Started uploading {label} (sha1={})", b.sha1));
        let id = match bs.put(&b.archive, Some(&b.sha1)) {
            Ok(id) => id,
            Err(e) => {
                // error lines of their own, each ending in an empty line as in the CLI
                let failed = |s: String| report(Progress::Failed(&s));
                failed(format!("-- Failed uploading {label} (sha1={})\n", b.sha1));
                failed(format!("Failed adding {} {label}\n", b.kind.word()));
                return Err(e.context(format!("Creating blob for path '{}'", b.archive.display())));
            }
        };
        line(format!("-- Finished uploading {label} (sha1={})", b.sha1));
        line(format!("Added {} {label}", b.kind.word()));
        Ok(Some((
            b.kind,
            b.name.clone(),
            build::index_entry(b, Some(id)),
        )))
    };
    let tasks: Vec<&Built> = built.iter().filter(|b| b.kind != Kind::License).collect();
    let (mut entries, errors) = split(
        progress::run_pool(&tasks, parallel, one)
            .into_iter()
            .flatten(),
    );
    if !errors.is_empty() {
        return Err(Error::Multi(errors));
    }
    if let Some(l) = built.iter().find(|b| b.kind == Kind::License) {
        entries.push(one(&l)?);
    }
    Ok(entries.into_iter().flatten().collect())
}

pub fn manifest_of(
    name: &str,
    version: &str,
    git: &GitState,
    built: &[Built],
    algo: Algo,
) -> ReleaseManifest {
    let mut jobs: Vec<JobRef> = built
        .iter()
        .filter(|b| b.kind == Kind::Job)
        .map(|b| JobRef {
            name: b.name.clone(),
            version: b.fingerprint.clone(),
            fingerprint: b.fingerprint.clone(),
            sha1: b.sha1.clone(),
            // CLIs that wrote SHA-1 releases (< v5.5.0) had no `packages` key here.
            packages: (algo != Algo::Sha1).then(|| b.dependencies.clone()),
        })
        .collect();
    jobs.sort_by(|a, b| a.name.cmp(&b.name));
    let mut packages: Vec<PackageRef> = built
        .iter()
        .filter(|b| b.kind == Kind::Package)
        .map(|b| PackageRef {
            name: b.name.clone(),
            version: b.fingerprint.clone(),
            fingerprint: b.fingerprint.clone(),
            sha1: b.sha1.clone(),
            stemcell: None,
            dependencies: b.dependencies.clone(),
        })
        .collect();
    packages.sort_by(|a, b| a.name.cmp(&b.name));
    let license = built
        .iter()
        .find(|b| b.kind == Kind::License)
        .map(|b| LicenseRef {
            version: b.fingerprint.clone(),
            fingerprint: b.fingerprint.clone(),
            sha1: b.sha1.clone(),
        });
    ReleaseManifest {
        name: name.to_string(),
        version: version.to_string(),
        commit_hash: git.commit_hash.clone(),
        uncommitted_changes: git.dirty(),
        jobs,
        packages,
        compiled_packages: Vec::new(),
        license,
        compiled_on_host: None,
    }
}

fn write_tarball(
    path: &Path,
    manifest: &ReleaseManifest,
    built: &[Built],
    digests: &DigestCache,
    gzip: bool,
) -> Result<()> {
    let inner = |kind: Kind| -> Vec<Inner> {
        let mut v: Vec<Inner> = built
            .iter()
            .filter(|b| b.kind == kind)
            .map(|b| Inner {
                name: b.name.clone(),
                file: b.archive.clone(),
                sha1: b.sha1.clone(),
            })
            .collect();
        v.sort_by(|a, b| a.name.cmp(&b.name));
        v
    };
    let license = inner(Kind::License);
    tarball::write(
        path,
        digests,
        manifest,
        &inner(Kind::Job),
        &inner(Kind::Package),
        &[],
        license.first(),
        gzip,
    )
}

fn plan(dir: &ReleaseDir, src: &SourceRelease, name: &str, version: &str) -> Result<Plan> {
    let is_new = |r: &Resource| -> Result<bool> {
        let (dev, fin) = indexes_of(dir, r)?;
        Ok(!dev.0.contains_key(&r.fingerprint) && !fin.0.contains_key(&r.fingerprint))
    };
    let item = |r: &Resource, with_deps: bool, named: bool| -> Result<PlanItem> {
        let fingerprint = r.known_fingerprint().map(str::to_string);
        Ok(PlanItem {
            name: named.then(|| r.name.clone()),
            new: match fingerprint {
                Some(_) => Some(is_new(r)?),
                None => None,
            },
            fingerprint,
            dependencies: with_deps.then(|| r.dependencies.clone()),
            reason: (!r.needs_blobs.is_empty()).then(|| unresolved_reason(&r.needs_blobs)),
            needs_blobs: r.needs_blobs.clone(),
        })
    };
    Ok(Plan {
        name: name.to_string(),
        version: version.to_string(),
        jobs: src
            .jobs
            .iter()
            .map(|r| item(r, false, true))
            .collect::<Result<_>>()?,
        packages: src
            .packages
            .iter()
            .map(|r| item(r, true, true))
            .collect::<Result<_>>()?,
        license: src
            .license
            .as_ref()
            .map(|r| item(r, false, false))
            .transpose()?,
    })
}

/// Why a resource has no fingerprint in a dry run, and what to do.
fn unresolved_reason(blobs: &[String]) -> String {
    let names: Vec<String> = blobs.iter().map(|b| format!("'{b}'")).collect();
    format!(
        "needs blob {} which is not in blobs/ and which config/blobs.yml knows only by a digest in another algorithm; \
         run with --fetch-missing (or sync-blobs) to download and verify it",
        names.join(", ")
    )
}
