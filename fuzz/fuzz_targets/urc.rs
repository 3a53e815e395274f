//! URC parsing on arbitrary lines, and the typed URCs read back from the lines the module prints.
#![no_main]

use arbitrary::Arbitrary;
use l610_proto::urc::{self, Urc};
use libfuzzer_sys::fuzz_target;

#[derive(Debug, Arbitrary)]
enum Input<'a> {
    /// Any line.
    Line(&'a str),
    /// `+MIPRTCP: <id>,<n>,<HEX>` (IPRFMT 0).
    Data {
        id: u32,
        n: u64,
        data: Vec<u8>,
        upper: bool,
    },
    /// `+MIPOPEN: <id>,<state>`.
    Open { id: u8, state: u8 },
    /// `+MIPSTAT: <id>,<n>[,<acked>]`.
    Stat {
        id: u8,
        status: u8,
        acked: Option<u64>,
    },
    /// `+MIPCLOSE: <id>[,<x>]`.
    Close { id: u8, detail: Option<i64> },
}

fn hex(data: &[u8], upper: bool) -> String {
    data.iter()
        .map(|b| {
            if upper {
                format!("{b:02X}")
            } else {
                format!("{b:02x}")
            }
        })
        .collect()
}

fuzz_target!(|input: Input<'_>| {
    match input {
        Input::Line(line) => {
            let parsed = urc::parse(line);
            match &parsed {
                Urc::Other(s) => assert_eq!(s, line, "Other must keep the line whole"),
                Urc::Boot(_) => assert!(urc::is_boot(line)),
                Urc::MipRtcp { data, .. } => assert!(data.len() * 2 <= line.len()),
                _ => {}
            }
            assert!(urc::is_boot(line) == matches!(parsed, Urc::Boot(_)));
        }
        Input::Data { id, n, data, upper } => {
            let line = format!("+MIPRTCP: {id},{n},{}", hex(&data, upper));
            assert_eq!(urc::parse(&line), Urc::MipRtcp { id, n, data }, "{line}");
        }
        Input::Open { id, state } => {
            let line = format!("+MIPOPEN: {id},{state}");
            let want = Urc::MipOpen {
                id,
                connected: state == 1,
            };
            assert_eq!(urc::parse(&line), want, "{line}");
        }
        Input::Stat { id, status, acked } => {
            let line = match acked {
                Some(a) => format!("+MIPSTAT: {id},{status},{a}"),
                None => format!("+MIPSTAT: {id},{status}"),
            };
            let want = Urc::MipStat { id, status, acked };
            assert_eq!(urc::parse(&line), want, "{line}");
        }
        Input::Close { id, detail } => {
            let line = match detail {
                Some(d) => format!("+MIPCLOSE: {id},{d}"),
                None => format!("+MIPCLOSE: {id}"),
            };
            assert_eq!(urc::parse(&line), Urc::MipClose { id, detail }, "{line}");
        }
    }
});
