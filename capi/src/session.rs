//! `l610_session`: the thread-free API. The sans-IO session of `l610-proto` in C: the caller
//! moves the bytes (`l610_session_handle_input`, `l610_session_poll_transmit`) and the time
//! (milliseconds of the caller's clock), the session makes every protocol decision. No thread,
//! no lock, no clock and no I/O of its own: for firmware main loops, RTOS tasks and event loops.
//! Shared with the `no_std` library (`capi-proto/`): `core`, `alloc` and `l610-proto` only.

use alloc::borrow::ToOwned;
use alloc::boxed::Box;
use alloc::ffi::CString;
use alloc::format;
use alloc::string::{String, ToString};
use core::ffi::c_char;
use core::time::Duration;

use l610_proto::{
    CloseReason, Event, Instant, Outcome, ReadError, Session, SessionConfig, SocketHandle,
    SocketState, Waiting,
};

use crate::command::{l610_command, l610_response};
use crate::ffi::*;
use crate::last_error::handleless;
use crate::status::l610_status::{self, *};
use crate::values::{l610_direction, l610_socket_state};

/// One AT session with one module, driven by the caller.
///
/// Thread safety: none needed, none given: use a session from one thread at a time (or under
/// the caller's own lock). It never blocks and never calls back.
///
/// Ownership: `l610_session_new`, `l610_session_free`.
pub struct l610_session {
    session: Session,
    /// The text of the event last returned by `l610_session_poll_event`.
    event_text: CString,
    last: String,
    cme: Option<u16>,
}

/// Timeouts and bounds of a session. Initialise with `l610_session_config_init`, then change
/// what you need. Times are milliseconds; every size is a bound on what the module may make the
/// session keep (exceeding it is a counted, typed condition, never an allocation).
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct l610_session_config {
    /// Final result of an ordinary command: 5000.
    pub command_timeout_ms: u32,
    /// The `>` prompt of an upload or a send: 5000 (then ESC leaves data mode).
    pub prompt_timeout_ms: u32,
    /// After a timeout the line must be quiet this long before the next command: 150.
    pub quiet_period_ms: u32,
    /// ... but the drain never takes longer than this: 2000.
    pub drain_limit_ms: u32,
    /// A raw `+MIPRTCP` payload that gets no byte for this long is a framing error: 2000.
    pub payload_stall_ms: u32,
    /// Longest line: 65536.
    pub max_line: usize,
    /// Longest raw payload: 65536.
    pub max_payload: usize,
    /// Most response lines one command keeps: 256.
    pub max_response_lines: usize,
    /// Most response bytes one command keeps: 65536.
    pub max_response_bytes: usize,
    /// URCs kept: 256.
    pub urc_capacity: usize,
    /// Events kept: 4096.
    pub event_capacity: usize,
    /// Received bytes kept per socket: 1048576 (a firmware may want 8192).
    pub socket_buffer: usize,
    /// Commands waiting behind the one in flight: 64.
    pub max_queued: usize,
    /// Produce `L610_EVENT_TRACE` events: false.
    pub trace: bool,
}

fn ms(d: Duration) -> u32 {
    u32::try_from(d.as_millis()).unwrap_or(u32::MAX)
}

impl From<&SessionConfig> for l610_session_config {
    fn from(c: &SessionConfig) -> Self {
        l610_session_config {
            command_timeout_ms: ms(c.command_timeout),
            prompt_timeout_ms: ms(c.prompt_timeout),
            quiet_period_ms: ms(c.quiet_period),
            drain_limit_ms: ms(c.drain_limit),
            payload_stall_ms: ms(c.payload_stall),
            max_line: c.max_line,
            max_payload: c.max_payload,
            max_response_lines: c.max_response_lines,
            max_response_bytes: c.max_response_bytes,
            urc_capacity: c.urc_capacity,
            event_capacity: c.event_capacity,
            socket_buffer: c.socket_buffer,
            max_queued: c.max_queued,
            trace: c.trace,
        }
    }
}

