//! Speaking the director API as the `bosh` CLI's director client (v7.4.0) speaks it, for
//! `director.rs` and `director_service.rs`: one request per connection with Basic
//! credentials, the redirect to a task followed by polling with ranged event output.

use std::fs;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use base64::Engine as _;
use serde_json::Value;

use super::registry::Running;

pub(super) const ADMIN: (&str, &str) = ("ci", "cipass");
pub(super) const READER: (&str, &str) = ("ro", "ropass");

pub(super) struct Reply {
    pub(super) status: u16,
    head: String,
    body: Vec<u8>,
}

impl Reply {
    pub(super) fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&self.body)))
    }
    pub(super) fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).to_string()
    }
    pub(super) fn header(&self, name: &str) -> Option<String> {
        self.head.lines().find_map(|l| {
            let (k, v) = l.split_once(':')?;
            k.eq_ignore_ascii_case(name).then(|| v.trim().to_string())
        })
    }
}

pub(super) fn addr(s: &Running) -> String {
    s.url.trim_start_matches("http://").to_string()
}

fn read_reply(c: &mut TcpStream) -> Reply {
    let mut raw = Vec::new();
    c.read_to_end(&mut raw).unwrap();
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .unwrap_or_else(|| panic!("no head in {:?}", String::from_utf8_lossy(&raw)));
    let head = String::from_utf8_lossy(&raw[..split]).to_string();
    let mut body = raw[split + 4..].to_vec();
    if head
        .to_ascii_lowercase()
        .contains("transfer-encoding: chunked")
    {
        let mut out = Vec::new();
        let mut b = &body[..];
        loop {
            let nl = b.windows(2).position(|w| w == b"\r\n").unwrap();
            let n =
                usize::from_str_radix(std::str::from_utf8(&b[..nl]).unwrap().trim(), 16).unwrap();
            if n == 0 {
                break;
            }
            out.extend_from_slice(&b[nl + 2..nl + 2 + n]);
            b = &b[nl + 4 + n..];
        }
        body = out;
    }
    Reply {
        status: head[9..12].parse().unwrap(),
        head,
        body,
    }
}

/// One request on its own connection, as the CLI's HTTP client makes it.
pub(super) fn call(
    s: &Running,
    method: &str,
    path: &str,
    user: Option<(&str, &str)>,
    headers: &[(&str, &str)],
    body: &[u8],
) -> Reply {
    let a = addr(s);
    let mut c = TcpStream::connect(&a).unwrap();
    let mut req = format!("{method} {path} HTTP/1.1\r\nHost: {a}\r\nConnection: close\r\n");
    if let Some((u, p)) = user {
        let cred = base64::engine::general_purpose::STANDARD.encode(format!("{u}:{p}"));
        req.push_str(&format!("Authorization: Basic {cred}\r\n"));
    }
    for (k, v) in headers {
        req.push_str(&format!("{k}: {v}\r\n"));
    }
    req.push_str(&format!("Content-Length: {}\r\n\r\n", body.len()));
    c.write_all(req.as_bytes()).unwrap();
    c.write_all(body).unwrap();
    read_reply(&mut c)
}

pub(super) fn get(s: &Running, path: &str, user: (&str, &str)) -> Reply {
    call(s, "GET", path, Some(user), &[], b"")
}

/// What the CLI does after a POST or DELETE: follow the redirect, poll the task until it
/// ends while reading its event output from the last offset; returns the final state and
/// the whole event output.
pub(super) fn follow(s: &Running, r: &Reply) -> (String, Vec<Value>) {
    assert_eq!(r.status, 302, "{}", r.text());
    let loc = r.header("location").unwrap();
    assert!(loc.starts_with("/tasks/"), "{loc}");
    let id = get(s, &loc, ADMIN).json()["id"].as_u64().unwrap();
    let mut events = String::new();
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        let t = get(s, &format!("/tasks/{id}"), ADMIN).json();
        let out = call(
            s,
            "GET",
            &format!("/tasks/{id}/output?type=event"),
            Some(ADMIN),
            &[("Range", &format!("bytes={}-", events.len()))],
            b"",
        );
        match out.status {
            206 => events.push_str(&out.text()),
            416 => {}
            other => panic!("output answered {other}: {}", out.text()),
        }
        let state = t["state"].as_str().unwrap().to_string();
        if state != "queued" && state != "processing" {
            let lines = events
                .lines()
                .map(|l| serde_json::from_str(l).unwrap())
                .collect();
            return (state, lines);
        }
        assert!(Instant::now() < deadline, "task {id} never ended");
        std::thread::sleep(Duration::from_millis(50));
    }
}

pub(super) fn upload(s: &Running, path: &str, tarball: &[u8]) -> (String, Vec<Value>) {
    let r = call(
        s,
        "POST",
        path,
        Some(ADMIN),
        &[("Content-Type", "application/x-compressed")],
        tarball,
    );
    follow(s, &r)
}

pub(super) fn error_of(events: &[Value]) -> String {
    events
        .iter()
        .rev()
        .find_map(|e| e["error"]["message"].as_str().map(str::to_string))
        .unwrap_or_default()
}

pub(super) fn objects(store: &Path) -> usize {
    walkdir(store)
        .iter()
        .filter(|p| {
            let n = p.file_name().unwrap().to_string_lossy().to_string();
            n.starts_with("sha") && p.parent() != Some(store)
        })
        .count()
}

fn walkdir(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(walkdir(&p));
        } else {
            out.push(p);
        }
    }
    out
}

/// The tarball with the archives `drop` names left out, as the CLI writes it after
/// `/packages/matches`.
pub(super) fn without(tarball: &Path, drop: &dyn Fn(&str) -> bool) -> Vec<u8> {
    let mut a = tar::Archive::new(flate2::read::GzDecoder::new(
        fs::File::open(tarball).unwrap(),
    ));
    let mut out = tar::Builder::new(flate2::write::GzEncoder::new(
        Vec::new(),
        flate2::Compression::fast(),
    ));
    for e in a.entries().unwrap() {
        let mut e = e.unwrap();
        let name = String::from_utf8_lossy(&e.path_bytes())
            .trim_start_matches("./")
            .to_string();
        if drop(&name) {
            continue;
        }
        let mut h = e.header().clone();
        let mut data = Vec::new();
        e.read_to_end(&mut data).unwrap();
        out.append_data(&mut h, &name, &data[..]).unwrap();
    }
    out.into_inner().unwrap().finish().unwrap()
}

pub(super) fn release_mf(tarball: &Path) -> String {
    let mut a = tar::Archive::new(flate2::read::GzDecoder::new(
        fs::File::open(tarball).unwrap(),
    ));
    for e in a.entries().unwrap() {
        let mut e = e.unwrap();
        if e.path_bytes().ends_with(b"release.MF") {
            let mut s = String::new();
            e.read_to_string(&mut s).unwrap();
            return s;
        }
    }
    panic!("no release.MF")
}

pub(super) fn append(file: &Path, text: &str) {
    let mut s = fs::read_to_string(file).unwrap();
    s.push_str(text);
    fs::write(file, s).unwrap();
}
