//! The websocket size limit, enforced from each frame's header before its payload is buffered.
//!
//! The websocket layer reserves a frame's whole announced length as soon as it reads the
//! header, so a client that announces a large frame and then stalls holds that much memory.
//! [`FrameGuard`] sits under the websocket layer, reads the client's frame headers as the bytes
//! go by, and fails the read as soon as a header (or the running length of a fragmented
//! message) goes over the connection's current limit. The limit is small until the connection
//! logs in; the connection task then raises it to the configured `max_frame_bytes`.

use std::io;
use std::pin::Pin;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll};

use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};

/// The error a [`FrameGuard`] read fails with (inside an [`io::Error`] of kind `InvalidData`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("frame of {len} bytes exceeds the limit of {limit}")]
pub struct FrameTooLarge {
    /// The announced length (of the frame, or of the message so far when fragmented).
    pub len: u64,
    /// The limit in force.
    pub limit: usize,
}

impl FrameTooLarge {
    /// The [`FrameTooLarge`] inside a websocket read error, if that is what it is.
    pub fn find(error: &(dyn std::error::Error + 'static)) -> Option<FrameTooLarge> {
        let mut source = Some(error);
        while let Some(e) = source {
            if let Some(found) = e.downcast_ref::<FrameTooLarge>() {
                return Some(*found);
            }
            if let Some(io) = e.downcast_ref::<io::Error>() {
                if let Some(found) = io.get_ref().and_then(|i| i.downcast_ref::<FrameTooLarge>()) {
                    return Some(*found);
                }
            }
            source = e.source();
        }
        None
    }
}

/// The largest header of a client frame: 2 bytes, 8 of extended length, 4 of mask.
const MAX_HEADER: usize = 14;

/// Where the parser is in the client's byte stream.
#[derive(Debug, Default)]
struct Parser {
    header: [u8; MAX_HEADER],
    have: usize,
    /// Payload bytes of the current frame still to skip.
    payload_left: u64,
    /// Payload bytes of the data message being assembled (fragments add up).
    message: u64,
}

impl Parser {
    /// Reads `bytes` through; the first limit crossed, if any.
    fn feed(&mut self, mut bytes: &[u8], limit: usize) -> Result<(), FrameTooLarge> {
        while !bytes.is_empty() {
            if self.payload_left > 0 {
                let skip =
                    usize::try_from(self.payload_left).unwrap_or(usize::MAX).min(bytes.len());
                self.payload_left -= skip as u64;
                bytes = &bytes[skip..];
                continue;
            }
            self.header[self.have] = bytes[0];
            self.have += 1;
            bytes = &bytes[1..];
            if let Some((fin, opcode, len)) = self.complete_header() {
                self.have = 0;
                self.payload_left = len;
                // Control frames (opcode 8 and up) may come between fragments of a message.
                if opcode < 8 {
                    self.message = self.message.saturating_add(len);
                    if self.message > limit as u64 {
                        return Err(FrameTooLarge { len: self.message, limit });
                    }
                    if fin {
                        self.message = 0;
                    }
                } else if len > limit as u64 {
                    return Err(FrameTooLarge { len, limit });
                }
            }
        }
        Ok(())
    }

    /// `(fin, opcode, payload length)` once the header read so far is whole.
    fn complete_header(&self) -> Option<(bool, u8, u64)> {
        let h = &self.header[..self.have];
        if h.len() < 2 {
            return None;
        }
        let (fin, opcode) = (h[0] & 0x80 != 0, h[0] & 0x0f);
        let mask = if h[1] & 0x80 != 0 { 4 } else { 0 };
        let (extra, len) = match h[1] & 0x7f {
            126 => (2, h.get(2..4).map(|b| u64::from(u16::from_be_bytes([b[0], b[1]])))),
            127 => (8, h.get(2..10).map(|b| u64::from_be_bytes(b.try_into().unwrap_or([0xff; 8])))),
            short => (0, Some(u64::from(short))),
        };
        (h.len() == 2 + extra + mask).then_some(())?;
        Some((fin, opcode, len?))
    }
}

/// The connection's current limit, shared between its task (which raises it at login) and its
/// [`FrameGuard`].
#[derive(Debug, Clone)]
pub struct FrameLimit(Arc<AtomicUsize>);

impl FrameLimit {
    /// A limit of `bytes`.
    pub fn new(bytes: usize) -> Self {
        FrameLimit(Arc::new(AtomicUsize::new(bytes)))
    }

    /// Changes it (applies from the next frame header).
    pub fn set(&self, bytes: usize) {
        self.0.store(bytes, Ordering::Relaxed);
    }

