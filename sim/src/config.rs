//! How a virtual module is set up before it boots.
//!
//! The defaults are what a real, registered L610 does (AT-REFERENCE.md §6, field evidence).
//! [`SimConfig::manual`] is the module of Fibocom's SSL manual instead: `+GTSSLVER: 2`, a clock
//! that nobody set (2015-01-01, the manual's example 3) and `+MIPCLOSE: <id>,1`.

use std::path::PathBuf;
use std::time::Duration;

pub use crate::link::LinkConditions;

/// Settings fixed for the life of a [`Sim`](crate::Sim).
#[derive(Clone, Debug)]
pub struct SimConfig {
    /// Echo on at boot. The real module boots with echo on.
    pub echo: bool,
    /// How long the `>` data mode waits for the next byte before it gives up with `ERROR`
    /// (12 s per the manual).
    pub data_mode_idle_timeout: Duration,
    /// Line-rate emulation: bytes leave the module no faster than `baud / 10` per second.
    /// `None` writes as fast as the host reads.
    pub baud: Option<u32>,
    /// How long a `+MIPOPEN` waits for the server (TCP connect and TLS handshake) before it
    /// reports `+MIPOPEN: <id>,0` with `+GTSSLERR: -8`.
    pub handshake_timeout: Duration,
    /// `+GTSSLVER` after power-up: 0 on hardware (negotiate TLS 1.0–1.2), 2 (TLS 1.0) per the
    /// manual.
    pub boot_ssl_version: u8,
    /// The clock follows network time once the module is registered, as a registered module's
    /// does. `false` keeps the unset clock (2015-01-01) of the manual's example 3.
    pub network_time: bool,
    /// Time from power-up to network registration (`+CREG: 0,2` until then, then `0,1`).
    pub registration_delay: Duration,
    /// The second field of `+MIPCLOSE: <id>,<x>` after the host closed: 0 is what RT-Thread's
    /// driver expects from hardware, 1 is what the manual shows.
    pub close_report: u8,
    /// `AT+MIPCALL=0` answers `+MIPCALL: 0` before its `OK` (TobudOS) instead of after it.
    pub deactivation_urc_first: bool,
    /// Network conditions on the module's side of every socket (latency, loss, bandwidth), so
    /// a Cat 1 link can be played. Default: none.
    pub link: LinkConditions,
    /// Append a readable log of the serial traffic (both directions, timestamped) to this file.
    pub traffic_log: Option<PathBuf>,
}

impl Default for SimConfig {
    fn default() -> Self {
        SimConfig {
            echo: true,
            data_mode_idle_timeout: Duration::from_secs(12),
            baud: None,
            handshake_timeout: Duration::from_secs(30),
            boot_ssl_version: 0,
            network_time: true,
            registration_delay: Duration::ZERO,
            close_report: 0,
            deactivation_urc_first: true,
            link: LinkConditions::default(),
            traffic_log: None,
        }
    }
}

impl SimConfig {
    /// The module as Fibocom's SSL manual shows it: `+GTSSLVER: 2` at power-up, a clock left
    /// at 2015-01-01 (so example 3's `-11` happens unless the host sets it), `+MIPCLOSE: 1,1`,
    /// and `+MIPCALL: 0` after the `OK` of `AT+MIPCALL=0`.
    pub fn manual() -> SimConfig {
        SimConfig {
            boot_ssl_version: 2,
            network_time: false,
            close_report: 1,
            deactivation_urc_first: false,
            ..SimConfig::default()
        }
    }
}
