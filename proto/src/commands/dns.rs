//! `AT+MIPDNS="<host>"`: name resolution by the module (over the PDP context).
//!
//! Hardware answers `+MIPDNS: "<host>",<ip>[,<ip>...]` and then `OK` (AT-REFERENCE.md §6); some
//! drivers see the line after the `OK`, so a driver that finds no line in the response waits for
//! it as a URC ([`parse_dns_line`] reads either).

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;
use core::net::IpAddr;

use super::bad_answer;
use crate::params::{quoted, split, unquote};
use crate::{Command, Response, ValueError};

const MIPDNS: &str = "+MIPDNS";

/// The longest host name DNS allows.
pub const MAX_HOST_LEN: usize = 253;

/// `AT+MIPDNS="<host>"`. Refused before anything is sent: an empty or over-long name, or one
/// with characters a host name cannot have.
pub fn resolve(host: &str) -> Result<Command, ValueError> {
    check_host(host)?;
    Ok(Command::new(format!("{MIPDNS}={}", quoted("host", host)?)).expects(MIPDNS))
}

/// A host name or address literal as `+MIPDNS`, `+MPING` and `+MIPOPEN` take it.
pub fn check_host(host: &str) -> Result<(), ValueError> {
    if host.is_empty() || host.len() > MAX_HOST_LEN {
        return Err(ValueError::new(format!(
            "host name must be 1 to {MAX_HOST_LEN} characters"
        )));
    }
    if let Some(c) = host
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_' | ':')))
    {
        return Err(ValueError::new(format!(
            "host name contains {c:?}; only letters, digits, '.', '-', '_' and ':' are allowed"
        )));
    }
    Ok(())
}

/// The answer to [`resolve`], or `None` when it held no `+MIPDNS` line (then it comes as a URC).
pub fn parse_resolve(r: &Response) -> Result<Option<Vec<IpAddr>>, ValueError> {
    match r.params(MIPDNS) {
        Some(p) => parse_dns_line(p).map(|(_, ips)| Some(ips)),
        None => Ok(None),
    }
}

/// The parameters of a `+MIPDNS` line: `"<host>",<ip>[,<ip>...]` (addresses quoted or not).
pub fn parse_dns_line(params: &str) -> Result<(String, Vec<IpAddr>), ValueError> {
    let p = split(params);
    let (host, ips) = p
        .split_first()
        .ok_or_else(|| bad_answer(MIPDNS, params, "is empty"))?;
    if ips.is_empty() {
        return Err(bad_answer(MIPDNS, params, "has no address"));
    }
    let ips = ips
        .iter()
        .take(16)
        .map(|ip| {
            unquote(ip)
                .parse::<IpAddr>()
                .map_err(|_| bad_answer(MIPDNS, params, "has a field that is not an IP address"))
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok((String::from(unquote(host)), ips))
}

#[cfg(test)]
mod tests {
    use super::super::tests::resp;
    use super::*;
    use alloc::string::ToString;

    #[test]
    fn builds_and_refuses() {
        assert_eq!(
            resolve("baidu.com").unwrap().line(),
            "AT+MIPDNS=\"baidu.com\""
        );
        for bad in ["", "a\"b", "a b", "a\r", "é.com", &"a".repeat(254)] {
            assert!(resolve(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn parses() {
        let r = resp(&["+MIPDNS: \"baidu.com\",39.156.69.79,220.181.38.148"]);
        let ips = parse_resolve(&r).unwrap().unwrap();
        assert_eq!(ips.len(), 2);
        assert_eq!(ips[0].to_string(), "39.156.69.79");
        assert_eq!(parse_resolve(&resp(&[])), Ok(None));
        assert!(parse_resolve(&resp(&["+MIPDNS: \"x\""])).is_err());
        assert!(parse_resolve(&resp(&["+MIPDNS: \"x\",999.1.1.1"])).is_err());
        let (h, v6) = parse_dns_line("\"localhost\",\"::1\"").unwrap();
        assert_eq!((h.as_str(), v6[0].is_ipv6()), ("localhost", true));
    }
}
