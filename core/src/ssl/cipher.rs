//! `<cipalgID>` of `+GTSSLCIPHER`: the 31 suites of the manual, by ID and by name.

use std::fmt;
use std::str::FromStr;

use crate::error::Error;

macro_rules! suites {
    ($($id:literal $variant:ident $name:literal,)*) => {
        /// A cipher suite of `AT+GTSSLCIPHER=<cipalgID>,<cmd>`, as numbered in the manual.
        /// Names are the manual's (mbedTLS style).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[repr(u8)]
        #[allow(non_camel_case_types)]
        pub enum CipherSuite {
            $(
                #[doc = $name]
                $variant = $id,
            )*
        }

        impl CipherSuite {
            /// All 31 suites in ID order.
            pub const ALL: [CipherSuite; 31] = [$(CipherSuite::$variant,)*];

            /// The manual's name, e.g. `TLS-ECDHE-RSA-WITH-AES-256-GCM-SHA384`.
            pub fn name(self) -> &'static str {
                match self { $(CipherSuite::$variant => $name,)* }
            }
        }
    };
}

suites! {
    1 EcdheRsaChacha20Poly1305Sha256 "TLS-ECDHE-RSA-WITH-CHACHA20-POLY1305-SHA256",
    2 EcdheEcdsaChacha20Poly1305Sha256 "TLS-ECDHE-ECDSA-WITH-CHACHA20-POLY1305-SHA256",
    3 DheRsaChacha20Poly1305Sha256 "TLS-DHE-RSA-WITH-CHACHA20-POLY1305-SHA256",
    4 EcdheEcdsaAes256GcmSha384 "TLS-ECDHE-ECDSA-WITH-AES-256-GCM-SHA384",
    5 EcdheRsaAes256GcmSha384 "TLS-ECDHE-RSA-WITH-AES-256-GCM-SHA384",
    6 DheRsaAes256GcmSha384 "TLS-DHE-RSA-WITH-AES-256-GCM-SHA384",
    7 EcdheEcdsaAes256Ccm "TLS-ECDHE-ECDSA-WITH-AES-256-CCM",
    8 DheRsaAes256Ccm "TLS-DHE-RSA-WITH-AES-256-CCM",
    9 EcdheEcdsaAes256CbcSha384 "TLS-ECDHE-ECDSA-WITH-AES-256-CBC-SHA384",
    10 EcdheRsaAes256CbcSha384 "TLS-ECDHE-RSA-WITH-AES-256-CBC-SHA384",
    11 DheRsaAes256CbcSha256 "TLS-DHE-RSA-WITH-AES-256-CBC-SHA256",
    12 EcdheEcdsaAes256CbcSha "TLS-ECDHE-ECDSA-WITH-AES-256-CBC-SHA",
    13 EcdheRsaAes256CbcSha "TLS-ECDHE-RSA-WITH-AES-256-CBC-SHA",
    14 DheRsaAes256CbcSha "TLS-DHE-RSA-WITH-AES-256-CBC-SHA",
    15 EcdheEcdsaAes256Ccm8 "TLS-ECDHE-ECDSA-WITH-AES-256-CCM-8",
    16 DheRsaAes256Ccm8 "TLS-DHE-RSA-WITH-AES-256-CCM-8",
    17 EcdheEcdsaCamellia256GcmSha384 "TLS-ECDHE-ECDSA-WITH-CAMELLIA-256-GCM-SHA384",
    18 EcdheRsaCamellia256GcmSha384 "TLS-ECDHE-RSA-WITH-CAMELLIA-256-GCM-SHA384",
    19 DheRsaCamellia256GcmSha384 "TLS-DHE-RSA-WITH-CAMELLIA-256-GCM-SHA384",
    20 EcdheEcdsaCamellia256CbcSha384 "TLS-ECDHE-ECDSA-WITH-CAMELLIA-256-CBC-SHA384",
    21 EcdheRsaCamellia256CbcSha384 "TLS-ECDHE-RSA-WITH-CAMELLIA-256-CBC-SHA384",
    22 DheRsaCamellia256CbcSha256 "TLS-DHE-RSA-WITH-CAMELLIA-256-CBC-SHA256",
    23 DheRsaCamellia256CbcSha "TLS-DHE-RSA-WITH-CAMELLIA-256-CBC-SHA",
    24 EcdheEcdsaAes128GcmSha256 "TLS-ECDHE-ECDSA-WITH-AES-128-GCM-SHA256",
    25 EcdheRsaAes128GcmSha256 "TLS-ECDHE-RSA-WITH-AES-128-GCM-SHA256",
    26 DheRsaAes128GcmSha256 "TLS-DHE-RSA-WITH-AES-128-GCM-SHA256",
    27 EcdheEcdsaAes128Ccm "TLS-ECDHE-ECDSA-WITH-AES-128-CCM",
    28 DheRsaAes128Ccm "TLS-DHE-RSA-WITH-AES-128-CCM",
    29 EcdheEcdsaAes128CbcSha256 "TLS-ECDHE-ECDSA-WITH-AES-128-CBC-SHA256",
    30 EcdheRsaAes128CbcSha256 "TLS-ECDHE-RSA-WITH-AES-128-CBC-SHA256",
    31 DheRsaAes128CbcSha256 "TLS-DHE-RSA-WITH-AES-128-CBC-SHA256",
}

impl CipherSuite {
    /// The `<cipalgID>`, 1–31.
    pub fn id(self) -> u8 {
        self as u8
    }

    /// The suite with this `<cipalgID>`.
    pub fn from_id(id: u8) -> Option<CipherSuite> {
        CipherSuite::ALL
            .get(usize::from(id).checked_sub(1)?)
            .copied()
    }

    /// The IANA/RFC spelling (`TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384`).
    pub fn iana_name(self) -> String {
        self.name().replace('-', "_")
    }
}

impl fmt::Display for CipherSuite {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for CipherSuite {
    type Err = Error;

    /// Accepts the ID (`"5"`), the manual's name, or the IANA name; case-insensitive, `-` or `_`,
    /// with or without the `TLS` prefix.
    fn from_str(s: &str) -> Result<Self, Error> {
        let s = s.trim();
        if let Ok(id) = s.parse::<u8>() {
            return CipherSuite::from_id(id)
                .ok_or_else(|| Error::invalid(format!("cipher suite ID {id} is not in 1..=31")));
        }
        let norm = |n: &str| {
            let n = n.to_ascii_uppercase().replace('_', "-");
            n.strip_prefix("TLS-").map(str::to_owned).unwrap_or(n)
        };
        let wanted = norm(s);
        CipherSuite::ALL
            .into_iter()
            .find(|c| norm(c.name()) == wanted)
            .ok_or_else(|| Error::invalid(format!("unknown cipher suite {s:?}")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_and_names_round_trip() {
        for (i, c) in CipherSuite::ALL.iter().enumerate() {
            assert_eq!(c.id() as usize, i + 1);
            assert_eq!(CipherSuite::from_id(c.id()), Some(*c));
            assert_eq!(c.name().parse::<CipherSuite>().unwrap(), *c);
            assert_eq!(c.iana_name().parse::<CipherSuite>().unwrap(), *c);
        }
        assert_eq!(
            "5".parse::<CipherSuite>().unwrap(),
            CipherSuite::EcdheRsaAes256GcmSha384
        );
        assert_eq!(
            "ecdhe-rsa-with-aes-256-gcm-sha384"
                .parse::<CipherSuite>()
                .unwrap()
                .id(),
            5
        );
        assert!("32".parse::<CipherSuite>().is_err());
        assert!(CipherSuite::from_id(0).is_none());
    }
}
