//! Receiving a tarball: the request body goes to a file in the spool directory, and the task
//! that verifies it starts only once it is whole, as a director takes an upload from its
//! nginx. A body bigger than the upload limit, or one that stalls, is cut off and leaves
//! nothing. The CLI sends the tarball as the raw body (`application/x-compressed`); a
//! `multipart/form-data` body (curl -F, other clients) is accepted too, its first file
//! part taken.

use std::future::Future;
use std::io::{Read, Seek, SeekFrom, Write};
use std::sync::atomic::Ordering;
use std::sync::Arc;

use axum::body::Body;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use futures::StreamExt;
use tempfile::NamedTempFile;

use super::tasks::Task;
use super::DirectorError;
use crate::blobstore::server::App;

/// How a tarball arrives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Form {
    Raw,
    Multipart(String),
}

/// The body's form from its Content-Type, or `None` when it is neither (a JSON body is a
/// remote URL and handled by the caller).
pub fn form(headers: &HeaderMap) -> Option<Form> {
    let ct = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let mime = ct.split(';').next().unwrap_or("").trim();
    match mime {
        "application/x-compressed"
        | "application/gzip"
        | "application/x-gzip"
        | "application/octet-stream" => Some(Form::Raw),
        "multipart/form-data" => ct.split(';').skip(1).find_map(|p| {
            let (k, v) = p.trim().split_once('=')?;
            (k.eq_ignore_ascii_case("boundary"))
                .then(|| Form::Multipart(v.trim_matches('"').to_string()))
        }),
        _ => None,
    }
}

fn too_large(max: u64) -> DirectorError {
    DirectorError::new(
        StatusCode::PAYLOAD_TOO_LARGE,
        100,
        format!("upload larger than {max} bytes (bale blobstore serve --max-upload-size)"),
    )
}

/// The tail every upload route shares: the body spooled to disk, then a task named
/// `description` that ingests it, answered with the redirect to that task. A body that is
/// neither raw nor multipart is an unknown endpoint, as on the director.
pub async fn spool_then_spawn<F, Fut>(
    app: &Arc<App>,
    headers: &HeaderMap,
    path: &str,
    body: Body,
    (description, user, context_id): (&str, &str, &str),
    ingest: F,
) -> Response
where
    F: FnOnce(Arc<App>, Arc<Task>, NamedTempFile) -> Fut + Send + 'static,
    Fut: Future<Output = Result<String, DirectorError>> + Send + 'static,
{
    let Some(form) = form(headers) else {
        return super::endpoint_not_found(path);
    };
    let tarball = match receive(app, &form, body).await {
        Ok(t) => t,
        Err(e) => return e.into_response(),
    };
    let a = app.clone();
    let id = app
        .director
        .tasks
        .spawn(description, user, context_id, move |task| {
            ingest(a, task, tarball)
        });
    super::redirect_to_task(id)
}

/// Writes the body to a new file in the spool directory and returns it (removed when
/// dropped). For a multipart body, the file holds the first file part only.
pub async fn receive(app: &App, form: &Form, body: Body) -> Result<NamedTempFile, DirectorError> {
    let max = app.store.max_upload();
    let dir = app.director.spool.clone();
    let tmp = tempfile::Builder::new()
        .prefix("upload-")
        .permissions(std::os::unix::fs::PermissionsExt::from_mode(0o666))
        .tempfile_in(&dir)
        .map_err(DirectorError::internal)?;
    let mut file = tokio::fs::File::from_std(tmp.reopen().map_err(DirectorError::internal)?);
    let mut stream = body.into_data_stream();
    let mut size = 0u64;
    // The multipart envelope is a few hundred bytes beyond the file itself.
    let limit = if *form == Form::Raw {
        max
    } else {
        max + 64 * 1024
    };
    loop {
        let next = tokio::time::timeout(app.director.body_timeout, stream.next()).await;
        let chunk = match next {
            Err(_) => {
                return Err(DirectorError::new(
                    StatusCode::REQUEST_TIMEOUT,
                    100,
                    format!(
                        "the upload stalled: no data for {} seconds",
                        app.director.body_timeout.as_secs()
                    ),
                ))
            }
            Ok(None) => break,
            Ok(Some(Err(e))) => {
                return Err(DirectorError::bad(100, format!("incomplete upload: {e}")))
            }
            Ok(Some(Ok(c))) => c,
        };
        size += chunk.len() as u64;
        app.received
            .fetch_add(chunk.len() as u64, Ordering::Relaxed);
        if size > limit {
            return Err(too_large(max));
        }
        tokio::io::AsyncWriteExt::write_all(&mut file, &chunk)
            .await
            .map_err(DirectorError::internal)?;
    }
    tokio::io::AsyncWriteExt::flush(&mut file)
        .await
        .map_err(DirectorError::internal)?;
    drop(file);
    match form {
        Form::Raw => Ok(tmp),
        Form::Multipart(boundary) => {
            let boundary = boundary.clone();
            tokio::task::spawn_blocking(move || first_file_part(tmp, &boundary, &dir))
                .await
                .map_err(DirectorError::internal)?
        }
    }
}

