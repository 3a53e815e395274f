//! `l610_socket`: `+MIP*` TCP and TLS connections through the module.

use std::ffi::c_char;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::AtomicUsize;
use std::sync::{Arc, Mutex, RwLock};
use std::time::Duration;

use driver::{OpenOptions, Protocol, Socket, SocketState};

use crate::ffi::*;
use crate::modem::{interruptible, l610_modem, lock, with_modem};
use crate::status::l610_status::{self, *};
use crate::values::l610_socket_state;

/// A connected `+MIPOPEN` socket (TCP or TLS).
///
/// Thread safety: thread-safe. One thread may be in `l610_socket_recv` while another is in
/// `l610_socket_send`. `l610_socket_close` never waits for calls in progress on other threads:
/// a `l610_socket_recv` blocked on the socket (even without a timeout) returns `L610_CLOSED`
/// at once. `l610_socket_free` must not race with any other call on the socket. The last error
/// is per handle.
///
/// Ownership: created by `l610_modem_open_tls`/`_tcp`/`_socket`, released by
/// `l610_socket_free` (which closes the connection if `l610_socket_close` was not called).
/// A socket may outlive its modem: after `l610_modem_free` its calls fail with `L610_CLOSED`,
/// and it must still be freed.
pub struct l610_socket {
    /// Taken by `l610_socket_close`. A call clones the `Arc` out and lets go of the lock, so a
    /// close never waits for a blocked `recv`: `Socket::close` wakes it.
    socket: RwLock<Option<Arc<Socket>>>,
    last: Mutex<String>,
    /// The modem's interrupt counter (`l610_modem_interrupt`).
    interrupts: Arc<AtomicUsize>,
}

/// Options of `l610_modem_open_socket`. Initialise with `l610_open_options_init`.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct l610_open_options {
    /// Socket id 1–6, or 0 to take the first free one (default 0).
    pub id: u8,
    /// Local port, or 0 to leave it to the module (default 0).
    pub source_port: u16,
    /// Wait this long for the connection (handshake included); 0 uses the modem's open timeout
    /// (default 0).
    pub timeout_ms: u32,
    /// With verification on, refuse to connect (`L610_CLOCK_SKEW`) when the module clock is
    /// more than a day off the host's (default true).
    pub check_clock: bool,
}

/// Fill `*options` with the defaults. Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn l610_open_options_init(options: *mut l610_open_options) -> l610_status {
    ffi_boundary!({
        match out(options, "options") {
            Ok(p) => {
                // SAFETY: checked non-NULL.
                unsafe {
                    put(
                        p,
                        l610_open_options {
                            id: 0,
                            source_port: 0,
                            timeout_ms: 0,
                            check_clock: true,
                        },
                    )
                };
                L610_OK
            }
            Err(f) => f.status(),
        }
    })
}

unsafe fn open_impl(
    modem: *const l610_modem,
    protocol: u32,
    host: *const c_char,
    port: u16,
    options: *const l610_open_options,
    out_socket: *mut *mut l610_socket,
) -> l610_status {
    // SAFETY: forwarded contract.
    unsafe {
        with_modem(modem, |m| {
            let out_socket = out(out_socket, "out_socket")?;
            let host = str_arg(host, "host")?;
            let protocol = match protocol {
                0 => Protocol::Tcp,
                2 => Protocol::Tls,
                n => return Err(invalid(format!("protocol {n} is not 0 (TCP) or 2 (TLS)"))),
            };
            let mut o = OpenOptions::default();
            if let Some(c) = options.as_ref() {
                o.id = (c.id != 0).then_some(c.id);
                o.source_port = (c.source_port != 0).then_some(c.source_port);
                o.timeout = ms_or_default(c.timeout_ms);
                o.check_clock = c.check_clock;
            }
            let socket = m.modem.open_socket(protocol, host, port, &o)?;
            let handle = Box::new(l610_socket {
                socket: RwLock::new(Some(Arc::new(socket))),
                last: Mutex::default(),
                interrupts: m.interrupts.clone(),
            });
            put(out_socket, Box::into_raw(handle));
            Ok(())
        })
    }
}

