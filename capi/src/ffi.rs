//! The plumbing every exported function shares: NULL checks, C strings, buffers, and the
//! failure type that becomes an `l610_status`.
//!
//! Shared with the `no_std` library (`capi-proto/`): `core` and `alloc` only. The panic
//! boundary (`ffi_boundary!`) is each library's own (`catch_unwind` here in `lib.rs`, nothing
//! to catch with `panic = "abort"` there), and so is the error of calls without a handle
//! (`last_error.rs`).

use alloc::boxed::Box;
use alloc::format;
use alloc::string::String;
use core::ffi::{c_char, CStr};
use core::time::Duration;

use crate::status::l610_status;

/// Why a call failed, before it is turned into a status (and, on a handle, into its last error).
#[derive(Debug)]
pub(crate) enum Fail {
    /// A failure with its status and words (the driver's errors become this, `driver_error.rs`).
    Status(Box<Failure>),
    /// A required pointer was NULL: the argument's name.
    Null(&'static str),
    /// The caller's buffer was too small; what fits was written as documented.
    TooSmall,
    /// The requested detail does not exist.
    NotAvailable(&'static str),
    /// Nothing to read yet (the thread-free session never waits).
    WouldBlock,
}

impl Fail {
    /// The message a handle (or the thread, for calls without one) keeps.
    pub(crate) fn describe(&self) -> String {
        match self {
            Fail::Status(f) => f.message.clone(),
            Fail::Null(name) => format!("argument {name} is NULL"),
            Fail::TooSmall => "buffer too small".into(),
            Fail::NotAvailable(what) => (*what).into(),
            Fail::WouldBlock => "nothing received yet".into(),
        }
    }

    pub(crate) fn status(&self) -> l610_status {
        match self {
            Fail::Status(f) => f.status,
            Fail::Null(_) => l610_status::L610_NULL_ARGUMENT,
            Fail::TooSmall => l610_status::L610_BUFFER_TOO_SMALL,
            Fail::NotAvailable(_) => l610_status::L610_NOT_AVAILABLE,
            Fail::WouldBlock => l610_status::L610_WOULD_BLOCK,
        }
    }
}

/// A failure's status, its message, and the module's codes when it had any.
#[derive(Debug)]
pub(crate) struct Failure {
    pub(crate) status: l610_status,
    pub(crate) message: String,
    /// `+CME ERROR: <n>`.
    pub(crate) cme: Option<u16>,
    /// `+GTSSLERR` code and the diagnosis of a failed TLS open (only the threaded API, which
    /// the no_std library has not, produces and reads it).
    #[allow(dead_code)]
    pub(crate) ssl: Option<(i32, String)>,
}

/// A failure with a status and a message.
pub(crate) fn fail(status: l610_status, message: impl Into<String>) -> Fail {
    Fail::Status(Box::new(Failure {
        status,
        message: message.into(),
        cme: None,
        ssl: None,
    }))
}

/// A value refused by the tables of `l610-proto` (an ID, a type, a mode the caller passed):
/// `L610_INVALID_ARGUMENT`, like the driver's own refusals.
impl From<l610_proto::ValueError> for Fail {
    fn from(e: l610_proto::ValueError) -> Self {
        invalid(e.0)
    }
}

pub(crate) type FfiResult<T = ()> = Result<T, Fail>;

/// Finish a call that has no handle to keep its error: its failure's text (or "" on success)
/// goes to `keep`, the last error of `last_error.rs` (per thread in libl610, one for the program
/// in the `no_std` library), except for `L610_BUFFER_TOO_SMALL`, which leaves it alone.
pub(crate) fn finish_handleless(result: FfiResult, keep: impl FnOnce(String)) -> l610_status {
    let message = match &result {
        Ok(()) => String::new(),
        Err(Fail::TooSmall) => return l610_status::L610_BUFFER_TOO_SMALL,
        Err(f) => f.describe(),
    };
    keep(message);
    match result {
        Ok(()) => l610_status::L610_OK,
        Err(f) => f.status(),
    }
}

/// `L610_INVALID_ARGUMENT`, worded as the driver words it.
pub(crate) fn invalid(msg: impl Into<String>) -> Fail {
    let msg: String = msg.into();
    fail(
        l610_status::L610_INVALID_ARGUMENT,
        format!("invalid argument: {msg}"),
    )
}

/// A shared reference from a handle pointer.
///
/// # Safety
/// `p` is NULL or points to a live `T` created by this library.
pub(crate) unsafe fn arg<'a, T>(p: *const T, name: &'static str) -> FfiResult<&'a T> {
    // SAFETY: the caller's contract.
    unsafe { p.as_ref() }.ok_or(Fail::Null(name))
}

/// A mutable reference from a handle pointer.
///
/// # Safety
/// `p` is NULL or points to a live `T` that nothing else uses during the call.
pub(crate) unsafe fn arg_mut<'a, T>(p: *mut T, name: &'static str) -> FfiResult<&'a mut T> {
    // SAFETY: the caller's contract.
    unsafe { p.as_mut() }.ok_or(Fail::Null(name))
}

