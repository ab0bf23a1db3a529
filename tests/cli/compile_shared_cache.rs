//! `compile-release --cache s3://…`: compiled packages shared between machines through a
//! bucket (the tests' own S3 server on loopback), and a read-only user that never writes.

use std::fs;

use serde_json::Value;

use crate::compile::env;
use crate::support::text;

/// Two machines share compiled packages through an S3 bucket: the second one (an empty local
/// cache) compiles nothing, and a read-only user never writes.
#[test]
fn a_shared_s3_cache_serves_a_second_machine() {
    let e = env();
    let s3_root = e.root.join("s3");
    let server = crate::blobs::s3_server(&s3_root);
    fs::create_dir_all(s3_root.join("compiled")).unwrap();
    let run = |cache_dir: &str, extra: &[&str]| {
        e.command(&[
            "--json",
            "--cache",
            "s3://compiled/ci",
            "--cache-dir",
            cache_dir,
        ])
        .args(extra)
        .env("AWS_ACCESS_KEY_ID", "AKBALE")
        .env("AWS_SECRET_ACCESS_KEY", "SKBALE")
        .env(
            "AWS_ENDPOINT_URL",
            format!("http://127.0.0.1:{}", server.port),
        )
        .output()
        .unwrap()
    };
    let o = run("machine-a", &[]);
    assert!(o.status.success(), "{}", text(&o));
    let objects = || {
        walkdir::WalkDir::new(s3_root.join("compiled/ci"))
            .into_iter()
            .flatten()
            .filter(|f| f.file_type().is_file())
            .count()
    };
    assert_eq!(objects(), 8, "a .tgz and a .json per package");

    let o = run("machine-b", &[]);
    assert!(o.status.success(), "{}", text(&o));
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["cache_hits"], 4, "{v}");
    assert_eq!(v["compiled"], 0);

    // A read-only user compiles what is missing and shares nothing.
    e.edit("src/tool/tool.txt", "tool, edited\n");
    let o = run("machine-c", &["--cache-read-only"]);
    assert!(o.status.success(), "{}", text(&o));
    assert_eq!(objects(), 8);
}
