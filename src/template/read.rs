//! Reading a job's files: a spec, `monit` and every template, hundreds of small files for a
//! deployment, where the system calls cost more than the bytes.

thread_local! {
    /// Where [`read_to_end`] reads: kept, so that reading a file allocates only its copy.
    static READ_BUF: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
    /// Where [`JobDir`] builds its paths.
    static PATH_BUF: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// A job's directory, held open while its files are read: each file is opened relative to
/// it (`openat`), so the kernel walks only the names below the job for every file rather
/// than the whole path again (reading the template bench's 1,321 files took 6% less system
/// time so). Symlinks are followed, as everywhere the user names a job. Paths are built
/// with their final NUL in a buffer kept per thread: a `Path::join` allocated a path for
/// every file, and std's `open` copies it into a C string again, together about 600
/// instructions a file. The parts are bale's own names and checked
/// [`crate::name::RelPath`]s; a NUL anywhere is refused as std refuses it.
#[derive(Debug)]
pub(super) struct JobDir(std::os::fd::OwnedFd);

impl JobDir {
    /// Opens `dir` (a directory, or a symlink to one) to read files below it; an empty
    /// path is the working directory, as it is to `Path::join`.
    pub(super) fn open(dir: &std::path::Path) -> std::io::Result<JobDir> {
        use std::os::fd::FromRawFd;
        use std::os::unix::ffi::OsStrExt;
        let dir = match dir.as_os_str().as_bytes() {
            b"" => b".",
            d => d,
        };
        let fd = with_c_path([dir], |p| {
            // SAFETY: `p` is a C string: it ends with its only NUL
            unsafe { libc::open(p, libc::O_PATH | libc::O_DIRECTORY | libc::O_CLOEXEC) }
        })?;
        // SAFETY: the descriptor was just opened and nothing else owns it
        Ok(JobDir(unsafe { std::os::fd::OwnedFd::from_raw_fd(fd) }))
    }

    /// Opens `part/part/...` below the directory for reading.
    pub(super) fn file(&self, parts: &[&str]) -> std::io::Result<std::fs::File> {
        use std::os::fd::{AsRawFd, FromRawFd};
        let dir = self.0.as_raw_fd();
        let fd = with_c_path(parts.iter().map(|p| p.as_bytes()), |p| {
            // SAFETY: `p` is a C string: it ends with its only NUL; `dir` is open
            unsafe { libc::openat(dir, p, libc::O_RDONLY | libc::O_CLOEXEC) }
        })?;
        // SAFETY: the descriptor was just opened and nothing else owns it
        Ok(unsafe { std::fs::File::from_raw_fd(fd) })
    }
}

/// Runs the system call `open` on `parts` joined by `/` as a C string, again while a
/// signal interrupts it; its descriptor, or the error.
fn with_c_path<'a>(
    parts: impl IntoIterator<Item = &'a [u8]>,
    open: impl Fn(*const libc::c_char) -> i32,
) -> std::io::Result<i32> {
    PATH_BUF.with(|b| {
        let mut b = b.borrow_mut();
        b.clear();
        for p in parts {
            if b.last().is_some_and(|&c| c != b'/') {
                b.push(b'/');
            }
            b.extend_from_slice(p);
        }
        // no early exit, so that the check runs as vector code (`contains` is a byte loop
        // a third the cost of the open's own work here)
        if b.iter().fold(false, |nul, &c| nul | (c == 0)) {
            return Err(std::io::Error::new(
                std::io::ErrorKind::InvalidInput,
                "file name contained an unexpected NUL byte",
            ));
        }
        b.push(0);
        loop {
            let fd = open(b.as_ptr().cast());
            if fd >= 0 {
                return Ok(fd);
            }
            let e = std::io::Error::last_os_error();
            if e.kind() != std::io::ErrorKind::Interrupted {
                return Err(e);
            }
        }
    })
}

/// The whole of `f`, or `None` past `limit` bytes, in as few system calls as the file
/// allows. Its size is not asked first (`std::fs::read` does, and that stat was a tenth of
/// the time spent reading a job's files), and a read that returns less than it asked for
/// ends the file: POSIX gives a regular file's read fewer bytes only at its end or when a
/// signal interrupts it, and Linux interrupts one only for a signal that ends the process.
/// So a spec or template is one read, where reading on until a read returns nothing was a
/// quarter of the system calls of rendering a job. A file that is no regular file (a
/// device, a pipe) is read as far as its first short read.
pub(super) fn read_to_end(f: std::fs::File, limit: u64) -> std::io::Result<Option<Vec<u8>>> {
    read_into(f, limit, <[u8]>::to_vec)
}

/// [`read_to_end`] into a shared buffer: a template's text is kept by the job and, as the
/// key of its compiled program, by the compile cache, without a second copy.
pub(super) fn read_shared(
    f: std::fs::File,
    limit: u64,
) -> std::io::Result<Option<std::sync::Arc<[u8]>>> {
    read_into(f, limit, |b| std::sync::Arc::from(b))
}

