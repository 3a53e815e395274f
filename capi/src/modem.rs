//! `l610_modem`: opening, closing, the last error, raw commands, the trace callback.

use std::cell::Cell;
use std::ffi::{c_char, c_void, CString};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use driver::at::{Direction, TraceEvent};
use driver::{Modem, ReceiveFormat};

use crate::ffi::*;
use crate::last_error::handleless;
use crate::status::l610_status::{self, *};
use crate::values::l610_direction;

/// A connected L610 module.
///
/// Thread safety: thread-safe. One handle may be used from several threads at once; commands
/// are serialised inside (one AT command runs at a time), and socket reads do not wait for them.
/// The last-error details (`l610_modem_last_error` and friends) are per handle, not per
/// thread: with several threads, they describe the most recent failure of any of them.
///
/// Blocking calls in progress on this handle or its sockets end with `L610_CANCELLED` when
/// another thread (or a signal handler) calls `l610_modem_interrupt`.
///
/// Ownership: created by `l610_modem_open*`, released by `l610_modem_free`.
pub struct l610_modem {
    pub(crate) modem: Modem,
    last: Mutex<LastError>,
    /// Bumped by `l610_modem_interrupt`; shared with the modem's sockets.
    pub(crate) interrupts: Arc<AtomicUsize>,
}

/// Run `f` (a driver call) so that `l610_modem_interrupt` cancels it: the driver looks at the
/// calling thread's hook at least every 50 ms in every wait. The hook fires once per interrupt,
/// so the clean-up the driver does after a cancel (closing a half-open socket) still runs.
pub(crate) fn interruptible<R>(interrupts: &Arc<AtomicUsize>, f: impl FnOnce() -> R) -> R {
    let counter = interrupts.clone();
    let seen = Cell::new(counter.load(Ordering::SeqCst));
    driver::with_cancel(
        move || {
            let now = counter.load(Ordering::SeqCst);
            now != seen.replace(now)
        },
        f,
    )
}

/// What the last failed call on a handle left behind.
#[derive(Default)]
struct LastError {
    message: String,
    cme: Option<u16>,
    ssl: Option<(i32, String)>,
}

pub(crate) fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

impl l610_modem {
    fn record(&self, fail: &Fail) {
        let mut last = LastError {
            message: fail.describe(),
            ..LastError::default()
        };
        if let Fail::Status(f) = fail {
            last.cme = f.cme;
            last.ssl = f.ssl.clone();
        }
        *lock(&self.last) = last;
    }

    pub(crate) fn record_panic(&self) {
        *lock(&self.last) = LastError {
            message: "internal error (panic) in libl610".into(),
            ..LastError::default()
        };
    }
}

/// Run `f` on a modem handle inside the panic boundary; a failure becomes the handle's last
/// error (except `L610_BUFFER_TOO_SMALL`, which leaves it alone) and its status.
///
/// # Safety
/// `modem` is NULL or a live handle.
pub(crate) unsafe fn with_modem(
    modem: *const l610_modem,
    f: impl FnOnce(&l610_modem) -> FfiResult,
) -> l610_status {
    ffi_boundary!({
        // SAFETY: the caller's contract.
        let m = match unsafe { arg(modem, "modem") } {
            Ok(m) => m,
            Err(e) => return e.status(),
        };
        match catch_unwind(AssertUnwindSafe(|| interruptible(&m.interrupts, || f(m)))) {
            Ok(Ok(())) => L610_OK,
            Ok(Err(Fail::TooSmall)) => L610_BUFFER_TOO_SMALL,
            Ok(Err(fail)) => {
                m.record(&fail);
                fail.status()
            }
            Err(_) => {
                m.record_panic();
                L610_PANIC
            }
        }
    })
}

/// Receives the trace of the serial line.
///
/// `user_data` is the pointer given with the callback; `text` is one event's bytes escaped to
/// printable ASCII (`\r`, `\n`, `\xNN`), NUL-terminated, valid only during the call (key
/// material is redacted); `elapsed_us` is the time since the modem was opened.
///
/// Runs on the driver's reader thread (received bytes) and on whichever thread is sending a
/// command (sent bytes), so it may run concurrently with itself and with your other threads:
/// `user_data` must be safe to use from those threads. It must return quickly, must not call
/// any `l610_*` function on the same modem (that may deadlock), and must not unwind (no C++
/// exceptions, no `longjmp`).
pub type l610_trace_callback = Option<
    unsafe extern "C" fn(
        user_data: *mut c_void,
        direction: l610_direction,
        text: *const c_char,
        elapsed_us: u64,
    ),
