//! `AT+MIPOPEN=`, `AT+MIPSEND=` and `AT+MIPCLOSE=`: a connection's open, its sends and its close.
//!
//! Each answers `OK` (a send after its `>` prompt and payload) and reports the rest as URCs
//! (`+MIPOPEN: <id>,<state>`, `+MIPCLOSE: <id>,<x>`), which the session routes to the socket
//! slot: a driver reserves the slot first ([`Session::reserve_socket`](crate::Session::reserve_socket))
//! and watches its state. The builders refuse bad values before anything is sent.

use alloc::format;
use alloc::vec::Vec;

use crate::params::{int, quoted, split};
use crate::sockets::SOCKET_IDS;
use crate::{Command, Response, ValueError};

/// Most bytes one `AT+MIPSEND` carries: the hardware took 2048, drivers keep it at or below
/// that (AT-REFERENCE.md §3, §6).
pub const MAX_SEND: usize = 2048;

/// `<proto>` of `AT+MIPOPEN`: 0 TCP, 2 SSL/TLS with the `+GTSSL*` settings (1, UDP, is not
/// supported by this driver).
pub fn is_open_protocol(proto: u8) -> bool {
    matches!(proto, 0 | 2)
}

fn check_id(id: u8) -> Result<(), ValueError> {
    if SOCKET_IDS.contains(&id) {
        Ok(())
    } else {
        Err(ValueError::new(format!("socket id {id} is not in 1..=6")))
    }
}

/// `AT+MIPOPEN=<id>,[<src>],"<host>",<port>,<proto>`: `OK` at once, then the URC
/// `+MIPOPEN: <id>,1` (connected) or `,0` (failed), up to ~65 s later for TLS.
pub fn open_socket(
    id: u8,
    source_port: Option<u16>,
    host: &str,
    port: u16,
    proto: u8,
) -> Result<Command, ValueError> {
    check_id(id)?;
    if host.is_empty() || host.len() > 255 {
        return Err(ValueError::new("host must be 1 to 255 characters"));
    }
    let host = quoted("host", host)?;
    if port == 0 {
        return Err(ValueError::new("port 0 cannot be connected to"));
    }
    if !is_open_protocol(proto) {
        return Err(ValueError::new(format!(
            "protocol {proto} is not 0 (TCP) or 2 (TLS)"
        )));
    }
    let src = source_port.map(|p| format!("{p}")).unwrap_or_default();
    Ok(Command::new(format!(
        "+MIPOPEN={id},{src},{host},{port},{proto}"
    )))
}

/// `AT+MIPSEND=<id>,<len>`, `>`, then exactly `data` (1 to [`MAX_SEND`] bytes): answered by
/// `+MIPSEND: <id>,<status>,<free>` and `OK`. The data is the application's and shown in the
/// trace.
pub fn send(id: u8, data: &[u8]) -> Result<Command, ValueError> {
    check_id(id)?;
    if data.is_empty() || data.len() > MAX_SEND {
        return Err(ValueError::new(format!(
            "a send carries 1 to {MAX_SEND} bytes, not {}",
            data.len()
        )));
    }
    Ok(Command::new(format!("+MIPSEND={id},{}", data.len()))
        .expects("+MIPSEND")
        .payload(Vec::from(data))
        .trace_payload())
}

/// The answer to a send, `+MIPSEND: <id>,<status>,<free_size>` (AT-REFERENCE.md §3).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SendStatus {
    /// `<status>` 1: the module flowed the host off. The data was still taken; the next send
    /// waits for its `>` prompt as always.
    pub flowed_off: bool,
    /// `<free_size>`: bytes left in the module's send buffer, when it says.
    pub free: Option<u32>,
}

/// Read the answer to [`send`]: `None` when the module printed no `+MIPSEND` line (some firmware
/// answers only `OK`, or `+MIPPUSH` later), an error when the line is not the manual's.
pub fn parse_send(r: &Response) -> Result<Option<SendStatus>, ValueError> {
    let Some(p) = r.params("+MIPSEND") else {
        return Ok(None);
    };
    let f = split(p);
    let status = f
        .get(1)
        .and_then(|s| int::<u8>(s))
        .filter(|s| *s <= 1)
        .ok_or_else(|| ValueError::new(format!("+MIPSEND: {p} has no status 0 or 1")))?;
    Ok(Some(SendStatus {
        flowed_off: status == 1,
        free: f.get(2).and_then(|s| int(s)),
    }))
}

/// `AT+MIPCLOSE=<id>`: `OK`, then the URC `+MIPCLOSE: <id>,<x>`. Call
/// [`Session::begin_close`](crate::Session::begin_close) first, so that the URC is taken as the
/// host's close.
pub fn close_socket(id: u8) -> Result<Command, ValueError> {
    check_id(id)?;
    Ok(Command::new(format!("+MIPCLOSE={id}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn send_answers() {
        let r = |l: &str| Response::from_lines([l]);
        assert_eq!(
            parse_send(&r("+MIPSEND: 1,0,2048")),
            Ok(Some(SendStatus {
                flowed_off: false,
                free: Some(2048)
            }))
        );
        assert_eq!(
            parse_send(&r("+MIPSEND: 1,1")),
            Ok(Some(SendStatus {
                flowed_off: true,
                free: None
            }))
        );
        assert_eq!(parse_send(&Response::from_lines::<[&str; 0]>([])), Ok(None));
        assert!(parse_send(&r("+MIPSEND: 1,7,0")).is_err());
        assert!(parse_send(&r("+MIPSEND: é")).is_err());
    }

    #[test]
    fn lines() {
        assert_eq!(
            open_socket(1, None, "example.com", 443, 2).unwrap().line(),
            "AT+MIPOPEN=1,,\"example.com\",443,2"
        );
        assert_eq!(
            open_socket(6, Some(5000), "10.0.0.1", 80, 0)
                .unwrap()
                .line(),
            "AT+MIPOPEN=6,5000,\"10.0.0.1\",80,0"
        );
        let s = send(3, b"hi").unwrap();
        assert_eq!(s.line(), "AT+MIPSEND=3,2");
        assert!(s.has_payload());
        assert_eq!(close_socket(2).unwrap().line(), "AT+MIPCLOSE=2");
    }

    #[test]
    fn bad_values_are_refused() {
        assert!(open_socket(0, None, "h", 1, 2).is_err());
        assert!(open_socket(7, None, "h", 1, 2).is_err());
        assert!(open_socket(1, None, "", 1, 2).is_err());
        assert!(open_socket(1, None, "a\"b", 1, 2).is_err());
        assert!(open_socket(1, None, "a\r\nAT+CFUN=0", 1, 2).is_err());
        assert!(open_socket(1, None, &"h".repeat(256), 1, 2).is_err());
        assert!(open_socket(1, None, "h", 0, 2).is_err());
        assert!(open_socket(1, None, "h", 1, 1).is_err());
        assert!(send(1, b"").is_err());
        assert!(send(1, &[0; MAX_SEND + 1]).is_err());
        assert!(send(1, &[0; MAX_SEND]).is_ok());
        assert!(send(9, b"x").is_err());
        assert!(open_socket(1, None, "h", 1, 2).is_ok());
        assert!(close_socket(0).is_err());
    }
}
