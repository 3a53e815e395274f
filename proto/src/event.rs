//! What comes out of the session: command outcomes and events.

use alloc::string::String;

use crate::command::{CommandId, Response};
use crate::sockets::SocketHandle;
use crate::trace::TraceEvent;

/// How a command ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// `OK`, with the response lines.
    Ok(Response),
    /// `ERROR`.
    Error,
    /// `+CME ERROR: <n>` or `+CME ERROR: <text>` (also `+CMS ERROR`).
    Cme {
        /// Numeric code, if numeric.
        code: Option<u16>,
        /// Verbose text, if verbose.
        text: Option<String>,
    },
    /// The module restarted (boot URC) while the command was in flight.
    Reset,
    /// Nothing came in time; the session abandoned the command and drained the line.
    Timeout(Waiting),
    /// The response had more lines or bytes than the session keeps; they were counted, not kept.
    TooLarge {
        /// Lines received.
        lines: usize,
        /// Bytes received.
        bytes: usize,
    },
    /// Cancelled by the driver ([`Session::cancel`](crate::Session::cancel)).
    Cancelled,
    /// The session was closed (the transport is gone) before the command ended.
    Closed,
}

/// What a timed-out command was waiting for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Waiting {
    /// The `>` data prompt (ESC was sent to leave data mode).
    Prompt,
    /// The final result (`OK`, `ERROR`, `+CME ERROR`).
    FinalResult,
}

/// Something the module sent broke framing; the bytes were discarded and framing resynced.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FramingError {
    /// A line longer than `max_line` was dropped.
    LineTooLong {
        /// Bytes seen before it was dropped.
        at_least: usize,
    },
    /// A raw `+MIPRTCP` header announced more than `max_payload` bytes.
    PayloadTooLong {
        /// The socket id field.
        socket: u32,
        /// The announced length.
        declared: u64,
    },
    /// A raw payload got no byte for `payload_stall`.
    PayloadStalled {
        /// The socket id field.
        socket: u32,
        /// Bytes received.
        received: usize,
        /// Bytes still missing.
        missing: usize,
    },
    /// A raw payload was not followed by CR LF.
    PayloadNotTerminated {
        /// The socket id field.
        socket: u32,
    },
}

/// What happened, for a driver that reacts to events rather than polling state.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Event {
    /// A command ended: take its outcome with [`Session::take_outcome`](crate::Session::take_outcome).
    CommandDone(CommandId),
    /// A socket's state changed or data arrived for it.
    Socket(SocketHandle),
    /// `+MIPCALL: <ip>` / `+MIPCALL: 0`: the PDP context changed.
    Pdp(String),
    /// A URC was queued: [`Session::pop_urc`](crate::Session::pop_urc).
    Urc,
    /// The module restarted: echo is on, SSL state and every connection are gone.
    Reset,
    /// Framing broke and resynced.
    Framing(FramingError),
    /// A trace event (only with `SessionConfig::trace`).
    Trace(TraceEvent),
}
