//! Socket slots: what the session knows about each module socket id, with a generation per use.
//!
//! A slot is reserved inside the session (so two threads opening at once get different ids) and
//! stays owned by its handle until the handle releases it, even after the peer closed: a stale
//! handle can then never close or read a later connection that reuses the id, because its
//! generation no longer matches. Received bytes are kept up to a bound; what does not fit is
//! counted and reported on the next read, never dropped silently.

use alloc::collections::VecDeque;
use core::ops::RangeInclusive;

use crate::urc::Urc;

/// Socket ids the module supports.
pub const SOCKET_IDS: RangeInclusive<u8> = 1..=6;

/// One use of a module socket id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct SocketHandle {
    /// The module's socket id (1–6).
    pub id: u8,
    /// Which use of the id this is.
    pub generation: u32,
}

/// Why a socket is no longer open.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CloseReason {
    /// `+MIPOPEN: <id>,0`, or a `+MIPSTAT`/`+MIPCLOSE` while opening.
    OpenFailed,
    /// `+MIPSTAT: <id>,2`: the peer closed the connection (or sent a TLS alert).
    Peer,
    /// `+MIPCLOSE: <id>[,<x>]` the host did not ask for: the module or the peer closed it.
    Module {
        /// The undocumented second field.
        detail: Option<i64>,
    },
    /// `+MIPSTAT: <id>,1`: the module's protocol stack broke.
    Stack,
    /// `+MIPSTAT: <id>,<n>` with another `n`.
    Stat(u8),
    /// The host closed it (`AT+MIPCLOSE`).
    Host,
    /// The module restarted.
    ModuleRestarted,
    /// The session closed (the transport is gone).
    SessionClosed,
}

impl CloseReason {
    /// Only an orderly close by the other side ends the stream; everything else loses data the
    /// peer may have sent and is an error for a reader.
    pub fn is_end_of_stream(self) -> bool {
        matches!(self, CloseReason::Peer | CloseReason::Module { .. })
    }

    /// In words.
    pub fn describe(self) -> &'static str {
        match self {
            CloseReason::OpenFailed => "the connection could not be opened (+MIPOPEN: <id>,0)",
            CloseReason::Peer => "closed by the peer (+MIPSTAT: <id>,2)",
            CloseReason::Module { .. } => "closed by the module (+MIPCLOSE)",
            CloseReason::Stack => "the module's protocol stack broke (+MIPSTAT: <id>,1)",
            CloseReason::Stat(_) => "closed (+MIPSTAT)",
            CloseReason::Host => "closed by this host",
            CloseReason::ModuleRestarted => "the module restarted",
            CloseReason::SessionClosed => "the modem's transport is closed",
        }
    }
}

/// Where a socket stands, as its handle sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SocketState {
    /// Reserved; `AT+MIPOPEN` sent or about to be; waiting for `+MIPOPEN: <id>,<state>`.
    Opening,
    /// Connected.
    Open,
    /// No longer connected (data received before may still be read).
    Closed(CloseReason),
    /// The handle was released (its id may already serve another connection).
    Released,
}

/// Why a read returned no bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ReadError {
    /// Nothing buffered yet; the socket is open.
    WouldBlock,
    /// Bytes were lost before this point (the buffer was full, or the module's framing broke);
    /// reported once, then reading goes on after the gap.
    Lost {
        /// How many.
        bytes: u64,
    },
    /// The connection ended in a way that is not an end of stream.
    Closed(CloseReason),
    /// The handle was released.
    Released,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Use {
    Free,
    Opening,
    Open,
    Closed(CloseReason),
}

#[derive(Debug)]
struct Slot {
    generation: u32,
    state: Use,
    host_closing: bool,
    rx: VecDeque<u8>,
    /// Bytes ever put in `rx`, and taken out of it: stream offsets.
    received: u64,
    consumed: u64,
    /// A loss not yet reported, and the stream offset where it happened.
    lost: u64,
    gap_at: u64,
    /// Read mode (IPRFMT 5): bytes the module announced (`+MIPREAD`) and still holds.
    waiting: u64,
}

impl Slot {
    /// Bytes that never reached the buffer: reported once the reader gets to this point. A
    /// second loss before the first is reported is added to it.
    fn note_loss(&mut self, bytes: u64) {
        if self.lost == 0 {
            self.gap_at = self.received;
        }
        self.lost = self.lost.saturating_add(bytes);
    }
}

/// Per-id state and receive buffers.
#[derive(Debug)]
pub(crate) struct Sockets {
    slots: [Slot; 6],
    capacity: usize,
    /// Data or socket URCs for ids no handle owns.
    pub(crate) stray: u64,
}

/// What a socket URC did.
pub(crate) enum Routed {
    /// Not a socket URC.
    No,
    /// Taken; nothing for a handle (stray or an ACK).
    Quiet,
    /// Changed this socket.
    Changed(SocketHandle),
}

