//! The registry of `bale blobstore serve` reached and fed in other ways: over HTTPS with a
//! private certificate, keeping its objects in an S3 bucket, taking releases from a URL or
//! a release directory, and holding compiled releases with their stemcell.

use std::fs;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::process::Command;

use super::registry::*;
use super::support::{compiled_package, copy_tree, testdata, text};

#[test]
fn https_with_a_private_certificate() {
    if Command::new("openssl").arg("version").output().is_err() {
        panic!("openssl is needed to make the test certificate (apt-get install openssl)");
    }
    let t = tempfile::tempdir().unwrap();
    // A private CA and a server certificate it signed, as an operator would set up.
    let openssl = |args: &[&str]| {
        let o = Command::new("openssl")
            .args(args)
            .current_dir(t.path())
            .output()
            .unwrap();
        assert!(o.status.success(), "openssl {args:?}: {}", text(&o));
    };
    let days = ["-days", "2"];
    openssl(
        &[
            &[
                "req",
                "-x509",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-subj",
                "/CN=bale test CA",
                "-keyout",
                "ca.key",
                "-out",
                "ca.pem",
            ][..],
            &days,
        ]
        .concat(),
    );
    openssl(&[
        "req",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-subj",
        "/CN=localhost",
        "-keyout",
        "key.pem",
        "-out",
        "server.csr",
    ]);
    fs::write(t.path().join("ext.cnf"), "subjectAltName=IP:127.0.0.1\n").unwrap();
    openssl(
        &[
            &[
                "x509",
                "-req",
                "-in",
                "server.csr",
                "-CA",
                "ca.pem",
                "-CAkey",
                "ca.key",
                "-CAcreateserial",
                "-extfile",
                "ext.cnf",
                "-out",
                "cert.pem",
            ][..],
            &days,
        ]
        .concat(),
    );
    let cert = t.path().join("ca.pem");
    let config = t.path().join("serve.yml");
    fs::write(
        &config,
        "tls: {certificate: cert.pem, private_key: key.pem}\nwrite_users: ['ci:cipass']\n",
    )
    .unwrap();
    let s = start(
        &t.path().join("store"),
        &["--config", config.to_str().unwrap()],
    );
    assert!(s.url.starts_with("https://"), "{}", s.url);
    let rel = demo(t.path(), "tls", "1", |_| {});
    let o = client(
        &s,
        t.path(),
        &[
            "upload-release",
            rel.to_str().unwrap(),
            "--ca-cert",
            cert.to_str().unwrap(),
        ],
    );
    assert!(o.status.success(), "{}", text(&o));
    let o = client(
        &s,
        t.path(),
        &["releases", "--ca-cert", cert.to_str().unwrap(), "--json"],
    );
    assert_eq!(json(&o).as_array().unwrap().len(), 1);
    // Without trusting the certificate, the client refuses to talk.
    let o = client(&s, t.path(), &["releases"]);
    assert!(!o.status.success());
    assert!(
        text(&o).contains("cannot reach the blobstore"),
        "{}",
        text(&o)
    );
}

#[test]
fn objects_in_an_s3_bucket() {
    let t = tempfile::tempdir().unwrap();
    let s3 = super::blobs::s3_server(&t.path().join("s3"));
    let config = t.path().join("serve.yml");
    fs::write(
        &config,
        format!(
            "bucket:\n  provider: s3\n  options: {{bucket_name: blobs-bucket, host: 127.0.0.1, port: {}, use_ssl: false, access_key_id: AKBALE, secret_access_key: SKBALE, folder_name: bale}}\n",
            s3.port
        ),
    )
    .unwrap();
    let store = t.path().join("registry");
    let s = start(&store, &["--config", config.to_str().unwrap()]);
    let rel = demo(t.path(), "s3", "1", |_| {});
    let o = client(&s, t.path(), &["upload-release", rel.to_str().unwrap()]);
    assert!(o.status.success(), "{}", text(&o));
    let o = client(&s, t.path(), &["upload-release", rel.to_str().unwrap()]);
    assert!(text(&o).contains("already exists."), "{}", text(&o));

    // Objects are in the bucket (under the folder), none in the registry dir.
    let bucket = t.path().join("s3/blobs-bucket/bale");
    assert_eq!(check_objects(&bucket), archive_sizes(&rel).len());
    assert_eq!(check_objects(&store), 0);
    let r = json(&client(
        &s,
        t.path(),
        &["inspect-release", "demo/1", "--json"],
    ));
    let pkg = &r["packages"][0];
    let (code, body) = get(
        &s,
        &format!("/{}", object_path(pkg["blobstore_id"].as_str().unwrap())),
    );
    assert_eq!(code, 200);
    assert_eq!(
        format!("sha256:{}", sha256_hex(&body)),
        pkg["digest"].as_str().unwrap()
    );

    let one = stemcell(t.path(), "s3", &[3u8; 100_000]);
    let o = client(&s, t.path(), &["upload-stemcell", one.to_str().unwrap()]);
    assert!(o.status.success(), "{}", text(&o));

    let o = client(&s, t.path(), &["delete-release", "demo"]);
    assert!(o.status.success(), "{}", text(&o));
    assert_eq!(check_objects(&bucket), 1, "only the stemcell is left");
}

