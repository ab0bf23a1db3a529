//! Stemcells: inspect, verify, repack (against the CLI fixture) and create.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use super::support::{run, testdata, text};

/// The fixture's toy stemcell, packed as its builder packs stemcells.
fn toy_stemcell(dir: &Path) -> PathBuf {
    let src = testdata().join("golden/stemcell/inputs/stemcell-dir");
    let out = dir.join("toy-stemcell.tgz");
    let st = Command::new("tar")
        .args([
            "czf",
            out.to_str().unwrap(),
            "stemcell.MF",
            "image",
            "packages.txt",
            "dev_tools_file_list.txt",
        ])
        .current_dir(src)
        .status()
        .unwrap();
    assert!(st.success());
    out
}

fn json(args: &[&str], dir: &Path) -> serde_json::Value {
    let o = run(dir, dir, args);
    assert!(o.status.success(), "{}", text(&o));
    serde_json::from_slice(&o.stdout).unwrap()
}

#[test]
fn inspect_reads_the_cli_fields() {
    let t = tempfile::tempdir().unwrap();
    let s = toy_stemcell(t.path());
    let v = json(
        &["inspect-local-stemcell", "--json", s.to_str().unwrap()],
        t.path(),
    );
    let v = &super::support::rows(&v, "stemcell-metadata")[0];
    assert_eq!(v["name"], "bosh-toy-infra-ubuntu-jammy-go_agent");
    assert_eq!(v["os"], "ubuntu-jammy");
    assert_eq!(v["version"], "1.234");
    assert_eq!(v["infrastructure"], "toy");
    assert_eq!(v["hypervisor"], "kvm");

    let not_tar = t.path().join("x.tgz");
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    std::io::Write::write_all(&mut gz, b"x\n").unwrap();
    fs::write(&not_tar, gz.finish().unwrap()).unwrap();
    let o = run(
        t.path(),
        t.path(),
        &["inspect-local-stemcell", not_tar.to_str().unwrap()],
    );
    assert!(!o.status.success());
}

#[test]
fn repack_keeps_unknown_fields_and_a_true_sha1() {
    let t = tempfile::tempdir().unwrap();
    let s = toy_stemcell(t.path());
    let noop = t.path().join("noop.tgz");
    json(
        &[
            "repack-stemcell",
            "--json",
            s.to_str().unwrap(),
            noop.to_str().unwrap(),
        ],
        t.path(),
    );
    // Besides the kept field, the manifest matches what the CLI wrote (fixture repacked-noop).
    let got = read_mf(&noop);
    let want =
        fs::read_to_string(testdata().join("golden/stemcell/expected/repacked-noop/stemcell.MF"))
            .unwrap();
    assert_eq!(
        got,
        format!("{want}stemcell_extra_field: kept-by-builders-but-dropped-by-repack\n")
    );

    let all = t.path().join("all.tgz");
    let args = [
        "repack-stemcell",
        "--json",
        "--name=renamed-stemcell",
        "--version=9.99",
        "--cloud-properties={\"infrastructure\": \"other\", \"new_key\": {\"nested\": true}}",
        "--format=raw",
        "--format=qcow2",
        "--empty-image",
        s.to_str().unwrap(),
        all.to_str().unwrap(),
    ];
    json(&args, t.path());
    let got = read_mf(&all);
    let want =
        fs::read_to_string(testdata().join("golden/stemcell/expected/repacked-all/stemcell.MF"))
            .unwrap();
    // The CLI leaves the heavy image's sha1 on an empty image; bale writes the empty one's.
    let want = want.replace(
        "bc62607d56cf34267f335eae0ec825147aded7c1",
        "da39a3ee5e6b4b0d3255bfef95601890afd80709",
    );
    assert_eq!(
        got,
        format!("{want}stemcell_extra_field: kept-by-builders-but-dropped-by-repack\n")
    );
    let o = run(t.path(), t.path(), &["verify", all.to_str().unwrap()]);
    assert!(o.status.success(), "{}", text(&o));
}

fn read_mf(tgz: &Path) -> String {
    let o = Command::new("tar")
        .args(["xzf", tgz.to_str().unwrap(), "-O", "stemcell.MF"])
        .output()
        .unwrap();
    assert!(o.status.success());
    String::from_utf8(o.stdout).unwrap()
}

#[test]
fn verify_catches_an_image_that_does_not_match_sha1() {
    let t = tempfile::tempdir().unwrap();
    let d = t.path().join("sc");
    super::support::copy_tree(&testdata().join("golden/stemcell/inputs/stemcell-dir"), &d);
    fs::write(d.join("image"), b"another image\n").unwrap();
    let out = t.path().join("bad.tgz");
    assert!(Command::new("tar")
        .args([
            "czf",
            out.to_str().unwrap(),
            "-C",
            d.to_str().unwrap(),
            "stemcell.MF",
            "image"
        ])
        .status()
        .unwrap()
        .success());
    let o = run(t.path(), t.path(), &["verify", out.to_str().unwrap()]);
    assert!(!o.status.success());
    assert!(
        text(&o).contains("sha1 bc62607d56cf34267f335eae0ec825147aded7c1 (stemcell.MF)"),
        "{}",
        text(&o)
    );
    let o = run(
        t.path(),
        t.path(),
        &[
            "repack-stemcell",
            out.to_str().unwrap(),
            t.path().join("r.tgz").to_str().unwrap(),
        ],
    );
    assert!(
        !o.status.success(),
        "repack must refuse a stemcell whose image does not match"
    );
}

#[test]
fn create_from_a_root_filesystem_is_deterministic_and_verifies() {
    let t = tempfile::tempdir().unwrap();
    let root = t.path().join("rootfs");
    fs::create_dir_all(root.join("etc")).unwrap();
    fs::create_dir_all(root.join("var/vcap/bosh/etc")).unwrap();
    fs::write(
        root.join("etc/os-release"),
        "ID=ubuntu\nVERSION_CODENAME=jammy\n",
    )
    .unwrap();
    fs::write(root.join("var/vcap/bosh/etc/stemcell_version"), "1.1\n").unwrap();
    std::os::unix::fs::symlink("../etc/os-release", root.join("var/os-release")).unwrap();
    let mut bytes = Vec::new();
    for i in 0..2 {
        let out = t.path().join(format!("s{i}.tgz"));
        let args = [
            "create-stemcell",
            "--rootfs",
            root.to_str().unwrap(),
            "--name",
            "bosh-warden-boshlite-ubuntu-jammy-go_agent",
            "--version",
            "1.1",
            "--os",
            "ubuntu-jammy",
            "--api-version",
            "3",
            "--cloud-properties",
            "{infrastructure: warden, hypervisor: boshlite}",
            out.to_str().unwrap(),
        ];
        let o = run(t.path(), t.path(), &args);
        assert!(o.status.success(), "{}", text(&o));
        bytes.push(fs::read(&out).unwrap());
        let o = run(t.path(), t.path(), &["verify", out.to_str().unwrap()]);
        assert!(o.status.success(), "{}", text(&o));
    }
    assert!(bytes[0] == bytes[1]);
    let mf = read_mf(&t.path().join("s0.tgz"));
    assert!(
        mf.contains("stemcell_formats:\n- warden-tar\napi_version: 3\n"),
        "{mf}"
    );
    assert!(mf.contains("  infrastructure: warden\n"), "{mf}");
}
