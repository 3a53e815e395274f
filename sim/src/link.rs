//! The radio link between the module and the network, played on loopback: when conditions are
//! set, a socket's bytes go through a local relay that delays, paces and "loses" them before
//! they reach the real peer, so a Cat 1 link (tens of ms, some loss, a few hundred kB/s) can be
//! played against a server on 127.0.0.1.
//!
//! Loss on a TCP link is never visible as missing bytes: the sender retransmits. So a lost
//! segment here costs what it costs on the air, a retransmission timeout, and arrives late.

use std::io::{self, Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// Network conditions on the TLS/TCP side of every socket.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct LinkConditions {
    /// One-way delay added in each direction.
    pub latency: Duration,
    /// Probability (0.0–1.0) that a segment is lost and retransmitted.
    pub loss: f64,
    /// Bytes per second in each direction; `None` is unlimited.
    pub bandwidth: Option<u64>,
}

impl LinkConditions {
    /// True when nothing is to be changed, so no relay is needed.
    pub fn is_clear(&self) -> bool {
        self.latency.is_zero() && self.loss <= 0.0 && self.bandwidth.is_none()
    }

    /// What a retransmission costs: a minimum TCP RTO (200 ms) plus one round trip.
    fn retransmit_delay(&self) -> Duration {
        Duration::from_millis(200) + self.latency * 2
    }
}

/// A tiny xorshift generator: loss needs no cryptographic randomness, and no extra crate.
pub(crate) struct Dice(u64);

impl Dice {
    pub(crate) fn new() -> Dice {
        let seed = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(1, |d| d.as_nanos() as u64)
            | 1;
        Dice(seed)
    }

    pub(crate) fn roll(&mut self) -> f64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// Puts the link between the module and `peer` (an established connection): returns the
/// module's end, a loopback connection whose bytes travel through the shaped relay. The
/// connection set-up itself costs one round trip, as a SYN/SYN-ACK does on the air.
pub(crate) fn shape(peer: TcpStream, cond: LinkConditions) -> io::Result<TcpStream> {
    std::thread::sleep(cond.latency * 2);
    let listener = TcpListener::bind("127.0.0.1:0")?;
    let module = TcpStream::connect(listener.local_addr()?)?;
    let (relay, _) = listener.accept()?;
    let _ = relay.set_nodelay(true);
    let _ = module.set_nodelay(true);
    pipe(relay.try_clone()?, peer.try_clone()?, cond, "up")?;
    pipe(peer, relay, cond, "down")?;
    Ok(module)
}

/// One direction: a reader stamps each segment with its arrival (and a retransmission delay
/// if it is "lost"); a writer puts it on the line after the previous one (bandwidth), lets it
/// travel (latency) and delivers in order. Latency is pipelined, as on a real link: a long
/// delay does not lower throughput.
fn pipe(
    mut from: TcpStream,
    mut to: TcpStream,
    cond: LinkConditions,
    name: &str,
) -> io::Result<()> {
    let (tx, rx) = mpsc::channel::<(Instant, Duration, Vec<u8>)>();
    std::thread::Builder::new()
        .name(format!("l610-sim-link-{name}-rx"))
        .spawn(move || {
            let mut dice = Dice::new();
            let mut buf = vec![0u8; 1460];
            loop {
                let n = match from.read(&mut buf) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => n,
                };
                let lost = cond.loss > 0.0 && dice.roll() < cond.loss;
                let penalty = if lost {
                    cond.retransmit_delay()
                } else {
                    Duration::ZERO
                };
                if tx
                    .send((Instant::now(), penalty, buf[..n].to_vec()))
                    .is_err()
                {
                    break;
                }
            }
            // Dropping tx tells the writer the stream ended.
        })?;
    std::thread::Builder::new()
        .name(format!("l610-sim-link-{name}-tx"))
        .spawn(move || {
            let mut line_free = Instant::now();
            let mut last_at = Instant::now();
            while let Ok((arrival, penalty, bytes)) = rx.recv() {
                // Serialisation: the segment is on the line after the previous one left it.
                let start = line_free.max(arrival);
                let on_line = cond.bandwidth.map_or(Duration::ZERO, |bw| {
                    Duration::from_secs_f64(bytes.len() as f64 / bw.max(1) as f64)
                });
                line_free = start + on_line;
                // TCP delivers in order: a segment never overtakes a retransmitted one.
                let at = (line_free + cond.latency + penalty).max(last_at);
                last_at = at;
                if let Some(wait) = at.checked_duration_since(Instant::now()) {
                    std::thread::sleep(wait);
                }
                if to.write_all(&bytes).is_err() {
                    return;
                }
            }
            let _ = to.shutdown(Shutdown::Write);
        })?;
    Ok(())
}
