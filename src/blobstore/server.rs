//! The HTTP side: routes, auth, status codes and bodies as BOSH's DAV client expects them.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

use axum::body::Body;
use axum::extract::{Path as UrlPath, Query, State};
use axum::http::{header, HeaderMap, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{any, delete, get, post};
use axum::Router;
use futures::StreamExt;

use super::api;
use super::auth::{Access, Users};
use super::registry::Registry;
use super::signing;
use super::store::{registry_path, Backend, PutError, Store};
use crate::digest::{Digest, MultiDigest};
use crate::error::{Error, Result};
use crate::provider::{object_path, ObjectBlobstore, ObjectId};

#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// The registry, and the objects unless `bucket` is given.
    pub dir: PathBuf,
    pub listen: SocketAddr,
    pub users: Users,
    /// Key for signed URLs; without one, `/signed/` is refused.
    pub secret: Option<String>,
    /// The longest lifetime (`e`, seconds) a signed URL may ask for.
    pub max_signed_expiry: u64,
    pub max_upload: u64,
    /// Keep objects in an S3-compatible bucket instead of `dir`.
    pub bucket: Option<ObjectBlobstore>,
    /// Serve HTTPS with this certificate chain and key (PEM files).
    pub tls: Option<(PathBuf, PathBuf)>,
    /// The longest pause between two reads of an upload's body.
    pub body_timeout: std::time::Duration,
    /// Connection bound, timeouts and the grace period of a stop.
    pub limits: super::service::Limits,
}

pub(super) struct App {
    pub store: Store,
    pub registry: Registry,
    /// Held while the registry changes and unreferenced objects are removed, so a release
    /// never commits against an object a concurrent delete is removing.
    pub lock: tokio::sync::Mutex<()>,
    pub users: Users,
    pub director: super::director::Director,
    secret: Option<String>,
    signing: signing::Limits,
    pub metrics: Arc<super::metrics::Metrics>,
    pub received: AtomicU64,
    pub written: AtomicU64,
}

impl App {
    /// `Some(401)` unless the request's credentials grant `access`.
    pub fn deny(&self, headers: &HeaderMap, access: Access) -> Option<Response> {
        let auth = headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok());
        (!self.users.allows(auth, access)).then(unauthorized)
    }
}

/// The body nginx sends with a 404; BOSH's director recognises a missing object by it.
const NOT_FOUND: &str = "<html>\r\n<head><title>404 Not Found</title></head>\r\n<body>\r\n<center><h1>404 Not Found</h1></center>\r\n</body>\r\n</html>\r\n";

/// What `ready` learns once the server listens.
pub struct Listening {
    pub addr: SocketAddr,
    pub url: String,
    pub objects: String,
    /// Temp files of interrupted uploads removed at startup.
    pub swept: usize,
}