impl l610_session_config {
    fn to_config(self) -> FfiResult<SessionConfig> {
        let d = |v: u32| Duration::from_millis(v.into());
        if self.command_timeout_ms == 0 || self.prompt_timeout_ms == 0 {
            return Err(invalid("command and prompt timeouts must not be 0"));
        }
        if self.max_line < 16 || self.max_queued == 0 || self.event_capacity == 0 {
            return Err(invalid(
                "max_line must be at least 16, max_queued and event_capacity at least 1",
            ));
        }
        Ok(SessionConfig {
            command_timeout: d(self.command_timeout_ms),
            prompt_timeout: d(self.prompt_timeout_ms),
            quiet_period: d(self.quiet_period_ms),
            drain_limit: d(self.drain_limit_ms),
            payload_stall: d(self.payload_stall_ms),
            max_line: self.max_line,
            max_payload: self.max_payload,
            max_response_lines: self.max_response_lines,
            max_response_bytes: self.max_response_bytes,
            urc_capacity: self.urc_capacity,
            event_capacity: self.event_capacity,
            socket_buffer: self.socket_buffer,
            max_queued: self.max_queued,
            trace: self.trace,
        })
    }
}

/// A socket slot of a session: the module's id and which use of it this is. A plain value;
/// a stale one (its socket released) can neither read nor close the id's next connection.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct l610_session_socket {
    /// The module's socket id, 1–6.
    pub id: u8,
    /// Which use of the id this is.
    pub generation: u32,
}

impl From<SocketHandle> for l610_session_socket {
    fn from(h: SocketHandle) -> Self {
        l610_session_socket {
            id: h.id,
            generation: h.generation,
        }
    }
}

impl From<l610_session_socket> for SocketHandle {
    fn from(h: l610_session_socket) -> Self {
        SocketHandle {
            id: h.id,
            generation: h.generation,
        }
    }
}

/// What `l610_session_poll_event` reports.
#[repr(u32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum l610_event_kind {
    /// A command ended: `command` names it; take its outcome with `l610_session_take_outcome`.
    L610_EVENT_COMMAND_DONE = 1,
    /// `socket` changed state or received data (`l610_session_socket_state`,
    /// `l610_session_socket_read`).
    L610_EVENT_SOCKET = 2,
    /// `+MIPCALL: <ip>` or `+MIPCALL: 0`: the PDP context changed; `text` is the parameters.
    L610_EVENT_PDP = 3,
    /// A URC nothing consumed was queued (`l610_session_pop_urc`).
    L610_EVENT_URC = 4,
    /// The module restarted: echo is on again, its SSL settings, files and connections are gone.
    L610_EVENT_RESET = 5,
    /// The module's bytes broke framing and the session resynced; `text` says how.
    L610_EVENT_FRAMING = 6,
    /// A trace event (only with `trace` in the config): `direction` and `text` (escaped to
    /// printable ASCII, keys redacted).
    L610_EVENT_TRACE = 7,
}

/// One event. `text` is NUL-terminated and owned by the session: valid until the next call on
/// the session; never NULL (empty when the event has none).
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct l610_event {
    /// What happened.
    pub kind: l610_event_kind,
    /// `L610_EVENT_COMMAND_DONE`: the command's id.
    pub command: u64,
    /// `L610_EVENT_SOCKET`: the socket.
    pub socket: l610_session_socket,
    /// `L610_EVENT_TRACE`: which way.
    pub direction: l610_direction,
    /// `L610_EVENT_TRACE`: milliseconds of the caller's clock when it happened.
    pub at_ms: u64,
    /// `L610_EVENT_PDP`, `L610_EVENT_FRAMING`, `L610_EVENT_TRACE`: the text.
    pub text: *const c_char,
}

fn at(now_ms: u64) -> Instant {
    Instant::from_millis(now_ms)
}

