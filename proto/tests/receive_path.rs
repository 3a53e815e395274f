//! The receive path's fast paths change nothing but speed: a session fed one byte per call, in
//! random splits, or whole ends in exactly the same state — outcomes, URCs, events, counters,
//! socket data, what it wrote and its timers. And the response buffer that is reused from
//! command to command never carries a line from one command into the next.

use std::time::Duration;

use l610_proto::framing::ReceiveFormat;
use l610_proto::{
    Command, CommandId, Event, FramingError, Instant, Outcome, Session, SessionConfig, Urc,
};
use proptest::prelude::*;

/// One step of a script: what the driver does.
#[derive(Clone, Debug)]
enum Step {
    Submit(Command),
    Input(Vec<u8>),
    Advance(Duration),
}

/// Everything observable once a script has run.
#[derive(Debug, PartialEq)]
struct Observed {
    outcomes: Vec<(CommandId, Option<Outcome>)>,
    urcs: Vec<Urc>,
    events: Vec<Event>,
    stats: l610_proto::Stats,
    wire: Vec<u8>,
    socket: Vec<u8>,
    timeout: Option<Instant>,
    format: ReceiveFormat,
}

fn run(script: &[Step], cfg: &SessionConfig, split: &mut dyn FnMut(usize) -> usize) -> Observed {
    let mut s = Session::new(cfg.clone());
    let h = s.reserve_socket(&[1]).unwrap();
    let mut now = Instant::ZERO;
    let mut ids = Vec::new();
    let mut wire = Vec::new();
    let mut events = Vec::new();
    let mut urcs = Vec::new();
    let flush = |s: &mut Session, wire: &mut Vec<u8>| {
        while let Some(b) = s.poll_transmit() {
            let n = b.len();
            wire.extend_from_slice(b);
            s.transmitted(n);
        }
    };
    for step in script {
        match step {
            Step::Submit(cmd) => ids.push(s.submit(cmd.clone(), now).unwrap()),
            Step::Input(bytes) => {
                let mut rest = &bytes[..];
                while !rest.is_empty() {
                    let n = split(rest.len()).clamp(1, rest.len());
                    s.handle_input(&rest[..n], now);
                    rest = &rest[n..];
                    // Time moves while bytes trickle in: the clock is part of what must match.
                    now = now + Duration::from_micros(1);
                }
            }
            Step::Advance(d) => {
                now = now + *d;
                s.handle_timeout(now);
            }
        }
        flush(&mut s, &mut wire);
        while let Some(e) = s.poll_event() {
            events.push(e);
        }
        while let Some(u) = s.pop_urc() {
            urcs.push(u);
        }
    }
    let mut socket = vec![0u8; 1 << 16];
    let n = s.read_socket(h, &mut socket).unwrap_or(0);
    socket.truncate(n);
    Observed {
        outcomes: ids.iter().map(|&id| (id, s.take_outcome(id))).collect(),
        urcs,
        events,
        stats: s.stats(),
        wire,
        socket,
        timeout: s.poll_timeout(),
        format: s.receive_format(),
    }
}

/// What may differ between two splits of the same bytes: the clock (time moves per call) and
/// how much of an over-long line was seen before it was dropped ("at least").
fn strip(mut o: Observed) -> Observed {
    o.timeout = None;
    for e in &mut o.events {
        if let Event::Framing(FramingError::LineTooLong { at_least }) = e {
            *at_least = 0;
        }
    }
    o
}

fn input(s: &str) -> Step {
    Step::Input(s.as_bytes().to_vec())
}

