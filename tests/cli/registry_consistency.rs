//! The registry stays consistent with its objects: an object a registered release or
//! stemcell names cannot be deleted through DAV, and uploading a release or stemcell the
//! registry already has re-sends whatever object went missing from the store.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::Path;

use super::registry::{
    assert_release_intact, check_objects, client, demo, get, json, object_path, start, stemcell,
    Running,
};
use super::support::text;

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
    let o = client(
        &s,
        t.path(),
        &[
            "upload-release",
            "http://127.0.0.1:9/nowhere.tgz",
            "--name",
            "demo",
            "--version",
            "1",
        ],
    );
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