>;

/// Options of `l610_modem_open_with_options`. Initialise with `l610_modem_options_init`, then
/// change what you need. A timeout of 0 means the driver's default.
#[repr(C)]
pub struct l610_modem_options {
    /// Final result of an ordinary command (default 5000 ms).
    pub command_timeout_ms: u32,
    /// `OK` after a `+GTSSLFILE` upload (default 20000 ms).
    pub upload_timeout_ms: u32,
    /// `+MIPOPEN` result after `AT+MIPOPEN`, handshake included (default 75000 ms).
    pub open_timeout_ms: u32,
    /// `+MIPCALL: <ip>` after PDP activation (default 150000 ms).
    pub pdp_timeout_ms: u32,
    /// Send `AT` on open until the module answers (default true).
    pub probe_on_open: bool,
    /// Trace callback, or NULL for none (default NULL). See `l610_trace_callback`.
    pub trace: l610_trace_callback,
    /// Passed to `trace` as is; the library never dereferences or frees it.
    pub trace_user_data: *mut c_void,
}

/// Fill `*options` with the defaults. Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn l610_modem_options_init(options: *mut l610_modem_options) -> l610_status {
    ffi_boundary!({
        match out(options, "options") {
            Ok(p) => {
                // SAFETY: checked non-NULL; the caller promises it is writable.
                unsafe {
                    put(
                        p,
                        l610_modem_options {
                            command_timeout_ms: 0,
                            upload_timeout_ms: 0,
                            open_timeout_ms: 0,
                            pdp_timeout_ms: 0,
                            probe_on_open: true,
                            trace: None,
                            trace_user_data: std::ptr::null_mut(),
                        },
                    )
                };
                L610_OK
            }
            Err(f) => f.status(),
        }
    })
}

/// The user's pointer, handed back to the user's callback on other threads (documented).
struct UserData(*mut c_void);
// SAFETY: the library never touches the pointer; the callback's contract puts its thread
// safety on the caller.
unsafe impl Send for UserData {}
// SAFETY: as above.
unsafe impl Sync for UserData {}

impl UserData {
    // A method, so that closures capture the whole Send + Sync wrapper, not its raw field.
    fn get(&self) -> *mut c_void {
        self.0
    }
}

fn trace_sink(
    cb: unsafe extern "C" fn(*mut c_void, l610_direction, *const c_char, u64),
    user_data: *mut c_void,
) -> impl Fn(&TraceEvent) + Send + Sync + 'static {
    let user_data = UserData(user_data);
    move |event: &TraceEvent| {
        let direction = match event.direction {
            Direction::Tx => l610_direction::L610_TX,
            Direction::Rx => l610_direction::L610_RX,
        };
        // The text is escaped to printable ASCII, so it holds no NUL; be safe all the same.
        let text = CString::new(event.text.replace('\0', "\\x00")).unwrap_or_default();
        let us = u64::try_from(event.elapsed.as_micros()).unwrap_or(u64::MAX);
        // SAFETY: the caller gave a valid function pointer and owns user_data's contract.
        unsafe { cb(user_data.get(), direction, text.as_ptr(), us) };
    }
}

/// The builder the options ask for (NULL: the defaults).
pub(crate) fn builder_from(options: Option<&l610_modem_options>) -> driver::ModemBuilder {
    let mut builder = Modem::builder();
    if let Some(o) = options {
        let set = |ms: u32, f: fn(driver::ModemBuilder, Duration) -> driver::ModemBuilder, b| {
            match ms_or_default(ms) {
                Some(d) => f(b, d),
                None => b,
            }
        };
        builder = set(
            o.command_timeout_ms,
            driver::ModemBuilder::command_timeout,
            builder,
        );
        builder = set(
            o.upload_timeout_ms,
            driver::ModemBuilder::upload_timeout,
            builder,
        );
        builder = set(
            o.open_timeout_ms,
            driver::ModemBuilder::open_timeout,
            builder,
        );
        builder = set(o.pdp_timeout_ms, driver::ModemBuilder::pdp_timeout, builder);
        builder = builder.probe_on_open(o.probe_on_open);
        if let Some(cb) = o.trace {
            builder = builder.trace(trace_sink(cb, o.trace_user_data));
        }
    }
    builder
}