/// Run `f` on a session inside the panic boundary; a failure becomes its last error.
///
/// # Safety
/// `session` is NULL or a live session no other thread uses during the call.
unsafe fn with_session(
    session: *mut l610_session,
    f: impl FnOnce(&mut l610_session) -> FfiResult,
) -> l610_status {
    ffi_boundary!({
        // SAFETY: the caller's contract.
        let s = match unsafe { arg_mut(session, "session") } {
            Ok(s) => s,
            Err(e) => return e.status(),
        };
        match f(s) {
            Ok(()) => L610_OK,
            Err(Fail::TooSmall) => L610_BUFFER_TOO_SMALL,
            Err(Fail::NotAvailable(_)) => L610_NOT_AVAILABLE,
            Err(fail) => {
                s.last = fail.describe();
                s.cme = match &fail {
                    Fail::Status(f) => f.cme,
                    _ => None,
                };
                fail.status()
            }
        }
    })
}

/// Fill `*config` with the defaults. Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn l610_session_config_init(config: *mut l610_session_config) -> l610_status {
    ffi_boundary!({
        match out(config, "config") {
            Ok(p) => {
                // SAFETY: checked non-NULL.
                unsafe { put(p, (&SessionConfig::default()).into()) };
                L610_OK
            }
            Err(f) => f.status(),
        }
    })
}

/// A new session (`config` NULL for the defaults; it is copied). Its clock starts wherever the
/// caller's does: every `now_ms` is milliseconds of one monotonic clock of the caller's choosing
/// (a tick counter, `CLOCK_MONOTONIC`), never going back. The module is assumed freshly booted
/// (echo on); sending `AT` first (`l610_command_new("", ...)`) syncs a line with garbage on it.
#[no_mangle]
pub unsafe extern "C" fn l610_session_new(
    config: *const l610_session_config,
    out_session: *mut *mut l610_session,
) -> l610_status {
    ffi_boundary!({
        handleless((|| {
            let p = out(out_session, "out_session")?;
            // SAFETY: the caller's contract.
            let cfg = match unsafe { config.as_ref() } {
                Some(c) => c.to_config()?,
                None => SessionConfig::default(),
            };
            let s = Box::new(l610_session {
                session: Session::new(cfg),
                event_text: CString::default(),
                last: String::new(),
                cme: None,
            });
            // SAFETY: checked non-NULL.
            unsafe { put(p, Box::into_raw(s)) };
            Ok(())
        })())
    })
}

/// Release a session. NULL is a no-op.
#[no_mangle]
pub unsafe extern "C" fn l610_session_free(session: *mut l610_session) {
    // SAFETY: the caller's contract.
    ffi_boundary!(void { unsafe { free_box(session) } });
}

/// Queue `command` (always taken over, also on failure: do not use or free it afterwards) and
/// write its id to `*out_id`. Its line goes out through `l610_session_poll_transmit` when every
/// command before it has ended and the line is quiet. `L610_INVALID_ARGUMENT` for a line with a
/// control character, `L610_LIMIT_REACHED` when `max_queued` commands wait, `L610_CLOSED` after
/// `l610_session_close`.
#[no_mangle]
pub unsafe extern "C" fn l610_session_submit(
    session: *mut l610_session,
    command: *mut l610_command,
    now_ms: u64,
    out_id: *mut u64,
) -> l610_status {
    // Take the command over first, whatever happens next.
    let cmd = if command.is_null() {
        None
    } else {
        // SAFETY: the caller's contract: a live command, not used again.
        Some(unsafe { Box::from_raw(command) }.cmd)
    };
    // SAFETY: forwarded contract.
    unsafe {
        with_session(session, |s| {
            let p = out(out_id, "out_id")?;
            let cmd = cmd.ok_or(Fail::Null("command"))?;
            use l610_proto::SubmitError as E;
            let id = s.session.submit(cmd, at(now_ms)).map_err(|e| {
                let text = e.to_string();
                match e {
                    E::ControlCharacter => invalid(text),
                    E::QueueFull => {
                        fail(L610_LIMIT_REACHED, format!("module limit reached: {text}"))
                    }
                    E::Closed => fail(L610_CLOSED, format!("closed: {text}")),
                }
            })?;
            put(p, id.0);
            Ok(())
        })
    }
}

