//! The module's real-time clock (`+CCLK`). It boots at 2015-01-01 00:00:00 +00 and then runs
//! in real time; once registered it takes network time (unless `SimConfig::network_time` is
//! off). TLS certificate checks use it, which is why a wrong clock fails them.

use std::time::Instant;

/// 2015-01-01T00:00:00Z.
pub(crate) const BOOT_UNIX: i64 = 1_420_070_400;

#[derive(Clone, Copy, Debug)]
pub(crate) struct Clock {
    unix_at_set: i64,
    set_at: Instant,
    /// Time zone in quarter hours, as `+CCLK` carries it.
    quarters: i32,
}

impl Clock {
    pub(crate) fn boot() -> Clock {
        Clock {
            unix_at_set: BOOT_UNIX,
            set_at: Instant::now(),
            quarters: 0,
        }
    }

    /// Network time (NITZ) as a registered module receives it: the host's UTC clock.
    pub(crate) fn network() -> Clock {
        let unix = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(BOOT_UNIX, |d| d.as_secs() as i64);
        Clock {
            unix_at_set: unix,
            set_at: Instant::now(),
            quarters: 0,
        }
    }

    pub(crate) fn now_unix(&self) -> i64 {
        self.unix_at_set + self.set_at.elapsed().as_secs() as i64
    }

    /// Parses the quoted argument of `AT+CCLK="yy/MM/dd,hh:mm:ss[±zz]"`.
    pub(crate) fn parse(text: &str) -> Option<Clock> {
        let b = text.as_bytes();
        if b.len() != 17 && b.len() != 20 {
            return None;
        }
        let num = |i: usize| -> Option<i64> {
            let s = text.get(i..i + 2)?;
            if !s.bytes().all(|c| c.is_ascii_digit()) {
                return None;
            }
            s.parse().ok()
        };
        let seps = [(2, b'/'), (5, b'/'), (8, b','), (11, b':'), (14, b':')];
        if seps.iter().any(|&(i, c)| b[i] != c) {
            return None;
        }
        let (yy, mo, dd, hh, mi, ss) = (num(0)?, num(3)?, num(6)?, num(9)?, num(12)?, num(15)?);
        let quarters = if b.len() == 20 {
            let z = num(18)? as i32;
            match b[17] {
                b'+' => z,
                b'-' => -z,
                _ => return None,
            }
        } else {
            0
        };
        let year = 2000 + yy;
        if !(1..=12).contains(&mo)
            || dd < 1
            || dd > days_in_month(year, mo)
            || hh > 23
            || mi > 59
            || ss > 59
            || quarters.abs() > 56
        {
            return None;
        }
        let local = days_from_civil(year, mo, dd) * 86_400 + hh * 3600 + mi * 60 + ss;
        Some(Clock {
            unix_at_set: local - quarters as i64 * 900,
            set_at: Instant::now(),
            quarters,
        })
    }

    /// The `+CCLK?` text, without the prefix: `"yy/MM/dd,hh:mm:ss±zz"`.
    pub(crate) fn format(&self) -> String {
        let local = self.now_unix() + self.quarters as i64 * 900;
        let (y, mo, d) = civil_from_days(local.div_euclid(86_400));
        let secs = local.rem_euclid(86_400);
        let sign = if self.quarters < 0 { '-' } else { '+' };
        format!(
            "\"{:02}/{:02}/{:02},{:02}:{:02}:{:02}{}{:02}\"",
            y.rem_euclid(100),
            mo,
            d,
            secs / 3600,
            secs / 60 % 60,
            secs % 60,
            sign,
            self.quarters.abs()
        )
    }
}

fn is_leap(y: i64) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

fn days_in_month(y: i64, m: i64) -> i64 {
    match m {
        2 if is_leap(y) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

// Howard Hinnant's days_from_civil / civil_from_days.
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (if m <= 2 { y + 1 } else { y }, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn boot_is_2015() {
        assert_eq!(days_from_civil(2015, 1, 1) * 86_400, BOOT_UNIX);
        assert_eq!(Clock::boot().format(), "\"15/01/01,00:00:00+00\"");
    }

    #[test]
    fn zone_round_trip() {
        let c = Clock::parse("24/02/29,23:59:58-20").unwrap();
        assert_eq!(
            c.now_unix(),
            days_from_civil(2024, 3, 1) * 86_400 + 5 * 3600 - 2
        );
        assert_eq!(c.format(), "\"24/02/29,23:59:58-20\"");
        assert!(Clock::parse("23/02/29,00:00:00").is_none());
        assert!(Clock::parse("23/13/01,00:00:00").is_none());
        assert!(Clock::parse("23/01/01,00:00:00*00").is_none());
    }
}
