//! The task behind `POST /releases`: a tarball the CLI sent, verified as `bale upload-release`
//! verifies it, its archives stored under their content addresses, the release registered.
//!
//! The CLI leaves out the packages `/packages/matches` said the server has. Those are taken
//! from the store, and only when a registered release vouches for them: the same
//! fingerprint with the same object, so each was verified as part of a whole release. Every
//! archive that is sent is checked (digest, fingerprint, structure) in one pass while it is
//! copied aside; nothing enters the store or the registry unless the whole release verified.

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use tempfile::{NamedTempFile, TempPath};

use super::tasks::Task;
use super::DirectorError;
use crate::blobstore::api::{differences, sweep, valid_name};
use crate::blobstore::registry::{release_objects, ReleaseRecord};
use crate::blobstore::server::App;
use crate::blobstore::wire::ReleaseInfo;
use crate::manifest::release_mf::ReleaseManifest;
use crate::provider::ObjectId;
use crate::verify::{self, Tap};

// The director's error codes for a release upload.
const INVALID_ARCHIVE: u32 = 30002;
const MANIFEST_NOT_FOUND: u32 = 30003;
const VERSION_INVALID: u32 = 30010;
const PACKAGE_MISMATCH: u32 = 30012;
const JOB_MISMATCH: u32 = 30013;
const COMMIT_MISMATCH: u32 = 30014;
const ALREADY_EXISTS: u32 = 30000;

fn invalid(msg: impl Into<String>) -> DirectorError {
    DirectorError::bad(INVALID_ARCHIVE, msg)
}

/// `(fingerprint, object)` of every package and compiled package some registered release
/// holds: what a new upload may leave out.
pub fn vouched(app: &App) -> Result<BTreeSet<(String, String)>, DirectorError> {
    let mut out = BTreeSet::new();
    for r in app.registry.releases().map_err(DirectorError::internal)? {
        let Some(m) = r.manifest() else { continue };
        let object = |entry: String| {
            r.objects
                .iter()
                .find(|(e, _)| *e == entry)
                .map(|(_, o)| o.clone())
        };
        for (dir, list) in [
            ("packages", &m.packages),
            ("compiled_packages", &m.compiled_packages),
        ] {
            for p in list {
                if let Some(o) = object(format!("{dir}/{}.tgz", p.name)) {
                    out.insert((p.fingerprint.clone(), o));
                }
            }
        }
    }
    Ok(out)
}

/// The object a package of `m` is stored under, from its digest.
pub fn object_of(sha: &str) -> Option<String> {
    sha.parse::<crate::digest::MultiDigest>()
        .ok()
        .map(|d| ObjectId::for_digest(d.strongest()).as_str().to_string())
}

/// The director's rules for uploading a version that is registered already. `Ok(true)` when
/// it holds the same archives (nothing to register); `Ok(false)` when it differs and `fix`
/// allows replacing it.
pub fn conflicts(
    old: &ReleaseRecord,
    m: &ReleaseManifest,
    fix: bool,
) -> Result<bool, DirectorError> {
    let slug = format!("{}/{}", m.name, m.version);
    let Some(om) = old.manifest() else {
        return Ok(false);
    };
    if om.commit_hash != m.commit_hash || om.uncommitted_changes != m.uncommitted_changes {
        return Err(DirectorError::bad(
            COMMIT_MISMATCH,
            format!(
                "release '{slug}' has already been uploaded with commit_hash as '{}' and uncommitted_changes as '{}'",
                om.commit_hash, m.uncommitted_changes
            ),
        ));
    }
    for (old_list, new_list) in [
        (&om.packages, &m.packages),
        (&om.compiled_packages, &m.compiled_packages),
    ] {
        for p in new_list {
            if old_list
                .iter()
                .any(|o| o.name == p.name && o.fingerprint != p.fingerprint)
            {
                return Err(DirectorError::bad(
                    PACKAGE_MISMATCH,
                    format!(
                        "package '{}' had different fingerprint in previously uploaded release '{slug}'",
                        p.name
                    ),
                ));
            }
        }
    }
    for j in &m.jobs {
        if om
            .jobs
            .iter()
            .any(|o| o.name == j.name && o.fingerprint != j.fingerprint)
        {
            return Err(DirectorError::bad(
                JOB_MISMATCH,
                format!(
                    "job '{}' had different fingerprint in previously uploaded release '{slug}'",
                    j.name
                ),
            ));
        }
    }
    if ReleaseInfo::of(old).holds(m) {
        return Ok(true);
    }
    if fix {
        return Ok(false);
    }
    Err(DirectorError::bad(
        ALREADY_EXISTS,
        format!(
            "Release '{slug}' already exists with other contents ({}); upload it under another version, or with --fix to replace it",
            differences(old, m)
        ),
    ))
}

