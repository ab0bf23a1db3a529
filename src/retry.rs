//! Retries for bale's HTTP clients (the DAV provider, the registry client): a request that
//! failed to connect, timed out, was cut off, or got a 5xx answer is sent again after an
//! exponential backoff with jitter, so clients that failed together do not come back
//! together. A 4xx answer is the server's verdict on the request itself and is never retried.
//! The object store clients retry on their own (object_store's `RetryConfig`).
//!
//! Every attempt is logged at debug level with its method and URL — never a header, so never
//! a password — and every retry at warn level with the reason.

use std::future::Future;
use std::hash::{BuildHasher, Hasher};
use std::time::{Duration, Instant};

/// How often and how patiently to retry.
#[derive(Debug, Clone, Copy)]
pub struct Policy {
    /// Attempts in all, the first one included.
    pub attempts: u32,
    /// Upper bound of the first delay; doubled after each failure.
    pub base: Duration,
    /// No delay is longer than this.
    pub cap: Duration,
}

impl Policy {
    /// Four attempts within about 3.5 s at worst: long enough for a server restart or a
    /// load balancer's hiccup, short enough that a server which is really down is reported
    /// quickly. `BALE_HTTP_RETRIES` sets the number of attempts (1 disables retries).
    pub fn network() -> Policy {
        let attempts = std::env::var("BALE_HTTP_RETRIES")
            .ok()
            .and_then(|v| v.trim().parse::<u32>().ok())
            .filter(|n| *n >= 1)
            .unwrap_or(4);
        Policy {
            attempts,
            base: Duration::from_millis(250),
            cap: Duration::from_secs(2),
        }
    }

    /// The wait before attempt `failed + 1`: "equal jitter", half the exponential delay plus
    /// a random share of the other half, so a retry never comes back immediately yet
    /// concurrent clients spread out.
    pub fn delay(&self, failed: u32) -> Duration {
        let exp = self
            .base
            .saturating_mul(1u32 << failed.saturating_sub(1).min(16))
            .min(self.cap);
        let half = exp / 2;
        let spread = half.as_micros() as u64;
        let jitter = if spread == 0 {
            0
        } else {
            random() % (spread + 1)
        };
        half + Duration::from_micros(jitter)
    }
}

/// A random number from the standard library's per-process hash keys (no extra crate for
/// jitter, which needs no cryptographic quality).
fn random() -> u64 {
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u128(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or_default(),
    );
    h.finish()
}

/// Whether an answer is worth asking again: server errors only.
pub fn retry_status(status: reqwest::StatusCode) -> bool {
    status.is_server_error()
}

/// Whether a failure to get an answer is worth another attempt: the connection could not
/// be made, timed out, or broke while the request or answer was under way. Not a request
/// bale could not even build, nor a redirect loop.
pub fn retry_error(e: &reqwest::Error) -> bool {
    !e.is_builder()
        && !e.is_redirect()
        && !e.is_decode()
        && (e.is_connect() || e.is_timeout() || e.is_request() || e.is_body())
}

/// What may be retried for one request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Idempotence {
    /// Sending it twice does what sending it once does (GET, HEAD, PUT, DELETE, queries).
    Idempotent,
    /// Only retried when the connection was never made, so the server cannot have acted on
    /// it (a registration).
    ConnectOnly,
}

/// Sends the request `make` builds (once per attempt: a request with a streamed body needs a
/// fresh stream each time) and returns the first answer that is not worth retrying, the last
/// answer, or the last error. `make` failing (a file that cannot be opened) ends it at once.
pub async fn send<E, F, Fut>(
    policy: &Policy,
    idempotence: Idempotence,
    mut make: F,
) -> Result<Result<reqwest::Response, reqwest::Error>, E>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<reqwest::RequestBuilder, E>>,
{
    let mut failed = 0u32;
    loop {
        let (client, request) = make().await?.build_split();
        let request = match request {
            Ok(r) => r,
            Err(e) => return Ok(Err(e)),
        };
        let method = request.method().clone();
        let url = redacted(request.url());
        let start = Instant::now();
        tracing::debug!(%method, %url, attempt = failed + 1, "http request");
        let outcome = client.execute(request).await;
        let elapsed_ms = start.elapsed().as_millis() as u64;
        let reason = match &outcome {
            Ok(resp) => {
                let status = resp.status();
                tracing::debug!(%method, %url, status = status.as_u16(), elapsed_ms, "http response");
                if !(retry_status(status) && idempotence == Idempotence::Idempotent) {
                    return Ok(outcome);
                }
                format!("the server answered {status}")
            }
            Err(e) => {
                tracing::debug!(%method, %url, elapsed_ms, error = %e, "http request failed");
                let again = match idempotence {
                    Idempotence::Idempotent => retry_error(e),
                    Idempotence::ConnectOnly => e.is_connect(),
                };
                if !again {
                    return Ok(outcome);
                }
                error_chain(e)
            }
        };
        failed += 1;
        if failed >= policy.attempts {
            tracing::warn!(%method, %url, attempts = failed, "giving up: {reason}");
            return Ok(outcome);
        }
        let wait = policy.delay(failed);
        tracing::warn!(
            %method,
            %url,
            "{reason}; retrying in {} ms (attempt {} of {})",
            wait.as_millis(),
            failed + 1,
            policy.attempts
        );
        tokio::time::sleep(wait).await;
    }
}

