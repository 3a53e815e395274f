//! `+GTSSLCIPHER`: the 31 suites of the manual by `<cipalgID>` and by name, and the commands that
//! enable, list and test them.

use alloc::borrow::ToOwned;
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;
use core::str::FromStr;

use super::{bad_answer, decimal, one_line, range_groups, read, test};
use crate::params::{split, RangeList};
use crate::{Command, Response, ValueError};

const GTSSLCIPHER: &str = "+GTSSLCIPHER";

macro_rules! suites {
    ($($id:literal $variant:ident $name:literal,)*) => {
        /// A cipher suite of `AT+GTSSLCIPHER=<cipalgID>,<cmd>`, as numbered in the manual.
        /// Names are the manual's (mbedTLS style).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[repr(u8)]
        pub enum CipherSuite {
            $(
                #[doc = $name]
                $variant = $id,
            )*
        }

        impl CipherSuite {
            /// All 31 `<cipalgID>`s of `AT+GTSSLCIPHER`, in ID order.
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
    /// The `<cipalgID>` of `AT+GTSSLCIPHER`, 1–31.
    pub fn id(self) -> u8 {
        self as u8
    }

    /// The suite with this `<cipalgID>` of `AT+GTSSLCIPHER`.
    pub fn from_id(id: u8) -> Option<CipherSuite> {
        CipherSuite::ALL
            .get(usize::from(id).checked_sub(1)?)
            .copied()
    }

    /// The IANA/RFC spelling (`TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384`).
    pub fn iana_name(self) -> String {
        self.name().replace('-', "_")
    }

    /// OpenSSL's name (`ECDHE-RSA-AES256-GCM-SHA384`, as `openssl ciphers` lists it), for
    /// people who copy suite names from `s_client` or a server's configuration. `None` for 17-19
    /// (CAMELLIA-GCM), which OpenSSL does not implement.
    pub fn openssl_name(self) -> Option<&'static str> {
        use CipherSuite::*;
        Some(match self {
            EcdheRsaChacha20Poly1305Sha256 => "ECDHE-RSA-CHACHA20-POLY1305",
            EcdheEcdsaChacha20Poly1305Sha256 => "ECDHE-ECDSA-CHACHA20-POLY1305",
            DheRsaChacha20Poly1305Sha256 => "DHE-RSA-CHACHA20-POLY1305",
            EcdheEcdsaAes256GcmSha384 => "ECDHE-ECDSA-AES256-GCM-SHA384",
            EcdheRsaAes256GcmSha384 => "ECDHE-RSA-AES256-GCM-SHA384",
            DheRsaAes256GcmSha384 => "DHE-RSA-AES256-GCM-SHA384",
            EcdheEcdsaAes256Ccm => "ECDHE-ECDSA-AES256-CCM",
            DheRsaAes256Ccm => "DHE-RSA-AES256-CCM",
            EcdheEcdsaAes256CbcSha384 => "ECDHE-ECDSA-AES256-SHA384",
            EcdheRsaAes256CbcSha384 => "ECDHE-RSA-AES256-SHA384",
            DheRsaAes256CbcSha256 => "DHE-RSA-AES256-SHA256",
            EcdheEcdsaAes256CbcSha => "ECDHE-ECDSA-AES256-SHA",
            EcdheRsaAes256CbcSha => "ECDHE-RSA-AES256-SHA",
            DheRsaAes256CbcSha => "DHE-RSA-AES256-SHA",
            EcdheEcdsaAes256Ccm8 => "ECDHE-ECDSA-AES256-CCM8",
            DheRsaAes256Ccm8 => "DHE-RSA-AES256-CCM8",
            EcdheEcdsaCamellia256GcmSha384
            | EcdheRsaCamellia256GcmSha384
            | DheRsaCamellia256GcmSha384 => return None,
            EcdheEcdsaCamellia256CbcSha384 => "ECDHE-ECDSA-CAMELLIA256-SHA384",
            EcdheRsaCamellia256CbcSha384 => "ECDHE-RSA-CAMELLIA256-SHA384",
            DheRsaCamellia256CbcSha256 => "DHE-RSA-CAMELLIA256-SHA256",
            DheRsaCamellia256CbcSha => "DHE-RSA-CAMELLIA256-SHA",
            EcdheEcdsaAes128GcmSha256 => "ECDHE-ECDSA-AES128-GCM-SHA256",
            EcdheRsaAes128GcmSha256 => "ECDHE-RSA-AES128-GCM-SHA256",
            DheRsaAes128GcmSha256 => "DHE-RSA-AES128-GCM-SHA256",
            EcdheEcdsaAes128Ccm => "ECDHE-ECDSA-AES128-CCM",
            DheRsaAes128Ccm => "DHE-RSA-AES128-CCM",
            EcdheEcdsaAes128CbcSha256 => "ECDHE-ECDSA-AES128-SHA256",
            EcdheRsaAes128CbcSha256 => "ECDHE-RSA-AES128-SHA256",
            DheRsaAes128CbcSha256 => "DHE-RSA-AES128-SHA256",
        })
    }
}

/// Only `i64`, like [`SslVersion`](super::SslVersion): one integer impl keeps `try_from(5)`
/// unambiguous.
impl TryFrom<i64> for CipherSuite {
    type Error = ValueError;

    /// The suite with this `<cipalgID>` (`AT+GTSSLCIPHER`), refusing anything outside 1..=31.
    fn try_from(id: i64) -> Result<Self, ValueError> {
        u8::try_from(id)
            .ok()
            .and_then(CipherSuite::from_id)
            .ok_or_else(|| ValueError::new(format!("cipher suite ID {id} is not in 1..=31")))
    }
}

impl fmt::Display for CipherSuite {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for CipherSuite {
    type Err = ValueError;

    /// Accepts the ID (`"5"`), the manual's name, the IANA name or OpenSSL's name;
    /// case-insensitive, `-` or `_`, with or without the `TLS` prefix.
    fn from_str(s: &str) -> Result<Self, ValueError> {
        let s = s.trim();
        if let Some(id) = decimal(s) {
            return CipherSuite::try_from(id);
        }
        let norm = |n: &str| {
            let n = n.to_ascii_uppercase().replace('_', "-");
            n.strip_prefix("TLS-").map(str::to_owned).unwrap_or(n)
        };
        let wanted = norm(s);
        CipherSuite::ALL
            .into_iter()
            .find(|c| {
                norm(c.name()) == wanted || c.openssl_name().map(norm) == Some(wanted.clone())
            })
            .ok_or_else(|| ValueError::new(format!("unknown cipher suite {}", super::shown(s))))
    }
}

/// `AT+GTSSLCIPHER=<cipalgID>,<cmd>`: enable (load, `<cmd>` 1) or disable (0) one suite.
pub fn set_cipher(suite: CipherSuite, enabled: bool) -> Command {
    Command::new(format!(
        "{GTSSLCIPHER}={},{}",
        suite.id(),
        u8::from(enabled)
    ))
}

/// `AT+GTSSLCIPHER?`; read the answer with [`parse_enabled_ciphers`].
pub fn enabled_ciphers_query() -> Command {
    read(GTSSLCIPHER)
}

/// The answer to `AT+GTSSLCIPHER?`: `+GTSSLCIPHER: <id>,<id>,...`, the enabled suites in the
/// module's order. `OK` alone (no suite configured, the module uses its defaults) is an empty
/// list. An ID outside 1..=31, a repeated ID or more than 31 IDs is an error.
pub fn parse_enabled_ciphers(r: &Response) -> Result<Vec<CipherSuite>, ValueError> {
    if r.all(GTSSLCIPHER).next().is_none() {
        return Ok(Vec::new());
    }
    let params = one_line(r, GTSSLCIPHER)?;
    let mut out: Vec<CipherSuite> = Vec::new();
    // Empty items were tolerated before this layer existed (`+GTSSLCIPHER: ` for "none"); kept.
    for item in split(params).into_iter().filter(|p| !p.is_empty()) {
        if out.len() == CipherSuite::ALL.len() {
            return Err(bad_answer(
                GTSSLCIPHER,
                params,
                "lists more suites than exist",
            ));
        }
        let suite = decimal(item)
            .and_then(|id| CipherSuite::try_from(id).ok())
            .ok_or_else(|| bad_answer(GTSSLCIPHER, params, "lists an ID outside 1..=31"))?;
        if out.contains(&suite) {
            return Err(bad_answer(GTSSLCIPHER, params, "lists a suite twice"));
        }
        out.push(suite);
    }
    Ok(out)
}

/// `AT+GTSSLCIPHER=?`; read the answer with [`parse_cipher_support`].
pub fn cipher_test() -> Command {
    test(GTSSLCIPHER)
}

/// The answer to `AT+GTSSLCIPHER=?`: `+GTSSLCIPHER: (1-31),(0-1)`, the `<cipalgID>` range and the
/// `<cmd>` range.
pub fn parse_cipher_support(r: &Response) -> Result<(RangeList, RangeList), ValueError> {
    let mut groups = range_groups(r, GTSSLCIPHER)?;
    if groups.len() != 2 {
        return Err(ValueError::new(format!(
            "{GTSSLCIPHER}: {} range lists where two (IDs, commands) were expected",
            groups.len()
        )));
    }
    let cmds = groups.swap_remove(1);
    Ok((groups.swap_remove(0), cmds))
}

#[cfg(test)]
mod tests {
    use super::super::tests::resp;
    use super::*;
    use alloc::vec;

    #[test]
    fn ids_and_names_round_trip() {
        for (i, c) in CipherSuite::ALL.iter().enumerate() {
            assert_eq!(c.id() as usize, i + 1);
            assert_eq!(CipherSuite::from_id(c.id()), Some(*c));
            assert_eq!(CipherSuite::try_from(i64::from(c.id())), Ok(*c));
            assert_eq!(c.name().parse::<CipherSuite>().unwrap(), *c);
            assert_eq!(c.iana_name().parse::<CipherSuite>().unwrap(), *c);
            if let Some(o) = c.openssl_name() {
                assert_eq!(o.parse::<CipherSuite>().unwrap(), *c);
                assert_eq!(o.to_lowercase().parse::<CipherSuite>().unwrap(), *c);
            }
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
        for bad in [
            "32",
            "0",
            "-1",
            "300",
            "99999999999999999999999",
            "",
            "TLS-RSA-WITH-NULL",
            "é",
        ] {
            assert!(bad.parse::<CipherSuite>().is_err(), "{bad:?}");
        }
        assert_eq!(
            CipherSuite::ALL
                .iter()
                .filter(|c| c.openssl_name().is_none())
                .map(|c| c.id())
                .collect::<Vec<_>>(),
            vec![17, 18, 19]
        );
        assert!(CipherSuite::from_id(0).is_none());
        assert!(CipherSuite::try_from(256 + 5).is_err());
        assert!(CipherSuite::try_from(i64::MIN).is_err());
    }

    #[test]
    fn builds() {
        assert_eq!(
            set_cipher(CipherSuite::EcdheRsaAes256GcmSha384, false).line(),
            "AT+GTSSLCIPHER=5,0"
        );
        assert_eq!(
            set_cipher(CipherSuite::DheRsaAes128CbcSha256, true).line(),
            "AT+GTSSLCIPHER=31,1"
        );
        assert_eq!(enabled_ciphers_query().line(), "AT+GTSSLCIPHER?");
        assert_eq!(cipher_test().line(), "AT+GTSSLCIPHER=?");
    }

    #[test]
    fn parses_good_answers() {
        assert_eq!(parse_enabled_ciphers(&resp(&[])), Ok(vec![]));
        assert_eq!(
            parse_enabled_ciphers(&resp(&["+GTSSLCIPHER: "])),
            Ok(vec![])
        );
        let six = parse_enabled_ciphers(&resp(&["+GTSSLCIPHER: 1,2,3,4,5,6"])).unwrap();
        assert_eq!(
            six.iter().map(|c| c.id()).collect::<Vec<_>>(),
            vec![1, 2, 3, 4, 5, 6]
        );
        assert_eq!(
            parse_enabled_ciphers(&resp(&["+GTSSLCIPHER: 5"])),
            Ok(vec![CipherSuite::EcdheRsaAes256GcmSha384])
        );
        let (ids, cmds) = parse_cipher_support(&resp(&["+GTSSLCIPHER: (1-31),(0-1)"])).unwrap();
        assert!(ids.contains(1) && ids.contains(31) && !ids.contains(32));
        assert_eq!(cmds.values(), vec![0, 1]);
    }

    #[test]
    fn hostile_answers_are_value_errors() {
        let all: String = (1..=31).map(|i| format!("{i},")).collect();
        let thirty_two = format!("+GTSSLCIPHER: {all}1");
        for lines in [
            &["+GTSSLCIPHER: 0"][..],
            &["+GTSSLCIPHER: 32"],
            &["+GTSSLCIPHER: 1,2,x"],
            &["+GTSSLCIPHER: 1,1"],
            &["+GTSSLCIPHER: 18446744073709551617"],
            &["+GTSSLCIPHER: 1é"],
            &["+GTSSLCIPHER: (1-31)"],
            &["+GTSSLCIPHER: 1", "+GTSSLCIPHER: 2"],
            &[&thirty_two],
        ] {
            assert!(parse_enabled_ciphers(&resp(lines)).is_err(), "{lines:?}");
        }
        for lines in [
            &[][..],
            &["+GTSSLCIPHER: (1-31)"],
            &["+GTSSLCIPHER: (1-31),(0-1),(2)"],
            &["+GTSSLCIPHER: 1,2"],
            &["+GTSSLCIPHER: (1-é),(0-1)"],
        ] {
            assert!(parse_cipher_support(&resp(lines)).is_err(), "{lines:?}");
        }
    }
}
