//! Parameter parsing (`split`, `unquote`, range lists, `+CCLK` times) on arbitrary text, plus
//! round trips: what the driver writes must read back as what it meant.
#![no_main]

use arbitrary::Arbitrary;
use l610_proto::commands::ModuleTime;
use l610_proto::params::{self, RangeList, MAX_RANGE_VALUES};
use libfuzzer_sys::fuzz_target;

#[derive(Debug, Arbitrary)]
enum Input<'a> {
    /// Text off the wire into every parser.
    Text(&'a str),
    /// A range list as a test command prints it, read back.
    Ranges(Vec<(i64, i64)>),
    /// A user value quoted for a command line, read back.
    Quote(&'a str),
    /// A module time written as `+CCLK` text, read back.
    Time {
        year: u8,
        month: u8,
        day: u8,
        hour: u8,
        minute: u8,
        second: u8,
        zone: Option<i8>,
    },
    /// Seconds since the epoch to a module time and back.
    Unix(i64),
}

fn text(text: &str) {
    let parts = params::split(text);
    assert!(!parts.is_empty());
    for p in &parts {
        let at = p.as_ptr() as usize - text.as_ptr() as usize;
        assert!(at + p.len() <= text.len(), "{p:?} is not part of {text:?}");
        let u = params::unquote(p);
        assert!(u.len() <= p.len());
        let _ = params::int::<i64>(p);
        let _ = params::int::<u8>(p);
    }
    let _ = params::unquote(text);

    if let Some(r) = RangeList::parse(text) {
        assert!(r.ranges.iter().all(|&(lo, hi)| lo <= hi), "{r:?}");
        assert!(r.count() <= MAX_RANGE_VALUES, "{r:?} from {text:?}");
        let v = r.values();
        assert!(v.len() as u64 <= r.count());
        assert!(v.windows(2).all(|w| w[0] < w[1]), "not ascending: {v:?}");
        assert!(v.iter().all(|&x| r.contains(x)));
    }

    if let Ok(t) = ModuleTime::parse(text) {
        assert!(t.validate().is_ok(), "{t:?} from {text:?}");
        assert_eq!(ModuleTime::parse(&t.to_at()).ok(), Some(t), "{text:?}");
        let _ = t.to_string();
    }
}

fuzz_target!(|input: Input<'_>| match input {
    Input::Text(t) => text(t),
    Input::Ranges(ranges) => {
        let ranges: Vec<(i64, i64)> = ranges
            .into_iter()
            .map(|(a, b)| (a.min(b), a.max(b)))
            .collect();
        let body: Vec<String> = ranges
            .iter()
            .map(|&(lo, hi)| {
                if lo == hi {
                    format!("{lo}")
                } else {
                    format!("{lo}-{hi}")
                }
            })
            .collect();
        let group = format!("({})", body.join(","));
        let want = RangeList { ranges };
        match RangeList::parse(&group) {
            Some(got) => assert_eq!(got, want, "{group}"),
            None => assert!(want.count() > MAX_RANGE_VALUES, "{group} not parsed"),
        }
        text(&group);
    }
    Input::Quote(value) => match params::quoted("value", value) {
        Ok(q) => {
            assert!(!q.chars().any(|c| c.is_control() || !c.is_ascii()));
            assert_eq!(params::split(&q), vec![q.as_str()]);
            assert_eq!(params::unquote(&q), value.trim(), "{q}");
        }
        Err(_) => assert!(
            value
                .chars()
                .any(|c| c == '"' || c.is_control() || !c.is_ascii()),
            "{value:?} refused"
        ),
    },
    Input::Time {
        year,
        month,
        day,
        hour,
        minute,
        second,
        zone,
    } => {
        let t = ModuleTime {
            year: 2000 + u16::from(year % 100),
            month,
            day,
            hour,
            minute,
            second,
            zone_quarters: zone,
        };
        let back = ModuleTime::parse(&t.to_at());
        if t.validate().is_ok() {
            assert_eq!(back.ok(), Some(t), "{}", t.to_at());
            assert_eq!(ModuleTime::from_unix(t.to_unix()).to_unix(), t.to_unix());
        } else {
            assert!(back.is_err(), "{} parsed though invalid", t.to_at());
        }
    }
    Input::Unix(unix) => {
        let t = ModuleTime::from_unix(unix);
        if t.validate().is_ok() {
            assert_eq!(t.to_unix(), unix, "{t:?}");
            assert_eq!(ModuleTime::parse(&t.to_at()).ok(), Some(t));
        }
    }
});