/// The URL without a password or query (signed URLs carry their signature there).
fn redacted(url: &reqwest::Url) -> String {
    let mut u = url.clone();
    if u.password().is_some() {
        let _ = u.set_password(Some("REDACTED"));
    }
    if u.query().is_some() {
        u.set_query(Some("REDACTED"));
    }
    u.to_string()
}

/// reqwest's own text stops at "error sending request"; the cause is further down.
fn error_chain(e: &reqwest::Error) -> String {
    let mut text = e.to_string();
    let mut src = std::error::Error::source(e);
    while let Some(s) = src {
        text.push_str(&format!(": {s}"));
        src = s.source();
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delays_grow_stay_under_the_cap_and_never_vanish() {
        let p = Policy {
            attempts: 10,
            base: Duration::from_millis(100),
            cap: Duration::from_millis(1000),
        };
        for failed in 1..10 {
            let bound = Duration::from_millis(100 * (1u64 << (failed - 1))).min(p.cap);
            for _ in 0..50 {
                let d = p.delay(failed);
                assert!(d >= bound / 2 && d <= bound, "{failed}: {d:?} vs {bound:?}");
            }
        }
    }

    #[test]
    fn delays_are_spread() {
        let p = Policy {
            attempts: 4,
            base: Duration::from_secs(1),
            cap: Duration::from_secs(1),
        };
        let seen: std::collections::BTreeSet<_> = (0..20).map(|_| p.delay(1)).collect();
        assert!(seen.len() > 10, "{seen:?}");
    }

    #[test]
    fn passwords_and_signatures_stay_out_of_logged_urls() {
        let u = reqwest::Url::parse("http://alice:hunter2@h:1/ab/id?sig=abc&exp=1").unwrap();
        let r = redacted(&u);
        assert!(!r.contains("hunter2") && !r.contains("abc"), "{r}");
        assert!(
            r.contains("http://alice:REDACTED@h:1/ab/id?REDACTED"),
            "{r}"
        );
    }
}

/// A tiny HTTP/1.1 server on loopback that answers from a script, one connection per
/// request, for the clients' retry tests.
#[cfg(test)]
pub(crate) mod flaky {
    use std::io::{BufRead, BufReader, Read, Write};
    use std::net::{TcpListener, TcpStream};
    use std::sync::{Arc, Mutex};

    /// What the server does with one request.
    #[derive(Debug, Clone)]
    pub enum Answer {
        /// Closes the connection without answering (the client sees a broken connection).
        Hangup,
        /// Answers with this status and body.
        Status(u16, &'static str),
    }

    /// One request as received.
    #[derive(Debug, Clone)]
    pub struct Seen {
        pub method: String,
        pub path: String,
        pub body: Vec<u8>,
    }

    pub struct Server {
        pub addr: std::net::SocketAddr,
        seen: Arc<Mutex<Vec<Seen>>>,
    }

    impl Server {
        /// Serves `script` in order, then repeats its last answer.
        pub fn start(script: Vec<Answer>) -> Server {
            let listener = TcpListener::bind("127.0.0.1:0").unwrap();
            let addr = listener.local_addr().unwrap();
            let seen = Arc::new(Mutex::new(Vec::new()));
            let log = seen.clone();
            std::thread::spawn(move || {
                for (i, conn) in listener.incoming().enumerate() {
                    let Ok(conn) = conn else { return };
                    let answer = script[i.min(script.len() - 1)].clone();
                    // Recorded before answering: the client may look as soon as it has the
                    // answer.
                    if let Some((s, conn)) = receive(conn) {
                        log.lock().unwrap().push(s);
                        answer_with(conn, &answer);
                    }
                }
            });
            Server { addr, seen }
        }

        pub fn seen(&self) -> Vec<Seen> {
            self.seen.lock().unwrap().clone()
        }
    }

    fn receive(conn: TcpStream) -> Option<(Seen, TcpStream)> {
        let mut r = BufReader::new(conn.try_clone().ok()?);
        let mut line = String::new();
        r.read_line(&mut line).ok()?;
        let mut parts = line.split_whitespace();
        let method = parts.next()?.to_string();
        let path = parts.next()?.to_string();
        let mut len = 0usize;
        loop {
            let mut h = String::new();
            r.read_line(&mut h).ok()?;
            let h = h.trim_end();
            if h.is_empty() {
                break;
            }
            if let Some((k, v)) = h.split_once(':') {
                if k.eq_ignore_ascii_case("content-length") {
                    len = v.trim().parse().ok()?;
                }
            }
        }
        let mut body = vec![0; len];
        r.read_exact(&mut body).ok()?;
        Some((Seen { method, path, body }, conn))
    }

    fn answer_with(mut conn: TcpStream, answer: &Answer) {
        match answer {
            Answer::Hangup => drop(conn),
            Answer::Status(code, text) => {
                let _ = write!(
                    conn,
                    "HTTP/1.1 {code} X\r\nContent-Length: {}\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n{text}",
                    text.len()
                );
                let _ = conn.flush();
            }
        }
    }
}
