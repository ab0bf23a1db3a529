//! Runs one packaging script where it believes it is on a compilation VM: in a private mount
//! namespace whose `/var` is a per-package copy holding `/var/vcap/packages`, so the literal
//! paths packaging scripts bake in (`/var/vcap/packages/<dep>/bin`) exist, nothing of the
//! host changes, and parallel compiles never see each other.
//!
//! How the namespace is built (all in the child between fork and exec):
//! 1. `unshare(CLONE_NEWNS)`, with `CLONE_NEWUSER` and a one-user map when bale is not root;
//!    every mount made private so nothing propagates back to the host.
//! 2. With a stemcell root filesystem, that directory is bound onto itself and becomes `/`
//!    later (`chroot`), with the host's `/dev`, `/proc`, `/sys` bound in.
//! 3. `/var` is replaced by the package's mirror: every entry of the real `/var` bound at the
//!    same name, plus bale's `vcap/` tree. `/tmp` and `$HOME` become private, empty dirs.
//! 4. Everything is made read-only (`mount_setattr`, recursive), then the writable places
//!    are opened again: the mirror's own directory (so the install target and compile dir),
//!    `/tmp`, `$HOME` and the kernel file systems. Dependencies stay read-only. A script that
//!    writes anywhere else fails with "Read-only file system".

use std::ffi::CString;
use std::fs::{self, File};
use std::io;
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::PermissionsExt;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

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

fn cstr(p: &Path) -> io::Result<CString> {
    CString::new(p.as_os_str().as_bytes()).map_err(io::Error::other)
}

/// A mount step of the child, with every string allocated before the fork.
enum Step {
    /// Source as `/proc/self/fd/N` of a directory the child opened right after `unshare`
    /// (a descriptor from before would name a mount of the host's namespace, which the
    /// kernel refuses to bind): a later bind (`$HOME`, `/tmp`) may cover the path bale's
    /// work dir lives under, and the open descriptor still reaches it.
    Bind(CString, CString),
    ReadOnly(CString),
    Writable(CString, bool),
    Chroot(CString),
    Chdir(CString),
}

const MOUNT_ATTR_RDONLY: u64 = 0x1;
const AT_RECURSIVE: libc::c_uint = 0x8000;

#[repr(C)]
struct MountAttr {
    attr_set: u64,
    attr_clr: u64,
    propagation: u64,
    userns_fd: u64,
}

fn mount_setattr(path: &CString, set: u64, clr: u64, recursive: bool) -> libc::c_long {
    let attr = MountAttr {
        attr_set: set,
        attr_clr: clr,
        propagation: 0,
        userns_fd: 0,
    };
    let flags = if recursive { AT_RECURSIVE } else { 0 };
    // SAFETY: a plain syscall on a NUL-terminated path and a struct of the kernel's layout.
    unsafe {
        libc::syscall(
            libc::SYS_mount_setattr,
            libc::AT_FDCWD,
            path.as_ptr(),
            flags,
            &attr as *const MountAttr,
            std::mem::size_of::<MountAttr>(),
        )
    }
}

fn check(rc: libc::c_int) -> io::Result<()> {
    if rc == 0 {
        Ok(())
    } else {
        Err(io::Error::last_os_error())
    }
}

/// Bind sources, opened by the child at fixed descriptor numbers from [`FD_BASE`] on.
struct Sources(Vec<CString>);

/// Well above what a fresh child holds, below the usual 1024-descriptor limit.
const FD_BASE: usize = 700;

impl Sources {
    fn add(&mut self, p: &Path) -> io::Result<CString> {
        self.0.push(cstr(p)?);
        let fd = FD_BASE + self.0.len() - 1;
        Ok(CString::new(format!("/proc/self/fd/{fd}")).expect("no NUL"))
    }
}

