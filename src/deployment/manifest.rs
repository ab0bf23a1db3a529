//! The parts of a deployment manifest the director reads to render templates, taken from the
//! manifest as the director reads it (Psych's YAML 1.1, after variables were substituted):
//! releases, features, global properties and each instance group's instances, AZs,
//! networks and jobs with their properties and link blocks.

use serde_json::{Map, Value};

/// One instance group's network: its name, the static IPs the manifest lists (ranges
/// expanded) and the `default:` list.
#[derive(Debug, Clone)]
pub struct NetworkRef {
    pub name: String,
    pub static_ips: Vec<String>,
    pub default: Vec<String>,
}

/// A job of an instance group as the manifest writes it.
#[derive(Debug, Clone)]
pub struct JobRef {
    pub name: String,
    pub release: String,
    /// The job's own `properties` block, when it has one (even empty).
    pub properties: Option<Value>,
    pub consumes: Map<String, Value>,
    pub provides: Map<String, Value>,
    pub custom_providers: Vec<Value>,
    /// Position in the manifest, for messages: `instance_groups[i].jobs[j]`.
    pub at: (usize, usize),
}

#[derive(Debug, Clone)]
pub struct Group {
    pub name: String,
    pub instances: usize,
    pub azs: Vec<String>,
    pub networks: Vec<NetworkRef>,
    pub properties: Value,
    pub persistent_disk: Option<Value>,
    pub lifecycle: String,
    pub jobs: Vec<JobRef>,
}

#[derive(Debug, Clone, Default)]
pub struct Features {
    pub use_dns_addresses: bool,
    pub use_short_dns_addresses: bool,
    pub use_link_dns_names: bool,
}

#[derive(Debug, Clone)]
pub struct Manifest {
    pub name: String,
    /// `releases:` name → version as written (`latest`, `1.2.3`).
    pub releases: Vec<(String, String)>,
    pub features: Features,
    pub properties: Value,
    pub groups: Vec<Group>,
}

/// Why a manifest cannot be planned: the path of the offending entry and what is wrong.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{at}: {message}")]
pub struct ManifestError {
    pub at: String,
    pub message: String,
}

fn err(at: impl Into<String>, message: impl Into<String>) -> ManifestError {
    ManifestError {
        at: at.into(),
        message: message.into(),
    }
}

fn scalar(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

fn string_at(m: &Map<String, Value>, key: &str, at: &str) -> Result<String, ManifestError> {
    match m.get(key) {
        Some(Value::String(s)) => Ok(s.clone()),
        Some(other) => Err(err(
            format!("{at}.{key}"),
            format!("expected a string, found {}", kind(other)),
        )),
        None => Err(err(at, format!("missing '{key}'"))),
    }
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "a hash",
    }
}

fn hash_or_empty(v: Option<&Value>, at: &str) -> Result<Map<String, Value>, ManifestError> {
    match v {
        None | Some(Value::Null) => Ok(Map::new()),
        Some(Value::Object(m)) => Ok(m.clone()),
        Some(o) => Err(err(at, format!("expected a hash, found {}", kind(o)))),
    }
}

/// A `static_ips` entry that is neither an address nor a range of at most 65,536 addresses.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IpError {
    #[error("invalid IP address '{0}'")]
    Address(String),
    #[error("invalid IP range '{0}'")]
    Range(String),
}

/// Expands `10.0.0.1 - 10.0.0.4` ranges (IPv4) as the director's static IP parser does.
pub fn expand_ips(entry: &str) -> Result<Vec<String>, IpError> {
    let parse = |s: &str| {
        s.trim()
            .parse::<std::net::Ipv4Addr>()
            .map(u32::from)
            .map_err(|_| IpError::Address(s.trim().to_string()))
    };
    match entry.split_once('-') {
        Some((a, b)) => {
            let (a, b) = (parse(a)?, parse(b)?);
            if b < a || b - a > 65_536 {
                return Err(IpError::Range(entry.to_string()));
            }
            Ok((a..=b)
                .map(|n| std::net::Ipv4Addr::from(n).to_string())
                .collect())
        }
        None if entry.contains(':') => Ok(vec![entry.trim().to_string()]),
        None => Ok(vec![std::net::Ipv4Addr::from(parse(entry)?).to_string()]),
    }
}

