//! The module on a TCP port, as ser2net serves a serial device: one client at a time; the
//! line (the pty) is opened when a client connects and closed when it leaves, so what the
//! module says meanwhile waits in the line for the next client. pyserial's
//! `serial_for_url("socket://127.0.0.1:PORT")` reaches it.

use std::fs::File;
use std::io::{self, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::os::fd::AsRawFd;
use std::os::unix::fs::OpenOptionsExt;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;

use crate::port::{poll, set_nonblocking};

const POLL_MS: i32 = 50;

/// Serves `pty` on `listener` until `stop` is set.
pub(crate) fn spawn(
    listener: TcpListener,
    pty: PathBuf,
    stop: Arc<AtomicBool>,
) -> io::Result<(SocketAddr, JoinHandle<()>)> {
    let addr = listener.local_addr()?;
    listener.set_nonblocking(true)?;
    let handle = std::thread::Builder::new()
        .name("l610-sim-tcp".into())
        .spawn(move || {
            while !stop.load(Ordering::SeqCst) {
                match listener.accept() {
                    Ok((client, _)) => {
                        if let Err(e) = serve(client, &pty, &stop) {
                            log::debug!("l610-sim: TCP client ended: {e}");
                        }
                    }
                    Err(e) if e.kind() == io::ErrorKind::WouldBlock => {
                        let _ = poll(listener.as_raw_fd(), libc::POLLIN, POLL_MS);
                    }
                    Err(e) => {
                        log::error!("l610-sim: TCP accept: {e}");
                        return;
                    }
                }
            }
        })?;
    Ok((addr, handle))
}

/// Relays bytes between one client and the line until either side is gone.
fn serve(client: TcpStream, pty: &PathBuf, stop: &AtomicBool) -> io::Result<()> {
    let line = File::options()
        .read(true)
        .write(true)
        .custom_flags(libc::O_NOCTTY)
        .open(pty)?;
    set_nonblocking(line.as_raw_fd())?;
    client.set_nonblocking(true)?;
    let _ = client.set_nodelay(true);
    let (mut line, mut client) = (line, client);
    let mut buf = [0u8; 4096];
    while !stop.load(Ordering::SeqCst) {
        let mut fds = [
            libc::pollfd {
                fd: client.as_raw_fd(),
                events: libc::POLLIN,
                revents: 0,
            },
            libc::pollfd {
                fd: line.as_raw_fd(),
                events: libc::POLLIN,
                revents: 0,
            },
        ];
        // SAFETY: two valid pollfds.
        let r = unsafe { libc::poll(fds.as_mut_ptr(), 2, POLL_MS) };
        if r <= 0 {
            continue;
        }
        if fds[0].revents != 0 {
            match client.read(&mut buf) {
                Ok(0) => return Ok(()),
                Ok(n) => write_all(&mut line, &buf[..n], stop)?,
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => {}
                Err(e) => return Err(e),
            }
        }
        if fds[1].revents != 0 {
            match line.read(&mut buf) {
                Ok(0) => {}
                Ok(n) => write_all(&mut client, &buf[..n], stop)?,
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => {}
                Err(e) => return Err(e),
            }
        }
    }
    Ok(())
}

fn write_all(
    to: &mut (impl Write + AsRawFd),
    mut data: &[u8],
    stop: &AtomicBool,
) -> io::Result<()> {
    while !data.is_empty() && !stop.load(Ordering::SeqCst) {
        match to.write(data) {
            Ok(0) => return Err(io::ErrorKind::WriteZero.into()),
            Ok(n) => data = &data[n..],
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => {
                poll(to.as_raw_fd(), libc::POLLOUT, POLL_MS)?;
            }
            Err(e) => return Err(e),
        }
    }
    Ok(())
}
