//! Replays `testdata/golden/regen.sh` — the script that made the fixtures with the real
//! `bosh` CLI — with bale as `BOSH`, then compares every exit code, bookkeeping file,
//! tarball listing and release.MF with what the CLI produced. Only what the fixtures' README
//! calls random (UUIDs, object ids, archive digests, timestamps, and commit hashes of
//! commits that contain them) is masked; readdir order inside `jobs/` and `packages/` is
//! compared as a set.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

use std::process::Command;

use super::support::{bale, copy_tree, testdata};

const CASES: &[&str] = &[
    "src-exec-nested",
    "blob-deps",
    "jobs-links",
    "init-generate",
    "errors",
];

/// For every failing step of the `errors` case, the core of the CLI's message that bale's
/// output must contain too.
const ERROR_TEXTS: &[(&str, &str)] = &[
    ("01-dirty-repo-without-force", "Git repository has local modifications:\n\nM src/app/README"),
    ("02-glob-matches-nothing", "Missing files for pattern 'app/does-not-exist/*'"),
    ("03-package-spec-bad-yaml", "packages/app/spec:3:"),
    ("04-package-spec-wrong-type", "packages/app/spec:4:"),
    ("05-job-dir-name-mismatch", "Job directory 'app-server' does not match job name 'other-name' in spec"),
    ("06-missing-package-dependency", "Expected to find package 'missing-pkg' since it's a dependency of package 'tool'"),
    ("07-job-references-missing-package", "Expected to find package 'no-such-package' since it's a dependency of job 'app-server'"),
    ("08-missing-packaging-file", "/packages/tool/packaging' for package 'tool'"),
    ("09-packaging-included-via-files", "Expected special 'packaging' file to not be included via 'files' key for package 'tool'"),
    ("10-missing-template-file", "templates/ctl.erb: no such file or directory"),
    ("11-final-without-blobstore", "Expected non-empty 'blobstore.provider' in config"),
    ("12-no-release-name", "Check that you're in the top-level of the release directory:\n  Expected non-empty 'name' in config"),
    ("13-blob-tracked-but-absent-no-object-id", "Missing files for pattern 'runtime/missing.tgz'"),
    ("14-blob-object-missing-in-blobstore", "Getting blob '11111111-2222-3333-4444-555555555555' for path 'runtime/missing.tgz'"),
    ("15-circular-dependency", "Packages form a dependency cycle: app -> tool -> app"),
    ("16b-final-same-version-again", "Release 'toy-src' version '1' already exists"),
    ("17-finalize-bad-path", "stat /nonexistent/release.tgz: no such file or directory"),
    ("18-add-blob-missing-file", "Opening blob:\n  open /nonexistent/file.tgz: no such file or directory"),
    ("21-upload-blobs-unknown-provider", "Expected release blobstore to be configured"),
    ("23-no-src-dir-with-blob-file", "Unexpected error occurred: lstat <WORK>/errors/release/src: no such file or directory"),
];

fn mask(rel: &str, text: &str) -> String {
    let mut out = String::new();
    // Commits made after random content (object ids, blobstore ids, UUID keys) was
    // committed get random hashes in the fixtures too.
    let random_commits = !(rel.contains("state-after-dev")
        || rel.contains("tarball-0+dev")
        || rel.starts_with("init-generate")
        || rel.starts_with("errors"));
    for line in text.lines() {
        let mut l = line.to_string();
        l = replace_words(&l, |w| {
            let hex = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_hexdigit());
            let parts: Vec<&str> = w.split('-').collect();
            if parts.len() == 5 && [8, 4, 4, 4, 12].iter().zip(&parts).all(|(n, p)| hex(p, *n)) {
                return Some("UUID".into());
            }
            if let Some(h) = w.strip_prefix("sha256:") {
                if hex(h, 64) {
                    return Some("SHA256".into());
                }
            }
            None
        });
        if let Some(i) = l.find("dev.17") {
            let end = l[i + 4..]
                .find(|c: char| !c.is_ascii_digit())
                .map_or(l.len(), |e| i + 4 + e);
            l.replace_range(i..end, "dev.TS");
        }
        if random_commits {
            if let Some(i) = l.find("commit_hash: ") {
                l.truncate(i + 13);
                l.push('X');
            }
            if rel.ends_with("-commit-sha.txt") {
                l = "X".into();
            }
        }
        out.push_str(&l);
        out.push('\n');
    }
    out
}

