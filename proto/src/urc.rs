//! Unsolicited result codes: lines the module sends on its own, typed.

use alloc::borrow::ToOwned;
use alloc::string::String;
use alloc::vec::Vec;

use crate::commands::{
    parse_dns_line, parse_ping_reply, parse_ping_stat, parse_registration_urc, CellLocation,
    PingReply, PingStat, RegistrationDomain, RegistrationStatus,
};
use crate::params::{int, split, unquote};

/// An unsolicited line from the module.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Urc {
    /// A boot line (`AT command ready`, `RDY`): the module (re)started, echo is on, SSL state is
    /// lost.
    Boot(String),
    /// `+SIM READY`, `+SIM DROP`, ...: the SIM's status word.
    Sim(String),
    /// `+MIPCALL: <ip>` after activation, `+MIPCALL: 0` after deactivation.
    MipCall(String),
    /// `+MIPOPEN: <id>,<state>`: the result of opening socket `id` (1 connected, 0 failed).
    MipOpen {
        /// Socket id 1–6.
        id: u8,
        /// Whether the connection (and handshake) succeeded.
        connected: bool,
    },
    /// `+MIPCLOSE: <id>[,<x>]` (also `+MIPCLOSED: <id>,<x>`, which one SDK sees): socket closed.
    /// The second field's meaning is not documented (the manual shows 1, drivers see 0); it is
    /// kept only as a diagnostic.
    MipClose {
        /// Socket id.
        id: u8,
        /// The undocumented second field, if present.
        detail: Option<i64>,
    },
    /// `+MIPSTAT: <id>,<n>[,<acked>]`: 0 ACK indication, 1 broken stack, 2 closed by peer.
    MipStat {
        /// Socket id.
        id: u8,
        /// The status number.
        status: u8,
        /// Acknowledged byte count, when given.
        acked: Option<u64>,
    },
    /// `+MIPRTCP: <id>,<n>,<data>`: data received on socket `id`, already decoded (hex or raw).
    MipRtcp {
        /// Socket id as sent.
        id: u32,
        /// The second field as sent; in hex format it is *not* the payload length.
        n: u64,
        /// The payload bytes.
        data: Vec<u8>,
    },
    /// `+MIPPUSH: <id>,<status>`: the module handed a send to the network (0 = done); hardware
    /// sends it before `+MIPSEND`'s answer.
    MipPush {
        /// Socket id.
        id: u8,
        /// 0 on success.
        status: u8,
    },
    /// `+MIPREAD: <id>,<len>` (read mode, IPRFMT 5): `len` bytes wait in the module for
    /// `AT+MIPREAD`.
    MipRead {
        /// Socket id.
        id: u8,
        /// Bytes waiting in the module, all told.
        len: u64,
    },
    /// `+CREG: <stat>[,...]`, `+CGREG: ...`, `+CEREG: ...` after `AT+CREG=1|2`: the
    /// registration changed.
    Registration {
        /// Which registration.
        domain: RegistrationDomain,
        /// The new `<stat>`.
        status: RegistrationStatus,
        /// The cell, in reporting mode 2.
        location: Option<CellLocation>,
    },
    /// `+MIPDNS: "<host>",<ip>...` that came after the `OK` of `AT+MIPDNS`.
    MipDns {
        /// The name asked for.
        host: String,
        /// Its addresses.
        addrs: Vec<core::net::IpAddr>,
    },
    /// `+MPING: "<ip>",<result>,<seq>,<rtt>`: one ping reply.
    Ping(PingReply),
    /// `+MPINGSTAT: ...`: a ping run ended.
    PingStat(PingStat),
    /// Any other line: kept as text, nothing is dropped.
    Other(String),
}

