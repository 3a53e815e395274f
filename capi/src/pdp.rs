//! `+MIPCALL`: the PDP context sockets need.

use std::ffi::c_char;

use driver::{PdpConfig, PdpStatus};

use crate::ffi::*;
use crate::modem::{l610_modem, with_modem};
use crate::status::l610_status;
use crate::values::l610_pdp_state;

/// `AT+MIPCALL=1[,"apn"[,"user","pwd"]]`, then wait (up to the PDP timeout) for the module's IP,
/// which is copied into `ip_buf` (buffer contract as `l610_status_text`; 64 bytes always
/// suffice; the context is active even when the IP does not fit).
///
/// `apn` NULL uses the module's default APN; `user` and `password` are both NULL or both given,
/// and need an `apn`.
#[no_mangle]
pub unsafe extern "C" fn l610_modem_activate_pdp(
    modem: *const l610_modem,
    apn: *const c_char,
    user: *const c_char,
    password: *const c_char,
    ip_buf: *mut c_char,
    ip_len: usize,
    written: *mut usize,
) -> l610_status {
    // SAFETY: forwarded contract.
    unsafe {
        with_modem(modem, |m| {
            out(written, "written")?;
            if ip_buf.is_null() {
                return Err(Fail::Null("ip_buf"));
            }
            let apn = opt_str_arg(apn, "apn")?;
            let user = opt_str_arg(user, "user")?;
            let password = opt_str_arg(password, "password")?;
            let credentials = match (user, password) {
                (Some(u), Some(p)) => Some((u.to_owned(), p.to_owned())),
                (None, None) => None,
                _ => {
                    return Err(invalid(
                        "user and password must both be given or both be NULL",
                    ))
                }
            };
            let config = PdpConfig {
                apn: apn.map(str::to_owned),
                credentials,
            };
            let ip = m.modem.activate_pdp(&config)?;
            copy_text(&ip, ip_buf, ip_len, written)
        })
    }
}

/// `AT+MIPCALL=0`, then wait for `+MIPCALL: 0`.
#[no_mangle]
pub unsafe extern "C" fn l610_modem_deactivate_pdp(modem: *const l610_modem) -> l610_status {
    // SAFETY: forwarded contract.
    unsafe { with_modem(modem, |m| Ok(m.modem.deactivate_pdp()?)) }
}

/// `AT+MIPCALL?`: the state into `*out_state` and, when active, the IP into `ip_buf` (empty
/// text otherwise; buffer contract as `l610_status_text`, `*out_state` is written on
/// `L610_BUFFER_TOO_SMALL` too). Pass `ip_buf` NULL, `ip_len` 0 and `written` NULL to skip the IP.
#[no_mangle]
pub unsafe extern "C" fn l610_modem_pdp_status(
    modem: *const l610_modem,
    out_state: *mut l610_pdp_state,
    ip_buf: *mut c_char,
    ip_len: usize,
    written: *mut usize,
) -> l610_status {
    // SAFETY: forwarded contract.
    unsafe {
        with_modem(modem, |m| {
            let p = out(out_state, "out_state")?;
            let skip_ip = ip_buf.is_null() && ip_len == 0 && written.is_null();
            if !skip_ip {
                out(written, "written")?;
                if ip_buf.is_null() {
                    return Err(Fail::Null("ip_buf"));
                }
            }
            let (state, ip) = match m.modem.pdp_status()? {
                PdpStatus::Inactive => (l610_pdp_state::L610_PDP_INACTIVE, String::new()),
                PdpStatus::Active(ip) => (l610_pdp_state::L610_PDP_ACTIVE, ip),
                PdpStatus::Busy => (l610_pdp_state::L610_PDP_BUSY, String::new()),
            };
            let copied = if skip_ip {
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
