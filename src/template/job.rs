//! A job as the renderer reads it (its spec, `monit` and templates, from a directory or
//! from parts), the context of one instance's render, and what a render gives back.

use std::path::Path;
use std::sync::Arc;

use rubyerb::data::Data;

use super::error::JobError;
use super::read::{read_shared, read_to_end, JobDir};
use crate::name::{Name, RelPath};

/// A job as the renderer needs it: its spec and template sources.
#[derive(Clone)]
pub struct Job {
    /// From the spec's `name` (else the directory's): one checked segment, as lint writes
    /// `JOB.json` by it.
    pub name: Name,
    spec_json: std::sync::OnceLock<serde_json::Value>,
    pub monit: Option<Arc<[u8]>>,
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
    /// Shared with the compile cache, which keys the template's program by it.
    pub body: Arc<[u8]>,
}

/// The spec document as plain data (so that `Job` stays `Send`), converted to Ruby values
/// where a render needs them.
#[derive(Clone)]
pub(crate) struct SpecValue(pub(super) std::sync::Arc<Data>);

/// Everything one instance's render depends on besides the job: the context.json format of
/// the reference renderer.
#[derive(Clone, Default)]
pub struct Context {
    /// Shared with the spec objects templates are given, which convert a field when it is
    /// read (`spec_obj.rs`).
    pub fields: std::sync::Arc<serde_json::Map<String, serde_json::Value>>,
    pub properties: serde_json::Value,
    pub links: std::sync::Arc<serde_json::Value>,
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

/// The largest template or `monit` file read: a template is code and text of a few
/// kilobytes; a file past this (or a device) is refused, naming it, before it fills memory.
pub const MAX_TEMPLATE_BYTES: u64 = 16 << 20;

impl Job {
    /// Reads `DIR/spec`, `DIR/monit` and the templates the spec names.
    pub fn from_dir(dir: &Path) -> Result<Job, JobError> {
        let spec_path = crate::name::joined(dir, "spec");
        let no_spec = |source| JobError::NoSpec {
            dir: dir.to_path_buf(),
            source,
        };
        let files = JobDir::open(dir).map_err(no_spec)?;
        let f = files.file(&["spec"]).map_err(no_spec)?;
        let limit = crate::manifest::yaml::MAX_SPEC_BYTES;
        let text = read_to_end(f, limit)
            .map_err(|source| crate::manifest::YamlError::Io {
                path: spec_path.clone(),
                source,
            })?
            .ok_or_else(|| crate::manifest::YamlError::TooLarge {
                path: spec_path.clone(),
                limit,
            })?;
        let loaded = super::compiled::spec_bytes(text).map_err(|e| match e {
            None => JobError::from(crate::manifest::YamlError::Io {
                path: spec_path.clone(),
                source: std::io::Error::new(
                    std::io::ErrorKind::InvalidData,
                    "stream did not contain valid UTF-8",
                ),
            }),
            Some(source) => JobError::SpecYaml {
                path: spec_path.clone(),
                source,
            },
        })?;
        let read = |parts: &[&str]| {
            read_shared(files.file(parts)?, MAX_TEMPLATE_BYTES)?.ok_or_else(|| {
                std::io::Error::new(
                    std::io::ErrorKind::InvalidData,
                    format!("larger than {} MiB", MAX_TEMPLATE_BYTES >> 20),
                )
            })
        };
        // (a file's path is only made for a failure)
        let monit = match read(&["monit"]) {
            Ok(m) => Some(m),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
            Err(source) => {
                return Err(JobError::Template {
                    path: crate::name::joined(dir, "monit"),
                    source,
                })
            }
        };
        Job::from_loaded(
            &spec_path,
            loaded,
            monit,
            |src| {
                read(&["templates", src.as_str()]).map_err(|source| JobError::Template {
                    path: src.under(&crate::name::joined(dir, "templates")),
                    source,
                })
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
        spec_text: String,
        monit: Option<Vec<u8>>,
        mut read: impl FnMut(&RelPath) -> Result<Vec<u8>, JobError>,
        fallback_name: String,
    ) -> Result<Job, JobError> {
        let loaded = super::compiled::spec(spec_text).map_err(|source| JobError::SpecYaml {
            path: spec_path.to_path_buf(),
            source,
        })?;
        Job::from_loaded(
            spec_path,
            loaded,
            monit.map(Arc::from),
            |src| read(src).map(Arc::from),
            fallback_name,
        )
    }

    /// [`Job::from_parts`] once the spec is loaded.
    fn from_loaded(
        spec_path: &Path,
        loaded: std::sync::Arc<super::compiled::Spec>,
        monit: Option<Arc<[u8]>>,
        mut read: impl FnMut(&RelPath) -> Result<Arc<[u8]>, JobError>,
        fallback_name: String,
    ) -> Result<Job, JobError> {
        let spec = &loaded.data;
        let name = match spec.get("name") {
            Some(Data::Str(n)) => n.clone(),
            _ => fallback_name,
        };
        let name = Name::new(name).map_err(|source| JobError::BadName {
            path: spec_path.to_path_buf(),
            source,
        })?;
        let checked = loaded
            .templates
            .as_ref()
            .map_err(|source| JobError::TemplateEntry {
                path: spec_path.to_path_buf(),
                source: source.clone(),
            })?;
        let mut templates = Vec::with_capacity(checked.len());
        for (source, dest) in checked {
            let body = read(source)?;
            templates.push(TemplateFile {
                source: source.clone(),
                dest: dest.clone(),
                body,
            });
        }
        Ok(Job {
            name,
            spec_json: std::sync::OnceLock::new(),
            monit,
            templates,
            spec_value: SpecValue(spec.clone()),
        })
    }

    /// The spec as JSON-like data (for code that reads its fields: consumes, provides,
    /// property definitions); built on first use.
    pub fn spec(&self) -> &serde_json::Value {
        self.spec_json
            .get_or_init(|| rubyerb::data::to_json(&self.spec_value.0))
    }

    /// Consumed link names declared by the spec, read from the spec data itself: every render asks, and the JSON view of the whole
    /// spec would be built for it.
    pub fn consumes(&self) -> Vec<String> {
        self.consumed().map(String::from).collect()
    }

    pub(super) fn consumed(&self) -> impl Iterator<Item = &str> {
        let list = match self.spec_value.0.get("consumes") {
            Some(Data::Array(list)) => list.as_slice(),
            _ => &[],
        };
        list.iter().filter_map(|c| match c.get("name") {
            Some(Data::Str(n) | Data::Sym(n)) => Some(n.as_str()),
            _ => None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::template::render::render_job;

    /// A context's instance fields from a JSON object.
    fn fields(v: serde_json::Value) -> std::sync::Arc<serde_json::Map<String, serde_json::Value>> {
        match v {
            serde_json::Value::Object(m) => m.into(),
            _ => panic!("not an object"),
        }
    }

    /// Renders a job made of `templates` (name, text), its spec `head` lines followed by a
    /// template list and `properties`, under `ctx`; the rendered files as text, in order.
    fn render_texts(
        head: &str,
        templates: &[(&str, &str)],
        properties: &str,
        ctx: &Context,
    ) -> Vec<String> {
        let mut spec = format!("{head}\ntemplates:\n");
        for (n, _) in templates {
            spec.push_str(&format!("  {n}.erb: {n}\n"));
        }
        spec.push_str(properties);
        let job = Job::from_parts(
            Path::new("spec"),
            spec,
            None,
            |src| {
                let n = src.as_str().trim_end_matches(".erb");
                Ok(templates.iter().find(|t| t.0 == n).unwrap().1.into())
            },
            "job".into(),
        )
        .unwrap();
        let out = render_job(&job, ctx).unwrap();
        out.files
            .iter()
            .map(|(_, b)| String::from_utf8(b.clone()).unwrap())
            .collect()
    }

    /// Each template changes what it was given, through `p`, an alias, `if_p`, `spec` and
    /// `raw_properties`; the next one must see the tree as the director hands it, a fresh
    /// copy (outputs checked against the Ruby reference renderer).
    #[test]
    fn every_template_starts_from_the_pristine_properties() {
        let templates: &[(&str, &str)] = &[
            (
                "a",
                "<% p('h')['k'] = 'changed'; p('list') << 'y' -%>\n\
                 a <%= p('h').inspect %> <%= p('list').inspect %>\n",
            ),
            (
                "b",
                "<% x = p('h.k'); x << '!' -%>\n\
                 b <%= p('h').inspect %> <%= p('list').inspect %> <%= p('h')['f'] %>\n\
                 <% p('h')['k'] = p('other'); p('h')['f'] = -0.0 -%>\n",
            ),
            (
                "c",
                "c <%= p('h.f') %> <% p('h.k') << '?' -%><%= p('other') %>\n\
                 <% p('h')['k'] = p('other') -%>\n",
            ),
            (
                "d",
                "d <% p('other') << '?' -%><%= p('h.k') %>\n\
                 <% if_p('h') { |h| h.delete('f') } -%>\n",
            ),
            (
                "e",
                "e <%= p('h').inspect %>\n\
                 <% spec.properties.h.k << '#'; p('h').default = 'dflt' -%>\n",
            ),
            (
                "f",
                "f <% p('other') << '!' -%><%= raw_properties['h'].inspect %> \
                 <%= p('h')['nope'].inspect %>\n\
                 <% raw_properties['h'] = raw_properties['h'].dup -%>\n",
            ),
            (
                "g",
                "g <%= p('h').inspect %> <%= p('list').inspect %> <%= p('other') %>\n",
            ),
        ];
        let ctx = Context {
            properties: serde_json::json!({}),
            ..Context::default()
        };
        let text = render_texts(
            "name: handed",
            templates,
            "properties:\n  h:\n    default: {k: v, f: 0.0}\n  other:\n    default: v\n  \
             list:\n    default: [x]\n",
            &ctx,
        );
        assert_eq!(
            text,
            [
                "a {\"f\" => 0.0, \"k\" => \"changed\"} [\"x\", \"y\"]\n",
                "b {\"f\" => 0.0, \"k\" => \"v!\"} [\"x\"] 0.0\n",
                "c 0.0 v\n",
                "d v\n",
                "e {\"f\" => 0.0, \"k\" => \"v\"}\n",
                "f {\"f\" => 0.0, \"k\" => \"v\"} nil\n",
                "g {\"f\" => 0.0, \"k\" => \"v\"} [\"x\"] v\n",
            ]
        );
    }

    /// The links and fields are made again only after a template changed those it was
    /// given: a template that looks at neither sits between one that changes them and one
    /// that must see them as the context gives them.
    #[test]
    fn links_and_fields_are_fresh_after_templates_that_did_not_look() {
        let templates: &[(&str, &str)] = &[
            ("a", "<% link('db').p('pw') << '!'; name << '-x' -%>a\n"),
            ("b", "b <%= p('h').inspect %>\n"),
            ("c", "c <%= link('db').p('pw') %> <%= name %>\n"),
            ("d", "<% p('h')['k'] = link('db').p('pw') -%>d\n"),
            ("e", "e <%= p('h').inspect %>\n"),
            (
                "f",
                "<% link('db').p('pw') << '?' -%>f <%= p('h').inspect %>\n",
            ),
            ("g", "g <%= link('db').p('pw') %> <%= spec.name %>\n"),
        ];
        let ctx = Context {
            properties: serde_json::json!({}),
            links: serde_json::json!({"db": {"instances": [], "properties": {"pw": "s"}}}).into(),
            fields: fields(serde_json::json!({"name": "web"})),
            ..Context::default()
        };
        let text = render_texts(
            "name: fresh\nconsumes: [{name: db, type: db}]",
            templates,
            "properties:\n  h:\n    default: {k: v}\n",
            &ctx,
        );
        assert_eq!(
            text,
            [
                "a\n",
                "b {\"k\" => \"v\"}\n",
                "c s web\n",
                "d\n",
                "e {\"k\" => \"v\"}\n",
                "f {\"k\" => \"v\"}\n",
                "g s web\n",
            ]
        );
    }

    /// `spec` gives the template the property tree only when it reads `spec.properties`:
    /// a value changed through it leaves the next template a fresh tree, and the fields are
    /// each template's own.
    #[test]
    fn a_change_through_spec_properties_is_not_seen_by_the_next_template() {
        let templates: &[(&str, &str)] = &[
            ("a", "<% spec.properties.h.k << '!' -%>a <%= p('h.k') %>\n"),
            ("b", "b <%= p('h.k') %> <%= spec.id %>\n"),
            (
                "c",
                "<% spec.id << '?' -%>c <%= p('h.k') %> <%= spec.id %>\n",
            ),
            ("d", "d <%= spec.id %>\n"),
        ];
        let ctx = Context {
            properties: serde_json::json!({}),
            fields: fields(serde_json::json!({"id": "i1"})),
            ..Context::default()
        };
        let text = render_texts(
            "name: spec",
            templates,
            "properties:\n  h:\n    default: {k: v}\n",
            &ctx,
        );
        assert_eq!(text, ["a v!\n", "b v i1\n", "c v i1?\n", "d i1\n"]);
    }
}

#[cfg(test)]
mod read_tests {
    use super::*;

    #[test]
    fn a_template_past_the_limit_is_refused_naming_it() {
        let dir = tempfile::tempdir().unwrap();
        let job = dir.path();
        std::fs::create_dir(job.join("templates")).unwrap();
        std::fs::write(job.join("spec"), "name: j\ntemplates: {big.erb: big}\n").unwrap();
        let big = vec![b'x'; MAX_TEMPLATE_BYTES as usize + 1];
        std::fs::write(job.join("templates/big.erb"), &big).unwrap();
        let err = Job::from_dir(job)
            .err()
            .expect("a template past the limit is refused");
        let msg = err.to_string();
        assert!(
            msg.contains("templates/big.erb") && msg.contains("larger than 16 MiB"),
            "{msg}"
        );
        // at the limit it is read, and so is a monit past it refused
        std::fs::write(job.join("templates/big.erb"), &big[1..]).unwrap();
        assert!(Job::from_dir(job).is_ok());
        std::fs::write(job.join("monit"), &big).unwrap();
        let msg = Job::from_dir(job)
            .err()
            .expect("monit past the limit")
            .to_string();
        assert!(
            msg.contains("monit") && msg.contains("larger than"),
            "{msg}"
        );
    }
}
