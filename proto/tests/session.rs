//! The session driven with virtual time: each race and fault of issue #8 reproduced
//! deterministically, with no threads, no port and no sleeps.

use std::time::Duration;

use l610_proto::framing::ReceiveFormat;
use l610_proto::{
    CloseReason, Command, CommandId, Event, Instant, Outcome, ReadError, Session, SessionConfig,
    SocketHandle, SocketState, Waiting,
};

/// A session plus its virtual clock and everything it wrote.
struct Bench {
    s: Session,
    now: Instant,
    wire: Vec<u8>,
}

impl Bench {
    fn new() -> Self {
        Bench::with(SessionConfig::default())
    }

    fn with(cfg: SessionConfig) -> Self {
        Bench {
            s: Session::new(cfg),
            now: Instant::ZERO,
            wire: Vec::new(),
        }
    }

    fn submit(&mut self, cmd: Command) -> CommandId {
        let id = self.s.submit(cmd, self.now).unwrap();
        self.flush();
        id
    }

    fn flush(&mut self) {
        while let Some(b) = self.s.poll_transmit() {
            let n = b.len();
            self.wire.extend_from_slice(b);
            self.s.transmitted(n);
        }
    }

    /// What was written since the last call, as text.
    fn written(&mut self) -> String {
        String::from_utf8_lossy(&std::mem::take(&mut self.wire)).into_owned()
    }

    fn input(&mut self, bytes: &[u8]) {
        self.s.handle_input(bytes, self.now);
        self.flush();
    }

    fn advance(&mut self, d: Duration) {
        self.now = self.now + d;
        self.s.handle_timeout(self.now);
        self.flush();
    }

    /// Let every timer fire.
    fn settle(&mut self) {
        while let Some(t) = self.s.poll_timeout() {
            self.now = self.now.max(t);
            self.s.handle_timeout(self.now);
            self.flush();
        }
    }

    fn outcome(&mut self, id: CommandId) -> Outcome {
        self.s
            .take_outcome(id)
            .unwrap_or_else(|| panic!("no outcome for {id:?}"))
    }

    /// Open socket `id` the way the driver does: reserve, `AT+MIPOPEN`, `OK`, `+MIPOPEN: id,1`.
    fn open(&mut self, free: &[u8]) -> SocketHandle {
        let h = self.s.reserve_socket(free).expect("a free id");
        let line = format!("AT+MIPOPEN={},,\"h\",1,2", h.id);
        let c = self.submit(Command::new(&line[2..]));
        self.input(format!("{line}\r\r\nOK\r\n\r\n+MIPOPEN: {},1\r\n", h.id).as_bytes());
        assert!(matches!(self.outcome(c), Outcome::Ok(_)));
        assert_eq!(self.s.socket_state(h), SocketState::Open);
        h
    }

    fn read_all(&mut self, h: SocketHandle) -> (Vec<u8>, Result<usize, ReadError>) {
        let mut got = Vec::new();
        let mut buf = [0u8; 4096];
        loop {
            match self.s.read_socket(h, &mut buf) {
                Ok(0) => return (got, Ok(0)),
                Ok(n) => got.extend_from_slice(&buf[..n]),
                Err(e) => return (got, Err(e)),
            }
        }
    }
}

fn query(name: &str) -> Command {
    Command::new(format!("{name}?")).expects(name)
}

#[test]
fn one_command_round_trip_with_and_without_echo() {
    for echo in [true, false] {
        let mut b = Bench::new();
        let id = b.submit(query("+GTSSLMODE"));
        assert_eq!(b.written(), "AT+GTSSLMODE?\r");
        if echo {
            b.input(b"AT+GTSSLMODE?\r");
        }
        b.input(b"\r\n+GTSSLMODE: 1\r\n\r\nOK\r\n");
        match b.outcome(id) {
            Outcome::Ok(r) => assert_eq!(r.lines().collect::<Vec<_>>(), vec!["+GTSSLMODE: 1"]),
            o => panic!("{o:?}"),
        }
    }
}

