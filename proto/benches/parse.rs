//! The session's receive path, measured three ways:
//!
//! - a 33.6 KB mixed stream (echo, responses, URCs, 2 KB hex `+MIPRTCP` payloads) fed whole and
//!   fed one byte at a time: linear means the per-byte costs stay close;
//! - one small command (`AT+CSQ`: echo, `+CSQ: 23,99`, `OK`) through a session in steady state,
//!   against atat's `AtDigester` digesting the same bytes;
//! - one 2 KB hex `+MIPRTCP` line decoded into a socket buffer.
//!
//! Before criterion runs, the allocations of one small round trip are counted (a counting global
//! allocator) and printed, so the allocation figure in BENCHMARKS.md is reproducible too.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicU64, Ordering};

use atat::digest::{AtDigester, DigestResult, Digester, ParseError, Parser};
use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};
use l610_proto::{Command, CommandId, Instant, Outcome, Session, SessionConfig, SocketHandle};

/// The system allocator, counting allocations (reallocations count as one each).
struct Counting;

static ALLOCS: AtomicU64 = AtomicU64::new(0);

// SAFETY: every call is forwarded unchanged to the system allocator.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCS.fetch_add(1, Ordering::Relaxed);
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        ALLOCS.fetch_add(1, Ordering::Relaxed);
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// Allocations made by `f`, averaged over `n` runs.
fn allocations(n: u64, mut f: impl FnMut()) -> f64 {
    let before = ALLOCS.load(Ordering::Relaxed);
    for _ in 0..n {
        f();
    }
    (ALLOCS.load(Ordering::Relaxed) - before) as f64 / n as f64
}

fn mixed_stream() -> Vec<u8> {
    let payload: Vec<u8> = (0..2048u32).map(|i| (i * 7) as u8).collect();
    let hex = hex::encode_upper(&payload);
    let mut s = Vec::new();
    for i in 0..8 {
        s.extend_from_slice(b"AT+GTSSLMODE?\r\r\n+GTSSLMODE: 1\r\n\r\n+SIM READY\r\n\r\nOK\r\n");
        s.extend_from_slice(format!("\r\n+MIPRTCP: 1,{},{hex}\r\n", 2048 * (8 - i)).as_bytes());
        s.extend_from_slice(b"\r\n+MIPSTAT: 1,0,2048\r\n\r\n+CSQ: 24,99\r\n");
    }
    s
}

/// A session with socket 1 open and a large enough buffer.
fn online() -> (Session, SocketHandle) {
    let mut s = Session::new(SessionConfig {
        socket_buffer: 1 << 22,
        urc_capacity: 1 << 16,
        ..SessionConfig::default()
    });
    let h = s.reserve_socket(&[1]).unwrap();
    s.handle_input(b"\r\n+MIPOPEN: 1,1\r\n", Instant::ZERO);
    (s, h)
}

/// One byte per `handle_input` call, as a UART interrupt hands them over. Not
/// `stream.chunks(1)`: with the piece size a run-time value (as in `feed_all`) that iterator's own
/// loop carries a three-cycle dependency (`min`, then `sub`) from one byte to the next, about
/// 30 µs over this stream before the session does anything (measured with an empty loop body).
#[inline(never)]
fn feed_each_byte(stream: &[u8]) -> usize {
    let (mut s, h) = online();
    let cmd = Command::new("+GTSSLMODE?").expects("+GTSSLMODE");
    s.submit(cmd, Instant::ZERO).unwrap();
    for b in stream {
        s.handle_input(core::slice::from_ref(b), Instant::ZERO);
    }
    let mut buf = vec![0; 1 << 16];
    s.read_socket(h, &mut buf).unwrap()
}

#[inline(never)]
fn feed_all(stream: &[u8], piece: usize) -> usize {
    let (mut s, h) = online();
    let cmd = Command::new("+GTSSLMODE?").expects("+GTSSLMODE");
    s.submit(cmd, Instant::ZERO).unwrap();
    for chunk in stream.chunks(piece) {
        s.handle_input(chunk, Instant::ZERO);
    }
    let mut buf = vec![0; 1 << 16];
    s.read_socket(h, &mut buf).unwrap()
}

/// atat's digester needs a URC parser; this module's URCs are not the point of the comparison.
struct NoUrcs;
impl Parser for NoUrcs {
    fn parse(_: &[u8]) -> Result<(&[u8], usize), ParseError> {
        Err(ParseError::NoMatch)
    }
}

const CSQ: &[u8] = b"AT+CSQ\r\r\n+CSQ: 23,99\r\n\r\nOK\r\n";

#[inline(never)]
fn session_csq(s: &mut Session, cmd: &Command) -> usize {
    let id = s.submit(cmd.clone(), Instant::ZERO).unwrap();
    let n = s.poll_transmit().map_or(0, <[u8]>::len);
    s.transmitted(n);
    session_csq_parse(s, id)
}

/// The parse-only part of [`session_csq`]: the answer fed whole, the events drained, the
/// outcome taken (named, so callgrind can count its instructions alone). Like `atat_csq`, it
/// counts the responses; what the caller then does with the lines is not parsing.
#[inline(never)]
fn session_csq_parse(s: &mut Session, id: CommandId) -> usize {
    s.handle_input(CSQ, Instant::ZERO);
    while s.poll_event().is_some() {}
    match s.take_outcome(id) {
        Some(Outcome::Ok(r)) if !r.is_empty() => 1,
        other => panic!("{other:?}"),
    }
}

