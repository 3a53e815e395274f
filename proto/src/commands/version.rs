//! `+GTSSLVER` (`<sslver>`, the handshake version) and `+GTSSLMODE` (`<checkmode>`, server
//! certificate verification).

use alloc::format;
use alloc::vec::Vec;

use super::{bad_answer, one_int, range_groups, read, test};
use crate::params::RangeList;
use crate::{Command, Response, ValueError};

const GTSSLVER: &str = "+GTSSLVER";
const GTSSLMODE: &str = "+GTSSLMODE";

/// The handshake protocol version (`AT+GTSSLVER=<sslver>`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[repr(u8)]
pub enum SslVersion {
    /// 0: inside the manual's range but undocumented; real hardware reports it after power-up.
    /// Kept losslessly; the virtual module treats it as "negotiate TLS 1.0–1.2".
    Unspecified = 0,
    /// 1: SSL 3.0 (obsolete; most servers refuse it).
    Ssl3 = 1,
    /// 2: TLS 1.0 (the manual's default).
    Tls1_0 = 2,
    /// 3: TLS 1.1.
    Tls1_1 = 3,
    /// 4: TLS 1.2.
    Tls1_2 = 4,
}

impl SslVersion {
    /// Every `<sslver>` of `AT+GTSSLVER`, 0–4, in order.
    pub const ALL: [SslVersion; 5] = [
        SslVersion::Unspecified,
        SslVersion::Ssl3,
        SslVersion::Tls1_0,
        SslVersion::Tls1_1,
        SslVersion::Tls1_2,
    ];

    /// The `<sslver>` number of `AT+GTSSLVER`.
    pub fn value(self) -> u8 {
        self as u8
    }
}

/// Only `i64` (not also `u8`): with two integer impls, `SslVersion::try_from(5)` would no longer
/// infer its argument type. Bindings widen with `i64::from`.
impl TryFrom<i64> for SslVersion {
    type Error = ValueError;

    /// The version with this `<sslver>` (`AT+GTSSLVER`).
    fn try_from(v: i64) -> Result<Self, ValueError> {
        usize::try_from(v)
            .ok()
            .and_then(|i| SslVersion::ALL.get(i).copied())
            .ok_or_else(|| ValueError::new(format!("SSL version {v} is not in 0..=4")))
    }
}

/// Whether the module verifies the server certificate (`AT+GTSSLMODE=<checkmode>`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[repr(u8)]
pub enum VerifyMode {
    /// 0: no verification (the module's default).
    None = 0,
    /// 1: verify against the loaded TRUSTFILEs and the module clock.
    Verify = 1,
}

impl VerifyMode {
    /// Both `<checkmode>`s of `AT+GTSSLMODE`, in order.
    pub const ALL: [VerifyMode; 2] = [VerifyMode::None, VerifyMode::Verify];

    /// The `<checkmode>` number of `AT+GTSSLMODE`.
    pub fn value(self) -> u8 {
        self as u8
    }
}

impl TryFrom<i64> for VerifyMode {
    type Error = ValueError;

    /// The mode with this `<checkmode>` (`AT+GTSSLMODE`).
    fn try_from(v: i64) -> Result<Self, ValueError> {
        match v {
            0 => Ok(VerifyMode::None),
            1 => Ok(VerifyMode::Verify),
            _ => Err(ValueError::new(format!("check mode {v} is not 0 or 1"))),
        }
    }
}

/// `AT+GTSSLMODE=<checkmode>`.
pub fn set_verify_mode(mode: VerifyMode) -> Command {
    Command::new(format!("{GTSSLMODE}={}", mode.value()))
}

/// `AT+GTSSLMODE?`; read the answer with [`parse_verify_mode`].
pub fn verify_mode_query() -> Command {
    read(GTSSLMODE)
}

/// The answer to `AT+GTSSLMODE?`: `+GTSSLMODE: <checkmode>`.
pub fn parse_verify_mode(r: &Response) -> Result<VerifyMode, ValueError> {
    let n = one_int(r, GTSSLMODE)?;
    VerifyMode::try_from(n)
        .map_err(|_| bad_answer(GTSSLMODE, &format!("{n}"), "is not a check mode (0 or 1)"))
}

/// `AT+GTSSLMODE=?`; read the answer with [`parse_verify_mode_support`].
pub fn verify_mode_test() -> Command {
    test(GTSSLMODE)
}

/// The answer to `AT+GTSSLMODE=?`: `+GTSSLMODE: (0,1)` or `(0-1)`, the supported check modes as
/// the module lists them.
pub fn parse_verify_mode_support(r: &Response) -> Result<RangeList, ValueError> {
    let mut groups = range_groups(r, GTSSLMODE)?;
    Ok(groups.swap_remove(0))
}

/// `AT+GTSSLVER=<sslver>`.
pub fn set_ssl_version(version: SslVersion) -> Command {
    Command::new(format!("{GTSSLVER}={}", version.value()))
}

/// `AT+GTSSLVER?`; read the answer with [`parse_ssl_version`].
pub fn ssl_version_query() -> Command {
    read(GTSSLVER)
}

/// The answer to `AT+GTSSLVER?`: `+GTSSLVER: <sslver>`. The undocumented 0 that hardware reports
/// after power-up is [`SslVersion::Unspecified`].
pub fn parse_ssl_version(r: &Response) -> Result<SslVersion, ValueError> {
    let n = one_int(r, GTSSLVER)?;
    SslVersion::try_from(n)
        .map_err(|_| bad_answer(GTSSLVER, &format!("{n}"), "is not a version (0..=4)"))
}

