//! What the server tells its operator: an access log line per request through `tracing`
//! (target `bale::access`: method, path, status, bytes in and out, duration, user), counters
//! in Prometheus' text format at `GET /metrics`, and `GET /healthz` for load balancers and
//! orchestrators. Neither of the two needs credentials, and neither says anything secret.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use axum::extract::{Request, State};
use axum::http::header;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::auth::claimed_user;
use super::server::App;

#[derive(Default)]
pub struct Metrics {
    /// `(method, status)` → requests answered.
    requests: Mutex<BTreeMap<(String, u16), u64>>,
    /// Sum of request durations, microseconds.
    duration_us: AtomicU64,
    /// Response body bytes whose length was known when the response started.
    bytes_out: AtomicU64,
    pub connections: AtomicUsize,
    /// Idle connections closed to make room under the connection bound.
    pub evicted: AtomicU64,
    /// Connections closed for a slow request head or a long idle spell.
    pub timed_out: AtomicU64,
}

/// The request's declared body size, or `-`.
fn len_of(headers: &axum::http::HeaderMap) -> String {
    headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("-")
        .to_string()
}

/// Middleware: logs and counts every request once its response starts.
pub async fn access(State(app): State<Arc<App>>, req: Request, next: Next) -> Response {
    let start = Instant::now();
    let method = req.method().to_string();
    let path = req.uri().path().to_string();
    let user = claimed_user(
        req.headers()
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok()),
    )
    .unwrap_or_else(|| "-".into());
    let bytes_in = len_of(req.headers());
    let peer = req
        .extensions()
        .get::<super::service::Peer>()
        .map(|p| p.0.to_string())
        .unwrap_or_else(|| "-".into());
    let resp = next.run(req).await;
    let status = resp.status().as_u16();
    let bytes_out = match axum::body::HttpBody::size_hint(resp.body()).exact() {
        Some(n) => n.to_string(),
        None => len_of(resp.headers()),
    };
    let took = start.elapsed();
    let m = &app.metrics;
    *m.requests
        .lock()
        .expect("metrics")
        .entry((method.clone(), status))
        .or_insert(0) += 1;
    m.duration_us
        .fetch_add(took.as_micros() as u64, Ordering::Relaxed);
    if let Ok(n) = bytes_out.parse::<u64>() {
        m.bytes_out.fetch_add(n, Ordering::Relaxed);
    }
    tracing::info!(
        target: "bale::access",
        %peer,
        %method,
        %path,
        status,
        bytes_in = %bytes_in,
        bytes_out = %bytes_out,
        duration_ms = %format_args!("{:.3}", took.as_secs_f64() * 1000.0),
        %user,
        "request"
    );
    resp
}

pub async fn healthz(State(app): State<Arc<App>>) -> Response {
    // The registry answering a read is what "healthy" means here.
    match app.registry.releases() {
        Ok(_) => "ok\n".into_response(),
        Err(e) => (
            axum::http::StatusCode::SERVICE_UNAVAILABLE,
            format!("registry: {e}\n"),
        )
            .into_response(),
    }
}

pub async fn metrics(State(app): State<Arc<App>>) -> Response {
    let m = &app.metrics;
    let mut out = String::new();
    let mut metric = |name: &str, kind: &str, help: &str, rows: Vec<(String, String)>| {
        let _ = writeln!(out, "# HELP {name} {help}\n# TYPE {name} {kind}");
        for (labels, v) in rows {
            let _ = writeln!(out, "{name}{labels} {v}");
        }
    };
    let requests: Vec<(String, String)> = m
        .requests
        .lock()
        .expect("metrics")
        .iter()
        .map(|((method, status), n)| {
            (
                format!("{{method=\"{method}\",status=\"{status}\"}}"),
                n.to_string(),
            )
        })
        .collect();
    let total: u64 = requests
        .iter()
        .map(|(_, n)| n.parse::<u64>().unwrap_or(0))
        .sum();
    metric(
        "bale_http_requests_total",
        "counter",
        "HTTP requests answered, by method and status.",
        requests,
    );
    let one = |v: u64| vec![(String::new(), v.to_string())];
    metric(
        "bale_http_request_duration_seconds_sum",
        "counter",
        "Time spent answering requests (until the response started).",
        vec![(
            String::new(),
            format!("{:.6}", m.duration_us.load(Ordering::Relaxed) as f64 / 1e6),
        )],
    );
    metric(
        "bale_http_request_duration_seconds_count",
        "counter",
        "Requests timed.",
        one(total),
    );
    metric(
        "bale_http_received_bytes_total",
        "counter",
        "Upload body bytes received (objects and tarballs).",
        one(app.received.load(Ordering::Relaxed)),
    );
    metric(
        "bale_http_sent_bytes_total",
        "counter",
        "Response body bytes sent with a known length.",
        one(m.bytes_out.load(Ordering::Relaxed)),
    );
    metric(
        "bale_objects_written_total",
        "counter",
        "Objects stored by PUT.",
        one(app.written.load(Ordering::Relaxed)),
    );
    metric(
        "bale_connections_open",
        "gauge",
        "Client connections open now.",
        one(m.connections.load(Ordering::Relaxed) as u64),
    );
    metric(
        "bale_connections_evicted_total",
        "counter",
        "Idle connections closed to make room under the connection bound.",
        one(m.evicted.load(Ordering::Relaxed)),
    );
    metric(
        "bale_connections_timed_out_total",
        "counter",
        "Connections closed for a slow request head or a long idle spell.",
        one(m.timed_out.load(Ordering::Relaxed)),
    );
    let tasks: Vec<(String, String)> = app
        .director
        .tasks
        .states()
        .into_iter()
        .map(|(s, n)| (format!("{{state=\"{s}\"}}"), n.to_string()))
        .collect();
    metric(
        "bale_tasks",
        "gauge",
        "Director API tasks kept, by state.",
        tasks,
    );
    ([(header::CONTENT_TYPE, "text/plain; version=0.0.4")], out).into_response()
}
