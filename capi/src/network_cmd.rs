//! The field basics every client checks before it opens a socket (SIM, registration, signal,
//! operator, attach, radio, identity, DNS, ping): their C types, and the thread-free
//! `l610_cmd_*` builders and `l610_parse_*` parsers over the `l610_proto::commands` pairs.
//! Shared with the `no_std` library; the threaded `l610_modem_*` calls are in `network.rs`.

use alloc::borrow::ToOwned;
use alloc::format;
use alloc::vec::Vec;
use core::ffi::c_char;
use core::net::IpAddr;
use core::time::Duration;

use l610_proto::commands::{
    self as cmds, IdentityItem, Operator, PingOptions, Registration, RegistrationDomain,
    RegistrationReporting, SignalQuality, SimStatus,
};

use crate::command::{build, l610_command, l610_response, parse, parse_into, unexpected};
use crate::ffi::*;
use crate::status::l610_status;

/// A registration domain: which of `AT+CREG`, `AT+CGREG`, `AT+CEREG`.
#[repr(u32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum l610_registration_domain {
    /// `+CREG`: circuit switched.
    L610_DOMAIN_CS = 0,
    /// `+CGREG`: GPRS (packet, 2G/3G).
    L610_DOMAIN_GPRS = 1,
    /// `+CEREG`: EPS (LTE; where an L610 registers).
    L610_DOMAIN_EPS = 2,
}

/// `<stat>` of `+CREG` and friends (3GPP TS 27.007). Other numbers (SMS-only, emergency
/// states) are passed on as they are.
#[repr(u32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum l610_registration_status {
    /// 0: not registered, not searching.
    L610_REG_NOT_REGISTERED = 0,
    /// 1: registered, home network.
    L610_REG_HOME = 1,
    /// 2: not registered, searching.
    L610_REG_SEARCHING = 2,
    /// 3: registration denied.
    L610_REG_DENIED = 3,
    /// 4: unknown (out of coverage?).
    L610_REG_UNKNOWN = 4,
    /// 5: registered, roaming.
    L610_REG_ROAMING = 5,
}

/// The answer to `AT+CREG?` (and `+CGREG?`, `+CEREG?`).
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct l610_registration {
    /// The URC mode `<n>` in force (0 off, 1 status, 2 status and cell).
    pub reporting: u8,
    /// `<stat>`: an `l610_registration_status` value, or another number as sent.
    pub status: u32,
    /// Registered, at home or roaming.
    pub registered: bool,
    /// Whether `area`, `cell` (and maybe `act`) are given (mode 2, registered).
    pub has_location: bool,
    /// Location or tracking area code, hex as sent, NUL-terminated.
    pub area: [c_char; 16],
    /// Cell id, hex as sent, NUL-terminated.
    pub cell: [c_char; 16],
    /// Whether `act` is given.
    pub has_act: bool,
    /// Access technology (7 = LTE).
    pub act: u8,
}

/// `+CSQ: <rssi>,<ber>`.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct l610_signal_quality {
    /// 0–31, 99 not known.
    pub rssi: u8,
    /// Bit error rate class 0–7, 99 not known.
    pub ber: u8,
    /// Whether `dbm` is known (`rssi` is not 99).
    pub has_dbm: bool,
    /// Received signal strength: -113 + 2 * rssi dBm.
    pub dbm: i32,
}

/// The answer to `AT+COPS?`; the operator's name goes to a caller buffer.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct l610_operator {
    /// 0 automatic, 1 manual, 2 deregistered, 4 manual/automatic.
    pub mode: u8,
    /// Whether an operator is shown (then `format` and the name are given).
    pub has_name: bool,
    /// 0 long name, 1 short name, 2 numeric (MCC MNC).
    pub format: u8,
    /// Whether `act` is given.
    pub has_act: bool,
    /// Access technology (7 = LTE).
    pub act: u8,
}

