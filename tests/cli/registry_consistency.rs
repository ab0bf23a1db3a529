//! The registry stays consistent with its objects: an object a registered release or
//! stemcell names cannot be deleted through DAV, uploading a release or stemcell the
//! registry already has re-sends whatever object went missing from the store, a server
//! killed mid-upload restarts consistent, and concurrent clients see one registry.

use std::fs;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use super::registry::*;
use super::support::{bale, text};

/// A DAV request as the write user (`ci:cipass`): status and body.
fn dav(s: &Running, method: &str, path: &str, body: &[u8]) -> (u16, String) {
    let addr = s.url.trim_start_matches("http://");
    let mut c = TcpStream::connect(addr).unwrap();
    write!(
        c,
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nAuthorization: Basic Y2k6Y2lwYXNz\r\nContent-Length: {}\r\n\r\n",
        body.len()
    )
    .unwrap();
    c.write_all(body).unwrap();
    let mut raw = Vec::new();
    c.read_to_end(&mut raw).unwrap();
    let raw = String::from_utf8_lossy(&raw).to_string();
    let (head, body) = raw.split_once("\r\n\r\n").unwrap();
    (head[9..12].parse().unwrap(), body.to_string())
}

/// The object ids of `demo/<version>`'s packages and jobs, as inspect-release names them.
fn objects(s: &Running, dir: &Path, version: &str) -> Vec<String> {
    let r = json(&client(
        s,
        dir,
        &["inspect-release", &format!("demo/{version}"), "--json"],
    ));
    r["packages"]
        .as_array()
        .unwrap()
        .iter()
        .chain(r["jobs"].as_array().unwrap())
        .map(|a| a["blobstore_id"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn objects_in_use_cannot_be_deleted_and_a_repeated_upload_repairs_a_loss() {
    let t = tempfile::tempdir().unwrap();
    let store = t.path().join("store");
    let s = start(&store, &[]);
    let v1 = demo(t.path(), "v1", "1", |_| {});
    let o = client(&s, t.path(), &["upload-release", v1.to_str().unwrap()]);
    assert!(o.status.success(), "{}", text(&o));
    let ids = objects(&s, t.path(), "1");
    let stored = check_objects(&store);

    // A DAV DELETE of an object the release names: refused, naming the release.
    let victim = format!("/{}", object_path(&ids[0]));
    let (code, body) = dav(&s, "DELETE", &victim, b"");
    assert_eq!(code, 409, "{body}");
    assert!(body.contains("release demo/1"), "{body}");
    assert_eq!(get(&s, &victim).0, 200, "the object is still there");
    assert_eq!(check_objects(&store), stored);

    // An object nothing names can still be deleted.
    let loose = format!("/{}", object_path("loose-object"));
    assert_eq!(dav(&s, "PUT", &loose, b"loose").0, 201);
    assert_eq!(dav(&s, "DELETE", &loose, b"").0, 204);

    // The object goes missing behind the server's back (a disk restored from an old backup,
    // a bucket lifecycle rule): the same upload notices and sends it again.
    std::fs::remove_file(store.join(object_path(&ids[0]))).unwrap();
    let o = client(
        &s,
        t.path(),
        &["upload-release", v1.to_str().unwrap(), "--json"],
    );
    assert!(o.status.success(), "{}", text(&o));
    let up = json(&o);
    assert_eq!(up["status"], "repaired", "{up}");
    assert_eq!(up["objects_sent"], 1, "{up}");
    assert_eq!(check_objects(&store), stored);
    assert_release_intact(&s, t.path(), "1");
    let o = client(&s, t.path(), &["upload-release", v1.to_str().unwrap()]);
    assert!(
        text(&o).contains("Release 'demo/1' already exists."),
        "{}",
        text(&o)
    );

    // From a URL with --name and --version, an incomplete release is downloaded again
    // rather than skipped (here the URL leads nowhere, so the download fails).
    std::fs::remove_file(store.join(object_path(&ids[1]))).unwrap();
    let o = upload_demo_1_from_nowhere(&s, t.path());
    assert!(!o.status.success(), "{}", text(&o));
    assert!(!text(&o).contains("already exists"), "{}", text(&o));
}

#[test]
fn a_stemcell_object_in_use_cannot_be_deleted_and_a_repeated_upload_repairs_a_loss() {
    let t = tempfile::tempdir().unwrap();
    let store = t.path().join("store");
    let s = start(&store, &[]);
    let sc = stemcell(t.path(), "one", &[7u8; 100_000]);
    let o = client(&s, t.path(), &["upload-stemcell", sc.to_str().unwrap()]);
    assert!(o.status.success(), "{}", text(&o));
    let list = json(&client(&s, t.path(), &["stemcells", "--json"]));
    let id = list[0]["object"].as_str().unwrap().to_string();
    let path = format!("/{}", object_path(&id));

    let (code, body) = dav(&s, "DELETE", &path, b"");
    assert_eq!(code, 409, "{body}");
    assert!(
        body.contains("stemcell bosh-warden-boshlite-ubuntu-jammy-go_agent/1.406"),
        "{body}"
    );
    assert_eq!(get(&s, &path).0, 200);

    std::fs::remove_file(store.join(object_path(&id))).unwrap();
    let o = client(
        &s,
        t.path(),
        &["upload-stemcell", sc.to_str().unwrap(), "--json"],
    );
    assert!(o.status.success(), "{}", text(&o));
    let up = json(&o);
    assert_eq!(up["status"], "repaired", "{up}");
    assert_eq!(up["objects_sent"], 1, "{up}");
    assert_eq!(get(&s, &path).0, 200);
    assert_eq!(check_objects(&store), 1);
}

#[test]
fn a_server_killed_mid_upload_restarts_consistent() {
    let t = tempfile::tempdir().unwrap();
    let store = t.path().join("store");
    let small = demo(t.path(), "small", "1", |_| {});
    // 48 MiB of incompressible source so the upload is in flight long enough to be cut.
    let big = demo(t.path(), "big", "2", |r| {
        let mut data = vec![0u8; 48 << 20];
        let mut x = 0x2545_f491_4f6c_dd1du64;
        for c in data.chunks_mut(8) {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            c.copy_from_slice(&x.to_le_bytes()[..c.len()]);
        }
        fs::write(r.join("src/app/bin/blob.bin"), data).unwrap();
    });
    let s = start(&store, &[]);
    assert!(
        client(&s, t.path(), &["upload-release", small.to_str().unwrap()])
            .status
            .success()
    );

    // Half a body on a raw connection, then SIGKILL: a temp file is all there is.
    let addr = s.url.trim_start_matches("http://").to_string();
    let id = format!("sha256-{}", "ab".repeat(32));
    let mut c = TcpStream::connect(&addr).unwrap();
    write!(
        c,
        "PUT /{} HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Basic Y2k6Y2lwYXNz\r\nContent-Length: 10000000\r\n\r\n",
        object_path(&id)
    )
    .unwrap();
    c.write_all(&vec![1u8; 5_000_000]).unwrap();
    let start_wait = Instant::now();
    while !walkdir::WalkDir::new(&store)
        .into_iter()
        .flatten()
        .any(|e| {
            e.file_name().to_string_lossy().starts_with(".bale-put-")
                && e.metadata().is_ok_and(|m| m.len() > 0)
        })
    {
        assert!(
            start_wait.elapsed() < Duration::from_secs(20),
            "no temp file appeared"
        );
        std::thread::sleep(Duration::from_millis(5));
    }

    // And a real client uploading the big release when the server dies.
    let mut up = Command::new(bale())
        .args([
            "upload-release",
            big.to_str().unwrap(),
            "--blobstore",
            &s.url,
            "--user",
            "ci:cipass",
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(150));
    let mut child = s.release();
    child.kill().unwrap();
    child.wait().unwrap();
    let _ = up.wait();
    drop(c);

    let s = start(&store, &[]);
    // No temp files, every object hashes to its name, and the registry holds whole releases
    // only: each one it lists has every object it names.
    check_objects(&store);
    let list = json(&client(&s, t.path(), &["releases", "--json"]));
    let versions: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["version"].as_str().unwrap())
        .collect();
    assert!(versions.contains(&"1"), "{list}");
    for v in &versions {
        assert_release_intact(&s, t.path(), v);
    }
    // The interrupted upload simply runs again.
    let o = client(&s, t.path(), &["upload-release", big.to_str().unwrap()]);
    assert!(o.status.success(), "{}", text(&o));
    check_objects(&store);
}

#[test]
fn eight_concurrent_clients_with_overlapping_releases() {
    let t = tempfile::tempdir().unwrap();
    let store = t.path().join("store");
    let s = start(&store, &[]);
    // Four versions: two job variants × two app variants, sharing nginx (and each other's
    // parts).
    let mut tarballs = Vec::new();
    for (i, (job, app)) in [(0, 0), (0, 1), (1, 0), (1, 1)].into_iter().enumerate() {
        tarballs.push(demo(
            t.path(),
            &format!("c{i}"),
            &format!("{}", i + 1),
            |r| {
                edit(&r.join("jobs/web/monit"), &format!("# job {job}\n"));
                edit(&r.join("src/app/bin/run"), &format!("# app {app}\n"));
            },
        ));
    }
    let children: Vec<Child> = (0..8)
        .map(|i| {
            // Each client uploads two releases, in its own order.
            let a = &tarballs[i % 4];
            let b = &tarballs[(i + 1 + i / 4) % 4];
            Command::new("sh")
                .arg("-c")
                .arg("\"$BALE\" upload-release \"$A\" && \"$BALE\" upload-release \"$B\"")
                .env("BALE", bale())
                .env("A", a)
                .env("B", b)
                .env("BALE_BLOBSTORE", &s.url)
                .env("BALE_BLOBSTORE_USER", "ci")
                .env("BALE_BLOBSTORE_PASSWORD", "cipass")
                .env("HOME", t.path().join("home"))
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    for c in children {
        let o = c.wait_with_output().unwrap();
        assert!(o.status.success(), "{}", text(&o));
    }
    let list = json(&client(&s, t.path(), &["releases", "--json"]));
    assert_eq!(list.as_array().unwrap().len(), 4, "{list}");
    // nginx + license shared by all, two app and two job variants.
    assert_eq!(check_objects(&store), 6);
    for r in list.as_array().unwrap() {
        assert_release_intact(&s, t.path(), r["version"].as_str().unwrap());
    }
}
