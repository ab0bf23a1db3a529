//! `compile-release` on a real release whose packaging scripts check the compile contract
//! themselves (`testdata/compile-release`): direct dependencies visible at
//! /var/vcap/packages, transitive ones not, dependencies and the host read-only, two
//! independent one-second packages running at the same time on two workers.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

use crate::support::{bale, copy_tree, testdata, text};

pub(super) const STEMCELL: &str = "ubuntu-jammy/1.406";

pub(super) struct Env {
    _tmp: tempfile::TempDir,
    pub(super) root: PathBuf,
    pub(super) home: PathBuf,
    release: PathBuf,
}

pub(super) fn env() -> Env {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().to_path_buf();
    let release = root.join("layered");
    copy_tree(&testdata().join("compile-release"), &release);
    Env {
        home: root.join("home"),
        root,
        release,
        _tmp: tmp,
    }
}

impl Env {
    /// `compile-release` of the test release on the host's root into `out.tgz`, with
    /// `extra` arguments, in the test's home (no cache setting of the caller's environment
    /// leaks in); to be run, spawned or given more environment.
    pub(super) fn command(&self, extra: &[&str]) -> Command {
        let mut c = Command::new(bale());
        c.args([
            "compile-release",
            "layered",
            "--stemcell",
            STEMCELL,
            "--host-rootfs",
            "--tarball",
            "out.tgz",
        ])
        .args(extra)
        .current_dir(&self.root)
        .env("HOME", &self.home)
        .env_remove("XDG_CACHE_HOME")
        .env_remove("BALE_COMPILE_CACHE");
        c
    }

    pub(super) fn compile(&self, extra: &[&str]) -> Output {
        self.command(extra).output().unwrap()
    }

    fn compile_json(&self, extra: &[&str]) -> Value {
        let mut args = vec!["--json"];
        args.extend_from_slice(extra);
        let o = self.compile(&args);
        assert!(o.status.success(), "{}", text(&o));
        serde_json::from_slice(&o.stdout).unwrap()
    }

    pub(super) fn edit(&self, rel: &str, contents: &str) {
        fs::write(self.release.join(rel), contents).unwrap();
    }
}

