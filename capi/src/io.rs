//! Bring your own port: a modem over the caller's read/write callbacks or an open file
//! descriptor (a UART driver, a CMUX channel, a C++ serial class, a socket).
//!
//! Both become a [`driver::Transport`] for the std driver, which runs its reader thread over it
//! exactly as over a serial port: reads with a short timeout (so the thread notices a shutdown
//! and `l610_modem_free` can join it), writes from the calling threads, one at a time.

use std::ffi::c_void;
use std::io::{self, Read, Write};
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd, RawFd};
use std::sync::Arc;
use std::time::Duration;

use crate::ffi::*;
use crate::modem::{builder_from, l610_modem, l610_modem_options, open_with};
use crate::status::l610_status;

/// How long one read may wait before the reader thread looks at its stop flag and its timers.
const READ_SLICE_MS: u32 = 50;

/// Reads up to `len` bytes into `buf`, waiting at most `timeout_ms` for the first one.
///
/// Return the number of bytes read (1 to `len`); 0 when nothing arrived within `timeout_ms` (the
/// library calls again); a negative value when the transport is gone or failed (the modem then
/// closes: every call fails with `L610_CLOSED`). Called only on the library's reader thread,
/// with `timeout_ms` of about 50: returning later delays `l610_modem_free` by as much.
pub type l610_read_callback = Option<
    unsafe extern "C" fn(
        user_data: *mut c_void,
        buf: *mut u8,
        len: usize,
        timeout_ms: u32,
    ) -> isize,
>;

/// Writes up to `len` bytes of `buf` (`len` is at most 1024).
///
/// Return the number of bytes written (1 to `len`; the library writes the rest with more
/// calls); 0 when nothing could be written for now (the library tries again after a
/// millisecond, for up to 10 s, then fails the command with `L610_IO_ERROR`); a negative value
/// on failure (`L610_IO_ERROR`). Called on the threads that make calls on the modem, never two
/// at once, but concurrently with the read callback (a full-duplex port is read and written at
/// the same time).
pub type l610_write_callback =
    Option<unsafe extern "C" fn(user_data: *mut c_void, buf: *const u8, len: usize) -> isize>;

/// The caller's transport for `l610_modem_open_io`.
///
/// Both callbacks must not unwind (no C++ exceptions, no `longjmp`) and must not call any
/// `l610_*` function on the same modem. `user_data` is passed to them as is; the library never
/// dereferences or frees it, and never calls either callback after `l610_modem_shutdown` or
/// `l610_modem_free` returns, so it may be released then.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct l610_io {
    /// Required.
    pub read: l610_read_callback,
    /// Required.
    pub write: l610_write_callback,
    /// Handed to both callbacks.
    pub user_data: *mut c_void,
}

/// The callbacks and the user's pointer, moved to the reader thread and the writers.
#[derive(Clone, Copy)]
struct Callbacks {
    read: unsafe extern "C" fn(*mut c_void, *mut u8, usize, u32) -> isize,
    write: unsafe extern "C" fn(*mut c_void, *const u8, usize) -> isize,
    user_data: *mut c_void,
}

// SAFETY: the library never touches `user_data`; the documented contract of `l610_io` puts the
// thread safety of the callbacks and their data on the caller (read on the reader thread,
// write on the calling threads).
unsafe impl Send for Callbacks {}

impl Read for Callbacks {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        // SAFETY: `buf` is writable for its length; the callback's contract is the caller's.
        let n = unsafe { (self.read)(self.user_data, buf.as_mut_ptr(), buf.len(), READ_SLICE_MS) };
        match n {
            0 => Err(io::ErrorKind::TimedOut.into()),
            n if n < 0 => Err(io::Error::other(format!(
                "the read callback reported a failure ({n})"
            ))),
            // A callback that claims more than it was given cannot be believed at all.
            n if n as usize > buf.len() => Err(io::Error::other(format!(
                "the read callback returned {n} for a buffer of {}",
                buf.len()
            ))),
            n => Ok(n as usize),
        }
    }
}