/// Give up on a command: a queued one is dropped unsent, the one in flight is abandoned (ESC if
/// it still waits for its prompt) and the line drained. Its outcome becomes `L610_CANCELLED`
/// unless it already ended. An unknown id is ignored.
#[no_mangle]
pub unsafe extern "C" fn l610_session_cancel(
    session: *mut l610_session,
    id: u64,
    now_ms: u64,
) -> l610_status {
    // SAFETY: forwarded contract.
    unsafe {
        with_session(session, |s| {
            s.session.cancel(l610_proto::CommandId(id), at(now_ms));
            Ok(())
        })
    }
}

/// How a command ended, once: `L610_OK` with its response lines in `*out_response` (the caller
/// owns it; `out_response` may be NULL to drop them), or the failure as a status —
/// `L610_AT_ERROR` (`ERROR`), `L610_CME_ERROR` (`l610_session_last_cme_code`),
/// `L610_MODULE_RESET`, `L610_TIMEOUT`, `L610_UNEXPECTED_RESPONSE` (more lines than the session
/// keeps), `L610_CANCELLED`, `L610_CLOSED` — with words in `l610_session_last_error`.
/// `L610_NOT_AVAILABLE` while the command is pending, and for an id whose outcome was taken.
#[no_mangle]
pub unsafe extern "C" fn l610_session_take_outcome(
    session: *mut l610_session,
    id: u64,
    out_response: *mut *mut l610_response,
) -> l610_status {
    // SAFETY: forwarded contract.
    unsafe {
        with_session(session, |s| {
            let outcome =
                s.session
                    .take_outcome(l610_proto::CommandId(id))
                    .ok_or(Fail::NotAvailable(
                        "the command is pending or its outcome was taken",
                    ))?;
            let command = format!("command {id}");
            Err(match outcome {
                Outcome::Ok(response) => {
                    if !out_response.is_null() {
                        put(
                            out_response,
                            Box::into_raw(Box::new(l610_response { response })),
                        );
                    }
                    return Ok(());
                }
                Outcome::Error => fail(L610_AT_ERROR, format!("module answered ERROR to {command}")),
                Outcome::Cme { code, text } => {
                    let what = text.unwrap_or_else(|| code.map(|c| c.to_string()).unwrap_or_default());
                    let mut f = fail(L610_CME_ERROR, format!("module answered +CME ERROR: {what} to {command}"));
                    if let Fail::Status(s) = &mut f {
                        s.cme = code;
                    }
                    f
                }
                Outcome::Reset => fail(
                    L610_MODULE_RESET,
                    format!("the module restarted during {command}; its SSL settings and files are lost"),
                ),
                Outcome::Timeout(w) => fail(
                    L610_TIMEOUT,
                    format!(
                        "timeout waiting for {} of {command}",
                        match w {
                            Waiting::Prompt => "the > prompt",
                            Waiting::FinalResult => "the final result",
                        }
                    ),
                ),
                Outcome::TooLarge { lines, bytes } => fail(
                    L610_UNEXPECTED_RESPONSE,
                    format!("unexpected response to {command}: {lines} lines, {bytes} bytes: more than the session keeps"),
                ),
                Outcome::Cancelled => fail(L610_CANCELLED, "cancelled"),
                Outcome::Closed => fail(
                    L610_CLOSED,
                    format!(
                        "closed: {}",
                        s.session.closed().unwrap_or("the session is closed")
                    ),
                ),
            })
        })
    }
}

