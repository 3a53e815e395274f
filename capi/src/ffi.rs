//! The plumbing every exported function shares: the panic boundary, NULL checks, C strings,
//! buffers, and the failure type that becomes an `l610_status`.

use std::ffi::{c_char, CStr};
use std::time::Duration;

use crate::status::l610_status;

/// Run an exported function's body inside `catch_unwind`: a panic becomes `L610_PANIC` (for
/// functions returning `l610_status`) or is swallowed (for `void` ones), never an unwind into C.
macro_rules! ffi_boundary {
    ($body:block) => {
        match ::std::panic::catch_unwind(::std::panic::AssertUnwindSafe(|| $body)) {
            Ok(status) => status,
            Err(_) => $crate::status::l610_status::L610_PANIC,
        }
    };
    (void $body:block) => {
        let _ = ::std::panic::catch_unwind(::std::panic::AssertUnwindSafe(|| $body));
    };
}

/// Why a call failed, before it is turned into a status (and, on a handle, into its last error).
#[derive(Debug)]
pub(crate) enum Fail {
    /// The driver's error.
    Driver(driver::Error),
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
            Fail::Driver(e) => e.to_string(),
            Fail::Null(name) => format!("argument {name} is NULL"),
            Fail::TooSmall => "buffer too small".into(),
            Fail::NotAvailable(what) => (*what).into(),
            Fail::WouldBlock => "nothing received yet".into(),
        }
    }

    pub(crate) fn status(&self) -> l610_status {
        match self {
            Fail::Driver(e) => l610_status::from_kind(e.kind()),
            Fail::Null(_) => l610_status::L610_NULL_ARGUMENT,
            Fail::TooSmall => l610_status::L610_BUFFER_TOO_SMALL,
            Fail::NotAvailable(_) => l610_status::L610_NOT_AVAILABLE,
            Fail::WouldBlock => l610_status::L610_WOULD_BLOCK,
        }
    }
}

impl From<driver::Error> for Fail {
    fn from(e: driver::Error) -> Self {
        Fail::Driver(e)
    }
}

/// A value refused by the tables of `l610-proto` (an ID, a type, a mode the caller passed):
/// `L610_INVALID_ARGUMENT`, like the driver's own refusals.
impl From<driver::proto::ValueError> for Fail {
    fn from(e: driver::proto::ValueError) -> Self {
        Fail::Driver(e.into())
    }
}

pub(crate) type FfiResult<T = ()> = Result<T, Fail>;

pub(crate) fn invalid(msg: impl Into<String>) -> Fail {
    Fail::Driver(driver::Error::InvalidArgument(msg.into()))
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
    Ok(unsafe { std::slice::from_raw_parts(p, len) })
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
    Ok(unsafe { std::slice::from_raw_parts_mut(p, len) })
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

thread_local! {
    /// Why the last call on this thread that has no handle to keep it failed (an open, a
    /// command builder, a response parser): `l610_last_error`.
    static THREAD_ERROR: std::cell::RefCell<String> = const { std::cell::RefCell::new(String::new()) };
}

/// Finish a call that has no handle: its failure (or "" on success) becomes this thread's last
/// error, except `L610_BUFFER_TOO_SMALL`, which leaves it alone.
pub(crate) fn handleless(result: FfiResult) -> l610_status {
    let message = match &result {
        Ok(()) => String::new(),
        Err(Fail::TooSmall) => return l610_status::L610_BUFFER_TOO_SMALL,
        Err(f) => f.describe(),
    };
    THREAD_ERROR.with(|e| *e.borrow_mut() = message);
    match result {
        Ok(()) => l610_status::L610_OK,
        Err(f) => f.status(),
    }
}

/// Copy why the last failed call **on the calling thread** that has no handle to keep its error
/// failed: `l610_modem_open*` (e.g. `"serial port /dev/ttyUSB9: No such file or directory"`),
/// the `l610_cmd_*` builders and the `l610_parse_*` parsers. Empty text when the last such call
/// succeeded. Kept per thread, like `errno`. Buffer contract as `l610_status_text`; reading it
/// does not clear it.
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
