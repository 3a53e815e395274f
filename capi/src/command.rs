//! The typed commands without a modem: `l610_cmd_*` build an `l610_command` for an
//! `l610_session` (the thread-free API), `l610_parse_*` read the `l610_response` it produced.
//! Both are `l610_proto::commands`, the same pairs the threaded driver runs, so firmware gets
//! the same checks (nothing is sent before a value is valid) and the same parsing. Shared with
//! the `no_std` library (`capi-proto/`).

use alloc::borrow::ToOwned;
use alloc::boxed::Box;
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;
use core::ffi::c_char;

use l610_proto::commands as cmds;
use l610_proto::{Command, PdpConfig, PdpStatus, Response};

use crate::ffi::*;
use crate::last_error::handleless;
use crate::status::l610_status;
use crate::values::{
    cipher, file_type as to_file_type, l610_file_counts, l610_ssl_version, l610_verify_mode,
    ssl_version, verify_mode, version_out,
};
use crate::values::{l610_pdp_state, l610_time};

/// One AT command, built and checked, not yet submitted.
///
/// Ownership: made by `l610_command_new` or an `l610_cmd_*` builder; `l610_session_submit` takes
/// it over (also when it fails); otherwise release it with `l610_command_free`. Thread safety:
/// a plain value; use it from one thread at a time. Its `Debug`/trace never shows a payload that
/// is a key.
pub struct l610_command {
    pub(crate) cmd: Command,
}

/// The information lines of a command that ended with `OK` (echo and final result removed).
///
/// Ownership: from `l610_session_take_outcome`; release with `l610_response_free`. Thread
/// safety: a plain value.
pub struct l610_response {
    pub(crate) response: Response,
}

/// A builder's body: `build` makes the command; it goes to `*out_command`; a refusal becomes
/// this thread's last error (`l610_last_error`).
pub(crate) fn build(
    out_command: *mut *mut l610_command,
    build: impl FnOnce() -> FfiResult<Command>,
) -> l610_status {
    ffi_boundary!({
        handleless((|| {
            let p = out(out_command, "out_command")?;
            let cmd = build()?;
            // SAFETY: checked non-NULL.
            unsafe { put(p, Box::into_raw(Box::new(l610_command { cmd }))) };
            Ok(())
        })())
    })
}

/// A parser's body. A module answer outside what the manual allows is
/// `L610_UNEXPECTED_RESPONSE` (never the caller's mistake), with the reason in `l610_last_error`.
///
/// # Safety
/// `response` is NULL or a live response.
pub(crate) unsafe fn parse(
    response: *const l610_response,
    f: impl FnOnce(&Response) -> FfiResult,
) -> l610_status {
    ffi_boundary!({
        handleless((|| {
            // SAFETY: the caller's contract.
            let r = unsafe { arg(response, "response") }?;
            f(&r.response)
        })())
    })
}

/// [`parse`] for a parser with one out-parameter: the pointer is checked first, then what `f`
/// returns is written to it.
///
/// # Safety
/// As [`parse`]; `out_p` is NULL or aligned and writable.
pub(crate) unsafe fn parse_into<T>(
    response: *const l610_response,
    out_p: *mut T,
    name: &'static str,
    f: impl FnOnce(&Response) -> FfiResult<T>,
) -> l610_status {
    // SAFETY: forwarded contract.
    unsafe {
        parse(response, |r| {
            let p = out(out_p, name)?;
            put(p, f(r)?);
            Ok(())
        })
    }
}

pub(crate) fn unexpected(e: l610_proto::ValueError) -> Fail {
    fail(
        l610_status::L610_UNEXPECTED_RESPONSE,
        format!("unexpected response: {}", e.0),
    )
}

/// Release a command that was not submitted. NULL is a no-op.
#[no_mangle]
pub unsafe extern "C" fn l610_command_free(command: *mut l610_command) {
    // SAFETY: the caller's contract.
    ffi_boundary!(void { unsafe { free_box(command) } });
}

/// Release a response. NULL is a no-op.
#[no_mangle]
pub unsafe extern "C" fn l610_response_free(response: *mut l610_response) {
    // SAFETY: the caller's contract.
    ffi_boundary!(void { unsafe { free_box(response) } });
}

