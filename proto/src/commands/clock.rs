//! `+CCLK`: the module's clock. Certificate verification uses it, so a wrong clock fails every
//! verified connection with `+GTSSLERR: -11` (manual examples 3 and 4).
//!
//! Reading the host's clock needs std; the std driver does that and builds a [`ModuleTime`] with
//! [`ModuleTime::from_unix`].

use alloc::format;
use alloc::string::String;
use core::fmt;

use super::{one_line, read, shown};
use crate::params::unquote;
use crate::{Command, Response, ValueError};

const CCLK: &str = "+CCLK";

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

/// One date or time field: one or two ASCII digits (the module writes two). Anything longer is
/// refused here rather than truncated, so `257` can never become month 1.
fn field(s: &str) -> Option<u8> {
    let s = s.trim();
    if !(1..=2).contains(&s.len()) || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

/// `a<sep>b<sep>c` as three fields.
fn three(part: &str, sep: char) -> Option<[u8; 3]> {
    let mut it = part.split(sep);
    let out = [field(it.next()?)?, field(it.next()?)?, field(it.next()?)?];
    it.next().is_none().then_some(out)
}

/// `±zz`: a sign and one or two digits, in quarter hours.
fn zone(s: &str) -> Option<i8> {
    let (negative, digits) = match s.trim().split_at_checked(1)? {
        ("+", d) => (false, d),
        ("-", d) => (true, d),
        _ => return None,
    };
    let q = i8::try_from(field(digits)?).ok()?;
    Some(if negative { -q } else { q })
}

impl ModuleTime {
    /// Parse `yy/MM/dd,hh:mm:ss[±zz]` (quotes allowed), as `AT+CCLK?` answers and `AT+CCLK=`
    /// takes it. Refuses, without panicking, anything that is not a valid time of 2000–2099.
    pub fn parse(s: &str) -> Result<ModuleTime, ValueError> {
        let bad = || {
            ValueError::new(format!(
                "{} is not a +CCLK time (yy/MM/dd,hh:mm:ss[±zz])",
                shown(s)
            ))
        };
        let text = unquote(s);
        let (date, time) = text.split_once(',').ok_or_else(bad)?;
        let (time, zone_quarters) = match time.find(['+', '-']) {
            Some(at) => (&time[..at], Some(zone(&time[at..]).ok_or_else(bad)?)),
            None => (time, None),
        };
        let [yy, month, day] = three(date, '/').ok_or_else(bad)?;
        let [hour, minute, second] = three(time, ':').ok_or_else(bad)?;
        let mt = ModuleTime {
            year: 2000u16.checked_add(u16::from(yy)).ok_or_else(bad)?,
            month,
            day,
            hour,
            minute,
            second,
            zone_quarters,
        };
        mt.validate().map_err(|_| bad())?;
        Ok(mt)
    }

    /// Refuse impossible dates before they reach the module (`AT+CCLK=`).
    pub fn validate(&self) -> Result<(), ValueError> {
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
            Err(ValueError::new(format!(
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

    /// Seconds since the Unix epoch (UTC), applying the zone offset. Any field values, valid or
    /// not, stay far inside `i64`.
    pub fn to_unix(&self) -> i64 {
        let days = days_from_civil(i64::from(self.year), self.month.into(), self.day.into());
        let local = days * 86_400
            + i64::from(self.hour) * 3600
            + i64::from(self.minute) * 60
            + i64::from(self.second);
        local - i64::from(self.zone_quarters.unwrap_or(0)) * 900
    }

    /// The UTC time at `unix` seconds (zone +00). A year outside `u16` saturates to 0 or 65535
    /// instead of wrapping into the valid range; [`validate`](Self::validate) refuses it.
    pub fn from_unix(unix: i64) -> ModuleTime {
        let (days, secs) = (unix.div_euclid(86_400), unix.rem_euclid(86_400));
        let (y, m, d) = civil_from_days(days);
        // m, d and the time fields are in range by construction; the fallbacks are unreachable
        // but keep this free of `as` truncation.
        let small = |v: i64| u8::try_from(v).unwrap_or(u8::MAX);
        ModuleTime {
            year: u16::try_from(y).unwrap_or(if y < 0 { 0 } else { u16::MAX }),
            month: small(m),
            day: small(d),
            hour: small(secs / 3600),
            minute: small(secs % 3600 / 60),
            second: small(secs % 60),
            zone_quarters: Some(0),
        }
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

// Howard Hinnant's civil calendar algorithms (public domain), proleptic Gregorian. Inputs stay
// within ±2^47 days here (i64 seconds / 86400), where no step can overflow.
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

/// `AT+CCLK?`; read the answer with [`parse_clock`].
pub fn clock_query() -> Command {
    read(CCLK)
}

/// The answer to `AT+CCLK?`: `+CCLK: "yy/MM/dd,hh:mm:ss±zz"`.
pub fn parse_clock(r: &Response) -> Result<ModuleTime, ValueError> {
    ModuleTime::parse(one_line(r, CCLK)?)
}

/// `AT+CCLK="yy/MM/dd,hh:mm:ss[±zz]"`, refusing an impossible time before anything is sent.
pub fn set_clock(time: &ModuleTime) -> Result<Command, ValueError> {
    time.validate()?;
    Ok(Command::new(format!("{CCLK}=\"{}\"", time.to_at())))
}

#[cfg(test)]
mod tests {
    use super::super::tests::resp;
    use super::*;
    use alloc::string::ToString;

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
        assert_eq!(z.to_string(), "2026-11-24 10:00:00 UTC+8:00");
        let w = ModuleTime::parse("24/02/29,23:59:59-20").unwrap();
        assert_eq!(w.zone_quarters, Some(-20));
        assert_eq!(w.to_at(), "24/02/29,23:59:59-20");
        assert_eq!(
            ModuleTime::from_unix(1_422_027_036).to_at(),
            "15/01/23,15:30:36+00"
        );
        assert!(ModuleTime::parse("15/02/30,00:00:00").is_err());
        assert!(ModuleTime::parse("15/01/23").is_err());
    }

    /// Defect: `2000 + d[0]` overflowed (a panic in debug builds) and `as u8` turned month 257
    /// into 1.
    #[test]
    fn hostile_times_are_value_errors() {
        for bad in [
            "65535/01/01,00:00:00",
            "65536/01/01,00:00:00",
            "15/257/01,00:00:00",
            "15/01/257,00:00:00",
            "15/01/01,256:00:00",
            "15/01/01,00:316:00",
            "15/01/01,00:00:60",
            "15/13/01,00:00:00",
            "15/00/01,00:00:00",
            "15/01/00,00:00:00",
            "15/01/01,24:00:00",
            "15/01/01,00:00:00+57",
            "15/01/01,00:00:00-49",
            "15/01/01,00:00:00+128",
            "15/01/01,00:00:00+",
            "15/01/01,00:00:00+-1",
            "15/01/01,00:00:00++1",
            "15/01/01,00:00:00+1+2",
            "+15/01/01,00:00:00",
            "15/01/01,+1:00:00",
            "15/01/01/01,00:00:00",
            "15/01,00:00:00",
            "15/01/01,00:00",
            "15/01/01,00:00:00:00",
            "2015/01/23,15:30:36",
            "15/01/01,00:00:0é",
            "é/01/01,00:00:00",
            "15/01/01,00:00:00+é",
            "15/01/01,00:00:00é",
            "١٥/01/01,00:00:00",
            "",
            ",",
            "\"",
            "\"\"",
            "99999999999999999999/01/01,00:00:00",
        ] {
            assert!(ModuleTime::parse(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn from_unix_saturates_instead_of_wrapping() {
        assert!(ModuleTime::from_unix(i64::MAX).validate().is_err());
        assert!(ModuleTime::from_unix(i64::MIN).validate().is_err());
        assert_eq!(ModuleTime::from_unix(i64::MAX).year, u16::MAX);
        assert_eq!(ModuleTime::from_unix(i64::MIN).year, 0);
        // Year 67536 would wrap to 2000 with `as u16`.
        let wrapped = days_from_civil(67_536, 1, 1) * 86_400;
        assert_eq!(ModuleTime::from_unix(wrapped).year, u16::MAX);
        let t = ModuleTime::from_unix(4_102_444_799); // 2099-12-31 23:59:59
        assert_eq!(t.to_at(), "99/12/31,23:59:59+00");
        assert_eq!(t.to_unix(), 4_102_444_799);
    }

    #[test]
    fn clock_pair() {
        assert_eq!(clock_query().line(), "AT+CCLK?");
        let t = parse_clock(&resp(&["+CCLK: \"15/01/23,15:30:36+00\""])).unwrap();
        assert_eq!(t.year, 2015);
        assert_eq!(
            set_clock(&t).unwrap().line(),
            "AT+CCLK=\"15/01/23,15:30:36+00\""
        );
        let feb30 = ModuleTime {
            month: 2,
            day: 30,
            ..t
        };
        assert!(set_clock(&feb30).is_err());
        let year_3000 = ModuleTime { year: 3000, ..t };
        assert!(set_clock(&year_3000).is_err());
        for lines in [
            &[][..],
            &["+CCLK: "],
            &["+CCLK: \"15/01/23,15:30:36\",1"],
            &[
                "+CCLK: \"15/01/23,15:30:36\"",
                "+CCLK: \"15/01/23,15:30:36\"",
            ],
            &["+CCLK: 15/01/23"],
        ] {
            assert!(parse_clock(&resp(lines)).is_err(), "{lines:?}");
        }
    }
}