/// Echo, responses, URCs, hex data, an over-long line, a timeout and its drain with a late
/// answer, a restart, a switch to the raw format and a raw payload with CR LF and commas inside.
fn script() -> Vec<Step> {
    let hex: String = (0..300u32)
        .map(|i| format!("{:02X}", i * 7 % 256))
        .collect();
    vec![
        input("\r\n+MIPOPEN: 1,1\r\n"),
        Step::Submit(Command::new("+GTSSLMODE?").expects("+GTSSLMODE")),
        input("AT+GTSSLMODE?\r\r\n+GTSSLMODE: 1\r\n\r\n+SIM READY\r\n\r\nOK\r\n"),
        input(&format!("\r\n+MIPRTCP: 1,300,{hex}\r\n")),
        Step::Submit(Command::new("I").bare_lines()),
        input("ATI\r\r\nFibocom\r\nL610 é\r\n\r\nOK\r\n"),
        input(&format!("\r\n+CSQ: {}\r\n", "9".repeat(800))),
        Step::Submit(Command::new("+CSQ").expects("+CSQ")),
        input("AT+CSQ\r\r\n+CSQ: 23,"),
        Step::Advance(Duration::from_secs(6)),
        input("99\r\n\r\nOK\r\n"),
        Step::Submit(Command::new("+CME").expects("+CME")),
        Step::Advance(Duration::from_secs(3)),
        input("AT+CME\r\r\n+CME ERROR: 3\r\n"),
        input("\r\n+MIPSTAT: 1,0,300\r\n"),
        Step::Submit(Command::new("+GTSET=\"IPRFMT\",2").switches_format(ReceiveFormat::Raw)),
        Step::Advance(Duration::from_secs(3)),
        input("AT+GTSET=\"IPRFMT\",2\r\r\nOK\r\n"),
        input("\r\n+MIPRTCP: 1,7,a,\r\nb,c\r\n\r\n+MIPRTCP: 1,3,xyz\r\n"),
        Step::Submit(Command::new("+GTSSLVER?").expects("+GTSSLVER")),
        input("AT+GTSSLVER?\r\r\n+GTSSLVER: 4\r\n\r\nOK\r\n"),
        Step::Submit(Command::new("+GTSSLVER?").expects("+GTSSLVER")),
        // A restart inside a payload: the boot line is found in the bytes taken as payload.
        input("AT+GTSSLVER?\r\r\n\r\n+MIPRTCP: 1,40,ab\r\nRDY\r\n"),
        Step::Advance(Duration::from_secs(3)),
    ]
}

fn config() -> SessionConfig {
    SessionConfig {
        // Small enough that the 800-digit +CSQ is over-long, large enough for the hex line.
        max_line: 700,
        ..SessionConfig::default()
    }
}

#[test]
fn one_byte_per_call_is_the_same_as_whole() {
    let whole = run(&script(), &config(), &mut |n| n);
    let bytes = run(&script(), &config(), &mut |_| 1);
    assert_eq!(whole.socket.len(), 300 + 7 + 3, "{whole:?}");
    assert!(whole.stats.oversized_lines >= 1, "{whole:?}");
    assert!(whole.stats.resets >= 1, "{whole:?}");
    assert!(
        matches!(whole.outcomes[2].1, Some(Outcome::Timeout(_))),
        "{whole:?}"
    );
    assert_eq!(strip(bytes), strip(whole));
}

proptest! {
    #[test]
    fn any_split_is_the_same_as_one_byte_per_call(cuts in prop::collection::vec(1usize..9, 1..64)) {
        let mut i = 0;
        let mut split = |_: usize| {
            i += 1;
            cuts[i % cuts.len()]
        };
        let some = strip(run(&script(), &config(), &mut split));
        let bytes = strip(run(&script(), &config(), &mut |_| 1));
        prop_assert_eq!(some, bytes);
    }
}

