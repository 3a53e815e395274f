//! The trace of both directions, for debugging a module on the bench.
//!
//! The session produces trace events only when [`SessionConfig::trace`](crate::SessionConfig) is
//! on, so an untraced session pays nothing. Payloads are redacted unless the command asked to show
//! them; lines received while a secret upload runs are redacted too.

use alloc::format;
use alloc::string::String;
use core::fmt::Write as _;

use crate::time::Instant;

/// Which way the bytes went.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Direction {
    /// Host to module.
    Tx,
    /// Module to host.
    Rx,
}

/// One trace event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TraceEvent {
    /// When (the session's time).
    pub at: Instant,
    /// Direction.
    pub direction: Direction,
    /// The bytes, escaped to printable ASCII (`\r`, `\n`, `\xNN`), or a redaction note.
    pub text: String,
}

/// Longest escaped text kept in one event.
pub const MAX_TEXT: usize = 512;

/// Escape bytes to printable ASCII, shortening long runs.
pub fn escape(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().min(MAX_TEXT) + 16);
    for (i, &b) in bytes.iter().enumerate() {
        if out.len() >= MAX_TEXT {
            let _ = write!(out, "... ({} bytes)", bytes.len() - i);
            break;
        }
        match b {
            b'\r' => out.push_str("\\r"),
            b'\n' => out.push_str("\\n"),
            b'\\' => out.push_str("\\\\"),
            0x20..=0x7e => out.push(b as char),
            _ => {
                let _ = write!(out, "\\x{b:02x}");
            }
        }
    }
    out
}

/// The text shown instead of secret or unrequested bytes.
pub fn redacted(len: usize) -> String {
    format!("<{len} bytes redacted>")
}