/// The body of every `l610_modem_open*`: `open` makes the modem; on success the handle goes to
/// `*out_modem`, on failure the reason goes to this thread's open error (`l610_open_error`).
pub(crate) fn open_with(
    out_modem: *mut *mut l610_modem,
    open: impl FnOnce() -> FfiResult<Modem>,
) -> l610_status {
    ffi_boundary!({
        let run = || -> FfiResult {
            let out_modem = out(out_modem, "out_modem")?;
            let modem = open()?;
            let handle = Box::new(l610_modem {
                modem,
                last: Mutex::default(),
                interrupts: Arc::default(),
            });
            // SAFETY: checked non-NULL.
            unsafe { put(out_modem, Box::into_raw(handle)) };
            Ok(())
        };
        handleless(run())
    })
}

unsafe fn open_impl(
    path: *const c_char,
    baud: u32,
    options: Option<&l610_modem_options>,
    out_modem: *mut *mut l610_modem,
) -> l610_status {
    open_with(out_modem, || {
        // SAFETY: the caller's contract.
        let path = unsafe { str_arg(path, "path") }?;
        if baud == 0 {
            return Err(invalid("baud must not be 0"));
        }
        Ok(builder_from(options).open(path, baud)?)
    })
}

/// Open the serial port at `path` (e.g. `"/dev/ttyUSB0"`) at `baud` (e.g. 115200, 8N1) with the
/// default options, and check that the module answers. On success `*out_modem` receives a new
/// handle that the caller owns and releases with `l610_modem_free`. No handle exists on failure:
/// the status says what kind of failure it was, `l610_last_error` why.
#[no_mangle]
pub unsafe extern "C" fn l610_modem_open(
    path: *const c_char,
    baud: u32,
    out_modem: *mut *mut l610_modem,
) -> l610_status {
    // SAFETY: forwarded contract.
    unsafe { open_impl(path, baud, None, out_modem) }
}

/// `l610_modem_open` with options (timeouts, trace callback). `options` must have been
/// initialised with `l610_modem_options_init`; it is copied, and may be freed after the call.
#[no_mangle]
pub unsafe extern "C" fn l610_modem_open_with_options(
    path: *const c_char,
    baud: u32,
    options: *const l610_modem_options,
    out_modem: *mut *mut l610_modem,
) -> l610_status {
    ffi_boundary!({
        // SAFETY: the caller's contract.
        match unsafe { arg(options, "options") } {
            // SAFETY: forwarded contract.
            Ok(o) => unsafe { open_impl(path, baud, Some(o), out_modem) },
            Err(f) => f.status(),
        }
    })
}

/// `l610_modem_open` with a trace callback (`trace` may be NULL for none); see
/// `l610_trace_callback` for the threads it runs on.
#[no_mangle]
pub unsafe extern "C" fn l610_modem_open_with_trace(
    path: *const c_char,
    baud: u32,
    trace: l610_trace_callback,
    user_data: *mut c_void,
    out_modem: *mut *mut l610_modem,
) -> l610_status {
    let mut o = std::mem::MaybeUninit::uninit();
    // SAFETY: `o` is writable; init fills every field.
    unsafe {
        l610_modem_options_init(o.as_mut_ptr());
        let mut o = o.assume_init();
        o.trace = trace;
        o.trace_user_data = user_data;
        open_impl(path, baud, Some(&o), out_modem)
    }
}

/// Close the port, stop the reader thread and release the handle: no callback (trace, or the
/// `l610_io` read and write of `l610_modem_open_io`) runs after this returns, even while sockets
/// of this modem are still alive. NULL is a no-op.
///
/// Sockets of this modem may be freed before or after. Afterwards every call on them fails with
/// `L610_CLOSED` (a `l610_socket_recv` blocked in another thread returns at once with it), and
/// `l610_socket_close` and `l610_socket_free` remain valid. The modem handle itself must not be
/// in use by another thread: to end calls that other threads are still making, call
/// `l610_modem_shutdown` first, then free the handle once they have returned.
#[no_mangle]
pub unsafe extern "C" fn l610_modem_free(modem: *mut l610_modem) {
    ffi_boundary!(void {
        // SAFETY: the caller's contract (NULL or a live handle no other thread uses).
        if let Some(m) = unsafe { modem.as_ref() } {
            // Closes the session for every handle that shares it (the sockets) and detaches
            // the trace sink; the sockets' references keep only memory alive, not the line.
            m.modem.shutdown();
        }
        // SAFETY: the caller's contract.
        unsafe { free_box(modem) }
    });
}

