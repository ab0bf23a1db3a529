//! The registry of `bale blobstore serve` through bale's own commands: upload-release and
//! upload-stemcell (verified, deduplicated), releases, stemcells, inspect-release and the
//! deletes, against a real server process on loopback, restarted and killed as a real one is.

use std::fs;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};

use super::support::{bale, copy_tree, edit_job_monit, run, testdata, text};

pub(super) struct Running {
    child: Option<Child>,
    pub(super) url: String,
}

impl Drop for Running {
    fn drop(&mut self) {
        if let Some(c) = self.child.as_mut() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }
}

impl Running {
    /// A server started elsewhere, killed when dropped like the others.
    pub(super) fn adopt(child: Child, url: String) -> Running {
        Running {
            child: Some(child),
            url,
        }
    }

    /// The process, to stop it some other way.
    pub(super) fn release(mut self) -> Child {
        self.child.take().expect("a running server")
    }
}

/// Starts a server keeping its registry (and objects) in `store`.
pub(super) fn start(store: &Path, extra: &[&str]) -> Running {
    let mut child = Command::new(bale())
        .args(["blobstore", "serve", "--listen", "127.0.0.1:0"])
        .args(["--write-user", "ci:cipass", "--read-user", "ro:ropass"])
        .arg("--dir")
        .arg(store)
        .args(extra)
        // The access log of every request is not what these tests read.
        .env("BALE_LOG", "warn")
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let url = line
        .split_whitespace()
        .find(|w| w.starts_with("http"))
        .unwrap_or_else(|| panic!("no URL in {line:?}"))
        .to_string();
    Running {
        child: Some(child),
        url,
    }
}

/// `upload-release` of `demo/1` by name and version from a URL that leads nowhere: it
/// succeeds only when the registry already holds that release whole, without downloading.
pub(super) fn upload_demo_1_from_nowhere(s: &Running, dir: &Path) -> Output {
    client(
        s,
        dir,
        &[
            "upload-release",
            "http://127.0.0.1:9/nowhere.tgz",
            "--name",
            "demo",
            "--version",
            "1",
        ],
    )
}

/// Runs a client command against `s` as the write user.
pub(super) fn client(s: &Running, dir: &Path, args: &[&str]) -> Output {
    Command::new(bale())
        .args(args)
        .current_dir(dir)
        .env("HOME", dir.join("home"))
        .env("BALE_BLOBSTORE", &s.url)
        .env("BALE_BLOBSTORE_USER", "ci")
        .env("BALE_BLOBSTORE_PASSWORD", "cipass")
        .output()
        .unwrap()
}

/// The `--json` envelope read back into what these tests check: upload-* give their one
/// `upload` row (counts as numbers), releases/stemcells their rows, inspect-release
/// `{"jobs", "packages"}` rows, anything else `{"lines"}`.
pub(super) fn json(o: &Output) -> serde_json::Value {
    use serde_json::Value;
    let v: Value = serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("{e}: {}", text(o)));
    let tables = v["Tables"].as_array().cloned().unwrap_or_default();
    let rows = |t: &Value| t["Rows"].as_array().cloned().unwrap_or_default();
    match tables.first().map(|t| t["Content"].as_str().unwrap_or("")) {
        Some("upload") => {
            let mut row = rows(&tables[0])[0].clone();
            for (_, cell) in row.as_object_mut().unwrap() {
                if let Some(n) = cell.as_str().and_then(|s| s.parse::<u64>().ok()) {
                    *cell = n.into();
                }
            }
            row
        }
        Some("releases") | Some("stemcells") => Value::Array(rows(&tables[0])),
        Some("jobs") => {
            serde_json::json!({ "jobs": rows(&tables[0]), "packages": rows(&tables[1]) })
        }
        _ => serde_json::json!({ "lines": v["Lines"] }),
    }
}

