//! Job templates rendered as the BOSH director renders them, without Ruby. The ERB and
//! Ruby engine is the `rubyerb` crate; this side is BOSH's: the director's evaluation API
//! (`api`, `dns`) plugged into the engine as its host, property binding (`bind`), jobs
//! (`job`) and their rendering (`render`), contexts (`context`) and template sources (`source`).

mod api;
mod bind;
mod compiled;
mod dns;
mod handed;
mod lookup;
mod read;
mod shared;
mod spec_obj;

pub mod context;
pub mod error;
pub mod job;
pub mod render;
pub mod source;

pub use compiled::forget_compiled;
pub use error::{ContextError, JobError};
pub use job::{Context, Failure, Job, RenderError, RenderedJob, TemplateFile};
pub use render::{batch_size, render_job, render_job_with, render_jobs, RenderOptions};

pub use rubyerb::{load_yaml_json, Clock, Entropy, Limits, Timestamp};
