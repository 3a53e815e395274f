//! Driver for the TLS stack of the Fibocom L610 LTE module.
//!
//! The module speaks AT commands over a serial port: `+GTSSL*` configure TLS (trust, client
//! certificate and key, verification, version, cipher suites) and `+MIP*` open sockets through it.
//! This crate types all of it, and handles what hand-written scripts trip over: echo, URCs mixed
//! into responses, late answers after a timeout, module restarts, binary data after `>`.
//!
//! ```no_run
//! use std::io::{Read, Write};
//! use l610::{Modem, PdpConfig, TlsProfile};
//!
//! let modem = Modem::open("/dev/ttyUSB0", 115200)?;
//! modem.activate_pdp(&PdpConfig::default())?;
//! modem.set_clock_from_host()?;
//! let ca = std::fs::read("ca.pem")?;
//! modem.set_profile(TlsProfile::new().trust_file(ca), true)?;
//! let mut tls = modem.open_tls("example.com", 443)?;
//! tls.write_all(b"GET / HTTP/1.0\r\nHost: example.com\r\n\r\n")?;
//! let mut reply = Vec::new();
//! tls.read_to_end(&mut reply)?;
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
#![deny(missing_docs)]

pub mod at;
mod cancel;
mod clock;
mod config;
mod error;
mod modem;
mod network;
mod pdp;
mod profile;
pub mod socket;
pub mod ssl;
mod tty;

pub use at::{Command, ReceiveFormat, Response, Stats, TraceEvent, Urc};
pub use cancel::with_cancel;
pub use clock::ModuleTime;
pub use config::{Config, ModemBuilder, Transport};
pub use error::{Error, ErrorKind, Result};
pub use l610_proto as proto;
pub use modem::{ErrorReporting, Modem};
pub use network::{
    CellLocation, Identity, IdentityItem, Operator, PingOptions, PingReply, PingReport, PingStat,
    Registration, RegistrationDomain, RegistrationReporting, RegistrationStatus, SignalQuality,
    SimStatus,
};
pub use pdp::{PdpConfig, PdpStatus};
pub use profile::{FileReport, ProfileReport, TlsProfile};
pub use socket::{OpenOptions, Protocol, Socket, SocketState};
pub use ssl::{
    CipherSuite, FileCounts, FileSupport, FileType, SslErrorCode, SslVersion, VerifyMode,
};

/// The crate version, for bindings that report it.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
