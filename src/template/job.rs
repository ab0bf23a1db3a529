//! Rendering one job as the director does: bind the manifest properties to the job spec
//! (declared names only, spec order, defaults for unset values, hashes sorted by key),
//! build the spec and links, render `monit` first (a failing monit stops there), then every
//! template in spec order, collecting every failure with its template line.

use std::path::Path;

use indexmap::IndexMap;

use rubyerb::{format, Interp, RHash, Value};

use super::api::{Api, Dns};
use super::error::{ContextError, JobError};
use crate::manifest::job_spec::template_entry;
use crate::name::{Name, RelPath};

/// A job as the renderer needs it: its spec and template sources.
#[derive(Clone)]
pub struct Job {
    /// From the spec's `name` (else the directory's): one checked segment, as lint writes
    /// `JOB.json` by it.
    pub name: Name,
    spec_json: std::sync::OnceLock<serde_json::Value>,
    pub monit: Option<Vec<u8>>,
    pub templates: Vec<TemplateFile>,
    /// The spec as Ruby reads it (YAML 1.1 scalars), kept for defaults.
    pub(crate) spec_value: SpecValue,
}

#[derive(Clone)]
pub struct TemplateFile {
    /// Key in the spec's `templates` map (path under `templates/`).
    pub source: RelPath,
    /// Destination relative to the job directory on the VM (and to `render --out`).
    pub dest: RelPath,
    pub body: Vec<u8>,
}

/// The spec document as plain data (so that `Job` stays `Send`), converted to Ruby values
/// for each render.
#[derive(Clone)]
pub(crate) struct SpecValue(Data);

#[derive(Clone, Debug)]
enum Data {
    Nil,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    Sym(String),
    Array(Vec<Data>),
    Hash(Vec<(Data, Data)>),
}

fn to_data(v: &Value) -> Data {
    match v {
        Value::Nil => Data::Nil,
        Value::Bool(b) => Data::Bool(*b),
        Value::Int(i) => Data::Int(*i),
        Value::Float(f) => Data::Float(*f),
        Value::Str(s) => Data::Str(s.borrow().clone()),
        Value::Sym(s) => Data::Sym(s.to_string()),
        Value::Array(a) => Data::Array(a.borrow().iter().map(to_data).collect()),
        Value::Hash(h) => Data::Hash(
            h.borrow()
                .map
                .values()
                .map(|(k, v)| (to_data(k), to_data(v)))
                .collect(),
        ),
        other => Data::Str(format::to_s(other)),
    }
}

fn from_data(d: &Data) -> Value {
    match d {
        Data::Nil => Value::Nil,
        Data::Bool(b) => Value::Bool(*b),
        Data::Int(i) => Value::Int(*i),
        Data::Float(f) => Value::Float(*f),
        Data::Str(s) => Value::str(s.as_str()),
        Data::Sym(s) => Value::sym(s),
        Data::Array(a) => Value::array(a.iter().map(from_data).collect()),
        Data::Hash(pairs) => {
            let mut h = RHash::new();
            for (k, v) in pairs {
                h.insert(from_data(k), from_data(v));
            }
            Value::hash(h)
        }
    }
}

/// Everything one instance's render depends on besides the job: the context.json format of
/// the reference renderer.
#[derive(Clone, Default)]
pub struct Context {
    pub fields: serde_json::Map<String, serde_json::Value>,
    pub properties: serde_json::Value,
    pub links: serde_json::Value,
    pub dns: serde_json::Value,
    pub provided_links: serde_json::Value,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Failure {
    /// `templates/<source>`, `monit`, or `spec` for a property-format error.
    pub path: String,
    /// Template line; `0` for spec errors.
    pub line: u32,
    pub message: String,
    /// Ruby's exception class (`Bosh::Common::Template::UnknownProperty`, `NoMethodError`...).
    pub class: String,
}

#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    /// The inputs are unusable (bad context, undeclared link): nothing was rendered.
    #[error("{0}")]
    Context(String),
    /// One or more templates failed: nothing is written.
    #[error("{} template(s) failed", .0.len())]
    Templates(Vec<Failure>),
}

/// The rendered job: `monit` (when the job has one) and every template's destination.
#[derive(Debug, Clone, Default)]
pub struct RenderedJob {
    pub name: String,
    pub files: Vec<(RelPath, Vec<u8>)>,
}

