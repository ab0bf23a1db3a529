//! Reading a job's files: a spec, `monit` and every template, hundreds of small files for a
//! deployment, where the system calls cost more than the bytes.

thread_local! {
    /// Where [`read_to_end`] reads: kept, so that reading a file allocates only its copy.
    static READ_BUF: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// The whole of `f`, or `None` past `limit` bytes, in as few system calls as the file
/// allows. Its size is not asked first (`std::fs::read` does, and that stat was a tenth of
/// the time spent reading a job's files), and a read that returns less than it asked for
/// ends the file: POSIX gives a regular file's read fewer bytes only at its end or when a
/// signal interrupts it, and Linux interrupts one only for a signal that ends the process.
/// So a spec or template is one read, where reading on until a read returns nothing was a
/// quarter of the system calls of rendering a job. A file that is no regular file (a
/// device, a pipe) is read as far as its first short read.
pub(super) fn read_to_end(mut f: std::fs::File, limit: u64) -> std::io::Result<Option<Vec<u8>>> {
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
        let out = (len as u64 <= limit).then(|| buf[..len].to_vec());
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