/// End the session from any thread, while other threads are still using this modem and its
/// sockets: every call in progress on them (a `l610_socket_recv` without a timeout included)
/// returns `L610_CLOSED` at once, later calls fail with `L610_CLOSED`, the port (or the caller's
/// transport: no `l610_io` callback and no trace callback runs after this returns) is let go,
/// and `l610_socket_close`, `l610_socket_free` and `l610_modem_free` then return at once.
///
/// Unlike `l610_modem_free`, the handle stays valid: free it once the other threads are done
/// with it. Calling it twice is harmless. NULL is `L610_NULL_ARGUMENT`. Thread-safe. Not for a
/// signal handler (it takes locks and joins the reader thread): use `l610_modem_interrupt`
/// there.
#[no_mangle]
pub unsafe extern "C" fn l610_modem_shutdown(modem: *const l610_modem) -> l610_status {
    ffi_boundary!({
        // SAFETY: the caller's contract.
        match unsafe { arg(modem, "modem") } {
            Ok(m) => {
                m.modem.shutdown();
                L610_OK
            }
            Err(f) => f.status(),
        }
    })
}

/// Interrupt every blocking call in progress on this modem and on its sockets, in any thread:
/// each returns `L610_CANCELLED` within about 50 ms. A command in flight is abandoned (the
/// driver waits for the line to go quiet before the next one, so the next call works); a
/// socket stays open. Calls that start after this returns are not affected.
///
/// Async-signal-safe (one atomic increment, no lock, no allocation): call it from a SIGINT
/// handler to make Ctrl-C end a long `l610_modem_activate_pdp` or `l610_socket_recv`. NULL is
/// `L610_NULL_ARGUMENT`. Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn l610_modem_interrupt(modem: *const l610_modem) -> l610_status {
    // No panic boundary is needed: nothing here can panic (and none may run in a signal handler).
    // SAFETY: the caller's contract.
    match unsafe { modem.as_ref() } {
        Some(m) => {
            m.interrupts.fetch_add(1, Ordering::SeqCst);
            L610_OK
        }
        None => L610_NULL_ARGUMENT,
    }
}

/// Copy the message of the last failed call on this handle into `buf` (empty text if none has
/// failed). Buffer contract as `l610_status_text`. Reading it does not clear it.
#[no_mangle]
pub unsafe extern "C" fn l610_modem_last_error(
    modem: *const l610_modem,
    buf: *mut c_char,
    len: usize,
    written: *mut usize,
) -> l610_status {
    // SAFETY: forwarded contract.
    unsafe {
        detail(modem, |last| {
            let message = last.message.clone();
            copy_text(&message, buf, len, written)
        })
    }
}

/// The numeric code of the last error on this handle, when it was `+CME ERROR: <n>`.
/// `L610_NOT_AVAILABLE` when the last error was something else, or a verbose `+CME ERROR`
/// without a number (its text is in `l610_modem_last_error`).
#[no_mangle]
pub unsafe extern "C" fn l610_modem_last_cme_code(
    modem: *const l610_modem,
    out_code: *mut u16,
) -> l610_status {
    // SAFETY: forwarded contract.
    unsafe {
        detail(modem, |last| {
            let p = out(out_code, "out_code")?;
            let code = last.cme.ok_or(Fail::NotAvailable(
                "the last error was not a numeric +CME ERROR",
            ))?;
            put(p, code);
            Ok(())
        })
    }
}

/// The `+GTSSLERR` code (0, -1 ... -20) and the driver's plain-language diagnosis of the last
/// error on this handle, when it was a failed TLS connection (`L610_SSL_ERROR`);
/// `L610_NOT_AVAILABLE` otherwise. The diagnosis goes to `buf` with the contract of
/// `l610_status_text`, except that `buf` may be NULL with `len` 0 and `written` NULL to skip it.
/// On `L610_BUFFER_TOO_SMALL`, `*out_code` is written too.
#[no_mangle]
pub unsafe extern "C" fn l610_modem_last_ssl_error(
    modem: *const l610_modem,
    out_code: *mut i32,
    buf: *mut c_char,
    len: usize,
    written: *mut usize,
) -> l610_status {
    // SAFETY: forwarded contract.
    unsafe {
        detail(modem, |last| {
            let p = out(out_code, "out_code")?;
            let (code, diagnosis) = last.ssl.clone().ok_or(Fail::NotAvailable(
                "the last error was not a TLS connection failure",
            ))?;
            let copied = if buf.is_null() && len == 0 && written.is_null() {
                Ok(())
            } else {
                copy_text(&diagnosis, buf, len, written)
            };
            if matches!(copied, Ok(()) | Err(Fail::TooSmall)) {
                put(p, code);
            }
            copied
        })
    }
}

