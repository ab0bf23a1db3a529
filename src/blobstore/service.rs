//! The server as a service: its own accept loop (HTTP/1.1 over TCP or TLS) with a bound on
//! open connections, timeouts for request heads and idle keep-alive connections, and a
//! graceful stop on SIGTERM or SIGINT.
//!
//! When the bound is reached, the connection idle the longest is closed to make room: idle
//! keep-alive connections cannot starve clients that have something to send. When no
//! connection is idle, a new one waits until one ends. A stop closes the listener, lets
//! requests in flight and running tasks finish within the grace period, then returns.

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use axum::Router;
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpListener;
use tokio_rustls::TlsAcceptor;

use super::metrics::Metrics;

#[derive(Debug, Clone)]
pub struct Limits {
    /// A request head must arrive within this once its first byte did.
    pub header_timeout: Duration,
    /// A keep-alive connection with no request for this long is closed.
    pub idle_timeout: Duration,
    /// Open connections at most; an idle one is closed to make room for a new one.
    pub max_connections: usize,
    /// How long a stop waits for requests in flight and running tasks.
    pub grace: Duration,
    /// A TLS handshake must finish within this.
    pub handshake_timeout: Duration,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            header_timeout: Duration::from_secs(10),
            idle_timeout: Duration::from_secs(60),
            max_connections: 512,
            grace: Duration::from_secs(30),
            handshake_timeout: Duration::from_secs(10),
        }
    }
}

/// One connection as the accept loop and its watchdog see it. Times are milliseconds since
/// the server started; 0 means "not set".
struct Conn {
    in_flight: AtomicUsize,
    /// When the first byte of a request head arrived (0: none is arriving).
    head_since: AtomicU64,
    /// When the connection last became idle (its last request finished) or moved bytes.
    active_at: AtomicU64,
    close: tokio::sync::Notify,
}

struct Clock(Instant);

impl Clock {
    fn ms(&self) -> u64 {
        (self.0.elapsed().as_millis() as u64).max(1)
    }
}

/// The transport, watched: reads while no request is in flight start the head timer, and
/// any byte moved counts as activity.
struct Watched<T> {
    io: T,
    conn: Arc<Conn>,
    clock: Arc<Clock>,
}

impl<T: AsyncRead + Unpin> AsyncRead for Watched<T> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        let before = buf.filled().len();
        let r = Pin::new(&mut self.io).poll_read(cx, buf);
        if buf.filled().len() > before {
            let now = self.clock.ms();
            self.conn.active_at.store(now, Ordering::Relaxed);
            if self.conn.in_flight.load(Ordering::Relaxed) == 0 {
                let _ = self.conn.head_since.compare_exchange(
                    0,
                    now,
                    Ordering::Relaxed,
                    Ordering::Relaxed,
                );
            }
        }
        r
    }
}

impl<T: AsyncWrite + Unpin> AsyncWrite for Watched<T> {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        data: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        let r = Pin::new(&mut self.io).poll_write(cx, data);
        if matches!(r, Poll::Ready(Ok(n)) if n > 0) {
            let now = self.clock.ms();
            self.conn.active_at.store(now, Ordering::Relaxed);
        }
        r
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.io).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.io).poll_shutdown(cx)
    }
}

struct Shared {
    router: Router,
    limits: Limits,
    metrics: Arc<Metrics>,
    clock: Arc<Clock>,
    conns: Mutex<BTreeMap<u64, Arc<Conn>>>,
    next: AtomicU64,
    stop: tokio::sync::watch::Receiver<bool>,
}

impl Shared {
    /// Asks the connection idle the longest to close; false when none is idle.
    fn evict_idle(&self) -> bool {
        let conns = self.conns.lock().expect("connections");
        let now = self.clock.ms();
        // Idle: no request being handled or arriving, and no bytes moved for half a second (a
        // response still streaming to its client keeps moving bytes).
        let victim = conns
            .values()
            .filter(|c| {
                c.in_flight.load(Ordering::Relaxed) == 0
                    && c.head_since.load(Ordering::Relaxed) == 0
                    && now.saturating_sub(c.active_at.load(Ordering::Relaxed)) > 500
            })
            .min_by_key(|c| c.active_at.load(Ordering::Relaxed));
        match victim {
            Some(c) => {
                c.close.notify_one();
                self.metrics.evicted.fetch_add(1, Ordering::Relaxed);
                true
            }
            None => false,
        }
    }
}

