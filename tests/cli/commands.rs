//! sha1ify/sha2ify, vendor-package, inspect-local-release, generators.

use std::fs;

use super::support::{add_fixture_blobs, lines, release_from_inputs, rows, run, text};

fn json(o: &std::process::Output) -> serde_json::Value {
    assert!(o.status.success(), "{}", text(o));
    serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("{e}: {}", text(o)))
}

#[test]
fn sha1ify_and_sha2ify_rewrite_digests_not_fingerprints() {
    let t = tempfile::tempdir().unwrap();
    let r = release_from_inputs("src-exec-nested", t.path());
    let home = t.path().join("home");
    let dev = t.path().join("dev.tgz");
    let made = json(&run(
        &r,
        &home,
        &[
            "create-release",
            "--json",
            "--tarball",
            dev.to_str().unwrap(),
        ],
    ));

    let s1 = t.path().join("sha1.tgz");
    let v1 = json(&run(
        &r,
        &home,
        &[
            "sha1ify-release",
            dev.to_str().unwrap(),
            s1.to_str().unwrap(),
            "--json",
        ],
    ));
    let inspected = json(&run(
        &r,
        &home,
        &["inspect-local-release", s1.to_str().unwrap(), "--json"],
    ));
    assert_eq!(rows(&v1, "jobs"), rows(&inspected, "jobs"));
    for p in rows(&inspected, "packages") {
        let sha1 = p["digest"].as_str().unwrap();
        assert!(sha1.len() == 40 && !sha1.contains(':'), "{sha1}");
    }
    assert_eq!(
        rows(&inspected, "packages")[0]["package"],
        rows(&made, "packages")[0]["package"]
    );

    let s2 = t.path().join("sha2.tgz");
    let v2 = json(&run(
        &r,
        &home,
        &[
            "sha2ify-release",
            s1.to_str().unwrap(),
            s2.to_str().unwrap(),
            "--json",
        ],
    ));
    assert_eq!(
        rows(&v2, "packages"),
        rows(&made, "packages"),
        "sha2ify of sha1ify gives back the original digests"
    );
    assert_eq!(rows(&v2, "jobs"), rows(&made, "jobs"));
}

#[test]
fn vendor_package_brings_dependencies_as_final_builds() {
    let t = tempfile::tempdir().unwrap();
    let src = release_from_inputs("blob-deps", t.path());
    let home = t.path().join("home");
    add_fixture_blobs(&src, &home);
    assert!(run(&src, &home, &["create-release", "--force"])
        .status
        .success());

    let dest = t.path().join("dest-release");
    assert!(run(
        t.path(),
        &home,
        &["init-release", "--dir", dest.to_str().unwrap()]
    )
    .status
    .success());
    fs::write(
        dest.join("config/final.yml"),
        "---\nname: dest\nblobstore:\n  provider: local\n  options:\n    blobstore_path: ../dest-blobstore\n",
    )
    .unwrap();
    let v = json(&run(
        &dest,
        &home,
        &[
            "vendor-package",
            "app",
            src.to_str().unwrap(),
            "--prefix",
            "v",
            "--json",
        ],
    ));
    let vendored: Vec<String> = lines(&v)
        .into_iter()
        .filter(|l| !l.ends_with('\n'))
        .collect();
    assert_eq!(
        vendored,
        [
            "Vendored package 'v-app'",
            "Vendored package 'v-runtime'",
            "Vendored package 'v-zlib'",
            "Succeeded"
        ]
    );
    let lock = fs::read_to_string(dest.join("packages/v-app/spec.lock")).unwrap();
    assert_eq!(
        lock,
        "name: v-app\nfingerprint: 4647464ac796f65f1547fdcfa956b417aeffec20d5365c208931157041883cb9\ndependencies:\n- v-zlib\n- v-runtime\n"
    );
    assert!(
        fs::read_to_string(dest.join(".final_builds/packages/v-zlib/index.yml"))
            .unwrap()
            .contains("blobstore_id:")
    );
    assert_eq!(
        fs::read_dir(t.path().join("dest-blobstore"))
            .unwrap()
            .count(),
        3
    );

    // The vendored packages go into the next release without being built.
    let made = json(&run(&dest, &home, &["create-release", "--force", "--json"]));
    let names: Vec<String> = rows(&made, "packages")
        .iter()
        .map(|p| {
            p["package"]
                .as_str()
                .unwrap()
                .split('/')
                .next()
                .unwrap()
                .to_string()
        })
        .collect();
    assert_eq!(names, ["v-app", "v-runtime", "v-zlib"]);

    let o = run(
        &dest,
        &home,
        &["vendor-package", "nope", src.to_str().unwrap()],
    );
    assert!(!o.status.success());
    assert!(
        text(&o).contains("Expected to find package 'nope'"),
        "{}",
        text(&o)
    );
}

#[test]
fn generators_refuse_existing_names() {
    let t = tempfile::tempdir().unwrap();
    let home = t.path().join("home");
    let d = t.path().join("x-release");
    assert!(run(
        t.path(),
        &home,
        &["init-release", "--git", "--dir", d.to_str().unwrap()]
    )
    .status
    .success());
    assert_eq!(
        fs::read_to_string(d.join("config/final.yml")).unwrap(),
        "name: x\n"
    );
    assert!(run(&d, &home, &["generate-package", "p"]).status.success());
    let o = run(&d, &home, &["generate-package", "p"]);
    assert!(!o.status.success());
    assert!(text(&o).contains("Package 'p' at '"), "{}", text(&o));
    let leftovers: Vec<_> = fs::read_dir(&d)
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().starts_with(".bale"))
        .collect();
    assert!(leftovers.is_empty());
}

/// With `--tty` (terminal output in a log) an error is printed as the CLI prints it on a
/// terminal: the message on stderr, an empty line on stdout, then `Exit code 1` on stderr.
#[test]
fn terminal_errors_are_laid_out_as_the_cli_lays_them_out() {
    let t = tempfile::tempdir().unwrap();
    let home = t.path().join("home");
    let o = run(t.path(), &home, &["create-release", "--tty"]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(String::from_utf8_lossy(&o.stdout), "\n");
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.starts_with("Check that you're in the top-level of the release directory:\n")
            && err.ends_with("'\nExit code 1\n"),
        "{err}"
    );
}
