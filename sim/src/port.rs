//! The module's end of the serial line: a non-blocking file descriptor (pty master or one end
//! of a socket pair) shared by the receive and transmit threads. Waits use poll with a short
//! timeout so both threads notice a stop request.

use std::io;
use std::os::fd::{AsRawFd, OwnedFd, RawFd};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

const POLL_MS: i32 = 50;

#[derive(Clone)]
pub(crate) struct Port {
    fd: Arc<OwnedFd>,
}

impl Port {
    pub(crate) fn new(fd: OwnedFd) -> io::Result<Port> {
        set_nonblocking(fd.as_raw_fd())?;
        Ok(Port { fd: Arc::new(fd) })
    }

    fn raw(&self) -> RawFd {
        self.fd.as_raw_fd()
    }

    /// Reads what is there; `Ok(None)` when nothing arrived within the poll interval.
    pub(crate) fn read(&self, buf: &mut [u8]) -> io::Result<Option<usize>> {
        if !poll(self.raw(), libc::POLLIN, POLL_MS)? {
            return Ok(None);
        }
        // SAFETY: buf is valid for buf.len() bytes and the fd is owned by self.
        let n = unsafe { libc::read(self.raw(), buf.as_mut_ptr().cast(), buf.len()) };
        if n < 0 {
            let e = io::Error::last_os_error();
            return match e.kind() {
                io::ErrorKind::WouldBlock | io::ErrorKind::Interrupted => Ok(None),
                // A pty master reports EIO while no one holds the slave; we keep the slave
                // open, so this only happens transiently.
                _ if e.raw_os_error() == Some(libc::EIO) => {
                    std::thread::sleep(std::time::Duration::from_millis(POLL_MS as u64));
                    Ok(None)
                }
                _ => Err(e),
            };
        }
        Ok(Some(n as usize))
    }

    pub(crate) fn write_all(&self, mut buf: &[u8], stop: &AtomicBool) -> io::Result<()> {
        while !buf.is_empty() {
            if stop.load(Ordering::SeqCst) {
                return Err(io::ErrorKind::Interrupted.into());
            }
            if !poll(self.raw(), libc::POLLOUT, POLL_MS)? {
                continue;
            }
            // SAFETY: buf is valid for buf.len() bytes and the fd is owned by self.
            let n = unsafe { libc::write(self.raw(), buf.as_ptr().cast(), buf.len()) };
            if n < 0 {
                let e = io::Error::last_os_error();
                match e.kind() {
                    io::ErrorKind::WouldBlock | io::ErrorKind::Interrupted => continue,
                    _ => return Err(e),
                }
            }
            buf = &buf[n as usize..];
        }
        Ok(())
    }
}

/// True when `events` are ready; errors and hang-ups count as ready so the caller sees them.
pub(crate) fn poll(fd: RawFd, events: libc::c_short, timeout_ms: i32) -> io::Result<bool> {
    let mut pfd = libc::pollfd {
        fd,
        events,
        revents: 0,
    };
    // SAFETY: one valid pollfd.
    let r = unsafe { libc::poll(&mut pfd, 1, timeout_ms) };
    if r < 0 {
        let e = io::Error::last_os_error();
        if e.kind() == io::ErrorKind::Interrupted {
            return Ok(false);
        }
        return Err(e);
    }
    Ok(r > 0)
}

pub(crate) fn set_nonblocking(fd: RawFd) -> io::Result<()> {
    // SAFETY: fcntl on a valid fd.
    unsafe {
        let flags = libc::fcntl(fd, libc::F_GETFL);
        if flags < 0 || libc::fcntl(fd, libc::F_SETFL, flags | libc::O_NONBLOCK) < 0 {
            return Err(io::Error::last_os_error());
        }
    }
    Ok(())
}