/// Copies each archive aside while the verifier reads it; the copies become objects only
/// once the whole release verified.
struct Aside {
    dir: PathBuf,
    files: BTreeMap<String, TempPath>,
    current: Option<(String, std::io::BufWriter<NamedTempFile>)>,
    error: Option<std::io::Error>,
}

impl Tap for Aside {
    fn begin(&mut self, entry: &str, _size: u64) {
        if self.error.is_some() {
            return;
        }
        match tempfile::Builder::new()
            .prefix("archive-")
            .permissions(std::os::unix::fs::PermissionsExt::from_mode(0o666))
            .tempfile_in(&self.dir)
        {
            Ok(f) => {
                self.current = Some((
                    entry.to_string(),
                    std::io::BufWriter::with_capacity(1 << 20, f),
                ))
            }
            Err(e) => self.error = Some(e),
        }
    }

    fn data(&mut self, bytes: &[u8]) {
        if let Some((_, w)) = &mut self.current {
            if let Err(e) = w.write_all(bytes) {
                self.error.get_or_insert(e);
                self.current = None;
            }
        }
    }

    fn end(&mut self) {
        let Some((entry, w)) = self.current.take() else {
            return;
        };
        match w.into_inner() {
            Ok(f) => {
                self.files.insert(entry, f.into_temp_path());
            }
            Err(e) => {
                self.error.get_or_insert(e.into_error());
            }
        }
    }
}

