//! `bale verify` on tampered release tarballs: each tampering gets its own clear finding.

use std::fs;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use super::support::{
    add_fixture_blobs, compiled_package, copy_tree, edit_job_monit, run, testdata, text,
};

/// A release tarball built by bale from the demo release, plus a scratch dir.
fn release_tarball() -> (tempfile::TempDir, PathBuf) {
    let t = tempfile::tempdir().unwrap();
    let r = t.path().join("demo");
    copy_tree(&testdata().join("demo-release"), &r);
    for d in ["dev_releases", ".dev_builds"] {
        let _ = fs::remove_dir_all(r.join(d));
    }
    let out = t.path().join("demo.tgz");
    let o = run(
        &r,
        &t.path().join("home"),
        &[
            "create-release",
            "--force",
            "--tarball",
            out.to_str().unwrap(),
        ],
    );
    assert!(o.status.success(), "{}", text(&o));
    (t, out)
}

/// Every entry of a tarball: (name, kind, link target, bytes).
type Entries = Vec<(String, tar::EntryType, String, Vec<u8>)>;

fn entries(path: &Path) -> Entries {
    let mut a = tar::Archive::new(flate2::read::GzDecoder::new(fs::File::open(path).unwrap()));
    a.entries()
        .unwrap()
        .map(|e| {
            let mut e = e.unwrap();
            let name = String::from_utf8_lossy(&e.path_bytes()).into_owned();
            let kind = e.header().entry_type();
            let link = e
                .link_name_bytes()
                .map(|l| String::from_utf8_lossy(&l).into_owned())
                .unwrap_or_default();
            let mut v = Vec::new();
            e.read_to_end(&mut v).unwrap();
            (name, kind, link, v)
        })
        .collect()
}

fn write(path: &Path, es: &Entries) {
    let gz =
        flate2::write::GzEncoder::new(fs::File::create(path).unwrap(), flate2::Compression::fast());
    let mut b = tar::Builder::new(gz);
    for (name, kind, link, data) in es {
        let mut h = tar::Header::new_gnu();
        h.set_entry_type(*kind);
        h.set_size(data.len() as u64);
        h.set_mode(0o644);
        let gnu = h.as_gnu_mut().unwrap();
        gnu.name[..name.len()].copy_from_slice(name.as_bytes());
        gnu.linkname[..link.len()].copy_from_slice(link.as_bytes());
        h.set_cksum();
        b.append(&h, &data[..]).unwrap();
    }
    b.into_inner().unwrap().finish().unwrap().flush().unwrap();
}

fn verify(path: &Path) -> (bool, serde_json::Value, String) {
    let o = run(
        path.parent().unwrap(),
        path.parent().unwrap(),
        &["verify", "--json", path.to_str().unwrap()],
    );
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap_or(serde_json::Value::Null);
    // bale's own document: versioned, the reports under `reports`.
    assert_eq!(v["schema"], "bale/1", "{}", text(&o));
    assert_eq!(v["command"], "verify");
    (o.status.success(), v["reports"].clone(), text(&o))
}

