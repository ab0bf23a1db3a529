//! Rendering jobs as the director does: bind the manifest properties to the job spec
//! (declared names only, spec order, defaults for unset values, hashes sorted by key),
//! build the spec and links, render `monit` first (a failing monit stops there), then every
//! template in spec order, collecting every failure with its template line.
//!
//! A batch of jobs is rendered in passes, each over the whole batch: properties bound, then
//! programs compiled, then templates rendered. The binder, the compiler (lexer, parser) and
//! the evaluator together are far larger than the processor's first-level instruction
//! cache; run job by job, each evicts the others' code for every job, where in passes each
//! stays in the cache across the batch. A cold round of the template bench so misses that
//! cache about half as often (`benches/templates/bench-results.md`).

use super::api::Api;
use super::compiled::Compiled;
use super::handed::Pristine;
use super::job::{Context, Failure, Job, RenderError, RenderedJob};
use super::shared::Shared;
use crate::name::RelPath;
use rubyerb::Value;

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
    /// Where `rand`, `shuffle` and `SecureRandom` draw when the template seeded nothing:
    /// the system, as on the director, or a fixed seed for reproducible output.
    pub entropy: rubyerb::Entropy,
}

/// How many of `jobs` jobs a caller spreading them over `threads` threads renders in one
/// [`render_jobs`] batch: at least 16, so that its passes keep each pass's code in the
/// processor's caches (batches of 64 ran the template bench's cold round 8% faster than
/// job by job, 16 only 3%: `benches/templates/bench-results.md`); at most 64, past which
/// it gained nothing more; and small enough between the two that every thread gets about
/// four batches to balance the load by.
pub fn batch_size(jobs: usize, threads: usize) -> usize {
    (jobs / (4 * threads.max(1))).clamp(16, 64)
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
    let tree = bound(job, ctx, opts)?;
    render_sources(job, ctx, tree, sources(job), opts)
}

/// Renders each (job, context) pair, in order, as [`render_job_with`] would, in three
/// passes over the batch (see the module's header): every job's links checked and its
/// properties bound; the programs of the jobs that bound compiled; then each job rendered.
/// Callers that render in parallel give each thread a batch of its own: programs are kept
/// per thread.
pub fn render_jobs(
    batch: &[(&Job, &Context)],
    opts: RenderOptions,
) -> Vec<Result<RenderedJob, RenderError>> {
    let trees: Vec<Result<Value, RenderError>> = batch
        .iter()
        .map(|(job, ctx)| bound(job, ctx, opts))
        .collect();
    let compiled: Vec<Vec<Source>> = batch
        .iter()
        .zip(&trees)
        .map(|((job, _), t)| if t.is_ok() { sources(job) } else { Vec::new() })
        .collect();
    batch
        .iter()
        .zip(trees)
        .zip(compiled)
        .map(|(((job, ctx), tree), s)| render_sources(job, ctx, tree?, s, opts))
        .collect()
}

/// A template to render: its source under `templates/` (`None` for `monit`), its
/// destination and its compiled program.
type Source<'a> = (Option<&'a str>, RelPath, Compiled);

/// The job's programs, `monit` first, each compiled once per thread for its text.
fn sources(job: &Job) -> Vec<Source<'_>> {
    let mut sources: Vec<Source> = Vec::with_capacity(job.templates.len() + 1);
    if let Some(m) = &job.monit {
        let monit = RelPath::new("monit").expect("a plain name");
        sources.push((None, monit, super::compiled::get(m)));
    }
    for t in &job.templates {
        let program = super::compiled::get(&t.body);
        sources.push((Some(t.source.as_str()), t.dest.clone(), program));
    }
    sources
}

/// The job's property tree for `ctx`, once its links are known to be declared: a job that
/// fails here renders no template, and none of its programs is compiled.
fn bound(job: &Job, ctx: &Context, opts: RenderOptions) -> Result<Value, RenderError> {
    if let serde_json::Value::Object(links) = &*ctx.links {
        for k in links.keys() {
            if !job.consumed().any(|d| d == k) {
                return Err(RenderError::Context(format!(
                    "Link '{k}' is not declared as a consumed link in this job."
                )));
            }
        }
    }
    bind(job, ctx, opts)
}

/// The job's property tree for `ctx`, bound again after a template changed it.
fn bind(job: &Job, ctx: &Context, opts: RenderOptions) -> Result<Value, RenderError> {
    super::bind::bind_properties(
        &job.spec_value.0,
        &ctx.properties,
        !opts.no_sort,
        opts.limits,
    )
    .map_err(|f| RenderError::Templates(vec![f]))
}

