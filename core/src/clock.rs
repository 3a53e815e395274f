//! `+CCLK`: the module's clock. Certificate verification uses it, so a wrong clock fails every
//! verified connection with `+GTSSLERR: -11` (manual examples 3 and 4).
//!
//! [`ModuleTime`] and the commands live in `l610_proto::commands`; reading the host's clock needs
//! std, so it is here.

use std::time::{SystemTime, UNIX_EPOCH};

pub use l610_proto::ModuleTime;

use l610_proto::commands as cmd;

use crate::error::Result;
use crate::Modem;

/// The host's clock, UTC (zone `+00`). A host clock before 1970 reads as the epoch.
pub fn now_utc() -> ModuleTime {
    let unix = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
        .unwrap_or(0);
    ModuleTime::from_unix(unix)
}

impl Modem {
    /// `AT+CCLK?`.
    pub fn clock(&self) -> Result<ModuleTime> {
        self.run_parsed(&cmd::clock_query(), cmd::parse_clock)
    }

    /// `AT+CCLK="yy/MM/dd,hh:mm:ss[±zz]"`. An impossible time is refused before anything is sent.
    pub fn set_clock(&self, time: &ModuleTime) -> Result<()> {
        self.command(&cmd::set_clock(time)?).map(drop)
    }

    /// Set the module clock to the host's (UTC).
    pub fn set_clock_from_host(&self) -> Result<ModuleTime> {
        let now = now_utc();
        self.set_clock(&now)?;
        Ok(now)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn host_clock_is_a_valid_module_time() {
        let now = now_utc();
        now.validate().unwrap();
        assert_eq!(now.zone_quarters, Some(0));
    }
}