/// Defect 10, the abandon race: in the threaded engine a timeout abandoned whatever command was
/// in flight when the timed-out thread got round to it — possibly another thread's. In the
/// session the timeout belongs to the command, and the one queued behind it is untouched.
#[test]
fn a_timeout_abandons_only_its_own_command() {
    let mut b = Bench::new();
    let slow = b.submit(query("+GTSSLMODE").timeout(Duration::from_secs(1)));
    let next = b.submit(query("+GTSSLVER"));
    assert_eq!(
        b.written(),
        "AT+GTSSLMODE?\r",
        "one command on the line at a time"
    );
    b.advance(Duration::from_millis(999));
    assert!(b.s.is_pending(slow));
    b.advance(Duration::from_millis(1));
    assert_eq!(b.outcome(slow), Outcome::Timeout(Waiting::FinalResult));
    // The line must be quiet before the next command goes out.
    assert_eq!(b.written(), "");
    b.advance(Duration::from_millis(150));
    assert_eq!(b.written(), "AT+GTSSLVER?\r");
    // The slow command's late answer comes first, then ours.
    b.input(b"\r\n+GTSSLMODE: 1\r\n\r\nOK\r\nAT+GTSSLVER?\r\r\n+GTSSLVER: 4\r\n\r\nOK\r\n");
    match b.outcome(next) {
        Outcome::Ok(r) => assert_eq!(r.lines().collect::<Vec<_>>(), vec!["+GTSSLVER: 4"]),
        o => panic!("{o:?}"),
    }
    assert_eq!(b.s.stats().stray, 1);
}

#[test]
fn a_late_answer_during_the_drain_extends_it() {
    let mut b = Bench::new();
    let slow = b.submit(query("+GTSSLMODE").timeout(Duration::from_secs(1)));
    let next = b.submit(query("+GTSSLVER"));
    b.written();
    b.advance(Duration::from_secs(1));
    assert_eq!(b.outcome(slow), Outcome::Timeout(Waiting::FinalResult));
    b.advance(Duration::from_millis(100));
    b.input(b"AT+GTSSLMODE?\r\r\n+GTSSLMODE: 1\r\n");
    b.advance(Duration::from_millis(100));
    assert_eq!(b.written(), "", "still talking: still draining");
    b.input(b"\r\nOK\r\n");
    b.advance(Duration::from_millis(150));
    assert_eq!(b.written(), "AT+GTSSLVER?\r");
    b.input(b"AT+GTSSLVER?\r\r\n+GTSSLVER: 4\r\n\r\nOK\r\n");
    assert!(matches!(b.outcome(next), Outcome::Ok(_)));
}

#[test]
fn the_drain_is_bounded_by_its_limit() {
    let mut b = Bench::new();
    let slow = b.submit(query("+GTSSLMODE").timeout(Duration::from_secs(1)));
    let next = b.submit(query("+GTSSLVER"));
    b.written();
    b.advance(Duration::from_secs(1));
    assert_eq!(b.outcome(slow), Outcome::Timeout(Waiting::FinalResult));
    // A module that never stops talking: after drain_limit (2 s) the next command goes anyway.
    for _ in 0..40 {
        b.input(b"\r\n+CREG: 1\r\n");
        b.advance(Duration::from_millis(50));
    }
    assert_eq!(b.written(), "AT+GTSSLVER?\r");
    assert!(b.s.is_pending(next));
}

#[test]
fn prompt_timeout_sends_esc_and_drops_the_payload() {
    let mut b = Bench::new();
    let id = b.submit(Command::new("+MIPSEND=1,3").payload(b"abc".to_vec()));
    assert_eq!(b.written(), "AT+MIPSEND=1,3\r");
    b.advance(Duration::from_secs(5));
    assert_eq!(b.outcome(id), Outcome::Timeout(Waiting::Prompt));
    assert_eq!(b.written(), "\x1b", "ESC, and never the payload");
    // A prompt that comes late is a stray, not a cue to send.
    b.input(b"\r\n> ");
    assert_eq!(b.written(), "");
}

#[test]
fn payload_goes_out_after_the_prompt_exactly() {
    let mut b = Bench::new();
    let id = b.submit(
        Command::new("+MIPSEND=1,5")
            .expects("+MIPSEND")
            .payload(b"a\r\n\x1bb".to_vec()),
    );
    assert_eq!(b.written(), "AT+MIPSEND=1,5\r");
    b.input(b"AT+MIPSEND=1,5\r\r\n> ");
    assert_eq!(b.written(), "a\r\n\x1bb");
    b.input(b"\r\n+MIPSEND: 1,0,2048\r\n\r\nOK\r\n");
    assert!(matches!(b.outcome(id), Outcome::Ok(_)));
}

