//! Serde models of the YAML files a release is made of, and their byte-exact writers.
//! Must not touch the filesystem beyond reading one named file: where files live is the
//! `release` module's business.

pub mod blobs_yml;
pub mod final_yml;
pub mod index;
pub mod job_spec;
pub mod package_spec;
pub mod release_mf;
pub mod value;
pub mod yaml;

pub use yaml::YamlError;
