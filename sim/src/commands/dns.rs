//! `AT+MIPDNS="<host>"[,<n>]`: name resolution through the module's PDP context, answered
//! `+MIPDNS: "<host>",<ip>[,<ip>...]` then `OK` as on hardware. The virtual network's resolver
//! is the host's, so `localhost` and names in /etc/hosts work.

use std::net::{IpAddr, ToSocketAddrs};

use super::{Ctx, Final, Form, Outcome, Reply, NOT_ALLOWED};

/// At most this many addresses in one answer.
const MAX_ADDRS: usize = 4;

pub(super) fn execute(ctx: &Ctx<'_>, form: Form) -> Outcome {
    match form {
        Form::Test => Reply::line("+MIPDNS: \"<host>\",(0-2)").into(),
        // The clients send `="host"`, `="host",0` and `="host",2`; what the second parameter
        // selects is not documented, so every value answers the same (IPv4 first).
        Form::Set(a) if (1..=2).contains(&a.len()) => {
            let host = a[0].text().trim().to_string();
            if host.is_empty() || a.get(1).is_some_and(|n| n.int_in(0..=2).is_none()) {
                return Final::Error.into();
            }
            if !ctx.shared.lock().unwrap().pdp_active {
                return NOT_ALLOWED.into();
            }
            match resolve(&host) {
                Some(ips) => {
                    let ips: Vec<String> = ips.iter().map(IpAddr::to_string).collect();
                    Reply::line(format!("+MIPDNS: \"{host}\",{}", ips.join(","))).into()
                }
                None => Final::Error.into(),
            }
        }
        _ => Final::Error.into(),
    }
}

/// The host's addresses, IPv4 first, without duplicates.
pub(crate) fn resolve(host: &str) -> Option<Vec<IpAddr>> {
    let mut ips: Vec<IpAddr> = Vec::new();
    for addr in (host, 0).to_socket_addrs().ok()? {
        if !ips.contains(&addr.ip()) {
            ips.push(addr.ip());
        }
    }
    ips.sort_by_key(|ip| ip.is_ipv6());
    // Like the module, answer with IPv4 when there is any.
    if ips.iter().any(IpAddr::is_ipv4) {
        ips.retain(IpAddr::is_ipv4);
    }
    ips.truncate(MAX_ADDRS);
    (!ips.is_empty()).then_some(ips)
}