#[test]
fn cancel_of_a_queued_and_of_the_inflight_command() {
    let mut b = Bench::new();
    let first = b.submit(Command::new("+GTSSLFILE=\"TRUSTFILE\",4").payload(b"abcd".to_vec()));
    let second = b.submit(query("+GTSSLVER"));
    b.written();
    b.s.cancel(second, b.now);
    assert_eq!(b.outcome(second), Outcome::Cancelled);
    b.s.cancel(first, b.now);
    assert_eq!(b.outcome(first), Outcome::Cancelled);
    b.flush();
    assert_eq!(b.written(), "\x1b", "waiting for its prompt: ESC");
    let third = b.submit(query("+GTSSLMODE"));
    b.advance(Duration::from_millis(200));
    assert!(b.written().ends_with("AT+GTSSLMODE?\r"));
    assert!(b.s.is_pending(third));
}

/// Defect 9: a URC with the prefix of the query in flight was taken as its response.
#[test]
fn a_close_urc_during_the_open_ids_query_still_closes_the_socket() {
    fn id_list(p: &str) -> bool {
        let ids: Option<Vec<u8>> = p.split(',').map(|x| x.trim().parse().ok()).collect();
        match ids.as_deref() {
            Some([0]) => true,
            Some(v) if !v.is_empty() => {
                v.iter().all(|i| (1..=6).contains(i)) && v.windows(2).all(|w| w[0] < w[1])
            }
            _ => false,
        }
    }
    let mut b = Bench::new();
    let h1 = b.open(&[1, 2, 3]);
    let h2 = b.open(&[2, 3]);
    let q = b.submit(
        Command::new("+MIPCLOSE?")
            .expects("+MIPCLOSE")
            .response_shape(id_list, 1),
    );
    b.input(b"AT+MIPCLOSE?\r\r\n+MIPCLOSE: 2,0\r\n\r\n+MIPCLOSE: 1\r\n\r\nOK\r\n");
    match b.outcome(q) {
        Outcome::Ok(r) => assert_eq!(r.lines().collect::<Vec<_>>(), vec!["+MIPCLOSE: 1"]),
        o => panic!("{o:?}"),
    }
    assert_eq!(b.s.socket_state(h1), SocketState::Open);
    assert_eq!(
        b.s.socket_state(h2),
        SocketState::Closed(CloseReason::Module { detail: Some(0) })
    );
}

/// Defect 7: a stale handle closed the next connection that reused its id.
#[test]
fn a_stale_handle_cannot_touch_the_next_connection() {
    let mut b = Bench::new();
    let old = b.open(&[1, 2]);
    b.input(b"\r\n+MIPSTAT: 1,2\r\n");
    assert_eq!(
        b.s.socket_state(old),
        SocketState::Closed(CloseReason::Peer)
    );
    // The module lists id 1 as free again, but the old handle still holds it.
    let new = b.open(&[1, 2, 3]);
    assert_eq!(new.id, 2);
    // Dropping the old handle: nothing to send, and the new connection is untouched.
    assert!(!b.s.begin_close(old));
    assert!(b.s.release_socket(old));
    assert_eq!(b.s.socket_state(new), SocketState::Open);
    // Now id 1 can serve a third connection; the old handle is stale for it.
    let third = b.open(&[1]);
    assert_eq!(third.id, 1);
    assert_ne!(third.generation, old.generation);
    assert_eq!(b.s.socket_state(old), SocketState::Released);
    assert!(!b.s.begin_close(old));
    assert!(!b.s.release_socket(old));
    b.input(b"\r\n+MIPRTCP: 1,3,414243\r\n");
    assert_eq!(b.s.read_socket(old, &mut [0; 8]), Err(ReadError::Released));
    assert_eq!(b.read_all(third).0, b"ABC");
}