/// The URC in the module's own words, as it would print the line (a received payload shown as its
/// size, a ping's round trip as `<rtt N ms>`): for consoles and logs that show what the module
/// said, from the typed value.
impl core::fmt::Display for Urc {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            Urc::Other(s) | Urc::Boot(s) => f.write_str(s),
            Urc::Sim(s) => write!(f, "+SIM {s}"),
            Urc::MipCall(s) => write!(f, "+MIPCALL: {s}"),
            Urc::MipOpen { id, connected } => write!(f, "+MIPOPEN: {id},{}", u8::from(*connected)),
            Urc::MipClose { id, detail } => match detail {
                Some(d) => write!(f, "+MIPCLOSE: {id},{d}"),
                None => write!(f, "+MIPCLOSE: {id}"),
            },
            Urc::MipStat { id, status, acked } => match acked {
                Some(a) => write!(f, "+MIPSTAT: {id},{status},{a}"),
                None => write!(f, "+MIPSTAT: {id},{status}"),
            },
            Urc::MipRtcp { id, data, .. } => write!(f, "+MIPRTCP: {id},<{} bytes>", data.len()),
            Urc::MipPush { id, status } => write!(f, "+MIPPUSH: {id},{status}"),
            Urc::MipRead { id, len } => write!(f, "+MIPREAD: {id},{len}"),
            Urc::Registration {
                domain,
                status,
                location,
            } => {
                write!(f, "{}: {}", domain.prefix(), status.code())?;
                if let Some(l) = location {
                    write!(f, ",\"{}\",\"{}\"", l.area, l.cell)?;
                    if let Some(act) = l.act {
                        write!(f, ",{act}")?;
                    }
                }
                Ok(())
            }
            Urc::MipDns { host, addrs } => {
                write!(f, "+MIPDNS: \"{host}\"")?;
                for a in addrs {
                    write!(f, ",{a}")?;
                }
                Ok(())
            }
            Urc::Ping(p) => write!(
                f,
                "+MPING: \"{}\",{},<rtt {} ms>",
                p.ip,
                p.result,
                p.rtt.as_millis()
            ),
            Urc::PingStat(p) => write!(
                f,
                "+MPINGSTAT: {},\"{}\",{},{},{}",
                p.status,
                p.ip,
                p.sent,
                p.received,
                p.average.as_millis()
            ),
        }
    }
}

/// Is this line one the module prints when it boots?
pub fn is_boot(line: &str) -> bool {
    matches!(line.trim(), "AT command ready" | "RDY")
}

/// Type a URC line. Lines that do not parse are kept whole as [`Urc::Other`].
pub fn parse(line: &str) -> Urc {
    if is_boot(line) {
        return Urc::Boot(line.trim().to_owned());
    }
    if let Some(rest) = line.strip_prefix("+SIM ") {
        return Urc::Sim(rest.trim().to_owned());
    }
    let Some((name, params)) = line.split_once(':') else {
        return Urc::Other(line.to_owned());
    };
    // Data lines are the long ones: decode them without scanning for parameters first.
    if name == "+MIPRTCP" {
        return parse_hex_data(params).unwrap_or_else(|| Urc::Other(line.to_owned()));
    }
    let p = split(params);
    let id = || p.first().and_then(|s| int::<u8>(s));
    let typed = match name.trim() {
        "+MIPCALL" => Some(Urc::MipCall(unquote(params).to_owned())),
        "+MIPOPEN" if p.len() == 2 => id().zip(int::<u8>(p[1])).map(|(id, s)| Urc::MipOpen {
            id,
            connected: s == 1,
        }),
        "+MIPCLOSE" | "+MIPCLOSED" => id().map(|id| Urc::MipClose {
            id,
            detail: p.get(1).and_then(|s| int(s)),
        }),
        "+MIPSTAT" if p.len() >= 2 => id().zip(int::<u8>(p[1])).map(|(id, status)| Urc::MipStat {
            id,
            status,
            acked: p.get(2).and_then(|s| int(s)),
        }),
        "+MIPPUSH" if p.len() >= 2 => id()
            .zip(int::<u8>(p[1]))
            .map(|(id, status)| Urc::MipPush { id, status }),
        "+MIPREAD" if p.len() == 2 => id()
            .zip(int::<u64>(p[1]))
            .map(|(id, len)| Urc::MipRead { id, len }),
        "+MIPDNS" => parse_dns_line(params)
            .ok()
            .map(|(host, addrs)| Urc::MipDns { host, addrs }),
        "+MPING" => parse_ping_reply(params).map(Urc::Ping),
        "+MPINGSTAT" => parse_ping_stat(params).map(Urc::PingStat),
        other => RegistrationDomain::from_prefix(other).and_then(|domain| {
            parse_registration_urc(params).map(|(status, location)| Urc::Registration {
                domain,
                status,
                location,
            })
        }),
    };
    typed.unwrap_or_else(|| Urc::Other(line.to_owned()))
}

/// `+MIPRTCP: <id>,<n>,<HEX>` in IPRFMT 0: the payload length comes from the hex itself.
fn parse_hex_data(params: &str) -> Option<Urc> {
    let mut it = params.splitn(3, ',');
    let id = it.next()?.trim().parse().ok()?;
    let n = it.next()?.trim().parse().ok()?;
    let data = decode_hex(it.next()?.trim().as_bytes())?;
    Some(Urc::MipRtcp { id, n, data })
}

