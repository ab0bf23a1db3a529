//! `bale blobstore serve` on loopback, driven with raw HTTP/1.1 as BOSH's DAV client drives it.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use base64::Engine as _;

use super::support::bale;

pub struct Server {
    child: Child,
    pub addr: String,
    pub dir: tempfile::TempDir,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub fn server() -> Server {
    let dir = tempfile::tempdir().unwrap();
    let mut child = Command::new(bale())
        .args([
            "blobstore",
            "serve",
            "--listen",
            "127.0.0.1:0",
            "--write-user",
            "director:dpass",
            "--read-user",
            "agent:apass",
            "--secret",
            "s3cr3t",
            "--max-upload-size",
            "1000000",
            "--dir",
        ])
        .arg(dir.path().join("store"))
        // The access log of every request is not what these tests read.
        .env("BALE_LOG", "warn")
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let addr = line
        .split("http://")
        .nth(1)
        .unwrap()
        .split_whitespace()
        .next()
        .unwrap()
        .to_string();
    Server { child, addr, dir }
}

struct Reply {
    status: u16,
    headers: String,
    body: Vec<u8>,
}

fn basic(user: &str, pass: &str) -> String {
    format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(format!("{user}:{pass}"))
    )
}

fn request(
    s: &Server,
    method: &str,
    path: &str,
    auth: Option<&str>,
    extra: &[(&str, &str)],
    body: &[u8],
) -> Reply {
    let mut c = TcpStream::connect(&s.addr).unwrap();
    c.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
    let mut req = format!(
        "{method} {path} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\nContent-Length: {}\r\n",
        s.addr,
        body.len()
    );
    if let Some(a) = auth {
        req.push_str(&format!("Authorization: {a}\r\n"));
    }
    for (k, v) in extra {
        req.push_str(&format!("{k}: {v}\r\n"));
    }
    req.push_str("\r\n");
    c.write_all(req.as_bytes()).unwrap();
    c.write_all(body).unwrap();
    let mut raw = Vec::new();
    c.read_to_end(&mut raw).unwrap();
    let split = raw.windows(4).position(|w| w == b"\r\n\r\n").unwrap();
    let headers = String::from_utf8_lossy(&raw[..split]).to_string();
    let status = headers[9..12].parse().unwrap();
    let mut body = raw[split + 4..].to_vec();
    if headers
        .to_ascii_lowercase()
        .contains("transfer-encoding: chunked")
    {
        body = dechunk(&body);
    }
    Reply {
        status,
        headers,
        body,
    }
}

fn dechunk(mut b: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    loop {
        let nl = b.windows(2).position(|w| w == b"\r\n").unwrap();
        let n = usize::from_str_radix(std::str::from_utf8(&b[..nl]).unwrap().trim(), 16).unwrap();
        if n == 0 {
            return out;
        }
        out.extend_from_slice(&b[nl + 2..nl + 2 + n]);
        b = &b[nl + 4 + n..];
    }
}

const ID: &str = "a5e2f2a1-8b4c-4d3e-9f10-1234567890ab";
const PATH: &str = "/95/a5e2f2a1-8b4c-4d3e-9f10-1234567890ab";

fn files_under(p: &Path) -> Vec<String> {
    let mut v = Vec::new();
    if let Ok(rd) = std::fs::read_dir(p) {
        for e in rd.flatten() {
            if e.path().is_dir() {
                v.extend(files_under(&e.path()));
            } else if e.file_name() != "registry.redb" {
                v.push(e.path().display().to_string());
            }
        }
    }
    v
}

#[test]
fn dav_verbs_and_status_codes() {
    let s = server();
    let w = basic("director", "dpass");
    assert_eq!(
        request(&s, "PUT", PATH, Some(&w), &[], b"hello blob").status,
        201
    );
    assert_eq!(
        request(&s, "PUT", PATH, Some(&w), &[], b"hello again").status,
        204
    );
    let got = request(&s, "GET", PATH, Some(&w), &[], b"");
    assert_eq!(
        (got.status, got.body.as_slice()),
        (200, &b"hello again"[..])
    );
    let head = request(&s, "HEAD", PATH, Some(&w), &[], b"");
    assert_eq!(head.status, 200);
    assert!(
        head.headers
            .to_ascii_lowercase()
            .contains("content-length: 11"),
        "{}",
        head.headers
    );
    let part = request(&s, "GET", PATH, Some(&w), &[("Range", "bytes=6-10")], b"");
    assert_eq!((part.status, part.body.as_slice()), (206, &b"again"[..]));
    assert!(part.headers.contains("bytes 6-10/11"), "{}", part.headers);
    assert_eq!(request(&s, "DELETE", PATH, Some(&w), &[], b"").status, 204);
    let missing = request(&s, "GET", PATH, Some(&w), &[], b"");
    assert_eq!(missing.status, 404);
    // The director recognises a missing object by nginx's 404 body.
    assert!(String::from_utf8_lossy(&missing.body).contains("404 Not Found"));
    assert_eq!(request(&s, "HEAD", PATH, Some(&w), &[], b"").status, 404);
    assert_eq!(request(&s, "DELETE", PATH, Some(&w), &[], b"").status, 204);
    // Objects are laid out as the director's DAV store lays them out.
    request(&s, "PUT", PATH, Some(&w), &[], b"x");
    assert!(s.dir.path().join("store/95").join(ID).is_file());
}

