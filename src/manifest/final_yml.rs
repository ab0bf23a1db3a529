//! `config/final.yml` merged with `config/private.yml` (spec: release-format §1.1).

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;

use super::yaml::{self, YamlError};

#[derive(Debug, Default, Clone, Deserialize)]
pub struct FinalConfig {
    pub name: Option<String>,
    pub final_name: Option<String>,
    pub blobstore: Option<BlobstoreSection>,
    pub no_compression: Option<bool>,
}

#[derive(Debug, Default, Clone, Deserialize)]
pub struct BlobstoreSection {
    pub provider: Option<String>,
    pub options: Option<BTreeMap<String, serde_json::Value>>,
}

#[derive(Debug, Default, Clone, Deserialize)]
struct PrivateConfig {
    blobstore: Option<BlobstoreSection>,
}

/// The blobstore a release's final builds and blobs live in, options already merged.
#[derive(Debug, Clone, PartialEq)]
pub struct BlobstoreConfig {
    pub provider: String,
    pub options: BTreeMap<String, serde_json::Value>,
}

/// What `config/final.yml` lacks for a command, in the CLI's words.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ConfigError {
    #[error("Expected only one of 'name' or 'final_name' in config '{}'", .0.display())]
    NameAndFinalName(std::path::PathBuf),
    #[error("Expected non-empty 'name' in config '{}'", .0.display())]
    NoName(std::path::PathBuf),
    #[error("Expected non-empty 'blobstore.provider' in config '{}'", .0.display())]
    NoBlobstore(std::path::PathBuf),
}

impl FinalConfig {
    /// Reads final.yml (absent = empty) and merges private.yml's blobstore options over it,
    /// key by key, private winning; private.yml's `provider` is ignored as the CLI ignores it.
    pub fn load(final_path: &Path, private_path: &Path) -> Result<FinalConfig, YamlError> {
        let mut cfg: FinalConfig = if final_path.exists() {
            yaml::read_maybe_empty(final_path)?
        } else {
            FinalConfig::default()
        };
        if private_path.exists() {
            let private: PrivateConfig = yaml::read_maybe_empty(private_path)?;
            if let Some(opts) = private.blobstore.and_then(|b| b.options) {
                let section = cfg.blobstore.get_or_insert_with(Default::default);
                let merged = section.options.get_or_insert_with(Default::default);
                merged.extend(opts);
            }
        }
        Ok(cfg)
    }

    /// The release name, or the CLI's message when none is set.
    pub fn release_name(&self, final_path: &Path) -> Result<String, ConfigError> {
        match (&self.name, &self.final_name) {
            (Some(_), Some(_)) => Err(ConfigError::NameAndFinalName(final_path.to_path_buf())),
            (Some(n), None) | (None, Some(n)) if !n.is_empty() => Ok(n.clone()),
            _ => Err(ConfigError::NoName(final_path.to_path_buf())),
        }
    }

    /// The configured blobstore, or the CLI's message when the provider is empty.
    pub fn blobstore(&self, final_path: &Path) -> Result<BlobstoreConfig, ConfigError> {
        let section = self.blobstore.clone().unwrap_or_default();
        match section.provider {
            Some(p) if !p.is_empty() => Ok(BlobstoreConfig {
                provider: p,
                options: section.options.unwrap_or_default(),
            }),
            _ => Err(ConfigError::NoBlobstore(final_path.to_path_buf())),
        }
    }
}
