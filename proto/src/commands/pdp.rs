//! `+MIPCALL`: the PDP context (the module's IP connection) that sockets need.
//!
//! Activation and deactivation answer `OK` and report the result later as a URC (`+MIPCALL: <ip>`
//! or `+MIPCALL: 0`), so their commands claim no response lines: the session delivers those as
//! events. Only the read form `AT+MIPCALL?` has an answer, and it shares the prefix with that URC.

use alloc::borrow::ToOwned;
use alloc::format;
use alloc::string::String;
use core::fmt;

use super::{bad_answer, one_line};
use crate::params::{quoted, split, unquote};
use crate::{Command, Response, ValueError};

const MIPCALL: &str = "+MIPCALL";

/// The state `AT+MIPCALL?` reports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PdpStatus {
    /// `+MIPCALL: 0`.
    Inactive,
    /// `+MIPCALL: 1,<ip>`.
    Active(String),
    /// `+MIPCALL: 2`: activation in progress.
    Busy,
}

/// APN and credentials for `AT+MIPCALL=1,...`.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct PdpConfig {
    /// Access point name; `None` uses the module's default.
    pub apn: Option<String>,
    /// User name and password, if the APN needs them.
    pub credentials: Option<(String, String)>,
}

/// Never shows the password: configs get logged.
impl fmt::Debug for PdpConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PdpConfig")
            .field("apn", &self.apn)
            .field(
                "credentials",
                &self
                    .credentials
                    .as_ref()
                    .map(|(user, _)| (user, "<password redacted>")),
            )
            .finish()
    }
}

/// `AT+MIPCALL=1[,"<apn>"[,"<user>","<pwd>"]]`: activate the PDP context. The module answers
/// `OK` and reports the address later as the URC `+MIPCALL: <ip>` (or `+MIPCALL: 0` on
/// failure). The manual's drivers wait 30–150 s for it: drivers set a
/// [`timeout`](Command::timeout) on the command and wait for the URC separately.
///
/// Refuses credentials without an APN, and any value with quotes, control characters or
/// non-ASCII (see [`quoted`]), naming the field but never the password.
pub fn activate_pdp(config: &PdpConfig) -> Result<Command, ValueError> {
    let mut body = format!("{MIPCALL}=1");
    match (&config.apn, &config.credentials) {
        (Some(apn), creds) => {
            body.push(',');
            body.push_str(&quoted("APN", apn)?);
            if let Some((user, pwd)) = creds {
                body.push(',');
                body.push_str(&quoted("user", user)?);
                body.push(',');
                // `AT` + the body so far: the password starts here, and is never shown.
                let secret_at = 2 + body.len();
                body.push_str(&quoted("password", pwd)?);
                return Ok(Command::new(body).secret_from(secret_at));
            }
        }
        (None, Some(_)) => return Err(ValueError::new("credentials need an APN")),
        (None, None) => {}
    }
    Ok(Command::new(body))
}

/// `AT+MIPCALL=0`: deactivate the PDP context. The module answers `OK` and the URC
/// `+MIPCALL: 0` (one driver saw the URC before the `OK`).
pub fn deactivate_pdp() -> Command {
    Command::new(format!("{MIPCALL}=0"))
}

/// `AT+MIPCALL?`; read the answer with [`parse_pdp_status`]. Only a line that
/// [`is_pdp_status`] accepts is its answer; `+MIPCALL: 10.1.2.3` arriving meanwhile stays a URC.
pub fn pdp_status_query() -> Command {
    Command::new(format!("{MIPCALL}?"))
        .expects(MIPCALL)
        .response_shape(is_pdp_status, 1)
}

/// An address as the module prints it: IPv4 or IPv6 characters only, at most 45 of them (the
/// longest IPv6 text), with a `.` or `:` in it, so that no other value passes for one.
fn is_address(s: &str) -> bool {
    (1..=45).contains(&s.len())
        && s.bytes()
            .all(|b| b.is_ascii_hexdigit() || b == b'.' || b == b':')
        && s.bytes().any(|b| b == b'.' || b == b':')
}

fn status(params: &str) -> Option<PdpStatus> {
    match split(params).as_slice() {
        ["0"] => Some(PdpStatus::Inactive),
        ["2"] => Some(PdpStatus::Busy),
        ["1", ip] => {
            let ip = unquote(ip);
            is_address(ip).then(|| PdpStatus::Active(ip.to_owned()))
        }
        _ => None,
    }
}

