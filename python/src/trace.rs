//! The AT trace, for Python's `logging` (logger `l610`, DEBUG) and for `Modem.transcript()`.
//!
//! The core calls the sink from the reader thread (received bytes) and from whichever thread
//! writes (sent bytes). The sink never touches Python: it only appends to two queues under a
//! plain mutex. The thread that made the call flushes the pending lines to `logging` after the
//! call returns, holding the interpreter. So the reader thread never waits for the interpreter,
//! and no thread that holds it waits for the reader: no deadlock is possible. Lines arriving
//! while nothing runs (URCs) are flushed after the next call.
//!
//! A logging handler that fails with an ordinary exception does not turn a successful modem call
//! into a failure (the exception is reported with `sys.unraisablehook`); a `KeyboardInterrupt`
//! (Ctrl-C arriving while the handlers run) or any other `BaseException` propagates.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex, MutexGuard};

use l610::TraceEvent;
use pyo3::exceptions::PyException;
use pyo3::prelude::*;

pub(crate) struct Trace {
    pending: Mutex<Vec<String>>,
    transcript: Mutex<VecDeque<String>>,
    capacity: usize,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// `logging.DEBUG`.
const DEBUG: i32 = 10;

impl Trace {
    pub(crate) fn new(capacity: usize) -> Arc<Trace> {
        Arc::new(Trace {
            pending: Mutex::default(),
            transcript: Mutex::default(),
            capacity,
        })
    }

    /// The sink handed to the core (already redacted there).
    pub(crate) fn record(&self, event: &TraceEvent) {
        let line = event.to_string();
        {
            let mut t = lock(&self.transcript);
            if self.capacity > 0 {
                if t.len() >= self.capacity {
                    t.pop_front();
                }
                t.push_back(line.clone());
            }
        }
        lock(&self.pending).push(line);
    }

    /// Send pending lines to the `l610` logger, if it is enabled for DEBUG. Fails only with an
    /// exception that is not an `Exception` (`KeyboardInterrupt`, `SystemExit`).
    pub(crate) fn flush(&self, py: Python<'_>) -> PyResult<()> {
        let lines = std::mem::take(&mut *lock(&self.pending));
        if lines.is_empty() {
            return Ok(());
        }
        let result = (|| -> PyResult<()> {
            let logger = py
                .import("logging")?
                .getattr("getLogger")?
                .call1(("l610",))?;
            if logger.call_method1("isEnabledFor", (DEBUG,))?.is_truthy()? {
                for line in lines {
                    logger.call_method1("debug", ("%s", line))?;
                }
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

    pub(crate) fn transcript(&self) -> Vec<String> {
        lock(&self.transcript).iter().cloned().collect()
    }

    pub(crate) fn clear(&self) {
        lock(&self.transcript).clear();
    }
}
