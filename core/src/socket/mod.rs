//! `+MIP*` sockets: open (TCP or TLS), send, receive, close.

mod diagnose;
mod state;
mod stream;

use std::time::{Duration, Instant};

pub use l610_proto::SOCKET_IDS;
pub use state::SocketState;
pub use stream::Socket;

use l610_proto::commands;

use crate::at::engine::Interrupted;

use crate::at::ReceiveFormat;
use crate::error::{Error, Result};
use crate::ssl::VerifyMode;
use crate::Modem;

/// `<proto>` of `AT+MIPOPEN`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[repr(u8)]
pub enum Protocol {
    /// 0: plain TCP.
    Tcp = 0,
    /// 2: SSL/TLS, with the `+GTSSL*` settings.
    Tls = 2,
}

/// Options of [`Modem::open_socket`].
#[derive(Debug, Clone, PartialEq, Eq)]
#[must_use]
pub struct OpenOptions {
    /// Socket id 1–6; `None` takes the first free one (`AT+MIPOPEN?`).
    pub id: Option<u8>,
    /// Local port; `None` leaves it to the module.
    pub source_port: Option<u16>,
    /// Wait this long for `+MIPOPEN: <id>,<state>`; `None` uses the modem's `open_timeout`.
    pub timeout: Option<Duration>,
    /// With verification on, refuse to connect when the module clock is more than a day off the
    /// host's (the handshake would fail with -11 anyway, less clearly). Default true.
    pub check_clock: bool,
}

impl Default for OpenOptions {
    fn default() -> Self {
        OpenOptions {
            id: None,
            source_port: None,
            timeout: None,
            check_clock: true,
        }
    }
}

/// Most the module clock may differ from the host's before [`Error::ClockSkew`].
const MAX_CLOCK_SKEW_SECS: i64 = 86_400;

impl Modem {
    /// Open a TLS connection through the module with the current `+GTSSL*` settings.
    ///
    /// ```no_run
    /// use std::io::{Read, Write};
    /// let modem = l610::Modem::open("/dev/ttyUSB0", 115200)?;
    /// let mut tls = modem.open_tls("example.com", 443)?;
    /// tls.write_all(b"HEAD / HTTP/1.0\r\n\r\n")?;
    /// let mut reply = String::new();
    /// tls.read_to_string(&mut reply)?;
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn open_tls(&self, host: &str, port: u16) -> Result<Socket> {
        self.open_socket(Protocol::Tls, host, port, &OpenOptions::default())
    }

    /// Open a plain TCP connection through the module.
    pub fn open_tcp(&self, host: &str, port: u16) -> Result<Socket> {
        self.open_socket(Protocol::Tcp, host, port, &OpenOptions::default())
    }

    /// `AT+MIPOPEN=<id>,[<src>],"<host>",<port>,<proto>`, then wait for `+MIPOPEN: <id>,<state>`.
    /// A failed TLS open reads `+GTSSLERR` and returns [`Error::Ssl`] with a diagnosis.
    pub fn open_socket(
        &self,
        protocol: Protocol,
        host: &str,
        port: u16,
        options: &OpenOptions,
    ) -> Result<Socket> {
        // Built once before anything is sent, so that a bad host, port or id is refused first;
        // built again below with the id the session reserves.
        commands::open_socket(
            options.id.unwrap_or(1),
            options.source_port,
            host,
            port,
            protocol as u8,
        )?;
        if protocol == Protocol::Tls
            && options.check_clock
            && self.verify_mode()? == VerifyMode::Verify
        {
            self.check_clock()?;
        }
        // The module says which ids are free; the session reserves one of them that no handle
        // of this driver holds (a stale handle keeps its id until it is dropped), atomically, so
        // two threads opening at once get different ids.
        let candidates = match options.id {
            Some(id) => vec![id],
            None => self.free_socket_ids()?,
        };
        let Some(handle) = self.engine.session().reserve_socket(&candidates) else {
            return Err(Error::LimitReached(match options.id {
                Some(id) => format!("socket id {id} is in use"),
                None => format!(
                    "no free socket id (the module lists {candidates:?} as free; this driver's open sockets hold the rest)"
                ),
            }));
        };
        let id = handle.id;
        let cmd = commands::open_socket(id, options.source_port, host, port, protocol as u8)?;
        let release = |modem: &Modem| {
            let mut s = modem.engine.session();
            s.mark_socket_closed(handle);
            s.release_socket(handle);
        };
        if let Err(e) = self.command(&cmd) {
            release(self);
            return Err(self.open_refused(e));
        }
        let timeout = options.timeout.unwrap_or(self.config().open_timeout);
        let state = self.engine.drive(Some(Instant::now() + timeout), |s| {
            match s.socket_state(handle) {
                l610_proto::SocketState::Opening => None,
                other => Some(other),
            }
        });
        match state {
            Ok(l610_proto::SocketState::Open) => {
                Ok(Socket::new(self.engine.clone(), handle, protocol))
            }
            Ok(other) => {
                release(self);
                let why = SocketState::from(other).to_string();
                match protocol {
                    Protocol::Tls => Err(self.ssl_failure(&why)),
                    Protocol::Tcp => Err(self.tcp_failure(host, port, &why)),
                }
            }
            Err(e) => {
                // Don't leave a half-open socket behind on the module.
                if !matches!(e, Interrupted::Closed(_)) {
                    if let Ok(close) = commands::close_socket(id) {
                        let _ = self.engine.execute(&close);
                    }
                }
                release(self);
                Err(match e {
                    Interrupted::Timeout => Error::Timeout {
                        waiting_for: format!(
                            "+MIPOPEN: {id},<state> (the connection to {host}:{port})"
                        ),
                        after: timeout,
                    },
                    Interrupted::Closed(why) => Error::Closed(why),
                    Interrupted::Cancelled => Error::Cancelled,
                    Interrupted::Io(e) => Error::Io(e),
                })
            }
        }
    }

    /// `AT+MIPOPEN?`: the socket ids that are free.
    pub fn free_socket_ids(&self) -> Result<Vec<u8>> {
        self.run_parsed(
            &commands::free_socket_ids_query(),
            commands::parse_free_socket_ids,
        )
    }

    /// `AT+MIPCLOSE?`: the socket ids that are open.
    pub fn open_socket_ids(&self) -> Result<Vec<u8>> {
        self.run_parsed(
            &commands::open_socket_ids_query(),
            commands::parse_open_socket_ids,
        )
    }

    /// `AT+GTSET="IPRFMT",<n>`: how received data is delivered. Raw is binary-safe and half the
    /// bytes on the line; hex is the module's default.
    pub fn set_receive_format(&self, format: ReceiveFormat) -> Result<()> {
        self.command(&commands::set_receive_format(format))
            .map(drop)
    }

    /// The receive format the driver believes is in force.
    pub fn receive_format(&self) -> ReceiveFormat {
        self.engine.session().receive_format()
    }

    /// Refuse a verified connection when the module clock is more than a day off the host's.
    fn check_clock(&self) -> Result<()> {
        let module = self.clock()?;
        let host = crate::clock::now_utc();
        let skew = module.to_unix() - host.to_unix();
        if skew.abs() > MAX_CLOCK_SKEW_SECS {
            return Err(Error::ClockSkew {
                module: module.to_string(),
                host: host.to_string(),
                skew_hours: skew / 3600,
            });
        }
        Ok(())
    }
}