/// Runs the upload of a spooled release tarball; the text is the task's result.
pub async fn release(
    app: Arc<App>,
    task: Arc<Task>,
    tarball: NamedTempFile,
    fix: bool,
) -> Result<String, DirectorError> {
    let path = tarball.path().to_path_buf();
    let text = task
        .step("Extracting release", async {
            let p = path.clone();
            let found = tokio::task::spawn_blocking(move || {
                crate::archive::read_text_entry(&p, "release.MF")
            })
            .await
            .map_err(DirectorError::internal)?;
            match found {
                Ok(Some(t)) => Ok(t),
                Ok(None) => Err(DirectorError::bad(
                    MANIFEST_NOT_FOUND,
                    "Release manifest not found",
                )),
                Err(e) => Err(invalid(format!("Extracting release archive failed: {e}"))),
            }
        })
        .await?;
    let m = task
        .step("Verifying manifest", async { manifest(&app, &text, fix) })
        .await?;
    let slug = format!("{}/{}", m.name, m.version);
    let objects = release_objects(&m).map_err(|e| invalid(e.to_string()))?;

    // Packages the tarball may leave out: vouched for by a registered release and stored.
    let vouched = vouched(&app)?;
    let mut supplied = BTreeSet::new();
    for (dir, list) in [
        ("packages", &m.packages),
        ("compiled_packages", &m.compiled_packages),
    ] {
        for p in list {
            let Some(o) = object_of(&p.sha1) else {
                continue;
            };
            if vouched.contains(&(p.fingerprint.clone(), o.clone())) {
                supplied.insert((format!("{dir}/{}.tgz", p.name), o));
            }
        }
    }
    let mut stored = BTreeSet::new();
    for (entry, o) in &supplied {
        let id = ObjectId::parse(o).ok_or_else(|| invalid(format!("bad object id {o}")))?;
        if app
            .store
            .size(&id)
            .await
            .map_err(DirectorError::internal)?
            .is_some()
        {
            stored.insert(entry.clone());
        }
    }

    let aside = task
        .step(
            "Verifying release",
            verify_sent(&app, &path, &m, stored.clone()),
        )
        .await?;
    task.debug(&format!(
        "{} archive(s) sent, {} taken from the store",
        aside.len(),
        objects.len() - aside.len()
    ));
    drop(tarball);

    let _guard = app.lock.lock().await;
    let old = app
        .registry
        .release(&m.name, &m.version)
        .map_err(DirectorError::internal)?;
    let same = match &old {
        Some(o) => conflicts(o, &m, fix)?,
        None => false,
    };
    store_archives(&app, &task, &m, &objects, aside, fix).await?;
    let mut missing = Vec::new();
    for (entry, id) in &objects {
        if app
            .store
            .size(id)
            .await
            .map_err(DirectorError::internal)?
            .is_none()
        {
            missing.push(entry.clone());
        }
    }
    if !missing.is_empty() {
        return Err(invalid(format!(
            "the tarball leaves out {} and the blobstore does not hold them; upload the release again with --fix",
            missing.join(", ")
        )));
    }
    if !same || fix {
        let rec = ReleaseRecord {
            name: m.name.clone(),
            version: m.version.clone(),
            manifest: text,
            objects: objects
                .iter()
                .map(|(e, id)| (e.clone(), id.as_str().to_string()))
                .collect(),
            uploaded_at: super::now(),
        };
        app.registry
            .put_release(&rec)
            .map_err(DirectorError::internal)?;
        if let Some(old) = old {
            let candidates = old.objects.into_iter().map(|(_, o)| o).collect();
            let n = sweep(&app, candidates)
                .await
                .map_err(DirectorError::internal)?;
            task.debug(&format!("{n} object(s) of the replaced release removed"));
        }
    }
    let mut done = task.stage(
        if m.compiled_packages.is_empty() {
            "Release has been created"
        } else {
            "Compiled Release has been created"
        },
        1,
    );
    done.done(&slug);
    Ok(format!("Created release '{slug}'"))
}

/// The checks of release.MF before any archive is read.
fn manifest(app: &App, text: &str, fix: bool) -> Result<ReleaseManifest, DirectorError> {
    let m = ReleaseManifest::parse(Path::new("release.MF"), text)
        .map_err(|e| invalid(e.to_string()))?;
    if m.version.parse::<crate::version::Version>().is_err() || !valid_name(&m.version) {
        return Err(DirectorError::bad(
            VERSION_INVALID,
            format!("Release version invalid: {}", m.version),
        ));
    }
    if !valid_name(&m.name) {
        return Err(invalid(format!(
            "release name '{}' may hold only letters, digits and -_+.",
            m.name
        )));
    }
    let problems = verify::manifest_findings(&m);
    if !problems.is_empty() {
        let lines: Vec<String> = problems.iter().map(ToString::to_string).collect();
        return Err(invalid(lines.join("\n")));
    }
    if let Some(old) = app
        .registry
        .release(&m.name, &m.version)
        .map_err(DirectorError::internal)?
    {
        conflicts(&old, &m, fix)?;
    }
    Ok(m)
}

