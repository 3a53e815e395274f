//! The read half of a serial port: take what the line discipline holds, and wait only when it
//! holds nothing.
//!
//! serialport's `TTYPort::read` polls before every read, so each chunk costs two system calls,
//! and the poll is the one that sleeps. In a receive at the LTE Cat 1 peak (about 2.5 MB/s of
//! hex) the driver reads several hundred chunks a second, and most of the time a chunk is already
//! waiting. So this reader turns the port non-blocking and, while the data streams, reads first.
//! It polls, up to the port's timeout, only when a read finds nothing. That is one system call
//! per chunk instead of two; BENCHMARKS.md has the figures. A command's answer is another matter:
//! after a short read the next one is for the next answer, which is not there yet, so a read
//! first would be a third call. After a short read the reader polls first, as serialport does.
//!
//! `O_NONBLOCK` belongs to the open file, which the write half (a `dup` of it) shares. That is
//! safe because serialport's write polls for room before every write. A write that would still
//! block returns `WouldBlock`, and the engine's `write_all` rides that out as it rides out a write
//! timeout.

use std::io::{self, Read};
use std::os::fd::{AsRawFd, RawFd};
use std::time::Duration;

use serialport::TTYPort;

/// The read half of a [`TTYPort`], for the engine's `port` lock.
pub(crate) struct TtyReader {
    port: TTYPort,
    /// How long one read waits for a first byte before it reports `TimedOut`.
    timeout: Duration,
    /// The last read was long (the data streams): read before polling.
    streaming: bool,
}

/// A read at least this long means the data streams: a 2 KB hex `+MIPRTCP` line is 4 KB, a
/// command's answer is a few dozen bytes.
const STREAMING: usize = 1024;

impl TtyReader {
    /// Take `port` as a read half whose reads time out after `timeout`.
    pub(crate) fn new(port: TTYPort, timeout: Duration) -> io::Result<TtyReader> {
        set_nonblocking(port.as_raw_fd())?;
        Ok(TtyReader {
            port,
            timeout,
            streaming: false,
        })
    }
}

impl Read for TtyReader {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if buf.is_empty() {
            return Ok(0);
        }
        let fd = self.port.as_raw_fd();
        let got = self.read_or_wait(fd, buf);
        self.streaming = matches!(got, Ok(n) if n >= STREAMING);
        got
    }
}

impl TtyReader {
    fn read_or_wait(&mut self, fd: RawFd, buf: &mut [u8]) -> io::Result<usize> {
        if self.streaming {
            match read_now(fd, buf) {
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => {}
                other => return other,
            }
        }
        // Nothing there (or nothing expected): wait for a byte, then read what has come.
        if !wait_readable(fd, self.timeout)? {
            return Err(io::ErrorKind::TimedOut.into());
        }
        match read_now(fd, buf) {
            // Readable but gone (another reader of the same file took it): a short wait.
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => Err(io::ErrorKind::TimedOut.into()),
            other => other,
        }
    }
}

fn set_nonblocking(fd: RawFd) -> io::Result<()> {
    // SAFETY: fcntl on a descriptor this port owns, with integer arguments only.
    let flags = unsafe { libc::fcntl(fd, libc::F_GETFL) };
    if flags < 0 {
        return Err(io::Error::last_os_error());
    }
    // SAFETY: as above.
    if unsafe { libc::fcntl(fd, libc::F_SETFL, flags | libc::O_NONBLOCK) } < 0 {
        return Err(io::Error::last_os_error());
    }
    Ok(())
}

/// One `read(2)` that does not block: `WouldBlock` when nothing is there, `EINTR` retried.
fn read_now(fd: RawFd, buf: &mut [u8]) -> io::Result<usize> {
    loop {
        // SAFETY: `buf` is valid for writes of `buf.len()` bytes for the whole call.
        let n = unsafe { libc::read(fd, buf.as_mut_ptr().cast(), buf.len()) };
        if let Ok(n) = usize::try_from(n) {
            return Ok(n);
        }
        let e = io::Error::last_os_error();
        if e.kind() != io::ErrorKind::Interrupted {
            return Err(e);
        }
    }
}

/// Wait up to `timeout` for `fd` to be readable (or hung up, or in error: the next read tells
/// which). `false` when the time ran out.
fn wait_readable(fd: RawFd, timeout: Duration) -> io::Result<bool> {
    let mut pfd = libc::pollfd {
        fd,
        events: libc::POLLIN,
        revents: 0,
    };
    let ms = libc::c_int::try_from(timeout.as_millis()).unwrap_or(libc::c_int::MAX);
    loop {
        // SAFETY: one valid `pollfd`, count 1.
        let r = unsafe { libc::poll(&mut pfd, 1, ms) };
        if r >= 0 {
            return Ok(r > 0);
        }
        let e = io::Error::last_os_error();
        if e.kind() != io::ErrorKind::Interrupted {
            return Err(e);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serialport::SerialPort;
    use std::io::Write;
    use std::time::Instant;

    fn pair() -> (TTYPort, TTYPort) {
        let (mut master, slave) = TTYPort::pair().expect("a pseudo-terminal pair");
        master.set_timeout(Duration::from_secs(5)).unwrap();
        (master, slave)
    }

    #[test]
    fn reads_what_is_waiting_and_times_out_on_silence() {
        let (mut master, slave) = pair();
        let mut r = TtyReader::new(slave, Duration::from_millis(20)).unwrap();
        let mut buf = [0u8; 64];
        let e = r.read(&mut buf).unwrap_err();
        assert_eq!(e.kind(), io::ErrorKind::TimedOut);
        master.write_all(b"OK\r\n").unwrap();
        let deadline = Instant::now() + Duration::from_secs(10);
        let mut got = Vec::new();
        while got.len() < 4 && Instant::now() < deadline {
            match r.read(&mut buf) {
                Ok(n) => got.extend_from_slice(&buf[..n]),
                Err(e) if e.kind() == io::ErrorKind::TimedOut => {}
                Err(e) => panic!("{e}"),
            }
        }
        assert_eq!(got, b"OK\r\n");
    }

    #[test]
    fn the_write_half_still_writes_everything() {
        // O_NONBLOCK is shared with the dup'd write half: a large write still arrives whole.
        let (mut master, slave) = pair();
        let mut writer = slave.try_clone_native().unwrap();
        let _r = TtyReader::new(slave, Duration::from_millis(20)).unwrap();
        let data: Vec<u8> = (0..200_000u32).map(|i| b'a' + (i % 26) as u8).collect();
        let reading = std::thread::spawn(move || {
            let mut got = vec![0u8; 200_000];
            master.read_exact(&mut got).map(|()| got)
        });
        let mut left = &data[..];
        let deadline = Instant::now() + Duration::from_secs(30);
        while !left.is_empty() {
            match writer.write(left) {
                Ok(n) => left = &left[n..],
                Err(e)
                    if matches!(
                        e.kind(),
                        io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
                    ) =>
                {
                    assert!(Instant::now() < deadline, "the write half made no progress");
                }
                Err(e) => panic!("{e}"),
            }
        }
        assert_eq!(reading.join().unwrap().unwrap(), data);
    }

    #[test]
    fn a_closed_far_end_is_an_error_not_a_timeout() {
        let (master, slave) = pair();
        let mut r = TtyReader::new(slave, Duration::from_millis(20)).unwrap();
        drop(master);
        let mut buf = [0u8; 16];
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            match r.read(&mut buf) {
                Ok(0) => break,
                Err(e) if e.kind() != io::ErrorKind::TimedOut => break,
                _ => assert!(Instant::now() < deadline, "the end was never reported"),
            }
        }
    }
}
