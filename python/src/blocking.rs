//! Every call into the driver: with the interpreter released, on the calling thread, under a
//! cancel hook that lets Ctrl-C (any Python signal handler that raises) end the call.
//!
//! The driver polls the calling thread's hook (`l610::with_cancel`) at least every 50 ms in
//! every wait. Ours, on the main thread, re-attaches to the interpreter at most every
//! [`CHECK_EVERY`] and runs `PyErr_CheckSignals`: when a handler raises (`KeyboardInterrupt` for
//! SIGINT), the exception is kept and the hook says stop; the driver abandons the command in
//! flight (the line is drained, so the next call works) and returns `Error::Cancelled`; we raise
//! the kept exception. Once a signal handler has raised, its exception is always raised, whatever
//! the call returned: a consumed Ctrl-C is never lost.
//!
//! Python runs signal handlers only in the main thread, so other threads get no hook (no
//! needless trips to the interpreter while the driver holds its locks).
//!
//! Lock order: the driver calls the hook while it holds its session lock (core/src/at/engine.rs
//! `Engine::drive`), and the hook then waits for the interpreter. So no thread may wait for the
//! session while attached to the interpreter: every path into the driver detaches first,
//! destructors included (`Drop` of `Modem` and `Socket`). A signal handler itself must not call
//! into the modem (it would wait for the session its own thread holds).

use std::cell::{Cell, RefCell};
use std::ffi::c_ulong;
use std::rc::Rc;
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use pyo3::prelude::*;

use crate::errors::to_pyerr;
use crate::trace::Trace;

/// How often, at most, the hook re-attaches to check for signals. With the driver's 50 ms poll,
/// Ctrl-C ends a call within about 70 ms; a call that is done sooner never re-attaches.
const CHECK_EVERY: Duration = Duration::from_millis(20);

/// `threading.main_thread().ident`, recorded when the module is imported.
static MAIN_THREAD: OnceLock<c_ulong> = OnceLock::new();

pub(crate) fn init(py: Python<'_>) -> PyResult<()> {
    let ident: c_ulong = py
        .import("threading")?
        .getattr("main_thread")?
        .call0()?
        .getattr("ident")?
        .extract()?;
    let _ = MAIN_THREAD.set(ident);
    Ok(())
}

fn on_main_thread() -> bool {
    // SAFETY: `PyThread_get_thread_ident` needs no interpreter state; it is `pthread_self`.
    let me = unsafe { pyo3::ffi::PyThread_get_thread_ident() };
    MAIN_THREAD.get() == Some(&me)
}

/// Run the driver call `f` with the interpreter released, interruptible by signals, then send
/// the trace lines it produced to `logging`. A `KeyboardInterrupt` (or whatever a signal handler
/// raised) wins over the call's own result.
pub(crate) fn run<T: Send>(
    py: Python<'_>,
    trace: Option<&Trace>,
    f: impl FnOnce() -> l610::Result<T> + Send,
) -> PyResult<T> {
    if let Some(t) = trace {
        t.refresh(py);
    }
    let (result, interrupted) = if on_main_thread() {
        py.detach(move || {
            let raised: Rc<RefCell<Option<PyErr>>> = Rc::default();
            let kept = raised.clone();
            let next_check = Cell::new(Instant::now() + CHECK_EVERY);
            let hook = move || {
                let now = Instant::now();
                if now < next_check.get() {
                    return false;
                }
                next_check.set(now + CHECK_EVERY);
                match Python::attach(|py| py.check_signals()) {
                    Ok(()) => false,
                    Err(e) => {
                        // The first exception is the one raised; a second Ctrl-C only stops
                        // the clean-up the driver does after the first.
                        kept.borrow_mut().get_or_insert(e);
                        true
                    }
                }
            };
            let result = l610::with_cancel(hook, f);
            let interrupted = raised.borrow_mut().take();
            (result, interrupted)
        })
    } else {
        (py.detach(f), None)
    };
    finish(py, trace, result, interrupted)
}

/// Flush the trace, then raise what must be raised: a signal handler's exception, then one raised
/// while logging the trace (`KeyboardInterrupt` in a handler), then the driver's error.
pub(crate) fn finish<T>(
    py: Python<'_>,
    trace: Option<&Trace>,
    result: l610::Result<T>,
    interrupted: Option<PyErr>,
) -> PyResult<T> {
    let flushed = trace.map_or(Ok(()), |t| t.flush(py));
    if let Some(e) = interrupted {
        return Err(e);
    }
    flushed?;
    result.map_err(|e| to_pyerr(py, e))
}