/// `GET path` as the read user, body parsed as JSON.
pub(super) fn get(s: &Running, path: &str) -> (u16, Vec<u8>) {
    let addr = s.url.trim_start_matches("http://");
    let mut c = TcpStream::connect(addr).unwrap();
    write!(
        c,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nAuthorization: Basic cm86cm9wYXNz\r\n\r\n"
    )
    .unwrap();
    let mut raw = Vec::new();
    c.read_to_end(&mut raw).unwrap();
    let split = raw.windows(4).position(|w| w == b"\r\n\r\n").unwrap();
    let head = String::from_utf8_lossy(&raw[..split]).to_string();
    let mut body = raw[split + 4..].to_vec();
    if head
        .to_ascii_lowercase()
        .contains("transfer-encoding: chunked")
    {
        let mut out = Vec::new();
        let mut b = &body[..];
        loop {
            let nl = b.windows(2).position(|w| w == b"\r\n").unwrap();
            let n =
                usize::from_str_radix(std::str::from_utf8(&b[..nl]).unwrap().trim(), 16).unwrap();
            if n == 0 {
                break;
            }
            out.extend_from_slice(&b[nl + 2..nl + 2 + n]);
            b = &b[nl + 4 + n..];
        }
        body = out;
    }
    (head[9..12].parse().unwrap(), body)
}

pub(super) fn received(s: &Running) -> u64 {
    let (code, body) = get(s, "/api/v1/stats");
    assert_eq!(code, 200);
    let v: serde_json::Value = serde_json::from_slice(&body).unwrap();
    v["bytes_received"].as_u64().unwrap()
}

/// A release tarball of the demo release as `version`, after `tweak` edits its source.
pub(super) fn demo(t: &Path, tag: &str, version: &str, tweak: impl Fn(&Path)) -> PathBuf {
    let r = t.join(format!("src-{tag}"));
    copy_tree(&testdata().join("demo-release"), &r);
    for d in ["dev_releases", ".dev_builds"] {
        let _ = fs::remove_dir_all(r.join(d));
    }
    tweak(&r);
    let out = t.join(format!("{tag}.tgz"));
    let o = run(
        &r,
        &t.join("home"),
        &[
            "create-release",
            "--force",
            "--version",
            version,
            "--tarball",
            out.to_str().unwrap(),
        ],
    );
    assert!(o.status.success(), "{}", text(&o));
    out
}

/// Sizes of the tarball's archives by entry name.
pub(super) fn archive_sizes(tarball: &Path) -> Vec<(String, u64)> {
    let mut a = tar::Archive::new(flate2::read::GzDecoder::new(
        fs::File::open(tarball).unwrap(),
    ));
    a.entries()
        .unwrap()
        .map(|e| e.unwrap())
        .filter(|e| e.path_bytes().ends_with(b".tgz"))
        .map(|e| {
            (
                String::from_utf8_lossy(&e.path_bytes())
                    .trim_start_matches("./")
                    .to_string(),
                e.size(),
            )
        })
        .collect()
}

pub(super) fn sha256_hex(b: &[u8]) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(b)
        .iter()
        .map(|x| format!("{x:02x}"))
        .collect()
}

/// Every object file under a local store: content-addressed ones must hash to their name,
/// and no upload's temp file may be left.
pub(super) fn check_objects(store: &Path) -> usize {
    let mut n = 0;
    for e in walkdir::WalkDir::new(store).min_depth(2).max_depth(2) {
        let e = e.unwrap();
        let name = e.file_name().to_string_lossy().to_string();
        assert!(!name.starts_with(".bale-put-"), "temp file left: {name}");
        if let Some(hex) = name.strip_prefix("sha256-") {
            assert_eq!(sha256_hex(&fs::read(e.path()).unwrap()), hex, "{name}");
            n += 1;
        }
    }
    n
}

pub(super) fn edit(path: &Path, extra: &str) {
    let mut f = fs::OpenOptions::new().append(true).open(path).unwrap();
    f.write_all(extra.as_bytes()).unwrap();
}