/// Renders the job's compiled `sources` from its bound property `tree`.
fn render_sources(
    job: &Job,
    ctx: &Context,
    mut tree: Value,
    sources: Vec<Source>,
    opts: RenderOptions,
) -> Result<RenderedJob, RenderError> {
    let mut files = Vec::new();
    let mut failures = Vec::new();
    // Templates may mutate what `p` and `link` return; like the director, each template
    // starts from the pristine trees. The templates of a job share one property tree, and
    // it is bound again only after a template changed it (judged by the parts it was
    // given and a copy made only if it was given more than strings, `handed.rs`). The
    // links' and spec fields' pristine trees are the context's JSON itself.
    let shared = Shared::new(&ctx.fields, &ctx.links, &ctx.dns);
    let last = sources.len().saturating_sub(1);
    let pristine = Pristine::default();
    for (i, (path, dest, program)) in sources.into_iter().enumerate() {
        let keep = i != last;
        let mut api = Api::new(
            &shared,
            tree.clone(),
            pristine.for_template(keep),
            opts.limits,
        );
        api.clock = opts.clock;
        api.entropy = opts.entropy;
        api.file = (&job.name, path.unwrap_or("monit"));
        let result = render_one(&api, &program);
        // the template's hold on the tree ends with its API
        let (handed, copy) = api.into_handed();
        // (judged before the links are dropped: a part of the tree kept in them is shared)
        if keep && !handed.intact(&tree, copy.as_ref()) {
            drop(copy);
            pristine.clear();
            tree = bind(job, ctx, opts)?;
        }
        shared.next_template();
        match result {
            Ok(out) => files.push((dest, out)),
            Err((line, class, message)) => {
                failures.push(Failure {
                    path: match path {
                        Some(source) => format!("templates/{source}"),
                        None => "monit".into(),
                    },
                    line,
                    message,
                    class,
                });
                if path.is_none() {
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

/// Renders one template; errors are (line, class, message).
fn render_one(api: &Api, program: &Compiled) -> Result<Vec<u8>, (u32, String, String)> {
    let program = match &**program {
        Ok(p) => p,
        Err(e) => return Err((e.line, "SyntaxError".into(), e.message.clone())),
    };
    rubyerb::run(program, api, &api.limits).map_err(|f| (f.line, f.class, f.message))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What a render gave, comparable: every file, or every failure.
    fn outcome(r: Result<RenderedJob, RenderError>) -> String {
        match r {
            Ok(j) => format!("{}: {:?}", j.name, j.files),
            Err(RenderError::Context(e)) => format!("context: {e}"),
            Err(RenderError::Templates(fs)) => fs
                .iter()
                .map(|f| format!("{}:{}: {} ({})\n", f.path, f.line, f.message, f.class))
                .collect(),
        }
    }

    #[test]
    fn batches_are_16_to_64_jobs_and_about_four_a_thread() {
        assert_eq!(batch_size(0, 0), 16);
        assert_eq!(batch_size(10, 1), 16);
        assert_eq!(batch_size(160, 2), 20);
        assert_eq!(batch_size(316, 1), 64);
        assert_eq!(batch_size(100_000, 8), 64);
    }

    /// A batch renders every job as it renders alone, its failures too: spec that cannot
    /// bind, undeclared links, monit failing first, templates changing the property tree.
    #[test]
    fn a_batch_renders_each_job_as_it_renders_alone() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/templates");
        let mut pairs = Vec::new();
        for set in ["fixtures", "cases"] {
            let mut dirs: Vec<_> = std::fs::read_dir(root.join(set))
                .unwrap()
                .map(|e| e.unwrap().path())
                .collect();
            dirs.sort();
            for d in dirs {
                let job = Job::from_dir(&d.join("job")).unwrap();
                let ctx = Context::from_file(&d.join("context.json")).unwrap();
                pairs.push((job, ctx));
            }
        }
        // a link the job does not consume, given to the first job
        let (job, ctx) = &pairs[0];
        let mut ctx = ctx.clone();
        ctx.links = std::sync::Arc::new(serde_json::json!({ "nope": {} }));
        pairs.insert(1, (job.clone(), ctx));
        let opts = RenderOptions {
            clock: rubyerb::Clock::Fixed(rubyerb::Timestamp {
                secs: 1_700_000_000,
                nanos: 0,
            }),
            entropy: rubyerb::Entropy::Seed(7),
            ..RenderOptions::default()
        };
        let alone: Vec<String> = pairs
            .iter()
            .map(|(j, c)| outcome(render_job_with(j, c, opts)))
            .collect();
        // cold, as a fresh process renders: no program compiled by the renders above
        super::super::compiled::forget_compiled();
        let batch: Vec<(&Job, &Context)> = pairs.iter().map(|(j, c)| (j, c)).collect();
        let together: Vec<String> = render_jobs(&batch, opts).into_iter().map(outcome).collect();
        assert_eq!(alone.len(), together.len());
        for (i, (a, b)) in alone.iter().zip(&together).enumerate() {
            assert_eq!(a, b, "job {} of the batch", i);
        }
        let failed = |prefix: &str| together.iter().filter(|o| o.starts_with(prefix)).count();
        // the batch holds each kind of failure, so that the comparison covers them
        assert!(failed("spec:0:") > 0, "a spec that cannot bind");
        assert!(failed("monit:") > 0, "a failing monit");
        assert!(failed("context: Link") > 0, "an undeclared link");
    }
}
