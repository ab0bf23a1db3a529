//! `bale blobstore serve` as a service: health, metrics, idle connections held against the
//! connection bound, the request-head timeout, users from the environment and a graceful
//! stop on SIGTERM that lets a running task finish.

use std::fs;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use super::director_http::*;
use super::registry::{demo, start, Running};
use super::support::bale;

#[test]
fn health_metrics_and_idle_connections_held_against_the_bound() {
    let t = tempfile::tempdir().unwrap();
    let s = start(
        &t.path().join("store"),
        &["--max-connections", "2", "--header-timeout", "1"],
    );
    let h = call(&s, "GET", "/healthz", None, &[], b"");
    assert_eq!((h.status, h.text().as_str()), (200, "ok\n"));
    // Two keep-alive connections, idle after one request each, fill the bound.
    let a = addr(&s);
    let mut idle = Vec::new();
    for _ in 0..2 {
        let mut c = TcpStream::connect(&a).unwrap();
        write!(c, "GET /healthz HTTP/1.1\r\nHost: {a}\r\n\r\n").unwrap();
        let mut buf = [0u8; 256];
        let n = c.read(&mut buf).unwrap();
        assert!(buf[..n].starts_with(b"HTTP/1.1 200"));
        idle.push(c);
    }
    std::thread::sleep(Duration::from_millis(300));
    // Another client is still served: an idle connection makes room.
    let started = Instant::now();
    assert_eq!(get(&s, "/releases", READER).status, 200);
    assert!(started.elapsed() < Duration::from_secs(5));
    let m = call(&s, "GET", "/metrics", None, &[], b"").text();
    let evicted: u64 = m
        .lines()
        .find_map(|l| l.strip_prefix("bale_connections_evicted_total "))
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    assert!(evicted >= 1, "{m}");
    assert!(
        m.contains("bale_http_requests_total{method=\"GET\",status=\"200\"}"),
        "{m}"
    );

    // A request head that never completes is cut off after the header timeout.
    let mut slow = TcpStream::connect(&a).unwrap();
    write!(slow, "GET /healthz HTTP/1.1\r\nHost: ").unwrap();
    slow.set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    let started = Instant::now();
    let mut rest = Vec::new();
    let _ = slow.read_to_end(&mut rest);
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
}

#[test]
fn sigterm_lets_a_task_finish_then_exits() {
    let t = tempfile::tempdir().unwrap();
    let v1 = demo(t.path(), "v1", "1", |_| {});
    let mut child = Command::new(bale())
        .args(["blobstore", "serve", "--listen", "127.0.0.1:0", "--dir"])
        .arg(t.path().join("store"))
        .env("BALE_BLOBSTORE_WRITE_USERS", "ci:cipass")
        .env("BALE_BLOBSTORE_READ_USERS", "ro:ropass")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let url = line
        .split_whitespace()
        .find(|w| w.starts_with("http"))
        .unwrap()
        .to_string();
    // Credentials from the environment, not the command line, are in force.
    let s = Running::adopt(child, url);
    assert_eq!(get(&s, "/info", ADMIN).json()["user"], "ci");
    let r = call(
        &s,
        "POST",
        "/releases",
        Some(ADMIN),
        &[("Content-Type", "application/x-compressed")],
        &fs::read(&v1).unwrap(),
    );
    assert_eq!(r.status, 302);
    let mut child = s.release();
    unsafe {
        libc::kill(child.id() as i32, libc::SIGTERM);
    }
    let status = child.wait().unwrap();
    assert!(status.success(), "{status:?}");
    let mut log = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut log)
        .unwrap();
    assert!(log.contains("SIGTERM"), "{log}");
    assert!(log.contains("bale::access"), "{log}");
    // The task finished before the exit: the release is there after a restart.
    let s = start(&t.path().join("store"), &[]);
    assert_eq!(get(&s, "/releases", READER).json()[0]["name"], "demo");
}
