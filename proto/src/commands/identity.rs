//! Who the module is: `AT+CGMI` (manufacturer), `AT+CGMM` (model), `AT+CGMR` (firmware),
//! `AT+CGSN` (IMEI), `AT+CIMI` (IMSI) and `AT+CCID` (ICCID).
//!
//! 3GPP TS 27.007 has the first five answer a bare line (`L610`), and some firmware prefixes it
//! (`+CGMR: ...`); both are read. `+CCID: <iccid>` always has its prefix.

use alloc::borrow::ToOwned;
use alloc::format;
use alloc::string::String;

use super::{bad_answer, shown};
use crate::params::unquote;
use crate::{Command, Response, ValueError};

/// The module's identity, as `Modem::identity` gathers it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Identity {
    /// `AT+CGMI`: `Fibocom`.
    pub manufacturer: String,
    /// `AT+CGMM`: `L610`.
    pub model: String,
    /// `AT+CGMR`: the firmware, e.g. `16000.1208.00.86.02.02`.
    pub firmware: String,
    /// `AT+CGSN`: the IMEI (15 digits).
    pub imei: String,
    /// `AT+CIMI`: the SIM's IMSI; `None` when the SIM does not answer (absent, PIN locked).
    pub imsi: Option<String>,
    /// `AT+CCID`: the SIM card's ICCID; `None` when the SIM does not answer.
    pub iccid: Option<String>,
}

/// The identity queries, each answered by one line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum IdentityItem {
    /// `AT+CGMI`.
    Manufacturer,
    /// `AT+CGMM`.
    Model,
    /// `AT+CGMR`.
    Firmware,
    /// `AT+CGSN`.
    Imei,
    /// `AT+CIMI`.
    Imsi,
    /// `AT+CCID`.
    Iccid,
}

impl IdentityItem {
    /// Every item, in the order `Modem::identity` asks.
    pub const ALL: [IdentityItem; 6] = [
        IdentityItem::Manufacturer,
        IdentityItem::Model,
        IdentityItem::Firmware,
        IdentityItem::Imei,
        IdentityItem::Imsi,
        IdentityItem::Iccid,
    ];

    /// The command's prefix (`+CGMI`, ...).
    pub fn prefix(self) -> &'static str {
        match self {
            IdentityItem::Manufacturer => "+CGMI",
            IdentityItem::Model => "+CGMM",
            IdentityItem::Firmware => "+CGMR",
            IdentityItem::Imei => "+CGSN",
            IdentityItem::Imsi => "+CIMI",
            IdentityItem::Iccid => "+CCID",
        }
    }
}

/// The query for one item; read its answer with [`parse_identity_item`].
pub fn identity_query(item: IdentityItem) -> Command {
    let cmd = Command::new(item.prefix()).expects(item.prefix());
    match item {
        IdentityItem::Iccid => cmd,
        _ => cmd.bare_lines(),
    }
}

/// The answer to [`identity_query`]: its one value, checked for what the item must look like
/// (digits for IMEI, IMSI and ICCID; printable text for the rest).
pub fn parse_identity_item(r: &Response, item: IdentityItem) -> Result<String, ValueError> {
    let prefix = item.prefix();
    let mut values = r.lines().map(|l| {
        let l = l.trim();
        match l.strip_prefix(prefix) {
            Some(rest) => unquote(rest.trim_start().strip_prefix(':').unwrap_or(rest)),
            None => l,
        }
    });
    let value = values
        .find(|v| !v.is_empty())
        .ok_or_else(|| ValueError::new(format!("{prefix}: no answer line")))?;
    let ok = match item {
        IdentityItem::Imei => (14..=16).contains(&value.len()) && digits(value),
        IdentityItem::Imsi => (6..=15).contains(&value.len()) && digits(value),
        // ICCIDs are 19 or 20 digits; some SIMs end with a hex check character.
        IdentityItem::Iccid => {
            (18..=22).contains(&value.len()) && value.bytes().all(|b| b.is_ascii_hexdigit())
        }
        _ => value.len() <= 128 && value.bytes().all(|b| (b' '..=b'~').contains(&b)),
    };
    if !ok {
        return Err(bad_answer(prefix, value, "is not what this query answers"));
    }
    Ok(value.to_owned())
}

fn digits(s: &str) -> bool {
    s.bytes().all(|b| b.is_ascii_digit())
}

/// A short description for error texts (never more than a few dozen characters of module text).
pub fn describe_identity(id: &Identity) -> String {
    format!(
        "{} {} firmware {} IMEI {}",
        shown(&id.manufacturer),
        shown(&id.model),
        shown(&id.firmware),
        id.imei
    )
}

#[cfg(test)]
mod tests {
    use super::super::tests::resp;
    use super::*;

    #[test]
    fn queries() {
        assert_eq!(identity_query(IdentityItem::Imei).line(), "AT+CGSN");
        assert!(identity_query(IdentityItem::Model).bare_lines);
        assert!(!identity_query(IdentityItem::Iccid).bare_lines);
    }

    #[test]
    fn parses_bare_and_prefixed() {
        let p = parse_identity_item;
        assert_eq!(
            p(&resp(&["L610"]), IdentityItem::Model).as_deref(),
            Ok("L610")
        );
        assert_eq!(
            p(
                &resp(&["+CGMR: 16000.1208.00.86.02.02"]),
                IdentityItem::Firmware
            )
            .as_deref(),
            Ok("16000.1208.00.86.02.02")
        );
        assert_eq!(
            p(&resp(&["867959030123458"]), IdentityItem::Imei).as_deref(),
            Ok("867959030123458")
        );
        assert_eq!(
            p(&resp(&["+CGSN: \"867959030123458\""]), IdentityItem::Imei).as_deref(),
            Ok("867959030123458")
        );
        assert_eq!(
            p(&resp(&["+CCID: 89860012345678901234"]), IdentityItem::Iccid).as_deref(),
            Ok("89860012345678901234")
        );
        for (bad, item) in [
            ("86795903012345X", IdentityItem::Imei),
            ("123", IdentityItem::Imsi),
            ("\u{1}", IdentityItem::Model),
            ("é", IdentityItem::Manufacturer),
        ] {
            assert!(p(&resp(&[bad]), item).is_err(), "{bad:?}");
        }
        assert!(p(&resp(&[]), IdentityItem::Model).is_err());
        let long = "x".repeat(10_000);
        let e = p(&resp(&[&long]), IdentityItem::Model).unwrap_err();
        assert!(alloc::string::ToString::to_string(&e).len() < 200);
    }
}
