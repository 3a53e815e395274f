//! The manual's transcripts replayed through the session, whole, byte by byte, and — by property
//! test — re-split at random boundaries with URCs inserted between lines, with commands submitted
//! one by one or all at once and virtual time passing between the pieces.

use std::time::Duration;

use l610_proto::framing::{Frame, Framer, ReceiveFormat};
use l610_proto::{Command, Instant, Outcome, Response, Session, SessionConfig, Urc};
use proptest::prelude::*;

/// One exchange: the command, what the module sent back, and the outcome we expect.
struct Step {
    cmd: Command,
    rx: &'static str,
    outcome: Outcome,
}

fn ok(lines: &[&str]) -> Outcome {
    Outcome::Ok(Response::from_lines(lines))
}

fn step(cmd: Command, rx: &'static str, outcome: Outcome) -> Step {
    Step { cmd, rx, outcome }
}

const HEX1: &str = "350A576564204A616E2032312031353A35383A3034204D534B20323031350A";

/// Examples 1–6 of the manual as the module sends them (echo on, the PDF's typos fixed as
/// AT-REFERENCE §4 reads them), with the URCs each one ends with.
fn manual() -> (Vec<Step>, Vec<Urc>) {
    let steps = vec![
        // Example 1
        step(Command::new("+MIPCALL=1"), "AT+MIPCALL=1\r\r\nOK\r\n\r\n+MIPCALL: 10.79.220.142\r\n", ok(&[])),
        step(Command::new("+MIPOPEN=1,,\"www.baidu.com\",443,2"), "at+mipopen=1,,\"www.baidu.com\",443,2\r\r\nOK\r\n\r\n+MIPOPEN: 1,1\r\n", ok(&[])),
        step(Command::new("+MIPCLOSE=1"), "AT+MIPCLOSE=1\r\r\nOK\r\n\r\n+MIPCLOSE: 1,1\r\n", ok(&[])),
        // Example 2
        step(Command::new("+GTSSLMODE=1"), "at+gtsslmode=1\r\r\nOK\r\n", ok(&[])),
        step(Command::new("+GTSSLMODE?").expects("+GTSSLMODE"), "at+gtsslmode?\r\r\n+GTSSLMODE: 1\r\n\r\nOK\r\n", ok(&["+GTSSLMODE: 1"])),
        step(Command::new("+MIPOPEN=1,,\"www.baidu.com\",443,2"), "at+mipopen=1,,\"www.baidu.com\",443,2\r\r\nOK\r\n\r\n+MIPOPEN: 1,0\r\n", ok(&[])),
        step(Command::new("+GTSSLERR?").expects("+GTSSLERR"), "AT+GTSSLERR?\r\r\n+GTSSLERR: -11\r\n\r\nOK\r\n", ok(&["+GTSSLERR: -11"])),
        step(
            Command::new("+GTSSLFILE?").expects("+GTSSLFILE"),
            "at+gtsslfile?\r\r\n+GTSSLFILE: CERTFILE,0\r\n\r\n+GTSSLFILE: KEYFILE,0\r\n\r\n+GTSSLFILE: TRUSTFILE,0\r\n\r\nOK\r\n",
            ok(&["+GTSSLFILE: CERTFILE,0", "+GTSSLFILE: KEYFILE,0", "+GTSSLFILE: TRUSTFILE,0"]),
        ),
        // Example 3: the upload (prompt, then OK after the 850 bytes)
        step(Command::new("+GTSSLFILE=\"TRUSTFILE\",850").payload(vec![b'A'; 850]), "AT+GTSSLFILE=\"TRUSTFILE\",850\r\r\n> \r\nOK\r\n", ok(&[])),
        // Example 4
        step(Command::new("+CCLK=\"15/01/23,15:30:36\""), "AT+CCLK=\"15/01/23,15:30:36\"\r\r\nOK\r\n", ok(&[])),
        // Example 5: " CERTFILE" with the stray space, accepted
        step(Command::new("+GTSSLFILE=\" CERTFILE\",1334").payload(vec![b'A'; 1334]), "AT+GTSSLFILE=\" CERTFILE\",1334\r\r\n> \r\nOK\r\n", ok(&[])),
        step(
            Command::new("+MIPOPEN=1,,\"188.93.19.231\",5555,2"),
            "AT+MIPOPEN=1,,\"188.93.19.231\",5555,2\r\r\nOK\r\n\r\n+MIPOPEN: 1,1\r\n\r\n+MIPRTCP: 1,201,350A576564204A616E2032312031353A35383A3034204D534B20323031350A\r\n",
            ok(&[]),
        ),
        // Example 6
        step(Command::new("+COPS?").expects("+COPS"), "AT+COPS?\r\r\n+COPS: 0,0,\"CHINA MOBILE\",7\r\n\r\nOK\r\n", ok(&["+COPS: 0,0,\"CHINA MOBILE\",7"])),
        step(Command::new("+GTSSLCIPHER?").expects("+GTSSLCIPHER"), "AT+GTSSLCIPHER?\r\r\n+GTSSLCIPHER: 1,2,3,4,5,6\r\n\r\nOK\r\n", ok(&["+GTSSLCIPHER: 1,2,3,4,5,6"])),
        step(Command::new("+GTSSLCIPHER=1,0"), "AT+GTSSLCIPHER=1,0\r\r\nOK\r\n", ok(&[])),
        step(Command::new("+GTSSLCIPHER?").expects("+GTSSLCIPHER"), "AT+GTSSLCIPHER?\r\r\n+GTSSLCIPHER: 5\r\n\r\nOK\r\n", ok(&["+GTSSLCIPHER: 5"])),
    ];
    (steps, vec![])
}

