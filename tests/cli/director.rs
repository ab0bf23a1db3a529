//! The director API of `bale blobstore serve`, spoken request by request as the `bosh` CLI
//! speaks it (bosh-cli v7.4.0's director client): `/info`, package matching, tarball uploads
//! answered with a redirect to a task, task polling with ranged event output, listings,
//! inspection, deletes and refusals.

use std::fs;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::time::Duration;

use base64::Engine as _;

use super::director_http::*;
use super::registry::{client, demo, json, start, stemcell, Running};
use super::support::text;

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
    let o = client(
        &s,
        t.path(),
        &["upload-release", v1.to_str().unwrap(), "--json"],
    );
    assert!(o.status.success(), "{}", text(&o));
    assert_eq!(
        json(&o)["status"],
        "exists",
        "the same release, whatever release.MF's bytes"
    );
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
fn a_release_bale_uploaded_vouches_for_the_packages_the_cli_leaves_out() {
    let t = tempfile::tempdir().unwrap();
    let store = t.path().join("store");
    let s = start(&store, &[]);
    let v1 = demo(t.path(), "v1", "1", |_| {});
    let o = client(&s, t.path(), &["upload-release", v1.to_str().unwrap()]);
    assert!(o.status.success(), "{}", text(&o));
    let stored = objects(&store);
    let list = get(&s, "/releases", READER).json();
    assert_eq!(list[0]["release_versions"][0]["version"], "1");
    // Version 2 from the CLI, its packages matched against bale's upload and left out.
    let v2 = demo(t.path(), "v2", "2", |r| {
        append(&r.join("jobs/web/monit"), "# v2\n")
    });
    let matched = call(
        &s,
        "POST",
        "/packages/matches",
        Some(ADMIN),
        &[("Content-Type", "text/yaml")],
        release_mf(&v2).as_bytes(),
    )
    .json();
    assert_eq!(matched.as_array().unwrap().len(), 2, "{matched}");
    let partial = without(&v2, &|n| n.starts_with("packages/"));
    let (state, events) = upload(&s, "/releases", &partial);
    assert_eq!(state, "done", "{events:?}");
    assert_eq!(objects(&store), stored + 1, "only the new job");
    let o = client(&s, t.path(), &["releases", "--json"]);
    assert_eq!(json(&o).as_array().unwrap().len(), 2, "{}", text(&o));
}
