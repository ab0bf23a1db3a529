//! `create-release --dry-run` on the cases real repositories showed (issue 14): the digest
//! algorithm after a release made by an old CLI, and blobs that `config/blobs.yml` knows
//! only by a SHA-1 digest.

use std::fs;
use std::path::Path;

use super::support::{
    add_fixture_blobs, copy_tree, release_from_inputs, rows, run, testdata, text,
};

/// The fingerprints the CLI v7.4.0 computed for the `src-exec-nested` case.
const V7_JOB: &str = "28821a316507f35fdea33091293317485246428e75de48d76f2a8be6f8400cb7";
const V7_LICENSE: &str = "6f3e2d0342c01bdb7b2f82cdde0d171b5f87dd724637e6a24ffe2b9d0b0e482d";
/// The CLI's fingerprint of `runtime` in the `blob-deps` case, with both blobs.
const RUNTIME: &str = "000d785031e1e6df6a4e02384c1bfe671711d8f177085aeb370e5bdb8a198ec6";

fn json(o: &std::process::Output) -> serde_json::Value {
    assert!(o.status.success(), "{}", text(o));
    serde_json::from_slice(&o.stdout).unwrap()
}

/// A team that moves from an old CLI to the current one gets SHA-256 fingerprints on the
/// first release it makes, though its newest recorded release carries SHA-1 digests.
#[test]
fn sha256_after_a_release_made_by_a_sha1_cli() {
    let t = tempfile::tempdir().unwrap();
    let r = release_from_inputs("src-exec-nested", t.path());
    let home = t.path().join("home");
    let v5 = testdata().join("golden/src-exec-nested/expected-v5.4.0-sha1/state-after-dev");
    copy_tree(&v5.join("dev_releases"), &r.join("dev_releases"));
    let v = json(&run(&r, &home, &["create-release", "--dry-run", "--json"]));
    assert_eq!(v["jobs"][0]["fingerprint"], V7_JOB);
    assert_eq!(v["license"]["fingerprint"], V7_LICENSE);

    // A real build prints the CLI's envelope: the release row, then its jobs table with
    // `name/fingerprint` in the job column and the archive digest.
    let v = json(&run(&r, &home, &["create-release", "--json"]));
    assert_eq!(rows(&v, "")[0]["version"], "0+dev.2");
    let job = &rows(&v, "jobs")[0];
    assert!(
        job["job"]
            .as_str()
            .unwrap()
            .ends_with(&format!("/{V7_JOB}")),
        "{job}"
    );
    assert!(
        job["digest"].as_str().unwrap().starts_with("sha256:"),
        "{job}"
    );
}

