//! Render contexts: read from the reference renderer's `context.json`, and those bale
//! builds itself: from a deployment manifest's instance group (its job properties and
//! manifest-defined links), and for linting (spec defaults, placeholders for required
//! properties, one instance per consumed link with the providing job's defaults when the
//! release has one).

use std::path::Path;

use serde_json::{json, Map, Value};

use super::{Context, ContextError, Job};

impl Context {
    /// The reference renderer's context.json, read from `path`.
    pub fn from_file(path: &Path) -> Result<Context, ContextError> {
        let text = std::fs::read_to_string(path).map_err(|source| ContextError::Read {
            path: path.to_path_buf(),
            source,
        })?;
        Context::from_json(path, &text)
    }

    /// The reference renderer's context.json; `path` names it in errors.
    pub fn from_json(path: &Path, text: &str) -> Result<Context, ContextError> {
        let v: serde_json::Value =
            serde_json::from_str(text).map_err(|source| ContextError::Json {
                path: path.to_path_buf(),
                source,
            })?;
        let serde_json::Value::Object(map) = v else {
            return Err(ContextError::NotAnObject {
                path: path.to_path_buf(),
            });
        };
        let mut c = Context::default();
        for (k, v) in map {
            match k.as_str() {
                "properties" => c.properties = v,
                "links" => c.links = v.into(),
                "dns" => c.dns = v,
                "provided_links" => c.provided_links = v,
                _ => {
                    std::sync::Arc::make_mut(&mut c.fields).insert(k, v);
                }
            }
        }
        Ok(c)
    }
}

/// The instance spec bale invents when a manifest or linter gives none.
fn instance_fields(
    deployment: &str,
    group: &str,
    job: &str,
    index: i64,
    az: &str,
    ip: &str,
    network: &str,
) -> Map<String, Value> {
    let id = format!("{:08x}-0000-4000-8000-{:012x}", index, index);
    let Value::Object(m) = json!({
        "deployment": deployment,
        "name": group,
        "index": index,
        "id": id,
        "az": az,
        "bootstrap": index == 0,
        "address": ip,
        "ip": ip,
        "dns_domain_name": "bosh",
        "persistent_disk": 0,
        "networks": { network: { "type": "manual", "ip": ip, "netmask": "255.255.255.0", "gateway": "10.0.0.1", "default": ["dns", "gateway"], "dns": ["10.0.0.2"], "cloud_properties": {} } },
        "job": { "name": group, "templates": [{ "name": job }] },
        "release": { "name": "release", "version": "0+dev.1" },
        "properties_need_filtering": true,
    }) else {
        unreachable!()
    };
    m
}

