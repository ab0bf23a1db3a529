//! Tasks as the director runs them: an upload or delete answers at once with a redirect to
//! `/tasks/ID`, then runs; the CLI polls the task's state and prints its event output as it
//! grows (`/tasks/ID/output?type=event`, read from a byte offset). Tasks live in memory: a
//! restarted server has none, and keeps the most recent `KEEP`.

use std::collections::{BTreeMap, VecDeque};
use std::future::Future;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use axum::extract::{Path as UrlPath, Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Value};

use super::{now, require, DirectorError, Need};
use crate::blobstore::server::App;

/// Finished tasks kept for `bosh task ID` and the CLI's last polls.
const KEEP: usize = 500;
/// Tasks that do heavy work (verifying a tarball) at once; the rest wait as `queued`.
const RUNNING: usize = 2;

pub struct Tasks {
    next: AtomicU64,
    all: Mutex<VecDeque<Arc<Task>>>,
    slots: Arc<tokio::sync::Semaphore>,
}

pub struct Task {
    pub id: u64,
    description: String,
    user: String,
    context_id: String,
    inner: Mutex<Inner>,
}

struct Inner {
    state: &'static str,
    started_at: Option<u64>,
    timestamp: u64,
    result: Option<String>,
    event: String,
    debug: String,
}

impl Tasks {
    pub fn new() -> Tasks {
        Tasks {
            next: AtomicU64::new(1),
            all: Mutex::new(VecDeque::new()),
            slots: Arc::new(tokio::sync::Semaphore::new(RUNNING)),
        }
    }

    pub fn get(&self, id: u64) -> Option<Arc<Task>> {
        let all = self.all.lock().expect("task list");
        all.iter().find(|t| t.id == id).cloned()
    }

    /// How many tasks are in each state, for `/metrics`.
    pub fn states(&self) -> BTreeMap<&'static str, usize> {
        let mut m = BTreeMap::new();
        for t in self.all.lock().expect("task list").iter() {
            *m.entry(t.inner.lock().expect("task").state).or_insert(0) += 1;
        }
        m
    }

    /// Whether any task is queued or running (a shutdown waits for them).
    pub fn busy(&self) -> bool {
        self.states()
            .iter()
            .any(|(s, n)| *n > 0 && matches!(*s, "queued" | "processing"))
    }

    /// Starts `job` as a new task and returns its id; the job's `Ok` text becomes the task's
    /// result, its error the event log's last line and the task's state `error`.
    pub fn spawn<F, Fut>(&self, description: &str, user: &str, context_id: &str, job: F) -> u64
    where
        F: FnOnce(Arc<Task>) -> Fut + Send + 'static,
        Fut: Future<Output = Result<String, DirectorError>> + Send + 'static,
    {
        let id = self.next.fetch_add(1, Ordering::Relaxed);
        let task = Arc::new(Task {
            id,
            description: description.to_string(),
            user: user.to_string(),
            context_id: context_id.to_string(),
            inner: Mutex::new(Inner {
                state: "queued",
                started_at: None,
                timestamp: now(),
                result: None,
                event: String::new(),
                debug: String::new(),
            }),
        });
        {
            let mut all = self.all.lock().expect("task list");
            all.push_back(task.clone());
            while all.len() > KEEP {
                let Some(pos) = all.iter().position(|t| t.finished()) else {
                    break;
                };
                all.remove(pos);
            }
        }
        let slots = self.slots.clone();
        tokio::spawn(async move {
            let _slot = slots.acquire_owned().await;
            task.set_state("processing");
            task.debug(&format!("Starting task: {}", task.description));
            // A panicking job must still end its task.
            let t = task.clone();
            let outcome = tokio::spawn(async move { job(t).await })
                .await
                .unwrap_or_else(|e| Err(DirectorError::internal(format!("task failed: {e}"))));
            match outcome {
                Ok(result) => {
                    task.debug(&format!("Task {} done: {result}", task.id));
                    task.finish("done", result);
                }
                Err(e) => {
                    task.debug(&format!("Task {} error: {}", task.id, e.message));
                    task.event(json!({
                        "time": now(),
                        "error": {"code": e.code, "message": e.message},
                    }));
                    task.finish("error", e.message);
                }
            }
        });
        id
    }
}