/// Check an out-parameter for NULL; write it later with [`put`].
pub(crate) fn out<T>(p: *mut T, name: &'static str) -> FfiResult<*mut T> {
    if p.is_null() {
        Err(Fail::Null(name))
    } else {
        Ok(p)
    }
}

/// Write an out-parameter that [`out`] has checked.
///
/// # Safety
/// `p` is non-NULL, aligned and writable.
pub(crate) unsafe fn put<T>(p: *mut T, value: T) {
    // SAFETY: the caller's contract; `write` does not drop the (uninitialised) old value.
    unsafe { p.write(value) }
}

/// A UTF-8 string from a NUL-terminated C string.
///
/// # Safety
/// `p` is NULL or a NUL-terminated string that lives for the call.
pub(crate) unsafe fn str_arg<'a>(p: *const c_char, name: &'static str) -> FfiResult<&'a str> {
    if p.is_null() {
        return Err(Fail::Null(name));
    }
    // SAFETY: the caller's contract.
    unsafe { CStr::from_ptr(p) }
        .to_str()
        .map_err(|_| invalid(format!("{name} is not valid UTF-8")))
}

/// Like [`str_arg`], NULL meaning `None`.
///
/// # Safety
/// As [`str_arg`].
pub(crate) unsafe fn opt_str_arg<'a>(
    p: *const c_char,
    name: &'static str,
) -> FfiResult<Option<&'a str>> {
    if p.is_null() {
        Ok(None)
    } else {
        // SAFETY: the caller's contract.
        unsafe { str_arg(p, name) }.map(Some)
    }
}

/// A byte slice from a pointer and a length; NULL is allowed only with length 0.
///
/// # Safety
/// `p` is NULL or points to `len` readable bytes that live for the call.
pub(crate) unsafe fn bytes_arg<'a, T>(
    p: *const T,
    len: usize,
    name: &'static str,
) -> FfiResult<&'a [T]> {
    if len == 0 {
        return Ok(&[]);
    }
    if p.is_null() {
        return Err(Fail::Null(name));
    }
    // SAFETY: the caller's contract.
    Ok(unsafe { core::slice::from_raw_parts(p, len) })
}

/// A writable byte slice; NULL is allowed only with length 0.
///
/// # Safety
/// `p` is NULL or points to `len` writable bytes that nothing else uses during the call.
pub(crate) unsafe fn buf_arg<'a, T>(
    p: *mut T,
    len: usize,
    name: &'static str,
) -> FfiResult<&'a mut [T]> {
    if len == 0 {
        return Ok(&mut []);
    }
    if p.is_null() {
        return Err(Fail::Null(name));
    }
    // SAFETY: the caller's contract.
    Ok(unsafe { core::slice::from_raw_parts_mut(p, len) })
}

/// Copy `text` into a caller's buffer, NUL-terminated (see `l610_status_text` for the contract:
/// on `TooSmall` the truncated text and the full length are written).
///
/// # Safety
/// `buf` is NULL or points to `len` writable bytes; `written` is NULL or writable.
pub(crate) unsafe fn copy_text(
    text: &str,
    buf: *mut c_char,
    len: usize,
    written: *mut usize,
) -> FfiResult {
    let written = out(written, "written")?;
    // SAFETY: the caller's contract.
    let dst = unsafe { buf_arg(buf.cast::<u8>(), len, "buf") }?;
    let bytes = text.as_bytes();
    let fits = bytes.len() < dst.len();
    if !dst.is_empty() {
        let mut n = bytes.len().min(dst.len() - 1);
        while !text.is_char_boundary(n) {
            n -= 1;
        }
        dst[..n].copy_from_slice(&bytes[..n]);
        dst[n] = 0;
    }
    // SAFETY: checked by `out`.
    unsafe { put(written, bytes.len()) };
    if fits {
        Ok(())
    } else {
        Err(Fail::TooSmall)
    }
}

/// Copy a list into a caller's array: on `TooSmall` nothing is copied and `*count` is the
/// length needed.
///
/// # Safety
/// `items` is NULL or points to `cap` writable elements; `count` is NULL or writable.
pub(crate) unsafe fn copy_list<T: Copy>(
    list: &[T],
    items: *mut T,
    cap: usize,
    count: *mut usize,
) -> FfiResult {
    let count = out(count, "count")?;
    // SAFETY: the caller's contract.
    let dst = unsafe { buf_arg(items, cap, "items") }?;
    // SAFETY: checked by `out`.
    unsafe { put(count, list.len()) };
    if list.len() > dst.len() {
        return Err(Fail::TooSmall);
    }
    dst[..list.len()].copy_from_slice(list);
    Ok(())
}

/// A C timeout in milliseconds: 0 means "the default" (`None`).
pub(crate) fn ms_or_default(ms: u32) -> Option<Duration> {
    (ms != 0).then(|| Duration::from_millis(ms.into()))
}

/// Free a handle made with `Box::into_raw`; NULL is a no-op.
///
/// # Safety
/// `p` is NULL or came from `Box::into_raw` and is not used again.
pub(crate) unsafe fn free_box<T>(p: *mut T) {
    if !p.is_null() {
        // SAFETY: the caller's contract.
        drop(unsafe { Box::from_raw(p) });
    }
}