/// A context from a deployment manifest: the instance group running `job`, its job
/// properties and manifest-defined (manual) links.
pub fn context_from_manifest(
    path: &Path,
    job: &Job,
    group: Option<&str>,
    index: i64,
) -> Result<Context, ContextError> {
    let text = std::fs::read_to_string(path).map_err(|source| ContextError::Read {
        path: path.to_path_buf(),
        source,
    })?;
    let m = super::load_yaml_json(&text).map_err(|source| ContextError::Yaml {
        path: path.to_path_buf(),
        source,
    })?;
    let deployment = m
        .get("name")
        .and_then(|v| v.as_str())
        .unwrap_or("deployment")
        .to_string();
    let groups: Vec<Value> = match m.get("instance_groups").and_then(|v| v.as_array()) {
        Some(g) => g.clone(),
        None if m.get("jobs").is_some() => vec![m.clone()],
        None => {
            return Err(ContextError::NoGroups {
                path: path.to_path_buf(),
            })
        }
    };
    let has_job = |g: &Value| {
        g.get("jobs").and_then(|j| j.as_array()).is_some_and(|js| {
            js.iter()
                .any(|j| j.get("name").and_then(|n| n.as_str()) == Some(job.name.as_str()))
        })
    };
    let ig = groups
        .iter()
        .find(|g| match group {
            Some(n) => g.get("name").and_then(|v| v.as_str()) == Some(n),
            None => has_job(g),
        })
        .ok_or_else(|| ContextError::NoGroup {
            path: path.to_path_buf(),
            group: group.map(String::from),
            job: job.name.to_string(),
        })?;
    let igname = ig
        .get("name")
        .and_then(|v| v.as_str())
        .unwrap_or("instance")
        .to_string();
    let jdef = ig
        .get("jobs")
        .and_then(|j| j.as_array())
        .and_then(|js| {
            js.iter()
                .find(|j| j.get("name").and_then(|n| n.as_str()) == Some(job.name.as_str()))
                .cloned()
        })
        .unwrap_or(Value::Null);
    let az = ig
        .get("azs")
        .and_then(|a| a.as_array())
        .and_then(|a| a.first())
        .and_then(|a| a.as_str())
        .unwrap_or("z1")
        .to_string();
    let net = ig
        .get("networks")
        .and_then(|n| n.as_array())
        .and_then(|n| n.first())
        .cloned()
        .unwrap_or(Value::Null);
    let netname = net
        .get("name")
        .and_then(|n| n.as_str())
        .unwrap_or("default")
        .to_string();
    let ip = net
        .get("static_ips")
        .and_then(|s| s.as_array())
        .and_then(|s| s.get(index as usize))
        .and_then(|s| s.as_str())
        .map(String::from)
        .unwrap_or_else(|| format!("10.0.0.{}", 10 + index));
    let mut fields = instance_fields(&deployment, &igname, &job.name, index, &az, &ip, &netname);
    let jobs_list: Vec<Value> = ig
        .get("jobs")
        .and_then(|j| j.as_array())
        .map(|js| {
            js.iter()
                .map(|j| json!({ "name": j.get("name").cloned().unwrap_or(Value::Null) }))
                .collect()
        })
        .unwrap_or_default();
    fields.insert(
        "job".into(),
        json!({ "name": igname, "templates": jobs_list }),
    );
    if let Some(rel) = jdef.get("release").and_then(|r| r.as_str()) {
        let version = m
            .get("releases")
            .and_then(|r| r.as_array())
            .and_then(|rs| {
                rs.iter()
                    .find(|r| r.get("name").and_then(|n| n.as_str()) == Some(rel))
            })
            .and_then(|r| r.get("version"))
            .map(|v| match v {
                Value::String(s) => s.clone(),
                o => o.to_string(),
            })
            .unwrap_or_else(|| "latest".into());
        fields.insert("release".into(), json!({ "name": rel, "version": version }));
    }
    if let Some(d) = ig.get("persistent_disk") {
        fields.insert("persistent_disk".into(), d.clone());
    }
    let mut props = jdef
        .get("properties")
        .cloned()
        .unwrap_or(Value::Object(Map::new()));
    if props.is_null() {
        props = Value::Object(Map::new());
    }
    let mut links = Map::new();
    if let Some(Value::Object(cons)) = jdef.get("consumes") {
        for (name, l) in cons {
            if l.is_null() || l.as_str() == Some("nil") {
                continue;
            }
            if l.get("instances").is_some()
                || l.get("properties").is_some()
                || l.get("address").is_some()
            {
                let instances: Vec<Value> = l.get("instances").and_then(|i| i.as_array()).cloned().unwrap_or_default().into_iter().enumerate().map(|(i, inst)| {
                    json!({ "name": name, "index": i, "id": format!("{:08x}-0000-4000-8000-{:012x}", i, i), "az": az, "address": inst.get("address").cloned().unwrap_or(Value::Null), "bootstrap": i == 0 })
                }).collect();
                let mut link = json!({ "instance_group": name, "default_network": netname, "deployment_name": deployment, "domain": "bosh", "properties": l.get("properties").cloned().unwrap_or(Value::Null), "instances": instances, "use_short_dns_addresses": false, "use_link_dns_names": false });
                if let Some(a) = l.get("address") {
                    link["address"] = a.clone();
                }
                links.insert(name.clone(), link);
            }
        }
    }
    Ok(Context {
        fields: fields.into(),
        properties: props,
        links: Value::Object(links).into(),
        dns: Value::Null,
        provided_links: Value::Null,
    })
}