/// Defect 8: two openers at once. The reservation happens inside the session, so they get
/// different ids even when both saw the same free list.
#[test]
fn two_openers_with_the_same_free_list_get_different_ids() {
    let mut b = Bench::new();
    let free = [1, 2, 3, 4, 5, 6];
    let a = b.s.reserve_socket(&free).unwrap();
    let c = b.s.reserve_socket(&free).unwrap();
    assert_ne!(a.id, c.id);
    let all: Vec<_> = (0..4).filter_map(|_| b.s.reserve_socket(&free)).collect();
    assert_eq!(all.len(), 4);
    assert_eq!(b.s.reserve_socket(&free), None, "all six are held");
}

/// Defect 11: only a peer close is an end of stream.
#[test]
fn end_of_stream_only_on_peer_close() {
    let mut b = Bench::new();
    let h = b.open(&[1]);
    b.input(b"\r\n+MIPRTCP: 1,9,414243\r\n");
    assert_eq!(b.s.read_socket(h, &mut [0; 8]), Ok(3));
    assert_eq!(b.s.read_socket(h, &mut [0; 8]), Err(ReadError::WouldBlock));
    b.input(b"\r\n+MIPSTAT: 1,2\r\n");
    assert_eq!(b.s.read_socket(h, &mut [0; 8]), Ok(0));

    for (urc, why) in [
        (&b"\r\n+MIPSTAT: 1,1\r\n"[..], CloseReason::Stack),
        (b"\r\nAT command ready\r\n", CloseReason::ModuleRestarted),
    ] {
        let mut b = Bench::new();
        let h = b.open(&[1]);
        b.input(b"\r\n+MIPRTCP: 1,9,414243\r\n");
        b.input(urc);
        let (data, end) = b.read_all(h);
        assert_eq!(data, b"ABC", "data before the end is still read");
        assert_eq!(end, Err(ReadError::Closed(why)));
    }
}

/// Defect 11: after an overflow was reported, reads returned Ok(0) on an open socket.
#[test]
fn overflow_is_reported_once_and_is_not_an_end() {
    let mut b = Bench::with(SessionConfig {
        socket_buffer: 4,
        ..SessionConfig::default()
    });
    let h = b.open(&[1]);
    b.input(b"\r\n+MIPRTCP: 1,9,41424344454647\r\n");
    // The bytes before the gap first, then the gap, then reading goes on.
    assert_eq!(b.s.read_socket(h, &mut [0; 8]), Ok(4));
    assert_eq!(
        b.s.read_socket(h, &mut [0; 8]),
        Err(ReadError::Lost { bytes: 3 })
    );
    assert_eq!(b.s.read_socket(h, &mut [0; 8]), Err(ReadError::WouldBlock));
    b.input(b"\r\n+MIPRTCP: 1,9,5A\r\n");
    assert_eq!(b.s.read_socket(h, &mut [0; 8]), Ok(1));
    assert_eq!(b.s.read_socket(h, &mut [0; 8]), Err(ReadError::WouldBlock));
    assert!(!b.s.socket_readable(h));
}

fn raw_session() -> Bench {
    let mut b = Bench::new();
    let id = b.submit(Command::new("+GTSET=\"IPRFMT\",2").switches_format(ReceiveFormat::Raw));
    b.input(b"AT+GTSET=\"IPRFMT\",2\r\r\nOK\r\n");
    assert!(matches!(b.outcome(id), Outcome::Ok(_)));
    assert_eq!(b.s.receive_format(), ReceiveFormat::Raw);
    b
}

/// Defect 1: a raw header's length was trusted (abort, panic, or a wedge that outlived reboots).
#[test]
fn a_lying_raw_header_is_a_framing_error_and_the_session_goes_on() {
    for len in ["1099511627776", "18446744073709551615", "2147483648"] {
        let mut b = raw_session();
        let h = b.open(&[1]);
        b.input(format!("\r\n+MIPRTCP: 1,{len},").as_bytes());
        b.input(b"garbage\r\n");
        assert_eq!(b.s.stats().framing_errors, 1, "{len}");
        // The next command works...
        let q = b.submit(query("+GTSSLVER"));
        b.input(b"AT+GTSSLVER?\r\r\n+GTSSLVER: 4\r\n\r\nOK\r\n");
        assert!(matches!(b.outcome(q), Outcome::Ok(_)), "{len}");
        // ...the reader learns that bytes were lost...
        assert!(matches!(
            b.s.read_socket(h, &mut [0; 8]),
            Err(ReadError::Lost { .. })
        ));
        // ...and a restart is still seen.
        b.input(b"\r\nAT command ready\r\n");
        assert_eq!(b.s.stats().resets, 1);
    }
}

