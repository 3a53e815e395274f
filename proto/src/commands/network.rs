//! The network basics every field client checks before it opens a socket (AT-REFERENCE.md §6):
//! SIM (`AT+CPIN?`), registration in the three domains (`+CREG`, `+CGREG`, `+CEREG`) with their
//! URC modes, signal (`AT+CSQ`), operator (`AT+COPS?`), packet attach (`AT+CGATT?`) and radio
//! functionality (`AT+CFUN?`).

use alloc::borrow::ToOwned;
use alloc::format;
use alloc::string::String;

use super::{bad_answer, decimal, one_int, one_line};
use crate::params::{split, unquote};
use crate::{Command, Response, ValueError};

const CPIN: &str = "+CPIN";
const CSQ: &str = "+CSQ";
const COPS: &str = "+COPS";
const CGATT: &str = "+CGATT";
const CFUN: &str = "+CFUN";

/// `+CPIN: <code>`: whether the SIM is usable.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum SimStatus {
    /// `READY`: no PIN needed (or it was entered).
    Ready,
    /// Anything else the module reports (`SIM PIN`, `SIM PUK`, `NOT INSERTED`, ...), as sent.
    Other(String),
}

impl SimStatus {
    /// Whether the SIM can be used.
    pub fn is_ready(&self) -> bool {
        *self == SimStatus::Ready
    }
}

/// `AT+CPIN?`; read the answer with [`parse_sim_status`].
pub fn sim_status_query() -> Command {
    Command::new(format!("{CPIN}?")).expects(CPIN)
}

/// The answer to `AT+CPIN?`.
pub fn parse_sim_status(r: &Response) -> Result<SimStatus, ValueError> {
    let code = unquote(one_line(r, CPIN)?).trim();
    if code.is_empty() {
        return Err(bad_answer(CPIN, code, "is empty"));
    }
    Ok(if code.eq_ignore_ascii_case("READY") {
        SimStatus::Ready
    } else {
        SimStatus::Other(code.to_owned())
    })
}

/// Which registration: circuit-switched (`+CREG`), GPRS packet (`+CGREG`) or EPS/LTE (`+CEREG`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RegistrationDomain {
    /// `+CREG`.
    Cs,
    /// `+CGREG`.
    Gprs,
    /// `+CEREG` (the one an LTE Cat 1 module like the L610 registers on).
    Eps,
}

impl RegistrationDomain {
    /// All three, in the order clients check them.
    pub const ALL: [RegistrationDomain; 3] = [
        RegistrationDomain::Cs,
        RegistrationDomain::Gprs,
        RegistrationDomain::Eps,
    ];

    /// The command's prefix: `+CREG`, `+CGREG` or `+CEREG`.
    pub fn prefix(self) -> &'static str {
        match self {
            RegistrationDomain::Cs => "+CREG",
            RegistrationDomain::Gprs => "+CGREG",
            RegistrationDomain::Eps => "+CEREG",
        }
    }

    /// The domain of a `+CREG`/`+CGREG`/`+CEREG` prefix.
    pub fn from_prefix(prefix: &str) -> Option<RegistrationDomain> {
        Self::ALL
            .into_iter()
            .find(|d| d.prefix().eq_ignore_ascii_case(prefix.trim()))
    }
}

/// `<stat>` of `+CREG` and friends (3GPP TS 27.007).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RegistrationStatus {
    /// 0: not registered, not searching.
    NotRegistered,
    /// 1: registered, home network.
    Home,
    /// 2: not registered, searching.
    Searching,
    /// 3: registration denied.
    Denied,
    /// 4: unknown (e.g. out of coverage).
    Unknown,
    /// 5: registered, roaming.
    Roaming,
    /// Any other value, as sent (SMS-only and emergency states).
    Other(u8),
}

impl RegistrationStatus {
    /// The status with this `<stat>`.
    pub fn from_code(code: u8) -> Self {
        match code {
            0 => RegistrationStatus::NotRegistered,
            1 => RegistrationStatus::Home,
            2 => RegistrationStatus::Searching,
            3 => RegistrationStatus::Denied,
            4 => RegistrationStatus::Unknown,
            5 => RegistrationStatus::Roaming,
            n => RegistrationStatus::Other(n),
        }
    }

    /// The `<stat>` number.
    pub fn code(self) -> u8 {
        match self {
            RegistrationStatus::NotRegistered => 0,
            RegistrationStatus::Home => 1,
            RegistrationStatus::Searching => 2,
            RegistrationStatus::Denied => 3,
            RegistrationStatus::Unknown => 4,
            RegistrationStatus::Roaming => 5,
            RegistrationStatus::Other(n) => n,
        }
    }