/// Write out whatever the session has for the module.
fn flush(s: &mut Session) -> Vec<u8> {
    let mut out = Vec::new();
    while let Some(b) = s.poll_transmit() {
        out.extend_from_slice(b);
        let n = b.len();
        s.transmitted(n);
    }
    out
}

/// Replay: for each step, submit the command and feed its bytes in the given pieces.
fn replay(steps: &[Step], pieces: impl Fn(&[u8]) -> Vec<Vec<u8>>) -> (Vec<Outcome>, Session) {
    let mut s = Session::new(SessionConfig::default());
    let now = Instant::ZERO;
    let mut outcomes = Vec::new();
    for st in steps {
        let id = s.submit(st.cmd.clone(), now).unwrap();
        let written = flush(&mut s);
        assert!(written.starts_with(st.cmd.line().as_bytes()));
        for piece in pieces(st.rx.as_bytes()) {
            s.handle_input(&piece, now);
            flush(&mut s);
        }
        outcomes.push(
            s.take_outcome(id)
                .expect("each step ends with a final result"),
        );
    }
    (outcomes, s)
}

fn drain(s: &mut Session) -> Vec<Urc> {
    std::iter::from_fn(|| s.pop_urc()).collect()
}

#[test]
fn manual_examples_whole_and_byte_by_byte() {
    let (steps, _) = manual();
    let expected: Vec<Outcome> = steps.iter().map(|s| s.outcome.clone()).collect();
    let (whole, mut p1) = replay(&steps, |b| vec![b.to_vec()]);
    let (bytes, mut p2) = replay(&steps, |b| b.iter().map(|x| vec![*x]).collect());
    assert_eq!(whole, expected);
    assert_eq!(bytes, expected);
    // Socket and PDP URCs were routed, nothing else was queued.
    assert_eq!(drain(&mut p1), vec![]);
    assert_eq!(drain(&mut p2), vec![]);
    assert_eq!(p1.stats().stray, 0);
    assert_eq!(p1.stats().framing_errors, 0);
}

#[test]
fn example_5_hex_data_decodes_to_the_date_lines() {
    let mut s = Session::new(SessionConfig::default());
    let h = s.reserve_socket(&[1]).unwrap();
    let now = Instant::ZERO;
    s.handle_input(b"\r\n+MIPOPEN: 1,1\r\n", now);
    // The same second field on URCs of different sizes: the length comes from the hex.
    s.handle_input(
        format!("\r\n+MIPRTCP: 1,201,{HEX1}\r\n\r\n+MIPRTCP: 1,201,576564\r\n").as_bytes(),
        now,
    );
    let mut buf = [0u8; 256];
    let n = s.read_socket(h, &mut buf).unwrap();
    assert_eq!(&buf[..n], b"5\nWed Jan 21 15:58:04 MSK 2015\nWed");
    assert_eq!(s.pop_urc(), None);
}