/// Defect 2: a restart inside a raw payload reached the application as socket data and the
/// socket stayed open.
#[test]
fn a_restart_inside_a_raw_payload_is_a_restart() {
    let mut b = raw_session();
    let h = b.open(&[1]);
    b.input(b"\r\n+MIPRTCP: 1,5,hello\r\n");
    // 100 bytes announced; the module restarts after 3 and prints its boot lines.
    b.input(b"\r\n+MIPRTCP: 1,100,abc");
    b.input(b"\r\nAT command ready\r\n\r\n+SIM READY\r\n");
    assert_eq!(b.s.stats().resets, 0, "still inside the payload");
    b.advance(Duration::from_secs(2));
    assert_eq!(
        b.s.stats().resets,
        1,
        "the stall replays the bytes as lines"
    );
    assert_eq!(b.s.receive_format(), ReceiveFormat::Hex);
    let (data, end) = b.read_all(h);
    assert_eq!(data, b"hello", "no boot line in the socket data");
    assert!(matches!(
        end,
        Err(ReadError::Lost { .. }) | Err(ReadError::Closed(CloseReason::ModuleRestarted))
    ));
    assert_eq!(
        b.s.socket_state(h),
        SocketState::Closed(CloseReason::ModuleRestarted)
    );
    // And the restart fails the command that was in flight, if one was.
    let q = b.submit(query("+GTSSLVER"));
    b.settle();
    assert!(b.s.is_pending(q) || b.s.take_outcome(q).is_some());
}

#[test]
fn a_payload_that_arrives_slowly_but_steadily_is_fine() {
    let mut b = raw_session();
    let h = b.open(&[1]);
    b.input(b"\r\n+MIPRTCP: 1,10,");
    for byte in b"0123456789" {
        b.advance(Duration::from_millis(1500));
        b.input(&[*byte]);
    }
    b.input(b"\r\n");
    assert_eq!(b.read_all(h).0, b"0123456789");
    assert_eq!(b.s.stats().framing_errors, 0);
}

/// Defect 6: every response line was kept without limit (650 MiB in 4 s of `ATI` garbage).
#[test]
fn an_endless_response_is_counted_not_kept() {
    let mut b = Bench::new();
    let id = b.submit(
        Command::new("I")
            .bare_lines()
            .timeout(Duration::from_secs(4)),
    );
    b.input(b"ATI\r\r\n");
    let line = vec![b'x'; 1000];
    for _ in 0..10_000 {
        b.input(&line);
        b.input(b"\r\n");
    }
    b.input(b"OK\r\n");
    assert_eq!(
        b.outcome(id),
        Outcome::TooLarge {
            lines: 10_000,
            bytes: 10_000_000
        }
    );
}

/// Defect 12: a module that restarts during a key upload echoes the rest of the key; the trace
/// must not show it. Payloads are redacted unless asked for.
#[test]
fn secrets_stay_out_of_the_trace() {
    let key = b"-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----\n";
    let mut b = Bench::with(SessionConfig {
        trace: true,
        ..SessionConfig::default()
    });
    let up = b.submit(
        Command::new(format!("+GTSSLFILE=\"KEYFILE\",{}", key.len()))
            .payload(key.to_vec())
            .secret(),
    );
    b.input(b"AT+GTSSLFILE=\"KEYFILE\",88\r\r\n> ");
    // The module restarts mid-upload and echoes what it receives as commands.
    b.input(b"\r\nAT command ready\r\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\r\n-----END PRIVATE KEY-----\r\n");
    assert_eq!(b.outcome(up), Outcome::Reset);
    let plain = b.submit(Command::new("+X").payload(b"socket-bytes".to_vec()));
    b.advance(Duration::from_millis(200));
    b.input(b"AT+X\r\r\n> ");
    b.input(b"\r\nOK\r\n");
    assert!(matches!(b.outcome(plain), Outcome::Ok(_)));
    let mut all = String::new();
    while let Some(e) = b.s.poll_event() {
        if let Event::Trace(t) = e {
            all.push_str(&t.text);
            all.push('\n');
        }
    }
    assert!(!all.contains("MIIE"), "{all}");
    assert!(!all.contains("END PRIVATE"), "{all}");
    assert!(!all.contains("socket-bytes"), "{all}");
    assert!(all.contains("AT command ready"), "{all}");
    assert!(all.contains("redacted"), "{all}");
    assert!(!format!("{:?}", Command::new("+X").payload(key.to_vec())).contains("MIIE"));
}