/// Copies the first part that has a filename out of a spooled multipart body.
fn first_file_part(
    body: NamedTempFile,
    boundary: &str,
    dir: &std::path::Path,
) -> Result<NamedTempFile, DirectorError> {
    let bad = |what: &str| DirectorError::bad(100, format!("multipart upload: {what}"));
    let mut f = body.reopen().map_err(DirectorError::internal)?;
    let delim = format!("--{boundary}");
    let mut head = vec![0u8; 64 * 1024];
    let n = read_up_to(&mut f, &mut head).map_err(DirectorError::internal)?;
    head.truncate(n);
    // Parts start after a delimiter line; the file part has a filename in its headers.
    let mut pos = 0;
    let start = loop {
        let Some(d) = find(&head[pos..], delim.as_bytes()) else {
            return Err(bad("no file part"));
        };
        let part = pos + d + delim.len();
        // `--boundary--` closes the body.
        if head[part..].starts_with(b"--") {
            return Err(bad("no file part"));
        }
        let Some(h) = find(&head[part..], b"\r\n\r\n") else {
            return Err(bad("part headers do not end"));
        };
        let headers = String::from_utf8_lossy(&head[part..part + h]).to_ascii_lowercase();
        let data = part + h + 4;
        if headers.contains("filename=") {
            break data as u64;
        }
        pos = data;
    };
    // The part ends at the next delimiter, which starts with CRLF.
    let end_marker = format!("\r\n--{boundary}");
    let end = find_in_file(&mut f, start, end_marker.as_bytes())
        .map_err(DirectorError::internal)?
        .ok_or_else(|| bad("the file part does not end"))?;
    let mut out = tempfile::Builder::new()
        .prefix("upload-")
        .permissions(std::os::unix::fs::PermissionsExt::from_mode(0o666))
        .tempfile_in(dir)
        .map_err(DirectorError::internal)?;
    f.seek(SeekFrom::Start(start))
        .map_err(DirectorError::internal)?;
    std::io::copy(&mut (&mut f).take(end - start), out.as_file_mut())
        .map_err(DirectorError::internal)?;
    out.as_file_mut().flush().map_err(DirectorError::internal)?;
    Ok(out)
}

fn read_up_to(r: &mut impl Read, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match r.read(&mut buf[n..])? {
            0 => break,
            k => n += k,
        }
    }
    Ok(n)
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// The offset of the first `needle` at or after `from`.
fn find_in_file(f: &mut std::fs::File, from: u64, needle: &[u8]) -> std::io::Result<Option<u64>> {
    f.seek(SeekFrom::Start(from))?;
    let mut buf = vec![0u8; 1 << 20];
    let mut carry: Vec<u8> = Vec::new();
    let mut base = from;
    loop {
        let n = read_up_to(f, &mut buf)?;
        if n == 0 {
            return Ok(None);
        }
        let mut window = std::mem::take(&mut carry);
        let window_start = base - window.len() as u64;
        window.extend_from_slice(&buf[..n]);
        if let Some(i) = find(&window, needle) {
            return Ok(Some(window_start + i as u64));
        }
        let keep = needle.len().saturating_sub(1).min(window.len());
        carry = window[window.len() - keep..].to_vec();
        base += n as u64;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn takes_the_file_part_of_a_multipart_body() {
        let dir = tempfile::tempdir().unwrap();
        let mut body = NamedTempFile::new_in(dir.path()).unwrap();
        let payload: Vec<u8> = (0..3_000_000u32).map(|i| (i % 251) as u8).collect();
        write!(
            body,
            "--XyZ\r\nContent-Disposition: form-data; name=\"sha1\"\r\n\r\nabc\r\n--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"r.tgz\"\r\nContent-Type: application/octet-stream\r\n\r\n"
        )
        .unwrap();
        body.write_all(&payload).unwrap();
        write!(body, "\r\n--XyZ--\r\n").unwrap();
        let out = first_file_part(body, "XyZ", dir.path()).unwrap();
        assert_eq!(std::fs::read(out.path()).unwrap(), payload);
    }

    #[test]
    fn a_body_without_a_file_part_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let mut body = NamedTempFile::new_in(dir.path()).unwrap();
        write!(
            body,
            "--b\r\nContent-Disposition: form-data; name=\"x\"\r\n\r\n1\r\n--b--\r\n"
        )
        .unwrap();
        let e = first_file_part(body, "b", dir.path()).unwrap_err();
        assert!(e.message.contains("no file part"), "{}", e.message);
    }
}
