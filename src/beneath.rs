//! Writing and deleting below a directory through its open handle (`openat`, `mkdirat`,
//! `renameat`, `unlinkat`), never through a path string: each component of a [`RelPath`] is
//! opened with `O_NOFOLLOW`, so a symlink swapped in during the run (`out/config` →
//! `/etc`) makes the write fail instead of landing outside. std has no `openat`; libc is
//! already a dependency, and these few calls are all bale needs (cap-std would bring a
//! second file API for the same four calls).

use std::ffi::CString;
use std::fs::File;
use std::io::{self, Write};
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};

use crate::name::{Name, RelPath};

/// An open directory, and the path it was opened by (for messages only).
#[derive(Debug)]
pub struct Dir {
    fd: OwnedFd,
    path: PathBuf,
}

fn cstr(s: &str) -> io::Result<CString> {
    CString::new(s).map_err(|_| io::Error::new(io::ErrorKind::InvalidInput, "NUL in a name"))
}

fn cvt(r: libc::c_int) -> io::Result<libc::c_int> {
    if r < 0 {
        Err(io::Error::last_os_error())
    } else {
        Ok(r)
    }
}

/// Explains ELOOP/ENOTDIR from `O_NOFOLLOW` as what they mean here.
fn symlink_refused(e: io::Error, at: &Path) -> io::Error {
    match e.raw_os_error() {
        Some(libc::ELOOP) | Some(libc::ENOTDIR) => io::Error::new(
            e.kind(),
            format!(
                "{} is a symlink or not a directory: bale does not follow it",
                at.display()
            ),
        ),
        _ => e,
    }
}

