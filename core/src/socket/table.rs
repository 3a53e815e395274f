//! What the engine knows about each socket id: its state and the data received for it.
//!
//! The reader thread fills this table from `+MIPOPEN`/`+MIPRTCP`/`+MIPCLOSE`/`+MIPSTAT` URCs while
//! the application may be busy elsewhere; bytes are kept up to a bound per socket, and what does
//! not fit is counted and reported on the next read, never dropped silently.

use std::collections::VecDeque;

use crate::at::Urc;

/// Socket ids the module supports.
pub const SOCKET_IDS: std::ops::RangeInclusive<u8> = 1..=6;

/// Where a socket stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SocketState {
    /// Not in use by this driver.
    Free,
    /// `AT+MIPOPEN` answered OK; waiting for `+MIPOPEN: <id>,<state>`.
    Opening,
    /// Connected.
    Open,
    /// `+MIPOPEN: <id>,0` or a `+MIPSTAT` during opening.
    Failed(String),
    /// Closed: by us, by the peer, by the module's stack, or by a module restart.
    Closed(String),
}

#[derive(Debug)]
struct Slot {
    state: SocketState,
    rx: VecDeque<u8>,
    dropped: u64,
    dropped_reported: u64,
}

/// Per-id state and receive buffers.
#[derive(Debug)]
pub(crate) struct SocketTable {
    slots: Vec<Slot>,
    capacity: usize,
}

impl SocketTable {
    pub(crate) fn new(capacity: usize) -> Self {
        let slots = (0..=*SOCKET_IDS.end())
            .map(|_| Slot {
                state: SocketState::Free,
                rx: VecDeque::new(),
                dropped: 0,
                dropped_reported: 0,
            })
            .collect();
        SocketTable { slots, capacity }
    }

    fn slot(&mut self, id: u8) -> Option<&mut Slot> {
        self.slots
            .get_mut(id as usize)
            .filter(|_| SOCKET_IDS.contains(&id))
    }

    pub(crate) fn state(&self, id: u8) -> SocketState {
        self.slots
            .get(id as usize)
            .map_or(SocketState::Free, |s| s.state.clone())
    }

    /// A new open starts from an empty buffer.
    pub(crate) fn begin_open(&mut self, id: u8) {
        if let Some(s) = self.slot(id) {
            *s = Slot {
                state: SocketState::Opening,
                rx: VecDeque::new(),
                dropped: 0,
                dropped_reported: 0,
            };
        }
    }

    pub(crate) fn set_state(&mut self, id: u8, state: SocketState) {
        if let Some(s) = self.slot(id) {
            s.state = state;
        }
    }

    /// Take a socket URC; `false` if it is not one.
    pub(crate) fn route(&mut self, urc: &Urc) -> bool {
        match *urc {
            Urc::MipOpen { id, connected } => {
                let state = if connected {
                    SocketState::Open
                } else {
                    SocketState::Failed("+MIPOPEN: failed".into())
                };
                self.set_state(id, state);
            }
            Urc::MipRtcp { id, ref data, .. } => {
                let capacity = self.capacity;
                if let Some(s) = self.slot(id) {
                    let room = capacity.saturating_sub(s.rx.len());
                    let keep = room.min(data.len());
                    s.rx.extend(&data[..keep]);
                    s.dropped += (data.len() - keep) as u64;
                }
            }
            Urc::MipClose { id, detail } => {
                let why = format!(
                    "closed (+MIPCLOSE: {id},{})",
                    detail.map(|d| d.to_string()).unwrap_or_default()
                );
                self.end(id, why);
            }
            // 0 is only an ACK indication; 1 and 2 mean the connection is gone.
            Urc::MipStat { status: 0, .. } => {}
            Urc::MipStat { id, status, .. } => {
                let why = match status {
                    1 => "broken protocol stack (+MIPSTAT: 1)".to_owned(),
                    2 => "closed by peer (+MIPSTAT: 2)".to_owned(),
                    n => format!("+MIPSTAT: {n}"),
                };
                self.end(id, why);
            }
            _ => return false,
        }
        true
    }

    fn end(&mut self, id: u8, why: String) {
        if let Some(s) = self.slot(id) {
            s.state = match s.state {
                SocketState::Opening => SocketState::Failed(why),
                _ => SocketState::Closed(why),
            };
        }
    }

    /// After a module restart every connection is gone.
    pub(crate) fn reset_all(&mut self) {
        for s in self.slots.iter_mut() {
            if matches!(s.state, SocketState::Opening | SocketState::Open) {
                s.state = SocketState::Closed("module restarted".into());
            }
        }
    }

    pub(crate) fn buffered(&self, id: u8) -> usize {
        self.slots.get(id as usize).map_or(0, |s| s.rx.len())
    }

    /// Copy out received bytes. Returns the count, or the number of dropped bytes not yet
    /// reported (reported once, before the bytes that follow the gap).
    pub(crate) fn read(&mut self, id: u8, buf: &mut [u8]) -> Result<usize, u64> {
        let Some(s) = self.slot(id) else { return Ok(0) };
        if s.dropped > s.dropped_reported {
            let d = s.dropped - s.dropped_reported;
            s.dropped_reported = s.dropped;
            return Err(d);
        }
        let n = buf.len().min(s.rx.len());
        let (a, b) = s.rx.as_slices();
        let from_a = n.min(a.len());
        buf[..from_a].copy_from_slice(&a[..from_a]);
        buf[from_a..n].copy_from_slice(&b[..n - from_a]);
        s.rx.drain(..n);
        Ok(n)
    }

    pub(crate) fn dropped(&self, id: u8) -> u64 {
        self.slots.get(id as usize).map_or(0, |s| s.dropped)
    }
}
