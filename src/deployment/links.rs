//! Link resolution as the director does it (`Links::LinksParser`, `LinksManager`): every job
//! provides what its spec's `provides` (and the manifest's `custom_provider_definitions`)
//! declare, renamed by `provides.X.as`, hidden by `provides.X: nil`; every consumed link
//! is either a manual link (the manifest's `instances`/`properties`/`address`), blocked
//! (`nil`), explicit (`from:`, matched by provider name and type) or implicit (matched by
//! type alone); exactly one provider must match, except that an optional link with none
//! stays unset. Link content is the provider instance group's instances with addresses on
//! the consumer's network (`network:`), as IPs or DNS names (`ip_addresses:`, the
//! `use_dns_addresses` feature), and the provider's `provides.properties` from its job
//! properties, falling back to its spec defaults.

use std::collections::HashMap;

use serde_json::{json, Map, Value};

use super::manifest::JobRef;
use super::plan::{Plan, ROOT_DOMAIN};
use crate::template::Job;

/// A link one job offers.
#[derive(Debug, Clone)]
pub struct Provider {
    pub group: usize,
    pub job: String,
    pub original_name: String,
    pub ty: String,
    /// `as:`, else the original name.
    pub name: String,
    pub shared: bool,
    pub consumable: bool,
    pub properties: Value,
}

impl Provider {
    /// The DNS link group (`<name>-<type>`).
    pub fn group_name(&self) -> String {
        format!("{}-{}", self.name, self.ty)
    }
}

/// The outcome for a deployment: links per consuming (group, job), keyed by the consumer's
/// link name, the providers per (group, job), and every error (the director reports all).
#[derive(Default)]
pub struct Resolved {
    pub links: HashMap<(usize, String), Map<String, Value>>,
    pub providers: Vec<Provider>,
    pub errors: Vec<LinkIssue>,
    /// Manifest `consumes`/`provides` entries no spec declares: (group, job, kind, name).
    pub unknown: Vec<(usize, String, &'static str, String)>,
}

/// A link that cannot be provided or resolved, with the job whose manifest entry it is.
#[derive(Debug, Clone)]
pub struct LinkIssue {
    pub group: usize,
    pub job: usize,
    /// The consumed link's name, for a consumer's issue.
    pub link: Option<String>,
    pub message: String,
}

/// Jobs loaded from the releases, by (release, job).
pub type Jobs = HashMap<(String, String), Job>;

fn find_property<'a>(props: &'a Value, path: &str) -> Option<&'a Value> {
    let mut cur = props;
    for seg in path.split('.') {
        cur = cur.as_object()?.get(seg)?;
    }
    Some(cur)
}

fn set_path(root: &mut Map<String, Value>, path: &str, v: Value) {
    let segs: Vec<&str> = path.split('.').collect();
    let mut cur = root;
    for s in &segs[..segs.len() - 1] {
        let e = cur
            .entry(s.to_string())
            .or_insert_with(|| Value::Object(Map::new()));
        if !e.is_object() {
            *e = Value::Object(Map::new());
        }
        cur = e.as_object_mut().expect("just made a hash");
    }
    cur.insert(segs[segs.len() - 1].to_string(), v);
}

/// `LinkHelpers#process_link_properties`: the provider's listed properties from its job
/// properties (a key present with null counts as set), else the spec default.
fn link_properties(
    job: &Job,
    listed: Option<&Value>,
    props: &Value,
    errors: &mut Vec<String>,
) -> Value {
    let mut out = Map::new();
    let defs = job.spec().get("properties");
    for name in listed.and_then(Value::as_array).into_iter().flatten() {
        let Some(name) = name.as_str() else { continue };
        match find_property(props, name) {
            Some(v) => set_path(&mut out, name, v.clone()),
            None => match defs.and_then(|d| d.get(name)) {
                Some(def) => set_path(
                    &mut out,
                    name,
                    def.get("default").cloned().unwrap_or(Value::Null),
                ),
                None => errors.push(format!(
                    "Link property {name} in template {} is not defined in release spec",
                    job.name
                )),
            },
        }
    }
    Value::Object(out)
}

