//! A connected socket as `std::io::Read + std::io::Write`, so any Rust protocol client (HTTP,
//! MQTT, ...) can run over the module.

use std::io;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use l610_proto::{commands, CloseReason, ReadError, SocketHandle};

use super::{Protocol, SocketState};
use crate::at::engine::{Engine, Interrupted};
use crate::error::{Error, Result};

/// The least one read-mode pull asks for, so a one-byte `read` does not cost a command per byte.
const PULL_MIN: usize = 1460;

/// A connected `+MIPOPEN` socket (TLS or TCP). Reads take data the reader thread has already
/// buffered; writes are `AT+MIPSEND` in chunks of at most `send_chunk` bytes. Dropping it closes
/// the connection. `Send + Sync`: one thread may read while another writes, and
/// [`close`](Self::close) from any thread wakes a blocked reader.
///
/// The handle names one *use* of a module socket id: after it is closed, a later connection
/// that reuses the id is out of its reach (reads and closes of this handle cannot touch it).
pub struct Socket {
    engine: Arc<Engine>,
    handle: SocketHandle,
    protocol: Protocol,
    read_timeout: Option<Duration>,
    closed: AtomicBool,
}

impl std::fmt::Debug for Socket {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Socket")
            .field("id", &self.handle.id)
            .field("generation", &self.handle.generation)
            .field("protocol", &self.protocol)
            .finish_non_exhaustive()
    }
}

impl Socket {
    pub(crate) fn new(engine: Arc<Engine>, handle: SocketHandle, protocol: Protocol) -> Self {
        Socket {
            engine,
            handle,
            protocol,
            read_timeout: None,
            closed: AtomicBool::new(false),
        }
    }

    /// The module's socket id (1–6).
    pub fn id(&self) -> u8 {
        self.handle.id
    }

    /// The session's handle (id and generation).
    pub fn handle(&self) -> SocketHandle {
        self.handle
    }

    /// TCP or TLS.
    pub fn protocol(&self) -> Protocol {
        self.protocol
    }

    /// Timeout for [`io::Read::read`]; `None` (the default) blocks until data or close.
    pub fn set_read_timeout(&mut self, timeout: Option<Duration>) {
        self.read_timeout = timeout;
    }

    /// The read timeout in force.
    pub fn read_timeout(&self) -> Option<Duration> {
        self.read_timeout
    }

    /// Where the socket stands (the peer may have closed it).
    pub fn state(&self) -> SocketState {
        SocketState::from(self.engine.session().socket_state(self.handle))
    }

    /// Bytes received and not yet read.
    pub fn buffered(&self) -> usize {
        self.engine.session().socket_buffered(self.handle)
    }

    /// Send all of `data` (`AT+MIPSEND=<id>,<len>`, `>`, exactly `len` bytes, per chunk).
    pub fn send(&self, data: &[u8]) -> Result<()> {
        for chunk in data.chunks(self.engine.config.send_chunk.clamp(1, commands::MAX_SEND)) {
            self.send_chunk(chunk)?;
        }
        Ok(())
    }

    fn send_chunk(&self, chunk: &[u8]) -> Result<()> {
        match self.engine.session().socket_state(self.handle) {
            l610_proto::SocketState::Open => {}
            l610_proto::SocketState::Opening => {}
            other => return Err(closed_error(self.handle.id, other)),
        }
        // The payload is the application's own traffic, which the trace is there to show (keys
        // and certificates go through `+GTSSLFILE`, never here).
        let cmd = commands::send(self.handle.id, chunk)?;
        let r = self.engine.execute(&cmd)?;
        // Flowed off: the data was still taken, so the only sensible reaction is to go on (the
        // next send waits for `>`).
        match commands::parse_send(&r) {
            Ok(Some(status)) if status.flowed_off => {
                log::debug!(target: "l610", "socket {}: module reports flow control", self.handle.id);
            }
            Ok(_) => {}
            Err(why) => {
                return Err(Error::UnexpectedResponse {
                    command: cmd.line().to_owned(),
                    response: format!("{} ({why})", r.lines().collect::<Vec<_>>().join(" | ")),
                })
            }
        }
        Ok(())
    }