impl Sockets {
    pub(crate) fn new(capacity: usize) -> Self {
        Sockets {
            slots: core::array::from_fn(|_| Slot {
                generation: 0,
                state: Use::Free,
                host_closing: false,
                rx: VecDeque::new(),
                received: 0,
                consumed: 0,
                lost: 0,
                gap_at: 0,
                waiting: 0,
            }),
            capacity,
            stray: 0,
        }
    }

    fn index(id: u32) -> Option<usize> {
        u8::try_from(id)
            .ok()
            .filter(|id| SOCKET_IDS.contains(id))
            .map(|id| usize::from(id - 1))
    }

    fn handle(&self, i: usize) -> SocketHandle {
        SocketHandle {
            id: i as u8 + 1,
            generation: self.slots[i].generation,
        }
    }

    /// The slot of `h`, if `h` is its current generation and not released.
    fn owned(&mut self, h: SocketHandle) -> Option<&mut Slot> {
        let i = Self::index(u32::from(h.id))?;
        let s = &mut self.slots[i];
        (s.generation == h.generation && s.state != Use::Free).then_some(s)
    }

    /// Reserve the first id of `candidates` (ids the module says are free) that no handle holds.
    pub(crate) fn reserve(&mut self, candidates: &[u8]) -> Option<SocketHandle> {
        let i = candidates
            .iter()
            .filter_map(|&id| Self::index(u32::from(id)))
            .find(|&i| self.slots[i].state == Use::Free)?;
        let s = &mut self.slots[i];
        s.generation = s.generation.wrapping_add(1);
        s.state = Use::Opening;
        s.host_closing = false;
        s.rx.clear();
        s.received = 0;
        s.consumed = 0;
        s.lost = 0;
        s.gap_at = 0;
        s.waiting = 0;
        Some(self.handle(i))
    }

    pub(crate) fn state(&self, h: SocketHandle) -> SocketState {
        let Some(i) = Self::index(u32::from(h.id)) else {
            return SocketState::Released;
        };
        let s = &self.slots[i];
        if s.generation != h.generation {
            return SocketState::Released;
        }
        match s.state {
            Use::Free => SocketState::Released,
            Use::Opening => SocketState::Opening,
            Use::Open => SocketState::Open,
            Use::Closed(r) => SocketState::Closed(r),
        }
    }

    pub(crate) fn buffered(&self, h: SocketHandle) -> usize {
        Self::index(u32::from(h.id))
            .map(|i| &self.slots[i])
            .filter(|s| s.generation == h.generation)
            .map_or(0, |s| s.rx.len())
    }

    /// The host asks the module to close `h`: the `+MIPCLOSE` that follows is ours. Returns
    /// whether the module still has the connection (so `AT+MIPCLOSE` must be sent).
    pub(crate) fn begin_close(&mut self, h: SocketHandle) -> bool {
        match self.owned(h) {
            Some(s) => {
                s.host_closing = true;
                matches!(s.state, Use::Open | Use::Opening)
            }
            None => false,
        }
    }

    /// The connection of `h` is known gone (e.g. `AT+MIPCLOSE` answered, no URC came).
    pub(crate) fn mark_closed(&mut self, h: SocketHandle, why: CloseReason) {
        if let Some(s) = self.owned(h) {
            if matches!(s.state, Use::Open | Use::Opening) {
                s.state = Use::Closed(why);
            }
        }
    }

    /// The handle is done with the slot; the id may be reserved again.
    pub(crate) fn release(&mut self, h: SocketHandle) -> bool {
        match self.owned(h) {
            Some(s) => {
                s.state = Use::Free;
                s.rx = VecDeque::new();
                true
            }
            None => false,
        }
    }

    pub(crate) fn read(&mut self, h: SocketHandle, buf: &mut [u8]) -> Result<usize, ReadError> {
        let Some(s) = self.owned(h) else {
            return Err(ReadError::Released);
        };
        if s.lost > 0 && s.consumed == s.gap_at {
            let bytes = core::mem::take(&mut s.lost);
            return Err(ReadError::Lost { bytes });
        }
        if s.rx.is_empty() {
            return match s.state {
                _ if buf.is_empty() => Ok(0),
                Use::Closed(r) if r.is_end_of_stream() => Ok(0),
                Use::Closed(r) => Err(ReadError::Closed(r)),
                _ => Err(ReadError::WouldBlock),
            };
        }
        let mut n = buf.len().min(s.rx.len());
        if s.lost > 0 {
            // Up to the gap only: the loss is reported where it happened in the stream.
            n = n.min((s.gap_at - s.consumed) as usize);
        }
        s.consumed += n as u64;
        let (a, b) = s.rx.as_slices();
        let from_a = n.min(a.len());
        buf[..from_a].copy_from_slice(&a[..from_a]);
        buf[from_a..n].copy_from_slice(&b[..n - from_a]);
        s.rx.drain(..n);
        Ok(n)
    }

