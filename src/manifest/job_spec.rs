//! `jobs/<name>/spec`: the keys release authoring reads (spec: release-format §1.4). The file
//! itself ships byte for byte as `job.MF`, so nothing here is ever written back.

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::name::{NameError, RelPath};

#[derive(Debug, Clone, Default, Deserialize)]
pub struct JobSpec {
    #[serde(default)]
    pub name: String,
    /// Source under the job's `templates/` → destination under the job's directory on the
    /// VM, in the spec's key order; both checked and cleaned (`./bin/ctl` → `bin/ctl`) as
    /// they are read. A list, not a map: `./a` and `a` are two keys to the CLI, and each
    /// counts in the job's fingerprint.
    #[serde(default, deserialize_with = "templates")]
    pub templates: Option<Vec<(RelPath, RelPath)>>,
    #[serde(default)]
    pub packages: Option<Vec<String>>,
}

/// Checks one `templates:` entry. A source climbing out of `templates/` would read a host
/// file into the job; a destination climbing out would be written outside the job's
/// directory by whoever renders it. `.` and empty segments are cleaned away as the CLI
/// (Go's `filepath.Join`) does, so releases the CLI builds are accepted.
pub fn template_entry(src: &str, dest: &str) -> Result<(RelPath, RelPath), TemplateEntryError> {
    let s = RelPath::normalized(src).map_err(TemplateEntryError::Source)?;
    let d = RelPath::normalized(dest).map_err(|problem| TemplateEntryError::Destination {
        entry: src.to_string(),
        problem,
    })?;
    Ok((s, d))
}

/// A `templates:` entry refused by [`template_entry`]; the caller adds the spec's path.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TemplateEntryError {
    #[error("templates entry {0}")]
    Source(#[source] NameError),
    #[error("templates entry '{}': destination {problem}", entry.escape_debug())]
    Destination {
        /// The entry's source, which names it in the spec.
        entry: String,
        #[source]
        problem: NameError,
    },
}

fn templates<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> Result<Option<Vec<(RelPath, RelPath)>>, D::Error> {
    let Some(raw) = Option::<BTreeMap<String, String>>::deserialize(d)? else {
        return Ok(None);
    };
    raw.iter()
        .map(|(s, t)| template_entry(s, t))
        .collect::<Result<Vec<_>, _>>()
        .map(Some)
        .map_err(serde::de::Error::custom)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn parse(text: &str) -> Result<JobSpec, crate::manifest::YamlError> {
        crate::manifest::yaml::from_str(Path::new("jobs/web/spec"), text)
    }

    #[test]
    fn templates_that_leave_the_job_are_refused_by_name() {
        let ok = parse("name: web\ntemplates:\n  ctl.erb: bin/ctl\n  conf/a.erb: config/a.conf\n")
            .unwrap();
        assert_eq!(ok.templates.unwrap().len(), 2);
        let cleaned = parse("name: web\ntemplates:\n  ./ctl.erb: ./bin//ctl\n  ctl.erb: bin/ctl\n")
            .unwrap()
            .templates
            .unwrap();
        let cleaned: Vec<(&str, &str)> = cleaned
            .iter()
            .map(|(s, d)| (s.as_str(), d.as_str()))
            .collect();
        assert_eq!(cleaned, [("ctl.erb", "bin/ctl"), ("ctl.erb", "bin/ctl")]);
        for (spec, want) in [
            (
                "  ctl.erb: /abs/x\n",
                "templates entry 'ctl.erb': destination '/abs/x' is absolute",
            ),
            (
                "  ctl.erb: ../../x\n",
                "templates entry 'ctl.erb': destination '../../x' has a '..' segment",
            ),
            (
                "  ../../../../etc/hostname: bin/x\n",
                "templates entry '../../../../etc/hostname' has a '..' segment",
            ),
        ] {
            let e = parse(&format!("name: web\ntemplates:\n{spec}"))
                .unwrap_err()
                .to_string();
            assert!(e.contains("jobs/web/spec") && e.contains(want), "{e}");
        }
    }
}