/// Serves `router` on `listener` until `stop` resolves, then drains within the grace period;
/// `busy` says whether background work (tasks) is still running.
pub async fn run(
    listener: TcpListener,
    tls: Option<TlsAcceptor>,
    router: Router,
    limits: Limits,
    metrics: Arc<Metrics>,
    stop: impl std::future::Future<Output = ()>,
    busy: impl Fn() -> bool,
) {
    let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
    let permits = Arc::new(tokio::sync::Semaphore::new(limits.max_connections.max(1)));
    let shared = Arc::new(Shared {
        router,
        limits,
        metrics,
        clock: Arc::new(Clock(Instant::now())),
        conns: Mutex::new(BTreeMap::new()),
        next: AtomicU64::new(1),
        stop: stop_rx,
    });
    tokio::pin!(stop);
    'accept: loop {
        let accepted = tokio::select! {
            _ = &mut stop => break,
            a = listener.accept() => a,
        };
        let Ok((tcp, peer)) = accepted else {
            // Out of file descriptors and the like: wait rather than spin.
            tokio::time::sleep(Duration::from_millis(50)).await;
            continue;
        };
        let permit = match permits.clone().try_acquire_owned() {
            Ok(p) => p,
            // Full: make room by closing an idle connection, or wait for one to become idle
            // or end.
            Err(_) => loop {
                shared.evict_idle();
                tokio::select! {
                    _ = &mut stop => break 'accept,
                    p = permits.clone().acquire_owned() => match p {
                        Ok(p) => break p,
                        Err(_) => break 'accept,
                    },
                    _ = tokio::time::sleep(Duration::from_millis(250)) => {}
                }
            },
        };
        let _ = tcp.set_nodelay(true);
        let shared = shared.clone();
        let tls = tls.clone();
        tokio::spawn(async move {
            let _permit = permit;
            match tls {
                None => serve_conn(&shared, tcp, peer).await,
                Some(acceptor) => {
                    let hs =
                        tokio::time::timeout(shared.limits.handshake_timeout, acceptor.accept(tcp));
                    if let Ok(Ok(stream)) = hs.await {
                        serve_conn(&shared, stream, peer).await;
                    }
                }
            }
        });
    }
    drop(listener);
    let _ = stop_tx.send(true);
    let deadline = Instant::now() + shared.limits.grace;
    while Instant::now() < deadline {
        let open = shared.conns.lock().expect("connections").len();
        if open == 0 && !busy() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

async fn serve_conn<T>(shared: &Arc<Shared>, io: T, peer: SocketAddr)
where
    T: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    let conn = Arc::new(Conn {
        in_flight: AtomicUsize::new(0),
        head_since: AtomicU64::new(0),
        active_at: AtomicU64::new(shared.clock.ms()),
        close: tokio::sync::Notify::new(),
    });
    let key = shared.next.fetch_add(1, Ordering::Relaxed);
    shared
        .conns
        .lock()
        .expect("connections")
        .insert(key, conn.clone());
    shared.metrics.connections.fetch_add(1, Ordering::Relaxed);
    let inner = TowerToHyperService::new(shared.router.clone());
    let c = conn.clone();
    let clock = shared.clock.clone();
    let svc = hyper::service::service_fn(move |mut req: hyper::Request<Incoming>| {
        c.in_flight.fetch_add(1, Ordering::Relaxed);
        c.head_since.store(0, Ordering::Relaxed);
        req.extensions_mut().insert(Peer(peer));
        let fut = hyper::service::Service::call(&inner, req);
        let (c, clock) = (c.clone(), clock.clone());
        async move {
            let r = fut.await;
            c.active_at.store(clock.ms(), Ordering::Relaxed);
            c.in_flight.fetch_sub(1, Ordering::Relaxed);
            r
        }
    });
    let io = Watched {
        io,
        conn: conn.clone(),
        clock: shared.clock.clone(),
    };
    let http = hyper::server::conn::http1::Builder::new()
        .timer(TokioTimer::new())
        .keep_alive(true)
        .serve_connection(TokioIo::new(io), svc);
    tokio::pin!(http);
    let mut stop = shared.stop.clone();
    let mut tick = tokio::time::interval(Duration::from_millis(250));
    let limits = &shared.limits;
    let closing = loop {
        tokio::select! {
            _ = http.as_mut() => break None,
            _ = conn.close.notified() => break Some(Duration::from_secs(5)),
            _ = stop.changed() => break Some(limits.grace),
            _ = tick.tick() => {
                let now = shared.clock.ms();
                let head = conn.head_since.load(Ordering::Relaxed);
                if head != 0 && now - head > limits.header_timeout.as_millis() as u64 {
                    shared.metrics.timed_out.fetch_add(1, Ordering::Relaxed);
                    break Some(Duration::ZERO);
                }
                let idle = conn.in_flight.load(Ordering::Relaxed) == 0 && head == 0;
                let quiet = now.saturating_sub(conn.active_at.load(Ordering::Relaxed));
                if idle && quiet > limits.idle_timeout.as_millis() as u64 {
                    shared.metrics.timed_out.fetch_add(1, Ordering::Relaxed);
                    break Some(Duration::from_secs(5));
                }
            }
        }
    };
    if let Some(wait) = closing {
        // A response being written completes; one that cannot within `wait` is cut.
        http.as_mut().graceful_shutdown();
        let _ = tokio::time::timeout(wait, http.as_mut()).await;
    }
    shared.conns.lock().expect("connections").remove(&key);
    shared.metrics.connections.fetch_sub(1, Ordering::Relaxed);
}

/// The client's address, for the access log.
#[derive(Debug, Clone, Copy)]
pub struct Peer(pub SocketAddr);
