//! Honest stemcell labels: a `--stemcell` label alone is refused; compiling on this machine's
//! root needs `--host-rootfs`, which says so and records the host's distribution in the
//! compiled release and the cache; a stemcell tarball's build records nothing of the host.

use std::fs;
use std::process::Command;

use serde_json::Value;

use crate::compile::{env, mini_stemcell, STEMCELL};
use crate::support::{bale, text};

fn release_mf(tarball: &std::path::Path) -> String {
    let o = Command::new("tar")
        .arg("-xzOf")
        .arg(tarball)
        .args(["--wildcards", "*release.MF"])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", text(&o));
    String::from_utf8(o.stdout).unwrap()
}

fn os_release(key: &str) -> String {
    fs::read_to_string("/etc/os-release")
        .unwrap()
        .lines()
        .find_map(|l| l.strip_prefix(key)?.strip_prefix('='))
        .map(|v| v.trim_matches('"').to_string())
        .unwrap_or_default()
}

#[test]
fn a_label_alone_is_refused_and_a_host_build_records_the_host() {
    let e = env();
    let bare = |args: &[&str]| {
        Command::new(bale())
            .arg("compile-release")
            .arg("layered")
            .args(args)
            .current_dir(&e.root)
            .env("HOME", &e.home)
            .env_remove("XDG_CACHE_HOME")
            .env_remove("BALE_COMPILE_CACHE")
            .output()
            .unwrap()
    };
    let o = bare(&["--stemcell", STEMCELL]);
    assert!(!o.status.success());
    assert!(
        text(&o).contains(&format!(
            "--stemcell {STEMCELL} is only a label: give --stemcell-tarball PATH"
        )) && text(&o).contains("or --host-rootfs"),
        "{}",
        text(&o)
    );
    let o = bare(&["--host-rootfs"]);
    assert!(!o.status.success());
    assert!(
        text(&o).contains("--host-rootfs needs --stemcell OS/VERSION"),
        "{}",
        text(&o)
    );
    assert!(!e.root.join("out.tgz").exists());

    // The host build: the output says where it was built, and so does the release.
    let (id, version) = (os_release("ID"), os_release("VERSION_ID"));
    let o = bare(&[
        "--stemcell",
        STEMCELL,
        "--host-rootfs",
        "--tty",
        "--tarball",
        "host.tgz",
    ]);
    assert!(o.status.success(), "{}", text(&o));
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(
        out.contains(&format!(
            "Compiling on this machine's root file system ({id} {version}), not inside stemcell {STEMCELL}"
        )),
        "{out}"
    );
    assert!(
        out.contains(&format!(
            "for stemcell {STEMCELL} (built on this machine's {id} {version} root file system, --host-rootfs)"
        )),
        "{out}"
    );
    let tarball = e.root.join("host.tgz");
    let mf = release_mf(&tarball);
    let recorded = mf
        .split_once("compiled_on_host:\n")
        .unwrap_or_else(|| panic!("{mf}"))
        .1;
    let (rec_id, rec_version) = recorded.split_once('\n').unwrap();
    assert_eq!(rec_id, format!("  id: {id}"));
    assert_eq!(
        rec_version
            .trim_end()
            .strip_prefix("  version_id: ")
            .unwrap()
            .trim_matches(|c| c == '"' || c == '\''),
        version
    );
    assert!(mf.contains(&format!("  stemcell: {STEMCELL}\n")));
    let check = Command::new(bale())
        .arg("verify")
        .arg(&tarball)
        .output()
        .unwrap();
    assert!(check.status.success(), "{}", text(&check));
    let entries: Vec<Value> = walkdir::WalkDir::new(e.home.join(".cache/bale/compile/packages"))
        .into_iter()
        .flatten()
        .filter(|f| f.path().extension().is_some_and(|x| x == "json"))
        .map(|f| serde_json::from_slice(&fs::read(f.path()).unwrap()).unwrap())
        .collect();
    assert_eq!(entries.len(), 4);
    for m in &entries {
        assert_eq!(m["host_rootfs"]["id"], id.as_str(), "{m}");
        assert_eq!(m["host_rootfs"]["version_id"], version.as_str(), "{m}");
    }

    // Inside a stemcell: the label is the stemcell's, nothing of the host is recorded.
    let stemcell = mini_stemcell(&e.root.join("stemcell"));
    let o = bare(&[
        "--json",
        "--tarball",
        "in-stemcell.tgz",
        "--stemcell-tarball",
    ]);
    assert!(!o.status.success(), "a path is required");
    let o = Command::new(bale())
        .args([
            "compile-release",
            "layered",
            "--json",
            "--tarball",
            "in-stemcell.tgz",
        ])
        .arg("--stemcell-tarball")
        .arg(&stemcell)
        .current_dir(&e.root)
        .env("HOME", &e.home)
        .env_remove("XDG_CACHE_HOME")
        .env_remove("BALE_COMPILE_CACHE")
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", text(&o));
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert!(v["host_rootfs"].is_null(), "{v}");
    assert!(!release_mf(&e.root.join("in-stemcell.tgz")).contains("compiled_on_host"));
    let o = Command::new(bale())
        .args([
            "compile-release",
            "layered",
            "--host-rootfs",
            "--stemcell-tarball",
        ])
        .arg(&stemcell)
        .current_dir(&e.root)
        .output()
        .unwrap();
    assert!(!o.status.success());
    assert!(text(&o).contains("cannot be used with"), "{}", text(&o));
}
