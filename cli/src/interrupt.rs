//! Ctrl-C: the first one cancels the driver call in progress (`l610::with_cancel`), so a
//! connection is closed on the module and the line drained before the command exits with 130; a
//! second one ends the process at once.

use std::sync::atomic::{AtomicBool, Ordering};

static REQUESTED: AtomicBool = AtomicBool::new(false);

extern "C" fn on_sigint(_: libc::c_int) {
    if REQUESTED.swap(true, Ordering::SeqCst) {
        // SAFETY: _exit is async-signal-safe.
        unsafe { libc::_exit(crate::exit::INTERRUPTED) };
    }
}

/// The handler in force until dropped; the previous one (Python's, when the CLI runs inside
/// the interpreter) comes back then.
pub struct Installed(libc::sigaction);

impl Drop for Installed {
    fn drop(&mut self) {
        // SAFETY: restores the action sigaction returned.
        unsafe { libc::sigaction(libc::SIGINT, &self.0, std::ptr::null_mut()) };
    }
}

/// Install the handler (without SA_RESTART, so a read of stdin returns `Interrupted`).
pub fn install() -> Installed {
    REQUESTED.store(false, Ordering::SeqCst);
    // SAFETY: zeroed sigactions are valid; the handler only touches an atomic and calls _exit.
    unsafe {
        let mut sa: libc::sigaction = std::mem::zeroed();
        let mut old: libc::sigaction = std::mem::zeroed();
        sa.sa_sigaction = on_sigint as extern "C" fn(libc::c_int) as libc::sighandler_t;
        libc::sigemptyset(&mut sa.sa_mask);
        sa.sa_flags = 0;
        libc::sigaction(libc::SIGINT, &sa, &mut old);
        Installed(old)
    }
}

/// Whether Ctrl-C was pressed.
pub fn requested() -> bool {
    REQUESTED.load(Ordering::SeqCst)
}

/// Run `f` with no cancel hook: what must still happen after Ctrl-C (closing a connection).
pub fn uncancelled<R>(f: impl FnOnce() -> R) -> R {
    l610::with_cancel(|| false, f)
}
