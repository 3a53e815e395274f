//! A connected socket as `std::io::Read + std::io::Write`, so any Rust protocol client (HTTP,
//! MQTT, ...) can run over the module.

use std::io;
use std::sync::Arc;
use std::time::Duration;

use super::table::SocketState;
use super::Protocol;
use crate::at::engine::Engine;
use crate::at::params::{int, split};
use crate::at::Command;
use crate::error::{Error, Result};

/// A connected `+MIPOPEN` socket (TLS or TCP). Reads take data the reader thread has already
/// buffered; writes are `AT+MIPSEND` in chunks of at most `send_chunk` bytes. Dropping it closes
/// the connection. `Send + Sync`: one thread may read while another writes.
pub struct Socket {
    engine: Arc<Engine>,
    id: u8,
    protocol: Protocol,
    read_timeout: Option<Duration>,
    closed: bool,
}

impl std::fmt::Debug for Socket {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Socket")
            .field("id", &self.id)
            .field("protocol", &self.protocol)
            .finish_non_exhaustive()
    }
}

impl Socket {
    pub(crate) fn new(engine: Arc<Engine>, id: u8, protocol: Protocol) -> Self {
        Socket {
            engine,
            id,
            protocol,
            read_timeout: None,
            closed: false,
        }
    }

    /// The module's socket id (1–6).
    pub fn id(&self) -> u8 {
        self.id
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
        self.engine.parser().sockets.state(self.id)
    }

    /// Bytes received and not yet read.
    pub fn buffered(&self) -> usize {
        self.engine.parser().sockets.buffered(self.id)
    }

    /// Bytes dropped so far because the receive buffer was full.
    pub fn dropped(&self) -> u64 {
        self.engine.parser().sockets.dropped(self.id)
    }

    /// Send all of `data` (`AT+MIPSEND=<id>,<len>`, `>`, exactly `len` bytes, per chunk).
    pub fn send(&self, data: &[u8]) -> Result<()> {
        for chunk in data.chunks(self.engine.config.send_chunk.max(1)) {
            self.send_chunk(chunk)?;
        }
        Ok(())
    }

    fn send_chunk(&self, chunk: &[u8]) -> Result<()> {
        if let SocketState::Closed(why) | SocketState::Failed(why) = self.state() {
            return Err(Error::Closed(format!("socket {}: {why}", self.id)));
        }
        let cmd = Command::new(format!("+MIPSEND={},{}", self.id, chunk.len()))
            .expects("+MIPSEND")
            .payload(chunk.to_vec());
        let r = self.engine.execute(&cmd)?;
        // `+MIPSEND: <id>,<status>,<free>`: status 1 means the module flowed us off; the data was
        // still taken, so the only sensible reaction is to go on (the next send will wait for `>`).
        if let Some(p) = r.params("+MIPSEND") {
            if split(p).get(1).and_then(|s| int::<u8>(s)) == Some(1) {
                log::debug!(target: "l610", "socket {}: module reports flow control", self.id);
            }
        }
        Ok(())
    }

    /// Receive up to `buf.len()` bytes, waiting at most `timeout` (`None`: until data or close).
    /// Returns 0 at end of stream (peer closed, all data read).
    pub fn recv_timeout(&self, buf: &mut [u8], timeout: Option<Duration>) -> Result<usize> {
        if buf.is_empty() {
            return Ok(0);
        }
        let id = self.id;
        // A very long wait stands in for "no timeout" so that a closed transport still wakes us.
        let wait = timeout.unwrap_or(Duration::from_secs(u32::MAX as u64));
        let got = self.engine.wait(wait, |p| {
            if p.sockets.buffered(id) > 0 || p.sockets.dropped(id) > 0 {
                return Some(p.sockets.read(id, buf));
            }
            match p.sockets.state(id) {
                SocketState::Open | SocketState::Opening => None,
                _ => Some(Ok(0)),
            }
        });
        match got {
            Ok(Ok(n)) => Ok(n),
            Ok(Err(0)) => Ok(0),
            Ok(Err(dropped)) => Err(Error::Overflow {
                socket: id,
                dropped,
            }),
            Err(Error::Timeout { after, .. }) => Err(Error::Timeout {
                waiting_for: format!("data on socket {id}"),
                after,
            }),
            Err(e) => Err(e),
        }
    }

    /// `AT+MIPCLOSE=<id>` and wait briefly for `+MIPCLOSE`. Closing a socket the peer already
    /// closed only releases it.
    pub fn close(mut self) -> Result<()> {
        self.close_inner()
    }

    fn close_inner(&mut self) -> Result<()> {
        if self.closed {
            return Ok(());
        }
        self.closed = true;
        let id = self.id;
        let result = if matches!(self.state(), SocketState::Open) {
            match self
                .engine
                .execute(&Command::new(format!("+MIPCLOSE={id}")))
            {
                Ok(_) => self
                    .engine
                    .wait(self.engine.config.command_timeout, |p| {
                        (!matches!(p.sockets.state(id), SocketState::Open)).then_some(())
                    })
                    .or_else(|e| match e {
                        // Some firmware never sends the URC: the socket is closed all the same.
                        Error::Timeout { .. } => Ok(()),
                        other => Err(other),
                    }),
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
        self.engine
            .parser()
            .sockets
            .set_state(id, SocketState::Free);
        self.engine.notify();
        result
    }
}

impl io::Read for Socket {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        Ok(self.recv_timeout(buf, self.read_timeout)?)
    }
}

impl io::Write for Socket {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = buf.len().min(self.engine.config.send_chunk.max(1));
        self.send_chunk(&buf[..n])?;
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl Drop for Socket {
    fn drop(&mut self) {
        if let Err(e) = self.close_inner() {
            log::debug!(target: "l610", "closing socket {} on drop: {e}", self.id);
        }
    }
}