fn replace_words(line: &str, f: impl Fn(&str) -> Option<String>) -> String {
    let mut out = String::new();
    let mut word = String::new();
    let flush = |word: &mut String, out: &mut String| {
        out.push_str(&f(word).unwrap_or_else(|| word.clone()));
        word.clear();
    };
    for c in line.chars() {
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

fn sorted_lines(text: &str) -> String {
    let mut v: Vec<&str> = text.lines().collect();
    v.sort();
    v.join("\n")
}

/// `tar tzvf` lines reduced to mode and name (owners and times are random in the fixtures).
fn listing(text: &str) -> String {
    let mut v: Vec<String> = text
        .lines()
        .map(|l| {
            let f: Vec<&str> = l.split_whitespace().collect();
            format!("{} {}", f[0], f[5..].join(" "))
        })
        .collect();
    v.sort();
    v.join("\n")
}

/// Release index keys are random UUIDs, so compare the set of versions.
fn release_index(text: &str) -> String {
    let v: BTreeSet<&str> = text.lines().filter(|l| l.contains("version:")).collect();
    v.into_iter().collect::<Vec<_>>().join("\n")
}

/// Files under `root` by name with the `--timestamp-version` number masked, mapped to paths.
fn files_under(root: &Path) -> std::collections::BTreeMap<String, PathBuf> {
    let mut out = std::collections::BTreeMap::new();
    if !root.exists() {
        return out;
    }
    for e in walk(root) {
        let rel = e.strip_prefix(root).unwrap().to_string_lossy().into_owned();
        out.insert(mask("", &rel).trim_end().to_string(), e);
    }
    out
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut v = Vec::new();
    for e in fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            v.extend(walk(&p));
        } else {
            v.push(p);
        }
    }
    v
}

fn compare(rel: &str, want: &str, got: &str) -> Option<String> {
    let name = rel.rsplit('/').next().unwrap();
    let (w, g) = if name.ends_with(".out") || name.ends_with(".cmd") || name.contains("digests.txt")
    {
        return None;
    } else if name.ends_with(".rc") {
        (want.trim().to_string(), got.trim().to_string())
    } else if name == "names.txt" {
        (sorted_lines(want), sorted_lines(got))
    } else if name.ends_with(".tzvf.txt") || name.ends_with("-listing.txt") {
        (listing(want), listing(got))
    } else if name == "home-files.txt" {
        let keep = |t: &str| -> String {
            t.lines()
                .filter(|l| !l.contains("/.bosh/tmp/") && !l.contains("/.cache/bale/"))
                .collect::<Vec<_>>()
                .join("\n")
        };
        (mask(rel, &keep(want)), mask(rel, &keep(got)))
    } else if name == "local-blobstore-files.txt" {
        (
            want.lines().count().to_string(),
            got.lines().count().to_string(),
        )
    } else if name == "index.yml" && (rel.contains("/dev_releases/") || rel.contains("/releases/"))
    {
        (
            release_index(&mask(rel, want)),
            release_index(&mask(rel, got)),
        )
    } else {
        (mask(rel, want), mask(rel, got))
    };
    (w != g).then(|| format!("--- {rel}\nCLI:\n{w}\nbale:\n{g}\n"))
}

#[test]
fn regen_replays_every_fixture_step_like_the_cli() {
    let work = tempfile::tempdir().unwrap();
    let copy = work.path().join("golden");
    copy_tree(&testdata().join("golden"), &copy);
    let out = Command::new("bash")
        .arg(copy.join("regen.sh"))
        .args(CASES)
        .env("BOSH", bale())
        .env_remove("BOSH_V5")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "regen.sh failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );

    let mut failures = Vec::new();
    let mut compared = 0;
    for case in CASES {
        let want_root = testdata().join("golden").join(case).join("expected");
        let got_root = copy.join(case).join("expected");
        let want_files = files_under(&want_root);
        let got_files = files_under(&got_root);
        let names: BTreeSet<&String> = want_files.keys().chain(got_files.keys()).collect();
        for f in names {
            let rel = format!("{case}/expected/{f}");
            if f.ends_with(".tgz") {
                continue;
            }
            match (want_files.get(f), got_files.get(f)) {
                (Some(_), None) => failures.push(format!("--- {rel}: bale did not produce it")),
                (None, Some(_)) => {
                    failures.push(format!("--- {rel}: bale produced it, the CLI did not"))
                }
                (Some(wp), Some(gp)) => {
                    // Where bale deliberately differs from the CLI, testdata/golden/divergent
                    // holds what bale must produce instead (each file says why in DIVERGENT.md).
                    let over = testdata().join("golden/divergent").join(&rel);
                    let w =
                        fs::read_to_string(if over.exists() { over } else { wp.clone() }).unwrap();
                    let g = fs::read_to_string(gp).unwrap();
                    compared += 1;
                    if let Some(d) = compare(&rel, &w, &g) {
                        failures.push(d);
                    }
                }
                (None, None) => unreachable!(),
            }
        }
    }
    for (step, text) in ERROR_TEXTS {
        let out = fs::read_to_string(
            copy.join("errors/expected/steps")
                .join(format!("{step}.out")),
        )
        .unwrap();
        if !out.contains(text) {
            failures.push(format!(
                "--- errors step {step}: expected the message\n{text}\nin bale's output:\n{out}"
            ));
        }
    }
    assert!(compared > 300, "only {compared} files compared");
    assert!(
        failures.is_empty(),
        "{} differences:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