/// Reads `f` whole into the thread's buffer and makes the result of its bytes with `out`.
fn read_into<T>(
    mut f: std::fs::File,
    limit: u64,
    out: impl FnOnce(&[u8]) -> T,
) -> std::io::Result<Option<T>> {
    use std::io::Read;
    READ_BUF.with(|b| {
        let mut buf = b.borrow_mut();
        // zeroed once: reads write over what earlier files left
        if buf.len() < 64 << 10 {
            buf.resize(64 << 10, 0);
        }
        let cap = usize::try_from(limit.saturating_add(1)).unwrap_or(usize::MAX);
        let mut len = 0;
        loop {
            // below `cap` here: the buffer doubles, as far as `cap`
            if len == buf.len() {
                buf.resize(len + len.min(cap - len), 0);
            }
            let want = (buf.len() - len).min(cap - len);
            match f.read(&mut buf[len..len + want]) {
                Ok(0) => break,
                Ok(n) => {
                    len += n;
                    if n < want {
                        break;
                    }
                }
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
            if len >= cap {
                break;
            }
        }
        let out = (len as u64 <= limit).then(|| out(&buf[..len]));
        // a large file's buffer is not kept
        if buf.len() > 1 << 20 {
            *buf = Vec::new();
        }
        Ok(out)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_back(len: usize, limit: u64) -> Option<Vec<u8>> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f");
        let bytes: Vec<u8> = (0..len).map(|i| (i % 251) as u8).collect();
        std::fs::write(&path, &bytes).unwrap();
        let got = read_to_end(std::fs::File::open(&path).unwrap(), limit).unwrap();
        if let Some(g) = &got {
            assert_eq!(g, &bytes, "{len} bytes read back changed");
        }
        got
    }

    #[test]
    fn files_are_opened_below_the_job_directory() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("templates")).unwrap();
        std::fs::write(dir.path().join("templates/a.erb"), "a").unwrap();
        std::fs::write(dir.path().join("spec"), "s").unwrap();
        let text =
            |f: std::fs::File| String::from_utf8(read_to_end(f, 10).unwrap().unwrap()).unwrap();
        let job = JobDir::open(dir.path()).unwrap();
        assert_eq!(text(job.file(&["templates", "a.erb"]).unwrap()), "a");
        // after a longer path, a shorter one keeps nothing of it
        assert_eq!(text(job.file(&["spec"]).unwrap()), "s");
        // a directory given with its final slash, and through a symlink
        let slash = format!("{}/", dir.path().display());
        let job = JobDir::open(std::path::Path::new(&slash)).unwrap();
        assert_eq!(text(job.file(&["spec"]).unwrap()), "s");
        let link = tempfile::tempdir().unwrap();
        std::os::unix::fs::symlink(dir.path(), link.path().join("job")).unwrap();
        let job = JobDir::open(&link.path().join("job")).unwrap();
        assert_eq!(text(job.file(&["templates", "a.erb"]).unwrap()), "a");
        let missing = job.file(&["monit"]).unwrap_err();
        assert_eq!(missing.kind(), std::io::ErrorKind::NotFound);
        // an empty path is the working directory, as `Path::join` reads it
        assert!(JobDir::open(std::path::Path::new("")).is_ok());
        // a file given as the job, a missing job, a NUL
        let not_dir = JobDir::open(&dir.path().join("spec")).unwrap_err();
        assert_eq!(not_dir.kind(), std::io::ErrorKind::NotADirectory);
        let gone = JobDir::open(&dir.path().join("nope")).unwrap_err();
        assert_eq!(gone.kind(), std::io::ErrorKind::NotFound);
        let nul = JobDir::open(std::path::Path::new("a\0b")).unwrap_err();
        assert_eq!(nul.kind(), std::io::ErrorKind::InvalidInput);
        let nul = job.file(&["templates", "a\0b"]).unwrap_err();
        assert_eq!(nul.kind(), std::io::ErrorKind::InvalidInput);
    }

    #[test]
    fn every_size_is_read_whole_around_the_buffer_and_the_limit() {
        // empty, short, the kept buffer's size and one past it, several buffers
        for len in [0, 1, 85, (64 << 10) - 1, 64 << 10, (64 << 10) + 1, 300_000] {
            assert!(read_back(len, u64::MAX).is_some(), "{len} bytes");
        }
        // a smaller file after a larger one: nothing of the larger is left over
        assert_eq!(read_back(3, u64::MAX).map(|v| v.len()), Some(3));
        // at the limit, and one byte past it
        assert!(read_back(1000, 1000).is_some());
        assert_eq!(read_back(1001, 1000), None);
        assert_eq!(read_back((64 << 10) + 1, 64 << 10), None);
        assert!(read_back(64 << 10, 64 << 10).is_some());
        assert_eq!(read_back(1, 0), None);
        assert!(read_back(0, 0).is_some());
    }
}