/// Spec defaults plus placeholders for required properties, and a link with one instance
/// for each consumed link (its properties from a providing job's defaults when the release
/// has one).
pub fn lint_context(job: &Job, providers: &[Job]) -> Context {
    let fields = instance_fields(
        "lint",
        &job.name,
        &job.name,
        0,
        "z1",
        "10.0.0.10",
        "default",
    );
    let mut props = Value::Object(Map::new());
    if let Some(Value::Object(p)) = job.spec().get("properties") {
        for (name, def) in p {
            let has_default = def.get("default").is_some_and(|d| !d.is_null());
            if has_default {
                continue;
            }
            let v = def
                .get("example")
                .filter(|e| !e.is_null())
                .cloned()
                .unwrap_or_else(|| placeholder(name, def));
            set_dotted(&mut props, name, v);
        }
    }
    let mut links = Map::new();
    if let Some(Value::Array(cons)) = job.spec().get("consumes") {
        for c in cons {
            let Some(name) = c.get("name").and_then(|n| n.as_str()) else {
                continue;
            };
            let ty = c.get("type").and_then(|t| t.as_str()).unwrap_or("");
            let mut lprops = Value::Object(Map::new());
            if let Some((pjob, names)) = providers.iter().find_map(|p| {
                p.spec()
                    .get("provides")
                    .and_then(|v| v.as_array())
                    .and_then(|ps| {
                        ps.iter()
                            .find(|pr| pr.get("type").and_then(|t| t.as_str()) == Some(ty))
                    })
                    .map(|pr| {
                        (
                            p,
                            pr.get("properties")
                                .and_then(|v| v.as_array())
                                .cloned()
                                .unwrap_or_default(),
                        )
                    })
            }) {
                for n in names {
                    let Some(n) = n.as_str() else { continue };
                    let def = pjob
                        .spec()
                        .get("properties")
                        .and_then(|p| p.get(n))
                        .cloned()
                        .unwrap_or(Value::Null);
                    let v = def
                        .get("default")
                        .filter(|d| !d.is_null())
                        .cloned()
                        .or_else(|| def.get("example").filter(|e| !e.is_null()).cloned())
                        .unwrap_or_else(|| placeholder(n, &def));
                    set_dotted(&mut lprops, n, v);
                }
            }
            links.insert(name.to_string(), json!({
                "instance_group": name, "default_network": "default", "deployment_name": "lint", "domain": "bosh",
                "properties": lprops, "use_short_dns_addresses": false, "use_link_dns_names": false,
                "instances": [{ "name": name, "index": 0, "id": "00000000-0000-4000-8000-000000000000", "az": "z1", "address": "10.0.0.20", "bootstrap": true }],
                "address": "10.0.0.20",
            }));
        }
    }
    Context {
        fields: fields.into(),
        properties: props,
        links: Value::Object(links).into(),
        dns: Value::Null,
        provided_links: Value::Null,
    }
}

/// A value of the kind the property's name or type suggests.
fn placeholder(name: &str, def: &Value) -> Value {
    let last = name.rsplit('.').next().unwrap_or(name).to_lowercase();
    let ty = def.get("type").and_then(|t| t.as_str()).unwrap_or("");
    match ty {
        "integer" | "int" | "number" => return json!(1),
        "boolean" | "bool" => return json!(false),
        "array" | "list" => return json!([]),
        "hash" | "object" | "map" => return json!({}),
        _ => {}
    }
    if last.ends_with("port")
        || last.ends_with("_timeout")
        || last.ends_with("count")
        || last.ends_with("_size")
        || last == "timeout"
        || last.ends_with("_seconds")
        || last.ends_with("_interval")
    {
        json!(1)
    } else if last.starts_with("enable") || last.ends_with("_enabled") || last == "enabled" {
        json!(false)
    } else if last.ends_with('s')
        && !last.ends_with("ss")
        && !last.ends_with("address")
        && !last.ends_with("status")
    {
        json!([])
    } else {
        json!(format!("((placeholder:{name}))"))
    }
}

fn set_dotted(root: &mut Value, name: &str, v: Value) {
    let segs: Vec<&str> = name.split('.').collect();
    let mut cur = root;
    for s in &segs[..segs.len() - 1] {
        if !cur.get(*s).is_some_and(|x| x.is_object()) {
            cur[*s] = Value::Object(Map::new());
        }
        cur = cur.get_mut(*s).unwrap();
    }
    cur[*segs.last().unwrap()] = v;
}
