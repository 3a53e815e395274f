//! Cancelling a blocking call from the thread that made it.
//!
//! Every wait of the driver looks at the calling thread's cancel hook at least every 50 ms. A
//! binding installs one for the duration of a call: Python's checks for signals so that Ctrl-C
//! interrupts any call; a C host can pass a flag it sets from a signal handler. A cancelled
//! command is abandoned in the session (ESC if it waits for a prompt, then the line is drained),
//! and the call returns [`Error::Cancelled`](crate::Error::Cancelled).

use std::cell::RefCell;

thread_local! {
    static HOOK: RefCell<Option<Box<dyn Fn() -> bool>>> = const { RefCell::new(None) };
}

/// Run `f` with `hook` as this thread's cancel hook: when it returns true, the blocking call in
/// progress ends with [`Error::Cancelled`](crate::Error::Cancelled). Hooks nest; the previous one
/// is restored afterwards.
///
/// ```no_run
/// use std::sync::atomic::{AtomicBool, Ordering};
/// static STOP: AtomicBool = AtomicBool::new(false);
/// let modem = l610::Modem::open("/dev/ttyUSB0", 115200)?;
/// let r = l610::with_cancel(|| STOP.load(Ordering::Relaxed), || modem.verify_mode());
/// # Ok::<(), l610::Error>(())
/// ```
pub fn with_cancel<R>(hook: impl Fn() -> bool + 'static, f: impl FnOnce() -> R) -> R {
    struct Restore(Option<Box<dyn Fn() -> bool>>);
    impl Drop for Restore {
        fn drop(&mut self) {
            let prev = self.0.take();
            HOOK.with(|h| *h.borrow_mut() = prev);
        }
    }
    let prev = HOOK.with(|h| h.borrow_mut().replace(Box::new(hook)));
    let _restore = Restore(prev);
    f()
}

/// Whether this thread's hook asks to stop.
pub(crate) fn requested() -> bool {
    HOOK.with(|h| h.borrow().as_ref().is_some_and(|f| f()))
}