impl Job {
    /// Reads `DIR/spec`, `DIR/monit` and the templates the spec names.
    pub fn from_dir(dir: &Path) -> Result<Job, JobError> {
        let spec_path = dir.join("spec");
        let mut f = std::fs::File::open(&spec_path).map_err(|source| JobError::NoSpec {
            dir: dir.to_path_buf(),
            source,
        })?;
        let text = crate::manifest::yaml::read_capped(
            &mut f,
            &spec_path,
            crate::manifest::yaml::MAX_SPEC_BYTES,
        )?;
        let monit = std::fs::read(dir.join("monit")).ok();
        Job::from_parts(
            &spec_path,
            &text,
            monit,
            |src| {
                let path = src.under(&dir.join("templates"));
                std::fs::read(&path).map_err(|source| JobError::Template { path, source })
            },
            dir.file_name()
                .map(|s| s.to_os_string())
                .or_else(|| Some(std::fs::canonicalize(dir).ok()?.file_name()?.to_os_string()))
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default(),
        )
    }

    /// Builds a job from its spec text and a reader for `templates/<source>`. Every
    /// `templates:` entry is checked before anything is read: a source or destination that
    /// would leave the job's directory refuses the whole job, naming the entry.
    pub fn from_parts(
        spec_path: &Path,
        spec_text: &str,
        monit: Option<Vec<u8>>,
        mut read: impl FnMut(&RelPath) -> Result<Vec<u8>, JobError>,
        fallback_name: String,
    ) -> Result<Job, JobError> {
        let spec = rubyerb::yaml_in::load(spec_text).map_err(|source| JobError::SpecYaml {
            path: spec_path.to_path_buf(),
            source,
        })?;

        let spec_data = to_data(&spec);
        let name = match &spec {
            Value::Hash(h) => match h.borrow().get_str("name") {
                Some(Value::Str(n)) => Some(n.borrow().clone()),
                _ => None,
            },
            _ => None,
        }
        .unwrap_or(fallback_name);
        let name = Name::new(name).map_err(|source| JobError::BadName {
            path: spec_path.to_path_buf(),
            source,
        })?;
        let mut templates = Vec::new();
        if let Value::Hash(h) = &spec {
            if let Some(Value::Hash(t)) = h.borrow().get_str("templates") {
                let mut checked = Vec::new();
                for (src, dst) in t.borrow().pairs() {
                    let entry = template_entry(&format::to_s(&src), &format::to_s(&dst)).map_err(
                        |source| JobError::TemplateEntry {
                            path: spec_path.to_path_buf(),
                            source,
                        },
                    )?;
                    checked.push(entry);
                }
                for (source, dest) in checked {
                    let body = read(&source)?;
                    templates.push(TemplateFile { source, dest, body });
                }
            }
        }
        Ok(Job {
            name,
            spec_json: std::sync::OnceLock::new(),
            monit,
            templates,
            spec_value: SpecValue(spec_data),
        })
    }

    /// The spec as JSON-like data (for code that reads its fields: consumes, provides,
    /// property definitions); built on first use.
    pub fn spec(&self) -> &serde_json::Value {
        self.spec_json
            .get_or_init(|| rubyerb::yaml_in::to_json(&from_data(&self.spec_value.0)))
    }

    fn spec_ruby(&self) -> Value {
        from_data(&self.spec_value.0)
    }

    /// Consumed link names declared by the spec, read from the spec data itself: every render asks, and the JSON view of the whole
    /// spec would be built for it.
    pub fn consumes(&self) -> Vec<String> {
        fn field<'d>(d: &'d Data, name: &str) -> Option<&'d Data> {
            match d {
                Data::Hash(pairs) => pairs.iter().find_map(|(k, v)| match k {
                    Data::Str(k) if k == name => Some(v),
                    _ => None,
                }),
                _ => None,
            }
        }
        match field(&self.spec_value.0, "consumes") {
            Some(Data::Array(list)) => list
                .iter()
                .filter_map(|c| match field(c, "name") {
                    Some(Data::Str(n) | Data::Sym(n)) => Some(n.clone()),
                    _ => None,
                })
                .collect(),
            _ => Vec::new(),
        }
    }
}

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
                "links" => c.links = v,
                "dns" => c.dns = v,
                "provided_links" => c.provided_links = v,
                _ => {
                    c.fields.insert(k, v);
                }
            }
        }
        Ok(c)
    }
}

fn json_to_value(j: &serde_json::Value) -> Value {
    rubyerb::from_json(j, false)
}

