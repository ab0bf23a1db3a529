//! The director API of `bale blobstore serve`, spoken request by request as the `bosh` CLI
//! speaks it (bosh-cli v7.4.0's director client): `/info`, package matching, tarball uploads
//! answered with a redirect to a task, task polling with ranged event output, listings,
//! inspection and deletes, and the service side (health, metrics, connection bound, timeouts,
//! a graceful stop).

use std::fs;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use base64::Engine as _;
use serde_json::Value;

use super::registry::{client, demo, json, start, stemcell, Running};
use super::support::{bale, text};

const ADMIN: (&str, &str) = ("ci", "cipass");
const READER: (&str, &str) = ("ro", "ropass");

struct Reply {
    status: u16,
    head: String,
    body: Vec<u8>,
}

impl Reply {
    fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&self.body)))
    }
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).to_string()
    }
    fn header(&self, name: &str) -> Option<String> {
        self.head.lines().find_map(|l| {
            let (k, v) = l.split_once(':')?;
            k.eq_ignore_ascii_case(name).then(|| v.trim().to_string())
        })
    }
}

fn addr(s: &Running) -> String {
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
fn call(
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

fn get(s: &Running, path: &str, user: (&str, &str)) -> Reply {
    call(s, "GET", path, Some(user), &[], b"")
}

/// What the CLI does after a POST or DELETE: follow the redirect, poll the task until it
/// ends while reading its event output from the last offset; returns the final state and
/// the whole event output.
fn follow(s: &Running, r: &Reply) -> (String, Vec<Value>) {
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

fn upload(s: &Running, path: &str, tarball: &[u8]) -> (String, Vec<Value>) {
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

fn error_of(events: &[Value]) -> String {
    events
        .iter()
        .rev()
        .find_map(|e| e["error"]["message"].as_str().map(str::to_string))
        .unwrap_or_default()
}

fn objects(store: &Path) -> usize {
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
fn without(tarball: &Path, drop: &dyn Fn(&str) -> bool) -> Vec<u8> {
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

fn release_mf(tarball: &Path) -> String {
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

fn append(file: &Path, text: &str) {
    let mut s = fs::read_to_string(file).unwrap();
    s.push_str(text);
    fs::write(file, s).unwrap();
}

#[test]
fn info_says_basic_auth_and_names_the_user() {
    let t = tempfile::tempdir().unwrap();
    let s = start(&t.path().join("store"), &[]);
    let anon = call(&s, "GET", "/info", None, &[], b"").json();
    assert_eq!(anon["user_authentication"]["type"], "basic");
    assert!(anon["user"].is_null(), "{anon}");
    let uuid = anon["uuid"].as_str().unwrap().to_string();
    assert_eq!(get(&s, "/info", READER).json()["user"], "ro");
    drop(s);
    // The uuid stays with the store across restarts.
    let s = start(&t.path().join("store"), &[]);
    assert_eq!(
        call(&s, "GET", "/info", None, &[], b"").json()["uuid"],
        uuid
    );
}

#[test]
fn upload_release_matches_packages_and_completes_partial_tarballs_from_the_store() {
    let t = tempfile::tempdir().unwrap();
    let store = t.path().join("store");
    let s = start(&store, &[]);
    let v1 = demo(t.path(), "v1", "1", |_| {});
    let mf = release_mf(&v1);

    // Nothing stored: nothing matches, the whole tarball goes up.
    let m = call(
        &s,
        "POST",
        "/packages/matches",
        Some(ADMIN),
        &[("Content-Type", "text/yaml")],
        mf.as_bytes(),
    );
    assert_eq!(m.status, 200, "{}", m.text());
    assert_eq!(m.json(), serde_json::json!([]));
    let (state, events) = upload(&s, "/releases?", &fs::read(&v1).unwrap());
    assert_eq!(state, "done", "{events:?}");
    let stages: Vec<&str> = events.iter().filter_map(|e| e["stage"].as_str()).collect();
    for want in [
        "Extracting release",
        "Verifying manifest",
        "Creating new packages",
        "Creating new jobs",
        "Release has been created",
    ] {
        assert!(stages.contains(&want), "{want} not in {stages:?}");
    }
    let stored = objects(&store);
    assert!(stored >= 3, "{stored}");

    // One model: bale's client sees what the CLI uploaded.
    let o = client(&s, t.path(), &["releases", "--json"]);
    assert!(o.status.success(), "{}", text(&o));
    assert_eq!(json(&o)[0]["name"], "demo", "{}", text(&o));
    let list = get(&s, "/releases", READER).json();
    assert_eq!(list[0]["name"], "demo");
    assert_eq!(list[0]["release_versions"][0]["version"], "1");

    // Now every package matches; the CLI sends jobs and release.MF only, and the server
    // takes the packages from its store.
    let inspect = get(&s, "/releases/demo?version=1", READER).json();
    let mut fps: Vec<String> = inspect["packages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["fingerprint"].as_str().unwrap().to_string())
        .collect();
    fps.sort();
    assert!(inspect["jobs"][0]["blobstore_id"]
        .as_str()
        .unwrap()
        .starts_with("sha"));
    let mut matched: Vec<String> = serde_json::from_value(
        call(
            &s,
            "POST",
            "/packages/matches",
            Some(ADMIN),
            &[("Content-Type", "text/yaml")],
            mf.as_bytes(),
        )
        .json(),
    )
    .unwrap();
    matched.sort();
    assert_eq!(matched, fps);
    let partial = without(&v1, &|n| n.starts_with("packages/"));
    let (state, events) = upload(&s, "/releases?", &partial);
    assert_eq!(state, "done", "{events:?}");
    assert_eq!(objects(&store), stored, "a re-upload stores nothing new");

    // Version 2 changes the job only: the CLI sends it without packages, and the job is new.
    let v2 = demo(t.path(), "v2", "2", |r| {
        append(&r.join("jobs/web/monit"), "# v2\n")
    });
    let partial = without(&v2, &|n| n.starts_with("packages/"));
    let (state, events) = upload(&s, "/releases", &partial);
    assert_eq!(state, "done", "{events:?}");
    assert_eq!(objects(&store), stored + 1);
    let o = client(&s, t.path(), &["inspect-release", "demo/2", "--json"]);
    assert!(o.status.success(), "{}", text(&o));
}

#[test]
fn nothing_is_registered_unless_the_whole_release_verified() {
    let t = tempfile::tempdir().unwrap();
    let store = t.path().join("store");
    let s = start(&store, &[]);
    let v1 = demo(t.path(), "v1", "1", |_| {});

    // Packages left out that the server does not hold.
    let partial = without(&v1, &|n| n.starts_with("packages/"));
    let (state, events) = upload(&s, "/releases", &partial);
    assert_eq!(state, "error");
    let e = error_of(&events);
    assert!(
        e.contains("packages/app.tgz") && e.contains("missing"),
        "{e}"
    );

    // An archive that is not what release.MF says.
    let mut bad = fs::read(&v1).unwrap();
    let mut a = tar::Archive::new(flate2::read::GzDecoder::new(&bad[..]));
    let mut entries = Vec::new();
    for e in a.entries().unwrap() {
        let mut e = e.unwrap();
        let name = String::from_utf8_lossy(&e.path_bytes()).to_string();
        let mut data = Vec::new();
        e.read_to_end(&mut data).unwrap();
        if name.ends_with("jobs/web.tgz") {
            let n = data.len();
            data[n - 1] ^= 0xff;
        }
        entries.push((e.header().clone(), name, data));
    }
    let mut out = tar::Builder::new(flate2::write::GzEncoder::new(
        Vec::new(),
        flate2::Compression::fast(),
    ));
    for (mut h, name, data) in entries {
        out.append_data(&mut h, &name, &data[..]).unwrap();
    }
    bad = out.into_inner().unwrap().finish().unwrap();
    let (state, events) = upload(&s, "/releases", &bad);
    assert_eq!(state, "error");
    assert!(
        error_of(&events).contains("nothing was registered"),
        "{events:?}"
    );

    // Not a tarball at all.
    let (state, events) = upload(&s, "/releases", b"not a tarball");
    assert_eq!(state, "error");
    assert!(!error_of(&events).is_empty());

    assert_eq!(get(&s, "/releases", READER).json(), serde_json::json!([]));
    assert_eq!(objects(&store), 0, "no object of a refused release stays");
}

#[test]
fn the_directors_conflict_rules_and_fix() {
    let t = tempfile::tempdir().unwrap();
    let s = start(&t.path().join("store"), &[]);
    let a = demo(t.path(), "a", "5", |_| {});
    let b = demo(t.path(), "b", "5", |r| {
        append(&r.join("jobs/web/monit"), "# b\n")
    });
    assert_eq!(upload(&s, "/releases", &fs::read(&a).unwrap()).0, "done");
    // The same release again, whole: nothing changes.
    assert_eq!(upload(&s, "/releases", &fs::read(&a).unwrap()).0, "done");
    let (state, events) = upload(&s, "/releases", &fs::read(&b).unwrap());
    assert_eq!(state, "error");
    assert_eq!(
        error_of(&events),
        "job 'web' had different fingerprint in previously uploaded release 'demo/5'"
    );
    let last = events.last().unwrap();
    assert_eq!(last["error"]["code"], 30013);
    // --fix re-sends and re-stores; it does not turn one release into another.
    assert_eq!(
        upload(&s, "/releases?fix=true", &fs::read(&a).unwrap()).0,
        "done"
    );
    assert_eq!(
        upload(&s, "/releases?fix=true", &fs::read(&b).unwrap()).0,
        "error"
    );
}

#[test]
fn multipart_uploads_and_remote_urls() {
    let t = tempfile::tempdir().unwrap();
    let s = start(&t.path().join("store"), &[]);
    let v1 = demo(t.path(), "v1", "1", |_| {});
    let mut body = b"--BnD\r\nContent-Disposition: form-data; name=\"release\"; filename=\"r.tgz\"\r\nContent-Type: application/octet-stream\r\n\r\n".to_vec();
    body.extend(fs::read(&v1).unwrap());
    body.extend(b"\r\n--BnD--\r\n");
    let r = call(
        &s,
        "POST",
        "/releases",
        Some(ADMIN),
        &[("Content-Type", "multipart/form-data; boundary=BnD")],
        &body,
    );
    assert_eq!(follow(&s, &r).0, "done");

    let r = call(
        &s,
        "POST",
        "/releases",
        Some(ADMIN),
        &[("Content-Type", "application/json")],
        br#"{"location":"https://user:secret@example.com/r.tgz"}"#,
    );
    let (state, events) = follow(&s, &r);
    assert_eq!(state, "error");
    let e = error_of(&events);
    assert!(
        e.contains("does not download") && !e.contains("secret"),
        "{e}"
    );
}

#[test]
fn refusals_come_before_the_body_and_read_as_the_directors() {
    let t = tempfile::tempdir().unwrap();
    let s = start(&t.path().join("store"), &[]);
    let r = call(&s, "GET", "/releases", None, &[], b"");
    assert_eq!(r.status, 401);
    assert_eq!(r.text(), "Not authorized: '/releases'\n");
    let r = call(&s, "GET", "/releases", Some(("ro", "wrong")), &[], b"");
    assert_eq!(r.status, 401);
    let r = call(&s, "DELETE", "/releases/demo", Some(READER), &[], b"");
    assert_eq!(r.status, 401);
    assert_eq!(r.json()["code"], 600000);

    // Refusals come from the head: the server answers without waiting for a gigabyte of
    // body that never comes (a reader's upload, anyone's registry or matching call).
    let a = addr(&s);
    for (path, cred, ct) in [
        ("/releases", "ro:ropass", "application/x-compressed"),
        ("/stemcells", "ro:ropass", "application/x-compressed"),
        ("/packages/matches", "ro:ropass", "text/yaml"),
        ("/api/v1/releases", "ro:wrong", "text/yaml"),
        ("/api/v1/objects/missing", "nobody:x", "application/json"),
    ] {
        let mut c = TcpStream::connect(&a).unwrap();
        let cred = base64::engine::general_purpose::STANDARD.encode(cred);
        write!(
            c,
            "POST {path} HTTP/1.1\r\nHost: {a}\r\nAuthorization: Basic {cred}\r\nContent-Type: {ct}\r\nContent-Length: 1000000000\r\n\r\n"
        )
        .unwrap();
        c.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
        let mut line = String::new();
        BufReader::new(&c).read_line(&mut line).unwrap();
        assert!(line.starts_with("HTTP/1.1 401"), "{path}: {line}");
    }

    let r = get(&s, "/no/such/route/here", READER);
    assert_eq!(r.status, 404);
    assert_eq!(r.text(), "Endpoint '/no/such/route/here' not found.");
    assert_eq!(call(&s, "GET", "/nope", None, &[], b"").status, 401);
    let r = get(&s, "/releases/none?version=1", READER);
    assert_eq!(r.status, 404);
    assert_eq!(r.json()["code"], 30005);
    let r = get(&s, "/tasks/999", READER);
    assert_eq!(r.status, 404);
    assert_eq!(r.json()["description"], "Task 999 not found");
}

#[test]
fn deletes_run_as_tasks_and_remove_unused_objects() {
    let t = tempfile::tempdir().unwrap();
    let store = t.path().join("store");
    let s = start(&store, &[]);
    let v1 = demo(t.path(), "v1", "1", |_| {});
    let v2 = demo(t.path(), "v2", "2", |r| {
        append(&r.join("jobs/web/monit"), "# v2\n")
    });
    assert_eq!(upload(&s, "/releases", &fs::read(&v1).unwrap()).0, "done");
    assert_eq!(upload(&s, "/releases", &fs::read(&v2).unwrap()).0, "done");
    let both = objects(&store);
    let r = call(
        &s,
        "DELETE",
        "/releases/demo?version=1",
        Some(ADMIN),
        &[],
        b"",
    );
    let (state, events) = follow(&s, &r);
    assert_eq!(state, "done");
    assert!(events
        .iter()
        .any(|e| e["stage"] == "Deleting release versions" && e["task"] == "demo/1"));
    assert_eq!(objects(&store), both - 1, "only v1's job went");
    let r = call(
        &s,
        "DELETE",
        "/releases/demo?version=9",
        Some(ADMIN),
        &[],
        b"",
    );
    assert_eq!(follow(&s, &r).0, "error");
    let r = call(&s, "DELETE", "/releases/demo", Some(ADMIN), &[], b"");
    assert_eq!(follow(&s, &r).0, "done");
    assert_eq!(objects(&store), 0);
    let r = call(&s, "DELETE", "/releases/demo", Some(ADMIN), &[], b"");
    assert_eq!(r.status, 404);
    assert_eq!(r.json()["description"], "Release 'demo' doesn't exist");
}

#[test]
fn stemcells_as_the_cli_uploads_lists_and_deletes_them() {
    let t = tempfile::tempdir().unwrap();
    let store = t.path().join("store");
    let s = start(&store, &[]);
    let sc = stemcell(t.path(), "a", b"image bytes");
    let name = "bosh-warden-boshlite-ubuntu-jammy-go_agent";
    let ask = |s: &Running| {
        call(
            s,
            "POST",
            "/stemcell_uploads",
            Some(READER),
            &[("Content-Type", "application/json")],
            format!(r#"{{"stemcell":{{"name":"{name}","version":"1.406"}}}}"#).as_bytes(),
        )
        .json()["needed"]
            .clone()
    };
    assert_eq!(ask(&s), true);
    let (state, events) = upload(&s, "/stemcells", &fs::read(&sc).unwrap());
    assert_eq!(state, "done", "{events:?}");
    assert_eq!(ask(&s), false);
    let list = get(&s, "/stemcells", READER).json();
    assert_eq!(list[0]["name"], name);
    assert_eq!(list[0]["operating_system"], "ubuntu-jammy");
    assert!(list[0]["cid"].as_str().unwrap().starts_with("sha256-"));
    let o = client(&s, t.path(), &["stemcells", "--json"]);
    assert_eq!(json(&o)[0]["version"], "1.406", "{}", text(&o));
    // Again: skipped, as a director skips a stemcell it has.
    let (state, events) = upload(&s, "/stemcells", &fs::read(&sc).unwrap());
    assert_eq!(state, "done");
    assert!(events.iter().any(|e| e["task"]
        .as_str()
        .unwrap_or("")
        .ends_with("(already exists, skipped)")));
    // A release is not a stemcell.
    let rel = demo(t.path(), "r", "1", |_| {});
    assert_eq!(
        upload(&s, "/stemcells", &fs::read(&rel).unwrap()).0,
        "error"
    );
    let r = call(
        &s,
        "DELETE",
        &format!("/stemcells/{name}/1.406"),
        Some(ADMIN),
        &[],
        b"",
    );
    assert_eq!(follow(&s, &r).0, "done");
    assert_eq!(get(&s, "/stemcells", READER).json(), serde_json::json!([]));
    assert_eq!(objects(&store), 0);
    let r = call(
        &s,
        "DELETE",
        &format!("/stemcells/{name}/1.406"),
        Some(ADMIN),
        &[],
        b"",
    );
    let (state, events) = follow(&s, &r);
    assert_eq!(state, "error");
    assert_eq!(
        error_of(&events),
        format!("Stemcell '{name}/1.406' doesn't exist")
    );
}

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
    assert!(m.contains("bale_connections_evicted_total 1"), "{m}");
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