    /// Registered, at home or roaming: what clients wait for before `AT+MIPCALL`.
    pub fn is_registered(self) -> bool {
        matches!(self, RegistrationStatus::Home | RegistrationStatus::Roaming)
    }

    /// In words.
    pub fn describe(self) -> &'static str {
        match self {
            RegistrationStatus::NotRegistered => "not registered, not searching",
            RegistrationStatus::Home => "registered, home network",
            RegistrationStatus::Searching => "not registered, searching",
            RegistrationStatus::Denied => "registration denied",
            RegistrationStatus::Unknown => "unknown (out of coverage?)",
            RegistrationStatus::Roaming => "registered, roaming",
            RegistrationStatus::Other(_) => "other registration state",
        }
    }
}

/// Where the module is registered, in reporting mode 2: `"<lac|tac>","<ci>"[,<AcT>]`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CellLocation {
    /// Location (2G/3G) or tracking (LTE) area code, hex as sent.
    pub area: String,
    /// Cell id, hex as sent.
    pub cell: String,
    /// Access technology (7 = LTE), when sent.
    pub act: Option<u8>,
}

/// The answer to `AT+CREG?` (and `+CGREG?`, `+CEREG?`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Registration {
    /// The URC mode `<n>` in force (see [`RegistrationReporting`]).
    pub reporting: u8,
    /// `<stat>`.
    pub status: RegistrationStatus,
    /// The cell, when the mode reports it and the module is registered.
    pub location: Option<CellLocation>,
}

/// `AT+CREG=<n>`: which registration URCs the module sends.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[repr(u8)]
pub enum RegistrationReporting {
    /// 0: none.
    Off = 0,
    /// 1: `+CREG: <stat>` on every change.
    Status = 1,
    /// 2: `+CREG: <stat>[,"<lac>","<ci>",<AcT>]`, also when the cell changes.
    Location = 2,
}

/// `AT+CREG?`, `AT+CGREG?` or `AT+CEREG?`; read the answer with [`parse_registration`].
///
/// Only an answer of the read form's shape (`<n>,<stat>...`: the second field unquoted) is the
/// response; a registration URC arriving meanwhile (`+CREG: 1`, `+CREG: 1,"5A1F",...`) stays a
/// URC.
pub fn registration_query(domain: RegistrationDomain) -> Command {
    Command::new(format!("{}?", domain.prefix()))
        .expects(domain.prefix())
        .response_shape(is_registration_read, 1)
}

/// `<n>,<stat>[,...]` with both numbers: the read answer, never a URC.
fn is_registration_read(params: &str) -> bool {
    let p = split(params);
    p.len() >= 2 && decimal(p[0]).is_some() && decimal(p[1]).is_some()
}

/// `AT+CREG=<n>` (or `+CGREG`, `+CEREG`).
pub fn set_registration_reporting(
    domain: RegistrationDomain,
    mode: RegistrationReporting,
) -> Command {
    Command::new(format!("{}={}", domain.prefix(), mode as u8))
}

fn small(prefix: &str, params: &str, field: &str) -> Result<u8, ValueError> {
    decimal(field)
        .and_then(|n| u8::try_from(n).ok())
        .ok_or_else(|| bad_answer(prefix, params, "has a field that is not a small number"))
}

/// `"<area>","<cell>"[,<act>]` from these fields, if present.
fn location(prefix: &str, params: &str, rest: &[&str]) -> Result<Option<CellLocation>, ValueError> {
    match rest {
        [] => Ok(None),
        [area, cell, more @ ..] => {
            let act = match more.first() {
                Some(a) if !a.trim().is_empty() => Some(small(prefix, params, a)?),
                _ => None,
            };
            Ok(Some(CellLocation {
                area: unquote(area).to_owned(),
                cell: unquote(cell).to_owned(),
                act,
            }))
        }
        [_] => Err(bad_answer(prefix, params, "has an area without a cell")),
    }
}

/// The answer to [`registration_query`].
pub fn parse_registration(
    r: &Response,
    domain: RegistrationDomain,
) -> Result<Registration, ValueError> {
    let prefix = domain.prefix();
    let params = one_line(r, prefix)?;
    let p = split(params);
    if p.len() < 2 {
        return Err(bad_answer(prefix, params, "is not <n>,<stat>"));
    }
    Ok(Registration {
        reporting: small(prefix, params, p[0])?,
        status: RegistrationStatus::from_code(small(prefix, params, p[1])?),
        location: location(prefix, params, &p[2..])?,
    })
}