    /// Its value.
    pub fn get(&self) -> usize {
        self.0.load(Ordering::Relaxed)
    }
}

/// An I/O stream whose reads fail once the client announces a frame over the limit.
#[derive(Debug)]
pub struct FrameGuard<T> {
    inner: T,
    limit: FrameLimit,
    parser: Parser,
    /// Set once a limit was crossed: later reads discard what arrives and fail the same way.
    failed: Option<FrameTooLarge>,
}

impl<T> FrameGuard<T> {
    /// Guards the websocket stream `inner` (positioned at its first frame).
    pub fn new(inner: T, limit: FrameLimit) -> Self {
        FrameGuard { inner, limit, parser: Parser::default(), failed: None }
    }
}

fn refuse(e: FrameTooLarge) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, e)
}

/// After a refusal: reads what the client still sends and throws it away, failing again each
/// time it read something (end of stream is passed on), so the connection can read a refused
/// frame's rest away before it closes.
fn discard<T: AsyncRead>(
    inner: Pin<&mut T>,
    cx: &mut Context<'_>,
    e: FrameTooLarge,
) -> Poll<io::Result<()>> {
    let mut scratch = [0u8; 4096];
    let mut buf = ReadBuf::new(&mut scratch);
    match inner.poll_read(cx, &mut buf) {
        Poll::Ready(Ok(())) if buf.filled().is_empty() => Poll::Ready(Ok(())),
        Poll::Ready(Ok(())) => Poll::Ready(Err(refuse(e))),
        other => other,
    }
}

impl<T: AsyncRead + Unpin> AsyncRead for FrameGuard<T> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = &mut *self;
        if let Some(e) = this.failed {
            return discard(Pin::new(&mut this.inner), cx, e);
        }
        let before = buf.filled().len();
        match Pin::new(&mut this.inner).poll_read(cx, buf) {
            Poll::Ready(Ok(())) => {
                let limit = this.limit.get();
                match this.parser.feed(&buf.filled()[before..], limit) {
                    Ok(()) => Poll::Ready(Ok(())),
                    Err(e) => {
                        this.failed = Some(e);
                        Poll::Ready(Err(refuse(e)))
                    }
                }
            }
            other => other,
        }
    }
}

impl<T: AsyncWrite + Unpin> AsyncWrite for FrameGuard<T> {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.inner).poll_write(cx, buf)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.inner).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A masked client frame header announcing `len` bytes.
    fn header(fin: bool, opcode: u8, len: u64) -> Vec<u8> {
        let mut h = vec![if fin { 0x80 } else { 0 } | opcode];
        match len {
            0..=125 => h.push(0x80 | len as u8),
            126..=0xffff => {
                h.push(0x80 | 126);
                h.extend_from_slice(&(len as u16).to_be_bytes());
            }
            _ => {
                h.push(0x80 | 127);
                h.extend_from_slice(&len.to_be_bytes());
            }
        }
        h.extend_from_slice(&[1, 2, 3, 4]);
        h
    }

    #[test]
    fn frames_within_the_limit_pass_byte_by_byte() {
        let mut stream = header(true, 1, 300);
        stream.extend(vec![b'a'; 300]);
        stream.extend(header(true, 2, 5));
        stream.extend([0; 5]);
        let mut p = Parser::default();
        for b in &stream {
            p.feed(std::slice::from_ref(b), 300).unwrap();
        }
        assert_eq!((p.have, p.payload_left, p.message), (0, 0, 0));
    }

    #[test]
    fn a_large_announced_frame_fails_at_its_header() {
        let mut p = Parser::default();
        let e = p.feed(&header(true, 2, 2_100_000), 16 * 1024).unwrap_err();
        assert_eq!(e, FrameTooLarge { len: 2_100_000, limit: 16 * 1024 });
        let mut p = Parser::default();
        let e = p.feed(&header(true, 1, u64::MAX), 10).unwrap_err();
        assert_eq!(e.len, u64::MAX);
    }

    #[test]
    fn fragments_add_up_and_control_frames_between_them_do_not() {
        let mut p = Parser::default();
        let mut stream = header(false, 1, 60);
        stream.extend([0; 60]);
        stream.extend(header(true, 9, 10)); // a ping between fragments
        stream.extend([0; 10]);
        stream.extend(header(false, 0, 40));
        stream.extend([0; 40]);
        p.feed(&stream, 100).unwrap();
        let e = p.feed(&header(true, 0, 1), 100).unwrap_err();
        assert_eq!(e, FrameTooLarge { len: 101, limit: 100 });
    }

    #[test]
    fn the_error_is_found_inside_io_errors() {
        let io = refuse(FrameTooLarge { len: 9, limit: 8 });
        assert_eq!(FrameTooLarge::find(&io), Some(FrameTooLarge { len: 9, limit: 8 }));
        let other = io::Error::other("x");
        assert_eq!(FrameTooLarge::find(&other), None);
    }
}
