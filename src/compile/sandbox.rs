//! Runs one packaging script where it believes it is on a compilation VM: in private
//! namespaces whose `/var` is a per-package copy holding `/var/vcap/packages`, so the literal
//! paths packaging scripts bake in (`/var/vcap/packages/<dep>/bin`) exist, nothing of the
//! host changes or can be read beyond what a build needs, and parallel compiles never see
//! each other.
//!
//! How the namespaces are built (all in the child between fork and exec; see [`spawn`]):
//! 1. The child joins the package's cgroup (with `--memory`/`--pids`), unshares the mount,
//!    PID, IPC and, without `--network`, network namespaces (with `CLONE_NEWUSER` and a
//!    one-user map when bale is not root), and forks the namespace's PID 1, staying outside
//!    as its supervisor. Every mount is made private so nothing propagates back.
//! 2. With a stemcell root filesystem, that directory is bound onto itself and becomes `/`
//!    later (`chroot`); nothing else of the host is visible but `/sys` (read-only).
//! 3. `/var` is replaced by the package's mirror: every entry of the real `/var` bound at the
//!    same name (on the host root, `lib`, `log`, `spool`, `mail`, `backups` left empty),
//!    plus bale's `vcap/` tree. On the host root, secrets are masked (`mounts::MASKED_*`).
//!    `/dev` is a tmpfs with `null`, `zero`, `full`, `random`, `urandom`, `tty` and a private
//!    `/dev/shm`; `/proc` is the new PID namespace's. `/tmp` and `$HOME` are private, empty.
//! 4. Everything is made read-only (`mount_setattr`, recursive), then the writable places
//!    are opened again: the mirror's own directory (so the install target and compile dir),
//!    `/tmp`, `$HOME` and `/dev`. Dependencies, `/proc` and `/sys` stay read-only. A script
//!    that writes anywhere else fails with "Read-only file system".

#[cfg(target_os = "linux")]
pub mod cgroup;
#[cfg(target_os = "linux")]
mod mounts;

use std::ffi::CString;
use std::fs::{self, File};
use std::io;
use std::os::unix::fs::PermissionsExt;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use mounts::check;

/// Where a compile runs: the host's own file system, or a stemcell's unpacked root.
#[derive(Debug, Clone)]
pub struct Root {
    pub dir: PathBuf,
}

impl Root {
    pub fn host() -> Root {
        Root {
            dir: PathBuf::from("/"),
        }
    }

    pub fn is_host(&self) -> bool {
        self.dir == Path::new("/")
    }

    /// A path inside the root, as seen from outside it.
    pub fn path(&self, inside: &str) -> PathBuf {
        self.dir.join(inside.trim_start_matches('/'))
    }

    /// bash inside the root, as the script will see it.
    pub fn bash(&self) -> Option<&'static str> {
        ["/bin/bash", "/usr/bin/bash"]
            .into_iter()
            .find(|b| self.path(b).is_file())
    }
}

/// One script run: the command line, its environment, and the mounts it needs.
pub struct Spec<'a> {
    pub root: &'a Root,
    /// The per-package `/var` mirror, prepared by [`mirror_var`].
    pub var: &'a Path,
    /// An empty directory to serve as `/tmp`.
    pub tmp: &'a Path,
    /// An empty directory to serve as `$HOME`.
    pub home: &'a Path,
    /// Directories inside `var` to keep read-only (installed dependencies).
    pub read_only: Vec<PathBuf>,
    /// Working directory, inside the namespace.
    pub cwd: &'a str,
    pub argv: Vec<String>,
    pub env: Vec<(String, String)>,
    pub log: &'a Path,
    /// An empty file, bound over the host's secret files.
    pub empty: &'a Path,
    pub isolation: &'a Isolation,
    /// bale's cgroup v2 directory with the controllers the limits need, when limits are set.
    pub cgroup: Option<PathBuf>,
}

/// The entries of a `/var` mirror: all of them, and those the real ones get bound onto.
#[derive(Debug, Default)]
pub struct Mirror {
    pub names: Vec<String>,
    pub bound: Vec<String>,
}