fn spec_list<'a>(job: &'a Job, key: &str) -> impl Iterator<Item = &'a Value> {
    job.spec()
        .get(key)
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
}

fn def_name(def: &Value) -> String {
    str_of(def, "name").to_string()
}

fn str_of<'a>(v: &'a Value, k: &str) -> &'a str {
    v.get(k).and_then(Value::as_str).unwrap_or("")
}

/// Resolves every link of the deployment; link groups get their DNS group ids (after the
/// instance groups') on the way.
pub fn resolve(plan: &mut Plan, jobs: &Jobs) -> Resolved {
    let mut r = providers(plan, jobs);
    for p in &r.providers {
        let key = format!("link/{}/{}", p.group_name(), plan.manifest.name);
        plan.dns.group_id(key);
    }
    consumers(plan, jobs, &mut r);
    r
}

fn providers(plan: &Plan, jobs: &Jobs) -> Resolved {
    let m = &plan.manifest;
    let mut r = Resolved::default();
    let job_of = |j: &JobRef| jobs.get(&(j.release.clone(), j.name.clone()));
    // providers
    for (gi, g) in m.groups.iter().enumerate() {
        for jr in &g.jobs {
            let Some(job) = job_of(jr) else { continue };
            let props = g.job_properties(jr, &m.properties);
            let issue = |r: &mut Resolved, message: String| {
                r.errors.push(LinkIssue {
                    group: gi,
                    job: jr.at.1,
                    link: None,
                    message,
                })
            };
            let mut manifest_provides = jr.provides.clone();
            let defs: Vec<&Value> = spec_list(job, "provides")
                .chain(jr.custom_providers.iter())
                .collect();
            for def in defs {
                let original = str_of(def, "name").to_string();
                let mut p = Provider {
                    group: gi,
                    job: jr.name.clone(),
                    original_name: original.clone(),
                    ty: str_of(def, "type").to_string(),
                    name: original.clone(),
                    shared: false,
                    consumable: true,
                    properties: Value::Null,
                };
                if let Some(src) = manifest_provides.remove(&original) {
                    match &src {
                        Value::String(s) if s == "nil" => p.consumable = false,
                        Value::Null => p.consumable = false,
                        Value::Object(o) => {
                            if o.contains_key("name") || o.contains_key("type") {
                                issue(&mut r, format!("Cannot specify 'name' or 'type' properties in the manifest for link '{original}' in job '{}' in instance group '{}'. Please provide these keys in the release only.", jr.name, g.name));
                                continue;
                            }
                            if let Some(a) = o.get("as").and_then(Value::as_str) {
                                p.name = a.to_string();
                            }
                            p.shared = o.get("shared") == Some(&Value::Bool(true));
                        }
                        _ => {
                            issue(&mut r, format!("Provider '{original}' in job '{}' in instance group '{}' specified in the manifest should only be a hash or string 'nil'", jr.name, g.name));
                            continue;
                        }
                    }
                }
                let mut errors = Vec::new();
                p.properties = link_properties(job, def.get("properties"), &props, &mut errors);
                if errors.is_empty() {
                    r.providers.push(p);
                }
                for e in errors {
                    issue(&mut r, e);
                }
            }
            for k in manifest_provides.keys() {
                r.unknown.push((gi, jr.name.clone(), "provides", k.clone()));
            }
        }
    }
    r
}

fn consumers(plan: &Plan, jobs: &Jobs, r: &mut Resolved) {
    let m = &plan.manifest;
    let job_of = |j: &JobRef| jobs.get(&(j.release.clone(), j.name.clone()));
    for (gi, g) in m.groups.iter().enumerate() {
        for jr in &g.jobs {
            let Some(job) = job_of(jr) else { continue };
            let mut manifest_consumes = jr.consumes.clone();
            let mut links = Map::new();
            for def in spec_list(job, "consumes") {
                let original = str_of(def, "name").to_string();
                let ty = str_of(def, "type").to_string();
                let optional = def.get("optional") == Some(&Value::Bool(true));
                let src = manifest_consumes.remove(&original);
                match consume(plan, &r.providers, gi, jr, &original, &ty, optional, src) {
                    Ok(Some(link)) => {
                        links.insert(original, link);
                    }
                    Ok(None) => {}
                    Err(e) => r.errors.push(LinkIssue {
                        group: gi,
                        job: jr.at.1,
                        link: Some(def_name(def)),
                        message: e.to_string(),
                    }),
                }
            }
            for k in manifest_consumes.keys() {
                r.unknown.push((gi, jr.name.clone(), "consumes", k.clone()));
            }
            r.links.insert((gi, jr.name.clone()), links);
        }
    }
}