/// Hex digit values; 0xFF marks a byte that is not a hex digit.
const HEX: [u8; 256] = {
    let mut t = [0xFFu8; 256];
    let mut i = 0;
    while i < 10 {
        t[b'0' as usize + i] = i as u8;
        i += 1;
    }
    let mut i = 0;
    while i < 6 {
        t[b'A' as usize + i] = 10 + i as u8;
        t[b'a' as usize + i] = 10 + i as u8;
        i += 1;
    }
    t
};

/// Decode hex (either case), eight digits at a time and with no per-byte branch: this is the
/// receive path of every byte in the module's default format, ~2.5 MB/s of hex at the LTE Cat 1
/// peak. `None` if the length is odd or any byte is not a hex digit.
pub fn decode_hex(hex: &[u8]) -> Option<Vec<u8>> {
    if hex.len() % 2 != 0 {
        return None;
    }
    let mut out = alloc::vec![0u8; hex.len() / 2];
    decode_hex_into(hex, &mut out).then_some(out)
}

/// Decode `hex` (an even number of digits) into `out` (half as long); `false` if any byte is
/// not a hex digit (`out` then holds garbage).
fn decode_hex_into(hex: &[u8], out: &mut [u8]) -> bool {
    let words = hex.chunks_exact(8);
    let tail = words.remainder();
    let mut outs = out.chunks_exact_mut(4);
    let mut bad = 0u64;
    for (w, o) in words.zip(&mut outs) {
        let (digits, wrong) = swar_digits(u64::from_le_bytes([
            w[0], w[1], w[2], w[3], w[4], w[5], w[6], w[7],
        ]));
        bad |= wrong;
        o.copy_from_slice(&digits.to_le_bytes());
    }
    let mut tail_bad = 0u8;
    for (pair, o) in tail.chunks_exact(2).zip(outs.into_remainder()) {
        let (hi, lo) = (HEX[pair[0] as usize], HEX[pair[1] as usize]);
        tail_bad |= hi | lo;
        *o = (hi << 4) | (lo & 0x0F);
    }
    // Every valid digit is < 16, so a 0xFF from the table leaves its high bits set.
    bad == 0 && tail_bad & 0xF0 == 0
}

