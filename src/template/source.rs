//! Where a job's templates come from: a job directory, a release directory's `jobs/NAME`,
//! or a release tarball's `jobs/NAME.tgz` (read through bale's verified tarball reader).

use std::io::Read;
use std::path::Path;

use super::Job;
use crate::archive::{self, EntryInfo, EntryKind, EntryVisitor, VisitError};
use crate::name::Name;

/// Reads one job from a release directory (`jobs/NAME`) or a release tarball.
pub fn load_release_job(release: &Path, name: &str) -> Result<Job, String> {
    let name = &Name::new(name).map_err(|e| format!("job name {e}"))?;
    if release.is_dir() {
        let dir = name.under(&release.join("jobs"));
        if !dir.is_dir() {
            return Err(format!(
                "release '{}' has no job '{name}' (no {})",
                release.display(),
                dir.display()
            ));
        }
        return Job::from_dir(&dir);
    }
    let opened = crate::release::open::open(release, true).map_err(|e| e.to_string())?;
    job_from_opened(&opened, name)
}

/// Reads one job from a release tarball already opened (and its archives extracted), so a
/// caller that needs many jobs reads the tarball once.
pub fn job_from_opened(
    opened: &crate::release::open::OpenedTarball,
    name: &str,
) -> Result<Job, String> {
    let name = &Name::new(name).map_err(|e| format!("job name {e}"))?;
    let inner = opened.archive(&format!("jobs/{name}.tgz")).map_err(|e| {
        format!(
            "{e} (jobs in it: {})",
            opened
                .manifest
                .jobs
                .iter()
                .map(|j| j.name.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        )
    })?;
    job_from_archive(inner, name)
}

pub fn release_job_names(release: &Path) -> Result<Vec<String>, String> {
    if release.is_dir() {
        let mut names: Vec<String> = std::fs::read_dir(release.join("jobs"))
            .map_err(|e| {
                format!(
                    "{}: {e} (is this a release directory?)",
                    release.join("jobs").display()
                )
            })?
            .filter_map(|e| e.ok())
            .filter(|e| e.path().join("spec").is_file())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        return Ok(names);
    }
    let opened = crate::release::open::open(release, false).map_err(|e| e.to_string())?;
    Ok(opened
        .manifest
        .jobs
        .iter()
        .map(|j| j.name.clone())
        .collect())
}

struct JobFiles(std::collections::HashMap<String, Vec<u8>>);

impl EntryVisitor for JobFiles {
    fn entry(&mut self, info: &EntryInfo, data: &mut dyn Read) -> Result<(), VisitError> {
        if info.kind != EntryKind::File {
            return Ok(());
        }
        let mut buf = Vec::new();
        data.read_to_end(&mut buf)?;
        self.0
            .insert(info.name.trim_start_matches("./").to_string(), buf);
        Ok(())
    }
}

fn job_from_archive(path: &Path, name: &str) -> Result<Job, String> {
    let mut files = JobFiles(Default::default());
    archive::read_entries(path, &mut files).map_err(|e| e.to_string())?;
    let spec = files
        .0
        .get("job.MF")
        .ok_or_else(|| format!("job '{name}' has no job.MF"))?;
    let limit = crate::manifest::yaml::MAX_SPEC_BYTES;
    if spec.len() as u64 > limit {
        return Err(format!(
            "jobs/{name}/job.MF: larger than {limit} bytes, the most bale reads of a job spec; refused"
        ));
    }
    let spec = String::from_utf8_lossy(spec).into_owned();
    let monit = files.0.get("monit").cloned();
    Job::from_parts(
        Path::new(&format!("jobs/{name}/job.MF")),
        &spec,
        monit,
        |src| {
            files
                .0
                .get(&format!("templates/{src}"))
                .cloned()
                .ok_or_else(|| format!("job '{name}' has no templates/{src}"))
        },
        name.to_string(),
    )
}
