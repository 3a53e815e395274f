//! How a virtual module is set up before it boots.

use std::time::Duration;

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
}

impl Default for SimConfig {
    fn default() -> Self {
        SimConfig {
            echo: true,
            data_mode_idle_timeout: Duration::from_secs(12),
            baud: None,
            handshake_timeout: Duration::from_secs(30),
        }
    }
}
