//! A real distribution's root file system as the stemcell: Debian bookworm (minbase, plus gcc
//! and libc6-dev) built by `debootstrap` from the Debian mirror this machine's apt already
//! uses, packed by `bale create-stemcell --rootfs`, and a C package compiled inside it by the
//! stemcell's own gcc. The root is built once and kept in `~/.cache/bale-test/` (a few
//! minutes the first time). Skipped, saying why, where debootstrap cannot run (not root, not
//! installed, no Debian mirror, a failed download); with `BALE_REQUIRE_DEBOOTSTRAP=1` that is a
//! failure instead, for machines that must run it.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use serde_json::Value;

use crate::support::{bale, text};

const SUITE: &str = "bookworm";
const INCLUDE: &str = "gcc,libc6-dev";
/// Only in the stemcell's root: proof that a packaging script ran there.
const MARKER: &str = "etc/bale-test-stemcell";
/// Bumped whenever the root is built differently, so a cached root of another recipe is not
/// reused.
const RECIPE: u32 = 2;
/// Left out of the root: the sandbox gives each packaging script its own `/dev`; the
/// downloaded `.deb`s, package lists, documentation and translations only make the stemcell
/// slower to pack and unpack (130 MB and 66 MB of the 460 MB).
const TRIM: &[&str] = &[
    "dev",
    "var/cache/apt/archives",
    "var/lib/apt/lists",
    "usr/share/doc",
    "usr/share/man",
    "usr/share/info",
    "usr/share/locale",
];

/// `(uri, suites, signed_by)` of every `deb` source in apt's one-line and deb822 files.
fn apt_sources() -> Vec<(String, Vec<String>, String)> {
    let mut out = Vec::new();
    let mut files = vec![PathBuf::from("/etc/apt/sources.list")];
    if let Ok(rd) = fs::read_dir("/etc/apt/sources.list.d") {
        let mut more: Vec<PathBuf> = rd.flatten().map(|e| e.path()).collect();
        more.sort();
        files.extend(more);
    }
    for f in files {
        let Ok(text) = fs::read_to_string(&f) else {
            continue;
        };
        let name = f.to_string_lossy();
        if name.ends_with(".sources") {
            for stanza in text.split("\n\n") {
                let field = |k: &str| {
                    stanza
                        .lines()
                        .find_map(|l| l.strip_prefix(k)?.strip_prefix(':'))
                        .map(|v| v.trim().to_string())
                        .unwrap_or_default()
                };
                if !field("Types").split_whitespace().any(|t| t == "deb")
                    || field("Enabled") == "no"
                {
                    continue;
                }
                let suites: Vec<String> = field("Suites")
                    .split_whitespace()
                    .map(String::from)
                    .collect();
                for uri in field("URIs").split_whitespace() {
                    out.push((uri.to_string(), suites.clone(), field("Signed-By")));
                }
            }
        } else if name.ends_with(".list") {
            for line in text.lines() {
                let mut words = line.split_whitespace().peekable();
                if words.next() != Some("deb") {
                    continue;
                }
                if words.peek().is_some_and(|w| w.starts_with('[')) {
                    for w in words.by_ref() {
                        if w.ends_with(']') {
                            break;
                        }
                    }
                }
                if let (Some(uri), Some(suite)) = (words.next(), words.next()) {
                    out.push((uri.to_string(), vec![suite.to_string()], String::new()));
                }
            }
        }
    }
    out
}

/// The Debian archive among apt's sources: a main suite (no `-updates`, `-security`), from a
/// Debian keyring or a `/debian` path.
fn debian_mirror() -> Option<String> {
    apt_sources()
        .into_iter()
        .find(|(uri, suites, signed_by)| {
            let debian = signed_by.contains("debian-archive")
                || uri.trim_end_matches('/').ends_with("/debian");
            debian
                && !uri.contains("security")
                && suites.iter().any(|s| !s.contains('-') && !s.contains('/'))
        })
        .map(|(uri, _, _)| uri)
}

fn debootstrap() -> Option<PathBuf> {
    [
        "/usr/sbin/debootstrap",
        "/sbin/debootstrap",
        "/usr/bin/debootstrap",
    ]
    .iter()
    .map(PathBuf::from)
    .find(|p| p.is_file())
}

/// The cached root, built now if missing; `Err` says why it cannot be built here.
fn bookworm_root() -> Result<PathBuf, String> {
    // SAFETY: geteuid has no preconditions.
    if unsafe { libc::geteuid() } != 0 {
        return Err("debootstrap needs root (it creates device nodes and chroots)".into());
    }
    let tool = debootstrap().ok_or("debootstrap is not installed (apt-get install debootstrap)")?;
    let home = std::env::var_os("HOME").ok_or("HOME is not set")?;
    let key = format!(
        "debian-{SUITE}-minbase-{}-{}-r{RECIPE}",
        INCLUDE.replace(',', "+"),
        std::env::consts::ARCH
    );
    let cache = Path::new(&home).join(".cache/bale-test");
    let root = cache.join(&key);
    if root.join(MARKER).is_file() {
        return Ok(root);
    }
    let mirror = debian_mirror().ok_or(
        "no Debian archive among this machine's apt sources (/etc/apt/sources.list, /etc/apt/sources.list.d/)",
    )?;
    fs::create_dir_all(&cache).unwrap();
    let tmp = cache.join(format!(".{key}.{}", std::process::id()));
    let _ = fs::remove_dir_all(&tmp);
    let t = Instant::now();
    let o = Command::new(&tool)
        .args(["--variant=minbase", &format!("--include={INCLUDE}"), SUITE])
        .arg(&tmp)
        .arg(&mirror)
        .output()
        .unwrap();
    assert!(
        o.status.success(),
        "debootstrap {SUITE} from {mirror} failed: {}",
        text(&o)
    );
    for d in TRIM {
        let _ = fs::remove_dir_all(tmp.join(d));
        fs::create_dir_all(tmp.join(d)).unwrap();
    }
    fs::write(
        tmp.join(MARKER),
        format!(
            "debootstrap {SUITE} minbase +{INCLUDE}, {}\n",
            uuid::Uuid::new_v4()
        ),
    )
    .unwrap();
    fs::rename(&tmp, &root).unwrap();
    eprintln!(
        "debootstrap {SUITE} (minbase, {INCLUDE}) from {mirror}: {:.1} s, cached in {}",
        t.elapsed().as_secs_f64(),
        root.display()
    );
    Ok(root)
}