#[test]
fn a_restart_fails_the_command_in_flight_and_its_old_answer_is_not_the_next_ones() {
    let mut b = Bench::new();
    let a = b.submit(query("+GTSSLMODE"));
    let c = b.submit(query("+GTSSLVER"));
    b.input(b"AT+GTSSLMODE?\r\r\nAT command ready\r\n");
    assert_eq!(b.outcome(a), Outcome::Reset);
    // The boot line was older than the command: the module still answers it.
    b.input(b"\r\n+GTSSLMODE: 0\r\n\r\nOK\r\n");
    b.advance(Duration::from_millis(200));
    b.input(b"AT+GTSSLVER?\r\r\n+GTSSLVER: 0\r\n\r\nOK\r\n");
    match b.outcome(c) {
        Outcome::Ok(r) => assert_eq!(r.lines().collect::<Vec<_>>(), vec!["+GTSSLVER: 0"]),
        o => panic!("{o:?}"),
    }
}

#[test]
fn close_ends_everything() {
    let mut b = Bench::new();
    let h = b.open(&[1]);
    let a = b.submit(query("+GTSSLMODE"));
    let c = b.submit(query("+GTSSLVER"));
    b.s.close("port gone");
    assert_eq!(b.outcome(a), Outcome::Closed);
    assert_eq!(b.outcome(c), Outcome::Closed);
    assert_eq!(
        b.s.read_socket(h, &mut [0; 4]),
        Err(ReadError::Closed(CloseReason::SessionClosed))
    );
    assert!(b.s.submit(query("+X"), b.now).is_err());
}

#[test]
fn injection_is_refused_before_anything_is_written() {
    let mut b = Bench::new();
    assert!(b
        .s
        .submit(Command::new("+CSQ\rAT+CFUN=1,1"), b.now)
        .is_err());
    assert_eq!(b.s.poll_transmit(), None);
}

/// A driver that never polls events cannot make the session grow: events are bounded and
/// counted, and outcomes are still there to take.
#[test]
fn unpolled_events_are_bounded_and_outcomes_kept() {
    let mut b = Bench::with(SessionConfig {
        event_capacity: 4,
        trace: true,
        ..SessionConfig::default()
    });
    let ids: Vec<_> = (0..10).map(|_| b.submit(query("+CSQ"))).collect();
    for id in &ids {
        b.s.cancel(*id, b.now);
    }
    for _ in 0..100 {
        b.input(b"\r\n+CREG: 1\r\n");
    }
    let mut n = 0;
    while b.s.poll_event().is_some() {
        n += 1;
    }
    assert_eq!(n, 4);
    assert!(b.s.stats().events_dropped > 100);
    for id in ids {
        assert_eq!(b.outcome(id), Outcome::Cancelled);
    }
}

fn session_in(format: ReceiveFormat) -> Bench {
    let mut b = Bench::new();
    let line = format!("AT+GTSET=\"IPRFMT\",{}", format.iprfmt());
    let id = b.submit(l610_proto::commands::set_receive_format(format));
    b.input(format!("{line}\r\r\nOK\r\n").as_bytes());
    assert!(matches!(b.outcome(id), Outcome::Ok(_)));
    assert_eq!(b.s.receive_format(), format);
    b
}