/// One identity query.
#[repr(u32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum l610_identity_item {
    /// `AT+CGMI`: `Fibocom`.
    L610_ID_MANUFACTURER = 0,
    /// `AT+CGMM`: `L610`.
    L610_ID_MODEL = 1,
    /// `AT+CGMR`: the firmware.
    L610_ID_FIRMWARE = 2,
    /// `AT+CGSN`: the IMEI.
    L610_ID_IMEI = 3,
    /// `AT+CIMI`: the SIM's IMSI (`L610_CME_ERROR` without a ready SIM).
    L610_ID_IMSI = 4,
    /// `AT+CCID`: the SIM card's ICCID (`L610_CME_ERROR` without a SIM).
    L610_ID_ICCID = 5,
}

/// An IP address: `family` 4 (the first 4 bytes of `bytes`) or 6 (all 16), network order, as
/// `inet_ntop` takes them.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct l610_ip_address {
    /// 4 or 6.
    pub family: u8,
    /// The address.
    pub bytes: [u8; 16],
}

/// How `l610_modem_ping` pings. Initialise with `l610_ping_options_init`.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct l610_ping_options {
    /// Echo requests, 1–100 (default 4).
    pub count: u8,
    /// Payload bytes, 4–1500 (default 32).
    pub size: u16,
    /// Time to live, 1–255 (default 64).
    pub ttl: u8,
    /// How long to wait for each reply, 1000–60000 ms (default 5000).
    pub timeout_ms: u32,
}

/// What a ping run measured.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct l610_ping_report {
    /// The address the module pinged, NUL-terminated.
    pub ip: [c_char; 48],
    /// Echo requests sent.
    pub sent: u32,
    /// Replies received.
    pub received: u32,
    /// Whether `average_ms` is known (something answered).
    pub has_average: bool,
    /// The module's average round trip.
    pub average_ms: u32,
}

pub(crate) fn domain(v: u32) -> FfiResult<RegistrationDomain> {
    Ok(match v {
        0 => RegistrationDomain::Cs,
        1 => RegistrationDomain::Gprs,
        2 => RegistrationDomain::Eps,
        n => return Err(invalid(format!("registration domain {n} is not 0, 1 or 2"))),
    })
}

pub(crate) fn reporting(v: u32) -> FfiResult<RegistrationReporting> {
    Ok(match v {
        0 => RegistrationReporting::Off,
        1 => RegistrationReporting::Status,
        2 => RegistrationReporting::Location,
        n => {
            return Err(invalid(format!(
                "registration reporting {n} is not 0, 1 or 2"
            )))
        }
    })
}

pub(crate) fn identity_item(v: u32) -> FfiResult<IdentityItem> {
    IdentityItem::ALL
        .get(v as usize)
        .copied()
        .ok_or_else(|| invalid(format!("identity item {v} is not 0 to 5")))
}

/// `text` into a fixed C array, NUL-terminated; a longer text is the module's fault.
pub(crate) fn fixed<const N: usize>(text: &str, what: &str) -> FfiResult<[c_char; N]> {
    if text.len() >= N || text.contains('\0') {
        return Err(unexpected(l610_proto::ValueError(format!(
            "{what} is longer than {} bytes",
            N - 1
        ))));
    }
    let mut out = [0 as c_char; N];
    for (o, b) in out.iter_mut().zip(text.bytes()) {
        *o = b as c_char;
    }
    Ok(out)
}

pub(crate) fn registration_out(r: &Registration) -> FfiResult<l610_registration> {
    let (has_location, area, cell, has_act, act) = match &r.location {
        Some(l) => (
            true,
            fixed(&l.area, "the area code")?,
            fixed(&l.cell, "the cell id")?,
            l.act.is_some(),
            l.act.unwrap_or(0),
        ),
        None => (false, [0; 16], [0; 16], false, 0),
    };
    Ok(l610_registration {
        reporting: r.reporting,
        status: u32::from(r.status.code()),
        registered: r.status.is_registered(),
        has_location,
        area,
        cell,
        has_act,
        act,
    })
}

pub(crate) fn signal_out(q: SignalQuality) -> l610_signal_quality {
    l610_signal_quality {
        rssi: q.rssi,
        ber: q.ber,
        has_dbm: q.dbm().is_some(),
        dbm: q.dbm().unwrap_or(0),
    }
}