impl Write for Callbacks {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let buf = &buf[..buf.len().min(1024)];
        // SAFETY: `buf` is readable for its length; the callback's contract is the caller's.
        let n = unsafe { (self.write)(self.user_data, buf.as_ptr(), buf.len()) };
        match n {
            0 => {
                // The engine retries a would-block write at once; do not let it spin.
                std::thread::sleep(Duration::from_millis(1));
                Err(io::ErrorKind::WouldBlock.into())
            }
            n if n < 0 => Err(io::Error::other(format!(
                "the write callback reported a failure ({n})"
            ))),
            n if n as usize > buf.len() => Err(io::Error::other(format!(
                "the write callback returned {n} for {} bytes",
                buf.len()
            ))),
            n => Ok(n as usize),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl driver::Transport for Callbacks {
    fn split(self) -> io::Result<(Box<dyn Read + Send>, Box<dyn Write + Send>)> {
        Ok((Box::new(self), Box::new(self)))
    }

    /// `l610_read_callback` promises the read callback runs only on the library's reader
    /// thread (a C port layer may rely on that), so callers never read it themselves.
    fn callers_may_read(&self) -> bool {
        false
    }
}

/// Open a modem over the caller's own transport: `io->read` and `io->write` (both required)
/// move the bytes, the library runs its reader thread over them as over a serial port. `io` is
/// copied; `options` may be NULL for the defaults. On success the caller owns `*out_modem`; on
/// failure `l610_last_error` says why. See `l610_io` for when the callbacks run; none runs
/// after `l610_modem_shutdown` or `l610_modem_free` returns.
#[no_mangle]
pub unsafe extern "C" fn l610_modem_open_io(
    io: *const l610_io,
    options: *const l610_modem_options,
    out_modem: *mut *mut l610_modem,
) -> l610_status {
    open_with(out_modem, || {
        // SAFETY: the caller's contract.
        let io = unsafe { arg(io, "io") }?;
        let (Some(read), Some(write)) = (io.read, io.write) else {
            return Err(Fail::Null("io->read or io->write"));
        };
        let cb = Callbacks {
            read,
            write,
            user_data: io.user_data,
        };
        // SAFETY: the caller's contract (NULL or initialised options).
        let options = unsafe { options.as_ref() };
        Ok(builder_from(options).connect(cb)?)
    })
}

/// An open descriptor, read with `poll(2)` so a read never blocks longer than the slice.
struct Fd(Arc<OwnedFd>);

fn wait(fd: RawFd, events: libc::c_short, timeout_ms: u32) -> io::Result<bool> {
    let mut p = libc::pollfd {
        fd,
        events,
        revents: 0,
    };
    // SAFETY: one valid pollfd.
    let r = unsafe { libc::poll(&mut p, 1, timeout_ms as libc::c_int) };
    if r < 0 {
        let e = io::Error::last_os_error();
        return if e.kind() == io::ErrorKind::Interrupted {
            Ok(false)
        } else {
            Err(e)
        };
    }
    Ok(r > 0)
}

impl Read for Fd {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let fd = self.0.as_raw_fd();
        if !wait(fd, libc::POLLIN, READ_SLICE_MS)? {
            return Err(io::ErrorKind::TimedOut.into());
        }
        // SAFETY: `buf` is writable for its length.
        let n = unsafe { libc::read(fd, buf.as_mut_ptr().cast(), buf.len()) };
        if n < 0 {
            return Err(io::Error::last_os_error());
        }
        Ok(n as usize)
    }
}

impl Write for Fd {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let fd = self.0.as_raw_fd();
        // SAFETY: `buf` is readable for its length.
        let n = unsafe { libc::write(fd, buf.as_ptr().cast(), buf.len()) };
        if n < 0 {
            let e = io::Error::last_os_error();
            if e.kind() == io::ErrorKind::WouldBlock {
                // A non-blocking descriptor: wait until it takes bytes again.
                wait(fd, libc::POLLOUT, READ_SLICE_MS)?;
            }
            return Err(e);
        }
        Ok(n as usize)
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl driver::Transport for Fd {
    fn split(self) -> io::Result<(Box<dyn Read + Send>, Box<dyn Write + Send>)> {
        Ok((Box::new(Fd(self.0.clone())), Box::new(self)))
    }
}

/// Open a modem over a file descriptor the caller has already opened and configured (a tty
/// with its baud rate and raw mode set, a pty, a socket, a CMUX channel's device). The library
/// works on a duplicate (`F_DUPFD_CLOEXEC`), closed by `l610_modem_free`; the caller keeps
/// `fd` and may close it at any time. Blocking and non-blocking descriptors both work; the
/// port's settings are not changed. `options` may be NULL. On failure `l610_last_error` says
/// why.
#[no_mangle]
pub unsafe extern "C" fn l610_modem_open_fd(
    fd: i32,
    options: *const l610_modem_options,
    out_modem: *mut *mut l610_modem,
) -> l610_status {
    open_with(out_modem, || {
        if fd < 0 {
            return Err(invalid(format!("fd {fd} is not a file descriptor")));
        }
        // SAFETY: F_DUPFD_CLOEXEC only reads `fd`; a bad one is EBADF.
        let dup = unsafe { libc::fcntl(fd, libc::F_DUPFD_CLOEXEC, 0) };
        if dup < 0 {
            let e = io::Error::last_os_error();
            return Err(driver::Error::Io(io::Error::new(
                e.kind(),
                format!("fd {fd} cannot be used: {e}"),
            ))
            .into());
        }
        // SAFETY: `dup` is a fresh descriptor that nothing else owns.
        let owned = unsafe { OwnedFd::from_raw_fd(dup) };
        // SAFETY: the caller's contract (NULL or initialised options).
        let options = unsafe { options.as_ref() };
        Ok(builder_from(options).connect(Fd(Arc::new(owned)))?)
    })
}