impl Default for Tasks {
    fn default() -> Self {
        Tasks::new()
    }
}

impl Task {
    fn finished(&self) -> bool {
        !matches!(
            self.inner.lock().expect("task").state,
            "queued" | "processing"
        )
    }

    fn set_state(&self, state: &'static str) {
        let mut i = self.inner.lock().expect("task");
        i.state = state;
        i.started_at = Some(now());
    }

    fn finish(&self, state: &'static str, result: String) {
        let mut i = self.inner.lock().expect("task");
        i.state = state;
        i.timestamp = now();
        i.result = Some(result);
    }

    /// One line of event output.
    pub fn event(&self, v: Value) {
        let mut i = self.inner.lock().expect("task");
        i.event.push_str(&v.to_string());
        i.event.push('\n');
    }

    /// One line of the debug log, which also goes to the server's log.
    pub fn debug(&self, msg: &str) {
        tracing::debug!(task = self.id, "{msg}");
        let mut i = self.inner.lock().expect("task");
        let t = now();
        i.debug
            .push_str(&format!("D, [{t}] DEBUG -- Task {}: {msg}\n", self.id));
    }

    /// A stage of the event log, as the director groups its steps.
    pub fn stage(self: &Arc<Task>, name: &str, total: usize) -> Stage {
        Stage {
            task: self.clone(),
            name: name.to_string(),
            total,
            index: 0,
        }
    }

    /// A stage of one step that runs `f`, the director's `single_step_stage`.
    pub async fn step<T, Fut>(self: &Arc<Task>, name: &str, f: Fut) -> Result<T, DirectorError>
    where
        Fut: Future<Output = Result<T, DirectorError>>,
    {
        let mut s = self.stage(name, 1);
        let i = s.start(name);
        let r = f.await;
        match &r {
            Ok(_) => s.finish(i, name),
            Err(e) => s.fail(i, name, &e.message),
        }
        r
    }

    fn to_json(&self) -> Value {
        let i = self.inner.lock().expect("task");
        let running = matches!(i.state, "queued" | "processing");
        json!({
            "id": self.id,
            "state": i.state,
            "description": self.description,
            "timestamp": if running { None } else { Some(i.timestamp) },
            "started_at": i.started_at,
            "result": i.result,
            "user": self.user,
            "deployment": Value::Null,
            "context_id": self.context_id,
        })
    }
}

pub struct Stage {
    task: Arc<Task>,
    name: String,
    total: usize,
    index: usize,
}

impl Stage {
    fn line(&self, step: &str, index: usize, state: &str, progress: u32, error: Option<&str>) {
        let mut v = json!({
            "time": now(),
            "stage": self.name,
            "tags": [],
            "total": self.total,
            "task": step,
            "index": index,
            "state": state,
            "progress": progress,
        });
        if let Some(e) = error {
            v["data"] = json!({"error": e});
        }
        self.task.event(v);
    }

    /// Starts the next step; returns its index for `finish` or `fail`.
    pub fn start(&mut self, step: &str) -> usize {
        self.index += 1;
        self.line(step, self.index, "started", 0, None);
        self.index
    }

    pub fn finish(&self, index: usize, step: &str) {
        self.line(step, index, "finished", 100, None);
    }

    pub fn fail(&self, index: usize, step: &str, error: &str) {
        self.line(step, index, "failed", 100, Some(error));
    }

    /// A step that is done as soon as it is told.
    pub fn done(&mut self, step: &str) {
        let i = self.start(step);
        self.finish(i, step);
    }
}

fn find(app: &App, id: &str) -> Result<Arc<Task>, Box<Response>> {
    id.parse::<u64>()
        .ok()
        .and_then(|n| app.director.tasks.get(n))
        .ok_or_else(|| {
            Box::new(
                DirectorError::new(StatusCode::NOT_FOUND, 10000, format!("Task {id} not found"))
                    .into_response(),
            )
        })
}

