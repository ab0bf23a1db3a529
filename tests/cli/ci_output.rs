//! Replays the `ci-output` case of `testdata/golden/regen.sh` (what scripts and CI see: the
//! CLI without a terminal, plain and `--json`) with bale as `BOSH`, and compares every step's
//! stdout, stderr and exit code, and the modes of the files left behind, with the real CLI's.
//! Masked as in `golden.rs`: UUIDs, `sha256:` digests (archive digests are random in the
//! fixtures) and commit hashes (every commit after `upload-blobs` holds random object ids).
//! The order of `--json` `Lines` is compared as a multiset: the CLI prints progress from
//! parallel work in whatever order it finishes. The list of commands an unknown command
//! is answered with is each tool's own.

use std::collections::BTreeSet;
use std::fs;
use std::path::Path;
use std::process::Command;

use super::support::{bale, copy_tree, testdata};

pub(super) fn mask(text: &str) -> String {
    // The list of commands in the unknown-command message is each tool's own (bale has
    // no deploy; the CLI has no verify).
    let text = &text
        .split('\n')
        .map(|l| match l.find("Please specify one command of: ") {
            Some(i) => format!("{}<COMMANDS>", &l[..i]),
            None => l.to_string(),
        })
        .collect::<Vec<_>>()
        .join("\n");
    let hex = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_hexdigit());
    let mut out = String::new();
    let mut word = String::new();
    let flush = |word: &mut String, out: &mut String| {
        let parts: Vec<&str> = word.split('-').collect();
        let masked = if parts.len() == 5
            && [8, 4, 4, 4, 12].iter().zip(&parts).all(|(n, p)| hex(p, *n))
        {
            "UUID".to_string()
        } else if word.strip_prefix("sha256:").is_some_and(|h| hex(h, 64)) {
            "SHA256".to_string()
        } else if word.len() == 7 && word.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')) {
            // A short commit hash; it can be all letters (one in a thousand is).
            "COMMIT".to_string()
        } else {
            word.clone()
        };
        out.push_str(&masked);
        word.clear();
    };
    for c in text.chars() {
        if c.is_ascii_alphanumeric() || c == '-' || c == ':' {
            word.push(c);
        } else {
            flush(&mut word, &mut out);
            out.push(c);
        }
    }
    flush(&mut word, &mut out);
    out
}

/// The envelope re-printed with `Lines` sorted, four-space indented as the CLI prints it.
pub(super) fn lines_sorted(text: &str) -> Option<String> {
    let mut v: serde_json::Value = serde_json::from_str(text).ok()?;
    if let Some(lines) = v.get_mut("Lines").and_then(|l| l.as_array_mut()) {
        lines.sort_by_key(|l| l.to_string());
    }
    let mut buf = Vec::new();
    let fmt = serde_json::ser::PrettyFormatter::with_indent(b"    ");
    let mut ser = serde_json::Serializer::with_formatter(&mut buf, fmt);
    serde::Serialize::serialize(&v, &mut ser).ok()?;
    String::from_utf8(buf).ok()
}

fn sorted(text: &str) -> String {
    let v: BTreeSet<&str> = text.lines().collect();
    v.into_iter().collect::<Vec<_>>().join("\n")
}

