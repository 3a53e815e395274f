//! `+MIPCALL`: the PDP context (the module's IP connection) that sockets need.

use crate::at::params::{quoted, split, unquote};
use crate::at::Command;
use crate::error::{Error, Result};
use crate::modem::unexpected;
use crate::Modem;

/// The state `AT+MIPCALL?` reports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PdpStatus {
    /// `+MIPCALL: 0`.
    Inactive,
    /// `+MIPCALL: 1,<ip>`.
    Active(String),
    /// `+MIPCALL: 2`: activation in progress.
    Busy,
}

/// APN and credentials for `AT+MIPCALL=1,...`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PdpConfig {
    /// Access point name; `None` uses the module's default.
    pub apn: Option<String>,
    /// User name and password, if the APN needs them.
    pub credentials: Option<(String, String)>,
}

impl Modem {
    /// `AT+MIPCALL=1[,"apn"[,"user","pwd"]]`, then wait for `+MIPCALL: <ip>`; returns the IP.
    pub fn activate_pdp(&self, config: &PdpConfig) -> Result<String> {
        let mut body = "+MIPCALL=1".to_owned();
        match (&config.apn, &config.credentials) {
            (Some(apn), creds) => {
                body.push_str(&format!(",{}", quoted("APN", apn)?));
                if let Some((user, pwd)) = creds {
                    body.push_str(&format!(
                        ",{},{}",
                        quoted("user", user)?,
                        quoted("password", pwd)?
                    ));
                }
            }
            (None, Some(_)) => return Err(Error::invalid("credentials need an APN")),
            (None, None) => {}
        }
        let seen = self.engine.parser().pdp_event.0;
        self.command(&Command::new(body).timeout(self.config().command_timeout))?;
        let event = self.wait_for(self.config().pdp_timeout, |p| {
            (p.pdp_event.0 > seen).then(|| p.pdp_event.1.clone())
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
        let seen = self.engine.parser().pdp_event.0;
        self.command(&Command::new("+MIPCALL=0"))?;
        self.wait_for(self.config().pdp_timeout, |p| {
            (p.pdp_event.0 > seen).then_some(())
        })
    }

    /// `AT+MIPCALL?`.
    pub fn pdp_status(&self) -> Result<PdpStatus> {
        let r = self.command(&Command::new("+MIPCALL?").expects("+MIPCALL"))?;
        let p = r
            .params("+MIPCALL")
            .map(split)
            .ok_or_else(|| unexpected("AT+MIPCALL?", &r))?;
        match (p[0], p.get(1)) {
            ("0", _) => Ok(PdpStatus::Inactive),
            ("1", Some(ip)) => Ok(PdpStatus::Active(unquote(ip).to_owned())),
            ("2", _) => Ok(PdpStatus::Busy),
            _ => Err(unexpected("AT+MIPCALL?", &r)),
        }
    }
}