fn hash_get(v: &Value, k: &str) -> Value {
    match v {
        Value::Hash(h) => h.borrow().get_str(k).cloned().unwrap_or(Value::Nil),
        _ => Value::Nil,
    }
}

/// Ruby's `ArgumentError` when two property keys cannot be ordered.
#[derive(Debug, thiserror::Error)]
#[error("comparison of Array with Array failed")]
struct Incomparable;

fn sort_property(it: &mut Interp, v: &Value) -> Result<Value, Incomparable> {
    match v {
        Value::Hash(h) => {
            let mut pairs = h.borrow().pairs();
            for p in pairs.iter_mut() {
                p.1 = sort_property(it, &p.1)?;
            }
            let f = it.top_frame();
            let mut failed = false;
            pairs.sort_by(
                |a, b| match rubyerb::methods::enumerable::cmp(it, &a.0, &b.0, &f) {
                    Ok(o) => o,
                    Err(_) => {
                        failed = true;
                        std::cmp::Ordering::Equal
                    }
                },
            );
            if failed {
                return Err(Incomparable);
            }
            let mut n = RHash::new();
            for (k, v) in pairs {
                n.insert(k, v);
            }
            Ok(Value::hash(n))
        }
        other => Ok(other.clone()),
    }
}

fn ruby_class(v: &Value) -> String {
    v.class_name()
}

/// `Job#bind_properties`: the director's property tree for one job.
fn bind_properties(
    it: &mut Interp,
    spec: &Value,
    manifest: &Value,
    sort: bool,
) -> Result<Value, Failure> {
    let mut bound = RHash::new();
    let bound_v = Value::hash(RHash::new());
    let _ = &mut bound;
    let props = hash_get(spec, "properties");
    let Value::Hash(props) = props else {
        return Ok(bound_v);
    };
    let spec_err = |message: String| Failure {
        path: "spec".into(),
        line: 0,
        message,
        class: "Bosh::Common::Template::InvalidPropertyType".into(),
    };
    for (pname, def) in props.borrow().pairs() {
        let pname = format::to_s(&pname);
        let segs: Vec<&str> = pname.split('.').collect();
        // format check
        let mut node = manifest.clone();
        for seg in &segs {
            if !matches!(node, Value::Hash(_)) {
                return Err(spec_err(format!(
                    "Property '{pname}' expects a hash, but received '{}'",
                    ruby_class(&node)
                )));
            }
            node = hash_get(&node, seg);
            if node.is_nil() {
                break;
            }
        }
        // lookup
        let mut value = manifest.clone();
        for seg in &segs {
            value = hash_get(&value, seg);
            if value.is_nil() {
                break;
            }
        }
        if value.is_nil() {
            value = hash_get(&def, "default").deep_copy();
        }
        if sort {
            value = sort_property(it, &value).map_err(|e| Failure {
                path: "spec".into(),
                line: 0,
                message: e.to_string(),
                class: "ArgumentError".into(),
            })?;
        }
        // store
        let mut cur = bound_v.clone();
        for seg in &segs[..segs.len() - 1] {
            let next = hash_get(&cur, seg);
            let next = if next.truthy() {
                next
            } else {
                let n = Value::hash(RHash::new());
                if let Value::Hash(h) = &cur {
                    h.borrow_mut().insert(Value::str(*seg), n.clone());
                }
                n
            };
            cur = next;
        }
        match &cur {
            Value::Hash(h) => h
                .borrow_mut()
                .insert(Value::str(*segs.last().unwrap()), value),
            Value::Str(_) => {
                return Err(Failure {
                    path: "spec".into(),
                    line: 0,
                    message: "no implicit conversion of String into Integer".into(),
                    class: "TypeError".into(),
                })
            }
            _ => {}
        }
    }
    Ok(bound_v)
}

/// Options that change output (all default to the current director's behaviour).
#[derive(Clone, Copy, Default)]
pub struct RenderOptions {
    /// Keep property hashes in manifest order, as the bosh-template test helper does.
    pub no_sort: bool,
    /// What each template may spend (steps, depth, sizes, time).
    pub limits: rubyerb::Limits,
    /// What `Time.now` reads: the real clock as on the director, or a fixed time for
    /// reproducible output.
    pub clock: rubyerb::Clock,
}

/// Renders every template of `job` for one instance.
pub fn render_job(job: &Job, ctx: &Context) -> Result<RenderedJob, RenderError> {
    render_job_with(job, ctx, RenderOptions::default())
}

