//! The mount steps of one run, computed before the fork (every string allocated there) and
//! applied by the child between fork and exec, where only system calls are allowed.

use std::ffi::CString;
use std::io;
use std::os::unix::ffi::OsStrExt;
use std::path::Path;

use super::{Root, Spec};

pub(super) fn cstr(p: &Path) -> io::Result<CString> {
    CString::new(p.as_os_str().as_bytes()).map_err(io::Error::other)
}

fn lit(s: &str) -> CString {
    CString::new(s).expect("no NUL")
}

/// Directories of the host root a script must not read: other users' homes and root's,
/// state of services, sockets of daemons (a socket in `/run` would reach the host however
/// the network is cut), host keys. Each becomes an empty, read-only tmpfs.
const MASKED_DIRS: &[&str] = &[
    "/root",
    "/home",
    "/run",
    "/srv",
    "/mnt",
    "/media",
    "/boot",
    "/etc/ssh",
    "/etc/ssl/private",
    "/etc/sudoers.d",
];

/// Files of the host root a script must not read; each is covered by an empty file.
const MASKED_FILES: &[&str] = &[
    "/etc/shadow",
    "/etc/shadow-",
    "/etc/gshadow",
    "/etc/gshadow-",
    "/etc/sudoers",
    "/etc/security/opasswd",
];

/// Entries of the host's `/var` left empty in the mirror: package and service state
/// (`lib`), backups of the password files, mail, spools (crontabs) and logs.
pub(super) const MASKED_VAR: &[&str] = &["lib", "backups", "mail", "spool", "log"];

/// Device nodes a build uses, bound from the host into an otherwise empty `/dev`.
const DEVICES: &[&str] = &["null", "zero", "full", "random", "urandom", "tty"];

/// A mount step of the child, with every string allocated before the fork.
pub(super) enum Step {
    /// Source as `/proc/self/fd/N` of a path the child opened right after `unshare` (a
    /// descriptor from before would name a mount of the host's namespace, which the kernel
    /// refuses to bind): a later mount (`$HOME`, `/tmp`, a mask) may cover the path bale's
    /// work dir lives under, and the open descriptor still reaches it.
    Bind(CString, CString),
    /// A fresh tmpfs with these options (`mode=…`).
    Tmpfs(CString, CString),
    /// The `/proc` of the new PID namespace.
    Proc(CString),
    /// A directory or empty file to mount on, made inside a tmpfs (EEXIST is fine).
    Mkdir(CString),
    Touch(CString),
    Symlink(CString, CString),
    ReadOnly(CString),
    Writable(CString, bool),
    Chroot(CString),
    Chdir(CString),
}

/// Bind sources, opened by the child at fixed descriptor numbers from [`FD_BASE`] on.
pub(super) struct Sources(pub(super) Vec<CString>);

/// Well above what a fresh child holds, below the usual 1024-descriptor limit.
pub(super) const FD_BASE: usize = 700;

impl Sources {
    fn add(&mut self, p: &Path) -> io::Result<CString> {
        self.0.push(cstr(p)?);
        let fd = FD_BASE + self.0.len() - 1;
        Ok(CString::new(format!("/proc/self/fd/{fd}")).expect("no NUL"))
    }
}

/// The mount points `path` needs inside a tmpfs mounted at `base` (every directory from
/// below `base` down to `path`).
fn mkdirs(s: &mut Vec<Step>, root: &Root, base: &str, path: &str) -> io::Result<()> {
    let Ok(rel) = Path::new(path).strip_prefix(base) else {
        return Ok(());
    };
    let mut at = Path::new(base).to_path_buf();
    for c in rel.components() {
        at.push(c);
        s.push(Step::Mkdir(cstr(&root.path(&at.to_string_lossy()))?));
    }
    Ok(())
}