#[test]
fn upload_twice_moves_only_metadata_and_versions_share_archives() {
    let t = tempfile::tempdir().unwrap();
    let store = t.path().join("store");
    let s = start(&store, &[]);
    let v1 = demo(t.path(), "v1", "1", |_| {});
    let sizes = archive_sizes(&v1);
    let total: u64 = sizes.iter().map(|(_, n)| n).sum();

    let o = client(
        &s,
        t.path(),
        &["upload-release", v1.to_str().unwrap(), "--json"],
    );
    assert!(o.status.success(), "{}", text(&o));
    let up = json(&o);
    assert_eq!(up["status"], "created");
    assert_eq!(up["objects_sent"], sizes.len());
    assert_eq!(received(&s), total, "each archive sent once, nothing else");

    let o = client(&s, t.path(), &["upload-release", v1.to_str().unwrap()]);
    assert!(o.status.success(), "{}", text(&o));
    assert!(
        text(&o).contains("Release 'demo/1' already exists."),
        "{}",
        text(&o)
    );
    assert_eq!(received(&s), total, "a re-upload sends no archive bytes");

    // Version 2 changes only the job: only the job goes up.
    let v2 = demo(t.path(), "v2", "2", |r| {
        edit(&r.join("jobs/web/monit"), "# v2\n")
    });
    let o = client(
        &s,
        t.path(),
        &["upload-release", v2.to_str().unwrap(), "--json"],
    );
    assert!(o.status.success(), "{}", text(&o));
    let up = json(&o);
    assert_eq!(up["objects_sent"], 1, "{up}");
    assert_eq!(up["objects_reused"], sizes.len() - 1, "{up}");
    let job = archive_sizes(&v2)
        .into_iter()
        .find(|(n, _)| n == "jobs/web.tgz")
        .unwrap()
        .1;
    assert_eq!(received(&s), total + job);

    let o = client(&s, t.path(), &["releases", "--json"]);
    let list = json(&o);
    let versions: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["version"].as_str().unwrap())
        .collect();
    assert_eq!(versions, ["1", "2"]);
    let o = client(&s, t.path(), &["releases"]);
    assert!(text(&o).contains("demo\t1\t"), "{}", text(&o));

    // inspect-release names each archive's object; each one downloads with its digest.
    assert_release_intact(&s, t.path(), "2");
    let o = client(&s, t.path(), &["inspect-release", "demo/2", "--tty"]);
    assert!(text(&o).contains("Compiled for"), "{}", text(&o));

    // Deleting version 1 keeps what version 2 shares and drops only v1's job.
    let o = client(&s, t.path(), &["delete-release", "demo/1", "--json"]);
    assert!(o.status.success(), "{}", text(&o));
    assert!(
        json(&o)["lines"]
            .to_string()
            .contains("1 object(s) no longer used were removed"),
        "{}",
        text(&o)
    );
    assert_eq!(check_objects(&store), sizes.len());
    let o = client(&s, t.path(), &["delete-release", "demo"]);
    assert!(o.status.success(), "{}", text(&o));
    assert_eq!(check_objects(&store), 0);
    let o = client(&s, t.path(), &["delete-release", "demo/2"]);
    assert!(!o.status.success());
    assert!(
        text(&o).contains("Release 'demo/2' does not exist"),
        "{}",
        text(&o)
    );
}

/// Downloads every job and package object of `demo/<version>` and checks it against the digest
/// inspect-release reports.
pub(super) fn assert_release_intact(s: &Running, dir: &Path, version: &str) {
    let r = json(&client(
        s,
        dir,
        &["inspect-release", &format!("demo/{version}"), "--json"],
    ));
    for a in r["packages"]
        .as_array()
        .unwrap()
        .iter()
        .chain(r["jobs"].as_array().unwrap())
    {
        let (code, body) = get(
            s,
            &format!("/{}", object_path(a["blobstore_id"].as_str().unwrap())),
        );
        assert_eq!(code, 200, "{a}");
        assert_eq!(
            format!("sha256:{}", sha256_hex(&body)),
            a["digest"].as_str().unwrap()
        );
    }
}

/// The object path of an id: `<first byte of SHA-1(id) in hex>/<id>`.
pub(super) fn object_path(id: &str) -> String {
    use sha1::Digest;
    let h = sha1::Sha1::digest(id.as_bytes());
    format!("{:02x}/{id}", h[0])
}

