//! The cellular side the module sees: radio on or off (`+CFUN`), registration in the circuit,
//! packet and EPS domains (`+CREG`, `+CGREG`, `+CEREG`) with their URC modes, attach
//! (`+CGATT`), the PDP contexts defined with `+CGDCONT`, and network time. The virtual network
//! is always there: a module with its radio on registers `registration_delay` after power-up.

use std::sync::Arc;
use std::time::Duration;

use crate::clock::Clock;
use crate::output::Output;
use crate::state::Shared;

/// The cell the virtual module camps on (hex, as `+CREG: 2,...` reports it).
pub(crate) const LAC: &str = "5A1F";
pub(crate) const CELL_ID: &str = "0B2D4C01";
/// E-UTRAN, the L610 being a Cat 1 module.
pub(crate) const ACT_LTE: u8 = 7;

/// The three registration commands differ only in their name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Domain {
    Creg,
    Cgreg,
    Cereg,
}

impl Domain {
    pub(crate) const ALL: [Domain; 3] = [Domain::Creg, Domain::Cgreg, Domain::Cereg];

    pub(crate) fn name(self) -> &'static str {
        match self {
            Domain::Creg => "+CREG",
            Domain::Cgreg => "+CGREG",
            Domain::Cereg => "+CEREG",
        }
    }

    fn index(self) -> usize {
        self as usize
    }
}

/// `<stat>` of the registration answers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum RegStat {
    NotSearching = 0,
    Home = 1,
    Searching = 2,
}

pub(crate) struct Network {
    /// `+CFUN` level: 1 full, 0 minimum, 4 radio off.
    pub(crate) cfun: u8,
    pub(crate) stat: RegStat,
    /// `AT+CREG=<n>` and friends: 0 no URC, 1 `+CREG: <stat>`, 2 with location.
    pub(crate) urc_mode: [u8; 3],
    /// `+CGATT`: attached to the packet domain (follows registration unless detached).
    pub(crate) detached: bool,
    /// `+CGDCONT` contexts: (cid, PDP type, APN). Context 1 is defined at power-up, as the
    /// network's default bearer is.
    pub(crate) contexts: Vec<(u8, String, String)>,
    /// `+COPS` `<format>`: 0 long name, 1 short name, 2 numeric.
    pub(crate) cops_format: u8,
}

impl Network {
    pub(crate) fn new() -> Network {
        Network {
            cfun: 1,
            stat: RegStat::Searching,
            urc_mode: [0; 3],
            detached: false,
            contexts: vec![(1, "IP".into(), "CMNET".into())],
            cops_format: 0,
        }
    }

    pub(crate) fn registered(&self) -> bool {
        self.stat == RegStat::Home
    }

    pub(crate) fn attached(&self) -> bool {
        self.registered() && !self.detached
    }

    pub(crate) fn urc_mode(&self, d: Domain) -> u8 {
        self.urc_mode[d.index()]
    }

    pub(crate) fn set_urc_mode(&mut self, d: Domain, n: u8) {
        self.urc_mode[d.index()] = n;
    }

    /// The read answer, `+CREG: <n>,<stat>[,"<lac>","<ci>",<act>]`.
    pub(crate) fn read_line(&self, d: Domain) -> String {
        let n = self.urc_mode(d);
        let mut s = format!("{}: {},{}", d.name(), n, self.stat as u8);
        if n == 2 && self.registered() {
            s += &format!(",\"{LAC}\",\"{CELL_ID}\",{ACT_LTE}");
        }
        s
    }

    /// The URC for a change of `<stat>`, if the host asked for it.
    fn urc_line(&self, d: Domain) -> Option<String> {
        let mut s = match self.urc_mode(d) {
            0 => return None,
            _ => format!("{}: {}", d.name(), self.stat as u8),
        };
        if self.urc_mode(d) == 2 && self.registered() {
            s += &format!(",\"{LAC}\",\"{CELL_ID}\",{ACT_LTE}");
        }
        Some(s)
    }

    /// Changes `<stat>` and returns the URCs that announce it.
    pub(crate) fn set_stat(&mut self, stat: RegStat) -> Vec<String> {
        if self.stat == stat {
            return Vec::new();
        }
        self.stat = stat;
        Domain::ALL
            .iter()
            .filter_map(|&d| self.urc_line(d))
            .collect()
    }

    /// `+CSQ`: a good LTE signal while registered, "not known" otherwise.
    pub(crate) fn csq(&self) -> &'static str {
        if self.registered() {
            "+CSQ: 24,99"
        } else {
            "+CSQ: 99,99"
        }
    }
}

/// Registers the module `delay` from now, unless it reboots or its radio goes off first.
/// A registered module takes the network's time, as NITZ gives it, if `network_time` is on
/// and the host has not set the clock itself.
pub(crate) fn register_after(
    shared: Shared,
    output: Arc<Output>,
    delay: Duration,
    network_time: bool,
) {
    let boots = shared.lock().unwrap().boots;
    let register = move || {
        let mut st = shared.lock().unwrap();
        if st.boots != boots || st.net.cfun != 1 {
            return;
        }
        let urcs = st.net.set_stat(RegStat::Home);
        if network_time && !st.clock_set_by_host {
            st.clock = Clock::network();
        }
        drop(st);
        for u in urcs {
            output.urc(&u);
        }
    };
    if delay.is_zero() {
        register();
    } else {
        let spawned = std::thread::Builder::new()
            .name("l610-sim-register".into())
            .spawn(move || {
                std::thread::sleep(delay);
                register();
            });
        if spawned.is_err() {
            log::error!("l610-sim: cannot start the registration thread");
        }
    }
}