/// Runs the server until SIGTERM or SIGINT; `ready` is called once it listens (port 0 picks one).
pub fn serve(opts: ServeOptions, ready: impl FnOnce(&Listening)) -> Result<()> {
    std::fs::create_dir_all(&opts.dir).map_err(|e| Error::io("mkdir", &opts.dir, &e))?;
    let registry = Registry::open(&registry_path(&opts.dir)).map_err(Error::msg)?;
    let backend = match opts.bucket {
        Some(b) => Backend::Object(b),
        None => Backend::Local(opts.dir.clone()),
    };
    let store = Store::new(backend, opts.max_upload);
    let swept = store.sweep();
    let director = super::director::Director::open(&opts.dir, &registry, opts.body_timeout)?;
    let tls = match &opts.tls {
        Some((cert, key)) => Some(super::tls::acceptor(cert, key)?),
        None => None,
    };
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| Error::msg(format!("starting the server runtime: {e}")))?;
    let served = rt.block_on(async move {
        let listener = tokio::net::TcpListener::bind(opts.listen)
            .await
            .map_err(|e| Error::msg(format!("listening on {}: {e}", opts.listen)))?;
        let addr = listener
            .local_addr()
            .map_err(|e| Error::msg(e.to_string()))?;
        let listening = Listening {
            addr,
            url: format!("{}://{addr}", if tls.is_some() { "https" } else { "http" }),
            objects: store.shown(),
            swept,
        };
        let app = Arc::new(App {
            store,
            registry,
            lock: tokio::sync::Mutex::new(()),
            users: opts.users,
            director,
            secret: opts.secret,
            signing: signing::Limits {
                max_expiry: opts.max_signed_expiry,
            },
            metrics: Arc::new(super::metrics::Metrics::default()),
            received: AtomicU64::new(0),
            written: AtomicU64::new(0),
        });
        let router = Router::new()
            .route("/api/v1/stats", get(api::stats))
            .route("/api/v1/objects/missing", post(api::missing))
            .route(
                "/api/v1/releases",
                get(api::releases).post(api::register_release),
            )
            .route("/api/v1/releases/{name}", delete(api::delete_release))
            .route(
                "/api/v1/releases/{name}/{version}",
                get(api::release).delete(api::delete_release),
            )
            .route(
                "/api/v1/stemcells",
                get(api::stemcells).post(api::register_stemcell),
            )
            .route(
                "/api/v1/stemcells/{name}/{version}",
                get(api::stemcell).delete(api::delete_stemcell),
            )
            .route("/signed/{prefix}/{id}", any(signed))
            .route("/{prefix}/{id}", any(object))
            .route("/healthz", get(super::metrics::healthz))
            .route("/metrics", get(super::metrics::metrics))
            .merge(super::director::routes())
            .fallback(unknown)
            .layer(axum::middleware::from_fn_with_state(
                app.clone(),
                super::metrics::access,
            ))
            .with_state(app.clone());
        ready(&listening);
        let busy_app = app.clone();
        super::service::run(
            listener,
            tls,
            router,
            opts.limits,
            app.metrics.clone(),
            stop_signal(),
            move || busy_app.director.tasks.busy(),
        )
        .await;
        tracing::info!("bale blobstore stopped");
        Ok(())
    });
    // Connections still open after the grace period are cut, not waited for.
    rt.shutdown_timeout(std::time::Duration::from_millis(500));
    served
}

/// SIGTERM or SIGINT: stop accepting, let what runs finish, exit.
async fn stop_signal() {
    use tokio::signal::unix::{signal, SignalKind};
    let term = signal(SignalKind::terminate());
    let int = signal(SignalKind::interrupt());
    match (term, int) {
        (Ok(mut t), Ok(mut i)) => {
            tokio::select! {
                _ = t.recv() => tracing::info!("SIGTERM: stopping"),
                _ = i.recv() => tracing::info!("SIGINT: stopping"),
            }
        }
        _ => {
            let _ = tokio::signal::ctrl_c().await;
        }
    }
}

/// A route neither the DAV protocol nor the director API has, answered as the director
/// answers it: credentials first, then 404.
async fn unknown(
    State(app): State<Arc<App>>,
    uri: axum::http::Uri,
    headers: HeaderMap,
) -> Response {
    let auth = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok());
    if app.users.who(auth).is_none() {
        return super::director::not_authorized(uri.path());
    }
    super::director::endpoint_not_found(uri.path())
}

fn status(code: StatusCode, text: &str) -> Response {
    (code, text.to_string()).into_response()
}

fn unauthorized() -> Response {
    (
        StatusCode::UNAUTHORIZED,
        [(header::WWW_AUTHENTICATE, "Basic realm=\"bale blobstore\"")],
        "401 Authorization Required\n",
    )
        .into_response()
}

/// The id from a `/<XX>/<id>` path, checked against its prefix.
/// A bad id is a 400 with this text.
fn object_id(prefix: &str, id: &str) -> std::result::Result<ObjectId, &'static str> {
    let id = ObjectId::parse(id).ok_or("invalid object id\n")?;
    if id.prefix() != prefix {
        return Err("object id does not belong under this prefix\n");
    }
    Ok(id)
}

async fn object(
    State(app): State<Arc<App>>,
    UrlPath((prefix, id)): UrlPath<(String, String)>,
    method: Method,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let id = match object_id(&prefix, &id) {
        Ok(id) => id,
        Err(why) => return status(StatusCode::BAD_REQUEST, why),
    };
    let access = if method == Method::GET || method == Method::HEAD {
        Access::Read
    } else {
        Access::Write
    };
    if let Some(r) = app.deny(&headers, access) {
        return r;
    }
    handle(&app, &method, &id, &headers, body).await
}