/// `AT+GTSSLVER=?`; read the answer with [`parse_ssl_version_support`].
pub fn ssl_version_test() -> Command {
    test(GTSSLVER)
}

/// The answer to `AT+GTSSLVER=?`: the versions of [`SslVersion::ALL`] that the listed ranges
/// contain. Values outside 0..=4 are ignored (the ranges are intersected with the table).
pub fn parse_ssl_version_support(r: &Response) -> Result<Vec<SslVersion>, ValueError> {
    let groups = range_groups(r, GTSSLVER)?;
    Ok(SslVersion::ALL
        .into_iter()
        .filter(|v| groups[0].contains(i64::from(v.value())))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::super::tests::resp;
    use super::*;
    use alloc::vec;

    #[test]
    fn table_round_trips() {
        for v in SslVersion::ALL {
            assert_eq!(SslVersion::try_from(i64::from(v.value())), Ok(v));
        }
        for m in VerifyMode::ALL {
            assert_eq!(VerifyMode::try_from(i64::from(m.value())), Ok(m));
        }
        assert!(SslVersion::try_from(5).is_err());
        assert!(SslVersion::try_from(-1).is_err());
        assert!(SslVersion::try_from(i64::MIN).is_err());
        assert!(VerifyMode::try_from(2).is_err());
    }

    #[test]
    fn builds() {
        assert_eq!(set_verify_mode(VerifyMode::Verify).line(), "AT+GTSSLMODE=1");
        assert_eq!(verify_mode_query().line(), "AT+GTSSLMODE?");
        assert_eq!(verify_mode_test().line(), "AT+GTSSLMODE=?");
        assert_eq!(set_ssl_version(SslVersion::Tls1_2).line(), "AT+GTSSLVER=4");
        assert_eq!(ssl_version_query().line(), "AT+GTSSLVER?");
        assert_eq!(ssl_version_test().line(), "AT+GTSSLVER=?");
    }

    #[test]
    fn parses_good_answers() {
        assert_eq!(
            parse_verify_mode(&resp(&["+GTSSLMODE: 0"])),
            Ok(VerifyMode::None)
        );
        assert_eq!(
            parse_verify_mode(&resp(&["+GTSSLMODE:1"])),
            Ok(VerifyMode::Verify)
        );
        assert_eq!(
            parse_ssl_version(&resp(&["+GTSSLVER: 0"])),
            Ok(SslVersion::Unspecified)
        );
        assert_eq!(
            parse_ssl_version(&resp(&["+GTSSLVER: 4"])),
            Ok(SslVersion::Tls1_2)
        );
        for list in ["(0,1)", "(0-1)"] {
            let line = format!("+GTSSLMODE: {list}");
            let r = parse_verify_mode_support(&resp(&[&line])).unwrap();
            assert!(r.contains(0) && r.contains(1) && !r.contains(2));
        }
        assert_eq!(
            parse_ssl_version_support(&resp(&["+GTSSLVER: (0-4)"])).unwrap(),
            SslVersion::ALL.to_vec()
        );
        assert_eq!(
            parse_ssl_version_support(&resp(&["+GTSSLVER: (2-3,9)"])).unwrap(),
            vec![SslVersion::Tls1_0, SslVersion::Tls1_1]
        );
    }

    #[test]
    fn hostile_answers_are_value_errors() {
        for lines in [
            &[][..],
            &["+GTSSLMODE: 2"],
            &["+GTSSLMODE: -1"],
            &["+GTSSLMODE: 99999999999999999999999"],
            &["+GTSSLMODE: "],
            &["+GTSSLMODE: 1,1"],
            &["+GTSSLMODE: 1", "+GTSSLMODE: 0"],
            &["+GTSSLMODE: é"],
            &["+GTSSLMODE: \u{0}"],
            &["+GTSSLMODE: (0,1)"],
            &["+GTSSLVER: 1"],
        ] {
            assert!(parse_verify_mode(&resp(lines)).is_err(), "{lines:?}");
        }
        for lines in [
            &[][..],
            &["+GTSSLVER: 5"],
            &["+GTSSLVER: 256"],
            &["+GTSSLVER: -9223372036854775808"],
            &["+GTSSLVER: 4é"],
            &["+GTSSLVER: ,"],
        ] {
            assert!(parse_ssl_version(&resp(lines)).is_err(), "{lines:?}");
        }
        for lines in [
            &[][..],
            &["+GTSSLMODE: 0,1"],
            &["+GTSSLMODE: (é-1)"],
            &["+GTSSLMODE: (1-0)"],
            &["+GTSSLMODE: "],
            // Refused by `RangeList::parse` rather than expanded.
            &["+GTSSLMODE: (0-400000000)"],
        ] {
            assert!(
                parse_verify_mode_support(&resp(lines)).is_err(),
                "{lines:?}"
            );
            let ver: Vec<_> = lines.iter().map(|l| l.replace("MODE", "VER")).collect();
            let ver: Vec<&str> = ver.iter().map(|s| s.as_str()).collect();
            assert!(parse_ssl_version_support(&resp(&ver)).is_err(), "{ver:?}");
        }
    }
}