pub(crate) fn ip_out(ip: &IpAddr) -> l610_ip_address {
    let mut bytes = [0u8; 16];
    match ip {
        IpAddr::V4(v4) => {
            bytes[..4].copy_from_slice(&v4.octets());
            l610_ip_address { family: 4, bytes }
        }
        IpAddr::V6(v6) => l610_ip_address {
            family: 6,
            bytes: v6.octets(),
        },
    }
}

/// The SIM's state and its words into an optional buffer trio (all NULL/0 to skip).
pub(crate) unsafe fn put_sim(
    s: SimStatus,
    out_ready: *mut bool,
    buf: *mut c_char,
    len: usize,
    written: *mut usize,
) -> FfiResult {
    let p = out(out_ready, "out_ready")?;
    let text = match &s {
        SimStatus::Ready => "READY".to_owned(),
        SimStatus::Other(t) => t.clone(),
    };
    let copied = if buf.is_null() && len == 0 && written.is_null() {
        Ok(())
    } else {
        // SAFETY: forwarded contract.
        unsafe { copy_text(&text, buf, len, written) }
    };
    if matches!(copied, Ok(()) | Err(Fail::TooSmall)) {
        // SAFETY: checked by `out`.
        unsafe { put(p, s.is_ready()) };
    }
    copied
}

pub(crate) unsafe fn put_operator(
    o: Operator,
    out_operator: *mut l610_operator,
    name_buf: *mut c_char,
    name_len: usize,
    written: *mut usize,
) -> FfiResult {
    let p = out(out_operator, "out_operator")?;
    let v = l610_operator {
        mode: o.mode,
        has_name: o.name.is_some(),
        format: o.format.unwrap_or(0),
        has_act: o.act.is_some(),
        act: o.act.unwrap_or(0),
    };
    let copied = if name_buf.is_null() && name_len == 0 && written.is_null() {
        Ok(())
    } else {
        // SAFETY: forwarded contract.
        unsafe { copy_text(o.name.as_deref().unwrap_or(""), name_buf, name_len, written) }
    };
    if matches!(copied, Ok(()) | Err(Fail::TooSmall)) {
        // SAFETY: checked by `out`.
        unsafe { put(p, v) };
    }
    copied
}

/// Fill `*options` with the defaults (4 requests of 32 bytes, TTL 64, 5000 ms each).
#[no_mangle]
pub unsafe extern "C" fn l610_ping_options_init(options: *mut l610_ping_options) -> l610_status {
    ffi_boundary!({
        match out(options, "options") {
            Ok(p) => {
                let d = PingOptions::default();
                // SAFETY: checked non-NULL.
                unsafe {
                    put(
                        p,
                        l610_ping_options {
                            count: d.count,
                            size: d.size,
                            ttl: d.ttl,
                            timeout_ms: u32::try_from(d.timeout.as_millis()).unwrap_or(u32::MAX),
                        },
                    )
                };
                l610_status::L610_OK
            }
            Err(f) => f.status(),
        }
    })
}

pub(crate) fn ping_options(o: Option<&l610_ping_options>) -> PingOptions {
    match o {
        Some(o) => PingOptions {
            count: o.count,
            size: o.size,
            ttl: o.ttl,
            timeout: Duration::from_millis(o.timeout_ms.into()),
        },
        None => PingOptions::default(),
    }
}

// ---- thread-free: builders and parsers -----------------------------------------------------

/// `AT+CPIN?`: read the answer with `l610_parse_sim_status`.
#[no_mangle]
pub unsafe extern "C" fn l610_cmd_sim_status_query(
    out_command: *mut *mut l610_command,
) -> l610_status {
    build(out_command, || Ok(cmds::sim_status_query()))
}

