//! `AT+MPING`: ICMP echo from the module. `AT+MPING=1,"<host>",<count>,<size>,<ttl>,<tos>,<timeout>`
//! answers `OK` at once; then one `+MPING: "<ip>",<result>,<seq|0>,<rtt ms>` per reply and a
//! closing `+MPINGSTAT: <status>,"<ip>",<sent>,<received>,<avg ms>` (AT-REFERENCE.md §6:
//! `AT+MPING=1,"baidu.com",1,32,64,0,5000` → `+MPING: "39.156.69.79",0,0,91`,
//! `+MPINGSTAT: 0,"39.156.69.79",1,1,91`). `AT+MPING=0` stops a running ping.

use alloc::format;
use alloc::string::String;
use core::time::Duration;

use super::dns::check_host;
use crate::params::{quoted, split, unquote};
use crate::{Command, ValueError};

/// How to ping.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct PingOptions {
    /// Echo requests, 1–100 (default 4).
    pub count: u8,
    /// Payload bytes, 4–1500 (default 32).
    pub size: u16,
    /// Time to live, 1–255 (default 64).
    pub ttl: u8,
    /// How long to wait for each reply, 1–60 s (default 5 s).
    pub timeout: Duration,
}

impl Default for PingOptions {
    fn default() -> Self {
        PingOptions {
            count: 4,
            size: 32,
            ttl: 64,
            timeout: Duration::from_secs(5),
        }
    }
}

/// `AT+MPING=1,...`; refused before anything is sent when a value is out of the module's range.
pub fn ping(host: &str, o: &PingOptions) -> Result<Command, ValueError> {
    check_host(host)?;
    if !(1..=100).contains(&o.count) {
        return Err(ValueError::new("ping count must be 1 to 100"));
    }
    if !(4..=1500).contains(&o.size) {
        return Err(ValueError::new("ping size must be 4 to 1500 bytes"));
    }
    if o.ttl == 0 {
        return Err(ValueError::new("ping ttl must be 1 to 255"));
    }
    let ms = o.timeout.as_millis();
    if !(1000..=60_000).contains(&ms) {
        return Err(ValueError::new("ping timeout must be 1 to 60 seconds"));
    }
    Ok(Command::new(format!(
        "+MPING=1,{},{},{},{},0,{ms}",
        quoted("host", host)?,
        o.count,
        o.size,
        o.ttl
    )))
}

/// `AT+MPING=0`: stop a running ping.
pub fn stop_ping() -> Command {
    Command::new("+MPING=0")
}

/// One `+MPING: "<ip>",<result>,<seq>,<rtt ms>` reply.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct PingReply {
    /// The address that answered.
    pub ip: String,
    /// 0 for a reply; anything else is a failed request.
    pub result: u8,
    /// Round trip time.
    pub rtt: Duration,
}

/// The closing `+MPINGSTAT: <status>,"<ip>",<sent>,<received>,<avg ms>`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct PingStat {
    /// 0 when the run completed.
    pub status: u8,
    /// The address pinged.
    pub ip: String,
    /// Requests sent.
    pub sent: u32,
    /// Replies received.
    pub received: u32,
    /// Average round trip of the replies.
    pub average: Duration,
}

fn num<T: core::str::FromStr>(p: &str) -> Option<T> {
    let p = p.trim();
    (!p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
        .then(|| p.parse().ok())
        .flatten()
}

/// The parameters of a `+MPING` URC.
pub fn parse_ping_reply(params: &str) -> Option<PingReply> {
    match split(params).as_slice() {
        [ip, result, _seq, rtt, ..] => Some(PingReply {
            ip: String::from(unquote(ip)),
            result: num(result)?,
            rtt: Duration::from_millis(num(rtt)?),
        }),
        _ => None,
    }
}

/// The parameters of a `+MPINGSTAT` URC.
pub fn parse_ping_stat(params: &str) -> Option<PingStat> {
    match split(params).as_slice() {
        [status, ip, sent, received, avg, ..] => Some(PingStat {
            status: num(status)?,
            ip: String::from(unquote(ip)),
            sent: num(sent)?,
            received: num(received)?,
            average: Duration::from_millis(num(avg)?),
        }),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builds_and_refuses() {
        let o = PingOptions {
            count: 1,
            ..PingOptions::default()
        };
        assert_eq!(
            ping("baidu.com", &o).unwrap().line(),
            "AT+MPING=1,\"baidu.com\",1,32,64,0,5000"
        );
        assert_eq!(stop_ping().line(), "AT+MPING=0");
        for bad in [
            PingOptions { count: 0, ..o },
            PingOptions { count: 101, ..o },
            PingOptions { size: 3, ..o },
            PingOptions { ttl: 0, ..o },
            PingOptions {
                timeout: Duration::from_millis(999),
                ..o
            },
        ] {
            assert!(ping("h", &bad).is_err(), "{bad:?}");
        }
        assert!(ping("a,b", &o).is_err());
    }

    #[test]
    fn parses_the_field_transcript() {
        assert_eq!(
            parse_ping_reply("\"39.156.69.79\",0,0,91"),
            Some(PingReply {
                ip: "39.156.69.79".into(),
                result: 0,
                rtt: Duration::from_millis(91)
            })
        );
        let s = parse_ping_stat("0,\"39.156.69.79\",1,1,91").unwrap();
        assert_eq!((s.sent, s.received, s.average.as_millis()), (1, 1, 91));
        assert_eq!(parse_ping_reply("\"x\",0"), None);
        assert_eq!(parse_ping_stat("0,\"x\",-1,1,1"), None);
        assert_eq!(parse_ping_stat("0,\"x\",1,1,99999999999999999999999"), None);
    }
}