impl Manifest {
    /// Reads the manifest's structure; values stay as the director would hand them on.
    pub fn from_value(doc: &Value) -> Result<Manifest, ManifestError> {
        let Value::Object(top) = doc else {
            return Err(err("manifest", "expected a hash at the top"));
        };
        let name = string_at(top, "name", "manifest")?;
        let mut releases = Vec::new();
        if let Some(Value::Array(rs)) = top.get("releases") {
            for (i, r) in rs.iter().enumerate() {
                let at = format!("releases[{i}]");
                let Value::Object(r) = r else {
                    return Err(err(at, "expected a hash"));
                };
                let n = string_at(r, "name", &at)?;
                let v = r.get("version").and_then(scalar).unwrap_or_default();
                releases.push((n, v));
            }
        }
        let features = hash_or_empty(top.get("features"), "features")?;
        let flag = |k: &str| features.get(k).and_then(Value::as_bool).unwrap_or(false);
        let features = Features {
            use_dns_addresses: flag("use_dns_addresses"),
            use_short_dns_addresses: flag("use_short_dns_addresses"),
            use_link_dns_names: flag("use_link_dns_names"),
        };
        let properties = Value::Object(hash_or_empty(top.get("properties"), "properties")?);
        let groups = match top.get("instance_groups") {
            Some(Value::Array(gs)) => gs
                .iter()
                .enumerate()
                .map(|(i, g)| parse_group(i, g))
                .collect::<Result<Vec<_>, _>>()?,
            None | Some(Value::Null) => Vec::new(),
            Some(o) => {
                return Err(err(
                    "instance_groups",
                    format!("expected a list, found {}", kind(o)),
                ))
            }
        };
        let mut seen = std::collections::HashSet::new();
        for g in &groups {
            if !seen.insert(g.name.as_str()) {
                return Err(err(
                    "instance_groups",
                    format!("duplicate instance group name '{}'", g.name),
                ));
            }
        }
        Ok(Manifest {
            name,
            releases,
            features,
            properties,
            groups,
        })
    }

    /// The version the manifest asks for of a release (`latest` when it does not say).
    pub fn release_version(&self, release: &str) -> Option<&str> {
        self.releases
            .iter()
            .find(|(n, _)| n == release)
            .map(|(_, v)| v.as_str())
    }
}

fn parse_group(i: usize, g: &Value) -> Result<Group, ManifestError> {
    let at = format!("instance_groups[{i}]");
    let Value::Object(g) = g else {
        return Err(err(at, "expected a hash"));
    };
    let name = string_at(g, "name", &at)?;
    let at = format!("instance_groups[{i}] ({name})");
    let instances = match g.get("instances") {
        Some(Value::Number(n)) => n.as_u64().filter(|n| *n <= 100_000).ok_or_else(|| {
            err(
                &at,
                "'instances' must be a non-negative integer (at most 100000)",
            )
        })? as usize,
        Some(o) => {
            return Err(err(
                &at,
                format!("'instances' must be an integer, found {}", kind(o)),
            ))
        }
        None => return Err(err(&at, "missing 'instances'")),
    };
    let azs = match g.get("azs") {
        Some(Value::Array(a)) => a.iter().filter_map(scalar).collect(),
        _ => Vec::new(),
    };
    let mut networks = Vec::new();
    if let Some(Value::Array(ns)) = g.get("networks") {
        for (k, n) in ns.iter().enumerate() {
            let nat = format!("{at}.networks[{k}]");
            let Value::Object(n) = n else {
                return Err(err(nat, "expected a hash"));
            };
            let nname = string_at(n, "name", &nat)?;
            let mut static_ips = Vec::new();
            if let Some(Value::Array(ips)) = n.get("static_ips") {
                for ip in ips.iter().filter_map(scalar) {
                    static_ips.extend(expand_ips(&ip).map_err(|e| err(&nat, e.to_string()))?);
                }
            }
            let default = match n.get("default") {
                Some(Value::Array(d)) => d.iter().filter_map(scalar).collect(),
                _ => Vec::new(),
            };
            networks.push(NetworkRef {
                name: nname,
                static_ips,
                default,
            });
        }
    }
    let properties = Value::Object(hash_or_empty(
        g.get("properties"),
        &format!("{at}.properties"),
    )?);
    let lifecycle = g
        .get("lifecycle")
        .and_then(Value::as_str)
        .unwrap_or("service")
        .to_string();
    let mut jobs = Vec::new();
    match g.get("jobs") {
        Some(Value::Array(js)) => {
            for (j, job) in js.iter().enumerate() {
                let jat = format!("{at}.jobs[{j}]");
                let Value::Object(job) = job else {
                    return Err(err(jat, "expected a hash"));
                };
                let jname = string_at(job, "name", &jat)?;
                let release = string_at(job, "release", &jat)?;
                let properties = match job.get("properties") {
                    None | Some(Value::Null) => None,
                    Some(p @ Value::Object(_)) => Some(p.clone()),
                    Some(o) => {
                        return Err(err(
                            format!("{jat}.properties"),
                            format!("expected a hash, found {}", kind(o)),
                        ))
                    }
                };
                let custom_providers = match job.get("custom_provider_definitions") {
                    Some(Value::Array(a)) => a.clone(),
                    _ => Vec::new(),
                };
                jobs.push(JobRef {
                    name: jname,
                    release,
                    properties,
                    consumes: hash_or_empty(job.get("consumes"), &format!("{jat}.consumes"))?,
                    provides: hash_or_empty(job.get("provides"), &format!("{jat}.provides"))?,
                    custom_providers,
                    at: (i, j),
                });
            }
        }
        _ => return Err(err(&at, "does not specify jobs key")),
    }
    for (k, j) in jobs.iter().enumerate() {
        if jobs[..k].iter().any(|o| o.name == j.name) {
            return Err(err(
                &at,
                format!("job '{}' is colocated more than once", j.name),
            ));
        }
    }
    Ok(Group {
        name,
        instances,
        azs,
        networks,
        properties,
        persistent_disk: g.get("persistent_disk").cloned(),
        lifecycle,
        jobs,
    })
}

