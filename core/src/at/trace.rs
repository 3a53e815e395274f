//! The raw trace of both directions, with timestamps, for debugging a module on the bench.
//!
//! Every event goes to the `log` crate (target `l610::trace`, level DEBUG) and to an optional
//! user sink. Certificate and key uploads are redacted; long lines are shortened so that a
//! megabyte of socket data does not flood the log.

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, Instant};

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
    /// Time since the modem was opened.
    pub elapsed: Duration,
    /// Direction.
    pub direction: Direction,
    /// The bytes, escaped to printable ASCII (`\r`, `\n`, `\xNN`), or a redaction note.
    pub text: String,
}

impl fmt::Display for TraceEvent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let arrow = match self.direction {
            Direction::Tx => "->",
            Direction::Rx => "<-",
        };
        write!(
            f,
            "{:>10.3} {arrow} {}",
            self.elapsed.as_secs_f64(),
            self.text
        )
    }
}

/// A user-supplied trace sink.
pub type TraceSink = Arc<dyn Fn(&TraceEvent) + Send + Sync>;

/// Longest escaped text kept in one event.
const MAX_TEXT: usize = 512;

#[derive(Clone)]
pub(crate) struct Tracer {
    start: Instant,
    sink: Option<TraceSink>,
}

impl Tracer {
    pub(crate) fn new(sink: Option<TraceSink>) -> Self {
        Tracer {
            start: Instant::now(),
            sink,
        }
    }

    pub(crate) fn enabled(&self) -> bool {
        self.sink.is_some() || log::log_enabled!(target: "l610::trace", log::Level::Debug)
    }

    /// Trace bytes; `escape` is only paid for when someone listens.
    pub(crate) fn bytes(&self, direction: Direction, bytes: &[u8]) {
        if self.enabled() {
            self.emit(direction, escape(bytes));
        }
    }

    /// Trace a redacted payload: only its size is shown.
    pub(crate) fn redacted(&self, direction: Direction, len: usize) {
        if self.enabled() {
            self.emit(direction, format!("<{len} bytes redacted>"));
        }
    }

    fn emit(&self, direction: Direction, text: String) {
        let event = TraceEvent {
            elapsed: self.start.elapsed(),
            direction,
            text,
        };
        log::debug!(target: "l610::trace", "{event}");
        if let Some(sink) = &self.sink {
            sink(&event);
        }
    }
}

/// Escape bytes to printable ASCII, shortening long runs.
pub fn escape(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().min(MAX_TEXT) + 16);
    for (i, &b) in bytes.iter().enumerate() {
        if out.len() >= MAX_TEXT {
            out.push_str(&format!("... ({} bytes)", bytes.len() - i));
            break;
        }
        match b {
            b'\r' => out.push_str("\\r"),
            b'\n' => out.push_str("\\n"),
            b'\\' => out.push_str("\\\\"),
            0x20..=0x7e => out.push(b as char),
            _ => out.push_str(&format!("\\x{b:02x}")),
        }
    }
    out
}