/// The mounts of one run, in the order they must happen.
fn steps(spec: &Spec<'_>, bound: &[String], src: &mut Sources) -> io::Result<Vec<Step>> {
    let root = spec.root;
    let mut s = Vec::new();
    if !root.is_host() {
        s.push(Step::Bind(src.add(&root.dir)?, cstr(&root.dir)?));
    }
    for name in bound {
        s.push(Step::Bind(
            src.add(&root.path("/var").join(name))?,
            cstr(&spec.var.join(name))?,
        ));
    }
    for d in &spec.read_only {
        s.push(Step::Bind(src.add(d)?, cstr(d)?));
    }
    s.push(Step::Bind(src.add(spec.var)?, cstr(&root.path("/var"))?));
    let home = home_in(root);
    let mut kernel = Vec::new();
    if !root.is_host() {
        for k in ["/dev", "/proc", "/sys"] {
            if root.path(k).is_dir() {
                s.push(Step::Bind(src.add(Path::new(k))?, cstr(&root.path(k))?));
                kernel.push(k);
            }
        }
        if root.path("/etc/resolv.conf").is_file() && Path::new("/etc/resolv.conf").exists() {
            s.push(Step::Bind(
                src.add(Path::new("/etc/resolv.conf"))?,
                cstr(&root.path("/etc/resolv.conf"))?,
            ));
        }
    } else {
        kernel.extend(["/dev", "/proc", "/sys"]);
    }
    s.push(Step::Bind(src.add(spec.tmp)?, cstr(&root.path("/tmp"))?));
    // After /tmp: a $HOME under /tmp gets its mount point in the private /tmp.
    if let Some(h) = &home {
        if let Ok(rel) = Path::new(h).strip_prefix("/tmp") {
            fs::create_dir_all(spec.tmp.join(rel))?;
        }
        s.push(Step::Bind(src.add(spec.home)?, cstr(&root.path(h))?));
    }
    s.push(Step::ReadOnly(cstr(&root.dir)?));
    s.push(Step::Writable(cstr(&root.path("/var"))?, false));
    s.push(Step::Writable(cstr(&root.path("/tmp"))?, false));
    if let Some(h) = &home {
        s.push(Step::Writable(cstr(&root.path(h))?, false));
    }
    for k in kernel {
        s.push(Step::Writable(cstr(&root.path(k))?, true));
    }
    if !root.is_host() {
        s.push(Step::Chroot(cstr(&root.dir)?));
    }
    s.push(Step::Chdir(cstr(Path::new(spec.cwd))?));
    Ok(s)
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

/// Starts the script; the caller waits with [`wait`].
pub fn spawn(spec: &Spec<'_>, bound: &[String]) -> io::Result<Child> {
    let mut sources = Sources(Vec::new());
    let steps = steps(spec, bound, &mut sources)?;
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
    // SAFETY: the closure runs in the forked child before exec and only makes system calls
    // on memory allocated before the fork (no allocation, no locks).
    unsafe {
        cmd.pre_exec(move || {
            check(libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL, 0, 0, 0))?;
            match &maps {
                None => check(libc::unshare(libc::CLONE_NEWNS))?,
                Some((u, g)) => {
                    check(libc::unshare(libc::CLONE_NEWNS | libc::CLONE_NEWUSER))?;
                    write_proc(&paths[0], b"deny")?;
                    write_proc(&paths[1], u)?;
                    write_proc(&paths[2], g)?;
                }
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
                let want = (FD_BASE + i) as libc::c_int;
                if fd != want {
                    check(libc::dup3(fd, want, libc::O_CLOEXEC).min(0))?;
                    libc::close(fd);
                }
            }
            for step in &steps {
                match step {
                    Step::Bind(src, dst) => check(libc::mount(
                        src.as_ptr(),
                        dst.as_ptr(),
                        std::ptr::null(),
                        libc::MS_BIND | libc::MS_REC,
                        std::ptr::null(),
                    ))?,
                    Step::ReadOnly(p) => {
                        // Kernels before 5.12 lack mount_setattr: the compile still runs,
                        // only without the read-only guard.
                        if mount_setattr(p, MOUNT_ATTR_RDONLY, 0, true) != 0
                            && io::Error::last_os_error().raw_os_error() != Some(libc::ENOSYS)
                        {
                            return Err(io::Error::last_os_error());
                        }
                    }
                    Step::Writable(p, recursive) => {
                        // A mount that was read-only before bale (a read-only /sys in a
                        // container) stays so; that is not an error.
                        let _ = mount_setattr(p, 0, MOUNT_ATTR_RDONLY, *recursive);
                    }
                    Step::Chroot(p) => check(libc::chroot(p.as_ptr()))?,
                    Step::Chdir(p) => check(libc::chdir(p.as_ptr()))?,
                }
            }
            Ok(())
        });
    }
    cmd.spawn()
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

/// Waits for the script; when `cancel` is set, its whole process group gets SIGTERM, then
/// SIGKILL after two seconds. `None` means it was cancelled.
pub fn wait(child: &mut Child, cancel: &AtomicBool) -> io::Result<Option<ExitStatus>> {
    let pgid = child.id() as libc::pid_t;
    let mut term_at: Option<Instant> = None;
    loop {
        if let Some(status) = child.try_wait()? {
            if term_at.is_some() {
                return Ok(None);
            }
            // Whatever the script left running in the background goes with it.
            // SAFETY: signalling a process group bale created.
            unsafe { libc::kill(-pgid, libc::SIGKILL) };
            return Ok(Some(status));
        }
        if cancel.load(Ordering::SeqCst) {
            match term_at {
                None => {
                    // SAFETY: as above.
                    unsafe { libc::kill(-pgid, libc::SIGTERM) };
                    term_at = Some(Instant::now());
                }
                Some(t) if t.elapsed() > Duration::from_secs(2) => {
                    // SAFETY: as above.
                    unsafe { libc::kill(-pgid, libc::SIGKILL) };
                }
                Some(_) => {}
            }
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}