/// Hashes merged as Ruby's `recursive_merge`: nested hashes merged, anything else replaced.
pub fn recursive_merge(base: &Value, over: &Value) -> Value {
    match (base, over) {
        (Value::Object(a), Value::Object(b)) => {
            let mut out = a.clone();
            for (k, v) in b {
                let merged = match out.get(k) {
                    Some(old) => recursive_merge(old, v),
                    None => v.clone(),
                };
                out.insert(k.clone(), merged);
            }
            Value::Object(out)
        }
        (_, o) => o.clone(),
    }
}

impl Group {
    /// The properties the director hands a job: its own block, or when it has none the
    /// deployment's global properties merged with the instance group's.
    pub fn job_properties(&self, job: &JobRef, global: &Value) -> Value {
        match &job.properties {
            Some(p) => p.clone(),
            None => recursive_merge(global, &self.properties),
        }
    }

    /// The network carrying `gateway` (and `addressable`, `dns`) for the instance: a
    /// network's explicit `default:` list wins; with a single network it is that one.
    pub fn default_network(&self, role: &str) -> Option<&NetworkRef> {
        if self.networks.len() == 1 {
            return self.networks.first();
        }
        self.networks
            .iter()
            .find(|n| n.default.iter().any(|d| d == role))
    }

    /// The sorted `default:` list of a network in the instance's settings (absent when the
    /// network carries no default).
    pub fn defaults_of(&self, net: &str) -> Vec<String> {
        let mut out: Vec<String> = ["addressable", "dns", "gateway"]
            .iter()
            .filter(|role| {
                self.networks.len() == 1 && **role != "addressable"
                    || self
                        .networks
                        .iter()
                        .find(|n| n.name == net)
                        .is_some_and(|n| n.default.iter().any(|d| d == *role))
            })
            .map(|s| s.to_string())
            .collect();
        out.sort();
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn ranges_expand_and_bad_ranges_are_refused() {
        assert_eq!(
            expand_ips("10.0.0.1 - 10.0.0.3").unwrap(),
            ["10.0.0.1", "10.0.0.2", "10.0.0.3"]
        );
        assert_eq!(
            expand_ips("10.0.0.3 - 10.0.0.1").unwrap_err().to_string(),
            "invalid IP range '10.0.0.3 - 10.0.0.1'"
        );
        assert_eq!(
            expand_ips(" nope ").unwrap_err(),
            IpError::Address("nope".into())
        );
    }

    #[test]
    fn job_without_properties_reads_global_and_group_merged() {
        let m = Manifest::from_value(&json!({
            "name": "d", "properties": {"a": {"x": 1, "y": 2}},
            "instance_groups": [{"name": "g", "instances": 1, "properties": {"a": {"y": 3}},
              "jobs": [{"name": "j", "release": "r"}, {"name": "k", "release": "r", "properties": {}}]}]
        }))
        .unwrap();
        let g = &m.groups[0];
        assert_eq!(
            g.job_properties(&g.jobs[0], &m.properties),
            json!({"a": {"x": 1, "y": 3}})
        );
        assert_eq!(g.job_properties(&g.jobs[1], &m.properties), json!({}));
    }
}
