//! Replays `testdata/dropin/record.sh` with bale as `BOSH` and compares stdout, stderr and
//! exit code, plain and `--json`, with what the real CLI v7.4.0 printed (`expected/`):
//! create-release when a final build must come from the blobstore and cannot (object
//! missing, digest mismatch, blobstore gone, one worker stopping at the first failure),
//! `config/blobs.yml` sizes the CLI refuses, and the order of the summary tables. Masked as
//! in `ci_output.rs` (UUIDs, `sha256:` digests: both are random in the CLI's run). stderr is
//! compared as a multiset of lines and `--json` `Lines` as a multiset: parallel workers
//! finish in any order.

use std::collections::BTreeMap;
use std::fs;
use std::process::Command;

use super::ci_output::{lines_sorted, mask};
use super::support::{bale, testdata};

/// bale names the blob whose size it refuses; the CLI gives the line only. The suffix is
/// checked, then removed, so the rest must be the CLI's text.
fn without_blob_name(step: &str, text: &str) -> String {
    const START: &str = " (size of blob 'assets/words.txt' in <WORK>/";
    if !step.starts_with("size-") {
        return text.to_string();
    }
    let mut out = text.to_string();
    if let Some(i) = out.find(START) {
        let end = i + out[i..].find(')').expect("the suffix is closed") + 1;
        assert!(
            out[i..end].ends_with("/release/config/blobs.yml)"),
            "{step}: {}",
            &out[i..end]
        );
        out.replace_range(i..end, "");
    } else if text.contains("int64") {
        panic!("{step}: bale does not name the blob:\n{text}");
    }
    out
}

/// Object ids in local blobstore paths (`../blobstore/<uuid>:` is one word to `mask`).
fn mask_object_paths(text: &str) -> String {
    const AT: &str = "../blobstore/";
    let mut out = String::new();
    let mut rest = text;
    while let Some(i) = rest.find(AT) {
        let (head, tail) = rest.split_at(i + AT.len());
        out.push_str(head);
        let id = tail.get(..36).unwrap_or("");
        if id.len() == 36 && id.bytes().all(|b| b.is_ascii_hexdigit() || b == b'-') {
            out.push_str("UUID");
            rest = &tail[36..];
        } else {
            rest = tail;
        }
    }
    out.push_str(rest);
    out
}

fn multiset(text: &str) -> BTreeMap<&str, usize> {
    let mut m = BTreeMap::new();
    for l in text.lines() {
        *m.entry(l).or_insert(0) += 1;
    }
    m
}

