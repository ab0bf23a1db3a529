//! `compile-release --cooperate`: three bale processes (three "machines", each with its own
//! local cache) share one S3 bucket (s3s-fs, in the test process) and split a DAG of sleeping
//! packages: each package compiled by exactly one of them, every one ending with the whole
//! compiled release, byte for byte what a single machine writes; a process killed while
//! compiling loses its package to another once its lease expires.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::support::{bale, text};

const STEMCELL: &str = "ubuntu-jammy/1.406";

/// Writes a release directory of packages `(name, sleep seconds, dependencies)` whose
/// packaging scripts sleep and install a marker, and builds its tarball.
fn dag_release(root: &Path, packages: &[(&str, f64, &[&str])]) -> PathBuf {
    let dir = root.join("dag");
    fs::create_dir_all(dir.join("config")).unwrap();
    fs::write(
        dir.join("config/final.yml"),
        "---\nname: dag\nblobstore:\n  provider: local\n  options:\n    blobstore_path: /tmp/dag-blobs\n",
    )
    .unwrap();
    fs::write(dir.join("config/blobs.yml"), "--- {}\n").unwrap();
    for (name, sleep, deps) in packages {
        fs::create_dir_all(dir.join("packages").join(name)).unwrap();
        fs::create_dir_all(dir.join("src").join(name)).unwrap();
        fs::write(
            dir.join("src").join(name).join("marker"),
            format!("{name}\n"),
        )
        .unwrap();
        let deps: String = deps.iter().map(|d| format!("- {d}\n")).collect();
        let deps = if deps.is_empty() {
            " []\n".into()
        } else {
            format!("\n{deps}")
        };
        fs::write(
            dir.join("packages").join(name).join("spec"),
            format!("---\nname: {name}\ndependencies:{deps}files:\n- {name}/**/*\n"),
        )
        .unwrap();
        fs::write(
            dir.join("packages").join(name).join("packaging"),
            format!("set -e\nsleep {sleep}\ncp {name}/marker \"$BOSH_INSTALL_TARGET/\"\n"),
        )
        .unwrap();
    }
    let tarball = root.join("dag.tgz");
    let o = Command::new(bale())
        .args(["create-release", "--tarball"])
        .arg(&tarball)
        .current_dir(&dir)
        .env("HOME", root.join("home"))
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", text(&o));
    tarball
}

struct Machines {
    root: PathBuf,
    port: u16,
    release: PathBuf,
}

impl Machines {
    /// `compile-release --cooperate` as machine `name` (its own cache dir and output).
    fn command(&self, name: &str, extra: &[&str]) -> Command {
        let mut c = Command::new(bale());
        c.arg("compile-release")
            .arg(&self.release)
            .args(["--stemcell", STEMCELL, "--host-rootfs", "--json"])
            .args(["--cache", "s3://compiled/ci", "--cooperate"])
            .arg("--cache-dir")
            .arg(self.root.join(name))
            .arg("--tarball")
            .arg(self.root.join(format!("{name}.tgz")))
            .args(extra)
            .current_dir(&self.root)
            .env("HOME", self.root.join("home"))
            .env_remove("XDG_CACHE_HOME")
            .env_remove("BALE_COMPILE_CACHE")
            .env_remove("BALE_COMPILE_CACHE_URL")
            .env("AWS_ACCESS_KEY_ID", "AKBALE")
            .env("AWS_SECRET_ACCESS_KEY", "SKBALE")
            .env(
                "AWS_ENDPOINT_URL",
                format!("http://127.0.0.1:{}", self.port),
            )
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        c
    }

    fn spawn(&self, name: &str, extra: &[&str]) -> Child {
        self.command(name, extra).spawn().unwrap()
    }

    fn objects(&self, ext: &str) -> Vec<PathBuf> {
        walkdir::WalkDir::new(self.root.join("s3/compiled/ci"))
            .into_iter()
            .flatten()
            .map(|e| e.path().to_path_buf())
            .filter(|p| p.extension().is_some_and(|e| e == ext))
            .collect()
    }
}

fn json(o: &Output) -> Value {
    assert!(o.status.success(), "{}", text(o));
    serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("{e}: {}", text(o)))
}

fn result_of<'a>(v: &'a Value, package: &str) -> &'a str {
    v["packages"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == package)
        .and_then(|p| p["result"].as_str())
        .unwrap()
}

fn setup(
    packages: &[(&str, f64, &[&str])],
) -> (tempfile::TempDir, crate::blobs::S3Server, Machines) {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().to_path_buf();
    let release = dag_release(&root, packages);
    let server = crate::blobs::s3_server(&root.join("s3"));
    fs::create_dir_all(root.join("s3/compiled")).unwrap();
    let port = server.port;
    (
        tmp,
        server,
        Machines {
            root,
            port,
            release,
        },
    )
}

/// Two chains and some leaves: enough parallel work for three machines of two workers.
const DAG: &[(&str, f64, &[&str])] = &[
    ("base", 0.6, &[]),
    ("runtime", 1.2, &["base"]),
    ("app", 0.8, &["runtime"]),
    ("db", 1.0, &[]),
    ("db-tools", 0.6, &["db"]),
    ("web", 0.5, &["app", "db-tools"]),
    ("leaf-a", 0.4, &[]),
    ("leaf-b", 0.4, &[]),
    ("leaf-c", 0.5, &["base"]),
    ("leaf-d", 0.3, &[]),
    ("leaf-e", 0.7, &[]),
    ("leaf-f", 0.4, &["db"]),
];

