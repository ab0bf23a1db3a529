//! compile-release's sandbox, tried as an attacker would: one test per attack a packaging
//! script made on the host root, each asserting the safe outcome and that nothing of the
//! host outside the test's scratch area changed.

use std::fs;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use super::compile::{compiled_package, env, mini_stemcell, Env};
use super::support::{bale, text};

/// A marker no other process on the machine has in its command line.
fn marker(what: &str) -> String {
    format!("bale-sandbox-{what}-{}-{}", std::process::id(), uuid_ish())
}

fn uuid_ish() -> u128 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos()
}

/// Host processes whose command line holds `marker`.
fn processes_with(marker: &str) -> Vec<String> {
    let mut found = Vec::new();
    for e in fs::read_dir("/proc").unwrap().flatten() {
        let name = e.file_name().to_string_lossy().to_string();
        if !name.bytes().all(|b| b.is_ascii_digit()) {
            continue;
        }
        let cmd = fs::read(e.path().join("cmdline")).unwrap_or_default();
        if String::from_utf8_lossy(&cmd).contains(marker) {
            found.push(format!("{name}: {}", String::from_utf8_lossy(&cmd)));
        }
    }
    found
}

/// Asserts no host process holds `marker`; kills any that does, so a failure leaves none.
fn assert_none_left(marker: &str, what: &str) {
    let left = processes_with(marker);
    for p in &left {
        if let Some(pid) = p.split(':').next().and_then(|p| p.parse::<i32>().ok()) {
            // SAFETY: a process this test's compile started.
            unsafe { libc::kill(pid, libc::SIGKILL) };
        }
    }
    assert!(left.is_empty(), "{what}: {left:?}");
}

/// Makes `tool`'s packaging script `script` (then it installs its file as usual), compiles
/// with `extra` flags, and returns the output and tool's compiled files.
fn attack(e: &Env, script: &str, extra: &[&str]) -> (std::process::Output, PathBuf) {
    e.edit(
        "packages/tool/packaging",
        &format!("{script}\ncp tool/tool.txt \"$BOSH_INSTALL_TARGET\"\n"),
    );
    let o = e.compile(extra);
    let x = e.root.join(format!("x-{}", uuid_ish()));
    if o.status.success() {
        compiled_package(&e.root.join("out.tgz"), "tool", &x);
    }
    (o, x)
}

fn read(dir: &Path, f: &str) -> String {
    fs::read_to_string(dir.join(f)).unwrap_or_else(|e| panic!("{f}: {e}"))
}

#[test]
fn a_script_cannot_kill_a_host_process() {
    let e = env();
    let mut victim = Command::new("sleep").arg("300").spawn().unwrap();
    let (o, x) = attack(
        &e,
        &format!(
            "kill -9 {} 2>/dev/null && echo killed > $BOSH_INSTALL_TARGET/kill || echo refused > $BOSH_INSTALL_TARGET/kill\nls /proc | grep -c '^[0-9]' > $BOSH_INSTALL_TARGET/procs",
            victim.id()
        ),
        &[],
    );
    assert!(o.status.success(), "{}", text(&o));
    let alive = victim.try_wait().unwrap().is_none();
    let _ = victim.kill();
    let _ = victim.wait();
    assert!(alive, "the host process was killed");
    assert_eq!(read(&x, "kill"), "refused\n");
    let procs: usize = read(&x, "procs").trim().parse().unwrap();
    assert!(
        procs < 10,
        "/proc shows the namespace's few processes, not the host's: {procs}"
    );
}

#[test]
fn a_setsid_daemon_dies_with_its_package() {
    let e = env();
    let m = marker("daemon");
    let (o, _) = attack(
        &e,
        &format!("setsid sh -c 'while :; do sleep 1; done # {m}' </dev/null >/dev/null 2>&1 &\nsleep 0.5"),
        &[],
    );
    assert!(o.status.success(), "{}", text(&o));
    assert_none_left(&m, "the daemon outlived bale");
}