pub fn render_job_with(
    job: &Job,
    ctx: &Context,
    opts: RenderOptions,
) -> Result<RenderedJob, RenderError> {
    // links must be declared
    let declared = job.consumes();
    if let serde_json::Value::Object(links) = &ctx.links {
        for k in links.keys() {
            if !declared.contains(k) {
                return Err(RenderError::Context(format!(
                    "Link '{k}' is not declared as a consumed link in this job."
                )));
            }
        }
    }
    let spec = job.spec_ruby();
    let dns = dns_tables(&ctx.dns);
    let mut sources: Vec<(String, RelPath, &[u8])> = Vec::new();
    if let Some(m) = &job.monit {
        let monit = RelPath::new("monit").expect("a plain name");
        sources.push(("monit".into(), monit, m));
    }
    for t in &job.templates {
        sources.push((format!("templates/{}", t.source), t.dest.clone(), &t.body));
    }
    let manifest_props = json_to_value(&ctx.properties);
    let mut files = Vec::new();
    let mut failures = Vec::new();
    // the bound property tree, built once
    let base_api = Api::new(Value::Nil, Value::Nil, dns.clone(), Value::Nil, opts.limits);
    let mut it0 = Interp::with_limits(&base_api, opts.limits);
    let bound = match bind_properties(&mut it0, &spec, &manifest_props, !opts.no_sort) {
        Ok(b) => b,
        Err(f) => return Err(RenderError::Templates(vec![f])),
    };
    drop(it0);
    // Spec fields reach templates only through `spec` (converted to fresh objects), `name`
    // and `index`, so they are shared; properties and links can be mutated by a template
    // and are copied for each one.
    let mut fields = RHash::new();
    for (k, v) in &ctx.fields {
        fields.insert(Value::str(k.as_str()), json_to_value(v));
    }
    let links_base = if ctx.links.is_null() {
        Value::hash(RHash::new())
    } else {
        json_to_value(&ctx.links)
    };
    // Templates may mutate what `p` returns; like the director, each template starts from
    // the pristine tree, and a fresh copy is made only after a template changed it.
    let fresh = || {
        let props = bound.deep_copy();
        let links = links_base.deep_copy();
        let mut spec_hash = fields.clone();
        spec_hash.insert(Value::str("properties"), props.clone());
        spec_hash.insert(Value::str("links"), links.clone());
        (props, links, Value::hash(spec_hash))
    };
    let (mut props, mut links, mut spec_v) = fresh();
    for (path, dest, body) in sources {
        let mut api = Api::new(
            spec_v.clone(),
            links.clone(),
            dns.clone(),
            props.clone(),
            opts.limits,
        );
        api.clock = opts.clock;
        let result = render_one(&api, body);
        drop(api);
        if !rubyerb::value::rb_eq(&props, &bound) || !rubyerb::value::rb_eq(&links, &links_base) {
            (props, links, spec_v) = fresh();
        }
        match result {
            Ok(out) => files.push((dest, out)),
            Err((line, class, message)) => {
                failures.push(Failure {
                    path: path.clone(),
                    line,
                    message,
                    class,
                });
                if path == "monit" {
                    break;
                }
            }
        }
    }
    if !failures.is_empty() {
        return Err(RenderError::Templates(failures));
    }
    Ok(RenderedJob {
        name: job.name.to_string(),
        files,
    })
}

fn dns_tables(v: &serde_json::Value) -> Dns {
    let table = |k: &str| -> IndexMap<String, String> {
        v.get(k)
            .and_then(|t| t.as_object())
            .map(|o| {
                o.iter()
                    .map(|(k, v)| {
                        (
                            k.clone(),
                            match v {
                                serde_json::Value::String(s) => s.clone(),
                                other => other.to_string(),
                            },
                        )
                    })
                    .collect()
            })
            .unwrap_or_default()
    };
    Dns {
        az_ids: table("az_ids"),
        network_ids: table("network_ids"),
        group_ids: table("group_ids"),
        instance_ids: table("instance_ids"),
    }
}

/// Renders one template; errors are (line, class, message).
fn render_one(api: &Api, body: &[u8]) -> Result<Vec<u8>, (u32, String, String)> {
    let program = super::compiled::get(body);
    let program = match &*program {
        Ok(p) => p,
        Err(e) => return Err((e.line, "SyntaxError".into(), e.message.clone())),
    };
    rubyerb::run(program, api, &api.limits).map_err(|f| (f.line, f.class, f.message))
}