fn read(p: &Path) -> String {
    fs::read_to_string(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

#[test]
fn ci_output_replays_plain_and_json_like_the_cli() {
    let work = tempfile::tempdir().unwrap();
    let copy = work.path().join("golden");
    copy_tree(&testdata().join("golden"), &copy);
    let out = Command::new("bash")
        .arg(copy.join("regen.sh"))
        .arg("ci-output")
        .env("BOSH", bale())
        .env_remove("BOSH_V5")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "regen.sh failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let want_root = testdata().join("golden/ci-output/expected");
    let got_root = copy.join("ci-output/expected");
    let divergent = testdata().join("golden/divergent/ci-output/expected");
    let mut names: Vec<String> = fs::read_dir(want_root.join("steps"))
        .unwrap()
        .map(|e| format!("steps/{}", e.unwrap().file_name().to_string_lossy()))
        .filter(|n| !n.ends_with(".cmd"))
        .collect();
    names.sort();
    names.push("file-modes.txt".into());

    let mut failures = Vec::new();
    let mut compared = 0;
    let mut exact = 0;
    for name in &names {
        // Where bale deliberately differs, testdata/golden/divergent says what it prints
        // instead, and DIVERGENT.md why.
        let over = divergent.join(name);
        let want = read(&if over.exists() {
            over
        } else {
            want_root.join(name)
        });
        let Ok(got) = fs::read_to_string(got_root.join(name)) else {
            failures.push(format!("--- {name}: bale's run did not produce it"));
            continue;
        };
        compared += 1;
        let (w, g) = (mask(&want), mask(&got));
        let same = if name == "file-modes.txt" {
            sorted(&w) == sorted(&g)
        } else if w == g {
            true
        } else if name.ends_with(".json.out") {
            // The same lines in another order, and bale's text is the envelope exactly as
            // the CLI formats it.
            lines_sorted(&w).is_some() && lines_sorted(&w) == lines_sorted(&g) && {
                let reprinted: serde_json::Value = serde_json::from_str(&got).unwrap();
                let mut buf = Vec::new();
                let fmt = serde_json::ser::PrettyFormatter::with_indent(b"    ");
                let mut ser = serde_json::Serializer::with_formatter(&mut buf, fmt);
                serde::Serialize::serialize(&reprinted, &mut ser).unwrap();
                buf == got.as_bytes()
            }
        } else {
            false
        };
        if w == g {
            exact += 1;
        }
        if !same {
            failures.push(format!("--- {name}\nCLI:\n{w}\nbale:\n{g}\n"));
        }
    }
    assert_eq!(compared, 22 * 2 * 3 + 1, "every step's out, err and rc");
    assert!(
        exact >= 120,
        "only {exact} of {compared} identical after masking"
    );
    assert!(
        failures.is_empty(),
        "{} differences:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// Under umask 027 every file bale writes is 0640 and every directory 0750: the tarball,
/// `~/.bosh/cache`, blobs, indexes and release manifests (the fixture above covers 022).
#[test]
fn files_follow_a_stricter_umask() {
    use std::os::unix::fs::PermissionsExt;
    let t = tempfile::tempdir().unwrap();
    let r = super::support::release_from_inputs("blob-deps", t.path());
    let home = t.path().join("home");
    let tarball = t.path().join("out/dev.tgz");
    let sh = |args: &str| {
        let o = Command::new("sh")
            .arg("-c")
            .arg(format!("umask 027 && exec \"$0\" {args}"))
            .arg(bale())
            .current_dir(&r)
            .env("HOME", &home)
            .env_remove("XDG_CACHE_HOME")
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", super::support::text(&o));
    };
    let src = testdata().join("golden/blob-deps/inputs/blob-sources");
    sh(&format!(
        "add-blob {} runtime/runtime-1.0.tar.gz",
        src.join("runtime-1.0.tar.gz").display()
    ));
    sh(&format!(
        "add-blob {} runtime/shared.txt",
        src.join("shared.txt").display()
    ));
    sh(&format!(
        "create-release --force --tarball {}",
        tarball.display()
    ));
    let mut checked = 0;
    let mut check = |p: &Path| {
        let mut stack = vec![p.to_path_buf()];
        while let Some(p) = stack.pop() {
            let meta = fs::symlink_metadata(&p).unwrap();
            let mode = meta.permissions().mode() & 0o777;
            if meta.is_dir() {
                assert_eq!(mode, 0o750, "{}", p.display());
                stack.extend(fs::read_dir(&p).unwrap().map(|e| e.unwrap().path()));
            } else if meta.is_file() {
                assert_eq!(mode, 0o640, "{}", p.display());
            }
            checked += 1;
        }
    };
    check(&tarball);
    check(&home.join(".bosh/cache"));
    check(&r.join("blobs"));
    check(&r.join(".dev_builds"));
    check(&r.join("dev_releases"));
    check(&r.join("config/blobs.yml"));
    assert!(checked > 20, "only {checked} paths checked");
}