pub async fn show(
    State(app): State<Arc<App>>,
    uri: axum::http::Uri,
    headers: HeaderMap,
    UrlPath(id): UrlPath<String>,
) -> Response {
    if let Err(r) = require(&app, &headers, uri.path(), Need::Read) {
        return *r;
    }
    match find(&app, &id) {
        Ok(t) => Json(t.to_json()).into_response(),
        Err(r) => *r,
    }
}

/// `GET /tasks[?state=a,b&limit=N]`, newest first.
pub async fn list(
    State(app): State<Arc<App>>,
    uri: axum::http::Uri,
    headers: HeaderMap,
    Query(q): Query<BTreeMap<String, String>>,
) -> Response {
    if let Err(r) = require(&app, &headers, uri.path(), Need::Read) {
        return *r;
    }
    let states: Vec<&str> = q
        .get("state")
        .map(|s| s.split(',').filter(|s| !s.is_empty()).collect())
        .unwrap_or_default();
    let limit = q
        .get("limit")
        .and_then(|l| l.parse::<usize>().ok())
        .map(|l| l.max(1))
        .unwrap_or(usize::MAX);
    let all: Vec<Arc<Task>> = app
        .director
        .tasks
        .all
        .lock()
        .expect("task list")
        .iter()
        .rev()
        .cloned()
        .collect();
    let out: Vec<Value> = all
        .iter()
        .map(|t| t.to_json())
        .filter(|v| states.is_empty() || states.iter().any(|s| v["state"] == *s))
        .take(limit)
        .collect();
    Json(out).into_response()
}

/// `GET /tasks/ID/output?type=event|result|debug`, with `Range: bytes=N-` as the CLI sends
/// it to read only what is new; 416 when there is nothing past N yet.
pub async fn output(
    State(app): State<Arc<App>>,
    uri: axum::http::Uri,
    headers: HeaderMap,
    UrlPath(id): UrlPath<String>,
    Query(q): Query<BTreeMap<String, String>>,
) -> Response {
    let kind = q.get("type").map(String::as_str).unwrap_or("debug");
    let need = match kind {
        "event" | "result" | "none" => Need::Read,
        "debug" | "cpi" => Need::Admin,
        other => {
            return DirectorError::new(
                StatusCode::UNAUTHORIZED,
                600000,
                format!("Unknown type {other}"),
            )
            .into_response()
        }
    };
    if let Err(r) = require(&app, &headers, uri.path(), need) {
        return *r;
    }
    let task = match find(&app, &id) {
        Ok(t) => t,
        Err(r) => return *r,
    };
    if kind == "none" {
        return StatusCode::NO_CONTENT.into_response();
    }
    let text = {
        let i = task.inner.lock().expect("task");
        match kind {
            "event" => i.event.clone(),
            // Uploads and deletes have no result output, as on a director.
            "result" => String::new(),
            "debug" => i.debug.clone(),
            _ => String::new(),
        }
    };
    let size = text.len() as u64;
    let Some(range) = headers.get(header::RANGE).and_then(|v| v.to_str().ok()) else {
        return ([(header::CONTENT_TYPE, "text/plain")], text).into_response();
    };
    match crate::blobstore::server::parse_range(range, size) {
        Some((a, b)) => (
            StatusCode::PARTIAL_CONTENT,
            [
                (header::CONTENT_TYPE, "text/plain".to_string()),
                (header::CONTENT_RANGE, format!("bytes {a}-{b}/{size}")),
            ],
            text.as_bytes()[a as usize..=b as usize].to_vec(),
        )
            .into_response(),
        None => (
            StatusCode::RANGE_NOT_SATISFIABLE,
            [(header::CONTENT_RANGE, format!("bytes */{size}"))],
            "Byte range unsatisfiable",
        )
            .into_response(),
    }
}
