//! Helpers shared by the end-to-end tests: the binary, temp release dirs, masks for the
//! parts of CLI output that are random by design.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub fn bale() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_bale"))
}

pub fn testdata() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata")
}

/// Copies a tree keeping symlinks and modes.
pub fn copy_tree(from: &Path, to: &Path) {
    let st = Command::new("cp")
        .arg("-a")
        .arg(from)
        .arg(to)
        .status()
        .unwrap();
    assert!(st.success(), "cp -a {} {}", from.display(), to.display());
}

/// Runs bale with `HOME` pointing at `home` (so caches are private to the test).
pub fn run(dir: &Path, home: &Path, args: &[&str]) -> Output {
    Command::new(bale())
        .args(args)
        .current_dir(dir)
        .env("HOME", home)
        .env_remove("XDG_CACHE_HOME")
        .output()
        .unwrap()
}

pub fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

/// A release dir made from a golden case's inputs, committed to git with the fixtures'
/// fixed author and date, as `regen.sh` sets it up.
pub fn release_from_inputs(case: &str, root: &Path) -> PathBuf {
    let r = root.join("release");
    copy_tree(&testdata().join("golden").join(case).join("inputs"), &r);
    if r.join("dot-gitignore").exists() {
        std::fs::rename(r.join("dot-gitignore"), r.join(".gitignore")).unwrap();
    }
    let _ = std::fs::remove_dir_all(r.join("blob-sources"));
    git(&r, &["init", "-q", "-b", "main", "."]);
    git(&r, &["add", "-A"]);
    git(&r, &["commit", "-q", "-m", "fixture inputs"]);
    r
}

pub fn git(dir: &Path, args: &[&str]) {
    let st = Command::new("git")
        .args(args)
        .current_dir(dir)
        .env("GIT_AUTHOR_NAME", "Fixture Author")
        .env("GIT_AUTHOR_EMAIL", "fixture@example.com")
        .env("GIT_COMMITTER_NAME", "Fixture Author")
        .env("GIT_COMMITTER_EMAIL", "fixture@example.com")
        .env("GIT_AUTHOR_DATE", "2024-01-01T00:00:00Z")
        .env("GIT_COMMITTER_DATE", "2024-01-01T00:00:00Z")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .status()
        .unwrap();
    assert!(st.success(), "git {args:?}");
}

/// add-blob of the two blobs of the `blob-deps` case, as its fixture steps 01 and 02 do.
pub fn add_fixture_blobs(release: &Path, home: &Path) {
    let src = testdata().join("golden/blob-deps/inputs/blob-sources");
    for (from, to) in [
        ("runtime-1.0.tar.gz", "runtime/runtime-1.0.tar.gz"),
        ("shared.txt", "runtime/shared.txt"),
    ] {
        let o = run(
            release,
            home,
            &["add-blob", src.join(from).to_str().unwrap(), to],
        );
        assert!(o.status.success(), "{}", text(&o));
    }
}

/// A job archive with `# sneaky` appended to its monit file: same layout, other contents, so
/// only its fingerprint can tell.
pub fn edit_job_monit(job: &[u8]) -> Vec<u8> {
    use std::io::Read;
    let mut out = Vec::new();
    let mut a = tar::Archive::new(flate2::read::GzDecoder::new(job));
    let gz = flate2::write::GzEncoder::new(&mut out, flate2::Compression::fast());
    let mut b = tar::Builder::new(gz);
    for e in a.entries().unwrap() {
        let mut e = e.unwrap();
        let mut h = e.header().clone();
        let mut data = Vec::new();
        e.read_to_end(&mut data).unwrap();
        if e.path_bytes().ends_with(b"monit") {
            data.extend_from_slice(b"  # sneaky\n");
            h.set_size(data.len() as u64);
            h.set_cksum();
        }
        b.append(&h, &data[..]).unwrap();
    }
    b.into_inner().unwrap().finish().unwrap();
    out
}

/// A compiled package archive holding one executable, `./bin/app`, as export-release writes
/// them.
pub fn compiled_package() -> Vec<u8> {
    let mut inner = Vec::new();
    let gz = flate2::write::GzEncoder::new(&mut inner, flate2::Compression::fast());
    let mut b = tar::Builder::new(gz);
    let mut h = tar::Header::new_gnu();
    h.set_path("./bin/app").unwrap();
    h.set_size(3);
    h.set_mode(0o755);
    h.set_cksum();
    b.append(&h, &b"app"[..]).unwrap();
    b.into_inner().unwrap().finish().unwrap();
    inner
}

/// The rows of the table named `content` in a `--json` envelope (every cell a string).
pub fn rows(envelope: &serde_json::Value, content: &str) -> Vec<serde_json::Value> {
    envelope["Tables"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|t| t["Content"] == content)
        .and_then(|t| t["Rows"].as_array().cloned())
        .unwrap_or_else(|| panic!("no table '{content}' in {envelope}"))
}

/// The `Lines` of a `--json` envelope.
pub fn lines(envelope: &serde_json::Value) -> Vec<String> {
    envelope["Lines"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|l| l.as_str().map(str::to_string))
        .collect()
}
