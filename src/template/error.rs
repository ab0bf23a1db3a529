//! Why a job or a render context cannot be had. Each names the file or entry at fault, so the
//! message says where to look; `render`/`lint-templates` print them as they are (exit 2), and
//! `render-deployment` puts them under the release and job that asked.

use std::io;
use std::path::PathBuf;

use crate::manifest::job_spec::TemplateEntryError;
use crate::name::NameError;

/// A job that cannot be loaded from a directory, a release directory or a release tarball.
#[derive(Debug, thiserror::Error)]
pub enum JobError {
    #[error("no spec file in {}: {source}", dir.display())]
    NoSpec {
        dir: PathBuf,
        #[source]
        source: io::Error,
    },
    /// The spec could not be read (or is larger than bale reads).
    #[error(transparent)]
    SpecRead(#[from] crate::manifest::YamlError),
    /// The spec is not YAML the renderer reads (the engine's line and message).
    #[error("{}: {source}", path.display())]
    SpecYaml {
        path: PathBuf,
        source: rubyerb::YamlError,
    },
    #[error("{}: job name {source}", path.display())]
    BadName {
        path: PathBuf,
        #[source]
        source: NameError,
    },
    /// A `templates:` entry that would leave the job's directory.
    #[error("{}: {source}", path.display())]
    TemplateEntry {
        path: PathBuf,
        #[source]
        source: TemplateEntryError,
    },
    #[error("{}: {source}", path.display())]
    Template {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
    /// A job name asked for that cannot be a directory name.
    #[error("job name {0}")]
    Name(#[source] NameError),
    #[error("release '{}' has no job '{job}' (no {})", release.display(), dir.display())]
    NotInDir {
        release: PathBuf,
        job: String,
        dir: PathBuf,
    },
    #[error("{}: {source} (is this a release directory?)", dir.display())]
    NoJobsDir {
        dir: PathBuf,
        #[source]
        source: io::Error,
    },
    /// The release tarball could not be opened or read.
    #[error(transparent)]
    Release(#[from] crate::error::Error),
    #[error(transparent)]
    Archive(#[from] crate::archive::ReadError),
    #[error("{source} (jobs in it: {})", jobs.join(", "))]
    NotInTarball {
        #[source]
        source: crate::error::Error,
        jobs: Vec<String>,
    },
    #[error("job '{0}' has no job.MF")]
    NoJobMf(String),
    #[error(
        "jobs/{job}/job.MF: larger than {limit} bytes, the most bale reads of a job spec; refused"
    )]
    SpecTooLarge { job: String, limit: u64 },
    #[error("job '{job}' has no templates/{source_path}")]
    NoTemplate { job: String, source_path: String },
}

/// A render context that cannot be had from a context file or a deployment manifest.
#[derive(Debug, thiserror::Error)]
pub enum ContextError {
    #[error("{}: {source}", path.display())]
    Read {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
    #[error("{}: {source}", path.display())]
    Json {
        path: PathBuf,
        #[source]
        source: serde_json::Error,
    },
    #[error("{}: context must be a JSON object", path.display())]
    NotAnObject { path: PathBuf },
    /// The manifest is not YAML the renderer reads (the engine's line and message).
    #[error("{}: {source}", path.display())]
    Yaml {
        path: PathBuf,
        source: rubyerb::YamlError,
    },
    #[error("{}: no instance_groups (nor a single instance group with jobs)", path.display())]
    NoGroups { path: PathBuf },
    #[error("{}: no instance group {}", path.display(), match group {
        Some(g) => format!("'{g}'"),
        None => format!("runs job '{job}'"),
    })]
    NoGroup {
        path: PathBuf,
        group: Option<String>,
        job: String,
    },
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::template::source::load_release_job;
    use crate::template::Job;

    #[test]
    fn job_errors_name_the_file_and_keep_their_cause() {
        let dir = tempfile::tempdir().unwrap();
        let job = dir.path().join("jobs/web");
        std::fs::create_dir_all(job.join("templates")).unwrap();
        std::fs::write(
            job.join("spec"),
            "name: web\ntemplates:\n  ctl.erb: bin/ctl\n",
        )
        .unwrap();
        let Err(e) = Job::from_dir(&job) else {
            panic!("a job without its template loaded")
        };
        let JobError::Template { path, source } = &e else {
            panic!("{e}")
        };
        assert_eq!(path, &job.join("templates/ctl.erb"));
        assert_eq!(source.kind(), io::ErrorKind::NotFound);
        assert!(e.to_string().starts_with(&format!("{}: ", path.display())));

        let Err(e) = load_release_job(dir.path(), "db") else {
            panic!("a job the release lacks loaded")
        };
        assert!(
            matches!(&e, JobError::NotInDir { job, .. } if job == "db"),
            "{e}"
        );
        assert!(e
            .to_string()
            .ends_with(&format!("(no {})", dir.path().join("jobs/db").display())));
    }
}
