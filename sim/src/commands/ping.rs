//! `AT+MPING=1,"<host>"[,<count>[,<size>[,<ttl>[,<tos>[,<timeout_ms>]]]]]`: `OK`, then one
//! `+MPING: "<ip>",0,0,<rtt_ms>` per echo reply and `+MPINGSTAT: 0,"<ip>",<sent>,<received>,
//! <avg_rtt_ms>` at the end, as hardware answers. `AT+MPING=0` stops a running ping.
//!
//! The round trips are real: ICMP needs privileges the sim should not ask for, so each probe
//! is a TCP connection attempt to port 7 of the target, which the target's stack answers
//! (SYN-ACK or RST) exactly one round trip later. Link conditions apply to it.

use std::io;
use std::net::{IpAddr, SocketAddr, TcpStream};
use std::sync::Arc;
use std::time::{Duration, Instant};

use super::{dns, Ctx, Final, Form, Outcome, Reply, NOT_ALLOWED};
use crate::config::LinkConditions;
use crate::output::Output;
use crate::state::Shared;

/// Time between two echo requests.
const INTERVAL: Duration = Duration::from_secs(1);
const PROBE_PORT: u16 = 7;

struct Ping {
    ip: IpAddr,
    count: u32,
    timeout: Duration,
    run: u64,
    boots: u32,
    link: LinkConditions,
}

pub(super) fn execute(ctx: &Ctx<'_>, form: Form) -> Outcome {
    let a = match form {
        Form::Test => {
            return Reply::line("+MPING: (0,1),,(1-100),(4-1500),(1-255),(0-255),(1000-60000)")
                .into()
        }
        Form::Set(a) => a,
        _ => return Final::Error.into(),
    };
    let mut st = ctx.shared.lock().unwrap();
    match a[0].int() {
        Some(0) if a.len() == 1 => {
            st.ping_run += 1;
            return Final::Ok.into();
        }
        Some(1) if a.len() >= 2 => {}
        _ => return Final::Error.into(),
    }
    // Optional numbers: count, size, ttl, tos, timeout (ms); empty means the default.
    let num = |i: usize, range: std::ops::RangeInclusive<i64>, default: i64| match a.get(i) {
        None => Some(default),
        Some(x) if x.is_empty() => Some(default),
        Some(x) => x.int_in(range),
    };
    let (Some(count), Some(_size), Some(_ttl), Some(_tos), Some(timeout)) = (
        num(2, 1..=100, 4),
        num(3, 4..=1500, 32),
        num(4, 1..=255, 64),
        num(5, 0..=255, 0),
        num(6, 1000..=60000, 5000),
    ) else {
        return Final::Error.into();
    };
    if a.len() > 7 {
        return Final::Error.into();
    }
    if !st.pdp_active {
        return NOT_ALLOWED.into();
    }
    let host = a[1].text().trim().to_string();
    let Some(ip) = dns::resolve(&host).and_then(|ips| ips.first().copied()) else {
        return Final::Error.into();
    };
    st.ping_run += 1;
    let ping = Ping {
        ip,
        count: count as u32,
        timeout: Duration::from_millis(timeout as u64),
        run: st.ping_run,
        boots: st.boots,
        link: ctx.config.link,
    };
    drop(st);
    let (shared, output) = (ctx.shared.clone(), ctx.output.clone());
    let spawned = std::thread::Builder::new()
        .name("l610-sim-ping".into())
        .spawn(move || run(&shared, &output, &ping));
    match spawned {
        Ok(_) => Final::Ok.into(),
        Err(_) => Final::Error.into(),
    }
}

fn still_wanted(shared: &Shared, p: &Ping) -> bool {
    let st = shared.lock().unwrap();
    st.boots == p.boots && st.ping_run == p.run && st.pdp_active
}

fn run(shared: &Shared, output: &Arc<Output>, p: &Ping) {
    let (mut received, mut total_ms) = (0u32, 0u128);
    let mut dice = crate::link::Dice::new();
    for i in 0..p.count {
        if i > 0 {
            std::thread::sleep(INTERVAL);
        }
        if !still_wanted(shared, p) {
            return;
        }
        let lost = p.link.loss > 0.0 && dice.roll() < p.link.loss;
        let rtt = if lost {
            std::thread::sleep(p.timeout);
            None
        } else {
            probe(p.ip, p.timeout, p.link.latency * 2)
        };
        if !still_wanted(shared, p) {
            return;
        }
        if let Some(rtt) = rtt {
            received += 1;
            total_ms += rtt.as_millis();
            output.urc(&format!("+MPING: \"{}\",0,0,{}", p.ip, rtt.as_millis()));
        }
    }
    let avg = if received > 0 {
        total_ms / received as u128
    } else {
        0
    };
    output.urc(&format!(
        "+MPINGSTAT: 0,\"{}\",{},{received},{avg}",
        p.ip, p.count
    ));
}

/// One round trip to `ip`, or `None` if nothing answered within `timeout`.
fn probe(ip: IpAddr, timeout: Duration, link_rtt: Duration) -> Option<Duration> {
    let t0 = Instant::now();
    std::thread::sleep(link_rtt);
    match TcpStream::connect_timeout(&SocketAddr::new(ip, PROBE_PORT), timeout) {
        Ok(_) => Some(t0.elapsed()),
        Err(e) if e.kind() == io::ErrorKind::ConnectionRefused => Some(t0.elapsed()),
        Err(_) => None,
    }
}
