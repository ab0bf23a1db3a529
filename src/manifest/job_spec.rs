//! `jobs/<name>/spec`: the keys release authoring reads (spec: release-format §1.4). The file
//! itself ships byte for byte as `job.MF`, so nothing here is ever written back.

use std::collections::BTreeMap;

use serde::Deserialize;

#[derive(Debug, Clone, Default, Deserialize)]
pub struct JobSpec {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub templates: Option<BTreeMap<String, String>>,
    #[serde(default)]
    pub packages: Option<Vec<String>>,
}