/// Issue #9: read mode (IPRFMT 5). `+MIPREAD` announces bytes, the session asks for the pull,
/// the `+MIPDATA` payload (binary, CR LF inside) lands in the buffer, and the `+MIPDATA` line is
/// `AT+MIPREAD`'s response. The peer close that follows is an end of stream.
#[test]
fn read_mode_pulls_announced_bytes() {
    for split in [1, 3, 1000] {
        let mut b = session_in(ReceiveFormat::Read);
        let h = b.open(&[1]);
        assert!(b.s.socket_pull(h, 4096).is_none(), "nothing announced");
        b.input(b"\r\n+MIPREAD: 1,7\r\n");
        assert_eq!(b.s.read_socket(h, &mut [0; 8]), Err(ReadError::WouldBlock));
        let pull = b.s.socket_pull(h, 4096).expect("a pull is due");
        assert_eq!(pull.line(), "AT+MIPREAD=1,4096");
        b.written();
        let id = b.submit(pull);
        assert_eq!(b.written(), "AT+MIPREAD=1,4096\r");
        let answer = b"AT+MIPREAD=1,4096\r\r\n+MIPDATA: 1,7\r\na\r\nb\x00\xff\n\r\nOK\r\n";
        for part in answer.chunks(split) {
            b.input(part);
        }
        match b.outcome(id) {
            Outcome::Ok(r) => assert_eq!(r.to_lines(), vec!["+MIPDATA: 1,7"]),
            other => panic!("{other:?}"),
        }
        assert!(b.s.socket_pull(h, 4096).is_none(), "everything was taken");
        let mut buf = [0u8; 16];
        assert_eq!(b.s.read_socket(h, &mut buf), Ok(7));
        assert_eq!(&buf[..7], b"a\r\nb\x00\xff\n");
        // An empty read clears a stale announcement.
        b.input(b"\r\n+MIPREAD: 1,3\r\n");
        let id = b.submit(b.s.socket_pull(h, 10).unwrap());
        b.input(b"AT+MIPREAD=1,10\r\r\n+MIPDATA: 1,0\r\n\r\nOK\r\n");
        assert!(matches!(b.outcome(id), Outcome::Ok(_)));
        assert!(b.s.socket_pull(h, 10).is_none());
        b.input(b"\r\n+MIPSTAT: 1,2\r\n");
        assert_eq!(b.s.read_socket(h, &mut buf), Ok(0));
    }
}

/// A `+MIPDATA` header is not trusted either: beyond the bound it is a framing error, nothing
/// is allocated, and the lines after it still frame.
#[test]
fn a_lying_read_mode_header_is_a_framing_error() {
    let mut b = session_in(ReceiveFormat::Read);
    let h = b.open(&[1]);
    b.input(b"\r\n+MIPREAD: 1,5\r\n");
    let id = b.submit(b.s.socket_pull(h, 4096).unwrap());
    b.input(b"AT+MIPREAD=1,4096\r\r\n+MIPDATA: 1,18446744073709551615\r\nxyz\r\nOK\r\n");
    assert!(matches!(b.outcome(id), Outcome::Ok(_)));
    assert!(b.s.stats().framing_errors >= 1);
    let q = b.submit(query("+CSQ"));
    b.input(b"AT+CSQ?\r\r\n+CSQ: 24,99\r\n\r\nOK\r\n");
    assert!(matches!(b.outcome(q), Outcome::Ok(_)));
}

/// IPRFMT 1: the data runs to the line's end, raw (commas and any byte but CR/LF kept).
#[test]
fn raw_line_format_takes_the_rest_of_the_line() {
    for split in [1, 4, 1000] {
        let mut b = session_in(ReceiveFormat::RawLine);
        let h = b.open(&[1]);
        let input = b"\r\n+MIPRTCP: 1,201,GET /a,b \xff\x00\r\n\r\n+MIPRTCP: 1,9,x\r\n";
        for part in input.chunks(split) {
            b.input(part);
        }
        let mut buf = [0u8; 32];
        let mut got = Vec::new();
        while let Ok(n) = b.s.read_socket(h, &mut buf) {
            got.extend_from_slice(&buf[..n]);
        }
        assert_eq!(got, b"GET /a,b \xff\x00x");
    }
}