const URCS: [&str; 4] = ["+SIM READY", "+CREG: 1", "+CSQ: 24,99", "RING"];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    /// Re-splitting the stream anywhere and inserting URCs between lines changes nothing, and each
    /// URC is delivered exactly once.
    #[test]
    fn resplit_with_urcs_gives_the_same_results(
        cuts in proptest::collection::vec(1usize..40, 1..200),
        inserts in proptest::collection::vec((0usize..64, 0usize..URCS.len()), 0..12),
        ticks in proptest::collection::vec(0u64..400, 1..50),
        all_at_once in any::<bool>(),
    ) {
        let (steps, _) = manual();
        let expected: Vec<Outcome> = steps.iter().map(|s| s.outcome.clone()).collect();
        let mut sent_urcs = Vec::new();
        let mut p = Session::new(SessionConfig::default());
        let mut now = Instant::ZERO;
        let mut tick = ticks.iter().cycle();
        let mut outcomes = Vec::new();
        let mut cut = cuts.iter().cycle();
        // Submitting everything up front (the session queues) or each command in its turn must
        // make no difference; neither may time passing (less than any timeout) between pieces.
        let mut ids = Vec::new();
        if all_at_once {
            for st in &steps {
                ids.push(p.submit(st.cmd.clone(), now).unwrap());
            }
        }
        for (i, s) in steps.iter().enumerate() {
            // Insert URCs after the echo line of this step (between lines, never inside one).
            let rx = s.rx.as_bytes();
            let echo_end = rx.iter().position(|&b| b == b'\r').unwrap() + 1;
            let mut stream = rx[..echo_end].to_vec();
            for (at, which) in inserts.iter().filter(|(at, _)| at % steps.len() == i) {
                let _ = at;
                stream.extend_from_slice(format!("\r\n{}\r\n", URCS[*which]).as_bytes());
                sent_urcs.push(URCS[*which]);
            }
            stream.extend_from_slice(&rx[echo_end..]);
            let id = if all_at_once { ids[i] } else { p.submit(s.cmd.clone(), now).unwrap() };
            flush(&mut p);
            let mut rest = &stream[..];
            while !rest.is_empty() {
                let n = (*cut.next().unwrap()).min(rest.len());
                p.handle_input(&rest[..n], now);
                now = now + Duration::from_millis(*tick.next().unwrap() / 40);
                p.handle_timeout(now);
                flush(&mut p);
                rest = &rest[n..];
            }
            outcomes.push(p.take_outcome(id).unwrap());
        }
        prop_assert_eq!(outcomes, expected);
        let got: Vec<String> = drain(&mut p).into_iter().map(|u| match u {
            Urc::Sim(s) => format!("+SIM {s}"),
            Urc::Other(s) => s,
            Urc::Registration { domain, status, location: None } => {
                format!("{}: {}", domain.prefix(), status.code())
            }
            other => format!("{other:?}"),
        }).collect();
        prop_assert_eq!(got, sent_urcs);
    }

    /// Raw (IPRFMT 2) payloads are read by length whatever bytes they hold and however they are cut.
    #[test]
    fn raw_payloads_are_binary_safe(data in proptest::collection::vec(any::<u8>(), 0..3000), cut in 1usize..700) {
        let mut f = Framer::new(1 << 16, 1 << 16);
        f.set_format(ReceiveFormat::Raw);
        let mut stream = format!("\r\n+MIPRTCP: 2,{},", data.len()).into_bytes();
        stream.extend_from_slice(&data);
        stream.extend_from_slice(b"\r\n\r\nOK\r\n");
        let mut frames = Vec::new();
        for mut piece in stream.chunks(cut) {
            while let Some(fr) = f.next_frame(&mut piece) {
                frames.push(fr);
            }
        }
        prop_assert_eq!(frames, vec![
            Frame::Payload { id: 2, data: data.clone() },
            Frame::Line(b"OK".to_vec()),
        ]);
    }
}