/// The SIM's state from the answer to `l610_cmd_sim_status_query` (arguments as
/// `l610_modem_sim_status`).
#[no_mangle]
pub unsafe extern "C" fn l610_parse_sim_status(
    response: *const l610_response,
    out_ready: *mut bool,
    buf: *mut c_char,
    len: usize,
    written: *mut usize,
) -> l610_status {
    // SAFETY: forwarded contract.
    unsafe {
        parse(response, |r| {
            out(out_ready, "out_ready")?;
            let s = cmds::parse_sim_status(r).map_err(unexpected)?;
            put_sim(s, out_ready, buf, len, written)
        })
    }
}

/// `AT+CREG?`, `AT+CGREG?` or `AT+CEREG?`: read the answer with `l610_parse_registration` (the
/// same `domain`).
#[no_mangle]
pub unsafe extern "C" fn l610_cmd_registration_query(
    domain_value: u32,
    out_command: *mut *mut l610_command,
) -> l610_status {
    build(out_command, || {
        Ok(cmds::registration_query(domain(domain_value)?))
    })
}

/// The registration from the answer to `l610_cmd_registration_query`.
#[no_mangle]
pub unsafe extern "C" fn l610_parse_registration(
    response: *const l610_response,
    domain_value: u32,
    out_registration: *mut l610_registration,
) -> l610_status {
    // SAFETY: forwarded contract.
    unsafe {
        parse(response, |r| {
            let p = out(out_registration, "out_registration")?;
            let reg = cmds::parse_registration(r, domain(domain_value)?).map_err(unexpected)?;
            put(p, registration_out(&reg)?);
            Ok(())
        })
    }
}

/// `AT+CREG=<mode>` (and `+CGREG`, `+CEREG`); registration changes then come as URCs.
#[no_mangle]
pub unsafe extern "C" fn l610_cmd_set_registration_reporting(
    domain_value: u32,
    mode: u32,
    out_command: *mut *mut l610_command,
) -> l610_status {
    build(out_command, || {
        Ok(cmds::set_registration_reporting(
            domain(domain_value)?,
            reporting(mode)?,
        ))
    })
}

/// `AT+CSQ`: read the answer with `l610_parse_signal_quality`.
#[no_mangle]
pub unsafe extern "C" fn l610_cmd_signal_quality_query(
    out_command: *mut *mut l610_command,
) -> l610_status {
    build(out_command, || Ok(cmds::signal_quality_query()))
}

/// The signal from the answer to `l610_cmd_signal_quality_query`.
#[no_mangle]
pub unsafe extern "C" fn l610_parse_signal_quality(
    response: *const l610_response,
    out_quality: *mut l610_signal_quality,
) -> l610_status {
    // SAFETY: forwarded contract.
    unsafe {
        parse_into(response, out_quality, "out_quality", |r| {
            Ok(signal_out(
                cmds::parse_signal_quality(r).map_err(unexpected)?,
            ))
        })
    }
}

/// `AT+COPS?`: read the answer with `l610_parse_operator_info`.
#[no_mangle]
pub unsafe extern "C" fn l610_cmd_operator_query(
    out_command: *mut *mut l610_command,
) -> l610_status {
    build(out_command, || Ok(cmds::operator_query()))
}

/// The operator from the answer to `l610_cmd_operator_query` (arguments as
/// `l610_modem_operator_info`).
#[no_mangle]
pub unsafe extern "C" fn l610_parse_operator_info(
    response: *const l610_response,
    out_operator: *mut l610_operator,
    name_buf: *mut c_char,
    name_len: usize,
    written: *mut usize,
) -> l610_status {
    // SAFETY: forwarded contract.
    unsafe {
        parse(response, |r| {
            out(out_operator, "out_operator")?;
            let o = cmds::parse_operator_info(r).map_err(unexpected)?;
            put_operator(o, out_operator, name_buf, name_len, written)
        })
    }
}

/// `AT+CGATT?`: read the answer with `l610_parse_attached`.
#[no_mangle]
pub unsafe extern "C" fn l610_cmd_attach_query(out_command: *mut *mut l610_command) -> l610_status {
    build(out_command, || Ok(cmds::attach_query()))
}