/// Any AT command: `line` with or without its leading `AT` (`"+CSQ"`, `"AT+CSQ"`, `""` for a
/// bare `AT`). `expects` names the `+NAME` prefixes whose lines are the response, separated by
/// `,` (NULL for none); lines without `+` always belong to it. `timeout_ms` 0 uses the session's
/// command timeout. A line with a control character is refused (one command per command).
#[no_mangle]
pub unsafe extern "C" fn l610_command_new(
    line: *const c_char,
    expects: *const c_char,
    timeout_ms: u32,
    out_command: *mut *mut l610_command,
) -> l610_status {
    build(out_command, || {
        // SAFETY: the caller's contract.
        let line = unsafe { str_arg(line, "line") }?;
        // SAFETY: the caller's contract.
        let expects = unsafe { opt_str_arg(expects, "expects") }?;
        if line.chars().any(char::is_control) {
            return Err(invalid(
                "line contains a control character; one command per command",
            ));
        }
        let mut cmd = Command::from_line(line).bare_lines();
        for prefix in expects.into_iter().flat_map(|e| e.split(',')) {
            let prefix = prefix.trim();
            if !prefix.is_empty() {
                cmd = cmd.expects(prefix);
            }
        }
        if let Some(t) = ms_or_default(timeout_ms) {
            cmd = cmd.timeout(t);
        }
        Ok(cmd)
    })
}

/// Wait `timeout_ms` (not 0) for this command's final result instead of the session's command
/// timeout (e.g. 20000 for a file upload, 75000 for nothing: the `+MIPOPEN` URC is waited for
/// apart).
#[no_mangle]
pub unsafe extern "C" fn l610_command_set_timeout(
    command: *mut l610_command,
    timeout_ms: u32,
) -> l610_status {
    ffi_boundary!({
        handleless((|| {
            // SAFETY: the caller's contract.
            let c = unsafe { arg_mut(command, "command") }?;
            let t = ms_or_default(timeout_ms).ok_or_else(|| invalid("timeout_ms must not be 0"))?;
            c.cmd = c.cmd.clone().timeout(t);
            Ok(())
        })())
    })
}

/// Copy the command line (e.g. `"AT+GTSSLMODE=1"`, without CR) into `buf`; buffer contract as
/// `l610_status_text`. The payload is never shown.
#[no_mangle]
pub unsafe extern "C" fn l610_command_line(
    command: *const l610_command,
    buf: *mut c_char,
    len: usize,
    written: *mut usize,
) -> l610_status {
    ffi_boundary!({
        handleless((|| {
            // SAFETY: the caller's contract.
            let c = unsafe { arg(command, "command") }?;
            // SAFETY: forwarded contract.
            unsafe { copy_text(c.cmd.line(), buf, len, written) }
        })())
    })
}

/// The number of lines in a response.
#[no_mangle]
pub unsafe extern "C" fn l610_response_line_count(
    response: *const l610_response,
    out_count: *mut usize,
) -> l610_status {
    // SAFETY: forwarded contract.
    unsafe { parse_into(response, out_count, "out_count", |r| Ok(r.len())) }
}

/// Copy line `index` (from 0) of a response into `buf`; buffer contract as `l610_status_text`.
/// `L610_INVALID_ARGUMENT` past the last line.
#[no_mangle]
pub unsafe extern "C" fn l610_response_line(
    response: *const l610_response,
    index: usize,
    buf: *mut c_char,
    len: usize,
    written: *mut usize,
) -> l610_status {
    // SAFETY: forwarded contract.
    unsafe {
        parse(response, |r| {
            let line = r
                .lines()
                .nth(index)
                .ok_or_else(|| invalid(format!("the response has {} lines", r.len())))?;
            copy_text(line, buf, len, written)
        })
    }
}

// ---- files, verification, version, ciphers ----------------------------------------------