#[test]
fn read_and_write_users_and_bad_ids() {
    let s = server();
    let w = basic("director", "dpass");
    let r = basic("agent", "apass");
    assert_eq!(request(&s, "PUT", PATH, None, &[], b"x").status, 401);
    assert_eq!(
        request(&s, "PUT", PATH, Some(&r), &[], b"x").status,
        401,
        "a read user cannot write"
    );
    assert_eq!(
        request(&s, "PUT", PATH, Some(&basic("director", "nope")), &[], b"x").status,
        401
    );
    assert_eq!(request(&s, "PUT", PATH, Some(&w), &[], b"x").status, 201);
    assert_eq!(request(&s, "GET", PATH, Some(&r), &[], b"").status, 200);
    assert_eq!(request(&s, "GET", PATH, None, &[], b"").status, 401);
    assert_eq!(request(&s, "DELETE", PATH, Some(&r), &[], b"").status, 401);
    for bad in [
        "/95/..",
        "/95/a%2Fb",
        "/95/.hidden",
        "/00/a5e2f2a1-8b4c-4d3e-9f10-1234567890ab",
    ] {
        assert_eq!(
            request(&s, "PUT", bad, Some(&w), &[], b"x").status,
            400,
            "{bad}"
        );
    }
    assert_eq!(files_under(&s.dir.path().join("store")).len(), 1);
}

#[test]
fn signed_urls() {
    let s = server();
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs();
    let object = format!("95/{ID}");
    let url = |verb: &str, ts: u64, e: u64| {
        let st = bale::blobstore::sign("s3cr3t", verb, &object, ts, e);
        format!("/signed/{object}?e={e}&st={st}&ts={ts}")
    };
    assert_eq!(
        request(&s, "PUT", &url("PUT", now, 600), None, &[], b"signed").status,
        201
    );
    let got = request(&s, "GET", &url("GET", now, 600), None, &[], b"");
    assert_eq!((got.status, got.body.as_slice()), (200, &b"signed"[..]));
    assert_eq!(
        request(&s, "PUT", &url("GET", now, 600), None, &[], b"x").status,
        403,
        "a GET signature cannot PUT"
    );
    assert_eq!(
        request(&s, "GET", &url("GET", now - 1000, 600), None, &[], b"").status,
        403,
        "expired"
    );
    assert_eq!(
        request(&s, "DELETE", &url("DELETE", now, 600), None, &[], b"").status,
        405
    );
}

#[test]
fn writes_are_verified_and_atomic() {
    let s = server();
    let w = basic("director", "dpass");
    let body = b"content to verify";
    let wrong = format!("sha256:{}", "0".repeat(64));
    let r = request(
        &s,
        "PUT",
        PATH,
        Some(&w),
        &[("X-Bale-Digest", &wrong)],
        body,
    );
    assert_eq!(r.status, 422, "{}", String::from_utf8_lossy(&r.body));
    assert_eq!(
        request(&s, "GET", PATH, Some(&w), &[], b"").status,
        404,
        "a mismatched body is not stored"
    );
    let right = format!("sha256:{}", {
        use sha2::Digest;
        sha2::Sha256::digest(body)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect::<String>()
    });
    assert_eq!(
        request(
            &s,
            "PUT",
            PATH,
            Some(&w),
            &[("X-Bale-Digest", &right)],
            body
        )
        .status,
        201
    );

    // A client that disconnects mid-upload leaves nothing behind.
    let other = "/b6/00000000-0000-0000-0000-000000000000";
    let mut c = TcpStream::connect(&s.addr).unwrap();
    write!(c, "PUT {other} HTTP/1.1\r\nHost: x\r\nAuthorization: {w}\r\nContent-Length: 100000\r\n\r\npartial").unwrap();
    c.flush().unwrap();
    std::thread::sleep(Duration::from_millis(200));
    drop(c);
    std::thread::sleep(Duration::from_millis(300));
    assert_eq!(request(&s, "GET", other, Some(&w), &[], b"").status, 404);
    let files = files_under(&s.dir.path().join("store"));
    assert_eq!(
        files.len(),
        1,
        "only the verified object, no temp files: {files:?}"
    );

    // Over the size limit.
    assert_eq!(
        request(&s, "PUT", other, Some(&w), &[], &vec![1u8; 1_000_001]).status,
        413
    );
}