#[inline(never)]
fn atat_csq(d: &mut AtDigester<NoUrcs>) -> usize {
    let mut buf = CSQ;
    let mut responses = 0;
    while !buf.is_empty() {
        let (result, used) = d.digest(buf);
        if let DigestResult::Response(Ok(_)) = result {
            responses += 1;
        }
        if used == 0 {
            break;
        }
        buf = &buf[used..];
    }
    responses
}

/// `iters` runs of `run`, over `pool` in turn, timed in batches of the pool's size: `prepare`
/// readies each one untimed, then the batch runs with the clock read once around it.
fn batched<T, P>(
    pool: &mut [T],
    iters: u64,
    mut prepare: impl FnMut(&mut T) -> P,
    mut run: impl FnMut(&mut T, P) -> usize,
) -> std::time::Duration {
    let mut total = std::time::Duration::ZERO;
    let mut left = iters;
    while left > 0 {
        let n = left.min(pool.len() as u64) as usize;
        let ready: Vec<P> = pool[..n].iter_mut().map(&mut prepare).collect();
        let t0 = std::time::Instant::now();
        for (item, p) in pool[..n].iter_mut().zip(ready) {
            std::hint::black_box(run(item, p));
        }
        total += t0.elapsed();
        left -= n as u64;
    }
    total
}

fn bench(c: &mut Criterion) {
    let stream = mixed_stream();
    assert_eq!(feed_all(&stream, stream.len()), 8 * 2048);
    assert_eq!(feed_all(&stream, 1), 8 * 2048);
    assert_eq!(feed_each_byte(&stream), 8 * 2048);
    let mut g = c.benchmark_group("parse_mixed_stream");
    g.throughput(Throughput::Bytes(stream.len() as u64));
    g.bench_function("whole", |b| {
        b.iter_batched(
            || (),
            |_| feed_all(&stream, stream.len()),
            BatchSize::SmallInput,
        )
    });
    g.bench_function("byte_at_a_time", |b| {
        b.iter_batched(|| (), |_| feed_each_byte(&stream), BatchSize::SmallInput)
    });
    // The figure before the bench was fixed: `chunks(1)` of a run-time piece size (see
    // `feed_each_byte`), kept so old and new can be compared.
    g.bench_function("byte_at_a_time_chunks1", |b| {
        b.iter_batched(|| (), |_| feed_all(&stream, 1), BatchSize::SmallInput)
    });
    g.finish();

    let mut g = c.benchmark_group("small_response_csq");
    g.throughput(Throughput::Bytes(CSQ.len() as u64));
    let cmd = Command::new("+CSQ").expects("+CSQ");
    let mut s = Session::new(SessionConfig::default());
    assert_eq!(session_csq(&mut s, &cmd), 1);
    println!(
        "allocations per small round trip: {:.2} (the command's clone included)",
        allocations(1000, || {
            session_csq(&mut s, &cmd);
        })
    );
    println!(
        "allocations per byte-at-a-time mixed stream: {:.0} ({} bytes)",
        allocations(3, || {
            feed_each_byte(&stream);
        }),
        stream.len()
    );
    g.bench_function("l610_session_round_trip", |b| {
        b.iter(|| session_csq(&mut s, &cmd))
    });
    // The part atat's digester does: the answer's bytes parsed whole and the result taken. The
    // commands are submitted and written to a batch of sessions untimed; then the answers are
    // parsed, timed (the clock read once per batch, not per answer).
    let mut pool: Vec<Session> = (0..64)
        .map(|_| {
            let mut s = Session::new(SessionConfig::default());
            session_csq(&mut s, &cmd);
            s
        })
        .collect();
    g.bench_function("l610_session_parse_only", |b| {
        b.iter_custom(|iters| {
            batched(
                &mut pool,
                iters,
                |s| {
                    let id = s.submit(cmd.clone(), Instant::ZERO).unwrap();
                    let sent = s.poll_transmit().map_or(0, <[u8]>::len);
                    s.transmitted(sent);
                    id
                },
                session_csq_parse,
            )
        })
    });
    let mut d = AtDigester::<NoUrcs>::new();
    assert_eq!(atat_csq(&mut d), 1);
    g.bench_function("atat_digester", |b| b.iter(|| atat_csq(&mut d)));
    // atat in the same harness as `l610_session_parse_only` (64 of them, the clock read once per
    // batch): what the harness itself adds is then on both sides.
    let mut digesters: Vec<AtDigester<NoUrcs>> = (0..64).map(|_| AtDigester::new()).collect();
    g.bench_function("atat_digester_batched", |b| {
        b.iter_custom(|iters| batched(&mut digesters, iters, |_| (), |d, ()| atat_csq(d)))
    });
    g.finish();

    let payload: Vec<u8> = (0..2048u32).map(|i| (i * 13) as u8).collect();
    let line = format!("\r\n+MIPRTCP: 1,2048,{}\r\n", hex::encode_upper(&payload)).into_bytes();
    let mut g = c.benchmark_group("hex_mipRTCP_2k");
    g.throughput(Throughput::Bytes(line.len() as u64));
    let (mut s, h) = online();
    let mut out = vec![0u8; 4096];
    g.bench_function("decode_whole", |b| {
        b.iter(|| {
            s.handle_input(&line, Instant::ZERO);
            s.read_socket(h, &mut out).unwrap()
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
