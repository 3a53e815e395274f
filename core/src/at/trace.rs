//! The trace of both directions, with timestamps, for debugging a module on the bench.
//!
//! The session produces the events (and redacts payloads and secret uploads); this layer gives
//! them to the `log` crate (target `l610::trace`, level DEBUG) and to an optional user sink. The
//! sink runs on whichever driver thread collected the event, never while a protocol lock is held,
//! in the order the session produced the events.

use std::fmt;
use std::sync::{Arc, Mutex};
use std::time::Duration;

pub use l610_proto::trace::escape;
pub use l610_proto::Direction;

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

impl From<l610_proto::TraceEvent> for TraceEvent {
    fn from(e: l610_proto::TraceEvent) -> Self {
        TraceEvent {
            elapsed: e.at.since_epoch(),
            direction: e.direction,
            text: e.text,
        }
    }
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

/// A user-supplied trace sink. It must not call back into the modem.
pub type TraceSink = Arc<dyn Fn(&TraceEvent) + Send + Sync>;

/// Hands trace events to `log` and the sink. The mutex orders delivery across threads and lets
/// [`Tracer::detach`] guarantee that no callback runs after it returns.
pub(crate) struct Tracer {
    sink: Mutex<Option<TraceSink>>,
}

impl Tracer {
    pub(crate) fn new(sink: Option<TraceSink>) -> Self {
        Tracer {
            sink: Mutex::new(sink),
        }
    }

    /// Whether anyone listens (decides whether the session produces events at all).
    pub(crate) fn wanted(sink: &Option<TraceSink>) -> bool {
        sink.is_some() || log::log_enabled!(target: "l610::trace", log::Level::Debug)
    }

    /// Take the dispatch lock (before the protocol lock is released, so order is kept).
    pub(crate) fn lock(&self) -> std::sync::MutexGuard<'_, Option<TraceSink>> {
        self.sink.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Deliver under the dispatch lock.
    pub(crate) fn deliver(sink: &Option<TraceSink>, events: Vec<l610_proto::TraceEvent>) {
        for e in events {
            let event = TraceEvent::from(e);
            log::debug!(target: "l610::trace", "{event}");
            if let Some(sink) = sink {
                sink(&event);
            }
        }
    }

    /// No callback runs after this returns.
    pub(crate) fn detach(&self) {
        *self.lock() = None;
    }
}