/// Rewrites one entry of a gzipped tarball.
pub(super) fn rewrite(src: &Path, dest: &Path, f: impl Fn(&str, Vec<u8>) -> Vec<u8>) {
    let mut a = tar::Archive::new(flate2::read::GzDecoder::new(fs::File::open(src).unwrap()));
    let gz =
        flate2::write::GzEncoder::new(fs::File::create(dest).unwrap(), flate2::Compression::fast());
    let mut b = tar::Builder::new(gz);
    for e in a.entries().unwrap() {
        let mut e = e.unwrap();
        let mut h = e.header().clone();
        let name = String::from_utf8_lossy(&e.path_bytes()).to_string();
        let mut data = Vec::new();
        e.read_to_end(&mut data).unwrap();
        let data = f(name.trim_start_matches("./"), data);
        h.set_size(data.len() as u64);
        h.set_cksum();
        b.append(&h, &data[..]).unwrap();
    }
    b.into_inner().unwrap().finish().unwrap();
}

#[test]
fn tampered_tarballs_are_rejected_with_nothing_registered() {
    let t = tempfile::tempdir().unwrap();
    let store = t.path().join("store");
    let s = start(&store, &[]);
    let good = demo(t.path(), "good", "1", |_| {});

    // A flipped byte in a package: the verifier names it, the server refuses the bytes.
    let flipped = t.path().join("flipped.tgz");
    rewrite(&good, &flipped, |name, mut d| {
        if name == "packages/nginx.tgz" {
            let i = d.len() / 2;
            d[i] ^= 0xff;
        }
        d
    });
    let o = client(&s, t.path(), &["upload-release", flipped.to_str().unwrap()]);
    assert!(!o.status.success(), "{}", text(&o));
    let out = text(&o);
    assert!(
        out.contains("failed verification, nothing was registered"),
        "{out}"
    );
    assert!(out.contains("packages/nginx.tgz"), "{out}");

    // A job whose contents changed with its digest updated to match: only the fingerprint
    // gives it away.
    let sneaky = t.path().join("sneaky.tgz");
    let job = {
        let mut a = tar::Archive::new(flate2::read::GzDecoder::new(fs::File::open(&good).unwrap()));
        let mut v = Vec::new();
        for e in a.entries().unwrap() {
            let mut e = e.unwrap();
            if e.path_bytes().ends_with(b"jobs/web.tgz") {
                e.read_to_end(&mut v).unwrap();
            }
        }
        v
    };
    let changed = edit_job_monit(&job);
    let old = format!("sha256:{}", sha256_hex(&job));
    let new = format!("sha256:{}", sha256_hex(&changed));
    rewrite(&good, &sneaky, |name, d| match name {
        "jobs/web.tgz" => changed.clone(),
        "release.MF" => String::from_utf8(d)
            .unwrap()
            .replace(&old, &new)
            .into_bytes(),
        _ => d,
    });
    let o = client(&s, t.path(), &["upload-release", sneaky.to_str().unwrap()]);
    assert!(!o.status.success(), "{}", text(&o));
    assert!(text(&o).contains("fingerprint mismatch"), "{}", text(&o));

    let o = client(&s, t.path(), &["releases", "--json"]);
    assert_eq!(json(&o), serde_json::json!([]), "nothing registered");

    // Wrong credentials: refused before anything is read or sent.
    let before = received(&s);
    let o = Command::new(bale())
        .args([
            "upload-release",
            good.to_str().unwrap(),
            "--blobstore",
            &s.url,
        ])
        .args(["--user", "ci:wrong"])
        .output()
        .unwrap();
    assert!(!o.status.success());
    assert!(text(&o).contains("refused the credentials"), "{}", text(&o));
    assert_eq!(received(&s), before);

    // The good release still goes up whole.
    let o = client(&s, t.path(), &["upload-release", good.to_str().unwrap()]);
    assert!(o.status.success(), "{}", text(&o));
    check_objects(&store);
}