/// Copies the shape of `<root>/var` into `mirror`: a directory, empty file or identical
/// symlink per entry (mount points for the real ones), leaving out `vcap`, which bale fills.
pub fn mirror_var(root: &Root, mirror: &Path) -> io::Result<Mirror> {
    fs::create_dir_all(mirror)?;
    fs::set_permissions(mirror, fs::Permissions::from_mode(0o755))?;
    let mut m = Mirror::default();
    let var = root.path("/var");
    let entries = match fs::read_dir(&var) {
        Ok(e) => e,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(m),
        Err(e) => return Err(e),
    };
    for e in entries {
        let e = e?;
        let name = e.file_name().to_string_lossy().into_owned();
        if name == "vcap" {
            continue;
        }
        let ft = e.file_type()?;
        let dest = mirror.join(&name);
        if root.is_host() && mounts::MASKED_VAR.contains(&name.as_str()) {
            // Host state stays out of sight: an empty directory in its place.
            if ft.is_dir() {
                fs::create_dir(&dest)?;
                m.names.push(name);
            }
            continue;
        }
        if ft.is_symlink() {
            std::os::unix::fs::symlink(fs::read_link(e.path())?, &dest)?;
        } else if ft.is_dir() {
            fs::create_dir(&dest)?;
            m.bound.push(name.clone());
        } else if ft.is_file() {
            File::create(&dest)?;
            m.bound.push(name.clone());
        } else {
            continue;
        }
        m.names.push(name);
    }
    m.bound.sort();
    m.names.sort();
    Ok(m)
}

/// `$HOME` of the script: bale's own on the host, `/root` in a stemcell (the agent runs as
/// root). `None` when that directory does not exist in the root (then `HOME=/tmp`).
pub fn home_in(root: &Root) -> Option<String> {
    let h = if root.is_host() {
        std::env::var("HOME").ok()?
    } else {
        "/root".to_string()
    };
    (h != "/" && h.starts_with('/') && root.path(&h).is_dir()).then_some(h)
}

/// What separates a package from the host besides its mounts.
#[derive(Debug, Clone, Default)]
pub struct Isolation {
    /// Share the host's network instead of a namespace with only loopback.
    pub network: bool,
    /// `memory.max` of each package, bytes.
    pub memory: Option<u64>,
    /// `pids.max` of each package.
    pub pids: Option<u64>,
}

/// A started script: the supervisor process bale waits for, and the package's cgroup.
pub struct Running {
    child: Child,
    group: Option<cgroup::Group>,
}

impl Running {
    /// Whether the kernel killed a process of the package for exceeding `--memory`.
    pub fn oom_killed(&self) -> bool {
        self.group.as_ref().is_some_and(cgroup::Group::oom_killed)
    }
}

/// Brings up `lo` in a new network namespace (it starts down). The kernel's `struct ifreq`:
/// a 16-byte name, then a union whose `short` flags come first.
#[repr(C)]
struct IfReq {
    name: [u8; 16],
    flags: libc::c_short,
    pad: [u8; 22],
}

unsafe fn loopback_up() -> io::Result<()> {
    let fd = libc::socket(libc::AF_INET, libc::SOCK_DGRAM | libc::SOCK_CLOEXEC, 0);
    if fd < 0 {
        return Err(io::Error::last_os_error());
    }
    let mut req = IfReq {
        name: [0; 16],
        flags: 0,
        pad: [0; 22],
    };
    req.name[..2].copy_from_slice(b"lo");
    let mut rc = libc::ioctl(fd, libc::SIOCGIFFLAGS as _, &mut req as *mut IfReq);
    if rc == 0 {
        req.flags |= libc::IFF_UP as libc::c_short;
        rc = libc::ioctl(fd, libc::SIOCSIFFLAGS as _, &req as *const IfReq);
    }
    let err = io::Error::last_os_error();
    libc::close(fd);
    if rc == 0 {
        Ok(())
    } else {
        Err(err)
    }
}