/// `AT+GTSSLFILE="<type>",<len>`, `>`, then the file: `file_type` is an `l610_file_type`,
/// `content` a PEM (or DER) of `len` bytes, checked and prepared as `l610_modem_load_file`
/// does (the command is secret for a KEYFILE: never traced). It waits 20000 ms for its answer
/// (uploads take seconds; `l610_command_set_timeout` changes it). The module holds at most one CERTFILE,
/// one KEYFILE and 40 TRUSTFILEs; check `l610_cmd_file_counts_query` first.
#[no_mangle]
pub unsafe extern "C" fn l610_cmd_load_file(
    file_type: u32,
    content: *const u8,
    len: usize,
    out_command: *mut *mut l610_command,
) -> l610_status {
    build(out_command, || {
        let t = to_file_type(file_type)?;
        // SAFETY: the caller's contract.
        let content = unsafe { bytes_arg(content, len, "content") }?;
        Ok(cmds::load_file(t, content)?.timeout(core::time::Duration::from_secs(20)))
    })
}

/// `AT+GTSSLFILE?`: read the answer with `l610_parse_file_counts`.
#[no_mangle]
pub unsafe extern "C" fn l610_cmd_file_counts_query(
    out_command: *mut *mut l610_command,
) -> l610_status {
    build(out_command, || Ok(cmds::file_counts_query()))
}

/// How many files of each type the module holds, from the answer to `l610_cmd_file_counts_query`.
#[no_mangle]
pub unsafe extern "C" fn l610_parse_file_counts(
    response: *const l610_response,
    out_counts: *mut l610_file_counts,
) -> l610_status {
    // SAFETY: forwarded contract.
    unsafe {
        parse_into(response, out_counts, "out_counts", |r| {
            Ok(cmds::parse_file_counts(r).map_err(unexpected)?.into())
        })
    }
}

/// `AT+GTSSLMODE=<mode>`: `mode` is an `l610_verify_mode`.
#[no_mangle]
pub unsafe extern "C" fn l610_cmd_set_verify_mode(
    mode: u32,
    out_command: *mut *mut l610_command,
) -> l610_status {
    build(out_command, || {
        Ok(cmds::set_verify_mode(verify_mode(mode)?))
    })
}

/// `AT+GTSSLMODE?`: read the answer with `l610_parse_verify_mode`.
#[no_mangle]
pub unsafe extern "C" fn l610_cmd_verify_mode_query(
    out_command: *mut *mut l610_command,
) -> l610_status {
    build(out_command, || Ok(cmds::verify_mode_query()))
}

/// The verification mode, from the answer to `l610_cmd_verify_mode_query`.
#[no_mangle]
pub unsafe extern "C" fn l610_parse_verify_mode(
    response: *const l610_response,
    out_mode: *mut l610_verify_mode,
) -> l610_status {
    // SAFETY: forwarded contract.
    unsafe {
        parse(response, |r| {
            let p = out(out_mode, "out_mode")?;
            let m = match cmds::parse_verify_mode(r).map_err(unexpected)? {
                l610_proto::VerifyMode::Verify => l610_verify_mode::L610_VERIFY_PEER,
                _ => l610_verify_mode::L610_VERIFY_NONE,
            };
            put(p, m);
            Ok(())
        })
    }
}

/// `AT+GTSSLVER=<version>`: `version` is an `l610_ssl_version`.
#[no_mangle]
pub unsafe extern "C" fn l610_cmd_set_ssl_version(
    version: u32,
    out_command: *mut *mut l610_command,
) -> l610_status {
    build(out_command, || {
        Ok(cmds::set_ssl_version(ssl_version(version)?))
    })
}

/// `AT+GTSSLVER?`: read the answer with `l610_parse_ssl_version`.
#[no_mangle]
pub unsafe extern "C" fn l610_cmd_ssl_version_query(
    out_command: *mut *mut l610_command,
) -> l610_status {
    build(out_command, || Ok(cmds::ssl_version_query()))
}

/// The SSL/TLS version, from the answer to `l610_cmd_ssl_version_query`.
#[no_mangle]
pub unsafe extern "C" fn l610_parse_ssl_version(
    response: *const l610_response,
    out_version: *mut l610_ssl_version,
) -> l610_status {
    // SAFETY: forwarded contract.
    unsafe {
        parse_into(response, out_version, "out_version", |r| {
            Ok(version_out(cmds::parse_ssl_version(r).map_err(unexpected)?))
        })
    }
}

/// `AT+GTSSLCIPHER=<id>,<0|1>`: enable or disable one cipher suite (IDs of `l610_cipher_name`).
#[no_mangle]
pub unsafe extern "C" fn l610_cmd_set_cipher(
    id: u8,
    enabled: bool,
    out_command: *mut *mut l610_command,
) -> l610_status {
    build(out_command, || Ok(cmds::set_cipher(cipher(id)?, enabled)))
}

