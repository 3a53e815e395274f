//! The L610 AT session, free of I/O, threads and clocks.
//!
//! [`Session`] is the one owner of protocol state: bytes from the module go in
//! ([`Session::handle_input`]), bytes for the module come out ([`Session::poll_transmit`]), time is
//! passed in ([`Session::handle_timeout`], [`Session::poll_timeout`]) and what happened comes out
//! as [`Event`]s and command [`Outcome`]s. The whole command lifecycle lives here — echo, the `>`
//! prompt, the payload, ESC when the prompt never comes, abandon, drain-until-quiet, late answers —
//! and so do the socket slots (with generations) and every bound on what the module may send.
//!
//! The same state machine serves the threaded std driver (crate `l610`), a firmware main loop
//! (the C API's thread-free session), the fuzzers and tests with virtual time. The model is
//! quinn-proto's `Connection`.
//!
//! ```
//! use core::time::Duration;
//! use l610_proto::{Command, Instant, Outcome, Session, SessionConfig};
//!
//! let mut s = Session::new(SessionConfig::default());
//! let now = Instant::ZERO;
//! let id = s.submit(Command::new("+GTSSLMODE?").expects("+GTSSLMODE"), now).unwrap();
//! assert_eq!(s.poll_transmit(), Some(&b"AT+GTSSLMODE?\r"[..]));
//! s.transmitted(14);
//! s.handle_input(b"AT+GTSSLMODE?\r\r\n+GTSSLMODE: 1\r\n\r\nOK\r\n", now + Duration::from_millis(3));
//! match s.take_outcome(id) {
//!     Some(Outcome::Ok(r)) => assert_eq!(r.params("+GTSSLMODE"), Some("1")),
//!     other => panic!("{other:?}"),
//! }
//! ```
#![no_std]
#![deny(missing_docs)]

extern crate alloc;

mod command;
pub mod commands;
mod config;
mod event;
pub mod framing;
pub mod params;
mod session;
mod sockets;
mod text;
mod time;
pub mod trace;
pub mod urc;
mod value;

pub use command::{Command, CommandId, Response};
pub use commands::{
    CipherSuite, ErrorReporting, FileCounts, FileSupport, FileType, ModuleTime, PdpConfig,
    PdpStatus, SslErrorCode, SslVersion, VerifyMode,
};
pub use config::SessionConfig;
pub use event::{Event, FramingError, Outcome, Waiting};
pub use framing::ReceiveFormat;
pub use session::{Session, Stats, SubmitError};
pub use sockets::{CloseReason, ReadError, SocketHandle, SocketState, SOCKET_IDS};
pub use time::Instant;
pub use trace::{Direction, TraceEvent};
pub use urc::Urc;
pub use value::ValueError;