/// The supervisor's life after the fork: it holds no descriptor of bale's (so `spawn` sees
/// the exec of the script), ignores the signals a cancel sends the process group, waits
/// for the namespace's init and exits as it did. The kernel kills and reaps every other
/// process of the namespace before that wait returns.
unsafe fn supervise(init: libc::pid_t) -> ! {
    for sig in [libc::SIGTERM, libc::SIGINT, libc::SIGHUP, libc::SIGQUIT] {
        libc::signal(sig, libc::SIG_IGN);
    }
    if libc::syscall(libc::SYS_close_range, 3u32, u32::MAX, 0u32) != 0 {
        for fd in 3..4096 {
            libc::close(fd);
        }
    }
    let mut status = 0;
    loop {
        let r = libc::waitpid(init, &mut status, 0);
        if r == init {
            break;
        }
        if r < 0 && io::Error::last_os_error().raw_os_error() != Some(libc::EINTR) {
            libc::_exit(127);
        }
    }
    if libc::WIFSIGNALED(status) {
        let sig = libc::WTERMSIG(status);
        libc::signal(sig, libc::SIG_DFL);
        libc::kill(libc::getpid(), sig);
        libc::_exit(128 + sig);
    }
    libc::_exit(libc::WEXITSTATUS(status))
}

/// Starts the script in its namespaces; the caller waits with [`wait`].
///
/// The child bale forks joins the package's cgroup, unshares the mount, PID, IPC and
/// (without `--network`) network namespaces, and forks again: that grandchild is PID 1 of
/// the new namespace, builds the mounts and becomes `bash`. The child stays outside as its
/// supervisor. When `bash` ends, the kernel kills everything left in the namespace —
/// daemons that called `setsid`, processes ignoring every signal — and bale reaps it.
/// Both die with SIGKILL if bale itself dies (`PR_SET_PDEATHSIG`).
pub fn spawn(spec: &Spec<'_>, bound: &[String]) -> io::Result<Running> {
    let group = match &spec.cgroup {
        Some(parent) => Some(
            cgroup::Group::create(
                parent,
                &format!("bale-{}-{}", std::process::id(), uuid::Uuid::new_v4()),
                spec.isolation,
            )
            .map_err(io::Error::other)?,
        ),
        None => None,
    };
    let procs = group
        .as_ref()
        .map(|g| mounts::cstr(&g.procs()))
        .transpose()?;
    let mut sources = mounts::Sources(Vec::new());
    let home = home_in(spec.root);
    let steps = mounts::steps(spec, bound, home.as_deref(), &mut sources)?;
    let log = File::create(spec.log)?;
    let mut cmd = Command::new(&spec.argv[0]);
    cmd.args(&spec.argv[1..])
        .stdin(Stdio::null())
        .stdout(log.try_clone()?)
        .stderr(log)
        .process_group(0);
    if !spec.root.is_host() {
        cmd.env_clear();
    }
    for (k, v) in &spec.env {
        cmd.env(k, v);
    }
    // SAFETY: getuid/getgid cannot fail.
    let (uid, gid) = unsafe { (libc::getuid(), libc::getgid()) };
    let maps = (uid != 0).then(|| {
        (
            format!("0 {uid} 1\n").into_bytes(),
            format!("0 {gid} 1\n").into_bytes(),
        )
    });
    let paths = [
        CString::new("/proc/self/setgroups").expect("no NUL"),
        CString::new("/proc/self/uid_map").expect("no NUL"),
        CString::new("/proc/self/gid_map").expect("no NUL"),
    ];
    let slash = CString::new("/").expect("no NUL");
    let mut flags = libc::CLONE_NEWNS | libc::CLONE_NEWPID | libc::CLONE_NEWIPC;
    if !spec.isolation.network {
        flags |= libc::CLONE_NEWNET;
    }
    let network = spec.isolation.network;
    // SAFETY: the closure runs in the forked child before exec and only makes system calls
    // on memory allocated before the fork (no allocation, no locks).
    unsafe {
        cmd.pre_exec(move || {
            check(libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL, 0, 0, 0))?;
            if let Some(p) = &procs {
                write_proc(p, b"0")?;
            }
            match &maps {
                None => check(libc::unshare(flags))?,
                Some((u, g)) => {
                    check(libc::unshare(flags | libc::CLONE_NEWUSER))?;
                    write_proc(&paths[0], b"deny")?;
                    write_proc(&paths[1], u)?;
                    write_proc(&paths[2], g)?;
                }
            }
            let init = libc::fork();
            if init < 0 {
                return Err(io::Error::last_os_error());
            }
            if init > 0 {
                supervise(init);
            }
            // PID 1 of the new namespace.
            check(libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL, 0, 0, 0))?;
            if !network {
                loopback_up()?;
            }
            check(libc::mount(
                std::ptr::null(),
                slash.as_ptr(),
                std::ptr::null(),
                libc::MS_REC | libc::MS_PRIVATE,
                std::ptr::null(),
            ))?;
            for (i, path) in sources.0.iter().enumerate() {
                let fd = libc::open(path.as_ptr(), libc::O_PATH | libc::O_CLOEXEC);
                if fd < 0 {
                    return Err(io::Error::last_os_error());
                }
                let want = (mounts::FD_BASE + i) as libc::c_int;
                if fd != want {
                    check(libc::dup3(fd, want, libc::O_CLOEXEC).min(0))?;
                    libc::close(fd);
                }
            }
            for step in &steps {
                mounts::apply(step)?;
            }
            Ok(())
        });
    }
    let child = cmd.spawn()?;
    Ok(Running { child, group })
}

