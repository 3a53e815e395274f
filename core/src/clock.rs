//! `+CCLK`: the module's clock. Certificate verification uses it, so a wrong clock fails every
//! verified connection with `+GTSSLERR: -11` (manual examples 3 and 4).

use std::fmt;
use std::time::{SystemTime, UNIX_EPOCH};

use crate::at::params::unquote;
use crate::at::Command;
use crate::error::{Error, Result};
use crate::modem::unexpected;
use crate::Modem;

/// A time as `+CCLK` carries it: `yy/MM/dd,hh:mm:ss±zz` (zz in quarter hours; years 2000–2099).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ModuleTime {
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
    /// Offset from UTC in quarter hours (-48..=56); `None` when the module or user gave none.
    pub zone_quarters: Option<i8>,
}

impl ModuleTime {
    /// Parse `yy/MM/dd,hh:mm:ss[±zz]` (quotes allowed).
    pub fn parse(s: &str) -> Result<ModuleTime> {
        let bad = || {
            Error::invalid(format!(
                "{s:?} is not a +CCLK time (yy/MM/dd,hh:mm:ss[±zz])"
            ))
        };
        let s = unquote(s);
        let (date, time) = s.split_once(',').ok_or_else(bad)?;
        let (time, zone) = match time.find(['+', '-']) {
            Some(at) => (
                &time[..at],
                Some(time[at..].parse::<i8>().map_err(|_| bad())?),
            ),
            None => (time, None),
        };
        let nums = |part: &str, sep: char| -> Option<Vec<u16>> {
            part.split(sep).map(|n| n.trim().parse().ok()).collect()
        };
        let d = nums(date, '/').filter(|d| d.len() == 3).ok_or_else(bad)?;
        let t = nums(time, ':').filter(|t| t.len() == 3).ok_or_else(bad)?;
        let mt = ModuleTime {
            year: 2000 + d[0],
            month: d[1] as u8,
            day: d[2] as u8,
            hour: t[0] as u8,
            minute: t[1] as u8,
            second: t[2] as u8,
            zone_quarters: zone,
        };
        mt.validate().map_err(|_| bad())?;
        Ok(mt)
    }

    /// Refuse impossible dates before they reach the module.
    pub fn validate(&self) -> Result<()> {
        let ok = (2000..=2099).contains(&self.year)
            && (1..=12).contains(&self.month)
            && (1..=days_in_month(self.year, self.month)).contains(&self.day)
            && self.hour < 24
            && self.minute < 60
            && self.second < 60
            && self.zone_quarters.is_none_or(|z| (-48..=56).contains(&z));
        if ok {
            Ok(())
        } else {
            Err(Error::invalid(format!(
                "{self:?} is not a valid module time"
            )))
        }
    }

    /// The `+CCLK` text, without quotes.
    pub fn to_at(&self) -> String {
        let mut s = format!(
            "{:02}/{:02}/{:02},{:02}:{:02}:{:02}",
            self.year % 100,
            self.month,
            self.day,
            self.hour,
            self.minute,
            self.second
        );
        if let Some(z) = self.zone_quarters {
            s.push_str(&format!(
                "{}{:02}",
                if z < 0 { '-' } else { '+' },
                z.unsigned_abs()
            ));
        }
        s
    }

    /// Seconds since the Unix epoch (UTC), applying the zone offset.
    pub fn to_unix(&self) -> i64 {
        let days = days_from_civil(i64::from(self.year), self.month.into(), self.day.into());
        let local = days * 86_400
            + i64::from(self.hour) * 3600
            + i64::from(self.minute) * 60
            + i64::from(self.second);
        local - i64::from(self.zone_quarters.unwrap_or(0)) * 900
    }

    /// The UTC time at `unix` seconds (zone +00).
    pub fn from_unix(unix: i64) -> ModuleTime {
        let (days, secs) = (unix.div_euclid(86_400), unix.rem_euclid(86_400));
        let (y, m, d) = civil_from_days(days);
        ModuleTime {
            year: y as u16,
            month: m as u8,
            day: d as u8,
            hour: (secs / 3600) as u8,
            minute: (secs % 3600 / 60) as u8,
            second: (secs % 60) as u8,
            zone_quarters: Some(0),
        }
    }

    /// The host's clock, UTC.
    pub fn now_utc() -> ModuleTime {
        let unix = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_secs() as i64)
            .unwrap_or(0);
        ModuleTime::from_unix(unix)
    }
}

impl fmt::Display for ModuleTime {
    /// `2015-01-23 15:30:36` (plus the zone when known).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:04}-{:02}-{:02} {:02}:{:02}:{:02}",
            self.year, self.month, self.day, self.hour, self.minute, self.second
        )?;
        match self.zone_quarters {
            Some(0) => write!(f, " UTC"),
            Some(z) => write!(
                f,
                " UTC{}{}:{:02}",
                if z < 0 { '-' } else { '+' },
                z.unsigned_abs() / 4,
                z.unsigned_abs() % 4 * 15
            ),
            None => Ok(()),
        }
    }
}

fn days_in_month(y: u16, m: u8) -> u8 {
    match m {
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

// Howard Hinnant's civil calendar algorithms (public domain), proleptic Gregorian.
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

impl Modem {
    /// `AT+CCLK?`.
    pub fn clock(&self) -> Result<ModuleTime> {
        let r = self.command(&Command::new("+CCLK?").expects("+CCLK"))?;
        r.params("+CCLK")
            .and_then(|p| ModuleTime::parse(p).ok())
            .ok_or_else(|| unexpected("AT+CCLK?", &r))
    }

    /// `AT+CCLK="yy/MM/dd,hh:mm:ss[±zz]"`.
    pub fn set_clock(&self, time: &ModuleTime) -> Result<()> {
        time.validate()?;
        self.command(&Command::new(format!("+CCLK=\"{}\"", time.to_at())))
            .map(drop)
    }

    /// Set the module clock to the host's (UTC).
    pub fn set_clock_from_host(&self) -> Result<ModuleTime> {
        let now = ModuleTime::now_utc();
        self.set_clock(&now)?;
        Ok(now)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_format_and_convert() {
        let t = ModuleTime::parse("\"15/01/23,15:30:36\"").unwrap();
        assert_eq!(t.to_at(), "15/01/23,15:30:36");
        assert_eq!(t.to_unix(), 1_422_027_036);
        assert_eq!(t.to_string(), "2015-01-23 15:30:36");
        let z = ModuleTime::parse("26/11/24,10:00:00+32").unwrap();
        assert_eq!(
            z.to_unix(),
            ModuleTime::parse("26/11/24,02:00:00+00").unwrap().to_unix()
        );
        assert_eq!(
            ModuleTime::from_unix(1_422_027_036).to_at(),
            "15/01/23,15:30:36+00"
        );
        assert!(ModuleTime::parse("15/02/30,00:00:00").is_err());
        assert!(ModuleTime::parse("15/01/23").is_err());
    }
}
