//! The field basics (issue 9: SIM, registration, signal, operator, identity, DNS, ping) as the
//! value types of `l610._types`. Only translation: the commands and their parsing are the core's.

use l610::{
    CellLocation, Identity, Operator, PingReport, Registration, RegistrationDomain,
    RegistrationReporting, RegistrationStatus, SignalQuality, SimStatus,
};
use pyo3::prelude::*;

use crate::errors::to_pyerr;
use crate::modem::typed;

fn invalid(py: Python<'_>, why: String) -> PyErr {
    to_pyerr(py, l610::Error::InvalidArgument(why))
}

/// `"CS"`, `"GPRS"`, `"EPS"` (the `l610.RegistrationDomain` values) to the core's domain.
pub(crate) fn domain(py: Python<'_>, obj: &Bound<'_, PyAny>) -> PyResult<RegistrationDomain> {
    let name: String = match obj.getattr("value") {
        Ok(v) => v.extract()?,
        Err(_) => obj.extract()?,
    };
    match name.to_ascii_uppercase().trim_start_matches('+') {
        "CS" | "CREG" => Ok(RegistrationDomain::Cs),
        "GPRS" | "CGREG" => Ok(RegistrationDomain::Gprs),
        "EPS" | "CEREG" => Ok(RegistrationDomain::Eps),
        _ => Err(invalid(
            py,
            format!("registration domain {name:?} is not CS, GPRS or EPS"),
        )),
    }
}

pub(crate) fn domain_to_py<'py>(
    py: Python<'py>,
    d: RegistrationDomain,
) -> PyResult<Bound<'py, PyAny>> {
    let v = match d {
        RegistrationDomain::Cs => "CS",
        RegistrationDomain::Gprs => "GPRS",
        RegistrationDomain::Eps => "EPS",
    };
    typed(py, "RegistrationDomain", (v,))
}

pub(crate) fn reporting(py: Python<'_>, mode: u8) -> PyResult<RegistrationReporting> {
    match mode {
        0 => Ok(RegistrationReporting::Off),
        1 => Ok(RegistrationReporting::Status),
        2 => Ok(RegistrationReporting::Location),
        n => Err(invalid(
            py,
            format!("registration reporting {n} is not 0 (off), 1 (status) or 2 (location)"),
        )),
    }
}

/// A `RegistrationStatus` member, or the plain int for a code 27.007 adds later.
pub(crate) fn status_to_py(py: Python<'_>, s: RegistrationStatus) -> PyResult<Bound<'_, PyAny>> {
    py.import("l610._types")?
        .getattr("_registration_status")?
        .call1((s.code(),))
}

pub(crate) fn location_to_py(
    py: Python<'_>,
    l: Option<CellLocation>,
) -> PyResult<Option<Bound<'_, PyAny>>> {
    l.map(|l| typed(py, "CellLocation", (l.area, l.cell, l.act)))
        .transpose()
}

pub(crate) fn sim_to_py(py: Python<'_>, s: SimStatus) -> PyResult<Bound<'_, PyAny>> {
    let ready = s.is_ready();
    let code = match s {
        SimStatus::Ready => "READY".to_owned(),
        SimStatus::Other(code) => code,
    };
    typed(py, "SimStatus", (code, ready))
}

pub(crate) fn registration_to_py(py: Python<'_>, r: Registration) -> PyResult<Bound<'_, PyAny>> {
    let status = status_to_py(py, r.status)?;
    let location = location_to_py(py, r.location)?;
    typed(py, "Registration", (r.reporting, status, location))
}

pub(crate) fn signal_to_py(py: Python<'_>, s: SignalQuality) -> PyResult<Bound<'_, PyAny>> {
    typed(py, "SignalQuality", (s.rssi, s.ber))
}

pub(crate) fn operator_to_py(py: Python<'_>, o: Operator) -> PyResult<Bound<'_, PyAny>> {
    typed(py, "Operator", (o.mode, o.format, o.name, o.act))
}

pub(crate) fn identity_to_py(py: Python<'_>, i: Identity) -> PyResult<Bound<'_, PyAny>> {
    typed(
        py,
        "Identity",
        (i.manufacturer, i.model, i.firmware, i.imei, i.imsi, i.iccid),
    )
}

pub(crate) fn addrs_to_py(
    py: Python<'_>,
    addrs: Vec<std::net::IpAddr>,
) -> PyResult<Vec<Bound<'_, PyAny>>> {
    let ip_address = py.import("ipaddress")?.getattr("ip_address")?;
    addrs
        .into_iter()
        .map(|a| ip_address.call1((a.to_string(),)))
        .collect()
}

pub(crate) fn ping_to_py(py: Python<'_>, r: PingReport) -> PyResult<Bound<'_, PyAny>> {
    let replies: Vec<f64> = r.replies.iter().map(|d| d.as_secs_f64()).collect();
    typed(
        py,
        "PingReport",
        (
            r.ip,
            r.sent,
            r.received,
            replies,
            r.average.map(|d| d.as_secs_f64()),
        ),
    )
}
