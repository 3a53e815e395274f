//! The error of calls without a handle (`l610_cmd_*`, `l610_parse_*`, `l610_session_new`): one
//! for the program, under a spin lock (no threads to keep one per thread; a firmware with tasks
//! reads it in the task that failed, before the next such call).

use alloc::string::String;
use core::cell::UnsafeCell;
use core::ffi::c_char;
use core::sync::atomic::{AtomicBool, Ordering};

use crate::ffi::{copy_text, finish_handleless, FfiResult};
use crate::status::l610_status;

struct LastError {
    busy: AtomicBool,
    text: UnsafeCell<String>,
}

// SAFETY: `text` is only touched while `busy` is held (`with`).
unsafe impl Sync for LastError {}

static LAST: LastError = LastError {
    busy: AtomicBool::new(false),
    text: UnsafeCell::new(String::new()),
};

fn with<R>(f: impl FnOnce(&mut String) -> R) -> R {
    while LAST
        .busy
        .compare_exchange_weak(false, true, Ordering::Acquire, Ordering::Relaxed)
        .is_err()
    {
        core::hint::spin_loop();
    }
    // SAFETY: the flag makes this the only reference.
    let r = f(unsafe { &mut *LAST.text.get() });
    LAST.busy.store(false, Ordering::Release);
    r
}

/// Finish a call that has no handle: its failure (or "" on success) becomes the last error,
/// except `L610_BUFFER_TOO_SMALL`, which leaves it alone.
pub(crate) fn handleless(result: FfiResult) -> l610_status {
    finish_handleless(result, |message| with(|t| *t = message))
}

/// See `l610_last_error` in include/l610.h (here: one for the program, not per thread).
#[no_mangle]
pub unsafe extern "C" fn l610_last_error(
    buf: *mut c_char,
    len: usize,
    written: *mut usize,
) -> l610_status {
    let text = with(|t| t.clone());
    // SAFETY: forwarded contract.
    match unsafe { copy_text(&text, buf, len, written) } {
        Ok(()) => l610_status::L610_OK,
        Err(f) => f.status(),
    }
}