    /// Read mode: how many bytes the module says it holds for `h` (0 for a stale handle).
    pub(crate) fn waiting(&self, h: SocketHandle) -> u64 {
        Self::index(u32::from(h.id))
            .map(|i| &self.slots[i])
            .filter(|s| s.generation == h.generation && s.state == Use::Open)
            .map_or(0, |s| s.waiting)
    }

    /// Whether a read of `h` would return at once (data, a loss, an end, or release).
    pub(crate) fn readable(&self, h: SocketHandle) -> bool {
        let Some(i) = Self::index(u32::from(h.id)) else {
            return true;
        };
        let s = &self.slots[i];
        s.generation != h.generation
            || !s.rx.is_empty()
            || s.lost > 0
            || matches!(s.state, Use::Closed(_) | Use::Free)
    }

    /// Bytes received for socket `id` that never reached its buffer (framing broke).
    pub(crate) fn lose(&mut self, id: u32, bytes: u64) -> Option<SocketHandle> {
        let i = Self::index(id)?;
        let s = &mut self.slots[i];
        if matches!(s.state, Use::Open) {
            s.note_loss(bytes);
            Some(self.handle(i))
        } else {
            None
        }
    }

    /// Take a socket URC.
    pub(crate) fn route(&mut self, urc: &Urc) -> Routed {
        let (id, change): (u32, Option<Use>) = match *urc {
            Urc::MipOpen { id, connected } => (
                id.into(),
                Some(if connected {
                    Use::Open
                } else {
                    Use::Closed(CloseReason::OpenFailed)
                }),
            ),
            Urc::MipRtcp { id, ref data, .. } => {
                let capacity = self.capacity;
                let Some(i) = Self::index(id) else {
                    self.stray += 1;
                    return Routed::Quiet;
                };
                let s = &mut self.slots[i];
                if s.state != Use::Open {
                    self.stray += 1;
                    return Routed::Quiet;
                }
                // Read mode: these bytes left the module's store (an empty read means it holds
                // nothing, whatever an older `+MIPREAD` said).
                s.waiting = if data.is_empty() {
                    0
                } else {
                    s.waiting.saturating_sub(data.len() as u64)
                };
                let room = capacity.saturating_sub(s.rx.len());
                let keep = room.min(data.len());
                if s.lost == 0 {
                    s.rx.extend(&data[..keep]);
                    s.received += keep as u64;
                    if keep < data.len() {
                        s.note_loss((data.len() - keep) as u64);
                    }
                } else {
                    // After an unreported gap, only whole chunks are kept, behind the gap.
                    s.rx.extend(&data[..keep]);
                    s.received += keep as u64;
                    s.lost = s.lost.saturating_add((data.len() - keep) as u64);
                }
                return Routed::Changed(self.handle(i));
            }
            Urc::MipClose { id, detail } => {
                (id.into(), Some(Use::Closed(CloseReason::Module { detail })))
            }
            // 0 is only an ACK indication; 1 and 2 mean the connection is gone.
            Urc::MipStat { status: 0, .. } => return Routed::Quiet,
            // A send reached the network: nothing for a reader, and not for the URC queue either
            // (one per send would push out the URCs the application waits for).
            Urc::MipPush { .. } => return Routed::Quiet,
            Urc::MipRead { id, len } => {
                let Some(i) = Self::index(id.into()).filter(|&i| self.slots[i].state == Use::Open)
                else {
                    self.stray += 1;
                    return Routed::Quiet;
                };
                self.slots[i].waiting = len;
                return Routed::Changed(self.handle(i));
            }
            Urc::MipStat { id, status, .. } => (
                id.into(),
                Some(Use::Closed(match status {
                    1 => CloseReason::Stack,
                    2 => CloseReason::Peer,
                    n => CloseReason::Stat(n),
                })),
            ),
            _ => return Routed::No,
        };
        let Some(i) = Self::index(id) else {
            self.stray += 1;
            return Routed::Quiet;
        };
        let s = &mut self.slots[i];
        let next = match (s.state, change) {
            (Use::Opening, Some(Use::Closed(_))) => Use::Closed(CloseReason::OpenFailed),
            (Use::Opening, Some(new)) => new,
            (Use::Open, Some(Use::Closed(_))) if s.host_closing => Use::Closed(CloseReason::Host),
            (Use::Open, Some(Use::Closed(r))) => Use::Closed(r),
            // A URC for an id no handle owns, a second close, or an open result for a socket
            // that is not opening: nothing to change.
            _ => {
                self.stray += 1;
                return Routed::Quiet;
            }
        };
        s.state = next;
        Routed::Changed(self.handle(i))
    }

    /// After a module restart (or when the session closes) every connection is gone.
    pub(crate) fn end_all(&mut self, why: CloseReason, changed: &mut dyn FnMut(SocketHandle)) {
        for i in 0..self.slots.len() {
            if matches!(self.slots[i].state, Use::Opening | Use::Open) {
                self.slots[i].state = Use::Closed(why);
                changed(self.handle(i));
            }
        }
    }
}
