//! The releases given with `--release`: each a release directory (its name from
//! `config/final.yml`, jobs read from `jobs/NAME`) or a release tarball (its name and version
//! from `release.MF`, opened once). Jobs are loaded once each, when a manifest names them.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::release::open::OpenedTarball;
use crate::template::source::{job_from_opened, load_release_job, release_job_names};
use crate::template::{Job, JobError};

/// Why a `--release` argument, or a job the manifest names, is unusable. Cloned for every
/// instance group that names the same job, so the job's error is shared.
#[derive(Debug, Clone, thiserror::Error)]
pub enum ReleaseError {
    #[error("release '{}': {source}", path.display())]
    Unreadable {
        path: PathBuf,
        #[source]
        source: Arc<JobError>,
    },
    #[error("releases '{}' and '{}' are both named '{name}'", first.display(), second.display())]
    Duplicate {
        name: String,
        first: PathBuf,
        second: PathBuf,
    },
    /// A job the manifest names from a release that was not given.
    #[error("release '{release}' was not given (--release has: {})", given.join(", "))]
    NotGiven {
        release: String,
        job: String,
        given: Vec<String>,
    },
    /// A job the manifest names that its release lacks; `suggestion` when it looks like a
    /// typo of one it has.
    #[error("release '{release}' has no job '{job}'{}", suggestion.as_ref().map(|s| format!(" (did you mean '{s}'?)")).unwrap_or_default())]
    NoJob {
        release: String,
        job: String,
        suggestion: Option<String>,
    },
    /// A job the release has, whose files are unusable.
    #[error("{source}")]
    Job {
        release: String,
        job: String,
        #[source]
        source: Arc<JobError>,
    },
}

impl ReleaseError {
    /// The release and job, when the error is about a job the manifest names.
    pub fn job(&self) -> Option<(&str, &str)> {
        match self {
            ReleaseError::NotGiven { release, job, .. }
            | ReleaseError::NoJob { release, job, .. }
            | ReleaseError::Job { release, job, .. } => Some((release, job)),
            _ => None,
        }
    }
}

enum Source {
    Dir(PathBuf),
    Tarball(Box<OpenedTarball>),
}

pub struct Release {
    pub name: String,
    /// From `release.MF` for a tarball; a directory has none.
    pub version: Option<String>,
    pub job_names: Vec<String>,
    source: Source,
}

/// Every release given, by name.
#[derive(Default)]
pub struct Releases {
    by_name: HashMap<String, Release>,
    jobs: HashMap<(String, String), Result<Job, ReleaseError>>,
}

fn dir_release_name(dir: &Path) -> String {
    let cfg = crate::manifest::final_yml::FinalConfig::load(
        &dir.join("config/final.yml"),
        &dir.join("config/private.yml"),
    );
    cfg.ok()
        .and_then(|c| c.release_name(&dir.join("config/final.yml")).ok())
        .unwrap_or_else(|| {
            dir.canonicalize()
                .ok()
                .and_then(|p| p.file_name().map(|s| s.to_string_lossy().into_owned()))
                .unwrap_or_default()
                .trim_end_matches("-release")
                .to_string()
        })
}

impl Releases {
    pub fn open(paths: &[PathBuf]) -> Result<Releases, ReleaseError> {
        let mut out = Releases::default();
        let mut origin: HashMap<String, PathBuf> = HashMap::new();
        for p in paths {
            let unreadable = |e: JobError| ReleaseError::Unreadable {
                path: p.clone(),
                source: Arc::new(e),
            };
            let rel = if p.is_dir() {
                Release {
                    name: dir_release_name(p),
                    version: None,
                    job_names: release_job_names(p).map_err(unreadable)?,
                    source: Source::Dir(p.clone()),
                }
            } else {
                let opened = crate::release::open::open(p, true)
                    .map_err(|e| unreadable(JobError::Release(e)))?;
                Release {
                    name: opened.manifest.name.clone(),
                    version: Some(opened.manifest.version.clone()),
                    job_names: opened
                        .manifest
                        .jobs
                        .iter()
                        .map(|j| j.name.clone())
                        .collect(),
                    source: Source::Tarball(Box::new(opened)),
                }
            };
            if let Some(first) = origin.get(&rel.name) {
                return Err(ReleaseError::Duplicate {
                    name: rel.name,
                    first: first.clone(),
                    second: p.clone(),
                });
            }
            origin.insert(rel.name.clone(), p.clone());
            out.by_name.insert(rel.name.clone(), rel);
        }
        Ok(out)
    }

    pub fn get(&self, name: &str) -> Option<&Release> {
        self.by_name.get(name)
    }

    /// A job's version as its release tarball records it (a directory records none).
    pub fn job_version(&self, release: &str, job: &str) -> Option<String> {
        match &self.by_name.get(release)?.source {
            Source::Tarball(t) => t
                .manifest
                .jobs
                .iter()
                .find(|j| j.name == job)
                .map(|j| j.version.clone()),
            Source::Dir(_) => None,
        }
    }

    pub fn names(&self) -> Vec<&str> {
        let mut n: Vec<&str> = self.by_name.keys().map(String::as_str).collect();
        n.sort();
        n
    }

    /// Loads (once) the job `job` of release `release`; the error says what is missing.
    pub fn load(&mut self, release: &str, job: &str) -> Result<&Job, ReleaseError> {
        let key = (release.to_string(), job.to_string());
        if !self.jobs.contains_key(&key) {
            let unusable = |e: JobError| ReleaseError::Job {
                release: release.to_string(),
                job: job.to_string(),
                source: Arc::new(e),
            };
            let loaded = match self.by_name.get(release) {
                None => Err(ReleaseError::NotGiven {
                    release: release.to_string(),
                    job: job.to_string(),
                    given: self.names().into_iter().map(String::from).collect(),
                }),
                Some(r) if !r.job_names.iter().any(|n| n == job) => Err(ReleaseError::NoJob {
                    release: release.to_string(),
                    job: job.to_string(),
                    suggestion: did_you_mean(job, r.job_names.iter().map(String::as_str))
                        .map(String::from),
                }),
                Some(Release {
                    source: Source::Dir(d),
                    ..
                }) => load_release_job(d, job).map_err(unusable),
                Some(Release {
                    source: Source::Tarball(t),
                    ..
                }) => job_from_opened(t, job).map_err(unusable),
            };
            self.jobs.insert(key.clone(), loaded);
        }
        self.jobs[&key].as_ref().map_err(Clone::clone)
    }
}

/// The closest name by edit distance, when it is close enough to be a typo.
pub fn did_you_mean<'a>(word: &str, candidates: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    let limit = (word.chars().count() / 3).clamp(1, 4);
    candidates
        .map(|c| (distance(word, c), c))
        .filter(|(d, _)| *d <= limit)
        .min()
        .map(|(_, c)| c)
}

/// Levenshtein distance with adjacent transpositions counted as one edit.
fn distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut d = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in d[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut v = (d[i - 1][j] + 1)
                .min(d[i][j - 1] + 1)
                .min(d[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                v = v.min(d[i - 2][j - 2] + 1);
            }
            d[i][j] = v;
        }
    }
    d[a.len()][b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typos_find_their_name_and_strangers_do_not() {
        let names = ["port", "tls.cert", "listen_address"];
        assert_eq!(did_you_mean("prot", names.into_iter()), Some("port"));
        assert_eq!(
            did_you_mean("listen_adress", names.into_iter()),
            Some("listen_address")
        );
        assert_eq!(did_you_mean("database", names.into_iter()), None);
    }
}