/// The mounts of one run, in the order they must happen.
pub(super) fn steps(
    spec: &Spec<'_>,
    bound: &[String],
    home: Option<&str>,
    src: &mut Sources,
) -> io::Result<Vec<Step>> {
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

    // Secrets of the host root, hidden before $HOME and /tmp are bound (either may live
    // under a masked directory).
    let mut masked_dirs = Vec::new();
    if root.is_host() {
        for d in MASKED_DIRS {
            let meta = std::fs::symlink_metadata(d);
            if meta.is_ok_and(|m| m.is_dir()) {
                s.push(Step::Tmpfs(cstr(Path::new(d))?, lit("mode=755,size=64k")));
                masked_dirs.push(*d);
            }
        }
        for f in MASKED_FILES {
            let meta = std::fs::symlink_metadata(f);
            if meta.is_ok_and(|m| m.is_file()) {
                s.push(Step::Bind(src.add(spec.empty)?, cstr(Path::new(f))?));
            }
        }
        // With the host's network, its resolver may live under /run (systemd-resolved).
        if spec.isolation.network {
            let resolve = Path::new("/run/systemd/resolve");
            if resolve.is_dir() {
                mkdirs(&mut s, root, "/run", "/run/systemd/resolve")?;
                s.push(Step::Bind(src.add(resolve)?, cstr(resolve)?));
            }
        }
    } else if spec.isolation.network
        && root.path("/etc/resolv.conf").is_file()
        && Path::new("/etc/resolv.conf").exists()
    {
        s.push(Step::Bind(
            src.add(Path::new("/etc/resolv.conf"))?,
            cstr(&root.path("/etc/resolv.conf"))?,
        ));
    }

    // A /dev of harmless devices, a private /dev/shm, the new namespace's /proc, and /sys
    // (read-only like everything else).
    let dev = root.path("/dev");
    if dev.is_dir() {
        s.push(Step::Tmpfs(cstr(&dev)?, lit("mode=755,size=64k")));
        for d in DEVICES {
            let host = Path::new("/dev").join(d);
            if host.exists() {
                let at = cstr(&dev.join(d))?;
                s.push(Step::Touch(at.clone()));
                s.push(Step::Bind(src.add(&host)?, at));
            }
        }
        for (name, target) in [
            ("fd", "/proc/self/fd"),
            ("stdin", "/proc/self/fd/0"),
            ("stdout", "/proc/self/fd/1"),
            ("stderr", "/proc/self/fd/2"),
        ] {
            s.push(Step::Symlink(lit(target), cstr(&dev.join(name))?));
        }
        s.push(Step::Mkdir(cstr(&dev.join("shm"))?));
        s.push(Step::Tmpfs(cstr(&dev.join("shm"))?, lit("mode=1777")));
    }
    if root.path("/proc").is_dir() {
        s.push(Step::Proc(cstr(&root.path("/proc"))?));
    }
    if !root.is_host() && root.path("/sys").is_dir() {
        s.push(Step::Bind(
            src.add(Path::new("/sys"))?,
            cstr(&root.path("/sys"))?,
        ));
    }

    s.push(Step::Bind(src.add(spec.tmp)?, cstr(&root.path("/tmp"))?));
    // After /tmp: a $HOME under /tmp gets its mount point in the private /tmp.
    if let Some(h) = home {
        if let Ok(rel) = Path::new(h).strip_prefix("/tmp") {
            std::fs::create_dir_all(spec.tmp.join(rel))?;
        }
        for d in &masked_dirs {
            mkdirs(&mut s, root, d, h)?;
        }
        s.push(Step::Bind(src.add(spec.home)?, cstr(&root.path(h))?));
    }
    s.push(Step::ReadOnly(cstr(&root.dir)?));
    s.push(Step::Writable(cstr(&root.path("/var"))?, false));
    s.push(Step::Writable(cstr(&root.path("/tmp"))?, false));
    if let Some(h) = home {
        s.push(Step::Writable(cstr(&root.path(h))?, false));
    }
    if dev.is_dir() {
        s.push(Step::Writable(cstr(&dev)?, true));
    }
    if !root.is_host() {
        s.push(Step::Chroot(cstr(&root.dir)?));
    }
    s.push(Step::Chdir(cstr(Path::new(spec.cwd))?));
    Ok(s)
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

pub(super) fn check(rc: libc::c_int) -> io::Result<()> {
    if rc == 0 {
        Ok(())
    } else {
        Err(io::Error::last_os_error())
    }
}

fn exists_ok(rc: libc::c_int) -> io::Result<()> {
    if rc == 0 || io::Error::last_os_error().raw_os_error() == Some(libc::EEXIST) {
        Ok(())
    } else {
        Err(io::Error::last_os_error())
    }
}

/// Applies one step. Runs in the forked child: system calls only, no allocation.
///
/// # Safety
/// Must be called between fork and exec, with strings allocated before the fork.
pub(super) unsafe fn apply(step: &Step) -> io::Result<()> {
    let null = std::ptr::null::<libc::c_char>();
    let flags = libc::MS_NOSUID | libc::MS_NODEV;
    match step {
        Step::Bind(src, dst) => check(libc::mount(
            src.as_ptr(),
            dst.as_ptr(),
            null,
            libc::MS_BIND | libc::MS_REC,
            std::ptr::null(),
        )),
        Step::Tmpfs(at, opts) => check(libc::mount(
            c"tmpfs".as_ptr(),
            at.as_ptr(),
            c"tmpfs".as_ptr(),
            flags,
            opts.as_ptr().cast(),
        )),
        Step::Proc(at) => check(libc::mount(
            c"proc".as_ptr(),
            at.as_ptr(),
            c"proc".as_ptr(),
            flags | libc::MS_NOEXEC,
            std::ptr::null(),
        )),
        Step::Mkdir(p) => exists_ok(libc::mkdir(p.as_ptr(), 0o755)),
        Step::Touch(p) => {
            let fd = libc::open(
                p.as_ptr(),
                libc::O_CREAT | libc::O_WRONLY | libc::O_CLOEXEC,
                0o644,
            );
            if fd < 0 {
                return Err(io::Error::last_os_error());
            }
            libc::close(fd);
            Ok(())
        }
        Step::Symlink(target, at) => exists_ok(libc::symlink(target.as_ptr(), at.as_ptr())),
        Step::ReadOnly(p) => {
            // Kernels before 5.12 lack mount_setattr: the compile still runs, only
            // without the read-only guard.
            if mount_setattr(p, MOUNT_ATTR_RDONLY, 0, true) != 0
                && io::Error::last_os_error().raw_os_error() != Some(libc::ENOSYS)
            {
                return Err(io::Error::last_os_error());
            }
            Ok(())
        }
        Step::Writable(p, recursive) => {
            // A mount that was read-only before bale stays so; that is not an error.
            let _ = mount_setattr(p, 0, MOUNT_ATTR_RDONLY, *recursive);
            Ok(())
        }
        Step::Chroot(p) => check(libc::chroot(p.as_ptr())),
        Step::Chdir(p) => check(libc::chdir(p.as_ptr())),
    }
}