#[test]
fn three_machines_compile_each_package_once_and_each_ends_with_the_same_release() {
    let (_tmp, _server, m) = setup(DAG);

    // The reference: one machine, no shared cache.
    let single = Command::new(bale())
        .arg("compile-release")
        .arg(&m.release)
        .args(["--stemcell", STEMCELL, "--host-rootfs", "--workers", "2"])
        .arg("--cache-dir")
        .arg(m.root.join("single"))
        .arg("--tarball")
        .arg(m.root.join("single.tgz"))
        .current_dir(&m.root)
        .env("HOME", m.root.join("home"))
        .output()
        .unwrap();
    assert!(single.status.success(), "{}", text(&single));

    let children: Vec<Child> = ["m1", "m2", "m3"]
        .iter()
        .map(|n| m.spawn(n, &["--workers", "2"]))
        .collect();
    let outs: Vec<Value> = children
        .into_iter()
        .map(|c| json(&c.wait_with_output().unwrap()))
        .collect();

    for (name, _, _) in DAG {
        let results: Vec<&str> = outs.iter().map(|v| result_of(v, name)).collect();
        assert_eq!(
            results.iter().filter(|r| **r == "compiled").count(),
            1,
            "{name} compiled by exactly one machine: {results:?}"
        );
        assert!(
            results
                .iter()
                .all(|r| *r == "compiled" || *r == "cooperated"),
            "the others downloaded it: {results:?}"
        );
    }
    let compiled: Vec<u64> = outs
        .iter()
        .map(|v| v["compiled"].as_u64().unwrap())
        .collect();
    assert_eq!(compiled.iter().sum::<u64>(), DAG.len() as u64);
    assert!(
        compiled.iter().filter(|c| **c > 0).count() >= 2,
        "the work was split: {compiled:?}"
    );
    // A cooperated package names the process that compiled it.
    let owners: Vec<&str> = outs.iter().map(|v| v["owner"].as_str().unwrap()).collect();
    for v in &outs {
        for p in v["packages"].as_array().unwrap() {
            let by = p["compiled_by"].as_str().unwrap();
            assert!(owners.contains(&by), "{by} is one of {owners:?}");
            assert_eq!(p["result"] == "compiled", by == v["owner"]);
        }
    }

    let reference = fs::read(m.root.join("single.tgz")).unwrap();
    for n in ["m1", "m2", "m3"] {
        assert!(
            fs::read(m.root.join(format!("{n}.tgz"))).unwrap() == reference,
            "{n}'s compiled release is byte-identical to the single machine's"
        );
    }
    assert_eq!(m.objects("tgz").len(), DAG.len());
    assert_eq!(m.objects("json").len(), DAG.len());
    assert!(m.objects("lease").is_empty(), "every lease was released");

    // A fourth machine later finds everything in the bucket: hits, not cooperation.
    let late = json(&m.command("m4", &[]).output().unwrap());
    assert_eq!(late["cache_hits"], DAG.len());
    assert_eq!(late["cooperated"], 0);
}

#[test]
fn a_machine_killed_while_compiling_loses_its_package_to_another_after_the_lease_expires() {
    let (_tmp, _server, m) = setup(&[
        ("slow", 3.0, &[]),
        ("after", 0.2, &["slow"]),
        ("other", 0.2, &[]),
    ]);
    let lease = ["--lease-seconds", "2", "--workers", "1"];
    let mut doomed = m.spawn("doomed", &lease);
    // The slow package is the critical path: the doomed machine takes it first.
    let t = Instant::now();
    while m.objects("lease").is_empty() {
        assert!(t.elapsed() < Duration::from_secs(60), "no lease taken");
        std::thread::sleep(Duration::from_millis(20));
    }
    let survivor = m.spawn("survivor", &lease);
    std::thread::sleep(Duration::from_millis(500));
    doomed.kill().unwrap();
    let killed_at = Instant::now();
    let _ = doomed.wait();

    let o = survivor.wait_with_output().unwrap();
    let took = killed_at.elapsed();
    let v = json(&o);
    let slow = v["packages"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == "slow")
        .unwrap();
    let from = slow["took_over_from"]
        .as_str()
        .unwrap_or_else(|| panic!("{v}"));
    assert!(
        from.contains(&format!(" pid {} (", doomed.id())),
        "the lease named the killed process: {from}"
    );
    assert_eq!(result_of(&v, "slow"), "compiled");
    assert_eq!(result_of(&v, "after"), "compiled");
    assert!(
        took >= Duration::from_secs(3),
        "taken over only after the lease expired, then compiled for 3 s: {took:?}"
    );
    assert!(m.objects("lease").is_empty(), "{:?}", m.objects("lease"));
    let check = Command::new(bale())
        .arg("verify")
        .arg(m.root.join("survivor.tgz"))
        .output()
        .unwrap();
    assert!(check.status.success(), "{}", text(&check));
}

#[test]
fn cooperation_needs_a_writable_shared_cache() {
    let (_tmp, _server, m) = setup(&[("only", 0.0, &[])]);
    let o = m.command("ro", &["--cache-read-only"]).output().unwrap();
    assert!(!o.status.success());
    assert!(
        text(&o).contains(
            "--cooperate splits the packages with other machines through the shared cache"
        ),
        "{}",
        text(&o)
    );
    let o = Command::new(bale())
        .args(["compile-release", "x.tgz", "--cooperate", "--host-rootfs"])
        .args(["--stemcell", STEMCELL])
        .current_dir(&m.root)
        .env_remove("BALE_COMPILE_CACHE_URL")
        .output()
        .unwrap();
    assert!(!o.status.success());
    assert!(text(&o).contains("--cache"), "{}", text(&o));
}
