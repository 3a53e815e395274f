//! `+CCLK`: the module's clock, which certificate verification depends on.

use driver::ModuleTime;

use crate::ffi::*;
use crate::modem::{l610_modem, with_modem};
use crate::status::l610_status;

/// A time as `+CCLK` carries it (years 2000–2099).
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct l610_time {
    /// Full year, 2000–2099.
    pub year: u16,
    /// 1–12.
    pub month: u8,
    /// 1–31.
    pub day: u8,
    /// 0–23.
    pub hour: u8,
    /// 0–59.
    pub minute: u8,
    /// 0–59.
    pub second: u8,
    /// Whether `zone_quarters` is meaningful.
    pub has_zone: bool,
    /// Offset from UTC in quarter hours, -48..=56 (when `has_zone`).
    pub zone_quarters: i8,
}

impl From<ModuleTime> for l610_time {
    fn from(t: ModuleTime) -> Self {
        l610_time {
            year: t.year,
            month: t.month,
            day: t.day,
            hour: t.hour,
            minute: t.minute,
            second: t.second,
            has_zone: t.zone_quarters.is_some(),
            zone_quarters: t.zone_quarters.unwrap_or(0),
        }
    }
}

impl From<&l610_time> for ModuleTime {
    fn from(t: &l610_time) -> Self {
        ModuleTime {
            year: t.year,
            month: t.month,
            day: t.day,
            hour: t.hour,
            minute: t.minute,
            second: t.second,
            zone_quarters: t.has_zone.then_some(t.zone_quarters),
        }
    }
}

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