#[test]
fn a_c_package_is_compiled_by_the_gcc_of_a_debootstrapped_debian_stemcell() {
    let root = match bookworm_root() {
        Ok(r) => r,
        Err(why) => {
            assert!(
                std::env::var_os("BALE_REQUIRE_DEBOOTSTRAP").is_none(),
                "BALE_REQUIRE_DEBOOTSTRAP is set, but: {why}"
            );
            eprintln!("SKIPPED a_c_package_is_compiled_by_the_gcc_of_a_debootstrapped_debian_stemcell: {why}");
            return;
        }
    };
    let marker = fs::read_to_string(root.join(MARKER)).unwrap();
    assert!(!Path::new("/").join(MARKER).exists());

    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let t = Instant::now();
    let stemcell = dir.join("debian-stemcell.tgz");
    let o = Command::new(bale())
        .args(["create-stemcell", "--rootfs"])
        .arg(&root)
        .args(["--name", "bosh-warden-boshlite-debian-bookworm-go_agent"])
        .args(["--version", "12.0", "--os", "debian-bookworm"])
        .args(["--api-version", "3", "--cloud-properties", "{}"])
        .arg(&stemcell)
        .current_dir(dir)
        .env("HOME", dir.join("home"))
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", text(&o));
    let packed = t.elapsed().as_secs_f64();

    let release = dir.join("c-release");
    for d in ["config", "packages/hello", "src/hello"] {
        fs::create_dir_all(release.join(d)).unwrap();
    }
    fs::write(
        release.join("config/final.yml"),
        "---\nname: c-release\nblobstore:\n  provider: local\n  options:\n    blobstore_path: /tmp/c-release-blobs\n",
    )
    .unwrap();
    fs::write(release.join("config/blobs.yml"), "--- {}\n").unwrap();
    fs::write(
        release.join("src/hello/hello.c"),
        "#include <stdio.h>\n#include <gnu/libc-version.h>\nint main(void) {\n  printf(\"hello, built by gcc %s against glibc %s\\n\", __VERSION__, gnu_get_libc_version());\n  return 0;\n}\n",
    )
    .unwrap();
    fs::write(
        release.join("packages/hello/spec"),
        "---\nname: hello\ndependencies: []\nfiles:\n- hello/**/*\n",
    )
    .unwrap();
    // Every line fails the compile unless it runs in the stemcell's root with its gcc.
    fs::write(
        release.join("packages/hello/packaging"),
        format!(
            "set -e\ncp /{MARKER} \"$BOSH_INSTALL_TARGET/built-in\"\ncommand -v gcc > \"$BOSH_INSTALL_TARGET/gcc-path\"\ndpkg-query -W -f '${{Package}} ${{Version}}\\n' gcc-12 libc6 > \"$BOSH_INSTALL_TARGET/packages\"\ngcc -O2 -o \"$BOSH_INSTALL_TARGET/bin-hello\" hello/hello.c\n\"$BOSH_INSTALL_TARGET/bin-hello\" > \"$BOSH_INSTALL_TARGET/ran-inside\"\n"
        ),
    )
    .unwrap();

    let t = Instant::now();
    let o = Command::new(bale())
        .args(["compile-release"])
        .arg(&release)
        .arg("--stemcell-tarball")
        .arg(&stemcell)
        .args(["--tarball", "out.tgz", "--json"])
        .current_dir(dir)
        .env("HOME", dir.join("home"))
        .env_remove("XDG_CACHE_HOME")
        .env_remove("BALE_COMPILE_CACHE")
        .output()
        .unwrap();
    let compiled = t.elapsed().as_secs_f64();
    assert!(o.status.success(), "{}", text(&o));
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["stemcell"], "debian-bookworm/12.0");
    assert!(v["host_rootfs"].is_null(), "{v}");

    let x = dir.join("x");
    crate::compile::compiled_package(&dir.join("out.tgz"), "hello", &x);
    assert_eq!(fs::read_to_string(x.join("built-in")).unwrap(), marker);
    assert_eq!(
        fs::read_to_string(x.join("gcc-path")).unwrap(),
        "/usr/bin/gcc\n"
    );
    let pkgs = fs::read_to_string(x.join("packages")).unwrap();
    assert!(
        pkgs.starts_with("gcc-12 12.") && pkgs.contains("\nlibc6 2.36"),
        "{pkgs}"
    );
    let ran = fs::read_to_string(x.join("ran-inside")).unwrap();
    assert!(
        ran.starts_with("hello, built by gcc 12.") && ran.contains("glibc 2.36"),
        "{ran}"
    );
    eprintln!(
        "debian stemcell: create-stemcell --rootfs {packed:.1} s, compile-release (unpack + gcc) {compiled:.1} s; {}",
        ran.trim()
    );
}
