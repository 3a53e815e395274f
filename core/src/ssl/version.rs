//! `<sslver>` of `+GTSSLVER` and `<checkmode>` of `+GTSSLMODE`.

use crate::error::Error;

/// The handshake protocol version (`AT+GTSSLVER=<sslver>`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[repr(u8)]
pub enum SslVersion {
    /// 0: inside the manual's range but undocumented; real hardware reports it after power-up.
    /// Kept losslessly; the virtual module treats it as "negotiate TLS 1.0–1.2".
    Unspecified = 0,
    /// 1: SSL 3.0 (obsolete; most servers refuse it).
    Ssl3 = 1,
    /// 2: TLS 1.0 (the manual's default).
    Tls1_0 = 2,
    /// 3: TLS 1.1.
    Tls1_1 = 3,
    /// 4: TLS 1.2.
    Tls1_2 = 4,
}

impl SslVersion {
    /// Every value, 0–4.
    pub const ALL: [SslVersion; 5] = [
        SslVersion::Unspecified,
        SslVersion::Ssl3,
        SslVersion::Tls1_0,
        SslVersion::Tls1_1,
        SslVersion::Tls1_2,
    ];

    /// The `<sslver>` number.
    pub fn value(self) -> u8 {
        self as u8
    }
}

impl TryFrom<i64> for SslVersion {
    type Error = Error;
    fn try_from(v: i64) -> Result<Self, Error> {
        usize::try_from(v)
            .ok()
            .and_then(|i| SslVersion::ALL.get(i).copied())
            .ok_or_else(|| Error::invalid(format!("SSL version {v} is not in 0..=4")))
    }
}

/// Whether the module verifies the server certificate (`AT+GTSSLMODE=<checkmode>`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[repr(u8)]
pub enum VerifyMode {
    /// 0: no verification (the module's default).
    None = 0,
    /// 1: verify against the loaded TRUSTFILEs and the module clock.
    Verify = 1,
}

impl TryFrom<i64> for VerifyMode {
    type Error = Error;
    fn try_from(v: i64) -> Result<Self, Error> {
        match v {
            0 => Ok(VerifyMode::None),
            1 => Ok(VerifyMode::Verify),
            _ => Err(Error::invalid(format!("check mode {v} is not 0 or 1"))),
        }
    }
}
