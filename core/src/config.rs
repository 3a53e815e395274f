//! Settings of a [`Modem`](crate::Modem) and the builder that opens one.

use std::fmt;
use std::io::{Read, Write};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::at::TraceSink;
use crate::error::{Error, Result};
use crate::Modem;

/// Timeouts, bounds and the trace sink. Defaults follow the manual and field reports (see each).
#[derive(Clone)]
pub struct Config {
    /// Final result of an ordinary command (the manual says < 1 s): 5 s.
    pub command_timeout: Duration,
    /// `OK` after a `+GTSSLFILE` upload (15 s seen on hardware): 20 s.
    pub upload_timeout: Duration,
    /// `+MIPOPEN: <id>,<state>` after `AT+MIPOPEN`, handshake included (~65 s seen): 75 s.
    pub open_timeout: Duration,
    /// `+MIPCALL: <ip>` after activation (30–150 s seen): 150 s.
    pub pdp_timeout: Duration,
    /// The `>` prompt after `+GTSSLFILE=`/`+MIPSEND=`: 5 s, then ESC cancels data mode.
    pub prompt_timeout: Duration,
    /// After a timeout the line must be quiet this long before the next command: 150 ms.
    pub quiet_period: Duration,
    /// ... but the drain never takes longer than this: 2 s.
    pub drain_limit: Duration,
    /// Unhandled URCs kept: 256 (the oldest are dropped and counted beyond).
    pub urc_capacity: usize,
    /// Received bytes kept per socket while the application is not reading: 1 MiB.
    pub socket_buffer: usize,
    /// Longest line accepted (a hex `+MIPRTCP` line is twice its payload): 64 KiB.
    pub max_line: usize,
    /// Longest raw `+MIPRTCP` payload accepted (the module sends ≤ 1460): 64 KiB.
    pub max_payload: usize,
    /// A raw payload that gets no byte for this long is discarded as a framing error: 2 s.
    pub payload_stall: Duration,
    /// Most response lines one command keeps: 256.
    pub max_response_lines: usize,
    /// Most response bytes one command keeps: 64 KiB.
    pub max_response_bytes: usize,
    /// Largest single `AT+MIPSEND` (drivers keep it ≤ 1400; the module takes at most 2048, and
    /// larger values are sent as 2048): 1400 bytes.
    pub send_chunk: usize,
    /// Optional trace sink; the trace also goes to `log` (target `l610::trace`).
    pub trace_sink: Option<TraceSink>,
    /// Send `AT` on open until the module answers (syncs a line with garbage on it): true.
    pub probe_on_open: bool,
    pub(crate) join_reader: bool,
    /// Waiting callers may read the port themselves ([`Transport::callers_may_read`]).
    pub(crate) callers_read: bool,
    /// What the modem was opened on (`/dev/ttyUSB0 at 115200 baud`, `socket://host:port`), for
    /// messages and `repr`s; `None` for a transport handed to [`ModemBuilder::connect`].
    pub(crate) endpoint: Option<String>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            command_timeout: Duration::from_secs(5),
            upload_timeout: Duration::from_secs(20),
            open_timeout: Duration::from_secs(75),
            pdp_timeout: Duration::from_secs(150),
            prompt_timeout: Duration::from_secs(5),
            quiet_period: Duration::from_millis(150),
            drain_limit: Duration::from_secs(2),
            urc_capacity: 256,
            socket_buffer: 1 << 20,
            max_line: 64 * 1024,
            max_payload: 64 * 1024,
            payload_stall: Duration::from_secs(2),
            max_response_lines: 256,
            max_response_bytes: 64 * 1024,
            send_chunk: 1400,
            trace_sink: None,
            probe_on_open: true,
            join_reader: true,
            callers_read: true,
            endpoint: None,
        }
    }
}

impl Config {
    /// The session's share of the configuration.
    pub fn session(&self) -> l610_proto::SessionConfig {
        l610_proto::SessionConfig {
            command_timeout: self.command_timeout,
            prompt_timeout: self.prompt_timeout,
            quiet_period: self.quiet_period,
            drain_limit: self.drain_limit,
            payload_stall: self.payload_stall,
            max_line: self.max_line,
            max_payload: self.max_payload,
            max_response_lines: self.max_response_lines,
            max_response_bytes: self.max_response_bytes,
            urc_capacity: self.urc_capacity,
            socket_buffer: self.socket_buffer,
            ..l610_proto::SessionConfig::default()
        }
    }
}

impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Config")
            .field("command_timeout", &self.command_timeout)
            .field("upload_timeout", &self.upload_timeout)
            .field("open_timeout", &self.open_timeout)
            .field("pdp_timeout", &self.pdp_timeout)
            .field("prompt_timeout", &self.prompt_timeout)
            .field("urc_capacity", &self.urc_capacity)
            .field("socket_buffer", &self.socket_buffer)
            .field("send_chunk", &self.send_chunk)
            .field("trace_sink", &self.trace_sink.is_some())
            .finish_non_exhaustive()
    }
}