/// Read the last error without recording a new one (reading must not overwrite what is read).
///
/// # Safety
/// `modem` is NULL or a live handle.
unsafe fn detail(modem: *const l610_modem, f: impl FnOnce(&LastError) -> FfiResult) -> l610_status {
    ffi_boundary!({
        // SAFETY: the caller's contract.
        let m = match unsafe { arg(modem, "modem") } {
            Ok(m) => m,
            Err(e) => return e.status(),
        };
        let last = lock(&m.last);
        match f(&last) {
            Ok(()) => L610_OK,
            Err(e) => e.status(),
        }
    })
}

/// Send any AT command and copy its response lines into `buf`, separated by `\n`
/// (NUL-terminated; buffer contract as `l610_status_text`; the command has run even when the
/// answer does not fit).
///
/// `line` is the command with or without its leading `AT` (`"+CSQ"` or `"AT+CSQ"`). The
/// response is the command's own `+NAME:` lines (`+CSQ: 24,99` for `+CSQ`) and lines without
/// `+` (like `ATI`'s), as in every binding (`l610::Modem::line_command`). `expects` names more
/// prefixes whose lines belong to the response (several separated by `,`); NULL for none.
/// Other `+` lines are URCs and do not appear in the response.
/// `timeout_ms` 0 uses the modem's command timeout. This is the bring-up escape hatch; prefer
/// the typed functions. It sends no payload (so none can reach the trace callback); the command
/// line and the response are traced as they are.
#[no_mangle]
pub unsafe extern "C" fn l610_modem_command(
    modem: *const l610_modem,
    line: *const c_char,
    expects: *const c_char,
    timeout_ms: u32,
    buf: *mut c_char,
    len: usize,
    written: *mut usize,
) -> l610_status {
    // SAFETY: forwarded contract.
    unsafe {
        with_modem(modem, |m| {
            out(written, "written")?;
            let line = str_arg(line, "line")?;
            let expects = opt_str_arg(expects, "expects")?;
            // The one meaning of a raw command (core: `AT` optional, its own lines returned).
            let mut cmd = Modem::line_command(line);
            for prefix in expects.into_iter().flat_map(|e| e.split(',')) {
                let prefix = prefix.trim();
                if !prefix.is_empty() {
                    cmd = cmd.expects(prefix);
                }
            }
            if let Some(t) = ms_or_default(timeout_ms) {
                cmd = cmd.timeout(t);
            }
            let response = m.modem.command(&cmd)?;
            copy_text(response.text(), buf, len, written)
        })
    }
}

/// How received socket data is delivered by the module (`AT+GTSET="IPRFMT",<n>`).
#[repr(u32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum l610_receive_format {
    /// IPRFMT 0, the module's default: hex text.
    L610_RECEIVE_HEX = 0,
    /// IPRFMT 1: raw bytes up to the line's end; not binary-safe (a CR or LF in the data ends
    /// it), for text protocols only.
    L610_RECEIVE_RAW_LINE = 1,
    /// IPRFMT 2: raw bytes read by length; binary-safe and half the bytes on the line.
    L610_RECEIVE_RAW = 2,
    /// IPRFMT 5, read mode: the module holds received bytes until asked; `l610_socket_recv`
    /// pulls them with `AT+MIPREAD` when the module announces them.
    L610_RECEIVE_READ = 5,
}

/// `AT+GTSET="IPRFMT",<n>`: `format` is an `l610_receive_format` value.
#[no_mangle]
pub unsafe extern "C" fn l610_modem_set_receive_format(
    modem: *const l610_modem,
    format: u32,
) -> l610_status {
    // SAFETY: forwarded contract.
    unsafe {
        with_modem(modem, |m| {
            let f = driver::proto::commands::receive_format_from_iprfmt(i64::from(format))?;
            Ok(m.modem.set_receive_format(f)?)
        })
    }
}

/// The receive format the driver believes is in force (no command is sent).
#[no_mangle]
pub unsafe extern "C" fn l610_modem_receive_format(
    modem: *const l610_modem,
    out_format: *mut l610_receive_format,
) -> l610_status {
    // SAFETY: forwarded contract.
    unsafe {
        with_modem(modem, |m| {
            let p = out(out_format, "out_format")?;
            let f = match m.modem.receive_format() {
                ReceiveFormat::Hex => l610_receive_format::L610_RECEIVE_HEX,
                ReceiveFormat::RawLine => l610_receive_format::L610_RECEIVE_RAW_LINE,
                ReceiveFormat::Raw => l610_receive_format::L610_RECEIVE_RAW,
                ReceiveFormat::Read => l610_receive_format::L610_RECEIVE_READ,
            };
            put(p, f);
            Ok(())
        })
    }
}