/// Whether `+MIPCALL:` parameters are an answer to `AT+MIPCALL?` (`0`, `2` or `1,<ip>`) rather
/// than the activation URC (`+MIPCALL: <ip>`). The shape function of [`pdp_status_query`].
///
/// The deactivation URC `+MIPCALL: 0` has the same shape as the answer `0`; taken as the answer
/// it says the same thing.
pub fn is_pdp_status(params: &str) -> bool {
    status(params).is_some()
}

/// The answer to `AT+MIPCALL?`: `+MIPCALL: 0`, `+MIPCALL: 1,<ip>` or `+MIPCALL: 2`.
pub fn parse_pdp_status(r: &Response) -> Result<PdpStatus, ValueError> {
    let params = one_line(r, MIPCALL)?;
    status(params).ok_or_else(|| bad_answer(MIPCALL, params, "is not 0, 2 or 1,<ip>"))
}

#[cfg(test)]
mod tests {
    use super::super::tests::resp;
    use super::*;

    #[test]
    fn activation_bodies() {
        let cfg = |apn: Option<&str>, creds: Option<(&str, &str)>| PdpConfig {
            apn: apn.map(Into::into),
            credentials: creds.map(|(u, p)| (u.into(), p.into())),
        };
        assert_eq!(
            activate_pdp(&cfg(None, None)).unwrap().line(),
            "AT+MIPCALL=1"
        );
        assert_eq!(
            activate_pdp(&cfg(Some("CMNET"), None)).unwrap().line(),
            "AT+MIPCALL=1,\"CMNET\""
        );
        assert_eq!(
            activate_pdp(&cfg(Some("CMNET"), Some(("u", "p"))))
                .unwrap()
                .line(),
            "AT+MIPCALL=1,\"CMNET\",\"u\",\"p\""
        );
        assert!(activate_pdp(&cfg(None, Some(("u", "p")))).is_err());
        assert!(activate_pdp(&cfg(Some("cmnet\"\rAT+CFUN=1,1"), None)).is_err());
        let e = activate_pdp(&cfg(Some("a"), Some(("u", "sec\"ret")))).unwrap_err();
        assert!(!e.0.contains("sec"), "{e}");
        assert_eq!(deactivate_pdp().line(), "AT+MIPCALL=0");
        assert_eq!(pdp_status_query().line(), "AT+MIPCALL?");
    }

    #[test]
    fn debug_hides_the_password() {
        let c = PdpConfig {
            apn: Some("CMNET".into()),
            credentials: Some(("user".into(), "hunter2".into())),
        };
        let d = format!("{c:?}");
        assert!(
            d.contains("CMNET") && d.contains("user") && !d.contains("hunter2"),
            "{d}"
        );
    }

    #[test]
    fn status_shapes() {
        for answer in ["0", "2", "1,10.109.197.168", "1,\"10.0.0.1\"", "1, fe80::1"] {
            assert!(is_pdp_status(answer), "{answer:?}");
        }
        // The activation URC and everything else the module might print under +MIPCALL.
        for urc in [
            "10.109.197.168",
            "1",
            "3",
            "1,",
            "1,x",
            "1,1",
            "0,1",
            "2,10.0.0.1",
            "",
            "1,10.0.0.1,5",
            "1,١٠.0.0.1",
        ] {
            assert!(!is_pdp_status(urc), "{urc:?}");
        }
        let long = format!("1,{}", "1.".repeat(40));
        assert!(!is_pdp_status(&long));
    }

    #[test]
    fn parses_status() {
        assert_eq!(
            parse_pdp_status(&resp(&["+MIPCALL: 0"])),
            Ok(PdpStatus::Inactive)
        );
        assert_eq!(
            parse_pdp_status(&resp(&["+MIPCALL: 2"])),
            Ok(PdpStatus::Busy)
        );
        assert_eq!(
            parse_pdp_status(&resp(&["+MIPCALL: 1,10.109.197.168"])),
            Ok(PdpStatus::Active("10.109.197.168".into()))
        );
        for lines in [
            &[][..],
            &["+MIPCALL: "],
            &["+MIPCALL: 10.109.197.168"],
            &["+MIPCALL: 1"],
            &["+MIPCALL: 99999999999999999999"],
            &["+MIPCALL: 0", "+MIPCALL: 2"],
            &["+MIPCALL: é"],
        ] {
            assert!(parse_pdp_status(&resp(lines)).is_err(), "{lines:?}");
        }
    }
}
