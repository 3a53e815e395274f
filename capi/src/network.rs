//! The field basics, threaded: `l610_modem_*` calls over `l610::Modem` (the types, builders
//! and parsers are in `network_cmd.rs`).

use std::ffi::c_char;
use std::time::Duration;

use crate::ffi::*;
use crate::modem::{l610_modem, with_modem};
use crate::network_cmd::*;
use crate::status::l610_status;

/// `AT+CPIN?`: `*out_ready` says whether the SIM is ready; its state in the module's words
/// (`"READY"`, `"SIM PIN"`, ...) goes to `buf` (contract of `l610_status_text`; `buf` NULL with
/// `len` 0 and `written` NULL skips it).
#[no_mangle]
pub unsafe extern "C" fn l610_modem_sim_status(
    modem: *const l610_modem,
    out_ready: *mut bool,
    buf: *mut c_char,
    len: usize,
    written: *mut usize,
) -> l610_status {
    // SAFETY: forwarded contract.
    unsafe {
        with_modem(modem, |m| {
            out(out_ready, "out_ready")?;
            let s = m.modem.sim_status()?;
            put_sim(s, out_ready, buf, len, written)
        })
    }
}

/// `AT+CREG?`, `AT+CGREG?` or `AT+CEREG?` (`domain`, an `l610_registration_domain`). An L610
/// registers on `L610_DOMAIN_EPS`.
#[no_mangle]
pub unsafe extern "C" fn l610_modem_registration(
    modem: *const l610_modem,
    domain_value: u32,
    out_registration: *mut l610_registration,
) -> l610_status {
    // SAFETY: forwarded contract.
    unsafe {
        with_modem(modem, |m| {
            let p = out(out_registration, "out_registration")?;
            let r = m.modem.registration(domain(domain_value)?)?;
            put(p, registration_out(&r)?);
            Ok(())
        })
    }
}

/// `AT+CREG=<mode>` (and `+CGREG`, `+CEREG`): 0 no URCs, 1 status changes, 2 status and cell.
/// Lost at a module restart.
#[no_mangle]
pub unsafe extern "C" fn l610_modem_set_registration_reporting(
    modem: *const l610_modem,
    domain_value: u32,
    mode: u32,
) -> l610_status {
    // SAFETY: forwarded contract.
    unsafe {
        with_modem(modem, |m| {
            Ok(m.modem
                .set_registration_reporting(domain(domain_value)?, reporting(mode)?)?)
        })
    }
}

/// Registered, at home or roaming, in the EPS or GPRS domain: what to wait for before
/// `l610_modem_activate_pdp`.
#[no_mangle]
pub unsafe extern "C" fn l610_modem_is_registered(
    modem: *const l610_modem,
    out_registered: *mut bool,
) -> l610_status {
    // SAFETY: forwarded contract.
    unsafe {
        with_modem(modem, |m| {
            let p = out(out_registered, "out_registered")?;
            put(p, m.modem.is_registered()?);
            Ok(())
        })
    }
}

/// `AT+CSQ`: signal strength and bit error rate.
#[no_mangle]
pub unsafe extern "C" fn l610_modem_signal_quality(
    modem: *const l610_modem,
    out_quality: *mut l610_signal_quality,
) -> l610_status {
    // SAFETY: forwarded contract.
    unsafe {
        with_modem(modem, |m| {
            let p = out(out_quality, "out_quality")?;
            put(p, signal_out(m.modem.signal_quality()?));
            Ok(())
        })
    }
}

/// `AT+COPS?`, typed; the operator's name (empty when none is shown) goes to `name_buf`
/// (contract of `l610_status_text`; NULL, 0, NULL skips it).
#[no_mangle]
pub unsafe extern "C" fn l610_modem_operator_info(
    modem: *const l610_modem,
    out_operator: *mut l610_operator,
    name_buf: *mut c_char,
    name_len: usize,
    written: *mut usize,
) -> l610_status {
    // SAFETY: forwarded contract.
    unsafe {
        with_modem(modem, |m| {
            out(out_operator, "out_operator")?;
            let o = m.modem.operator_info()?;
            put_operator(o, out_operator, name_buf, name_len, written)
        })
    }
}

