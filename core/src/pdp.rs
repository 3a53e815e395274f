//! `+MIPCALL`: the PDP context (the module's IP connection) that sockets need.

pub use l610_proto::{PdpConfig, PdpStatus};

use l610_proto::commands as cmd;

use crate::at::params::unquote;
use crate::error::{Error, Result};
use crate::Modem;

impl Modem {
    /// `AT+MIPCALL=1[,"apn"[,"user","pwd"]]`, then wait for `+MIPCALL: <ip>`; returns the IP.
    pub fn activate_pdp(&self, config: &PdpConfig) -> Result<String> {
        let activate = cmd::activate_pdp(config)?.timeout(self.config().command_timeout);
        let seen = self.engine.session().pdp().0;
        self.command(&activate)?;
        let event = self.wait_for(self.config().pdp_timeout, |p| {
            (p.pdp().0 > seen).then(|| p.pdp().1.map(str::to_owned))
        })?;
        match event.as_deref().map(unquote) {
            Some("0") | None => Err(Error::ConnectionFailed(
                "PDP activation reported +MIPCALL: 0".into(),
            )),
            Some(ip) => Ok(ip.to_owned()),
        }
    }

    /// `AT+MIPCALL=0`, then wait for `+MIPCALL: 0`.
    pub fn deactivate_pdp(&self) -> Result<()> {
        let seen = self.engine.session().pdp().0;
        self.command(&cmd::deactivate_pdp())?;
        self.wait_for(self.config().pdp_timeout, |p| {
            (p.pdp().0 > seen).then_some(())
        })
    }

    /// `AT+MIPCALL?`. Only a `0`, `2` or `1,<ip>` line is its answer; an activation URC
    /// (`+MIPCALL: <ip>`) arriving meanwhile stays an event.
    pub fn pdp_status(&self) -> Result<PdpStatus> {
        self.run_parsed(&cmd::pdp_status_query(), cmd::parse_pdp_status)
    }
}