/// The bytes the module must be sent next, if any: `*out_bytes` and `*out_len` (0 and NULL
/// when there is nothing). The bytes stay valid until the next call on the session. Write what
/// you can, then report it with `l610_session_transmitted`.
#[no_mangle]
pub unsafe extern "C" fn l610_session_poll_transmit(
    session: *mut l610_session,
    out_bytes: *mut *const u8,
    out_len: *mut usize,
) -> l610_status {
    // SAFETY: forwarded contract.
    unsafe {
        with_session(session, |s| {
            let pb = out(out_bytes, "out_bytes")?;
            let pl = out(out_len, "out_len")?;
            match s.session.poll_transmit() {
                Some(b) => {
                    put(pb, b.as_ptr());
                    put(pl, b.len());
                }
                None => {
                    put(pb, core::ptr::null());
                    put(pl, 0);
                }
            }
            Ok(())
        })
    }
}

/// `n` bytes of `l610_session_poll_transmit` were written to the port.
#[no_mangle]
pub unsafe extern "C" fn l610_session_transmitted(
    session: *mut l610_session,
    n: usize,
) -> l610_status {
    // SAFETY: forwarded contract.
    unsafe {
        with_session(session, |s| {
            s.session.transmitted(n);
            Ok(())
        })
    }
}

/// Bytes read from the port, in any split (`len` 0 just lets time pass).
#[no_mangle]
pub unsafe extern "C" fn l610_session_handle_input(
    session: *mut l610_session,
    bytes: *const u8,
    len: usize,
    now_ms: u64,
) -> l610_status {
    // SAFETY: forwarded contract.
    unsafe {
        with_session(session, |s| {
            let b = bytes_arg(bytes, len, "bytes")?;
            s.session.handle_input(b, at(now_ms));
            Ok(())
        })
    }
}

/// When `l610_session_handle_timeout` must be called next, in milliseconds of the caller's
/// clock (it may be in the past: call it now). `L610_NOT_AVAILABLE` when nothing waits on
/// time.
#[no_mangle]
pub unsafe extern "C" fn l610_session_poll_timeout(
    session: *mut l610_session,
    out_ms: *mut u64,
) -> l610_status {
    // SAFETY: forwarded contract.
    unsafe {
        with_session(session, |s| {
            let p = out(out_ms, "out_ms")?;
            let t = s
                .session
                .poll_timeout()
                .ok_or(Fail::NotAvailable("nothing waits on time"))?;
            // Round up: waking a millisecond late is harmless, early would spin.
            let ns = t.since_epoch().as_nanos();
            put(p, u64::try_from(ns.div_ceil(1_000_000)).unwrap_or(u64::MAX));
            Ok(())
        })
    }
}

/// The caller's clock reads `now_ms`: fire whatever is due (timeouts, the end of a drain, a
/// stalled payload).
#[no_mangle]
pub unsafe extern "C" fn l610_session_handle_timeout(
    session: *mut l610_session,
    now_ms: u64,
) -> l610_status {
    // SAFETY: forwarded contract.
    unsafe {
        with_session(session, |s| {
            s.session.handle_timeout(at(now_ms));
            Ok(())
        })
    }
}