/// `name=result` of every package, in release.MF order: `app=hit base=compiled …`.
fn results(v: &Value) -> String {
    v["packages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            format!(
                "{}={}",
                p["name"].as_str().unwrap(),
                p["result"].as_str().unwrap()
            )
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// The files of one compiled package of a compiled release tarball, extracted.
pub(super) fn compiled_package(tarball: &Path, name: &str, dest: &Path) {
    fs::create_dir_all(dest).unwrap();
    let inner = dest.join("pkg.tgz");
    let st = Command::new("sh")
        .arg("-c")
        .arg(format!(
            "tar -xzOf '{}' compiled_packages/{name}.tgz > '{}' && tar -xzf '{}' -C '{}'",
            tarball.display(),
            inner.display(),
            inner.display(),
            dest.display()
        ))
        .status()
        .unwrap();
    assert!(st.success());
}

fn stamp(dir: &Path, file: &str) -> f64 {
    fs::read_to_string(dir.join(file))
        .unwrap()
        .trim()
        .parse()
        .unwrap()
}

#[test]
fn compiles_in_dependency_order_in_parallel_into_a_verified_compiled_release() {
    let e = env();
    let v = e.compile_json(&["--workers", "2"]);
    assert_eq!(v["compiled"], 4);
    assert_eq!(v["cache_hits"], 0);
    assert_eq!(v["stemcell"], STEMCELL);
    let out = e.root.join("out.tgz");

    let verify = Command::new(bale())
        .arg("verify")
        .arg(&out)
        .output()
        .unwrap();
    assert!(verify.status.success(), "{}", text(&verify));
    assert!(text(&verify).contains("(compiledrelease layered/0+dev.1): OK"));

    let inspect = Command::new("tar").arg("-tzf").arg(&out).output().unwrap();
    let names = String::from_utf8_lossy(&inspect.stdout).to_string();
    for n in [
        "release.MF",
        "jobs/server.tgz",
        "compiled_packages/app.tgz",
        "compiled_packages/base.tgz",
        "compiled_packages/lib.tgz",
        "compiled_packages/tool.tgz",
    ] {
        assert!(names.lines().any(|l| l == n), "{n} missing from\n{names}");
    }
    assert!(!names.contains("packages/app.tgz\n") || names.contains("compiled_packages/app.tgz"));
    let mf = Command::new("tar")
        .args(["-xzOf"])
        .arg(&out)
        .arg("release.MF")
        .output()
        .unwrap();
    let mf = String::from_utf8_lossy(&mf.stdout).to_string();
    assert!(mf.contains("compiled_packages:"), "{mf}");
    assert!(!mf.contains("\npackages:"), "{mf}");
    assert_eq!(
        mf.matches("stemcell: ubuntu-jammy/1.406").count(),
        4,
        "{mf}"
    );
    assert!(
        mf.contains("- name: lib\n") && mf.contains("dependencies:\n  - base"),
        "{mf}"
    );

    let x = e.root.join("x");
    compiled_package(&out, "app", &x.join("app"));
    assert_eq!(
        fs::read_link(x.join("app/bin/app-link")).unwrap(),
        Path::new("/var/vcap/packages/app/bin/app")
    );
    assert_eq!(
        fs::read_to_string(x.join("app/lib.txt")).unwrap(),
        "base layer\nlib layer\n"
    );
    compiled_package(&out, "base", &x.join("base"));
    compiled_package(&out, "tool", &x.join("tool"));
    let version = fs::read_to_string(x.join("base/version")).unwrap();
    assert!(mf.contains(&format!("version: {}", version.trim())), "{mf}");
    // base and tool each sleep a second; on two workers they overlap.
    let (b0, b1) = (
        stamp(&x.join("base"), "started"),
        stamp(&x.join("base"), "finished"),
    );
    let (t0, t1) = (
        stamp(&x.join("tool"), "started"),
        stamp(&x.join("tool"), "finished"),
    );
    assert!(
        b0 < t1 && t0 < b1,
        "base {b0}..{b1} and tool {t0}..{t1} did not overlap"
    );

    // Nothing of the host changed: the scripts' probes were refused.
    assert!(!Path::new("/usr/bale-compile-probe").exists());
    let log =
        fs::read_to_string(PathBuf::from(v["logs"].as_str().unwrap()).join("app.log")).unwrap();
    assert!(log.contains("+ touch /usr/bale-compile-probe"), "{log}");
}

#[test]
fn a_second_compile_is_served_from_the_cache_and_changes_recompile_only_what_depends_on_them() {
    let e = env();
    e.compile_json(&[]);
    let first = fs::read(e.root.join("out.tgz")).unwrap();

    let v = e.compile_json(&[]);
    assert_eq!(results(&v), "app=hit base=hit lib=hit tool=hit");
    assert_eq!(
        fs::read(e.root.join("out.tgz")).unwrap(),
        first,
        "same input, same bytes"
    );

    e.edit("src/lib/lib.txt", "lib layer, edited\n");
    let v = e.compile_json(&[]);
    assert_eq!(results(&v), "app=compiled base=hit lib=compiled tool=hit");

    // A tampered cache entry is found out, dropped and compiled again.
    let cache = e.home.join(".cache/bale/compile/packages");
    let tool_digest = v["packages"][3]["digest"].as_str().unwrap().to_string();
    let mut tampered = false;
    for f in fs::read_dir(&cache).unwrap().flatten() {
        let p = f.path();
        if p.extension().is_some_and(|x| x == "json")
            && fs::read_to_string(&p).unwrap().contains(&tool_digest)
        {
            fs::write(p.with_extension("tgz"), b"not the compiled package").unwrap();
            tampered = true;
        }
    }
    assert!(tampered);
    let o = e.compile(&["--tty"]);
    assert!(o.status.success(), "{}", text(&o));
    assert!(
        text(&o).contains("for package 'tool' is missing or does not match"),
        "{}",
        text(&o)
    );
}

#[test]
fn a_failing_package_stops_the_run_names_its_log_and_the_next_run_resumes() {
    let e = env();
    e.edit(
        "packages/tool/packaging",
        "echo 'tool: configure failed' >&2\nexit 3\n",
    );
    let o = e.compile(&["--workers", "1"]);
    assert!(!o.status.success());
    let t = text(&o);
    assert!(
        t.contains("Package 'tool': packaging script exited with 3"),
        "{t}"
    );
    assert!(t.contains("| tool: configure failed"), "{t}");
    assert!(t.contains("tool.log"), "{t}");
    assert!(
        !e.root.join("out.tgz").exists(),
        "nothing written on failure"
    );

    // --keep-going compiles every branch that does not depend on the failure.
    let o = e.compile(&["--keep-going", "--json", "--workers", "1"]);
    assert!(!o.status.success());
    let t = text(&o);
    assert!(t.contains("(1 failed, 0 not run"), "{t}");

    e.edit(
        "packages/tool/packaging",
        "cp tool/tool.txt \"$BOSH_INSTALL_TARGET\"\n",
    );
    let v = e.compile_json(&[]);
    assert_eq!(results(&v), "app=hit base=hit lib=hit tool=compiled");
}

#[test]
fn bad_packages_are_refused_with_what_to_do() {
    let e = env();
    // Writing into another package's place.
    e.edit(
        "packages/tool/packaging",
        "mkdir -p /var/vcap/packages/other && touch /var/vcap/packages/other/x\ncp tool/tool.txt \"$BOSH_INSTALL_TARGET\"\n",
    );
    let t = text(&e.compile(&[]));
    assert!(
        t.contains("wrote outside its install target: /var/vcap/packages/other"),
        "{t}"
    );
    // Writing to the host.
    e.edit(
        "packages/tool/packaging",
        "set -e\ntouch /etc/bale-probe\ncp tool/tool.txt \"$BOSH_INSTALL_TARGET\"\n",
    );
    let t = text(&e.compile(&[]));
    assert!(t.contains("tried to write to a read-only place"), "{t}");
    assert!(!Path::new("/etc/bale-probe").exists());
    // Installing nothing.
    e.edit("packages/tool/packaging", "echo nothing to do\n");
    let t = text(&e.compile(&[]));
    assert!(t.contains("installed nothing"), "{t}");
    assert!(e.compile(&["--allow-empty"]).status.success());
    // A dependency cycle.
    e.edit(
        "packages/base/spec",
        "---\nname: base\ndependencies:\n- app\nfiles:\n- base/**/*\n",
    );
    let o = e.compile(&[]);
    assert!(!o.status.success());
    assert!(text(&o).contains("cycle"), "{}", text(&o));
}

#[test]
fn ctrl_c_stops_the_compile_and_the_next_run_resumes() {
    let e = env();
    e.edit("packages/app/packaging", "sleep 60\n");
    let child = e
        .command(&[])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let log = e
        .home
        .join(".cache/bale/compile/logs/layered-0+dev.1/app.log");
    let start = std::time::Instant::now();
    while !fs::read_to_string(&log)
        .unwrap_or_default()
        .contains("sleep 60")
    {
        assert!(start.elapsed().as_secs() < 60, "app never started");
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    // SAFETY: signalling the child this test started.
    unsafe { libc::kill(child.id() as i32, libc::SIGINT) };
    let o = child.wait_with_output().unwrap();
    assert!(!o.status.success());
    let t = text(&o);
    assert!(
        t.contains("Interrupted: 3 package(s) compiled and cached"),
        "{t}"
    );
    let cache = e.home.join(".cache/bale/compile");
    let leftovers: Vec<_> = walkdir::WalkDir::new(&cache)
        .into_iter()
        .flatten()
        .filter(|f| f.file_name().to_string_lossy().starts_with(".tmp-"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
    assert_eq!(fs::read_dir(cache.join("work")).unwrap().count(), 0);

    e.edit(
        "packages/app/packaging",
        "cp app/app.sh \"$BOSH_INSTALL_TARGET\"\n",
    );
    let v = e.compile_json(&[]);
    assert_eq!(results(&v), "app=compiled base=hit lib=hit tool=hit");
}

/// Without root, the compile runs in a user namespace and gives the same bytes.
#[test]
fn a_user_without_root_compiles_the_same_bytes() {
    // SAFETY: getuid cannot fail.
    if unsafe { libc::getuid() } != 0 || Command::new("setpriv").arg("--help").output().is_err() {
        eprintln!("skipped: needs root to start a process as nobody");
        return;
    }
    let e = env();
    e.compile_json(&[]);
    let as_root = e.root.join("out.tgz");
    let shared = tempfile::Builder::new()
        .prefix("bale-nobody")
        .tempdir_in("/tmp")
        .unwrap();
    let dir = shared.path();
    copy_tree(&testdata().join("compile-release"), &dir.join("layered"));
    fs::copy(bale(), dir.join("bale")).unwrap();
    let st = Command::new("chown")
        .args(["-R", "65534:65534"])
        .arg(dir)
        .status()
        .unwrap();
    assert!(st.success());
    let o = Command::new("setpriv")
        .args(["--reuid=65534", "--regid=65534", "--clear-groups", "./bale"])
        .args([
            "compile-release",
            "layered",
            "--stemcell",
            STEMCELL,
            "--host-rootfs",
            "--tarball",
            "out.tgz",
        ])
        .current_dir(dir)
        .env("HOME", dir.join("home"))
        .env_remove("XDG_CACHE_HOME")
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", text(&o));
    let x = dir.join("x");
    for name in ["app", "lib"] {
        compiled_package(&dir.join("out.tgz"), name, &x.join("nobody").join(name));
        compiled_package(&as_root, name, &x.join("root").join(name));
        let a = fs::read(x.join("nobody").join(name).join("pkg.tgz")).unwrap();
        let b = fs::read(x.join("root").join(name).join("pkg.tgz")).unwrap();
        assert_eq!(
            a, b,
            "compiled package {name} differs between root and nobody"
        );
    }
}

/// A warden-style stemcell whose image is a tiny root file system: bash, the tools the test
/// release's scripts call, their libraries, and a marker file the host does not have.
pub(super) fn mini_stemcell(dir: &Path) -> PathBuf {
    let rootfs = dir.join("rootfs");
    for d in [
        "bin", "etc", "tmp", "root", "dev", "proc", "sys", "var/log", "var/vcap",
    ] {
        fs::create_dir_all(rootfs.join(d)).unwrap();
    }
    let mut files: Vec<PathBuf> = Vec::new();
    for tool in [
        "bash", "sleep", "cp", "cat", "touch", "mkdir", "date", "ln", "chmod",
    ] {
        let o = Command::new("sh")
            .arg("-c")
            .arg(format!("command -v {tool}"))
            .output()
            .unwrap();
        let path = PathBuf::from(String::from_utf8_lossy(&o.stdout).trim());
        fs::copy(&path, rootfs.join("bin").join(tool)).unwrap();
        files.push(path);
    }
    for f in &files {
        let o = Command::new("ldd").arg(f).output().unwrap();
        for line in String::from_utf8_lossy(&o.stdout).lines() {
            let lib = line
                .split_whitespace()
                .find(|w| w.starts_with('/'))
                .map(PathBuf::from);
            if let Some(lib) = lib {
                let dest = rootfs.join(lib.strip_prefix("/").unwrap());
                fs::create_dir_all(dest.parent().unwrap()).unwrap();
                fs::copy(&lib, &dest).unwrap();
            }
        }
    }
    fs::write(rootfs.join("etc/stemcell-marker"), "mini stemcell\n").unwrap();
    let image = dir.join("image");
    let st = Command::new("tar")
        .arg("-czf")
        .arg(&image)
        .arg("-C")
        .arg(&rootfs)
        .arg(".")
        .status()
        .unwrap();
    assert!(st.success());
    let sha1 = {
        use sha1::Digest;
        let mut h = sha1::Sha1::new();
        h.update(fs::read(&image).unwrap());
        h.finalize()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect::<String>()
    };
    fs::write(
        dir.join("stemcell.MF"),
        format!(
            "---\nname: bosh-warden-boshlite-mini\nversion: '9.1'\noperating_system: mini-os\nstemcell_formats:\n- warden-tar\napi_version: 3\nsha1: {sha1}\ncloud_properties: {{}}\n"
        ),
    )
    .unwrap();
    let tarball = dir.join("stemcell.tgz");
    let st = Command::new("tar")
        .arg("-czf")
        .arg(&tarball)
        .arg("-C")
        .arg(dir)
        .args(["stemcell.MF", "image"])
        .status()
        .unwrap();
    assert!(st.success());
    tarball
}

#[test]
fn compiles_inside_a_stemcell_root_file_system() {
    let e = env();
    let stemcell = mini_stemcell(&e.root.join("stemcell"));
    e.edit(
        "packages/tool/packaging",
        "set -e\nif [ -f /etc/stemcell-marker ]; then cp /etc/stemcell-marker \"$BOSH_INSTALL_TARGET/\"; else echo host > \"$BOSH_INSTALL_TARGET/host\"; fi\n",
    );
    let o = Command::new(bale())
        .args(["compile-release", "layered", "--stemcell-tarball"])
        .arg(&stemcell)
        .args(["--tarball", "out.tgz", "--json"])
        .current_dir(&e.root)
        .env("HOME", &e.home)
        .env_remove("XDG_CACHE_HOME")
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", text(&o));
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(
        v["stemcell"], "mini-os/9.1",
        "the slug comes from stemcell.MF"
    );
    assert_eq!(v["compiled"], 4);
    let x = e.root.join("x");
    compiled_package(&e.root.join("out.tgz"), "tool", &x);
    assert_eq!(
        fs::read_to_string(x.join("stemcell-marker")).unwrap(),
        "mini stemcell\n"
    );
    assert!(!Path::new("/etc/stemcell-marker").exists());

    // The host's build of the same release is another cache entry.
    let v = e.compile_json(&[]);
    assert_eq!(
        v["compiled"], 4,
        "host and stemcell builds never share entries"
    );

    // A stemcell/version that contradicts the tarball is refused.
    let o = Command::new(bale())
        .args([
            "compile-release",
            "layered",
            "--stemcell",
            "ubuntu-jammy/1.1",
            "--stemcell-tarball",
        ])
        .arg(&stemcell)
        .current_dir(&e.root)
        .env("HOME", &e.home)
        .output()
        .unwrap();
    assert!(text(&o).contains("does not match the stemcell tarball, which is mini-os/9.1"));
}