async fn signed(
    State(app): State<Arc<App>>,
    UrlPath((prefix, id)): UrlPath<(String, String)>,
    Query(q): Query<std::collections::HashMap<String, String>>,
    method: Method,
    headers: HeaderMap,
    body: Body,
) -> Response {
    if !matches!(method, Method::GET | Method::PUT | Method::HEAD) {
        return status(StatusCode::METHOD_NOT_ALLOWED, "405 Not Allowed\n");
    }
    let id = match object_id(&prefix, &id) {
        Ok(id) => id,
        Err(why) => return status(StatusCode::BAD_REQUEST, why),
    };
    let Some(secret) = &app.secret else {
        return status(StatusCode::FORBIDDEN, "403 Forbidden\n");
    };
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    let v = |k: &str| q.get(k).map(String::as_str);
    if let Err(why) = signing::check(
        secret,
        method.as_str(),
        &object_path(&id),
        v("ts"),
        v("e"),
        v("st"),
        now,
        &app.signing,
    ) {
        return status(StatusCode::FORBIDDEN, &format!("403 Forbidden: {why}\n"));
    }
    handle(&app, &method, &id, &headers, body).await
}

async fn handle(
    app: &App,
    method: &Method,
    id: &ObjectId,
    headers: &HeaderMap,
    body: Body,
) -> Response {
    match *method {
        Method::PUT => {
            let sent: Option<Digest> = match headers
                .get("x-bale-digest")
                .map(|v| v.to_str().unwrap_or("").parse::<MultiDigest>())
            {
                None => None,
                Some(Ok(d)) => Some(d.strongest().clone()),
                Some(Err(e)) => {
                    return status(StatusCode::BAD_REQUEST, &format!("X-Bale-Digest: {e}\n"))
                }
            };
            // A content-addressed id is its own digest: the bytes must match the name,
            // whatever the client says.
            let expected = match (id.digest(), sent) {
                (Some(named), Some(sent)) if named.algo() == sent.algo() && named != sent => {
                    return status(
                        StatusCode::BAD_REQUEST,
                        "X-Bale-Digest contradicts the object's content address\n",
                    )
                }
                (Some(named), _) => Some(named),
                (None, sent) => sent,
            };
            let counted = {
                let app_received = &app.received;
                let stall = app.director.body_timeout;
                let chunks =
                    futures::stream::unfold(body.into_data_stream(), move |mut b| async move {
                        match tokio::time::timeout(stall, b.next()).await {
                            Ok(Some(c)) => Some((c.map_err(std::io::Error::other), b)),
                            Ok(None) => None,
                            Err(_) => Some((
                                Err(std::io::Error::new(
                                    std::io::ErrorKind::TimedOut,
                                    format!(
                                        "the upload stalled: no data for {} seconds",
                                        stall.as_secs()
                                    ),
                                )),
                                b,
                            )),
                        }
                    });
                chunks.map(move |c| {
                    if let Ok(b) = &c {
                        app_received.fetch_add(b.len() as u64, Ordering::Relaxed);
                    }
                    c
                })
            };
            match app.store.put(id, Box::pin(counted), expected).await {
                Ok(created) => {
                    app.written.fetch_add(1, Ordering::Relaxed);
                    if created {
                        StatusCode::CREATED.into_response()
                    } else {
                        StatusCode::NO_CONTENT.into_response()
                    }
                }
                Err(PutError::TooLarge(max)) => status(
                    StatusCode::PAYLOAD_TOO_LARGE,
                    &format!("object larger than {max} bytes\n"),
                ),
                Err(PutError::Digest { expected, actual }) => status(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    &format!(
                        "digest mismatch: expected {expected}, received {actual}; nothing stored\n"
                    ),
                ),
                Err(PutError::Body(e)) => {
                    status(StatusCode::BAD_REQUEST, &format!("incomplete body: {e}\n"))
                }
                Err(PutError::Io(e)) => status(
                    StatusCode::INSUFFICIENT_STORAGE,
                    &format!("cannot store the object: {e}\n"),
                ),
            }
        }
        Method::DELETE => {
            // Under the registry lock, so no registration commits against this object
            // while it goes.
            let _guard = app.lock.lock().await;
            match app.registry.users_of(id.as_str()) {
                Ok(users) if !users.is_empty() => {
                    return status(
                        StatusCode::CONFLICT,
                        &format!(
                            "object {} is in use by {}; delete those first (bale delete-release, bale delete-stemcell)\n",
                            id.as_str(),
                            users.join(", ")
                        ),
                    )
                }
                Ok(_) => {}
                Err(e) => return status(StatusCode::INTERNAL_SERVER_ERROR, &format!("{e}\n")),
            }
            match app.store.delete(id).await {
                Ok(()) => StatusCode::NO_CONTENT.into_response(),
                Err(e) => status(StatusCode::INTERNAL_SERVER_ERROR, &format!("{e}\n")),
            }
        }
        Method::GET | Method::HEAD => read(app, id, headers, *method == Method::HEAD).await,
        _ => status(StatusCode::METHOD_NOT_ALLOWED, "405 Not Allowed\n"),
    }
}