impl Dir {
    /// Opens `path` (which the user named, so a symlink there is followed), creating it
    /// first when `create` is set.
    pub fn open(path: &Path, create: bool) -> io::Result<Dir> {
        if create {
            std::fs::create_dir_all(path)?;
        }
        let c = CString::new(path.as_os_str().as_bytes())
            .map_err(|_| io::Error::new(io::ErrorKind::InvalidInput, "NUL in a path"))?;
        // SAFETY: c is a valid C string; the returned fd is owned below.
        let fd = cvt(unsafe {
            libc::open(
                c.as_ptr(),
                libc::O_RDONLY | libc::O_DIRECTORY | libc::O_CLOEXEC,
            )
        })?;
        Ok(Dir {
            // SAFETY: fd was just opened and is owned by nobody else.
            fd: unsafe { OwnedFd::from_raw_fd(fd) },
            path: path.to_path_buf(),
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The subdirectory `name` (one segment), created when missing and `create` is set; a
    /// symlink there is refused.
    fn child(&self, name: &str, create: bool) -> io::Result<Dir> {
        let c = cstr(name)?;
        let path = self.path.join(name);
        let open = || {
            // SAFETY: valid fd and C string.
            cvt(unsafe {
                libc::openat(
                    self.fd.as_raw_fd(),
                    c.as_ptr(),
                    libc::O_RDONLY | libc::O_DIRECTORY | libc::O_NOFOLLOW | libc::O_CLOEXEC,
                )
            })
        };
        let fd = match open() {
            Err(e) if create && e.kind() == io::ErrorKind::NotFound => {
                // SAFETY: valid fd and C string.
                match cvt(unsafe { libc::mkdirat(self.fd.as_raw_fd(), c.as_ptr(), 0o777) }) {
                    Ok(_) => {}
                    Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {}
                    Err(e) => return Err(e),
                }
                open()
            }
            r => r,
        }
        .map_err(|e| symlink_refused(e, &path))?;
        Ok(Dir {
            // SAFETY: fd was just opened and is owned by nobody else.
            fd: unsafe { OwnedFd::from_raw_fd(fd) },
            path,
        })
    }

    /// The subdirectory `name` of this directory, created when missing and `create` is set.
    /// A symlink there is refused: `blobs/` swapped for a link to elsewhere on the host is
    /// never written, read or deleted through.
    pub fn subdir(&self, name: &Name, create: bool) -> io::Result<Dir> {
        self.child(name, create)
    }

    /// Opens the file at `rel` for reading without following a symlink anywhere below
    /// `self`, the file itself included: what is read is a file inside this directory.
    pub fn open_file(&self, rel: &RelPath) -> io::Result<File> {
        let parent = self.parent_of(rel, false)?;
        let c = cstr(rel.file_name())?;
        let path = rel.under(&self.path);
        // SAFETY: valid fd and C string.
        let fd = cvt(unsafe {
            libc::openat(
                parent.fd.as_raw_fd(),
                c.as_ptr(),
                // O_NONBLOCK: a FIFO swapped in must not hang the open; regular files ignore it
                libc::O_RDONLY
                    | libc::O_NOFOLLOW
                    | libc::O_CLOEXEC
                    | libc::O_NOCTTY
                    | libc::O_NONBLOCK,
            )
        })
        .map_err(|e| match e.raw_os_error() {
            Some(libc::ELOOP) => io::Error::new(
                e.kind(),
                format!("{} is a symlink: bale does not follow it", path.display()),
            ),
            _ => e,
        })?;
        // SAFETY: fd was just opened and is owned by nobody else.
        let f = unsafe { File::from_raw_fd(fd) };
        if !f.metadata()?.is_file() {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                format!("{} is not a regular file", path.display()),
            ));
        }
        Ok(f)
    }

    /// The directory holding `rel`'s last segment, each component opened without following
    /// symlinks.
    fn parent_of(&self, rel: &RelPath, create: bool) -> io::Result<Dir> {
        let mut segs: Vec<&str> = rel.segments().collect();
        segs.pop();
        let mut d = self.child_chain(&segs, create)?;
        if d.is_none() {
            d = Some(self.dup()?);
        }
        Ok(d.expect("set above"))
    }

    fn child_chain(&self, segs: &[&str], create: bool) -> io::Result<Option<Dir>> {
        let mut cur: Option<Dir> = None;
        for s in segs {
            let next = match &cur {
                None => self.child(s, create)?,
                Some(d) => d.child(s, create)?,
            };
            cur = Some(next);
        }
        Ok(cur)
    }

    fn dup(&self) -> io::Result<Dir> {
        Ok(Dir {
            fd: self.fd.try_clone()?,
            path: self.path.clone(),
        })
    }

    /// Writes `bytes` to `rel` atomically (temp file + fsync + rename, as `atomic` does),
    /// creating directories; the file gets the umask's mode.
    pub fn write(&self, rel: &RelPath, bytes: &[u8]) -> io::Result<()> {
        let mut f = self.create(rel)?;
        f.file().write_all(bytes)?;
        f.commit()
    }

    /// A temp file beside `rel` (directories created, none followed through a symlink)
    /// that becomes `rel` on [`NewFile::commit`]; dropped uncommitted, it is removed.
    pub fn create(&self, rel: &RelPath) -> io::Result<NewFile> {
        let parent = self.parent_of(rel, true)?;
        let tmp = format!(".bale-tmp-{}", uuid::Uuid::new_v4().simple());
        let c = cstr(&tmp)?;
        let flags =
            libc::O_WRONLY | libc::O_CREAT | libc::O_EXCL | libc::O_NOFOLLOW | libc::O_CLOEXEC;
        // SAFETY: valid fd and C string; O_EXCL|O_NOFOLLOW never opens an existing file.
        let fd = cvt(unsafe {
            libc::openat(
                parent.fd.as_raw_fd(),
                c.as_ptr(),
                flags,
                0o666 as libc::c_uint,
            )
        })?;
        Ok(NewFile {
            // SAFETY: fd was just opened and is owned by nobody else.
            file: unsafe { File::from_raw_fd(fd) },
            parent,
            tmp,
            name: rel.file_name().to_string(),
            done: false,
        })
    }

    /// Moves `from` (a file directly in `self`) to `to` (below `dest`): `renameat` replaces
    /// whatever is at `to`, a symlink included, without following it.
    fn rename_in(&self, from: &str, dest: &Dir, to: &str) -> io::Result<()> {
        let (f, t) = (cstr(from)?, cstr(to)?);
        // SAFETY: valid fds and C strings.
        cvt(unsafe {
            libc::renameat(
                self.fd.as_raw_fd(),
                f.as_ptr(),
                dest.fd.as_raw_fd(),
                t.as_ptr(),
            )
        })
        .map(|_| ())
    }

    /// Moves the file `from` (directly in `self`) to `rel` below `self`, creating
    /// directories, without following a symlink on the way.
    pub fn rename_into(&self, from: &str, rel: &RelPath) -> io::Result<()> {
        let parent = self.parent_of(rel, true)?;
        self.rename_in(from, &parent, rel.file_name())
    }

    /// Deletes the file (or symlink, never its target) at `rel`; `Ok(false)` when there was
    /// nothing to delete.
    pub fn remove_file(&self, rel: &RelPath) -> io::Result<bool> {
        let parent = match self.parent_of(rel, false) {
            Ok(p) => p,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(false),
            Err(e) => return Err(e),
        };
        let c = cstr(rel.file_name())?;
        // SAFETY: valid fd and C string.
        match cvt(unsafe { libc::unlinkat(parent.fd.as_raw_fd(), c.as_ptr(), 0) }) {
            Ok(_) => Ok(true),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(false),
            Err(e) => Err(e),
        }
    }
}

/// A file written below a [`Dir`], visible at its path only once committed.
pub struct NewFile {
    file: File,
    parent: Dir,
    tmp: String,
    name: String,
    done: bool,
}

impl NewFile {
    pub fn file(&mut self) -> &mut File {
        &mut self.file
    }