fn sha1_hex(bytes: &[u8]) -> String {
    use sha1::Digest;
    sha1::Sha1::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The `blob-deps` case with both blobs uploaded to its local blobstore, then
/// `runtime/runtime-1.0.tar.gz` recorded by its SHA-1 digest only (as long-lived releases
/// have them) and `blobs/` gone (a fresh clone).
fn release_with_a_sha1_only_blob(root: &Path) -> std::path::PathBuf {
    let r = release_from_inputs("blob-deps", root);
    let home = root.join("home");
    add_fixture_blobs(&r, &home);
    let o = run(&r, &home, &["upload-blobs"]);
    assert!(o.status.success(), "{}", text(&o));
    let tarball = fs::read(r.join("blobs/runtime/runtime-1.0.tar.gz")).unwrap();
    let yml = fs::read_to_string(r.join("config/blobs.yml")).unwrap();
    let (head, tail) = yml.split_once("runtime/runtime-1.0.tar.gz:").unwrap();
    let (rec, rest) = tail.split_once("runtime/shared.txt:").unwrap();
    let rec: String = rec
        .lines()
        .map(|l| {
            if l.trim_start().starts_with("sha:") {
                format!("  sha: {}", sha1_hex(&tarball))
            } else {
                l.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    fs::write(
        r.join("config/blobs.yml"),
        format!("{head}runtime/runtime-1.0.tar.gz:{rec}\nruntime/shared.txt:{rest}"),
    )
    .unwrap();
    fs::remove_dir_all(r.join("blobs")).unwrap();
    r
}

/// One package needs a blob known only by SHA-1: the plan still has every other fingerprint,
/// names the blob for that package (`fingerprint: null` and a reason) and warns on stderr.
#[test]
fn dry_run_reports_the_rest_when_a_blob_is_known_only_by_sha1() {
    let t = tempfile::tempdir().unwrap();
    let r = release_with_a_sha1_only_blob(t.path());
    let home = t.path().join("home");
    let o = run(&r, &home, &["create-release", "--dry-run", "--json"]);
    let stderr = String::from_utf8_lossy(&o.stderr).into_owned();
    let v = json(&o);
    let pkgs = v["packages"].as_array().unwrap();
    let runtime = pkgs.iter().find(|p| p["name"] == "runtime").unwrap();
    assert_eq!(runtime["fingerprint"], serde_json::Value::Null);
    assert_eq!(runtime["new"], serde_json::Value::Null);
    assert_eq!(
        runtime["needs_blobs"],
        serde_json::json!(["runtime/runtime-1.0.tar.gz"])
    );
    assert!(runtime["reason"]
        .as_str()
        .unwrap()
        .contains("'runtime/runtime-1.0.tar.gz'"));
    for p in pkgs.iter().filter(|p| p["name"] != "runtime") {
        assert_eq!(p["fingerprint"].as_str().unwrap().len(), 64, "{p}");
        assert!(p.get("reason").is_none(), "{p}");
    }
    assert_eq!(v["jobs"][0]["fingerprint"].as_str().unwrap().len(), 64);
    assert_eq!(v["license"]["fingerprint"].as_str().unwrap().len(), 64);
    assert!(
        stderr.contains("Warning: no fingerprint for package 'runtime'")
            && stderr.contains("runtime/runtime-1.0.tar.gz"),
        "{stderr}"
    );
    assert!(
        !r.join("blobs").exists(),
        "a plain dry run downloads nothing"
    );

    // The table says which resource waits for a blob.
    let o = run(&r, &home, &["create-release", "--dry-run"]);
    assert!(o.status.success(), "{}", text(&o));
    assert!(text(&o).contains("needs blob"), "{}", text(&o));
}

/// `--fetch-missing` downloads just the blobs the plan needs, verified against their SHA-1,
/// and completes the plan with the CLI's fingerprint.
#[test]
fn fetch_missing_downloads_just_the_needed_blobs() {
    let t = tempfile::tempdir().unwrap();
    let r = release_with_a_sha1_only_blob(t.path());
    let home = t.path().join("home");
    let o = run(
        &r,
        &home,
        &["create-release", "--dry-run", "--fetch-missing", "--json"],
    );
    let v = json(&o);
    let runtime = v["packages"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == "runtime")
        .unwrap()
        .clone();
    assert_eq!(runtime["fingerprint"], RUNTIME);
    assert!(runtime.get("reason").is_none());
    assert!(r.join("blobs/runtime/runtime-1.0.tar.gz").is_file());
    assert!(
        !r.join("blobs/runtime/shared.txt").exists(),
        "a blob known by SHA-256 is not downloaded"
    );
    assert!(!r.join("dev_releases").exists() && !r.join(".dev_builds").exists());
}

/// A downloaded blob whose bytes differ from its SHA-1 digest is refused and not kept.
#[test]
fn fetch_missing_refuses_a_blob_with_other_bytes() {
    let t = tempfile::tempdir().unwrap();
    let r = release_with_a_sha1_only_blob(t.path());
    let home = t.path().join("home");
    let store = t.path().join("blobstore");
    let want = fs::read(testdata().join("golden/blob-deps/inputs/blob-sources/runtime-1.0.tar.gz"))
        .unwrap();
    let mut swapped = 0;
    for e in walkdir::WalkDir::new(&store) {
        let p = e.unwrap().into_path();
        if p.is_file() && fs::read(&p).unwrap() == want {
            fs::write(&p, b"other bytes").unwrap();
            swapped += 1;
        }
    }
    assert_eq!(swapped, 1, "the blob is in the local blobstore");
    let o = run(
        &r,
        &home,
        &["create-release", "--dry-run", "--fetch-missing", "--json"],
    );
    assert!(!o.status.success());
    assert!(
        text(&o).contains("Expected stream to have digest"),
        "{}",
        text(&o)
    );
    assert!(!r.join("blobs/runtime/runtime-1.0.tar.gz").exists());
}

/// `--fetch-missing` is a dry-run option.
#[test]
fn fetch_missing_needs_dry_run() {
    let t = tempfile::tempdir().unwrap();
    let r = release_from_inputs("src-exec-nested", t.path());
    let o = run(
        &r,
        &t.path().join("home"),
        &["create-release", "--fetch-missing"],
    );
    assert!(!o.status.success());
}

/// What real repositories showed at the commit where a team moved to the current CLI: the
/// newest recorded release carries SHA-1 digests, `config/blobs.yml` has SHA-256 ones and
/// `blobs/` is empty (a fresh clone). Every fingerprint comes from blobs.yml, in SHA-256.
#[test]
fn dry_run_after_a_sha1_release_uses_sha256_blob_digests() {
    let t = tempfile::tempdir().unwrap();
    let r = release_from_inputs("blob-deps", t.path());
    let home = t.path().join("home");
    add_fixture_blobs(&r, &home);
    fs::remove_dir_all(r.join("blobs")).unwrap();
    let v5 = testdata()
        .join("golden/src-exec-nested/expected-v5.4.0-sha1/state-after-dev/dev_releases/toy-src");
    let dest = r.join("dev_releases/toy-blobs");
    fs::create_dir_all(&dest).unwrap();
    fs::copy(v5.join("index.yml"), dest.join("index.yml")).unwrap();
    let manifest = fs::read_to_string(v5.join("toy-src-0+dev.1.yml")).unwrap();
    assert!(manifest.contains("sha1: ") && !manifest.contains("sha256:"));
    fs::write(
        dest.join("toy-blobs-0+dev.1.yml"),
        manifest.replace("name: toy-src", "name: toy-blobs"),
    )
    .unwrap();
    let v = json(&run(&r, &home, &["create-release", "--dry-run", "--json"]));
    let runtime = v["packages"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == "runtime")
        .unwrap()
        .clone();
    assert_eq!(runtime["fingerprint"], RUNTIME);
    assert_eq!(v["version"], "0+dev.2");
}