/// `AT+CGATT?`: attached to the packet domain.
#[no_mangle]
pub unsafe extern "C" fn l610_modem_attached(
    modem: *const l610_modem,
    out_attached: *mut bool,
) -> l610_status {
    // SAFETY: forwarded contract.
    unsafe {
        with_modem(modem, |m| {
            let p = out(out_attached, "out_attached")?;
            put(p, m.modem.attached()?);
            Ok(())
        })
    }
}

/// `AT+CFUN?`: 1 full functionality, 0 minimum, 4 radio off.
#[no_mangle]
pub unsafe extern "C" fn l610_modem_functionality(
    modem: *const l610_modem,
    out_fun: *mut u8,
) -> l610_status {
    // SAFETY: forwarded contract.
    unsafe {
        with_modem(modem, |m| {
            let p = out(out_fun, "out_fun")?;
            put(p, m.modem.functionality()?);
            Ok(())
        })
    }
}

/// One identity query (`item`, an `l610_identity_item`) into `buf` (contract of
/// `l610_status_text`; 64 bytes always suffice).
#[no_mangle]
pub unsafe extern "C" fn l610_modem_identity(
    modem: *const l610_modem,
    item: u32,
    buf: *mut c_char,
    len: usize,
    written: *mut usize,
) -> l610_status {
    // SAFETY: forwarded contract.
    unsafe {
        with_modem(modem, |m| {
            out(written, "written")?;
            let v = m.modem.identity_item(identity_item(item)?)?;
            copy_text(&v, buf, len, written)
        })
    }
}

/// `AT+MIPDNS="<host>"`: the module resolves `host` over its PDP context (which must be
/// active: `L610_CME_ERROR` otherwise; an unknown name is `L610_AT_ERROR`). The addresses go to
/// `items[0..cap]`, their number to `*count` (on `L610_BUFFER_TOO_SMALL` nothing is copied and
/// `*count` is the number needed; 8 always suffice).
#[no_mangle]
pub unsafe extern "C" fn l610_modem_resolve(
    modem: *const l610_modem,
    host: *const c_char,
    items: *mut l610_ip_address,
    cap: usize,
    count: *mut usize,
) -> l610_status {
    // SAFETY: forwarded contract.
    unsafe {
        with_modem(modem, |m| {
            out(count, "count")?;
            let host = str_arg(host, "host")?;
            let ips: Vec<l610_ip_address> = m.modem.resolve(host)?.iter().map(ip_out).collect();
            copy_list(&ips, items, cap, count)
        })
    }
}

/// `AT+MPING=1,"<host>",...`: ping from the module and wait for the run to end (at most
/// `count * (timeout + 1 s)` and a margin). Needs the PDP context. `options` NULL uses the
/// defaults; values out of the module's range are `L610_INVALID_ARGUMENT` and nothing is sent.
/// The round trip of each reply goes to `replies_ms[0..cap]` and their number to `*count`
/// (`replies_ms` NULL with `cap` 0 and `count` NULL skips them; on `L610_BUFFER_TOO_SMALL`
/// `*out_report` is written, the replies are not).
#[no_mangle]
pub unsafe extern "C" fn l610_modem_ping(
    modem: *const l610_modem,
    host: *const c_char,
    options: *const l610_ping_options,
    out_report: *mut l610_ping_report,
    replies_ms: *mut u32,
    cap: usize,
    count: *mut usize,
) -> l610_status {
    // SAFETY: forwarded contract.
    unsafe {
        with_modem(modem, |m| {
            let p = out(out_report, "out_report")?;
            let host = str_arg(host, "host")?;
            let o = ping_options(options.as_ref());
            let r = m.modem.ping(host, &o)?;
            let ms = |d: Duration| u32::try_from(d.as_millis()).unwrap_or(u32::MAX);
            put(
                p,
                l610_ping_report {
                    ip: fixed(&r.ip, "the pinged address")?,
                    sent: r.sent,
                    received: r.received,
                    has_average: r.average.is_some(),
                    average_ms: r.average.map_or(0, ms),
                },
            );
            if replies_ms.is_null() && cap == 0 && count.is_null() {
                return Ok(());
            }
            let list: Vec<u32> = r.replies.iter().copied().map(ms).collect();
            copy_list(&list, replies_ms, cap, count)
        })
    }
}