/// Whether attached, from the answer to `l610_cmd_attach_query`.
#[no_mangle]
pub unsafe extern "C" fn l610_parse_attached(
    response: *const l610_response,
    out_attached: *mut bool,
) -> l610_status {
    // SAFETY: forwarded contract.
    unsafe {
        parse_into(response, out_attached, "out_attached", |r| {
            cmds::parse_attached(r).map_err(unexpected)
        })
    }
}

/// `AT+CFUN?`: read the answer with `l610_parse_functionality`.
#[no_mangle]
pub unsafe extern "C" fn l610_cmd_functionality_query(
    out_command: *mut *mut l610_command,
) -> l610_status {
    build(out_command, || Ok(cmds::functionality_query()))
}

/// `<fun>` from the answer to `l610_cmd_functionality_query`.
#[no_mangle]
pub unsafe extern "C" fn l610_parse_functionality(
    response: *const l610_response,
    out_fun: *mut u8,
) -> l610_status {
    // SAFETY: forwarded contract.
    unsafe {
        parse_into(response, out_fun, "out_fun", |r| {
            cmds::parse_functionality(r).map_err(unexpected)
        })
    }
}

/// One identity query (`item`, an `l610_identity_item`): read the answer with
/// `l610_parse_identity` (the same `item`).
#[no_mangle]
pub unsafe extern "C" fn l610_cmd_identity_query(
    item: u32,
    out_command: *mut *mut l610_command,
) -> l610_status {
    build(out_command, || {
        Ok(cmds::identity_query(identity_item(item)?))
    })
}

/// The identity value from the answer to `l610_cmd_identity_query`, into `buf` (contract of
/// `l610_status_text`).
#[no_mangle]
pub unsafe extern "C" fn l610_parse_identity(
    response: *const l610_response,
    item: u32,
    buf: *mut c_char,
    len: usize,
    written: *mut usize,
) -> l610_status {
    // SAFETY: forwarded contract.
    unsafe {
        parse(response, |r| {
            out(written, "written")?;
            let v = cmds::parse_identity_item(r, identity_item(item)?).map_err(unexpected)?;
            copy_text(&v, buf, len, written)
        })
    }
}

/// `AT+MIPDNS="<host>"` (needs the PDP context): read the answer with `l610_parse_resolve`.
#[no_mangle]
pub unsafe extern "C" fn l610_cmd_resolve(
    host: *const c_char,
    out_command: *mut *mut l610_command,
) -> l610_status {
    build(out_command, || {
        // SAFETY: the caller's contract.
        let host = unsafe { str_arg(host, "host") }?;
        Ok(cmds::resolve(host)?)
    })
}

/// The addresses from the answer to `l610_cmd_resolve` (list contract as `l610_modem_resolve`).
/// `L610_NOT_AVAILABLE` when the answer held no `+MIPDNS` line: some firmware sends it after
/// `OK`, as a URC (`l610_session_pop_urc`).
#[no_mangle]
pub unsafe extern "C" fn l610_parse_resolve(
    response: *const l610_response,
    items: *mut l610_ip_address,
    cap: usize,
    count: *mut usize,
) -> l610_status {
    // SAFETY: forwarded contract.
    unsafe {
        parse(response, |r| {
            out(count, "count")?;
            let ips = cmds::parse_resolve(r)
                .map_err(unexpected)?
                .ok_or(Fail::NotAvailable("no +MIPDNS line in the answer"))?;
            let list: Vec<l610_ip_address> = ips.iter().map(ip_out).collect();
            copy_list(&list, items, cap, count)
        })
    }
}

/// `AT+MPING=1,"<host>",...` (`options` NULL for the defaults): `OK`, then one `+MPING` URC per
/// reply and `+MPINGSTAT` at the end (`l610_session_pop_urc`).
#[no_mangle]
pub unsafe extern "C" fn l610_cmd_ping(
    host: *const c_char,
    options: *const l610_ping_options,
    out_command: *mut *mut l610_command,
) -> l610_status {
    build(out_command, || {
        // SAFETY: the caller's contract.
        let host = unsafe { str_arg(host, "host") }?;
        // SAFETY: the caller's contract.
        let o = ping_options(unsafe { options.as_ref() });
        Ok(cmds::ping(host, &o)?)
    })
}