/// The next event into `*out_event`, oldest first; `L610_NOT_AVAILABLE` when there is none.
#[no_mangle]
pub unsafe extern "C" fn l610_session_poll_event(
    session: *mut l610_session,
    out_event: *mut l610_event,
) -> l610_status {
    // SAFETY: forwarded contract.
    unsafe {
        with_session(session, |s| {
            let p = out(out_event, "out_event")?;
            let e = s
                .session
                .poll_event()
                .ok_or(Fail::NotAvailable("no event"))?;
            let none = l610_session_socket {
                id: 0,
                generation: 0,
            };
            let mut ev = l610_event {
                kind: l610_event_kind::L610_EVENT_URC,
                command: 0,
                socket: none,
                direction: l610_direction::L610_RX,
                at_ms: 0,
                text: core::ptr::null(),
            };
            let mut text = String::new();
            match e {
                Event::CommandDone(id) => {
                    ev.kind = l610_event_kind::L610_EVENT_COMMAND_DONE;
                    ev.command = id.0;
                }
                Event::Socket(h) => {
                    ev.kind = l610_event_kind::L610_EVENT_SOCKET;
                    ev.socket = h.into();
                }
                Event::Pdp(params) => {
                    ev.kind = l610_event_kind::L610_EVENT_PDP;
                    text = params;
                }
                Event::Urc => ev.kind = l610_event_kind::L610_EVENT_URC,
                Event::Reset => ev.kind = l610_event_kind::L610_EVENT_RESET,
                Event::Framing(f) => {
                    ev.kind = l610_event_kind::L610_EVENT_FRAMING;
                    text = format!("{f:?}");
                }
                Event::Trace(t) => {
                    ev.kind = l610_event_kind::L610_EVENT_TRACE;
                    ev.direction = match t.direction {
                        l610_proto::Direction::Tx => l610_direction::L610_TX,
                        l610_proto::Direction::Rx => l610_direction::L610_RX,
                    };
                    ev.at_ms = t.at.as_millis();
                    text = t.text;
                }
                // Kinds a newer l610-proto may add: reported as a URC notification.
                _ => {}
            }
            s.event_text = CString::new(text.replace('\0', "\\x00")).unwrap_or_default();
            ev.text = s.event_text.as_ptr();
            put(p, ev);
            Ok(())
        })
    }
}

/// The next queued URC that no part of the session consumed (`+SIM READY`, a registration
/// change, ...), described for a log, into `buf` (contract of `l610_status_text`; on
/// `L610_BUFFER_TOO_SMALL` the URC is consumed all the same). `L610_NOT_AVAILABLE` when none.
#[no_mangle]
pub unsafe extern "C" fn l610_session_pop_urc(
    session: *mut l610_session,
    buf: *mut c_char,
    len: usize,
    written: *mut usize,
) -> l610_status {
    // SAFETY: forwarded contract.
    unsafe {
        with_session(session, |s| {
            out(written, "written")?;
            buf_arg(buf.cast::<u8>(), len, "buf")?;
            let u = s.session.pop_urc().ok_or(Fail::NotAvailable("no URC"))?;
            copy_text(&format!("{u:?}"), buf, len, written)
        })
    }
}

/// The PDP context as the URCs left it: `*out_events` counts the `+MIPCALL` URCs seen (a change
/// of it means a new state), `buf` gets the last one's parameters (the IP, or `"0"`; empty
/// before the first or after a module restart). Buffer contract as `l610_status_text`.
#[no_mangle]
pub unsafe extern "C" fn l610_session_pdp(
    session: *mut l610_session,
    out_events: *mut u64,
    buf: *mut c_char,
    len: usize,
    written: *mut usize,
) -> l610_status {
    // SAFETY: forwarded contract.
    unsafe {
        with_session(session, |s| {
            let p = out(out_events, "out_events")?;
            let (n, last) = s.session.pdp();
            let last = last.unwrap_or("").to_owned();
            put(p, n);
            copy_text(&last, buf, len, written)
        })
    }
}

/// The transport is gone (or the program is done): every pending command ends with
/// `L610_CLOSED`, every socket closes, later submits are refused. `why` (may be NULL) is kept
/// for the error texts.
#[no_mangle]
pub unsafe extern "C" fn l610_session_close(
    session: *mut l610_session,
    why: *const c_char,
) -> l610_status {
    // SAFETY: forwarded contract.
    unsafe {
        with_session(session, |s| {
            let why = opt_str_arg(why, "why")?.unwrap_or("closed by the application");
            s.session.close(why);
            Ok(())
        })
    }
}