fn ok_lines(o: Option<Outcome>) -> Vec<String> {
    match o {
        Some(Outcome::Ok(r)) => r.to_lines(),
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_response_never_carries_lines_of_the_command_before() {
    let cfg = SessionConfig {
        max_response_lines: 2,
        ..SessionConfig::default()
    };
    let mut s = Session::new(cfg);
    let t = Instant::ZERO;
    // 1: answered; 2: lines then a timeout; 3: too large; 4: answered after all that.
    let a = s.submit(Command::new("+A").expects("+A"), t).unwrap();
    s.handle_input(b"AT+A\r\r\n+A: 1\r\n\r\n+A: 2\r\n\r\nOK\r\n", t);
    assert_eq!(ok_lines(s.take_outcome(a)), ["+A: 1", "+A: 2"]);

    let b = s.submit(Command::new("+B").expects("+B"), t).unwrap();
    s.handle_input(b"AT+B\r\r\n+B: 1\r\n", t);
    let t = t + Duration::from_secs(10);
    s.handle_timeout(t);
    assert!(matches!(s.take_outcome(b), Some(Outcome::Timeout(_))));
    let t = t + Duration::from_secs(3);
    s.handle_timeout(t);

    let c = s.submit(Command::new("+C").expects("+C"), t).unwrap();
    s.handle_input(b"AT+C\r\r\n+C: 1\r\n+C: 2\r\n+C: 3\r\nOK\r\n", t);
    assert_eq!(
        s.take_outcome(c),
        Some(Outcome::TooLarge {
            lines: 3,
            bytes: 15
        })
    );

    let d = s.submit(Command::new("+D").expects("+D"), t).unwrap();
    s.handle_input(b"AT+D\r\r\n+D: 9\r\nOK\r\n", t);
    assert_eq!(ok_lines(s.take_outcome(d)), ["+D: 9"]);

    let e = s.submit(Command::new("").expects("+A"), t).unwrap();
    s.handle_input(b"AT\r\r\nOK\r\n", t);
    assert_eq!(ok_lines(s.take_outcome(e)), Vec::<String>::new());
}

#[test]
fn several_prefixes_are_each_expected() {
    let mut s = Session::new(SessionConfig::default());
    let t = Instant::ZERO;
    let cmd = Command::new("+X").expects("+ONE").expects("+two");
    assert_eq!(
        format!("{cmd:?}"),
        "Command { line: \"AT+X\", expects: [\"+ONE\", \"+two\"], timeout: None, payload: None, .. }"
    );
    let id = s.submit(cmd, t).unwrap();
    s.handle_input(b"AT+X\r\r\n+ONE: 1\r\n+TWO : 2\r\n+THREE: 3\r\nOK\r\n", t);
    assert_eq!(ok_lines(s.take_outcome(id)), ["+ONE: 1", "+TWO : 2"]);
    assert_eq!(s.pop_urc(), Some(Urc::Other("+THREE: 3".into())));
}

/// Lines are classified on their bytes, and taken as text (lossily when not UTF-8) only when
/// kept or parsed: the same answers as classifying the lossy text.
#[test]
fn lines_that_are_not_utf8_or_end_in_white_space_are_classified_as_before() {
    let mut s = Session::new(SessionConfig::default());
    let t = Instant::ZERO;
    let id = s
        .submit(Command::new("+GTSSLMODE?").expects("+GTSSLMODE"), t)
        .unwrap();
    // An echo with trailing white space, a response line and a URC that are not UTF-8, a
    // name with Unicode white space before its colon, and `OK ` with a trailing space.
    s.handle_input(
        b"at+gtsslmode? \t\r\r\n+GTSSLMODE: \xff1\r\n\r\n+X\xffY: 2\r\n\
          +GTSSLMODE\xc2\xa0: 3\r\n\r\nOK \r\n",
        t,
    );
    assert_eq!(
        ok_lines(s.take_outcome(id)),
        ["+GTSSLMODE: \u{fffd}1", "+GTSSLMODE\u{a0}: 3"]
    );
    assert_eq!(s.pop_urc(), Some(Urc::Other("+X\u{fffd}Y: 2".into())));
    assert_eq!(s.pop_urc(), None);
    // The echo of a command with a non-ASCII line, followed by Unicode white space.
    let id = s.submit(Command::new("+NAME=\"é\""), t).unwrap();
    s.handle_input("AT+NAME=\"é\"\u{3000}\r\r\nOK\r\n".as_bytes(), t);
    assert_eq!(ok_lines(s.take_outcome(id)), Vec::<String>::new());
    assert_eq!(s.pop_urc(), None);
    assert_eq!(s.stats().stray, 0);
    // A `+CME ERROR` whose text is not UTF-8 ends the command, its text made valid.
    let id = s.submit(Command::new(""), t).unwrap();
    s.handle_input(b"AT\r\r\n+CME ERROR: \xfe\r\n", t);
    assert_eq!(
        s.take_outcome(id),
        Some(Outcome::Cme {
            code: None,
            text: Some("\u{fffd}".into())
        })
    );
}

/// The byte-at-a-time fast path stays off while the session drains: every byte, even one inside
/// a line, restarts the quiet period, as it does when bytes come in larger pieces.
#[test]
fn every_byte_fed_one_at_a_time_restarts_the_drains_quiet_period() {
    let cfg = SessionConfig::default();
    let mut s = Session::new(cfg.clone());
    let id = s
        .submit(Command::new("+CSQ").expects("+CSQ"), Instant::ZERO)
        .unwrap();
    s.transmitted(7);
    let mut now = Instant::ZERO;
    for &b in b"AT+CSQ\r\r\n+CSQ: 2" {
        now = now + Duration::from_millis(1);
        s.handle_input(&[b], now);
    }
    // The answer stalls inside a line: the command times out and the line drains.
    now = now + Duration::from_secs(6);
    s.handle_timeout(now);
    assert!(matches!(s.take_outcome(id), Some(Outcome::Timeout(_))));
    for &b in b"3,99 and more of the same late line" {
        now = now + Duration::from_millis(10);
        s.handle_input(&[b], now);
        assert_eq!(
            s.poll_timeout(),
            Some(now + cfg.quiet_period),
            "{}",
            b as char
        );
    }
    assert_eq!(s.stats().rx_bytes, 16 + 35);
}

/// Bytes taken by the fast path are counted as they come, though not one by one.
#[test]
fn rx_bytes_counts_every_byte_of_a_long_line_fed_one_at_a_time() {
    let mut s = Session::new(SessionConfig::default());
    let line = format!("\r\n+MIPRTCP: 1,700,{}\r\n", "AB".repeat(700));
    for (i, &b) in line.as_bytes().iter().enumerate() {
        s.handle_input(&[b], Instant::ZERO);
        assert_eq!(s.stats().rx_bytes, i as u64 + 1);
    }
    assert_eq!(s.stats().stray_socket, 1);
}

/// Lines just under, at and over `max_line`, fed one byte at a time, frame as they do whole (the
/// fast path turns off near the bound and the full path decides).
#[test]
fn lines_at_the_bound_frame_the_same_one_byte_at_a_time() {
    let cfg = SessionConfig {
        max_line: 300,
        ..SessionConfig::default()
    };
    let mut input = String::new();
    for len in 290..=310 {
        input.push_str(&format!("\r\n+X: {}\r\n", "7".repeat(len - 4)));
    }
    input.push_str("\r\n+SIM READY\r\n");
    let script = [Step::Input(input.into_bytes())];
    let whole = run(&script, &cfg, &mut |n| n);
    let bytes = run(&script, &cfg, &mut |_| 1);
    assert_eq!(whole.stats.oversized_lines, 10, "{whole:?}");
    assert_eq!(whole.urcs.len(), 12, "{whole:?}");
    assert_eq!(strip(bytes), strip(whole));
}

/// The `>` prompt at the start of a line, CR and LF between lines and a `>` inside a line, fed
/// one byte at a time, do what they do whole (the fast path is armed at the start of a line too).
#[test]
fn prompts_and_the_bytes_between_lines_are_the_same_one_byte_at_a_time() {
    let script = [
        input("\r\n+MIPOPEN: 1,1\r\n"),
        Step::Submit(Command::new("+MIPSEND=1,3").payload(b"abc".to_vec())),
        input("\r\n\r\n\n\rAT+MIPSEND=1,3\r\r\n> "),
        input("\r\n+MIPSEND: 1,0\r\n\r\nOK\r\n"),
        input("\r\n>+X: a>b\r\n\r\n,+Y: 1,2\r\n"),
        Step::Submit(Command::new("+GTSET=\"IPRFMT\",2").switches_format(ReceiveFormat::Raw)),
        input("AT+GTSET=\"IPRFMT\",2\r\r\nOK\r\n\r\n+MIPRTCP: 1,3,x\r\n\r\n"),
    ];
    let whole = run(&script, &config(), &mut |n| n);
    let bytes = run(&script, &config(), &mut |_| 1);
    assert!(
        whole.wire.starts_with(b"AT+MIPSEND=1,3\rabcAT"),
        "{whole:?}"
    );
    assert!(
        matches!(whole.outcomes[0].1, Some(Outcome::Ok(_))),
        "{whole:?}"
    );
    assert_eq!(whole.socket, b"x\r\n", "{whole:?}");
    assert_eq!(whole.stats.stray, 1, "{whole:?}");
    assert_eq!(strip(bytes), strip(whole));
}
