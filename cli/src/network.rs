//! The field basics `l610 info` and `l610 diagnose` show: identity, SIM, registration, signal,
//! operator, each read with the driver's typed calls and kept as a value or as the error that
//! the module gave (a screen with one unreadable field is still worth showing).

use l610::{Modem, RegistrationDomain, SimStatus};
use serde::Serialize;

/// A field: its value, or why it could not be read.
#[derive(Debug, Serialize)]
#[serde(untagged)]
pub enum Field<T> {
    /// Read.
    Value(T),
    /// Not read: the error's text.
    Error {
        /// What went wrong.
        error: String,
    },
}

impl<T> Field<T> {
    /// From a driver result.
    pub fn from(r: l610::Result<T>) -> Self {
        match r {
            Ok(v) => Field::Value(v),
            Err(e) => Field::Error {
                error: e.to_string(),
            },
        }
    }

    /// The value, if read.
    pub fn value(&self) -> Option<&T> {
        match self {
            Field::Value(v) => Some(v),
            Field::Error { .. } => None,
        }
    }

    /// The value shown, or `? (error)`.
    pub fn show(&self, f: impl FnOnce(&T) -> String) -> String {
        match self {
            Field::Value(v) => f(v),
            Field::Error { error } => format!("? ({error})"),
        }
    }
}

/// `AT+CGMI`, `+CGMM`, `+CGMR`, `+CGSN`, `+CIMI`, `+CCID`.
#[derive(Debug, Serialize)]
pub struct Identity {
    /// Manufacturer.
    pub manufacturer: String,
    /// Model.
    pub model: String,
    /// Firmware revision.
    pub firmware: String,
    /// IMEI.
    pub imei: String,
    /// IMSI (the SIM's), when the SIM answers.
    pub imsi: Option<String>,
    /// ICCID (the SIM card's number), when the SIM answers.
    pub iccid: Option<String>,
}

/// `AT+CPIN?`.
#[derive(Debug, Serialize)]
pub struct Sim {
    /// `READY` means usable.
    pub ready: bool,
    /// The status word (`READY`, `SIM PIN`, ...).
    pub status: String,
}

/// `AT+CxREG?` for one domain.
#[derive(Debug, Serialize)]
pub struct Registration {
    /// `eps` (LTE), `gprs` (packet), `cs` (circuit).
    pub domain: &'static str,
    /// Registered (home or roaming).
    pub registered: bool,
    /// `<stat>`.
    pub code: u8,
    /// In words.
    pub status: String,
    /// Tracking/location area code, when reported.
    pub area: Option<String>,
    /// Cell id, when reported.
    pub cell: Option<String>,
}

/// `AT+CSQ`.
#[derive(Debug, Serialize)]
pub struct Signal {
    /// `<rssi>` 0-31, 99 unknown.
    pub rssi: u8,
    /// `<ber>`.
    pub ber: u8,
    /// The RSSI in dBm, unless unknown.
    pub dbm: Option<i32>,
}

/// `AT+COPS?`.
#[derive(Debug, Serialize)]
pub struct Operator {
    /// The operator's name, when registered.
    pub name: Option<String>,
    /// Access technology (7 is LTE).
    pub act: Option<u8>,
    /// Selection mode (0 automatic).
    pub mode: u8,
}

/// Everything about the network side.
#[derive(Debug, Serialize)]
pub struct Network {
    /// Identity and firmware.
    pub identity: Field<Identity>,
    /// The SIM.
    pub sim: Field<Sim>,
    /// Registration, LTE (EPS) first.
    pub registration: Vec<Field<Registration>>,
    /// Signal.
    pub signal: Field<Signal>,
    /// Operator.
    pub operator: Field<Operator>,
}

/// Read the SIM.
pub fn sim(m: &Modem) -> Field<Sim> {
    Field::from(m.sim_status().map(|s| match s {
        SimStatus::Ready => Sim {
            ready: true,
            status: "READY".into(),
        },
        SimStatus::Other(w) => Sim {
            ready: false,
            status: w,
        },
    }))
}

/// Read one registration domain.
pub fn registration(m: &Modem, domain: RegistrationDomain) -> Field<Registration> {
    let name = match domain {
        RegistrationDomain::Eps => "eps",
        RegistrationDomain::Gprs => "gprs",
        _ => "cs",
    };
    Field::from(m.registration(domain).map(|r| Registration {
        domain: name,
        registered: r.status.is_registered(),
        code: r.status.code(),
        status: format!("{:?}", r.status).to_lowercase(),
        area: r.location.as_ref().map(|l| l.area.clone()),
        cell: r.location.as_ref().map(|l| l.cell.clone()),
    }))
}

/// Read the signal.
pub fn signal(m: &Modem) -> Field<Signal> {
    Field::from(m.signal_quality().map(|s| Signal {
        rssi: s.rssi,
        ber: s.ber,
        dbm: s.dbm(),
    }))
}

/// Read everything.
pub fn gather(m: &Modem) -> Network {
    Network {
        identity: Field::from(m.identity().map(|i| Identity {
            manufacturer: i.manufacturer,
            model: i.model,
            firmware: i.firmware,
            imei: i.imei,
            imsi: i.imsi,
            iccid: i.iccid,
        })),
        sim: sim(m),
        registration: [RegistrationDomain::Eps, RegistrationDomain::Gprs]
            .into_iter()
            .map(|d| registration(m, d))
            .collect(),
        signal: signal(m),
        operator: Field::from(m.operator_info().map(|o| Operator {
            name: o.name,
            act: o.act,
            mode: o.mode,
        })),
    }
}