/// `AT+GTSSLCIPHER?`: read the answer with `l610_parse_enabled_ciphers`.
#[no_mangle]
pub unsafe extern "C" fn l610_cmd_enabled_ciphers_query(
    out_command: *mut *mut l610_command,
) -> l610_status {
    build(out_command, || Ok(cmds::enabled_ciphers_query()))
}

/// The enabled cipher IDs, from the answer to `l610_cmd_enabled_ciphers_query`, into
/// `ids[0..cap]`; `*count` is the number (on `L610_BUFFER_TOO_SMALL` nothing is copied and
/// `*count` is the number needed; 32 always suffice).
#[no_mangle]
pub unsafe extern "C" fn l610_parse_enabled_ciphers(
    response: *const l610_response,
    ids: *mut u8,
    cap: usize,
    count: *mut usize,
) -> l610_status {
    // SAFETY: forwarded contract.
    unsafe {
        parse(response, |r| {
            let list: Vec<u8> = cmds::parse_enabled_ciphers(r)
                .map_err(unexpected)?
                .into_iter()
                .map(|c| c.id())
                .collect();
            copy_list(&list, ids, cap, count)
        })
    }
}

// ---- clock, PDP --------------------------------------------------------------------------

/// `AT+CCLK="yy/MM/dd,hh:mm:ss[±zz]"`; an impossible date is `L610_INVALID_ARGUMENT`.
#[no_mangle]
pub unsafe extern "C" fn l610_cmd_set_clock(
    time: *const l610_time,
    out_command: *mut *mut l610_command,
) -> l610_status {
    build(out_command, || {
        // SAFETY: the caller's contract.
        let t = unsafe { arg(time, "time") }?;
        Ok(cmds::set_clock(&l610_proto::ModuleTime::from(t))?)
    })
}

/// `AT+CCLK=` with the time `unix_seconds` after 1970 in UTC (firmware that knows the time from
/// NTP or a GPS sets the module clock from it: verification checks certificate dates against it).
#[no_mangle]
pub unsafe extern "C" fn l610_cmd_set_clock_unix(
    unix_seconds: i64,
    out_command: *mut *mut l610_command,
) -> l610_status {
    build(out_command, || {
        Ok(cmds::set_clock(&l610_proto::ModuleTime::from_unix(
            unix_seconds,
        ))?)
    })
}

/// `AT+CCLK?`: read the answer with `l610_parse_clock`.
#[no_mangle]
pub unsafe extern "C" fn l610_cmd_clock_query(out_command: *mut *mut l610_command) -> l610_status {
    build(out_command, || Ok(cmds::clock_query()))
}

/// The module time, from the answer to `l610_cmd_clock_query`.
#[no_mangle]
pub unsafe extern "C" fn l610_parse_clock(
    response: *const l610_response,
    out_time: *mut l610_time,
) -> l610_status {
    // SAFETY: forwarded contract.
    unsafe {
        parse_into(response, out_time, "out_time", |r| {
            Ok(cmds::parse_clock(r).map_err(unexpected)?.into())
        })
    }
}

/// `AT+MIPCALL=1[,"apn"[,"user","pwd"]]` (arguments as `l610_modem_activate_pdp`). The module
/// answers `OK`, then the IP arrives as an `L610_EVENT_PDP` event (`l610_session_pdp`); give the
/// command a long timeout if the network is slow, and wait for the event apart.
#[no_mangle]
pub unsafe extern "C" fn l610_cmd_activate_pdp(
    apn: *const c_char,
    user: *const c_char,
    password: *const c_char,
    out_command: *mut *mut l610_command,
) -> l610_status {
    build(out_command, || {
        // SAFETY: the caller's contract (three optional strings).
        let (apn, user, password) = unsafe {
            (
                opt_str_arg(apn, "apn")?,
                opt_str_arg(user, "user")?,
                opt_str_arg(password, "password")?,
            )
        };
        let credentials = match (user, password) {
            (Some(u), Some(p)) => Some((u.to_owned(), p.to_owned())),
            (None, None) => None,
            _ => {
                return Err(invalid(
                    "user and password must both be given or both be NULL",
                ))
            }
        };
        Ok(cmds::activate_pdp(&PdpConfig {
            apn: apn.map(str::to_owned),
            credentials,
        })?)
    })
}