/// Open a TLS connection to `host`:`port` through the module with its current `+GTSSL*`
/// settings (and the default options). Needs an active PDP context
/// (`l610_modem_activate_pdp`). A failed handshake is `L610_SSL_ERROR`, with the module's code
/// and a diagnosis in `l610_modem_last_ssl_error`. The caller owns `*out_socket`.
#[no_mangle]
pub unsafe extern "C" fn l610_modem_open_tls(
    modem: *const l610_modem,
    host: *const c_char,
    port: u16,
    out_socket: *mut *mut l610_socket,
) -> l610_status {
    // SAFETY: forwarded contract.
    unsafe { open_impl(modem, 2, host, port, std::ptr::null(), out_socket) }
}

/// Open a plain TCP connection through the module (default options).
#[no_mangle]
pub unsafe extern "C" fn l610_modem_open_tcp(
    modem: *const l610_modem,
    host: *const c_char,
    port: u16,
    out_socket: *mut *mut l610_socket,
) -> l610_status {
    // SAFETY: forwarded contract.
    unsafe { open_impl(modem, 0, host, port, std::ptr::null(), out_socket) }
}

/// `AT+MIPOPEN` with a protocol (an `l610_protocol` value) and options (NULL for the
/// defaults).
#[no_mangle]
pub unsafe extern "C" fn l610_modem_open_socket(
    modem: *const l610_modem,
    protocol: u32,
    host: *const c_char,
    port: u16,
    options: *const l610_open_options,
    out_socket: *mut *mut l610_socket,
) -> l610_status {
    // SAFETY: forwarded contract.
    unsafe { open_impl(modem, protocol, host, port, options, out_socket) }
}

fn closed() -> Fail {
    driver::Error::Closed("the socket was closed with l610_socket_close".into()).into()
}

/// Run `f` on an open socket; a failure becomes the socket's last error.
///
/// # Safety
/// `socket` is NULL or a live handle.
unsafe fn with_socket(
    socket: *const l610_socket,
    f: impl FnOnce(&Socket) -> FfiResult,
) -> l610_status {
    ffi_boundary!({
        // SAFETY: the caller's contract.
        let s = match unsafe { arg(socket, "socket") } {
            Ok(s) => s,
            Err(e) => return e.status(),
        };
        let r = catch_unwind(AssertUnwindSafe(|| {
            // Not held during the call: `l610_socket_close` must never wait for it.
            let sock = s.socket.read().unwrap_or_else(|e| e.into_inner()).clone();
            match sock {
                Some(sock) => interruptible(&s.interrupts, || f(&sock)),
                None => Err(closed()),
            }
        }));
        s.finish(r)
    })
}

impl l610_socket {
    fn finish(&self, r: std::thread::Result<FfiResult>) -> l610_status {
        let (status, message) = match r {
            Ok(Ok(())) => return L610_OK,
            Ok(Err(Fail::TooSmall)) => return L610_BUFFER_TOO_SMALL,
            Ok(Err(f)) => (f.status(), f.describe()),
            Err(_) => (L610_PANIC, "internal error (panic) in libl610".to_owned()),
        };
        *lock(&self.last) = message;
        status
    }
}

/// Send all `len` bytes of `data` (`AT+MIPSEND` in chunks). `data` may be NULL when `len` is 0.
#[no_mangle]
pub unsafe extern "C" fn l610_socket_send(
    socket: *const l610_socket,
    data: *const u8,
    len: usize,
) -> l610_status {
    // SAFETY: forwarded contract.
    unsafe {
        with_socket(socket, |s| {
            let data = bytes_arg(data, len, "data")?;
            Ok(s.send(data)?)
        })
    }
}

/// Receive up to `len` bytes into `buf`, waiting at most `timeout_ms` milliseconds (negative:
/// until data arrives or the connection ends; 0: only what is already buffered). `*received`
/// gets the number of bytes, 0 meaning end of stream (the peer closed and everything was read).
/// No data in time is `L610_TIMEOUT`; `L610_OVERFLOW` reports bytes dropped because the
/// receive buffer was full (the next call returns the data after the gap).
#[no_mangle]
pub unsafe extern "C" fn l610_socket_recv(
    socket: *const l610_socket,
    buf: *mut u8,
    len: usize,
    timeout_ms: i32,
    received: *mut usize,
) -> l610_status {
    // SAFETY: forwarded contract.
    unsafe {
        with_socket(socket, |s| {
            let received = out(received, "received")?;
            let buf = buf_arg(buf, len, "buf")?;
            let timeout = u64::try_from(timeout_ms).ok().map(Duration::from_millis);
            let n = s.recv_timeout(buf, timeout)?;
            put(received, n);
            Ok(())
        })
    }
}