unsafe fn write_proc(path: &CString, data: &[u8]) -> io::Result<()> {
    let fd = libc::open(path.as_ptr(), libc::O_WRONLY | libc::O_CLOEXEC);
    if fd < 0 {
        return Err(io::Error::last_os_error());
    }
    let n = libc::write(fd, data.as_ptr().cast(), data.len());
    libc::close(fd);
    if n != data.len() as isize {
        return Err(io::Error::last_os_error());
    }
    Ok(())
}

/// The namespace's init, as the supervisor's only child.
fn init_of(supervisor: u32) -> Option<libc::pid_t> {
    fs::read_to_string(format!("/proc/{supervisor}/task/{supervisor}/children"))
        .ok()?
        .split_whitespace()
        .next()?
        .parse()
        .ok()
}

/// Waits for the script; when `cancel` is set, its process group gets SIGTERM, then after
/// two seconds the namespace's init gets SIGKILL, which takes every process of the package
/// with it (a process that left the group or ignores SIGTERM too). `None` means it was
/// cancelled. Returns only when every process of the package has been reaped.
pub fn wait(run: &mut Running, cancel: &AtomicBool) -> io::Result<Option<ExitStatus>> {
    let sup = run.child.id();
    let mut term_at: Option<Instant> = None;
    let mut killed = false;
    loop {
        if let Some(status) = run.child.try_wait()? {
            return Ok(if term_at.is_some() {
                None
            } else {
                Some(status)
            });
        }
        if cancel.load(Ordering::SeqCst) {
            match term_at {
                None => {
                    // SAFETY: signalling the process group bale created.
                    unsafe { libc::kill(-(sup as libc::pid_t), libc::SIGTERM) };
                    term_at = Some(Instant::now());
                }
                Some(t) if t.elapsed() > Duration::from_secs(2) && !killed => {
                    killed = true;
                    match init_of(sup) {
                        // SAFETY: the init of the namespace bale created.
                        Some(init) => unsafe { libc::kill(init, libc::SIGKILL) },
                        // Without /proc's children list: the supervisor, whose death
                        // takes the init with it.
                        // SAFETY: bale's own child.
                        None => unsafe { libc::kill(sup as libc::pid_t, libc::SIGKILL) },
                    };
                }
                Some(_) => {}
            }
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}