/// Reserve a socket slot for a new connection: the first of `free_ids[0..count]` (what
/// `AT+MIPOPEN?` listed, `l610_parse_socket_ids`) that no slot of this session holds. The slot
/// starts as `L610_SOCKET_OPENING`; submit `l610_cmd_open_socket` with its id next.
/// `L610_LIMIT_REACHED` when none is free.
#[no_mangle]
pub unsafe extern "C" fn l610_session_reserve_socket(
    session: *mut l610_session,
    free_ids: *const u8,
    count: usize,
    out_socket: *mut l610_session_socket,
) -> l610_status {
    // SAFETY: forwarded contract.
    unsafe {
        with_session(session, |s| {
            let p = out(out_socket, "out_socket")?;
            let ids = bytes_arg(free_ids, count, "free_ids")?;
            let h = s.session.reserve_socket(ids).ok_or_else(|| {
                fail(
                    L610_LIMIT_REACHED,
                    format!("module limit reached: no free socket id among {ids:?}"),
                )
            })?;
            put(p, h.into());
            Ok(())
        })
    }
}

/// Where a socket stands: `L610_SOCKET_OPENING` until the module's `+MIPOPEN` result, then
/// `L610_SOCKET_OPEN` or `L610_SOCKET_FAILED`; `L610_SOCKET_CLOSED` once closed by anyone (the
/// data received before can still be read); `L610_SOCKET_FREE` once released (a stale slot).
#[no_mangle]
pub unsafe extern "C" fn l610_session_socket_state(
    session: *mut l610_session,
    socket: l610_session_socket,
    out_state: *mut l610_socket_state,
) -> l610_status {
    // SAFETY: forwarded contract.
    unsafe {
        with_session(session, |s| {
            let p = out(out_state, "out_state")?;
            use l610_socket_state::*;
            put(
                p,
                match s.session.socket_state(socket.into()) {
                    SocketState::Opening => L610_SOCKET_OPENING,
                    SocketState::Open => L610_SOCKET_OPEN,
                    SocketState::Closed(CloseReason::OpenFailed) => L610_SOCKET_FAILED,
                    SocketState::Closed(_) => L610_SOCKET_CLOSED,
                    SocketState::Released => L610_SOCKET_FREE,
                },
            );
            Ok(())
        })
    }
}

/// Copy received bytes of `socket` into `buf` (at most `len`), their number to `*out_read`.
/// `L610_OK` with 0 bytes (and `len` > 0) is the end of the stream: only a close by the other
/// side is one. `L610_WOULD_BLOCK` when nothing is buffered and the socket is open;
/// `L610_OVERFLOW` once where bytes were lost (reading goes on after the gap); `L610_CLOSED` or
/// `L610_MODULE_RESET` when the connection ended otherwise, after the data received before it
/// has been read.
#[no_mangle]
pub unsafe extern "C" fn l610_session_socket_read(
    session: *mut l610_session,
    socket: l610_session_socket,
    buf: *mut u8,
    len: usize,
    out_read: *mut usize,
) -> l610_status {
    // SAFETY: forwarded contract.
    unsafe {
        with_session(session, |s| {
            let p = out(out_read, "out_read")?;
            let b = buf_arg(buf, len, "buf")?;
            if b.is_empty() {
                put(p, 0);
                return Ok(());
            }
            let id = socket.id;
            Err(match s.session.read_socket(socket.into(), b) {
                Ok(n) => {
                    put(p, n);
                    return Ok(());
                }
                Err(ReadError::WouldBlock) => return Err(Fail::WouldBlock),
                Err(ReadError::Lost { bytes }) => fail(
                    L610_OVERFLOW,
                    format!(
                        "{bytes} bytes dropped because the receive buffer of socket {id} was full"
                    ),
                ),
                Err(ReadError::Closed(CloseReason::ModuleRestarted)) => fail(
                    L610_MODULE_RESET,
                    format!("the module restarted during a read of socket {id}"),
                ),
                Err(ReadError::Closed(r)) => fail(
                    L610_CLOSED,
                    format!("closed: socket {id}: {}", r.describe()),
                ),
                Err(_) => fail(L610_CLOSED, format!("closed: socket {id} was released")),
            })
        })
    }
}

