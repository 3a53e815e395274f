//! The module-wide commands: `ATE` (echo), `AT+CMEE` (error reporting), `ATI`
//! (identification), `AT+COPS?` (operator) and `AT+GTSET="IPRFMT"` (receive format).

use alloc::borrow::ToOwned;
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use super::one_line;
use crate::framing::ReceiveFormat;
use crate::{Command, Response, ValueError};

const COPS: &str = "+COPS";

/// How the module reports errors (`AT+CMEE=<n>`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[repr(u8)]
pub enum ErrorReporting {
    /// `AT+CMEE=0`: plain `ERROR`.
    Plain = 0,
    /// `AT+CMEE=1`: `+CME ERROR: <n>`.
    Numeric = 1,
    /// `AT+CMEE=2`: `+CME ERROR: <text>`.
    Verbose = 2,
}

impl ErrorReporting {
    /// Every `<n>` of `AT+CMEE`, in order.
    pub const ALL: [ErrorReporting; 3] = [
        ErrorReporting::Plain,
        ErrorReporting::Numeric,
        ErrorReporting::Verbose,
    ];

    /// The `<n>` of `AT+CMEE=<n>`.
    pub fn value(self) -> u8 {
        self as u8
    }
}

/// Only `i64`, like [`SslVersion`](super::SslVersion): one integer impl keeps `try_from(1)`
/// unambiguous.
impl TryFrom<i64> for ErrorReporting {
    type Error = ValueError;

    /// The mode with this `<n>` of `AT+CMEE`.
    fn try_from(n: i64) -> Result<Self, ValueError> {
        usize::try_from(n)
            .ok()
            .and_then(|i| ErrorReporting::ALL.get(i).copied())
            .ok_or_else(|| ValueError::new(format!("CMEE mode {n} is not 0, 1 or 2")))
    }
}

/// `AT+CMEE=<n>`.
pub fn set_error_reporting(mode: ErrorReporting) -> Command {
    Command::new(format!("+CMEE={}", mode.value()))
}

/// `ATE1` (echo on) or `ATE0` (off). The session recognises echo either way; off saves a few
/// bytes per command.
pub fn set_echo(on: bool) -> Command {
    Command::new(if on { "E1" } else { "E0" })
}

/// `ATI`; its lines have no `+` prefix, so the command claims bare lines. Read the answer with
/// [`parse_identification`].
pub fn identification_query() -> Command {
    Command::new("I").bare_lines()
}

/// The answer to `ATI`: the module's identification lines as it printed them (free text, so
/// there is nothing to refuse).
pub fn parse_identification(r: &Response) -> Vec<String> {
    r.to_lines()
}

/// `AT+COPS?`; read the answer with [`parse_operator`].
pub fn operator_query() -> Command {
    Command::new(format!("{COPS}?")).expects(COPS)
}

/// The answer to `AT+COPS?`: the operator line's parameters as text, e.g.
/// `0,0,"CHINA MOBILE",7`.
pub fn parse_operator(r: &Response) -> Result<String, ValueError> {
    one_line(r, COPS).map(str::to_owned)
}

/// `AT+GTSET="IPRFMT",<n>`: how the module delivers received socket data. On `OK` the session's
/// framer switches to `format` before it reads another byte, since the next `+MIPRTCP` may
/// already be in the new format.
pub fn set_receive_format(format: ReceiveFormat) -> Command {
    Command::new(format!("+GTSET=\"IPRFMT\",{}", format.iprfmt())).switches_format(format)
}

/// The receive format with this `<n>` of `AT+GTSET="IPRFMT",<n>`: 0 (hex), 1 (raw to the line's
/// end), 2 (raw by length) or 5 (read mode), the four the field uses.
pub fn receive_format_from_iprfmt(n: i64) -> Result<ReceiveFormat, ValueError> {
    ReceiveFormat::ALL
        .into_iter()
        .find(|f| i64::from(f.iprfmt()) == n)
        .ok_or_else(|| ValueError::new(format!("IPRFMT {n} is not 0, 1, 2 or 5")))
}

#[cfg(test)]
mod tests {
    use super::super::tests::resp;
    use super::*;

    #[test]
    fn tables_round_trip() {
        for m in ErrorReporting::ALL {
            assert_eq!(ErrorReporting::try_from(i64::from(m.value())), Ok(m));
        }
        assert!(ErrorReporting::try_from(3).is_err());
        assert!(ErrorReporting::try_from(-1).is_err());
        assert_eq!(receive_format_from_iprfmt(0), Ok(ReceiveFormat::Hex));
        assert_eq!(receive_format_from_iprfmt(2), Ok(ReceiveFormat::Raw));
        assert_eq!(receive_format_from_iprfmt(1), Ok(ReceiveFormat::RawLine));
        assert_eq!(receive_format_from_iprfmt(5), Ok(ReceiveFormat::Read));
        for n in [3, 4, 6, -1, i64::MAX] {
            assert!(receive_format_from_iprfmt(n).is_err(), "{n}");
        }
    }

    #[test]
    fn builds() {
        assert_eq!(
            set_error_reporting(ErrorReporting::Verbose).line(),
            "AT+CMEE=2"
        );
        assert_eq!(set_echo(false).line(), "ATE0");
        assert_eq!(set_echo(true).line(), "ATE1");
        let i = identification_query();
        assert_eq!(i.line(), "ATI");
        assert!(i.bare_lines);
        assert_eq!(operator_query().line(), "AT+COPS?");
        let f = set_receive_format(ReceiveFormat::Raw);
        assert_eq!(f.line(), "AT+GTSET=\"IPRFMT\",2");
        assert_eq!(f.on_ok_format, Some(ReceiveFormat::Raw));
    }

    #[test]
    fn parses() {
        let lines = ["Fibocom", "L610", "é\u{0}"];
        assert_eq!(parse_identification(&resp(&lines)), lines.to_vec());
        assert_eq!(
            parse_operator(&resp(&["+COPS: 0,0,\"CHINA MOBILE\",7"])).as_deref(),
            Ok("0,0,\"CHINA MOBILE\",7")
        );
        assert!(parse_operator(&resp(&[])).is_err());
        assert!(parse_operator(&resp(&["+COPS: 0", "+COPS: 1"])).is_err());
        assert_eq!(parse_identification(&resp(&[])), Vec::<String>::new());
    }
}
