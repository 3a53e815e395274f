//! A virtual Fibocom L610 LTE module.
//!
//! [`Sim`] answers AT commands on a pseudo-terminal (or an in-memory socket pair) the way the
//! real module does: echo, `\r\n`-framed responses and URCs, the `>` data prompt, the
//! `+GTSSL*` commands of Fibocom's SSL manual and the `+MIP*` socket commands, with real
//! TCP and TLS (OpenSSL) connections behind the sockets. [`Faults`] makes it misbehave on
//! purpose so a driver's recovery paths can be tested.
//!
//! It shares no code with the `l610` driver, so a misreading of the protocol in one cannot
//! hide the same misreading in the other.
//!
//! ```no_run
//! let sim = l610_sim::Sim::start_pty(l610_sim::SimConfig::default())?;
//! println!("module on {}", sim.pty_path().unwrap().display());
//! # Ok::<(), std::io::Error>(())
//! ```
#![deny(missing_docs)]

mod bridge;
pub mod cli;
mod clock;
mod commands;
mod config;
mod control;
mod engine;
mod faults;
mod line;
mod link;
mod network;
mod output;
mod pem;
pub mod pki;
mod port;
mod pty;
mod socket;
mod state;
mod tls;
mod traffic;

use std::collections::VecDeque;
use std::io;
use std::os::fd::OwnedFd;
use std::os::unix::net::UnixStream;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Sender};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

pub use config::{LinkConditions, SimConfig};
pub use control::Control;
pub use faults::Faults;

use engine::{Engine, Event};
use faults::FaultFlags;
use output::Output;
use port::Port;
use state::{ModuleState, Shared};

/// A snapshot of the module's state, for tests.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SimState {
    /// Command echo (`ATE`).
    pub echo: bool,
    /// `+GTSSLMODE`: 0 no verification, 1 verify the server.
    pub verify: u8,
    /// `+GTSSLVER` (0..=4).
    pub ssl_version: u8,
    /// `+GTSSLCIPHER` ids enabled, ascending; empty means the defaults.
    pub ciphers: Vec<u8>,
    /// Loaded `CERTFILE`s (0 or 1).
    pub cert_files: usize,
    /// Loaded `KEYFILE`s (0 or 1).
    pub key_files: usize,
    /// Loaded `TRUSTFILE`s (0..=40).
    pub trust_files: usize,
    /// `+GTSET="IPRFMT"` (0, 1, 2 or 5).
    pub iprfmt: u8,
    /// `+MIPCALL` context active.
    pub pdp_active: bool,
    /// Socket ids with an open connection, ascending.
    pub open_sockets: Vec<u8>,
    /// How many times the module has booted (1 after start).
    pub boots: u32,
    /// `+GTSSLERR` of the last SSL connection; 0 = no error.
    pub last_ssl_error: i32,
    /// The module clock (`+CCLK`) as Unix seconds.
    pub clock_unix: i64,
    /// The module clock as `AT+CCLK?` shows it, e.g. `"25/03/01,12:00:00+00"`.
    pub clock: String,
    /// `+CFUN` level (1 full, 0 minimum, 4 radio off).
    pub cfun: u8,
    /// Registered on the (virtual) network.
    pub registered: bool,
    /// Sizes in bytes of the loaded `TRUSTFILE`s, in upload order.
    pub trust_file_sizes: Vec<usize>,
    /// Socket ids with a `+MIPOPEN` still dialling, ascending.
    pub connecting_sockets: Vec<u8>,
    /// Read mode: bytes waiting for `AT+MIPREAD`, per open socket id.
    pub unread: Vec<(u8, usize)>,
}

impl std::fmt::Display for SimState {
    /// One `name: value` per line, for people.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(f, "boots: {}", self.boots)?;
        writeln!(f, "echo: {}", self.echo)?;
        writeln!(f, "cfun: {}", self.cfun)?;
        writeln!(f, "registered: {}", self.registered)?;
        writeln!(f, "clock: {}", self.clock)?;
        writeln!(f, "pdp_active: {}", self.pdp_active)?;
        writeln!(f, "gtsslmode: {}", self.verify)?;
        writeln!(f, "gtsslver: {}", self.ssl_version)?;
        writeln!(f, "gtsslcipher: {:?}", self.ciphers)?;
        writeln!(f, "gtsslerr: {}", self.last_ssl_error)?;
        writeln!(
            f,
            "files: CERTFILE {}, KEYFILE {}, TRUSTFILE {} {:?}",
            self.cert_files, self.key_files, self.trust_files, self.trust_file_sizes
        )?;
        writeln!(f, "iprfmt: {}", self.iprfmt)?;
        writeln!(f, "sockets open: {:?}", self.open_sockets)?;
        writeln!(f, "sockets connecting: {:?}", self.connecting_sockets)?;
        write!(f, "unread: {:?}", self.unread)
    }
}