#[test]
fn same_version_with_other_contents_is_a_conflict_until_fixed() {
    let t = tempfile::tempdir().unwrap();
    let store = t.path().join("store");
    let s = start(&store, &[]);
    let a = demo(t.path(), "a", "5", |_| {});
    let b = demo(t.path(), "b", "5", |r| {
        edit(&r.join("jobs/web/monit"), "# b\n")
    });
    assert!(
        client(&s, t.path(), &["upload-release", a.to_str().unwrap()])
            .status
            .success()
    );
    let o = client(&s, t.path(), &["upload-release", b.to_str().unwrap()]);
    assert!(!o.status.success());
    assert!(
        text(&o).contains("Release 'demo/5' already exists") && text(&o).contains("--fix"),
        "{}",
        text(&o)
    );
    let o = client(
        &s,
        t.path(),
        &["upload-release", b.to_str().unwrap(), "--fix", "--json"],
    );
    assert!(o.status.success(), "{}", text(&o));
    assert_eq!(json(&o)["status"], "replaced");
    // a's job is no longer named by anything: gone; the rest is b's.
    assert_eq!(check_objects(&store), archive_sizes(&b).len());
}

pub(super) fn stemcell(t: &Path, tag: &str, image: &[u8]) -> PathBuf {
    let img = t.join(format!("image-{tag}"));
    fs::write(&img, image).unwrap();
    let out = t.join(format!("stemcell-{tag}.tgz"));
    let o = run(
        t,
        &t.join("home"),
        &[
            "create-stemcell",
            out.to_str().unwrap(),
            "--image",
            img.to_str().unwrap(),
            "--name",
            "bosh-warden-boshlite-ubuntu-jammy-go_agent",
            "--version",
            "1.406",
            "--os",
            "ubuntu-jammy",
        ],
    );
    assert!(o.status.success(), "{}", text(&o));
    out
}

#[test]
fn stemcells_are_verified_stored_once_and_conflicts_are_reported() {
    let t = tempfile::tempdir().unwrap();
    let store = t.path().join("store");
    let s = start(&store, &[]);
    let one = stemcell(t.path(), "one", &[7u8; 300_000]);
    let two = stemcell(t.path(), "two", &[9u8; 300_000]);
    let o = client(
        &s,
        t.path(),
        &["upload-stemcell", one.to_str().unwrap(), "--json"],
    );
    assert!(o.status.success(), "{}", text(&o));
    assert_eq!(json(&o)["status"], "created");
    let size = fs::metadata(&one).unwrap().len();
    assert_eq!(received(&s), size);
    let o = client(&s, t.path(), &["upload-stemcell", one.to_str().unwrap()]);
    assert!(text(&o).contains("already exists."), "{}", text(&o));
    assert_eq!(received(&s), size);
    let o = client(&s, t.path(), &["upload-stemcell", two.to_str().unwrap()]);
    assert!(!o.status.success());
    assert!(text(&o).contains("with other contents"), "{}", text(&o));
    let o = client(
        &s,
        t.path(),
        &["upload-stemcell", two.to_str().unwrap(), "--fix"],
    );
    assert!(o.status.success(), "{}", text(&o));
    assert_eq!(check_objects(&store), 1, "the replaced tarball is gone");
    let o = client(&s, t.path(), &["stemcells"]);
    let listed = text(&o);
    let row = listed
        .lines()
        .find(|l| l.starts_with("bosh-warden-"))
        .unwrap_or("");
    let cells: Vec<&str> = row.split_whitespace().collect();
    assert_eq!(
        cells[..3],
        [
            "bosh-warden-boshlite-ubuntu-jammy-go_agent",
            "1.406",
            "ubuntu-jammy"
        ],
        "{listed}"
    );

    // A release is not a stemcell, and a stemcell is not a release.
    let rel = demo(t.path(), "r", "1", |_| {});
    let o = client(&s, t.path(), &["upload-stemcell", rel.to_str().unwrap()]);
    assert!(!o.status.success());
    let o = client(&s, t.path(), &["upload-release", one.to_str().unwrap()]);
    assert!(!o.status.success());

    let o = client(
        &s,
        t.path(),
        &[
            "delete-stemcell",
            "bosh-warden-boshlite-ubuntu-jammy-go_agent/1.406",
        ],
    );
    assert!(o.status.success(), "{}", text(&o));
    assert_eq!(check_objects(&store), 0);
}