#[test]
fn upload_from_a_url_or_a_release_directory() {
    let t = tempfile::tempdir().unwrap();
    let s = start(&t.path().join("store"), &["--anonymous-reads"]);
    let rel = demo(t.path(), "url", "1", |_| {});
    // The blobstore itself serves the tarball as a plain object.
    let bytes = fs::read(&rel).unwrap();
    let addr = s.url.trim_start_matches("http://").to_string();
    let mut c = TcpStream::connect(&addr).unwrap();
    write!(
        c,
        "PUT /{} HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Basic Y2k6Y2lwYXNz\r\nConnection: close\r\nContent-Length: {}\r\n\r\n",
        object_path("demo-1.tgz"),
        bytes.len()
    )
    .unwrap();
    c.write_all(&bytes).unwrap();
    let mut reply = String::new();
    c.read_to_string(&mut reply).unwrap();
    assert!(reply.starts_with("HTTP/1.1 201"), "{reply}");
    let url = format!("{}/{}", s.url, object_path("demo-1.tgz"));
    let wrong = format!("sha256:{}", "0".repeat(64));
    let o = client(&s, t.path(), &["upload-release", &url, "--sha1", &wrong]);
    assert!(!o.status.success());
    assert!(text(&o).contains("does not match --sha1"), "{}", text(&o));
    let right = format!("sha256:{}", sha256_hex(&bytes));
    let o = client(&s, t.path(), &["upload-release", &url, "--sha1", &right]);
    assert!(o.status.success(), "{}", text(&o));
    // With --name and --version, a release already there is not even downloaded.
    let o = upload_demo_1_from_nowhere(&s, t.path());
    assert!(
        text(&o).contains("Release 'demo/1' already exists."),
        "{}",
        text(&o)
    );

    // A release directory uploads its newest created release.
    let dir = t.path().join("src-url");
    let o = client(
        &s,
        t.path(),
        &["upload-release", dir.to_str().unwrap(), "--json"],
    );
    assert!(o.status.success(), "{}", text(&o));
    assert_eq!(json(&o)["status"], "exists");
    let empty = t.path().join("empty");
    copy_tree(&testdata().join("demo-release"), &empty);
    for d in ["dev_releases", ".dev_builds"] {
        let _ = fs::remove_dir_all(empty.join(d));
    }
    let o = client(
        &s,
        t.path(),
        &["upload-release", "--dir", empty.to_str().unwrap()],
    );
    assert!(!o.status.success());
    assert!(text(&o).contains("bale create-release"), "{}", text(&o));
}

/// A compiled release (as export-release writes it) keeps its stemcell binding.
#[test]
fn compiled_releases_keep_their_stemcell() {
    let t = tempfile::tempdir().unwrap();
    let s = start(&t.path().join("store"), &[]);
    let pkg = compiled_package();
    let mf = format!(
        "name: c\nversion: \"1\"\ncommit_hash: abc\nuncommitted_changes: false\ncompiled_packages:\n- name: app\n  version: f1\n  fingerprint: f1\n  sha1: sha256:{}\n  stemcell: ubuntu-jammy/1.406\n  dependencies: []\n",
        sha256_hex(&pkg)
    );
    let tarball = t.path().join("compiled.tgz");
    {
        let gz = flate2::write::GzEncoder::new(
            fs::File::create(&tarball).unwrap(),
            flate2::Compression::fast(),
        );
        let mut b = tar::Builder::new(gz);
        for (name, data) in [
            ("release.MF", mf.as_bytes()),
            ("compiled_packages/app.tgz", &pkg[..]),
        ] {
            let mut h = tar::Header::new_gnu();
            h.set_path(name).unwrap();
            h.set_size(data.len() as u64);
            h.set_mode(0o644);
            h.set_cksum();
            b.append(&h, data).unwrap();
        }
        b.into_inner().unwrap().finish().unwrap();
    }
    let o = client(&s, t.path(), &["upload-release", tarball.to_str().unwrap()]);
    assert!(o.status.success(), "{}", text(&o));
    let r = json(&client(&s, t.path(), &["inspect-release", "c/1", "--json"]));
    assert!(
        r["packages"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["compiled_for"] == "ubuntu-jammy/1.406"),
        "{r}"
    );
    let o = client(&s, t.path(), &["releases"]);
    assert!(text(&o).contains("ubuntu-jammy/1.406"), "{}", text(&o));
    let o = client(&s, t.path(), &["inspect-release", "c/1"]);
    assert!(text(&o).contains("app/f1"), "{}", text(&o));
}
