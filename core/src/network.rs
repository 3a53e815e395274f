//! The basics every field client checks before it opens a socket (AT-REFERENCE.md §6): SIM,
//! registration (and its URCs), signal, operator, attach, radio, identity, DNS and ping.

use std::net::IpAddr;
use std::time::Duration;

pub use l610_proto::commands::{
    CellLocation, Identity, IdentityItem, Operator, PingOptions, PingReply, PingStat, Registration,
    RegistrationDomain, RegistrationReporting, RegistrationStatus, SignalQuality, SimStatus,
};

use l610_proto::commands as cmd;

use crate::at::Urc;
use crate::error::{Error, Result};
use crate::Modem;

/// What a ping run measured (`+MPING` replies and the closing `+MPINGSTAT`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PingReport {
    /// The address the module pinged.
    pub ip: String,
    /// Echo requests sent.
    pub sent: u32,
    /// Replies received.
    pub received: u32,
    /// The round trip of each reply, in order.
    pub replies: Vec<Duration>,
    /// The module's average round trip, when anything answered.
    pub average: Option<Duration>,
}

/// How long after the `OK` of `AT+MIPDNS` an answer that comes as a URC is awaited.
const DNS_URC_WAIT: Duration = Duration::from_secs(30);

impl Modem {
    /// `AT+CPIN?`: whether the SIM is ready.
    pub fn sim_status(&self) -> Result<SimStatus> {
        self.run_parsed(&cmd::sim_status_query(), cmd::parse_sim_status)
    }

    /// `AT+CREG?`, `AT+CGREG?` or `AT+CEREG?`: registration in one domain. An L610 (LTE Cat 1)
    /// registers on [`RegistrationDomain::Eps`]; clients check all three.
    pub fn registration(&self, domain: RegistrationDomain) -> Result<Registration> {
        self.run_parsed(&cmd::registration_query(domain), |r| {
            cmd::parse_registration(r, domain)
        })
    }

    /// `AT+CREG=<n>` (and `+CGREG`, `+CEREG`): registration changes then arrive as
    /// [`Urc::Registration`] (see [`next_urc`](Self::next_urc)). Lost at a module restart.
    pub fn set_registration_reporting(
        &self,
        domain: RegistrationDomain,
        mode: RegistrationReporting,
    ) -> Result<()> {
        self.command(&cmd::set_registration_reporting(domain, mode))
            .map(drop)
    }

    /// Registered (home or roaming) in any domain: what clients wait for before
    /// `AT+MIPCALL`.
    pub fn is_registered(&self) -> Result<bool> {
        for d in [RegistrationDomain::Eps, RegistrationDomain::Gprs] {
            if self.registration(d)?.status.is_registered() {
                return Ok(true);
            }
        }
        Ok(false)
    }

    /// `AT+CSQ`: signal strength (`.dbm()`) and bit error rate.
    pub fn signal_quality(&self) -> Result<SignalQuality> {
        self.run_parsed(&cmd::signal_quality_query(), cmd::parse_signal_quality)
    }

    /// `AT+COPS?`, typed: mode, the operator's name and the access technology.
    pub fn operator_info(&self) -> Result<Operator> {
        self.run_parsed(&cmd::operator_query(), cmd::parse_operator_info)
    }

    /// `AT+CGATT?`: attached to the packet domain.
    pub fn attached(&self) -> Result<bool> {
        self.run_parsed(&cmd::attach_query(), cmd::parse_attached)
    }

    /// `AT+CFUN?`: 1 full functionality, 0 minimum, 4 radio off.
    pub fn functionality(&self) -> Result<u8> {
        self.run_parsed(&cmd::functionality_query(), cmd::parse_functionality)
    }

    /// One identity query (`AT+CGMI`, `AT+CGMM`, `AT+CGMR`, `AT+CGSN`, `AT+CIMI`, `AT+CCID`).
    pub fn identity_item(&self, item: IdentityItem) -> Result<String> {
        self.run_parsed(&cmd::identity_query(item), |r| {
            cmd::parse_identity_item(r, item)
        })
    }

    /// Manufacturer, model, firmware and IMEI, and the SIM's IMSI and ICCID. The SIM's two are
    /// `None` when the module refuses them (no SIM, PIN locked: `+CME ERROR`); other failures are
    /// errors.
    pub fn identity(&self) -> Result<Identity> {
        let sim = |item| match self.identity_item(item) {
            Ok(v) => Ok(Some(v)),
            Err(Error::Cme { .. } | Error::AtError { .. }) => Ok(None),
            Err(e) => Err(e),
        };
        Ok(Identity {
            manufacturer: self.identity_item(IdentityItem::Manufacturer)?,
            model: self.identity_item(IdentityItem::Model)?,
            firmware: self.identity_item(IdentityItem::Firmware)?,
            imei: self.identity_item(IdentityItem::Imei)?,
            imsi: sim(IdentityItem::Imsi)?,
            iccid: sim(IdentityItem::Iccid)?,
        })
    }

    /// `AT+MIPDNS="<host>"`: the module resolves `host` over its PDP context (which must be
    /// active: `+CME ERROR: 3` otherwise). An unknown name is the module's `ERROR`. The answer
    /// is taken from the response, or, as some firmware sends it after `OK`, from the URC.
    pub fn resolve(&self, host: &str) -> Result<Vec<IpAddr>> {
        let query = cmd::resolve(host)?.timeout(self.config().open_timeout);
        if let Some(ips) = self.run_parsed(&query, cmd::parse_resolve)? {
            return Ok(ips);
        }
        let host = host.to_owned();
        self.wait_for(DNS_URC_WAIT, |s| {
            s.take_urc(
                |u| matches!(u, Urc::MipDns { host: h, .. } if h.eq_ignore_ascii_case(&host)),
            )
        })
        .map(|u| match u {
            Urc::MipDns { addrs, .. } => addrs,
            _ => Vec::new(),
        })
    }

    /// `AT+MPING=1,"<host>",...`: ping from the module, and wait for the run to end
    /// (`+MPINGSTAT`), at most `count × (timeout + 1 s)` plus a margin. Needs the PDP context.
    pub fn ping(&self, host: &str, options: &PingOptions) -> Result<PingReport> {
        let run = cmd::ping(host, options)?;
        // Replies of an earlier run the caller did not wait for are not this run's.
        {
            let mut s = self.engine.session();
            while s
                .take_urc(|u| matches!(u, Urc::Ping(_) | Urc::PingStat(_)))
                .is_some()
            {}
        }
        self.command(&run)?;
        let per_request = options.timeout + Duration::from_secs(1);
        let limit = per_request * u32::from(options.count) + Duration::from_secs(5);
        let mut replies = Vec::new();
        let stat = self.wait_for(limit, |s| loop {
            match s.take_urc(|u| matches!(u, Urc::Ping(_) | Urc::PingStat(_))) {
                Some(Urc::Ping(r)) => {
                    if r.result == 0 {
                        replies.push(r.rtt);
                    }
                }
                Some(Urc::PingStat(st)) => break Some(st),
                _ => break None,
            }
        });
        let stat = match stat {
            Ok(st) => st,
            Err(e) => {
                // Do not leave a run going that would answer into the next one.
                let _ = self.command(&cmd::stop_ping());
                return Err(e);
            }
        };
        Ok(PingReport {
            ip: stat.ip,
            sent: stat.sent,
            received: stat.received,
            replies,
            average: (stat.received > 0).then_some(stat.average),
        })
    }
}