/// Eight ASCII hex digits (the first in the lowest byte) to their four bytes (the first in the
/// lowest byte), and a word that is non-zero if any of the eight is not a digit. SWAR: each of
/// the eight bytes is one lane of a `u64`, and no step carries from one lane into the next.
#[inline]
fn swar_digits(v: u64) -> (u32, u64) {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = ONES * 0x80;
    // For lanes below 0x80: the lane's bit 7 is set iff lane >= k (no lane exceeds 0xFF).
    let at_least = |x: u64, k: u64| (x + ONES * (0x80 - k)) & HIGH;
    let low7 = v & !HIGH;
    let digit = at_least(low7, b'0' as u64) & !at_least(low7, b'9' as u64 + 1);
    let lower = low7 | (ONES * 0x20);
    let letter = at_least(lower, b'a' as u64) & !at_least(lower, b'f' as u64 + 1);
    // A lane is valid if it is a digit or a letter and its own bit 7 was clear.
    let wrong = ((digit | letter) & !v & HIGH) ^ HIGH;
    // '0'..'9' keep their low nibble; 'A'..'F' and 'a'..'f' (bit 6 set) add 9 to theirs.
    let nibbles = (low7 & (ONES * 0x0F)) + ((low7 >> 6) & ONES) * 9;
    // Lanes 2j and 2j+1 become byte j of each 16-bit group's low half, then the groups close up.
    let mut x = ((nibbles << 4) | (nibbles >> 8)) & 0x00FF_00FF_00FF_00FF;
    x = (x | (x >> 8)) & 0x0000_FFFF_0000_FFFF;
    x = (x | (x >> 16)) & 0x0000_0000_FFFF_FFFF;
    (x as u32, wrong)
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec;

    #[test]
    fn hex_decoding() {
        assert_eq!(decode_hex(b"00fFa5"), Some(vec![0, 0xff, 0xa5]));
        assert_eq!(decode_hex(b"0"), None);
        assert_eq!(decode_hex(b"0g"), None);
        assert_eq!(decode_hex(b"\xff0"), None);
        assert_eq!(decode_hex(b""), Some(vec![]));
        let all: Vec<u8> = (0..=255).collect();
        let upper: String = all.iter().map(|b| alloc::format!("{b:02X}")).collect();
        assert_eq!(decode_hex(upper.as_bytes()), Some(all));
    }

    /// The table, one digit pair at a time: what the eight-at-a-time decoder must agree with.
    fn by_table(hex: &[u8]) -> Option<Vec<u8>> {
        if hex.len() % 2 != 0 {
            return None;
        }
        hex.chunks_exact(2)
            .map(|p| {
                let (hi, lo) = (HEX[p[0] as usize], HEX[p[1] as usize]);
                (hi < 16 && lo < 16).then_some((hi << 4) | lo)
            })
            .collect()
    }

    #[test]
    fn every_byte_in_every_lane_decodes_as_the_table_says() {
        // Each of the 256 byte values at each position of a word (and of the tail after it),
        // among digits of both cases.
        let base = *b"0123456789abcdefABCDEF09";
        for len in [8, 10, 16, 24] {
            for pos in 0..len {
                for b in 0..=255u8 {
                    let mut hex = base[..len].to_vec();
                    hex[pos] = b;
                    assert_eq!(decode_hex(&hex), by_table(&hex), "{hex:?}");
                }
            }
        }
    }

    #[test]
    fn all_pairs_of_digits_decode() {
        let digits = b"0123456789abcdefABCDEF";
        let mut hex = Vec::new();
        for &a in digits {
            for &b in digits {
                hex.extend_from_slice(&[a, b]);
            }
        }
        assert_eq!(decode_hex(&hex), by_table(&hex));
        assert!(decode_hex(&hex).is_some());
    }

    #[test]
    fn typed_urcs() {
        assert_eq!(
            parse("+MIPOPEN: 1,1"),
            Urc::MipOpen {
                id: 1,
                connected: true
            }
        );
        assert_eq!(
            parse("+MIPCLOSE: 1,1"),
            Urc::MipClose {
                id: 1,
                detail: Some(1)
            }
        );
        assert_eq!(
            parse("+MIPCLOSED: 2,3"),
            Urc::MipClose {
                id: 2,
                detail: Some(3)
            }
        );
        assert_eq!(
            parse("+MIPSTAT: 3,2"),
            Urc::MipStat {
                id: 3,
                status: 2,
                acked: None
            }
        );
        assert_eq!(
            parse("+MIPCALL: 10.109.197.168"),
            Urc::MipCall("10.109.197.168".into())
        );
        assert_eq!(
            parse("+MIPRTCP: 1,201,350A57"),
            Urc::MipRtcp {
                id: 1,
                n: 201,
                data: vec![0x35, 0x0a, 0x57]
            }
        );
        assert_eq!(
            parse("AT command ready"),
            Urc::Boot("AT command ready".into())
        );
        assert_eq!(parse("+SIM READY"), Urc::Sim("READY".into()));
        assert_eq!(
            parse("+MIPRTCP: 1,2,XYZ"),
            Urc::Other("+MIPRTCP: 1,2,XYZ".into())
        );
        assert_eq!(
            parse("+MIPOPEN: 300,1"),
            Urc::Other("+MIPOPEN: 300,1".into())
        );
        assert_eq!(parse("+MIPPUSH: 1,0"), Urc::MipPush { id: 1, status: 0 });
        assert_eq!(parse("+MIPREAD: 2,1460"), Urc::MipRead { id: 2, len: 1460 });
        assert_eq!(
            parse("+CEREG: 5"),
            Urc::Registration {
                domain: RegistrationDomain::Eps,
                status: RegistrationStatus::Roaming,
                location: None
            }
        );
        assert!(matches!(
            parse("+CREG: 1,\"5A1F\",\"0B2D4C01\",7"),
            Urc::Registration {
                location: Some(_),
                ..
            }
        ));
        // The read answer's shape is not a URC.
        assert!(matches!(parse("+CREG: 0,1"), Urc::Other(_)));
        assert!(matches!(parse("+MPING: \"1.2.3.4\",0,0,91"), Urc::Ping(_)));
        assert!(matches!(
            parse("+MPINGSTAT: 0,\"1.2.3.4\",1,1,91"),
            Urc::PingStat(_)
        ));
        assert!(matches!(
            parse("+MIPDNS: \"a\",1.2.3.4"),
            Urc::MipDns { .. }
        ));
        // Shown in the module's words again.
        for line in [
            "+MIPOPEN: 1,1",
            "+MIPCLOSE: 2,0",
            "+MIPSTAT: 3,2",
            "+MIPPUSH: 1,0",
            "+MIPREAD: 2,1460",
            "+CREG: 1,\"5A1F\",\"0B2D4C01\",7",
            "+CEREG: 5",
            "+MIPDNS: \"a\",1.2.3.4,::1",
            "+MPINGSTAT: 0,\"1.2.3.4\",1,1,91",
            "+SIM READY",
            "RING",
        ] {
            assert_eq!(alloc::format!("{}", parse(line)), line);
        }
    }
}
