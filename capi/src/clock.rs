//! `+CCLK`: the module's clock, which certificate verification depends on.

use driver::ModuleTime;

use crate::ffi::*;
use crate::modem::{l610_modem, with_modem};
use crate::status::l610_status;
use crate::values::l610_time;

/// `AT+CCLK?`.
#[no_mangle]
pub unsafe extern "C" fn l610_modem_clock(
    modem: *const l610_modem,
    out_time: *mut l610_time,
) -> l610_status {
    // SAFETY: forwarded contract.
    unsafe {
        with_modem(modem, |m| {
            let p = out(out_time, "out_time")?;
            let t = m.modem.clock()?;
            put(p, t.into());
            Ok(())
        })
    }
}

/// `AT+CCLK="yy/MM/dd,hh:mm:ss[±zz]"`. An impossible date is `L610_INVALID_ARGUMENT` and is
/// not sent.
#[no_mangle]
pub unsafe extern "C" fn l610_modem_set_clock(
    modem: *const l610_modem,
    time: *const l610_time,
) -> l610_status {
    // SAFETY: forwarded contract.
    unsafe {
        with_modem(modem, |m| {
            let t = arg(time, "time")?;
            Ok(m.modem.set_clock(&ModuleTime::from(t))?)
        })
    }
}

/// Set the module clock to the host's (UTC). `out_time` is optional (may be NULL): the time
/// that was set.
#[no_mangle]
pub unsafe extern "C" fn l610_modem_set_clock_from_host(
    modem: *const l610_modem,
    out_time: *mut l610_time,
) -> l610_status {
    // SAFETY: forwarded contract.
    unsafe {
        with_modem(modem, |m| {
            let t = m.modem.set_clock_from_host()?;
            if !out_time.is_null() {
                put(out_time, t.into());
            }
            Ok(())
        })
    }
}