/// `AT+MIPCLOSE=<id>`: close the connection (closing one the peer already closed only
/// releases it). The handle stays valid until `l610_socket_free`; further sends and receives
/// are `L610_CLOSED`. Closing twice is `L610_OK`. Callable while another thread is blocked in
/// `l610_socket_recv` on this socket: that call returns `L610_CLOSED` at once.
#[no_mangle]
pub unsafe extern "C" fn l610_socket_close(socket: *const l610_socket) -> l610_status {
    ffi_boundary!({
        // SAFETY: the caller's contract.
        let s = match unsafe { arg(socket, "socket") } {
            Ok(s) => s,
            Err(e) => return e.status(),
        };
        let r = catch_unwind(AssertUnwindSafe(|| {
            // The write lock is held only for the take: no call holds the read lock while it
            // waits. A call in progress keeps its own `Arc`; `close` wakes it.
            let taken = s.socket.write().unwrap_or_else(|e| e.into_inner()).take();
            match taken {
                Some(sock) => Ok(interruptible(&s.interrupts, || sock.close())?),
                None => Ok(()),
            }
        }));
        s.finish(r)
    })
}

/// Close the connection if still open (errors are ignored; call `l610_socket_close` to see
/// them) and release the handle. NULL is a no-op.
#[no_mangle]
pub unsafe extern "C" fn l610_socket_free(socket: *mut l610_socket) {
    ffi_boundary!(void {
        // SAFETY: the caller's contract.
        unsafe { free_box(socket) }
    });
}

/// The module's socket id (1–6).
#[no_mangle]
pub unsafe extern "C" fn l610_socket_id(
    socket: *const l610_socket,
    out_id: *mut u8,
) -> l610_status {
    // SAFETY: forwarded contract.
    unsafe {
        with_socket(socket, |s| {
            let p = out(out_id, "out_id")?;
            put(p, s.id());
            Ok(())
        })
    }
}

/// Where the socket stands (`L610_SOCKET_CLOSED` after `l610_socket_close`).
#[no_mangle]
pub unsafe extern "C" fn l610_socket_get_state(
    socket: *const l610_socket,
    out_state: *mut l610_socket_state,
) -> l610_status {
    // SAFETY: the caller's contract for `socket`.
    let r = unsafe { arg(socket, "socket") };
    if let Ok(s) = r {
        if s.socket.read().map(|g| g.is_none()).unwrap_or(false) && !out_state.is_null() {
            // SAFETY: checked non-NULL.
            unsafe { put(out_state, l610_socket_state::L610_SOCKET_CLOSED) };
            return L610_OK;
        }
    }
    // SAFETY: forwarded contract.
    unsafe {
        with_socket(socket, |s| {
            use l610_socket_state::*;
            let p = out(out_state, "out_state")?;
            let state = match s.state() {
                SocketState::Free => L610_SOCKET_FREE,
                SocketState::Opening => L610_SOCKET_OPENING,
                SocketState::Open => L610_SOCKET_OPEN,
                SocketState::Failed(_) => L610_SOCKET_FAILED,
                SocketState::Closed(_) => L610_SOCKET_CLOSED,
            };
            put(p, state);
            Ok(())
        })
    }
}

/// Bytes received and not yet read.
#[no_mangle]
pub unsafe extern "C" fn l610_socket_buffered(
    socket: *const l610_socket,
    out_len: *mut usize,
) -> l610_status {
    // SAFETY: forwarded contract.
    unsafe {
        with_socket(socket, |s| {
            let p = out(out_len, "out_len")?;
            put(p, s.buffered());
            Ok(())
        })
    }
}

/// Copy the message of the last failed call on this socket into `buf` (empty if none).
/// Buffer contract as `l610_status_text`.
#[no_mangle]
pub unsafe extern "C" fn l610_socket_last_error(
    socket: *const l610_socket,
    buf: *mut c_char,
    len: usize,
    written: *mut usize,
) -> l610_status {
    ffi_boundary!({
        // SAFETY: the caller's contract.
        let r = unsafe { arg(socket, "socket") }.and_then(|s| {
            let text = lock(&s.last).clone();
            // SAFETY: the caller's contract.
            unsafe { copy_text(&text, buf, len, written) }
        });
        match r {
            Ok(()) => L610_OK,
            Err(e) => e.status(),
        }
    })
}
