//! Everything the module sends to the host goes through here: one queue of whole units (an
//! echo, a line, a prompt, a URC), so a URC can never land inside another line; URCs held
//! while the module is in `>` data mode; and a writer thread that paces bytes to the emulated
//! line rate and applies the chunking fault.

use std::collections::VecDeque;
use std::io;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use crate::port::Port;
use crate::traffic::{Direction, TrafficLog};

/// Received-data URCs wait while this much is already queued, so a fast server is slowed
/// down to the line rate by TCP flow control instead of filling memory.
const DATA_BACKLOG: usize = 16 * 1024;

#[derive(Default)]
struct Inner {
    queue: VecDeque<u8>,
    held: Vec<Vec<u8>>,
    data_mode: bool,
    chunking: Option<(usize, Duration)>,
    /// Bumped by every reboot so a waiting data URC from before it is thrown away.
    epoch: u64,
}

pub(crate) struct Output {
    inner: Mutex<Inner>,
    changed: Condvar,
    stop: AtomicBool,
}

impl Output {
    pub(crate) fn new() -> Arc<Output> {
        Arc::new(Output {
            inner: Mutex::new(Inner::default()),
            changed: Condvar::new(),
            stop: AtomicBool::new(false),
        })
    }

    /// Queues a unit that is not a URC (echo, response, prompt, garbage): never held.
    pub(crate) fn write(&self, bytes: &[u8]) {
        let mut inner = self.inner.lock().unwrap();
        inner.queue.extend(bytes);
        self.changed.notify_all();
    }

    /// Writes `\r\n<text>\r\n`.
    pub(crate) fn line(&self, text: &str) {
        self.write(format!("\r\n{text}\r\n").as_bytes());
    }

    /// Queues an unsolicited line, held while the module is in data mode.
    pub(crate) fn urc(&self, text: &str) {
        let unit = format!("\r\n{text}\r\n").into_bytes();
        let mut inner = self.inner.lock().unwrap();
        if inner.data_mode {
            inner.held.push(unit);
        } else {
            inner.queue.extend(&unit);
            self.changed.notify_all();
        }
    }

    /// Queues a received-data URC, waiting first while the module is in data mode or the
    /// backlog is full. Returns false (and drops the unit) if the module rebooted meanwhile
    /// or `still_wanted` says the socket is gone.
    pub(crate) fn data_urc(&self, unit: &[u8], still_wanted: &dyn Fn() -> bool) -> bool {
        let mut inner = self.inner.lock().unwrap();
        let epoch = inner.epoch;
        loop {
            if self.stop.load(Ordering::SeqCst) || inner.epoch != epoch || !still_wanted() {
                return false;
            }
            if !inner.data_mode && inner.queue.len() < DATA_BACKLOG {
                inner.queue.extend(unit);
                self.changed.notify_all();
                return true;
            }
            inner = self
                .changed
                .wait_timeout(inner, Duration::from_millis(50))
                .unwrap()
                .0;
        }
    }

    pub(crate) fn set_data_mode(&self, on: bool) {
        let mut inner = self.inner.lock().unwrap();
        inner.data_mode = on;
        if !on {
            let held = std::mem::take(&mut inner.held);
            for unit in held {
                inner.queue.extend(&unit);
            }
        }
        self.changed.notify_all();
    }

    /// Power loss: whatever had not left the module is gone.
    pub(crate) fn reset(&self) {
        let mut inner = self.inner.lock().unwrap();
        inner.queue.clear();
        inner.held.clear();
        inner.data_mode = false;
        inner.epoch += 1;
        self.changed.notify_all();
    }

    pub(crate) fn set_chunking(&self, chunk: Option<(usize, Duration)>) {
        self.inner.lock().unwrap().chunking = chunk.map(|(n, gap)| (n.max(1), gap));
    }

    pub(crate) fn stop(&self) {
        self.stop.store(true, Ordering::SeqCst);
        self.changed.notify_all();
    }

    pub(crate) fn spawn_writer(
        self: &Arc<Self>,
        port: Port,
        baud: Option<u32>,
        log: Option<Arc<TrafficLog>>,
    ) -> io::Result<JoinHandle<()>> {
        let out = Arc::clone(self);
        std::thread::Builder::new()
            .name("l610-sim-tx".into())
            .spawn(move || out.writer_loop(port, baud, log))
    }

    fn writer_loop(&self, port: Port, baud: Option<u32>, log: Option<Arc<TrafficLog>>) {
        let rate = baud.map(|b| (b as f64 / 10.0).max(1.0));
        // Batches of about a millisecond of line time keep the pacing accurate to a few
        // percent without a sleep per byte.
        let batch_max = rate.map_or(4096, |r| ((r / 1000.0) as usize).clamp(1, 256));
        let mut due = Instant::now();
        let mut buf = Vec::with_capacity(4096);
        loop {
            let gap;
            {
                let mut inner = self.inner.lock().unwrap();
                while inner.queue.is_empty() && !self.stop.load(Ordering::SeqCst) {
                    inner = self.changed.wait(inner).unwrap();
                }
                if self.stop.load(Ordering::SeqCst) {
                    return;
                }
                let mut n = inner.queue.len().min(batch_max);
                if let Some((size, g)) = inner.chunking {
                    n = n.min(size);
                    gap = Some(g);
                } else {
                    gap = None;
                }
                buf.clear();
                // Copied as (at most two) slices, not byte by byte through `drain`.
                let (a, b) = inner.queue.as_slices();
                let from_a = n.min(a.len());
                buf.extend_from_slice(&a[..from_a]);
                buf.extend_from_slice(&b[..n - from_a]);
                inner.queue.drain(..n);
                self.changed.notify_all();
            }
            if let Some(rate) = rate {
                let now = Instant::now();
                // Never bank unused line time: an idle line must not allow a burst later.
                if due + Duration::from_millis(2) < now {
                    due = now;
                }
                if due > now {
                    std::thread::sleep(due - now);
                }
                due += Duration::from_secs_f64(buf.len() as f64 / rate);
            }
            if let Some(log) = &log {
                log.record(Direction::Out, &buf);
            }
            if port.write_all(&buf, &self.stop).is_err() {
                return;
            }
            if let Some(gap) = gap {
                if !gap.is_zero() {
                    std::thread::sleep(gap);
                }
            }
        }
    }
}