#[test]
fn final_build_downloads_and_blob_sizes_fail_as_the_cli_fails() {
    let work = tempfile::tempdir().unwrap();
    let copy = work.path().join("testdata");
    fs::create_dir_all(copy.join("golden/ci-output")).unwrap();
    super::support::copy_tree(&testdata().join("dropin"), &copy.join("dropin"));
    super::support::copy_tree(
        &testdata().join("golden/ci-output/inputs"),
        &copy.join("golden/ci-output/inputs"),
    );
    let got_dir = work.path().join("got");
    let out = Command::new("bash")
        .arg(copy.join("dropin/record.sh"))
        .arg(&got_dir)
        .env("BOSH", bale())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "record.sh failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let want_dir = testdata().join("dropin/expected");
    let mut names: Vec<String> = fs::read_dir(&want_dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(
        names.len(),
        18 * 2 * 3 + 1,
        "every step's out, err and rc, and the key check"
    );
    let mut failures = Vec::new();
    for name in &names {
        let step = name.split('.').next().unwrap();
        let mut want = mask(&mask_object_paths(
            &fs::read_to_string(want_dir.join(name)).unwrap(),
        ));
        if step == "upload-fails" {
            // The CLI records the dev release before the final upload fails; bale records
            // nothing of a run that failed (bosh-cli#189), so it has no such line.
            want = want
                .split_inclusive('\n')
                .filter(|l| !l.trim_start().starts_with("\"Added dev release"))
                .collect();
        }
        let Ok(got) = fs::read_to_string(got_dir.join(name)) else {
            failures.push(format!("--- {name}: bale's run did not produce it"));
            continue;
        };
        let got = mask(&mask_object_paths(&without_blob_name(step, &got)));
        let same = if name.ends_with(".err") {
            multiset(&want) == multiset(&got)
        } else if name.ends_with(".json.out") {
            want == got
                || (lines_sorted(&want).is_some() && lines_sorted(&want) == lines_sorted(&got))
        } else {
            want == got
        };
        if !same {
            failures.push(format!("--- {name}\nCLI:\n{want}\nbale:\n{got}\n"));
        }
    }
    assert!(
        failures.is_empty(),
        "{} differences:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// Where bale differs on purpose: a dev build whose archive left `~/.bosh/cache` is built
/// again (the CLI stops with `Cannot find blob named …`), and the dev index then records
/// the new archive, so the next run finds it instead of building it once more.
#[test]
fn a_dev_build_lost_from_the_cache_is_rebuilt_and_recorded() {
    let t = tempfile::tempdir().unwrap();
    let r = super::support::release_from_inputs("ci-output", t.path());
    let home = t.path().join("home");
    let run = |args: &[&str]| {
        let o = super::support::run(&r, &home, args);
        assert!(o.status.success(), "{}", super::support::text(&o));
        o
    };
    let src = testdata().join("golden/ci-output/inputs/blob-sources");
    for (file, blob) in [
        ("runner-1.0.tar.gz", "runner/runner-1.0.tar.gz"),
        ("words.txt", "assets/words.txt"),
    ] {
        run(&["add-blob", src.join(file).to_str().unwrap(), blob]);
    }
    run(&["create-release", "--force"]);
    let index = r.join(".dev_builds/packages/libz/index.yml");
    let before = fs::read_to_string(&index).unwrap();
    let (_, digest) = before.split_once("sha1: ").unwrap();
    let digest = digest.lines().next().unwrap().to_string();
    // the index names an archive the cache no longer has (another machine built it)
    let lost = format!("sha256:{}", "0".repeat(64));
    fs::write(&index, before.replace(&digest, &lost)).unwrap();
    let o = run(&["--tty", "create-release", "--force"]);
    assert!(
        super::support::text(&o).contains("Adding package 'libz/"),
        "{}",
        super::support::text(&o)
    );
    let after = fs::read_to_string(&index).unwrap();
    assert!(after.contains(&digest) && !after.contains(&lost), "{after}");
    let o = run(&["--tty", "create-release", "--force"]);
    assert!(
        !super::support::text(&o).contains("Adding package"),
        "{}",
        super::support::text(&o)
    );
}

/// An S3 blobstore that cannot be reached fails each worker's first download as the CLI
/// does (the CLI's recorded run: five `-- Failed downloading` lines with its default five
/// workers, five `Downloading blob` errors under the same nesting); the innermost text is
/// each HTTP client's own.
#[test]
fn an_unreachable_s3_blobstore_fails_every_worker_as_the_cli_does() {
    let t = tempfile::tempdir().unwrap();
    let r = super::support::release_from_inputs("ci-output", t.path());
    let home = t.path().join("home");
    let store = t.path().join("blobstore");
    let run = |args: &[&str]| super::support::run(&r, &home, args);
    let src = testdata().join("golden/ci-output/inputs/blob-sources");
    for (file, blob) in [
        ("runner-1.0.tar.gz", "runner/runner-1.0.tar.gz"),
        ("words.txt", "assets/words.txt"),
    ] {
        assert!(run(&["add-blob", src.join(file).to_str().unwrap(), blob])
            .status
            .success());
    }
    fs::write(
        r.join("config/final.yml"),
        format!(
            "---\nname: toy-ci\nblobstore:\n  provider: local\n  options:\n    blobstore_path: {}\n",
            store.display()
        ),
    )
    .unwrap();
    let o = run(&["create-release", "--final", "--force"]);
    assert!(o.status.success(), "{}", super::support::text(&o));
    // a port nothing listens on
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    fs::write(
        r.join("config/final.yml"),
        format!(
            "---\nname: toy-ci\nblobstore:\n  provider: s3\n  options:\n    bucket_name: rel\n    host: 127.0.0.1\n    port: {port}\n    use_ssl: false\n    access_key_id: k\n    secret_access_key: s\n    region: us-east-1\n"
        ),
    )
    .unwrap();
    fs::remove_dir_all(home.join(".bosh/cache")).unwrap();
    fs::remove_dir_all(r.join(".dev_builds")).unwrap();
    let o = run(&["create-release", "--force"]);
    assert!(!o.status.success());
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(err.matches("-- Failed downloading '").count(), 5, "{err}");
    assert_eq!(
        err.matches("Getting blob from inner blobstore:\n        Getting blob from inner blobstore:\n          ")
            .count(),
        5,
        "{err}"
    );
    assert!(err.starts_with("-- Failed downloading '"), "{err}");
    assert!(
        err.contains("\nBuilding a release from directory '"),
        "{err}"
    );
    assert!(err.ends_with("\nExit code 1\n"), "{err}");
    // one worker: the first job's download fails and nothing else is tried
    let o = run(&["create-release", "--force", "--parallel", "1", "--json"]);
    let out = String::from_utf8_lossy(&o.stdout);
    assert_eq!(out.matches("-- Started downloading").count(), 1, "{out}");
    assert!(out.contains("-- Failed downloading 'server/"), "{out}");
}