/// A registration URC's parameters (`<stat>[,"<area>","<cell>"[,<act>]]`), or `None` when they
/// are not of that shape.
pub fn parse_registration_urc(params: &str) -> Option<(RegistrationStatus, Option<CellLocation>)> {
    let p = split(params);
    let (stat, rest) = p.split_first()?;
    let stat = u8::try_from(decimal(stat)?).ok()?;
    if rest.first().is_some_and(|f| decimal(f).is_some()) {
        // `<n>,<stat>`: a read answer, not a URC.
        return None;
    }
    let loc = location("", params, rest).ok()?;
    Some((RegistrationStatus::from_code(stat), loc))
}

/// `+CSQ: <rssi>,<ber>`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct SignalQuality {
    /// 0–31 (−113 to −51 dBm), 99 not known.
    pub rssi: u8,
    /// Bit error rate class 0–7, 99 not known.
    pub ber: u8,
}

impl SignalQuality {
    /// The received signal strength in dBm (27.007: `−113 + 2·rssi`), `None` when the module
    /// does not know (99, e.g. not registered).
    pub fn dbm(self) -> Option<i32> {
        (self.rssi <= 31).then(|| -113 + 2 * i32::from(self.rssi))
    }

    /// A word for it: marginal below −100 dBm, ok to −90, good to −80, excellent above.
    pub fn describe(self) -> &'static str {
        match self.dbm() {
            None => "unknown (not registered?)",
            Some(d) if d < -100 => "marginal",
            Some(d) if d < -90 => "ok",
            Some(d) if d < -80 => "good",
            Some(_) => "excellent",
        }
    }
}

/// `AT+CSQ`; read the answer with [`parse_signal_quality`].
pub fn signal_quality_query() -> Command {
    Command::new(CSQ).expects(CSQ)
}

/// The answer to `AT+CSQ` (or `AT+CSQ?`).
pub fn parse_signal_quality(r: &Response) -> Result<SignalQuality, ValueError> {
    let params = one_line(r, CSQ)?;
    match split(params).as_slice() {
        [rssi, ber] => {
            let rssi = small(CSQ, params, rssi)?;
            let ber = small(CSQ, params, ber)?;
            if (rssi > 31 && rssi != 99) || (ber > 7 && ber != 99) {
                return Err(bad_answer(CSQ, params, "is out of range"));
            }
            Ok(SignalQuality { rssi, ber })
        }
        _ => Err(bad_answer(CSQ, params, "is not <rssi>,<ber>")),
    }
}

/// The answer to `AT+COPS?`: `<mode>[,<format>,"<oper>"[,<AcT>]]`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Operator {
    /// 0 automatic, 1 manual, 2 deregistered, 4 manual/automatic.
    pub mode: u8,
    /// 0 long name, 1 short name, 2 numeric (MCC MNC), when an operator is shown.
    pub format: Option<u8>,
    /// The operator, when registered.
    pub name: Option<String>,
    /// Access technology (7 = LTE).
    pub act: Option<u8>,
}

/// The answer to [`operator_query`](super::operator_query), typed.
pub fn parse_operator_info(r: &Response) -> Result<Operator, ValueError> {
    let params = one_line(r, COPS)?;
    let p = split(params);
    let Some((mode, rest)) = p.split_first() else {
        return Err(bad_answer(COPS, params, "is empty"));
    };
    let opt = |f: Option<&&str>| -> Result<Option<u8>, ValueError> {
        match f {
            Some(f) if !f.trim().is_empty() => small(COPS, params, f).map(Some),
            _ => Ok(None),
        }
    };
    Ok(Operator {
        mode: small(COPS, params, mode)?,
        format: opt(rest.first())?,
        name: rest.get(1).map(|n| unquote(n).to_owned()),
        act: opt(rest.get(2))?,
    })
}

/// `AT+CGATT?`; read the answer with [`parse_attached`].
pub fn attach_query() -> Command {
    Command::new(format!("{CGATT}?")).expects(CGATT)
}

/// The answer to `AT+CGATT?`: attached to the packet domain.
pub fn parse_attached(r: &Response) -> Result<bool, ValueError> {
    match one_int(r, CGATT)? {
        0 => Ok(false),
        1 => Ok(true),
        n => Err(ValueError::new(format!("{CGATT}: {n} is not 0 or 1"))),
    }
}

/// `AT+CFUN?`; read the answer with [`parse_functionality`].
pub fn functionality_query() -> Command {
    Command::new(format!("{CFUN}?")).expects(CFUN)
}

/// The answer to `AT+CFUN?`: 1 full functionality, 0 minimum, 4 radio off.
pub fn parse_functionality(r: &Response) -> Result<u8, ValueError> {
    let n = one_int(r, CFUN)?;
    u8::try_from(n).map_err(|_| ValueError::new(format!("{CFUN}: {n} is out of range")))
}

#[cfg(test)]
mod tests {
    use super::super::tests::resp;
    use super::*;
    use crate::params::split;