async fn read(app: &App, id: &ObjectId, headers: &HeaderMap, head: bool) -> Response {
    let size = match app.store.size(id).await {
        Ok(Some(s)) => s,
        Ok(None) => return (StatusCode::NOT_FOUND, NOT_FOUND).into_response(),
        Err(e) => return status(StatusCode::INTERNAL_SERVER_ERROR, &format!("{e}\n")),
    };
    let range = headers
        .get(header::RANGE)
        .and_then(|v| v.to_str().ok())
        .map(|r| parse_range(r, size));
    let (code, start, len) = match range {
        None => (StatusCode::OK, 0, size),
        Some(Some((a, b))) => (StatusCode::PARTIAL_CONTENT, a, b - a + 1),
        Some(None) => {
            return (
                StatusCode::RANGE_NOT_SATISFIABLE,
                [(header::CONTENT_RANGE, format!("bytes */{size}"))],
                "",
            )
                .into_response()
        }
    };
    let mut resp = Response::builder()
        .status(code)
        .header(header::CONTENT_LENGTH, len)
        .header(header::ACCEPT_RANGES, "bytes");
    if code == StatusCode::PARTIAL_CONTENT {
        resp = resp.header(
            header::CONTENT_RANGE,
            format!("bytes {start}-{}/{size}", start + len - 1),
        );
    }
    if head {
        return resp.body(Body::empty()).expect("valid response");
    }
    match app.store.read(id, start, len).await {
        Ok(stream) => resp
            .body(Body::from_stream(stream))
            .expect("valid response"),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            (StatusCode::NOT_FOUND, NOT_FOUND).into_response()
        }
        Err(e) => status(StatusCode::INTERNAL_SERVER_ERROR, &format!("{e}\n")),
    }
}

/// One `bytes=a-b`, `bytes=a-` or `bytes=-n` range, clamped to the object; `None` if it
/// cannot be satisfied.
pub(super) fn parse_range(h: &str, size: u64) -> Option<(u64, u64)> {
    let spec = h.strip_prefix("bytes=")?;
    if spec.contains(',') || size == 0 {
        return None;
    }
    let (a, b) = spec.split_once('-')?;
    let (start, end) = match (a.trim(), b.trim()) {
        ("", n) => {
            let n: u64 = n.parse().ok()?;
            (size.saturating_sub(n), size - 1)
        }
        (a, "") => (a.parse().ok()?, size - 1),
        (a, b) => (a.parse().ok()?, b.parse::<u64>().ok()?.min(size - 1)),
    };
    (start <= end && start < size).then_some((start, end))
}

#[cfg(test)]
mod tests {
    use super::parse_range;

    #[test]
    fn ranges() {
        assert_eq!(parse_range("bytes=0-9", 100), Some((0, 9)));
        assert_eq!(parse_range("bytes=90-", 100), Some((90, 99)));
        assert_eq!(parse_range("bytes=-10", 100), Some((90, 99)));
        assert_eq!(parse_range("bytes=50-500", 100), Some((50, 99)));
        assert_eq!(parse_range("bytes=100-", 100), None);
        assert_eq!(parse_range("bytes=0-1,5-6", 100), None);
    }
}