/// `+MIPPUSH` after every send is taken by the socket layer: a thousand sends must not push the
/// application's URCs out of the bounded queue.
#[test]
fn mippush_does_not_fill_the_urc_queue() {
    let mut b = Bench::with(SessionConfig {
        urc_capacity: 4,
        ..SessionConfig::default()
    });
    let _h = b.open(&[1]);
    b.input(b"\r\nRING\r\n");
    for _ in 0..1000 {
        b.input(b"\r\n+MIPPUSH: 1,0\r\n");
    }
    assert_eq!(b.s.stats().urc_overflow, 0);
    assert!(matches!(b.s.pop_urc(), Some(l610_proto::Urc::Other(ref t)) if t == "RING"));
}

/// A registration URC during `AT+CREG?` stays a URC; the read answer is the response.
#[test]
fn a_registration_urc_during_the_query_is_a_urc() {
    use l610_proto::commands::{
        parse_registration, registration_query, RegistrationDomain, RegistrationStatus,
    };
    let mut b = Bench::new();
    let id = b.submit(registration_query(RegistrationDomain::Cs));
    b.input(b"AT+CREG?\r\r\n+CREG: 5\r\n\r\n+CREG: 2,1,\"5A1F\",\"0B2D4C01\",7\r\n\r\nOK\r\n");
    let Outcome::Ok(r) = b.outcome(id) else {
        panic!()
    };
    let reg = parse_registration(&r, RegistrationDomain::Cs).unwrap();
    assert_eq!(reg.status, RegistrationStatus::Home);
    assert!(matches!(
        b.s.pop_urc(),
        Some(l610_proto::Urc::Registration {
            status: RegistrationStatus::Roaming,
            ..
        })
    ));
}

/// Found by the CLI's tests: the PDP password was in the trace (the command line, and the
/// module's echo of it), in `Debug` of the command and in the text of its errors.
#[test]
fn the_pdp_password_stays_out_of_trace_debug_and_errors() {
    let config = l610_proto::PdpConfig {
        apn: Some("CMNET".into()),
        credentials: Some(("user".into(), "hunter2-pass".into())),
    };
    let cmd = l610_proto::commands::activate_pdp(&config).unwrap();
    assert!(!format!("{cmd:?}").contains("hunter2"), "{cmd:?}");
    assert!(!cmd.shown_line().contains("hunter2"));
    assert!(cmd
        .shown_line()
        .starts_with("AT+MIPCALL=1,\"CMNET\",\"user\","));
    let mut b = Bench::with(SessionConfig {
        trace: true,
        ..SessionConfig::default()
    });
    let line = cmd.line().to_owned();
    let id = b.submit(cmd);
    assert_eq!(
        b.written(),
        format!("{line}\r"),
        "the module gets the password"
    );
    b.input(format!("{line}\r\r\nERROR\r\n").as_bytes());
    assert_eq!(b.outcome(id), Outcome::Error);
    let mut all = String::new();
    while let Some(e) = b.s.poll_event() {
        if let Event::Trace(t) = e {
            all.push_str(&t.text);
            all.push('\n');
        }
    }
    assert!(!all.contains("hunter2"), "{all}");
    assert!(all.contains("AT+MIPCALL=1,\"CMNET\",\"user\","), "{all}");
}

/// Issue #12: trace work only while someone listens. Off, no trace event is made at all.
#[test]
fn the_trace_can_be_turned_off_and_on() {
    let mut b = Bench::with(SessionConfig {
        trace: true,
        ..SessionConfig::default()
    });
    let traces = |b: &mut Bench| {
        let mut n = 0;
        while let Some(e) = b.s.poll_event() {
            n += usize::from(matches!(e, Event::Trace(_)));
        }
        n
    };
    b.s.set_trace(false);
    let id = b.submit(query("+CSQ"));
    b.input(b"AT+CSQ?\r\r\n+CSQ: 24,99\r\n\r\nOK\r\n");
    assert!(matches!(b.outcome(id), Outcome::Ok(_)));
    assert_eq!(traces(&mut b), 0);
    b.s.set_trace(true);
    let id = b.submit(query("+CSQ"));
    b.input(b"AT+CSQ?\r\r\n+CSQ: 24,99\r\n\r\nOK\r\n");
    assert!(matches!(b.outcome(id), Outcome::Ok(_)));
    assert!(
        traces(&mut b) >= 4,
        "the line sent, its echo, the answer, OK"
    );
}
