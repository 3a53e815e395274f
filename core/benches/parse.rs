//! The engine's receive path on a mixed stream (echo, responses, URCs, 2 KB hex `+MIPRTCP`
//! payloads), fed whole and fed one byte at a time. Linear means the per-byte costs stay close.

use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};
use l610::at::{Command, Parser};

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

fn feed_all(stream: &[u8], piece: usize) -> usize {
    let mut p = Parser::default();
    let cmd = Command::new("+GTSSLMODE?").expects("+GTSSLMODE");
    p.begin(&cmd);
    for chunk in stream.chunks(piece) {
        p.feed(chunk);
    }
    p.take_socket_data(1).len()
}

fn bench(c: &mut Criterion) {
    let stream = mixed_stream();
    assert_eq!(feed_all(&stream, stream.len()), 8 * 2048);
    assert_eq!(feed_all(&stream, 1), 8 * 2048);
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
        b.iter_batched(|| (), |_| feed_all(&stream, 1), BatchSize::SmallInput)
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