/// `AT+MIPCALL=0`: `OK`, then `+MIPCALL: 0` (an `L610_EVENT_PDP` event).
#[no_mangle]
pub unsafe extern "C" fn l610_cmd_deactivate_pdp(
    out_command: *mut *mut l610_command,
) -> l610_status {
    build(out_command, || Ok(cmds::deactivate_pdp()))
}

/// `AT+MIPCALL?`: read the answer with `l610_parse_pdp_status`.
#[no_mangle]
pub unsafe extern "C" fn l610_cmd_pdp_status_query(
    out_command: *mut *mut l610_command,
) -> l610_status {
    build(out_command, || Ok(cmds::pdp_status_query()))
}

/// The PDP state and, when active, the IP into `ip_buf` (contract of `l610_status_text`; may be
/// NULL with `ip_len` 0 and `written` NULL to skip it), from the answer to
/// `l610_cmd_pdp_status_query`.
#[no_mangle]
pub unsafe extern "C" fn l610_parse_pdp_status(
    response: *const l610_response,
    out_state: *mut l610_pdp_state,
    ip_buf: *mut c_char,
    ip_len: usize,
    written: *mut usize,
) -> l610_status {
    // SAFETY: forwarded contract.
    unsafe {
        parse(response, |r| {
            let p = out(out_state, "out_state")?;
            let (state, ip) = match cmds::parse_pdp_status(r).map_err(unexpected)? {
                PdpStatus::Inactive => (l610_pdp_state::L610_PDP_INACTIVE, String::new()),
                PdpStatus::Active(ip) => (l610_pdp_state::L610_PDP_ACTIVE, ip),
                PdpStatus::Busy => (l610_pdp_state::L610_PDP_BUSY, String::new()),
            };
            let copied = if ip_buf.is_null() && ip_len == 0 && written.is_null() {
                Ok(())
            } else {
                copy_text(&ip, ip_buf, ip_len, written)
            };
            if matches!(copied, Ok(()) | Err(Fail::TooSmall)) {
                put(p, state);
            }
            copied
        })
    }
}

// ---- sockets -----------------------------------------------------------------------------

/// `AT+MIPOPEN?`: the free socket ids, read with `l610_parse_socket_ids`; hand them to
/// `l610_session_reserve_socket`.
#[no_mangle]
pub unsafe extern "C" fn l610_cmd_free_socket_ids_query(
    out_command: *mut *mut l610_command,
) -> l610_status {
    build(out_command, || Ok(cmds::free_socket_ids_query()))
}

/// `AT+MIPCLOSE?`: the open socket ids, read with `l610_parse_socket_ids`.
#[no_mangle]
pub unsafe extern "C" fn l610_cmd_open_socket_ids_query(
    out_command: *mut *mut l610_command,
) -> l610_status {
    build(out_command, || Ok(cmds::open_socket_ids_query()))
}

/// The ids listed by `l610_cmd_free_socket_ids_query` or `l610_cmd_open_socket_ids_query`
/// (which one is told by the response) into `ids[0..cap]`, `*count` their number (6 always
/// suffice; on `L610_BUFFER_TOO_SMALL` nothing is copied).
#[no_mangle]
pub unsafe extern "C" fn l610_parse_socket_ids(
    response: *const l610_response,
    ids: *mut u8,
    cap: usize,
    count: *mut usize,
) -> l610_status {
    // SAFETY: forwarded contract.
    unsafe {
        parse(response, |r| {
            let list = cmds::parse_socket_ids(r).map_err(unexpected)?;
            copy_list(&list, ids, cap, count)
        })
    }
}

