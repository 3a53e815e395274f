//! The module's volatile state: everything a power cycle forgets.

use std::collections::BTreeSet;
use std::sync::{Arc, Mutex};

use crate::clock::Clock;
use crate::config::SimConfig;
use crate::network::Network;
use crate::socket::Connection;

/// Socket ids are 1..=6 on the L610.
pub(crate) const SOCKETS: usize = 6;

pub(crate) type Shared = Arc<Mutex<ModuleState>>;

#[derive(Clone)]
pub(crate) enum Slot {
    Free,
    /// `+MIPOPEN` accepted, the connect thread with this token has not reported yet.
    Connecting(u64),
    Open(u64, Arc<Connection>),
}

pub(crate) struct ModuleState {
    pub(crate) echo: bool,
    pub(crate) cmee: u8,
    pub(crate) verify: u8,
    pub(crate) ssl_version: u8,
    pub(crate) ciphers: BTreeSet<u8>,
    pub(crate) cert_files: Vec<Vec<u8>>,
    pub(crate) key_files: Vec<Vec<u8>>,
    pub(crate) trust_files: Vec<Vec<u8>>,
    pub(crate) iprfmt: u8,
    pub(crate) pdp_active: bool,
    pub(crate) sockets: [Slot; SOCKETS],
    pub(crate) boots: u32,
    pub(crate) last_ssl_error: i32,
    pub(crate) clock: Clock,
    /// `AT+CCLK=` was used since power-up: network time no longer overrides it.
    pub(crate) clock_set_by_host: bool,
    pub(crate) net: Network,
    /// Bumped by every `AT+MPING`, so a running ping knows it was stopped or replaced.
    pub(crate) ping_run: u64,
    pub(crate) next_token: u64,
}

impl ModuleState {
    pub(crate) fn new(config: &SimConfig) -> ModuleState {
        ModuleState {
            echo: config.echo,
            cmee: 1,
            verify: 0,
            // Hardware reports 0 after power-up; the manual names TLS 1.0 (2) the default.
            ssl_version: config.boot_ssl_version,
            ciphers: BTreeSet::new(),
            cert_files: Vec::new(),
            key_files: Vec::new(),
            trust_files: Vec::new(),
            iprfmt: 0,
            pdp_active: false,
            sockets: std::array::from_fn(|_| Slot::Free),
            boots: 0,
            last_ssl_error: 0,
            clock: Clock::boot(),
            clock_set_by_host: false,
            net: Network::new(),
            ping_run: 0,
            next_token: 1,
        }
    }

    /// Power loss: sockets die without any URC, everything else back to defaults.
    pub(crate) fn power_off(&mut self, config: &SimConfig) {
        self.close_all();
        let boots = self.boots;
        let next_token = self.next_token;
        *self = ModuleState::new(config);
        self.boots = boots;
        self.next_token = next_token;
    }

    pub(crate) fn close_all(&mut self) {
        for slot in self.sockets.iter_mut() {
            if let Slot::Open(_, conn) = std::mem::replace(slot, Slot::Free) {
                conn.close();
            }
        }
    }

    pub(crate) fn slot(&mut self, id: u8) -> &mut Slot {
        &mut self.sockets[id as usize - 1]
    }

    pub(crate) fn free_ids(&self) -> Vec<u8> {
        self.ids(|s| matches!(s, Slot::Free))
    }

    pub(crate) fn open_ids(&self) -> Vec<u8> {
        self.ids(|s| matches!(s, Slot::Open(..)))
    }

    fn ids(&self, f: impl Fn(&Slot) -> bool) -> Vec<u8> {
        (1..=SOCKETS as u8)
            .filter(|&id| f(&self.sockets[id as usize - 1]))
            .collect()
    }
}