#[test]
fn ctrl_c_kills_a_child_that_ignores_sigterm() {
    let e = env();
    let m = marker("stubborn");
    e.edit(
        "packages/tool/packaging",
        &format!(
            "setsid sh -c 'trap \"\" TERM INT HUP; while :; do sleep 1; done # {m}' </dev/null >/dev/null 2>&1 &\ntrap '' TERM INT\necho started-{m}\nsleep 60\n"
        ),
    );
    let child = e
        .command(&["--workers", "1"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let log = e
        .home
        .join(".cache/bale/compile/logs/layered-0+dev.1/tool.log");
    let start = Instant::now();
    while !fs::read_to_string(&log)
        .unwrap_or_default()
        .contains(&format!("\nstarted-{m}"))
        || processes_with(&m).is_empty()
    {
        assert!(start.elapsed().as_secs() < 60, "tool never started");
        std::thread::sleep(Duration::from_millis(50));
    }
    // SAFETY: signalling the child this test started.
    unsafe { libc::kill(child.id() as i32, libc::SIGINT) };
    let stopped = Instant::now();
    let o = child.wait_with_output().unwrap();
    let took = stopped.elapsed();
    assert_none_left(&m, "the child outlived Ctrl-C");
    assert!(!o.status.success());
    assert!(text(&o).contains("Interrupted"), "{}", text(&o));
    assert!(took < Duration::from_secs(15), "bale took {took:?} to stop");
}

#[test]
fn a_script_cannot_reach_the_hosts_loopback_unless_network_is_given() {
    let e = env();
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    listener.set_nonblocking(true).unwrap();
    let port = listener.local_addr().unwrap().port();
    let probe = format!(
        "if exec 3<>/dev/tcp/127.0.0.1/{port}; then echo connected > $BOSH_INSTALL_TARGET/net; else echo refused > $BOSH_INSTALL_TARGET/net; fi\nexec 3>&-"
    );
    let (o, x) = attack(&e, &probe, &[]);
    assert!(o.status.success(), "{}", text(&o));
    assert_eq!(read(&x, "net"), "refused\n");
    assert!(
        listener.accept().is_err(),
        "the host's listener saw a connection"
    );
    // Its own loopback works.
    let (o, x) = attack(
        &e,
        "python3 -c 'import socket; s=socket.socket(); s.bind((\"127.0.0.1\", 0)); s.listen(); c=socket.create_connection(s.getsockname()); print(\"up\")' > $BOSH_INSTALL_TARGET/lo 2>&1 || echo down > $BOSH_INSTALL_TARGET/lo",
        &[],
    );
    assert!(o.status.success(), "{}", text(&o));
    let lo = read(&x, "lo");
    assert!(lo == "up\n" || lo.contains("python3"), "loopback: {lo}");

    // Another script, so another package than the cached one above.
    let (o, x) = attack(&e, &format!("{probe}\n# with --network"), &["--network"]);
    assert!(o.status.success(), "{}", text(&o));
    assert_eq!(
        read(&x, "net"),
        "connected\n",
        "--network shares the host's"
    );
}

#[test]
fn dev_shm_is_private() {
    let e = env();
    let m = marker("shm");
    let (o, x) = attack(
        &e,
        &format!("echo left > /dev/shm/{m} && ls /dev/shm > $BOSH_INSTALL_TARGET/shm"),
        &[],
    );
    let host = Path::new("/dev/shm").join(&m);
    let leaked = host.exists();
    let _ = fs::remove_file(&host);
    assert!(!leaked, "left in the host's /dev/shm");
    assert!(o.status.success(), "{}", text(&o));
    assert_eq!(read(&x, "shm"), format!("{m}\n"), "its own /dev/shm works");
}

#[test]
fn host_secrets_are_not_readable_and_sys_is_read_only() {
    let e = env();
    let (o, x) = attack(
        &e,
        "cat /etc/shadow > $BOSH_INSTALL_TARGET/shadow 2>&1 || true\n\
         cat /etc/gshadow > $BOSH_INSTALL_TARGET/gshadow 2>&1 || true\n\
         ls -A /root /home /var/lib /run > $BOSH_INSTALL_TARGET/dirs 2>&1 || true\n\
         ls /dev > $BOSH_INSTALL_TARGET/dev\n\
         grep -E ' /sys | /proc ' /proc/self/mounts > $BOSH_INSTALL_TARGET/mounts\n\
         echo x > /dev/null",
        &[],
    );
    assert!(o.status.success(), "{}", text(&o));
    if Path::new("/etc/shadow").is_file() {
        assert_eq!(read(&x, "shadow"), "", "the host's /etc/shadow was read");
    }
    assert_eq!(read(&x, "gshadow").len(), 0);
    let dirs = read(&x, "dirs");
    for l in dirs.lines() {
        assert!(l.is_empty() || l.ends_with(':'), "not empty: {l}\n{dirs}");
    }
    let dev = read(&x, "dev");
    assert!(dev.contains("null") && dev.contains("shm"), "{dev}");
    assert!(
        !dev.lines()
            .any(|d| d.starts_with("sd") || d.starts_with("nvme") || d == "mem"),
        "host devices visible: {dev}"
    );
    for l in read(&x, "mounts").lines() {
        let opts = l.split_whitespace().nth(3).unwrap();
        assert!(opts.split(',').any(|o| o == "ro"), "not read-only: {l}");
    }
}

#[test]
fn with_a_stemcell_only_its_root_is_visible() {
    let e = env();
    let stemcell = mini_stemcell(&e.root.join("stemcell"));
    e.edit(
        "packages/tool/packaging",
        "set -e\nfor f in /*; do echo \"$f\"; done > \"$BOSH_INSTALL_TARGET/top\"\nif [ -e /etc/shadow ]; then echo yes; else echo no; fi > \"$BOSH_INSTALL_TARGET/shadow\"\ncp tool/tool.txt \"$BOSH_INSTALL_TARGET\"\n",
    );
    let o = Command::new(bale())
        .args(["compile-release", "layered", "--stemcell-tarball"])
        .arg(&stemcell)
        .args(["--tarball", "out.tgz"])
        .current_dir(&e.root)
        .env("HOME", &e.home)
        .env_remove("XDG_CACHE_HOME")
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", text(&o));
    let x = e.root.join("x");
    compiled_package(&e.root.join("out.tgz"), "tool", &x);
    let top = read(&x, "top");
    let names: Vec<&str> = top.lines().collect();
    for n in &names {
        assert!(
            [
                "/bin", "/dev", "/etc", "/lib", "/lib64", "/proc", "/root", "/sys", "/tmp", "/usr",
                "/var"
            ]
            .contains(n),
            "{n} is not the stemcell's: {top}"
        );
    }
    assert_eq!(read(&x, "shadow"), "no\n");
}

/// `--memory` and `--pids` where cgroup v2 offers them; elsewhere a clear refusal.
#[test]
fn memory_and_pids_limits() {
    let e = env();
    let (o, x) = attack(
        &e,
        "(for i in $(seq 60); do sleep 2 & done; wait) > $BOSH_INSTALL_TARGET/pids 2>&1 || true",
        &["--pids", "20"],
    );
    if !o.status.success() && text(&o).contains("need a writable cgroup v2") {
        eprintln!(
            "skipped the limits themselves: this machine offers no cgroup v2 memory/pids controllers ({})",
            text(&o)
                .lines()
                .find(|l| l.contains("cgroup v2"))
                .unwrap_or_default()
                .trim()
        );
        let o = e.compile(&["--memory", "64M"]);
        assert!(!o.status.success());
        assert!(text(&o).contains("Run without them"), "{}", text(&o));
        return;
    }
    assert!(o.status.success(), "{}", text(&o));
    let pids = read(&x, "pids");
    assert!(pids.contains("Resource temporarily unavailable"), "{pids}");

    let (o, _) = attack(
        &e,
        "head -c 1G /dev/zero | tail > /dev/null",
        &["--memory", "64M"],
    );
    assert!(!o.status.success());
    assert!(text(&o).contains("ran out of memory"), "{}", text(&o));
}