/// Bytes received for `socket` and not yet read.
#[no_mangle]
pub unsafe extern "C" fn l610_session_socket_buffered(
    session: *mut l610_session,
    socket: l610_session_socket,
    out_len: *mut usize,
) -> l610_status {
    // SAFETY: forwarded contract.
    unsafe {
        with_session(session, |s| {
            let p = out(out_len, "out_len")?;
            put(p, s.session.socket_buffered(socket.into()));
            Ok(())
        })
    }
}

/// The host is about to close `socket`: `*out_still_open` says whether the module still has
/// the connection (then submit `l610_cmd_close_socket`; the `+MIPCLOSE` that follows is this
/// host's).
#[no_mangle]
pub unsafe extern "C" fn l610_session_begin_close(
    session: *mut l610_session,
    socket: l610_session_socket,
    out_still_open: *mut bool,
) -> l610_status {
    // SAFETY: forwarded contract.
    unsafe {
        with_session(session, |s| {
            let p = out(out_still_open, "out_still_open")?;
            put(p, s.session.begin_close(socket.into()));
            Ok(())
        })
    }
}

/// The connection of `socket` is gone although no URC said so (e.g. its open timed out and
/// `AT+MIPCLOSE` was sent).
#[no_mangle]
pub unsafe extern "C" fn l610_session_mark_socket_closed(
    session: *mut l610_session,
    socket: l610_session_socket,
) -> l610_status {
    // SAFETY: forwarded contract.
    unsafe {
        with_session(session, |s| {
            s.session.mark_socket_closed(socket.into());
            Ok(())
        })
    }
}

/// Done with `socket`: its id may serve another connection. `L610_CLOSED` for a stale slot.
#[no_mangle]
pub unsafe extern "C" fn l610_session_release_socket(
    session: *mut l610_session,
    socket: l610_session_socket,
) -> l610_status {
    // SAFETY: forwarded contract.
    unsafe {
        with_session(session, |s| {
            if s.session.release_socket(socket.into()) {
                Ok(())
            } else {
                Err(fail(
                    L610_CLOSED,
                    format!(
                        "closed: socket {} (generation {}) was already released",
                        socket.id, socket.generation
                    ),
                ))
            }
        })
    }
}

/// Copy the message of the last failed call on this session (an outcome included) into `buf`.
/// Buffer contract as `l610_status_text`.
#[no_mangle]
pub unsafe extern "C" fn l610_session_last_error(
    session: *mut l610_session,
    buf: *mut c_char,
    len: usize,
    written: *mut usize,
) -> l610_status {
    ffi_boundary!({
        // SAFETY: the caller's contract.
        match unsafe { arg(session, "session") } {
            // SAFETY: forwarded contract.
            Ok(s) => match unsafe { copy_text(&s.last, buf, len, written) } {
                Ok(()) => L610_OK,
                Err(f) => f.status(),
            },
            Err(f) => f.status(),
        }
    })
}

/// The numeric code of the last `L610_CME_ERROR` outcome on this session;
/// `L610_NOT_AVAILABLE` when the last failure was something else.
#[no_mangle]
pub unsafe extern "C" fn l610_session_last_cme_code(
    session: *mut l610_session,
    out_code: *mut u16,
) -> l610_status {
    ffi_boundary!({
        // SAFETY: the caller's contract.
        let s = match unsafe { arg(session, "session") } {
            Ok(s) => s,
            Err(f) => return f.status(),
        };
        let p = match out(out_code, "out_code") {
            Ok(p) => p,
            Err(f) => return f.status(),
        };
        match s.cme {
            Some(c) => {
                // SAFETY: checked non-NULL.
                unsafe { put(p, c) };
                L610_OK
            }
            None => L610_NOT_AVAILABLE,
        }
    })
}