/// Opens a [`Modem`]: `Modem::builder().command_timeout(..).open("/dev/ttyUSB0", 115200)`.
#[derive(Debug, Clone, Default)]
#[must_use]
pub struct ModemBuilder {
    config: Config,
}

macro_rules! setter {
    ($(#[$doc:meta])* $name:ident: $ty:ty) => {
        $(#[$doc])*
        pub fn $name(mut self, value: $ty) -> Self {
            self.config.$name = value;
            self
        }
    };
}

impl ModemBuilder {
    setter!(/// See [`Config::command_timeout`].
        command_timeout: Duration);
    setter!(/// See [`Config::upload_timeout`].
        upload_timeout: Duration);
    setter!(/// See [`Config::open_timeout`].
        open_timeout: Duration);
    setter!(/// See [`Config::pdp_timeout`].
        pdp_timeout: Duration);
    setter!(/// See [`Config::prompt_timeout`].
        prompt_timeout: Duration);
    setter!(/// See [`Config::quiet_period`].
        quiet_period: Duration);
    setter!(/// See [`Config::drain_limit`].
        drain_limit: Duration);
    setter!(/// See [`Config::urc_capacity`].
        urc_capacity: usize);
    setter!(/// See [`Config::socket_buffer`].
        socket_buffer: usize);
    setter!(/// See [`Config::max_line`].
        max_line: usize);
    setter!(/// See [`Config::max_payload`].
        max_payload: usize);
    setter!(/// See [`Config::payload_stall`].
        payload_stall: Duration);
    setter!(/// See [`Config::max_response_lines`].
        max_response_lines: usize);
    setter!(/// See [`Config::max_response_bytes`].
        max_response_bytes: usize);
    setter!(/// See [`Config::send_chunk`].
        send_chunk: usize);
    setter!(/// See [`Config::probe_on_open`].
        probe_on_open: bool);

    /// Also send every trace event to `sink`.
    pub fn trace(mut self, sink: impl Fn(&crate::at::TraceEvent) + Send + Sync + 'static) -> Self {
        self.config.trace_sink = Some(std::sync::Arc::new(sink));
        self
    }

    /// Name the transport in messages and `repr`s (`Modem::endpoint`), e.g. `rfc2217://host:port`
    /// for a port a binding opened itself.
    pub fn endpoint(mut self, name: impl Into<String>) -> Self {
        self.config.endpoint = Some(name.into());
        self
    }

    /// Replace the whole configuration.
    pub fn config(mut self, config: Config) -> Self {
        self.config = config;
        self
    }

    /// Open a serial port (8N1, no flow control) by path, or a module served over TCP by
    /// `socket://HOST:PORT` (as ser2net or `l610-sim --listen` serve it; `baud` is then the
    /// bridge's business and ignored).
    pub fn open(self, path: &str, baud: u32) -> Result<Modem> {
        if let Some(addr) = path.strip_prefix("socket://") {
            return self.open_tcp(path, addr);
        }
        let port_err = |e: serialport::Error| Error::Port {
            path: path.to_owned(),
            source: e,
        };
        // The short read timeout lets the reader thread notice a close; writes ride it out.
        let port = serialport::new(path, baud)
            .timeout(Duration::from_millis(50))
            .open_native()
            .map_err(port_err)?;
        let writer = port.try_clone_native().map_err(port_err)?;
        let reader = crate::tty::TtyReader::new(port, Duration::from_millis(50))
            .map_err(|e| port_err(e.into()))?;
        let mut config = self.config;
        config.endpoint = Some(format!("{path} at {baud} baud"));
        Modem::start(Box::new(reader), Box::new(writer), config)
    }

    fn open_tcp(self, url: &str, addr: &str) -> Result<Modem> {
        use std::net::{TcpStream, ToSocketAddrs};
        let port_err = |e: std::io::Error| Error::Port {
            path: url.to_owned(),
            source: serialport::Error::new(serialport::ErrorKind::Io(e.kind()), e.to_string()),
        };
        let addr = addr.trim_end_matches('/');
        let mut last = None;
        for a in addr.to_socket_addrs().map_err(port_err)? {
            match TcpStream::connect_timeout(&a, Duration::from_secs(10)) {
                Ok(stream) => return self.endpoint(url).connect(stream),
                Err(e) => last = Some(e),
            }
        }
        Err(port_err(last.unwrap_or_else(|| {
            std::io::Error::new(
                std::io::ErrorKind::NotFound,
                format!("{addr} resolves to no address"),
            )
        })))
    }

    /// Drive the module over any byte stream that can be split in two (a pty, a Unix socket, a
    /// TCP serial bridge).
    pub fn connect<T: Transport>(mut self, transport: T) -> Result<Modem> {
        self.config.callers_read = transport.callers_may_read();
        let (reader, writer) = transport.split()?;
        Modem::start(reader, writer, self.config)
    }

    /// Drive the module over one object that both reads and writes and cannot be split (a
    /// `Box<dyn serialport::SerialPort>`, a serial class of another crate, a test double).
    ///
    /// The reader thread and the writing callers take turns on it: its reads must time out
    /// every few tens of milliseconds (as serial ports do, with `ErrorKind::TimedOut` or
    /// `WouldBlock`), since a write waits for the read in progress. A stream without a read
    /// timeout cannot be written to while nothing arrives: split it and use
    /// [`connect_halves`](Self::connect_halves), or implement [`Transport`].
    pub fn connect_stream(mut self, stream: impl Read + Write + Send + 'static) -> Result<Modem> {
        self.config.join_reader = false;
        let shared = Arc::new(TakeTurns {
            stream: Mutex::new(Box::new(stream)),
            writer_waiting: AtomicBool::new(false),
        });
        Modem::start(
            Box::new(Turn(shared.clone())),
            Box::new(Turn(shared)),
            self.config,
        )
    }

    /// Drive the module over separate read and write halves. A reader without a read timeout
    /// cannot be stopped: the reader thread then ends when the transport does.
    pub fn connect_halves(
        mut self,
        reader: impl Read + Send + 'static,
        writer: impl Write + Send + 'static,
    ) -> Result<Modem> {
        self.config.join_reader = false;
        Modem::start(Box::new(reader), Box::new(writer), self.config)
    }
}

/// One stream shared by the reader thread and the writers ([`ModemBuilder::connect_stream`]).
struct TakeTurns {
    stream: Mutex<Box<dyn ReadWrite>>,
    /// A writer is waiting: the reader lets it in before its next read, so that a reader
    /// looping on short timeouts cannot keep a writer out (the lock is not fair).
    writer_waiting: AtomicBool,
}

trait ReadWrite: Read + Write + Send {}
impl<T: Read + Write + Send> ReadWrite for T {}

struct Turn(Arc<TakeTurns>);

fn turn_lock(m: &Mutex<Box<dyn ReadWrite>>) -> std::sync::MutexGuard<'_, Box<dyn ReadWrite>> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

impl Read for Turn {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let deadline = std::time::Instant::now() + Duration::from_millis(50);
        while self.0.writer_waiting.load(Ordering::Acquire) {
            if std::time::Instant::now() >= deadline {
                break;
            }
            std::thread::yield_now();
        }
        turn_lock(&self.0.stream).read(buf)
    }
}

impl Write for Turn {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.writer_waiting.store(true, Ordering::Release);
        let mut s = turn_lock(&self.0.stream);
        self.0.writer_waiting.store(false, Ordering::Release);
        s.write(buf)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        turn_lock(&self.0.stream).flush()
    }
}

