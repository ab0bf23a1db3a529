//! Where a job's templates come from: a job directory, a release directory's `jobs/NAME`,
//! or a release tarball's `jobs/NAME.tgz` (read through bale's verified tarball reader).

use std::io::Read;
use std::path::Path;

use super::{Job, JobError};
use crate::archive::{self, EntryInfo, EntryKind, EntryVisitor, VisitError};
use crate::name::Name;

/// Reads one job from a release directory (`jobs/NAME`) or a release tarball.
pub fn load_release_job(release: &Path, name: &str) -> Result<Job, JobError> {
    let name = &Name::new(name).map_err(JobError::Name)?;
    if release.is_dir() {
        let dir = name.under(&release.join("jobs"));
        if !dir.is_dir() {
            return Err(JobError::NotInDir {
                release: release.to_path_buf(),
                job: name.to_string(),
                dir,
            });
        }
        return Job::from_dir(&dir);
    }
    let opened = crate::release::open::open(release, true)?;
    job_from_opened(&opened, name)
}

/// Reads one job from a release tarball already opened (and its archives extracted), so a
/// caller that needs many jobs reads the tarball once.
pub fn job_from_opened(
    opened: &crate::release::open::OpenedTarball,
    name: &str,
) -> Result<Job, JobError> {
    let name = &Name::new(name).map_err(JobError::Name)?;
    let inner = opened
        .archive(&format!("jobs/{name}.tgz"))
        .map_err(|source| JobError::NotInTarball {
            source,
            jobs: opened
                .manifest
                .jobs
                .iter()
                .map(|j| j.name.clone())
                .collect(),
        })?;
    job_from_archive(inner, name)
}

pub fn release_job_names(release: &Path) -> Result<Vec<String>, JobError> {
    if release.is_dir() {
        let dir = release.join("jobs");
        let mut names: Vec<String> = std::fs::read_dir(&dir)
            .map_err(|source| JobError::NoJobsDir {
                dir: dir.clone(),
                source,
            })?
            .filter_map(|e| e.ok())
            .filter(|e| e.path().join("spec").is_file())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        return Ok(names);
    }
    let opened = crate::release::open::open(release, false)?;
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

fn job_from_archive(path: &Path, name: &str) -> Result<Job, JobError> {
    let mut files = JobFiles(Default::default());
    archive::read_entries(path, &mut files)?;
    let spec = files
        .0
        .get("job.MF")
        .ok_or_else(|| JobError::NoJobMf(name.to_string()))?;
    let limit = crate::manifest::yaml::MAX_SPEC_BYTES;
    if spec.len() as u64 > limit {
        return Err(JobError::SpecTooLarge {
            job: name.to_string(),
            limit,
        });
    }
    let spec = String::from_utf8_lossy(spec).into_owned();
    let monit = files.0.get("monit").cloned();
    Job::from_parts(
        Path::new(&format!("jobs/{name}/job.MF")),
        spec,
        monit,
        |src| {
            files
                .0
                .get(&format!("templates/{src}"))
                .cloned()
                .ok_or_else(|| JobError::NoTemplate {
                    job: name.to_string(),
                    source_path: src.to_string(),
                })
        },
        name.to_string(),
    )
}