fn findings(v: &serde_json::Value) -> Vec<(String, String)> {
    v[0]["findings"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|f| {
                    (
                        f["entry"].as_str().unwrap().to_string(),
                        f["problem"].as_str().unwrap().to_string(),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

fn check(tamper: impl Fn(&mut Entries), entry: &str, problem: &str) {
    let (t, good) = release_tarball();
    let mut es = entries(&good);
    tamper(&mut es);
    let bad = t.path().join("bad.tgz");
    write(&bad, &es);
    let (ok, v, out) = verify(&bad);
    assert!(!ok, "tampered tarball passed: {out}");
    let f = findings(&v);
    assert!(
        f.iter()
            .any(|(e, p)| e.contains(entry) && p.contains(problem)),
        "expected '{entry}' / '{problem}' among {f:?}\n{out}"
    );
}

fn find<'a>(es: &'a mut Entries, name: &str) -> &'a mut (String, tar::EntryType, String, Vec<u8>) {
    es.iter_mut().find(|e| e.0 == name).unwrap()
}

#[test]
fn a_release_made_by_bale_verifies_clean() {
    let (_t, good) = release_tarball();
    let (ok, v, out) = verify(&good);
    assert!(ok, "{out}");
    assert_eq!(v[0]["artifact"], "release");
    assert!(v[0]["findings"].as_array().unwrap().is_empty(), "{out}");
    assert!(v[0]["checks"].as_u64().unwrap() >= 8);
}

#[test]
fn flipped_byte_in_an_inner_archive() {
    check(
        |es| {
            let e = find(es, "packages/app.tgz");
            let n = e.3.len();
            e.3[n / 2] ^= 0x40;
        },
        "packages/app.tgz",
        "digest mismatch",
    );
}

#[test]
fn edited_digest_in_release_mf() {
    check(
        |es| {
            let e = find(es, "release.MF");
            let text = String::from_utf8(e.3.clone()).unwrap();
            let i = text.find("sha1: sha256:").unwrap() + 13;
            let mut b = text.into_bytes();
            b[i] = if b[i] == b'0' { b'1' } else { b'0' };
            e.3 = b;
        },
        "jobs/web.tgz",
        "digest mismatch",
    );
}

#[test]
fn dropped_package() {
    check(
        |es| es.retain(|e| e.0 != "packages/nginx.tgz"),
        "packages/nginx.tgz",
        "missing",
    );
}

#[test]
fn job_contents_changed_with_its_digest_updated() {
    check(
        |es| {
            // Rewrite the job archive with a changed monit file, and record its new digest.
            let job = find(es, "jobs/web.tgz").3.clone();
            let inner = edit_job_monit(&job);
            let digest = format!("sha256:{}", sha256_hex(&inner));
            find(es, "jobs/web.tgz").3 = inner;
            let mf = find(es, "release.MF");
            let text = String::from_utf8(mf.3.clone()).unwrap();
            let start = text.find("  sha1: sha256:").unwrap() + 8;
            let end = start + 71;
            mf.3 = format!("{}{}{}", &text[..start], digest, &text[end..]).into_bytes();
        },
        "jobs/web.tgz",
        "fingerprint mismatch",
    );
}

fn sha256_hex(b: &[u8]) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(b)
        .iter()
        .map(|x| format!("{x:02x}"))
        .collect()
}

#[test]
fn dot_dot_entry() {
    check(
        |es| {
            es.push((
                "../x".into(),
                tar::EntryType::Regular,
                String::new(),
                b"x".to_vec(),
            ))
        },
        "archive",
        "cannot be read safely",
    );
}

#[test]
fn escaping_symlink() {
    check(
        |es| {
            es.push((
                "jobs/evil".into(),
                tar::EntryType::Symlink,
                "../../etc/passwd".into(),
                Vec::new(),
            ))
        },
        "archive",
        "cannot be read safely",
    );
}

#[test]
fn truncated_file() {
    let (t, good) = release_tarball();
    let bytes = fs::read(&good).unwrap();
    let bad = t.path().join("short.tgz");
    fs::write(&bad, &bytes[..bytes.len() * 2 / 3]).unwrap();
    let (ok, v, out) = verify(&bad);
    assert!(!ok);
    let f = findings(&v);
    assert!(
        f.iter()
            .any(|(e, p)| e == "archive" && p.contains("cannot be read")),
        "{out}"
    );
    assert!(out.contains("corrupt or truncated"), "{out}");
}

#[test]
fn a_release_directory_with_a_stale_blob() {
    let t = tempfile::tempdir().unwrap();
    let r = super::support::release_from_inputs("blob-deps", t.path());
    let home = t.path().join("home");
    add_fixture_blobs(&r, &home);
    let o = run(&r, &home, &["verify", "."]);
    assert!(o.status.success(), "{}", text(&o));
    fs::write(
        r.join("blobs/runtime/shared.txt"),
        b"something else, same length as before!!!\n",
    )
    .unwrap();
    let o = run(&r, &home, &["verify", "."]);
    assert!(!o.status.success());
    assert!(
        text(&o).contains("blobs/runtime/shared.txt"),
        "{}",
        text(&o)
    );
}

/// ~1 MB on disk, more than 1 GiB once decompressed: gzip members of zeros behind a tar
/// header that promises a huge file. (Not named release.MF: that is refused sooner, past
/// its 16 MiB size cap; see `release_mf_past_its_cap`.)
#[test]
fn gzip_bomb() {
    let t = tempfile::tempdir().unwrap();
    let chunk = vec![0u8; 16 << 20];
    let member = |data: &[u8]| {
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        gz.write_all(data).unwrap();
        gz.finish().unwrap()
    };
    let mut h = tar::Header::new_gnu();
    h.set_path("padding.bin").unwrap();
    h.set_size(80 << 30);
    h.set_mode(0o644);
    h.set_cksum();
    let mut first = h.as_bytes().to_vec();
    first.extend_from_slice(&chunk);
    let mut bytes = member(&first);
    let zeros = member(&chunk);
    for _ in 0..70 {
        bytes.extend_from_slice(&zeros);
    }
    assert!(bytes.len() < 4 << 20);
    let bomb = t.path().join("bomb.tgz");
    fs::write(&bomb, &bytes).unwrap();
    let (ok, v, out) = verify(&bomb);
    assert!(!ok);
    assert!(findings(&v).iter().any(|(e, _)| e == "archive"), "{out}");
    assert!(out.contains("decompression bomb"), "{out}");
}

/// A release.MF larger than bale reads of one is refused by name, before it is parsed.
#[test]
fn release_mf_past_its_cap() {
    let t = tempfile::tempdir().unwrap();
    let mut text = b"name: big\nversion: '1'\n".to_vec();
    text.resize(17 << 20, b'#');
    let mut h = tar::Header::new_gnu();
    h.set_path("release.MF").unwrap();
    h.set_size(text.len() as u64);
    h.set_mode(0o644);
    h.set_cksum();
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    {
        let mut b = tar::Builder::new(&mut gz);
        b.append(&h, &text[..]).unwrap();
        b.finish().unwrap();
    }
    let big = t.path().join("big.tgz");
    fs::write(&big, gz.finish().unwrap()).unwrap();
    let (ok, v, out) = verify(&big);
    assert!(!ok);
    assert!(findings(&v).iter().any(|(e, _)| e == "archive"), "{out}");
    assert!(
        out.contains("release.MF: larger than 16777216 bytes"),
        "{out}"
    );
}

/// A compiled release (as a director's export-release writes it) verifies; a compiled
/// package without its stemcell does not.
#[test]
fn compiled_release() {
    let t = tempfile::tempdir().unwrap();
    let pkg = compiled_package();
    let mf = |stemcell: &str| {
        format!(
            "name: c\nversion: \"1\"\ncommit_hash: abc\nuncommitted_changes: false\ncompiled_packages:\n- name: app\n  version: f1\n  fingerprint: f1\n  sha1: sha256:{}\n  {stemcell}dependencies: []\n",
            sha256_hex(&pkg)
        )
    };
    for (stemcell, good) in [("stemcell: ubuntu-jammy/1.406\n  ", true), ("", false)] {
        let es: Entries = vec![
            (
                "release.MF".into(),
                tar::EntryType::Regular,
                String::new(),
                mf(stemcell).into_bytes(),
            ),
            (
                "compiled_packages/app.tgz".into(),
                tar::EntryType::Regular,
                String::new(),
                pkg.clone(),
            ),
        ];
        let p = t.path().join(format!("{good}.tgz"));
        write(&p, &es);
        let (ok, v, out) = verify(&p);
        assert_eq!(ok, good, "{out}");
        assert_eq!(v[0]["artifact"], "compiled-release");
        if !good {
            assert!(
                findings(&v).iter().any(|(_, p)| p == "no stemcell"),
                "{out}"
            );
        }
    }
}