    /// Receive up to `buf.len()` bytes, waiting at most `timeout` (`None`: until data or close).
    /// Returns 0 at end of stream — only when the peer closed and all data was read. A module
    /// restart, a broken stack or lost bytes are errors, never a short stream.
    pub fn recv_timeout(&self, buf: &mut [u8], timeout: Option<Duration>) -> Result<usize> {
        if buf.is_empty() {
            return Ok(0);
        }
        let h = self.handle;
        let deadline = timeout.map(|t| Instant::now() + t);
        let got = loop {
            // In read mode (IPRFMT 5) the module holds the bytes until asked: the session says
            // when an `AT+MIPREAD` is due, and its answer lands in the buffer read below.
            let step = self.engine.drive(deadline, |s| {
                if s.socket_readable(h) {
                    Some(Ok(s.read_socket(h, buf)))
                } else {
                    s.socket_pull(h, buf.len().max(PULL_MIN)).map(Err)
                }
            });
            match step {
                Ok(Err(pull)) => match self.engine.execute(&pull) {
                    Ok(_) => continue,
                    // Refused because the socket went meanwhile: its state is the answer.
                    Err(Error::AtError { .. } | Error::Cme { .. })
                        if self.engine.session().socket_readable(h) =>
                    {
                        continue
                    }
                    Err(e) => return Err(e),
                },
                Ok(Ok(r)) => break Ok(r),
                Err(e) => break Err(e),
            }
        };
        match got {
            Ok(Ok(n)) => Ok(n),
            Ok(Err(ReadError::Lost { bytes })) => Err(Error::Overflow {
                socket: h.id,
                dropped: bytes,
            }),
            Ok(Err(ReadError::Closed(CloseReason::ModuleRestarted))) => Err(Error::ModuleReset {
                during: format!("a read of socket {}", h.id),
            }),
            Ok(Err(ReadError::Closed(r))) => {
                Err(Error::Closed(format!("socket {}: {}", h.id, r.describe())))
            }
            Ok(Err(ReadError::Released)) => Err(Error::Closed(format!(
                "socket {} was closed by this host",
                h.id
            ))),
            Ok(Err(ReadError::WouldBlock)) => unreachable!("waited until readable"),
            Err(Interrupted::Timeout) => Err(Error::Timeout {
                waiting_for: format!("data on socket {}", h.id),
                after: timeout.unwrap_or_default(),
            }),
            Err(Interrupted::Closed(why)) => Err(Error::Closed(why)),
            Err(Interrupted::Cancelled) => Err(Error::Cancelled),
            Err(Interrupted::Io(e)) => Err(Error::Io(e)),
        }
    }

    /// `AT+MIPCLOSE=<id>` and wait briefly for `+MIPCLOSE`. Closing a socket the peer already
    /// closed only releases it. Callable from any thread; a reader blocked on this socket wakes
    /// with [`Error::Closed`]. Later calls do nothing.
    pub fn close(&self) -> Result<()> {
        if self.closed.swap(true, Ordering::SeqCst) {
            return Ok(());
        }
        let h = self.handle;
        let still_open = self.engine.session().begin_close(h);
        let result = if still_open {
            match commands::close_socket(h.id)
                .map_err(Error::from)
                .and_then(|close| self.engine.execute(&close))
            {
                Ok(_) => {
                    let deadline = Instant::now() + self.engine.config.command_timeout;
                    match self.engine.drive(Some(deadline), |s| {
                        (!matches!(
                            s.socket_state(h),
                            l610_proto::SocketState::Open | l610_proto::SocketState::Opening
                        ))
                        .then_some(())
                    }) {
                        // Some firmware never sends the URC: the socket is closed all the same.
                        Ok(()) | Err(Interrupted::Timeout) => Ok(()),
                        Err(Interrupted::Closed(why)) => Err(Error::Closed(why)),
                        Err(Interrupted::Cancelled) => Err(Error::Cancelled),
                        Err(Interrupted::Io(e)) => Err(Error::Io(e)),
                    }
                }
                // The peer may have closed it while we asked.
                Err(Error::AtError { .. } | Error::Cme { .. })
                    if !matches!(self.state(), SocketState::Open) =>
                {
                    Ok(())
                }
                Err(e) => Err(e),
            }
        } else {
            Ok(())
        };
        {
            let mut s = self.engine.session();
            s.mark_socket_closed(h);
            s.release_socket(h);
        }
        self.engine.notify();
        result
    }
}

fn closed_error(id: u8, state: l610_proto::SocketState) -> Error {
    match state {
        l610_proto::SocketState::Closed(CloseReason::ModuleRestarted) => Error::ModuleReset {
            during: format!("a send on socket {id}"),
        },
        l610_proto::SocketState::Closed(r) => {
            Error::Closed(format!("socket {id}: {}", r.describe()))
        }
        _ => Error::Closed(format!("socket {id} was closed by this host")),
    }
}

impl io::Read for Socket {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        Ok(self.recv_timeout(buf, self.read_timeout)?)
    }
}

impl io::Write for Socket {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = buf
            .len()
            .min(self.engine.config.send_chunk.clamp(1, commands::MAX_SEND));
        self.send_chunk(&buf[..n])?;
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl Drop for Socket {
    fn drop(&mut self) {
        if let Err(e) = self.close() {
            log::debug!(target: "l610", "closing socket {} on drop: {e}", self.handle.id);
        }
    }
}