/// `AT+MIPOPEN=<id>,[<src>],"<host>",<port>,<protocol>`: `protocol` an `l610_protocol`,
/// `source_port` 0 for any. Reserve `id` first (`l610_session_reserve_socket`); the module
/// answers `OK`, and the result comes later as the socket's state (`L610_EVENT_SOCKET`, then
/// `l610_session_socket_state`: `L610_SOCKET_OPEN` or `L610_SOCKET_FAILED`, up to ~65 s for
/// TLS; a failed TLS open is explained by `l610_cmd_ssl_error_query`).
#[no_mangle]
pub unsafe extern "C" fn l610_cmd_open_socket(
    id: u8,
    protocol: u32,
    host: *const c_char,
    port: u16,
    source_port: u16,
    out_command: *mut *mut l610_command,
) -> l610_status {
    build(out_command, || {
        // SAFETY: the caller's contract.
        let host = unsafe { str_arg(host, "host") }?;
        let proto = u8::try_from(protocol).unwrap_or(u8::MAX);
        let src = (source_port != 0).then_some(source_port);
        Ok(cmds::open_socket(id, src, host, port, proto)?)
    })
}

/// `AT+MIPSEND=<id>,<len>`, `>`, then `len` bytes of `data` (1 to `L610_MAX_SEND`, 2048; split
/// longer data). Answered by `+MIPSEND` and `OK`.
#[no_mangle]
pub unsafe extern "C" fn l610_cmd_send(
    id: u8,
    data: *const u8,
    len: usize,
    out_command: *mut *mut l610_command,
) -> l610_status {
    build(out_command, || {
        // SAFETY: the caller's contract.
        let data = unsafe { bytes_arg(data, len, "data") }?;
        Ok(cmds::send(id, data)?)
    })
}

/// Most bytes one `l610_cmd_send` carries (`l610_proto::commands::MAX_SEND`).
pub const L610_MAX_SEND: usize = 2048;

/// `AT+MIPCLOSE=<id>`. Call `l610_session_begin_close` first (so the `+MIPCLOSE` that follows
/// counts as this host's close), and `l610_session_release_socket` when done.
#[no_mangle]
pub unsafe extern "C" fn l610_cmd_close_socket(
    id: u8,
    out_command: *mut *mut l610_command,
) -> l610_status {
    build(out_command, || Ok(cmds::close_socket(id)?))
}

/// `AT+GTSSLERR?`: why the last TLS open failed; read with `l610_parse_ssl_error`.
#[no_mangle]
pub unsafe extern "C" fn l610_cmd_ssl_error_query(
    out_command: *mut *mut l610_command,
) -> l610_status {
    build(out_command, || Ok(cmds::ssl_error_query()))
}

/// The `+GTSSLERR` code (0, -1 ... -20; `l610_ssl_error_text` says what it means), from the
/// answer to `l610_cmd_ssl_error_query`.
#[no_mangle]
pub unsafe extern "C" fn l610_parse_ssl_error(
    response: *const l610_response,
    out_code: *mut i32,
) -> l610_status {
    // SAFETY: forwarded contract.
    unsafe {
        parse_into(response, out_code, "out_code", |r| {
            Ok(cmds::parse_ssl_error(r).map_err(unexpected)?.code())
        })
    }
}

// ---- line settings -----------------------------------------------------------------------

/// `AT+GTSET="IPRFMT",<n>`: `format` an `l610_receive_format`. The session switches its framing
/// when the module answers `OK`.
#[no_mangle]
pub unsafe extern "C" fn l610_cmd_set_receive_format(
    format: u32,
    out_command: *mut *mut l610_command,
) -> l610_status {
    build(out_command, || {
        let f = cmds::receive_format_from_iprfmt(i64::from(format))?;
        Ok(cmds::set_receive_format(f))
    })
}

/// `ATE0` / `ATE1`.
#[no_mangle]
pub unsafe extern "C" fn l610_cmd_set_echo(
    on: bool,
    out_command: *mut *mut l610_command,
) -> l610_status {
    build(out_command, || Ok(cmds::set_echo(on)))
}

/// `AT+CMEE=<mode>`: 0 plain `ERROR`, 1 numeric `+CME ERROR: <n>`, 2 verbose.
#[no_mangle]
pub unsafe extern "C" fn l610_cmd_set_error_reporting(
    mode: u32,
    out_command: *mut *mut l610_command,
) -> l610_status {
    build(out_command, || {
        let m = cmds::ErrorReporting::try_from(i64::from(mode))?;
        Ok(cmds::set_error_reporting(m))
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn max_send_is_the_protocol_s() {
        assert_eq!(super::L610_MAX_SEND, super::cmds::MAX_SEND);
    }
}
