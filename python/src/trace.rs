//! The AT trace, for Python's `logging` (logger `l610`, DEBUG) and for `Modem.transcript()`.
//!
//! The core calls the sink from the reader thread (received bytes) and from whichever thread
//! writes (sent bytes). The sink never touches Python: it only appends to two queues under a
//! plain mutex. The thread that made the call flushes the pending lines to `logging` after the
//! call returns, holding the interpreter. So the reader thread never waits for the interpreter,
//! and no thread that holds it waits for the reader: no deadlock is possible. Lines arriving
//! while nothing runs (URCs) are flushed after the next call.
//!
//! The work is done only when someone wants it: a line is formatted only while the `l610`
//! logger is enabled for DEBUG (looked up before and after every call, so `logging.basicConfig`
//! takes effect at the next call) or a transcript was asked for (`transcript_lines > 0`). The
//! queue to `logging` is bounded ([`PENDING_MAX`] lines); what does not fit is counted, reported once in
//! the log, and shown in `Modem.stats().trace_dropped`.
//!
//! A logging handler that fails with an ordinary exception does not turn a successful modem call
//! into a failure (the exception is reported with `sys.unraisablehook`); a `KeyboardInterrupt`
//! (Ctrl-C arriving while the handlers run) or any other `BaseException` propagates.

use std::collections::VecDeque;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use l610::TraceEvent;
use pyo3::exceptions::PyException;
use pyo3::prelude::*;

pub(crate) struct Trace {
    pending: Mutex<Vec<String>>,
    transcript: Mutex<VecDeque<TraceEvent>>,
    capacity: usize,
    /// Whether the `l610` logger was enabled for DEBUG at the last flush.
    logging: AtomicBool,
    /// Lines that did not fit in `pending`.
    dropped: AtomicU64,
    /// `dropped` when it was last reported to the log.
    reported: AtomicU64,
}

/// Most lines waiting for `logging` (a flush follows every call, so only URCs arriving while the
/// application makes no call accumulate).
pub(crate) const PENDING_MAX: usize = 10_000;

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// `logging.DEBUG`.
const DEBUG: i32 = 10;

impl Trace {
    pub(crate) fn new(py: Python<'_>, capacity: usize) -> Arc<Trace> {
        let t = Arc::new(Trace {
            pending: Mutex::default(),
            transcript: Mutex::default(),
            capacity,
            logging: AtomicBool::new(false),
            dropped: AtomicU64::new(0),
            reported: AtomicU64::new(0),
        });
        t.logging
            .store(logger_enabled(py).unwrap_or(false), Ordering::Relaxed);
        t
    }

    /// Look at the `l610` logger again before a call, so a `logging` set-up made since the last
    /// call sees this call's trace. A failing lookup leaves the flag as it was.
    pub(crate) fn refresh(&self, py: Python<'_>) {
        if let Ok(enabled) = logger_enabled(py) {
            self.logging.store(enabled, Ordering::Relaxed);
        }
    }

    /// Whether trace events are wanted at all (the sink returns at once otherwise).
    pub(crate) fn wanted(&self) -> bool {
        self.capacity > 0 || self.logging.load(Ordering::Relaxed)
    }

    /// Lines that did not fit in the queue to `logging`.
    pub(crate) fn dropped(&self) -> u64 {
        self.dropped.load(Ordering::Relaxed)
    }

    /// The sink handed to the core (already redacted there).
    pub(crate) fn record(&self, event: &TraceEvent) {
        if !self.wanted() {
            return;
        }
        if self.capacity > 0 {
            let mut t = lock(&self.transcript);
            if t.len() >= self.capacity {
                t.pop_front();
            }
            t.push_back(event.clone());
        }
        if self.logging.load(Ordering::Relaxed) {
            let mut p = lock(&self.pending);
            if p.len() < PENDING_MAX {
                p.push(event.to_string());
            } else {
                self.dropped.fetch_add(1, Ordering::Relaxed);
            }
        }
    }

    /// Send pending lines to the `l610` logger, if it is enabled for DEBUG. Fails only with an
    /// exception that is not an `Exception` (`KeyboardInterrupt`, `SystemExit`).
    pub(crate) fn flush(&self, py: Python<'_>) -> PyResult<()> {
        let lines = std::mem::take(&mut *lock(&self.pending));
        if lines.is_empty() {
            // Nothing to log; the flag was refreshed before the call.
            return Ok(());
        }
        let result = (|| -> PyResult<()> {
            let enabled = logger_enabled(py)?;
            self.logging.store(enabled, Ordering::Relaxed);
            if !enabled {
                return Ok(());
            }
            let logger = logger(py)?;
            for line in lines {
                logger.call_method1("debug", ("%s", line))?;
            }
            let dropped = self.dropped();
            let reported = self.reported.swap(dropped, Ordering::Relaxed);
            if dropped > reported {
                logger.call_method1(
                    "warning",
                    (
                        "%d trace lines were dropped: more than %d waited for logging",
                        dropped - reported,
                        PENDING_MAX,
                    ),
                )?;
            }
            Ok(())
        })();
        match result {
            // A broken logging handler must not turn a successful modem call into a failure...
            Err(e) if e.is_instance_of::<PyException>(py) => {
                e.write_unraisable(py, None);
                Ok(())
            }
            // ... but Ctrl-C while the handlers run is the user's, not the handler's.
            other => other,
        }
    }

    pub(crate) fn capacity(&self) -> usize {
        self.capacity
    }

    pub(crate) fn transcript(&self) -> Vec<TraceEvent> {
        lock(&self.transcript).iter().cloned().collect()
    }

    pub(crate) fn clear(&self) {
        lock(&self.transcript).clear();
    }
}

/// `logging.getLogger("l610")`, looked up once: loggers are singletons of their name, and the
/// lookup (import, getLogger) would otherwise cost every call a few microseconds.
fn logger(py: Python<'_>) -> PyResult<Bound<'_, PyAny>> {
    static LOGGER: pyo3::sync::PyOnceLock<Py<PyAny>> = pyo3::sync::PyOnceLock::new();
    LOGGER
        .get_or_try_init(py, || {
            Ok::<_, PyErr>(
                py.import("logging")?
                    .getattr("getLogger")?
                    .call1(("l610",))?
                    .unbind(),
            )
        })
        .map(|l| l.bind(py).clone())
}

fn logger_enabled(py: Python<'_>) -> PyResult<bool> {
    logger(py)?
        .call_method1("isEnabledFor", (DEBUG,))?
        .is_truthy()
}
