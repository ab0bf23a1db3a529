//! A reader as a stream of byte chunks, for HTTP bodies that must not hold a whole object in
//! memory (the DAV client's uploads, the blobstore server's downloads).

use futures::Stream;
use tokio::io::{AsyncRead, AsyncReadExt};

pub fn chunks<R>(reader: R, size: usize) -> impl Stream<Item = std::io::Result<bytes::Bytes>> + Send
where
    R: AsyncRead + Unpin + Send + 'static,
{
    futures::stream::unfold((reader, vec![0u8; size]), |(mut r, mut buf)| async move {
        match r.read(&mut buf).await {
            Ok(0) => None,
            Ok(n) => Some((Ok(bytes::Bytes::copy_from_slice(&buf[..n])), (r, buf))),
            Err(e) => Some((Err(e), (r, buf))),
        }
    })
}