    /// Syncs the bytes, then renames the temp file over the destination (a symlink there is
    /// replaced, not followed).
    pub fn commit(mut self) -> io::Result<()> {
        self.file.sync_all()?;
        self.parent.rename_in(&self.tmp, &self.parent, &self.name)?;
        self.done = true;
        Ok(())
    }
}

impl Drop for NewFile {
    fn drop(&mut self) {
        if !self.done {
            if let Ok(c) = cstr(&self.tmp) {
                // SAFETY: valid fd and C string.
                unsafe { libc::unlinkat(self.parent.fd.as_raw_fd(), c.as_ptr(), 0) };
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::symlink;

    fn rel(s: &str) -> RelPath {
        RelPath::new(s).unwrap()
    }

    #[test]
    fn writes_below_and_refuses_a_swapped_symlink() {
        let t = tempfile::tempdir().unwrap();
        let out = t.path().join("out");
        let outside = t.path().join("outside");
        std::fs::create_dir(&outside).unwrap();
        let d = Dir::open(&out, true).unwrap();
        d.write(&rel("config/a.conf"), b"one").unwrap();
        assert_eq!(std::fs::read(out.join("config/a.conf")).unwrap(), b"one");
        d.write(&rel("config/a.conf"), b"two").unwrap();
        assert_eq!(std::fs::read(out.join("config/a.conf")).unwrap(), b"two");

        // a directory swapped for a symlink to elsewhere
        std::fs::remove_dir_all(out.join("config")).unwrap();
        symlink(&outside, out.join("config")).unwrap();
        let e = d.write(&rel("config/a.conf"), b"evil").unwrap_err();
        assert!(e.to_string().contains("does not follow"), "{e}");
        assert_eq!(std::fs::read_dir(&outside).unwrap().count(), 0);

        // a file swapped for a symlink is replaced, its target untouched
        std::fs::write(outside.join("target"), b"keep").unwrap();
        symlink(outside.join("target"), out.join("b")).unwrap();
        d.write(&rel("b"), b"new").unwrap();
        assert_eq!(std::fs::read(outside.join("target")).unwrap(), b"keep");
        assert!(!std::fs::symlink_metadata(out.join("b"))
            .unwrap()
            .file_type()
            .is_symlink());
        // no temp files left
        let names: Vec<_> = std::fs::read_dir(&out)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert!(
            names.iter().all(|n| !n.starts_with(".bale-tmp")),
            "{names:?}"
        );
        // an uncommitted file leaves nothing behind
        let mut f = d.create(&rel("c")).unwrap();
        f.file().write_all(b"half").unwrap();
        drop(f);
        assert!(!out.join("c").exists());
        assert_eq!(std::fs::read_dir(&out).unwrap().count(), 2);
    }

    #[test]
    fn removes_only_below() {
        let t = tempfile::tempdir().unwrap();
        let base = t.path().join("blobs");
        let outside = t.path().join("outside");
        std::fs::create_dir_all(&outside).unwrap();
        std::fs::write(outside.join("victim"), b"v").unwrap();
        std::fs::create_dir_all(&base).unwrap();
        symlink(&outside, base.join("dir")).unwrap();
        let d = Dir::open(&base, false).unwrap();
        assert!(d.remove_file(&rel("dir/victim")).is_err());
        assert!(outside.join("victim").exists());
        assert!(!d.remove_file(&rel("nope/x")).unwrap());
        assert!(d.remove_file(&rel("dir")).unwrap());
        assert!(outside.join("victim").exists());
    }
}
