//! The layout of a release directory: every path, by name (spec: release-format §1). Other code asks this
//! type for paths instead of formatting them.

use std::path::{Path, PathBuf};

use crate::error::{Context, Error, Result};
use crate::manifest::blobs_yml::BlobsIndex;
use crate::manifest::final_yml::FinalConfig;
use crate::name::Name;

/// The three kinds of build a release is made of; names match index directory names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Job,
    Package,
    License,
}

impl Kind {
    pub fn word(self) -> &'static str {
        match self {
            Kind::Job => "job",
            Kind::Package => "package",
            Kind::License => "license",
        }
    }
}

/// Dev builds live in git-ignored `.dev_builds`; final builds in committed `.final_builds`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    Dev,
    Final,
}

#[derive(Debug, Clone)]
pub struct ReleaseDir {
    root: PathBuf,
}

impl ReleaseDir {
    /// Paths are made absolute (not canonical: symlinks stay as the user gave them), so
    /// messages and glob results name files the way the CLI does.
    pub fn new(root: &Path) -> ReleaseDir {
        let abs = std::path::absolute(root).unwrap_or_else(|_| root.to_path_buf());
        let clean: PathBuf = abs
            .components()
            .filter(|c| !matches!(c, std::path::Component::CurDir))
            .collect();
        ReleaseDir { root: clean }
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    pub fn final_yml(&self) -> PathBuf {
        self.root.join("config/final.yml")
    }

    pub fn private_yml(&self) -> PathBuf {
        self.root.join("config/private.yml")
    }

    pub fn blobs_yml(&self) -> PathBuf {
        self.root.join("config/blobs.yml")
    }

    pub fn blobs_dir(&self) -> PathBuf {
        self.root.join("blobs")
    }

    pub fn src_dir(&self) -> PathBuf {
        self.root.join("src")
    }

    pub fn jobs_dir(&self) -> PathBuf {
        self.root.join("jobs")
    }

    pub fn packages_dir(&self) -> PathBuf {
        self.root.join("packages")
    }

    fn builds_dir(&self, stage: Stage) -> PathBuf {
        self.root.join(match stage {
            Stage::Dev => ".dev_builds",
            Stage::Final => ".final_builds",
        })
    }

    /// `.dev_builds/jobs/<name>/index.yml`, `.../license/index.yml`, ...
    pub fn build_index(&self, stage: Stage, kind: Kind, name: &str) -> PathBuf {
        let base = self.builds_dir(stage);
        match kind {
            Kind::Job => base.join("jobs").join(name).join("index.yml"),
            Kind::Package => base.join("packages").join(name).join("index.yml"),
            Kind::License => base.join("license/index.yml"),
        }
    }

    pub fn releases_dir(&self, stage: Stage, name: &str) -> PathBuf {
        self.root
            .join(match stage {
                Stage::Dev => "dev_releases",
                Stage::Final => "releases",
            })
            .join(name)
    }

    pub fn release_index(&self, stage: Stage, name: &str) -> PathBuf {
        self.releases_dir(stage, name).join("index.yml")
    }

    pub fn release_manifest(&self, stage: Stage, name: &str, version: &str) -> PathBuf {
        self.releases_dir(stage, name)
            .join(format!("{name}-{version}.yml"))
    }

    pub fn config(&self) -> Result<FinalConfig> {
        Ok(FinalConfig::load(&self.final_yml(), &self.private_yml())?)
    }

    pub fn blobs_index(&self) -> Result<BlobsIndex> {
        BlobsIndex::load(&self.blobs_yml()).map_err(|e| match e {
            // The CLI's nesting, its inner lines not indented again.
            e @ crate::manifest::YamlError::Unmarshal { .. } => {
                Error::msg(format!("Unmarshalling blobs index:\n  {e}"))
            }
            e => e.into(),
        })
    }

    /// `--name`, else the config's name, with the CLI's hint when neither is set. It names
    /// `dev_releases/<name>/` and `<name>-<version>.yml`, so it must be one name.
    pub fn release_name(&self, flag: Option<&str>) -> Result<String> {
        let name = match flag {
            Some(n) => n.to_string(),
            None => {
                let cfg = self.config()?;
                cfg.release_name(&self.final_yml())
                    .map_err(Error::msg)
                    .context("Check that you're in the top-level of the release directory")?
            }
        };
        Name::new(name).map(String::from).map_err(|e| {
            let from = match flag {
                Some(_) => "--name".to_string(),
                None => format!("'name' in {}", self.final_yml().display()),
            };
            Error::msg(format!("Invalid release name {e} ({from})"))
        })
    }
}