/// A running virtual L610. Dropping it stops the module: its threads end and its end of the
/// line is closed.
pub struct Sim {
    shared: Shared,
    faults: Faults,
    output: Arc<Output>,
    events: Sender<Event>,
    stop: Arc<AtomicBool>,
    threads: Vec<JoinHandle<()>>,
    pty_path: Option<PathBuf>,
    /// Held so the master never sees a hang-up when the host closes the path.
    _slave: Option<OwnedFd>,
}

impl std::fmt::Debug for Sim {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Sim")
            .field("pty_path", &self.pty_path)
            .finish_non_exhaustive()
    }
}

impl Sim {
    /// Starts a module on a new pseudo-terminal; the host opens [`Sim::pty_path`].
    pub fn start_pty(config: SimConfig) -> io::Result<Sim> {
        let pty = pty::open()?;
        Sim::start(
            config,
            Port::new(pty.master)?,
            Some(pty.path),
            Some(pty.slave),
        )
    }

    /// Starts a module on one end of a socket pair and returns the host's end.
    pub fn start_in_memory(config: SimConfig) -> io::Result<(Sim, UnixStream)> {
        let (module, host) = UnixStream::pair()?;
        let sim = Sim::start(config, Port::new(OwnedFd::from(module))?, None, None)?;
        Ok((sim, host))
    }

    fn start(
        config: SimConfig,
        port: Port,
        pty_path: Option<PathBuf>,
        slave: Option<OwnedFd>,
    ) -> io::Result<Sim> {
        let shared: Shared = Arc::new(Mutex::new(ModuleState::new(&config)));
        let output = Output::new();
        let log = match &config.traffic_log {
            Some(path) => Some(Arc::new(traffic::TrafficLog::create(path)?)),
            None => None,
        };
        let flags = Arc::new(FaultFlags::default());
        let stop = Arc::new(AtomicBool::new(false));
        let (events, rx) = mpsc::channel();
        let mut threads = Vec::new();
        threads.push(output.spawn_writer(port.clone(), config.baud, log.clone())?);

        let reader = {
            let events = events.clone();
            let stop = stop.clone();
            let baud = config.baud;
            std::thread::Builder::new()
                .name("l610-sim-rx".into())
                .spawn(move || {
                    // With line-rate emulation the module also takes bytes no faster than the
                    // line carries them: small reads, each waited for until its due time, so
                    // the host's writes back up in the tty buffer as they would on a UART.
                    let mut buf = vec![0u8; if baud.is_some() { 64 } else { 8192 }];
                    let mut pace = baud.map(|b| (std::time::Instant::now(), 0u64, b as f64 / 10.0));
                    while !stop.load(Ordering::SeqCst) {
                        match port.read(&mut buf) {
                            Ok(None) => {}
                            // The host's end of a socket pair is gone.
                            Ok(Some(0)) | Err(_) => break,
                            Ok(Some(n)) => {
                                if let Some((start, sent, rate)) = pace.as_mut() {
                                    let now = std::time::Instant::now();
                                    // Idle time is not saved up for a later burst; being a
                                    // little late (sleep overshoot) is not idleness.
                                    if now.duration_since(*start).as_secs_f64()
                                        > *sent as f64 / *rate + 0.005
                                    {
                                        *start = now;
                                        *sent = 0;
                                    }
                                    *sent += n as u64;
                                    let due =
                                        *start + Duration::from_secs_f64(*sent as f64 / *rate);
                                    if let Some(wait) = due.checked_duration_since(now) {
                                        std::thread::sleep(wait);
                                    }
                                }
                                if let Some(log) = &log {
                                    log.record(traffic::Direction::In, &buf[..n]);
                                }
                                if events.send(Event::Input(buf[..n].to_vec())).is_err() {
                                    break;
                                }
                            }
                        }
                    }
                })?
        };
        threads.push(reader);

        let engine = Engine {
            config,
            shared: shared.clone(),
            output: output.clone(),
            flags: flags.clone(),
            events: rx,
            input: VecDeque::new(),
            line: Default::default(),
        };
        threads.push(
            std::thread::Builder::new()
                .name("l610-sim-at".into())
                .spawn(move || engine.run())?,
        );

        let faults = Faults {
            flags,
            output: output.clone(),
            events: events.clone(),
        };
        Ok(Sim {
            shared,
            faults,
            output,
            events,
            stop,
            threads,
            pty_path,
            _slave: slave,
        })
    }