/// Client `t`'s `i`-th object: its byte value and path. Even clients share ids (and bytes)
/// with each other, so the same objects are written concurrently.
fn concurrent_object(t: u8, i: u8) -> (u8, String) {
    let n = if t.is_multiple_of(2) { i } else { t * 10 + i };
    let id = format!("{n:08}-0000-0000-0000-000000000000");
    let prefix = bale::blobstore::ObjectId::parse(&id).unwrap().prefix();
    (n, format!("/{prefix}/{id}"))
}

#[test]
fn concurrent_clients_keep_every_object_intact() {
    let s = server();
    let w = basic("director", "dpass");
    std::thread::scope(|scope| {
        for t in 0..8u8 {
            let s = &s;
            let w = &w;
            scope.spawn(move || {
                for i in 0..6u8 {
                    let (n, path) = concurrent_object(t, i);
                    let body = vec![n; 50_000 + n as usize];
                    let st = request(s, "PUT", &path, Some(w), &[], &body).status;
                    assert!(st == 201 || st == 204, "{st}");
                }
            });
        }
    });
    for t in 0..8u8 {
        for i in 0..6u8 {
            let (n, path) = concurrent_object(t, i);
            let got = request(&s, "GET", &path, Some(&w), &[], b"");
            assert_eq!(got.body, vec![n; 50_000 + n as usize], "{path}");
        }
    }
}

/// The MAC covers `ts` and `e` without a separator, so moving the first digit of `e` to the
/// end of `ts` keeps a valid MAC while moving the expiry centuries ahead. The server keeps
/// the wire format and bounds the numbers instead: an expired URL stays expired.
#[test]
fn signed_urls_cannot_be_stretched() {
    let s = server();
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs();
    let auth = basic("director", "dpass");
    assert_eq!(
        request(&s, "PUT", PATH, Some(&auth), &[], b"original").status,
        201
    );
    let object = format!("95/{ID}");
    let raw = |ts: &str, e: &str, st: &str| format!("/signed/{object}?e={e}&st={st}&ts={ts}");
    // An expired PUT URL the attacker saw: signed a day ago for 12 hours.
    let (ts, e) = (now - 86_400, 43_200u64);
    let st = bale::blobstore::sign("s3cr3t", "PUT", &object, ts, e);
    assert_eq!(
        request(
            &s,
            "PUT",
            &raw(&ts.to_string(), &e.to_string(), &st),
            None,
            &[],
            b"x"
        )
        .status,
        403
    );
    let e_text = e.to_string();
    let (first, rest) = e_text.split_at(1);
    let moved_ts = format!("{ts}{first}");
    let got = request(
        &s,
        "PUT",
        &raw(&moved_ts, rest, &st),
        None,
        &[],
        b"overwritten",
    );
    assert_eq!(got.status, 403, "{}", String::from_utf8_lossy(&got.body));
    // Numbers that are not canonical decimals, a lifetime above the maximum, a start in the
    // future: each refused even with a valid MAC for exactly those strings.
    let signed = |ts: &str, e: &str| {
        let mut mac =
            <hmac::Hmac<sha2::Sha256> as hmac::KeyInit>::new_from_slice(b"s3cr3t").unwrap();
        hmac::Mac::update(&mut mac, format!("PUT{object}{ts}{e}").as_bytes());
        let tag = hmac::Mac::finalize(mac).into_bytes();
        raw(
            ts,
            e,
            &base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(tag),
        )
    };
    let n = now.to_string();
    for (ts, e, why) in [
        (format!("0{n}"), "600".to_string(), "leading zero in ts"),
        (n.clone(), "0600".to_string(), "leading zero in e"),
        (format!("+{n}"), "600".to_string(), "sign"),
        (n.clone(), "%20600".to_string(), "space"),
        (n.clone(), String::new(), "empty"),
        (n.clone(), (8 * 86_400).to_string(), "longer than 7 days"),
        (
            (now + 3_600).to_string(),
            "600".to_string(),
            "starts in an hour",
        ),
    ] {
        let got = request(&s, "PUT", &signed(&ts, &e), None, &[], b"overwritten");
        assert_eq!(
            got.status,
            403,
            "{why}: {}",
            String::from_utf8_lossy(&got.body)
        );
    }
    // A fresh URL within bounds still works, and the object was never overwritten before.
    let got = request(&s, "GET", PATH, Some(&auth), &[], b"");
    assert_eq!(got.body, b"original");
    assert_eq!(
        request(&s, "PUT", &signed(&n, "86400"), None, &[], b"fresh").status,
        204
    );
}
