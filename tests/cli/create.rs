//! create-release behaviour beyond what the CLI fixtures record.

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

use super::support::{add_fixture_blobs, copy_tree, release_from_inputs, run, testdata, text};

#[test]
fn dry_run_changes_nothing_and_reports_json() {
    let t = tempfile::tempdir().unwrap();
    let r = release_from_inputs("src-exec-nested", t.path());
    let home = t.path().join("home");
    let o = run(&r, &home, &["create-release", "--dry-run", "--json"]);
    assert!(o.status.success(), "{}", text(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["name"], "toy-src");
    assert_eq!(v["version"], "0+dev.1");
    assert_eq!(
        v["jobs"][0]["fingerprint"],
        "28821a316507f35fdea33091293317485246428e75de48d76f2a8be6f8400cb7"
    );
    assert_eq!(
        v["packages"][0]["fingerprint"],
        "5c79e10afa149f7b2c66a1cad2e72f14c13c6b8a64e0980a5ebb9d657e1178b9"
    );
    assert_eq!(v["packages"][1]["new"], true);
    assert_eq!(
        v["license"]["fingerprint"],
        "6f3e2d0342c01bdb7b2f82cdde0d171b5f87dd724637e6a24ffe2b9d0b0e482d"
    );
    assert!(!r.join("dev_releases").exists() && !r.join(".dev_builds").exists());
    assert!(!home.join(".bosh").exists());

    // After a real build the same plan reports nothing new.
    assert!(run(&r, &home, &["create-release"]).status.success());
    let o = run(&r, &home, &["create-release", "--dry-run", "--json"]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["version"], "0+dev.2");
    assert_eq!(v["packages"][1]["new"], false);
}

/// Blobs that were never downloaded are fingerprinted from their blobs.yml digests.
#[test]
fn dry_run_needs_no_blobs_when_blobs_yml_has_their_digests() {
    let t = tempfile::tempdir().unwrap();
    let r = release_from_inputs("blob-deps", t.path());
    let home = t.path().join("home");
    add_fixture_blobs(&r, &home);
    fs::remove_dir_all(r.join("blobs")).unwrap();
    let o = run(&r, &home, &["create-release", "--dry-run", "--json"]);
    assert!(o.status.success(), "{}", text(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let runtime = v["packages"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == "runtime")
        .unwrap();
    // The CLI's fingerprint for runtime with both blobs (fixture blob-deps, step 05).
    assert_eq!(
        runtime["fingerprint"],
        "000d785031e1e6df6a4e02384c1bfe671711d8f177085aeb370e5bdb8a198ec6"
    );
    assert_eq!(runtime["dependencies"], serde_json::json!([]));
}

#[test]
fn same_inputs_give_identical_tarball_bytes() {
    let mut digests = Vec::new();
    for _ in 0..2 {
        let t = tempfile::tempdir().unwrap();
        let r = release_from_inputs("src-exec-nested", t.path());
        let out = t.path().join("out.tgz");
        let o = run(
            &r,
            &t.path().join("home"),
            &["create-release", "--tarball", out.to_str().unwrap()],
        );
        assert!(o.status.success(), "{}", text(&o));
        digests.push(fs::read(&out).unwrap());
    }
    assert!(
        digests[0] == digests[1],
        "two builds of the same release differ"
    );
}

/// bosh-cli#189: a tarball that cannot be written must not leave a recorded version behind.
#[test]
fn failed_tarball_write_records_nothing() {
    let t = tempfile::tempdir().unwrap();
    let r = release_from_inputs("src-exec-nested", t.path());
    let home = t.path().join("home");
    let bad = r.join("LICENSE/cannot-be-a-dir/out.tgz");
    let o = run(
        &r,
        &home,
        &["create-release", "--tarball", bad.to_str().unwrap()],
    );
    assert!(!o.status.success());
    assert!(text(&o).contains("LICENSE/cannot-be-a-dir"), "{}", text(&o));
    assert!(!r.join("dev_releases").exists());
    assert!(!r.join(".dev_builds").exists());
    let o = run(&r, &home, &["create-release"]);
    assert!(
        text(&o).contains("toy-src/0+dev.1") || o.status.success(),
        "{}",
        text(&o)
    );
    assert!(r.join("dev_releases/toy-src/toy-src-0+dev.1.yml").exists());
}

fn snapshot(root: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut m = BTreeMap::new();
    for e in walkdir(root) {
        let rel = e.strip_prefix(root).unwrap().to_string_lossy().into_owned();
        if rel.starts_with(".git/") {
            continue;
        }
        let meta = fs::symlink_metadata(&e).unwrap();
        let bytes = if meta.is_file() {
            fs::read(&e).unwrap()
        } else {
            Vec::new()
        };
        m.insert(rel, bytes);
    }
    m
}

fn walkdir(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut v = Vec::new();
    for e in fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        v.push(p.clone());
        if fs::symlink_metadata(&p).unwrap().is_dir() {
            v.extend(walkdir(&p));
        }
    }
    v
}

/// Bad input after a good build: the command fails and the release dir is byte-for-byte
/// what it was, indexes and manifests included.
#[test]
fn bad_input_leaves_release_dir_untouched() {
    let t = tempfile::tempdir().unwrap();
    let r = release_from_inputs("src-exec-nested", t.path());
    let home = t.path().join("home");
    assert!(run(&r, &home, &["create-release", "--force"])
        .status
        .success());
    let cases: &[(&str, &str)] = &[
        ("packages/app/spec", "---\nname: app\nfiles: [unclosed\n"),
        (
            "packages/tool/spec",
            "---\nname: tool\ndependencies: [app]\nfiles: [tool/*.sh]\n",
        ),
        (
            "jobs/app-server/spec",
            "---\nname: app-server\ntemplates: {missing.erb: x}\npackages: [app]\n",
        ),
    ];
    for (file, content) in cases {
        let original = fs::read(r.join(file)).unwrap();
        fs::write(r.join(file), content).unwrap();
        if file.contains("tool") {
            // app -> tool -> app: a cycle.
            fs::write(
                r.join("packages/app/spec"),
                "---\nname: app\ndependencies: [tool]\nfiles: [app/README]\n",
            )
            .unwrap();
        }
        let before = snapshot(&r);
        let o = run(&r, &home, &["create-release", "--force", "--final"]);
        assert!(!o.status.success(), "{file}: {}", text(&o));
        assert!(snapshot(&r) == before, "{file}: release dir changed");
        fs::write(r.join(file), original).unwrap();
        copy_tree(
            &testdata().join("golden/src-exec-nested/inputs/packages/app/spec"),
            &r.join("packages/app/spec"),
        );
    }
}

/// `--sha1` reproduces what CLIs older than v5.5.0 made: SHA-1 fingerprints and digests,
/// the fingerprints that CLI computed.
#[test]
fn sha1_flag_gives_the_v5_sha1_fingerprints() {
    let t = tempfile::tempdir().unwrap();
    let r = release_from_inputs("src-exec-nested", t.path());
    let home = t.path().join("home");
    let v5 = testdata().join("golden/src-exec-nested/expected-v5.4.0-sha1/state-after-dev");
    copy_tree(&v5.join("dev_releases"), &r.join("dev_releases"));
    let o = run(&r, &home, &["create-release", "--sha1", "--json"]);
    assert!(o.status.success(), "{}", text(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let (head, jobs, packages) = (
        &super::support::rows(&v, "")[0],
        super::support::rows(&v, "jobs"),
        super::support::rows(&v, "packages"),
    );
    assert_eq!(head["version"], "0+dev.2");
    let want = fs::read_to_string(v5.join("dev_releases/toy-src/toy-src-0+dev.1.yml")).unwrap();
    let made = fs::read_to_string(r.join("dev_releases/toy-src/toy-src-0+dev.2.yml")).unwrap();
    let license = made
        .split("license:")
        .nth(1)
        .and_then(|l| l.split("fingerprint: ").nth(1))
        .and_then(|l| l.lines().next())
        .unwrap();
    let fingerprint = |row: &serde_json::Value, key: &str| {
        row[key]
            .as_str()
            .unwrap()
            .split('/')
            .nth(1)
            .unwrap()
            .to_string()
    };
    for fp in [
        fingerprint(&jobs[0], "job"),
        fingerprint(&packages[0], "package"),
        fingerprint(&packages[1], "package"),
        license.to_string(),
    ] {
        assert_eq!(fp.len(), 40, "{fp}");
        assert!(want.contains(&fp), "{fp} not in the v5.4.0 manifest");
    }
    assert!(!jobs[0]["digest"].as_str().unwrap().contains(':'));
}