    /// The pty slave path (e.g. `/dev/pts/7`); `None` for an in-memory module.
    pub fn pty_path(&self) -> Option<&Path> {
        self.pty_path.as_deref()
    }

    /// The fault-injection handle.
    pub fn faults(&self) -> &Faults {
        &self.faults
    }

    /// Like pulling power: all volatile state is lost, the boot URCs are printed again and
    /// echo is back on. Returns once the module has booted.
    pub fn power_cycle(&self) {
        let (tx, rx) = mpsc::channel();
        if self.events.send(Event::Reboot(Some(tx))).is_ok() {
            let _ = rx.recv_timeout(Duration::from_secs(5));
        }
    }

    /// A snapshot of the module's state.
    pub fn state(&self) -> SimState {
        state_of(&self.shared)
    }

    /// A control channel for this module: its state and fault injection as text commands
    /// (what `l610-sim --control` serves).
    pub fn control(&self) -> Control {
        let shared = self.shared.clone();
        let events = self.events.clone();
        Control {
            faults: self.faults.clone(),
            state: Arc::new(move || state_of(&shared)),
            power_cycle: Arc::new(move || {
                let (tx, rx) = mpsc::channel();
                if events.send(Event::Reboot(Some(tx))).is_ok() {
                    let _ = rx.recv_timeout(Duration::from_secs(5));
                }
            }),
        }
    }

    /// Serves the module's line on a TCP listener, as ser2net serves a serial device (one
    /// client at a time; `socket://127.0.0.1:PORT` in pyserial). Only for a pty module.
    /// Returns the address it listens on; it stops with the module.
    pub fn serve_tcp(
        &mut self,
        listener: std::net::TcpListener,
    ) -> io::Result<std::net::SocketAddr> {
        let Some(path) = self.pty_path.clone() else {
            return Err(io::Error::new(
                io::ErrorKind::Unsupported,
                "an in-memory module has no line to serve",
            ));
        };
        let (addr, thread) = bridge::spawn(listener, path, self.stop.clone())?;
        self.threads.push(thread);
        Ok(addr)
    }

    /// Stops the module (the same as dropping it).
    pub fn stop(self) {}
}

impl Drop for Sim {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        self.output.stop();
        let _ = self.events.send(Event::Stop);
        for t in self.threads.drain(..) {
            let _ = t.join();
        }
    }
}

/// A snapshot of the module's state.
fn state_of(shared: &Shared) -> SimState {
    let st = shared.lock().unwrap();
    SimState {
        echo: st.echo,
        verify: st.verify,
        ssl_version: st.ssl_version,
        ciphers: st.ciphers.iter().copied().collect(),
        cert_files: st.cert_files.len(),
        key_files: st.key_files.len(),
        trust_files: st.trust_files.len(),
        iprfmt: st.iprfmt,
        pdp_active: st.pdp_active,
        open_sockets: st.open_ids(),
        boots: st.boots,
        last_ssl_error: st.last_ssl_error,
        clock_unix: st.clock.now_unix(),
        clock: st.clock.format().trim_matches('"').to_string(),
        cfun: st.net.cfun,
        registered: st.net.registered(),
        trust_file_sizes: st.trust_files.iter().map(Vec::len).collect(),
        connecting_sockets: (1..=state::SOCKETS as u8)
            .filter(|&id| matches!(st.sockets[id as usize - 1], state::Slot::Connecting(_)))
            .collect(),
        unread: st
            .sockets
            .iter()
            .zip(1u8..)
            .filter_map(|(slot, id)| match slot {
                state::Slot::Open(_, conn) => Some((id, conn.inbox_len())),
                _ => None,
            })
            .collect(),
    }
}
