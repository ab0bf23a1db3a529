//! `jobs/<name>/spec`: the keys release authoring reads (spec: release-format §1.4). The file
//! itself ships byte for byte as `job.MF`, so nothing here is ever written back.

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::name::RelPath;

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
pub fn template_entry(src: &str, dest: &str) -> Result<(RelPath, RelPath), String> {
    let s = RelPath::normalized(src).map_err(|e| format!("templates entry {e}"))?;
    let d = RelPath::normalized(dest)
        .map_err(|e| format!("templates entry '{}': destination {e}", src.escape_debug()))?;
    Ok((s, d))
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

    fn parse(text: &str) -> Result<JobSpec, String> {
        crate::manifest::yaml::from_str(Path::new("jobs/web/spec"), text).map_err(|e| e.to_string())
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
            let e = parse(&format!("name: web\ntemplates:\n{spec}")).unwrap_err();
            assert!(e.contains("jobs/web/spec") && e.contains(want), "{e}");
        }
    }
}
