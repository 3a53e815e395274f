//! The error of calls without a handle (`l610_modem_open*`, the `l610_cmd_*` builders, the
//! `l610_parse_*` parsers), kept per thread like `errno`. (The `no_std` library keeps one for
//! the program: `capi-proto/src/last_error.rs`.)

use alloc::string::String;
use core::ffi::c_char;

use crate::ffi::{copy_text, finish_handleless, FfiResult};
use crate::status::l610_status;

thread_local! {
    static THREAD_ERROR: core::cell::RefCell<String> = const { core::cell::RefCell::new(String::new()) };
}

/// Finish a call that has no handle: its failure (or "" on success) becomes this thread's last
/// error, except `L610_BUFFER_TOO_SMALL`, which leaves it alone.
pub(crate) fn handleless(result: FfiResult) -> l610_status {
    finish_handleless(result, |message| {
        THREAD_ERROR.with(|e| *e.borrow_mut() = message)
    })
}

/// Copy why the last failed call **on the calling thread** that has no handle to keep its error
/// failed: `l610_modem_open*` (e.g. `"serial port /dev/ttyUSB9: No such file or directory"`),
/// the `l610_cmd_*` builders and the `l610_parse_*` parsers. Empty text when the last such call
/// succeeded. Kept per thread, like `errno` (in the `no_std` `libl610_nostd.a`: one for the
/// program). Buffer contract as `l610_status_text`; reading it does not clear it.
#[no_mangle]
pub unsafe extern "C" fn l610_last_error(
    buf: *mut c_char,
    len: usize,
    written: *mut usize,
) -> l610_status {
    ffi_boundary!({
        let text = THREAD_ERROR.with(|e| e.borrow().clone());
        // SAFETY: forwarded contract.
        match unsafe { copy_text(&text, buf, len, written) } {
            Ok(()) => l610_status::L610_OK,
            Err(f) => f.status(),
        }
    })
}