/// Verifies the tarball, allowing it to leave out `stored`; returns the archives it holds,
/// copied aside.
async fn verify_sent(
    app: &App,
    path: &Path,
    m: &ReleaseManifest,
    stored: BTreeSet<String>,
) -> Result<BTreeMap<String, TempPath>, DirectorError> {
    let mut aside = Aside {
        dir: app.director.spool.clone(),
        files: BTreeMap::new(),
        current: None,
        error: None,
    };
    let p = path.to_path_buf();
    let (report, aside) = tokio::task::spawn_blocking(move || {
        let r = verify::verify_release_supplied(&p, &mut aside, &stored);
        (r, aside)
    })
    .await
    .map_err(DirectorError::internal)?;
    let report = report.map_err(|e| invalid(e.to_string()))?;
    if let Some(e) = aside.error {
        return Err(DirectorError::internal(format!(
            "copying an archive aside: {e}"
        )));
    }
    if report.artifact == verify::Artifact::Stemcell {
        return Err(invalid("the tarball is a stemcell: use upload-stemcell"));
    }
    if !report.ok() {
        let lines: Vec<String> = report
            .findings
            .iter()
            .filter(|f| f.severity == verify::Severity::Error)
            .map(|f| format!("  {f}"))
            .collect();
        return Err(invalid(format!(
            "release '{}/{}' failed verification, nothing was registered:\n{}",
            m.name,
            m.version,
            lines.join("\n")
        )));
    }
    if report.name != m.name || report.version != m.version {
        return Err(invalid("release.MF changed while it was read"));
    }
    Ok(aside.files)
}

/// Moves the archives the tarball held into the store, with the director's stages: new
/// packages, then new jobs. Archives the store holds already stay as they are unless `fix`.
async fn store_archives(
    app: &App,
    task: &Arc<Task>,
    m: &ReleaseManifest,
    objects: &[(String, ObjectId)],
    mut aside: BTreeMap<String, TempPath>,
    fix: bool,
) -> Result<(), DirectorError> {
    let label: BTreeMap<String, String> = m
        .jobs
        .iter()
        .map(|j| {
            (
                format!("jobs/{}.tgz", j.name),
                format!("{}/{}", j.name, j.version),
            )
        })
        .chain(m.packages.iter().map(|p| {
            (
                format!("packages/{}.tgz", p.name),
                format!("{}/{}", p.name, p.version),
            )
        }))
        .chain(m.compiled_packages.iter().map(|p| {
            (
                format!("compiled_packages/{}.tgz", p.name),
                format!(
                    "{}/{} for {}",
                    p.name,
                    p.version,
                    p.stemcell.clone().unwrap_or_default()
                ),
            )
        }))
        .collect();
    let mut new: BTreeMap<&str, Vec<(&str, &ObjectId)>> = BTreeMap::new();
    let mut seen = BTreeSet::new();
    for (entry, id) in objects {
        if !aside.contains_key(entry) || !seen.insert(id.as_str()) {
            continue;
        }
        let have = app
            .store
            .size(id)
            .await
            .map_err(DirectorError::internal)?
            .is_some();
        if have && !fix {
            continue;
        }
        let stage = if entry.starts_with("jobs/") {
            "Creating new jobs"
        } else if entry.starts_with("compiled_packages/") {
            "Creating new compiled packages"
        } else if entry.starts_with("packages/") {
            "Creating new packages"
        } else {
            "Creating license"
        };
        new.entry(stage).or_default().push((entry, id));
    }
    for stage_name in [
        "Creating new packages",
        "Creating new compiled packages",
        "Creating new jobs",
        "Creating license",
    ] {
        let Some(list) = new.get(stage_name) else {
            continue;
        };
        let mut stage = task.stage(stage_name, list.len());
        for (entry, id) in list {
            let step = label
                .get(*entry)
                .cloned()
                .unwrap_or_else(|| entry.to_string());
            let i = stage.start(&step);
            let file = aside.remove(*entry).expect("copied aside");
            if let Err(e) = app.store.adopt(id, file).await {
                let msg = format!("storing {entry}: {e:?}");
                stage.fail(i, &step, &msg);
                return Err(DirectorError::internal(msg));
            }
            stage.finish(i, &step);
        }
    }
    Ok(())
}