/// Which consumed link of which job of which instance group, as the director names it.
#[derive(Debug, Clone)]
pub struct ConsumerAt {
    pub link: String,
    pub job: String,
    pub group: String,
}

impl std::fmt::Display for ConsumerAt {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "'{}' in job '{}' in instance group '{}'",
            self.link, self.job, self.group
        )
    }
}

/// A consumed link that cannot be resolved, in the director's words.
#[derive(Debug, Clone, thiserror::Error)]
pub enum LinkError {
    #[error("Consumer {0} specified in the manifest should only be a hash or string 'nil'")]
    NotHashOrNil(ConsumerAt),
    #[error("Cannot specify both '{key}' and 'from' keys for link {at}.")]
    BothKeys { key: &'static str, at: ConsumerAt },
    #[error("Cannot specify 'properties' without 'instances' for link {0}.")]
    PropertiesWithoutInstances(ConsumerAt),
    #[error("Cannot specify 'name' or 'type' properties in the manifest for link {0}. Please provide these keys in the release only.")]
    NameOrType(ConsumerAt),
    #[error("Cannot specify non boolean values for 'ip_addresses' field for link {0}.")]
    IpAddressesNotBool(ConsumerAt),
    #[error("Link {at} consumes from deployment '{deployment}': links across deployments need a director, bale renders one deployment")]
    OtherDeployment { at: ConsumerAt, deployment: String },
    /// `head` is the director's "Failed to resolve link ..." line.
    #[error("{head} Details below:\n    - No link providers found")]
    NoProvider { head: String },
    #[error("{head} Multiple link providers found:{}", providers.iter().map(|p| format!("\n    - {p}")).collect::<String>())]
    Ambiguous {
        head: String,
        providers: Vec<String>,
    },
    #[error("{head} Details below:\n    - {provider}")]
    NotOnNetwork { head: String, provider: String },
}

fn header(original: &str, alias: &str, ty: &str, job: &str, group: &str) -> String {
    let mut h = format!("Failed to resolve link '{original}' with ");
    if original != alias {
        h.push_str(&format!("alias '{alias}' and "));
    }
    h.push_str(&format!(
        "type '{ty}' from job '{job}' in instance group '{group}'."
    ));
    h
}

#[allow(clippy::too_many_arguments)]
fn consume(
    plan: &Plan,
    providers: &[Provider],
    gi: usize,
    jr: &JobRef,
    original: &str,
    ty: &str,
    optional: bool,
    src: Option<Value>,
) -> Result<Option<Value>, LinkError> {
    let m = &plan.manifest;
    let gname = &m.groups[gi].name;
    let at = || ConsumerAt {
        link: original.to_string(),
        job: jr.name.clone(),
        group: gname.clone(),
    };
    let (explicit, blocked) = match &src {
        None => (false, false),
        Some(Value::Null) => (true, true),
        Some(Value::String(s)) if s == "nil" => (true, true),
        Some(Value::Object(_)) => (true, false),
        Some(_) => return Err(LinkError::NotHashOrNil(at())),
    };
    let o = src.as_ref().and_then(Value::as_object);
    let mut alias = original.to_string();
    let mut network = None;
    let mut ip_addresses = None;
    if let Some(o) = o {
        for bad in ["instances", "properties"] {
            if o.contains_key(bad) && o.contains_key("from") {
                return Err(LinkError::BothKeys { key: bad, at: at() });
            }
        }
        if o.contains_key("properties") && !o.contains_key("instances") {
            return Err(LinkError::PropertiesWithoutInstances(at()));
        }
        if o.contains_key("name") || o.contains_key("type") {
            return Err(LinkError::NameOrType(at()));
        }
        if ["instances", "properties", "address"]
            .iter()
            .any(|k| o.contains_key(*k))
        {
            let mut link = Map::new();
            link.insert(
                "address".into(),
                o.get("address").cloned().unwrap_or(Value::Null),
            );
            link.insert("deployment_name".into(), json!(m.name));
            link.insert("group_name".into(), json!(format!("{original}-{ty}")));
            link.insert(
                "instances".into(),
                o.get("instances").cloned().unwrap_or(Value::Null),
            );
            link.insert(
                "properties".into(),
                o.get("properties").cloned().unwrap_or(Value::Null),
            );
            return Ok(Some(Value::Object(link)));
        }
        if let Some(f) = o.get("from").and_then(Value::as_str) {
            alias = f.rsplit('.').next().unwrap_or(f).to_string();
        }
        match o.get("ip_addresses") {
            None => {}
            Some(Value::Bool(b)) => ip_addresses = Some(*b),
            Some(_) => return Err(LinkError::IpAddressesNotBool(at())),
        }
        network = o.get("network").and_then(Value::as_str).map(String::from);
        if let Some(d) = o.get("deployment").and_then(Value::as_str) {
            if d != m.name {
                return Err(LinkError::OtherDeployment {
                    at: at(),
                    deployment: d.to_string(),
                });
            }
        }
    }
    let found: Vec<&Provider> = if blocked {
        Vec::new()
    } else {
        providers
            .iter()
            .filter(|p| p.ty == ty && p.consumable && (!explicit || p.name == alias))
            .collect()
    };
    if found.is_empty() && optional && (!explicit || blocked) {
        return Ok(None);
    }
    let head = header(original, &alias, ty, &jr.name, gname);
    let detail = |p: &Provider, net: Option<&str>| {
        let mut d = format!("Link provider '{}' ", p.original_name);
        if p.original_name != p.name {
            d.push_str(&format!("with alias '{}' ", p.name));
        }
        d.push_str(&format!(
            "from job '{}' in instance group '{}' in deployment '{}'",
            p.job, m.groups[p.group].name, m.name
        ));
        if let Some(n) = net {
            d.push_str(&format!(" does not belong to network '{n}'"));
        }
        d
    };
    if found.is_empty() {
        return Err(LinkError::NoProvider { head });
    }
    if found.len() > 1 {
        return Err(LinkError::Ambiguous {
            head,
            providers: found.iter().map(|p| detail(p, None)).collect(),
        });
    }
    let p = found[0];
    let pg = &m.groups[p.group];
    let default_net = pg
        .default_network("addressable")
        .or_else(|| pg.default_network("gateway"))
        .map(|n| n.name.clone());
    if let Some(n) = &network {
        if !pg.networks.iter().any(|x| &x.name == n) {
            return Err(LinkError::NotOnNetwork {
                head,
                provider: detail(p, Some(n)),
            });
        }
    }
    let net = network.or(default_net).unwrap_or_default();
    let f = &m.features;
    let use_dns = match ip_addresses {
        None => f.use_dns_addresses,
        Some(ip) => !ip,
    };
    let (group_type, group_name) = if f.use_link_dns_names {
        ("link", p.group_name())
    } else {
        ("instance-group", pg.name.clone())
    };
    let short = f.use_short_dns_addresses || f.use_link_dns_names;
    let instances: Vec<Value> = plan
        .instances_of(p.group)
        .map(|inst| {
            let ip = plan.ip_on(inst, &net).flatten();
            let address = match ip {
                Some(ip) if !use_dns => ip.to_string(),
                _ => plan.encode_instance(inst, (group_type, &group_name), &net, short),
            };
            json!({
                "name": pg.name, "id": inst.id, "index": inst.index, "bootstrap": inst.bootstrap,
                "az": inst.az, "address": address,
            })
        })
        .collect();
    Ok(Some(json!({
        "deployment_name": m.name,
        "domain": ROOT_DOMAIN,
        "default_network": net,
        "instance_group": pg.name,
        "properties": p.properties,
        "use_short_dns_addresses": f.use_short_dns_addresses,
        "use_link_dns_names": f.use_link_dns_names,
        "instances": instances,
        "group_name": p.group_name(),
    })))
}