    #[test]
    fn sim() {
        assert_eq!(sim_status_query().line(), "AT+CPIN?");
        assert_eq!(
            parse_sim_status(&resp(&["+CPIN: READY"])),
            Ok(SimStatus::Ready)
        );
        assert_eq!(
            parse_sim_status(&resp(&["+CPIN: SIM PIN"])),
            Ok(SimStatus::Other("SIM PIN".into()))
        );
        assert!(parse_sim_status(&resp(&["+CPIN: "])).is_err());
        assert!(parse_sim_status(&resp(&[])).is_err());
    }

    #[test]
    fn registration() {
        let q = registration_query(RegistrationDomain::Eps);
        assert_eq!(q.line(), "AT+CEREG?");
        assert_eq!(
            parse_registration(&resp(&["+CEREG: 0,1"]), RegistrationDomain::Eps),
            Ok(Registration {
                reporting: 0,
                status: RegistrationStatus::Home,
                location: None
            })
        );
        let r = parse_registration(
            &resp(&["+CREG: 2,5,\"5A1F\",\"0B2D4C01\",7"]),
            RegistrationDomain::Cs,
        )
        .unwrap();
        assert_eq!(r.status, RegistrationStatus::Roaming);
        assert!(r.status.is_registered());
        assert_eq!(
            r.location,
            Some(CellLocation {
                area: "5A1F".into(),
                cell: "0B2D4C01".into(),
                act: Some(7)
            })
        );
        for bad in [
            "+CREG: 1",
            "+CREG: x,1",
            "+CREG: 0,1,\"5A1F\"",
            "+CREG: 0,300",
        ] {
            assert!(
                parse_registration(&resp(&[bad]), RegistrationDomain::Cs).is_err(),
                "{bad}"
            );
        }
        assert_eq!(
            set_registration_reporting(RegistrationDomain::Gprs, RegistrationReporting::Location)
                .line(),
            "AT+CGREG=2"
        );
        // The read answer's shape tells it from the URC.
        assert!(is_registration_read("0,1"));
        assert!(!is_registration_read("1"));
        assert!(!is_registration_read("1,\"5A1F\",\"0B2D4C01\",7"));
        assert_eq!(
            parse_registration_urc("1"),
            Some((RegistrationStatus::Home, None))
        );
        assert_eq!(
            parse_registration_urc("5,\"5A1F\",\"0B2D4C01\",7")
                .unwrap()
                .1
                .unwrap()
                .cell,
            "0B2D4C01"
        );
        assert_eq!(parse_registration_urc("0,1"), None);
        assert_eq!(parse_registration_urc("é"), None);
        for d in RegistrationDomain::ALL {
            assert_eq!(RegistrationDomain::from_prefix(d.prefix()), Some(d));
        }
        for n in 0..=255u8 {
            assert_eq!(RegistrationStatus::from_code(n).code(), n);
        }
    }

    #[test]
    fn signal() {
        assert_eq!(signal_quality_query().line(), "AT+CSQ");
        let q = parse_signal_quality(&resp(&["+CSQ: 24,99"])).unwrap();
        assert_eq!(q.dbm(), Some(-65));
        assert_eq!(q.describe(), "excellent");
        let none = parse_signal_quality(&resp(&["+CSQ: 99,99"])).unwrap();
        assert_eq!(none.dbm(), None);
        for bad in [
            "+CSQ: 32,0",
            "+CSQ: 1",
            "+CSQ: 1,8",
            "+CSQ: -1,0",
            "+CSQ: 1,2,3",
        ] {
            assert!(parse_signal_quality(&resp(&[bad])).is_err(), "{bad}");
        }
        assert_eq!(split("18,99").len(), 2);
    }

    #[test]
    fn operator_attach_cfun() {
        assert_eq!(
            parse_operator_info(&resp(&["+COPS: 0,0,\"CHINA MOBILE\",7"])),
            Ok(Operator {
                mode: 0,
                format: Some(0),
                name: Some("CHINA MOBILE".into()),
                act: Some(7)
            })
        );
        assert_eq!(
            parse_operator_info(&resp(&["+COPS: 0"])),
            Ok(Operator {
                mode: 0,
                format: None,
                name: None,
                act: None
            })
        );
        assert!(parse_operator_info(&resp(&["+COPS: x"])).is_err());
        assert_eq!(attach_query().line(), "AT+CGATT?");
        assert_eq!(parse_attached(&resp(&["+CGATT: 1"])), Ok(true));
        assert!(parse_attached(&resp(&["+CGATT: 2"])).is_err());
        assert_eq!(functionality_query().line(), "AT+CFUN?");
        assert_eq!(parse_functionality(&resp(&["+CFUN: 4"])), Ok(4));
        assert!(parse_functionality(&resp(&["+CFUN: 256"])).is_err());
    }
}