/// A byte stream the engine can split into a read half (for its reader thread) and a write half.
pub trait Transport {
    /// Split into halves. The read half should time out every few tens of milliseconds (the
    /// transports here: 50 ms) so the reader thread can stop when the modem is dropped, and so a
    /// caller that reads the port itself while it waits looks at its deadline and cancel hook
    /// between reads.
    fn split(self) -> std::io::Result<(Box<dyn Read + Send>, Box<dyn Write + Send>)>;

    /// Whether a waiting caller may read the port itself (ARCHITECTURE.md, "who reads the
    /// port"): `true` by default. `false` keeps every read on the reader thread — for a read half
    /// that must not run on the caller's thread, such as one that runs Python code, where a
    /// signal handler's `KeyboardInterrupt` raised inside the read would be taken for a failed
    /// port instead of a cancel.
    fn callers_may_read(&self) -> bool {
        true
    }
}

impl Transport for std::os::unix::net::UnixStream {
    fn split(self) -> std::io::Result<(Box<dyn Read + Send>, Box<dyn Write + Send>)> {
        self.set_read_timeout(Some(Duration::from_millis(50)))?;
        Ok((Box::new(self.try_clone()?), Box::new(self)))
    }
}

impl Transport for std::net::TcpStream {
    fn split(self) -> std::io::Result<(Box<dyn Read + Send>, Box<dyn Write + Send>)> {
        self.set_read_timeout(Some(Duration::from_millis(50)))?;
        self.set_nodelay(true)?;
        Ok((Box::new(self.try_clone()?), Box::new(self)))
    }
}

impl Transport for serialport::TTYPort {
    fn split(mut self) -> std::io::Result<(Box<dyn Read + Send>, Box<dyn Write + Send>)> {
        use serialport::SerialPort;
        self.set_timeout(Duration::from_millis(50))?;
        let writer = self.try_clone_native()?;
        let reader = crate::tty::TtyReader::new(self, Duration::from_millis(50))?;
        Ok((Box::new(reader), Box::new(writer)))
    }
}
