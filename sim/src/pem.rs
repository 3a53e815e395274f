//! The check `+GTSSLFILE` applies to an upload: PEM blocks with base64 bodies. Whether the
//! DER inside parses is only found out when a connection uses the file (`+GTSSLERR` -17..-19).

use base64::Engine as _;

/// The labels of the PEM blocks in `data`, or `None` if it is not clean PEM.
pub(crate) fn labels(data: &[u8]) -> Option<Vec<String>> {
    let text = std::str::from_utf8(data).ok()?;
    let mut labels = Vec::new();
    let mut open: Option<(String, String)> = None;
    for line in text.split('\n') {
        let line = line.trim_end_matches('\r').trim();
        match &mut open {
            None => {
                if line.is_empty() {
                    continue;
                }
                let label = line.strip_prefix("-----BEGIN ")?.strip_suffix("-----")?;
                open = Some((label.to_string(), String::new()));
            }
            Some((label, body)) => {
                if let Some(end) = line.strip_prefix("-----END ") {
                    if end.strip_suffix("-----")? != label {
                        return None;
                    }
                    let der = base64::engine::general_purpose::STANDARD
                        .decode(body.as_bytes())
                        .ok()?;
                    if der.is_empty() {
                        return None;
                    }
                    labels.push(std::mem::take(label));
                    open = None;
                } else {
                    body.push_str(line);
                }
            }
        }
    }
    if open.is_some() || labels.is_empty() {
        return None;
    }
    Some(labels)
}

/// A base64 body without the PEM header lines (what a host that strips them uploads). The
/// module takes it (`OK`, the count goes up) and fails every verified open with -19 later.
pub(crate) fn is_bare_base64(data: &[u8]) -> bool {
    let Ok(text) = std::str::from_utf8(data) else {
        return false;
    };
    let body: String = text.split_whitespace().collect();
    !body.is_empty()
        && base64::engine::general_purpose::STANDARD
            .decode(body.as_bytes())
            .is_ok_and(|der| !der.is_empty())
}

pub(crate) fn is_certificates(data: &[u8]) -> bool {
    labels(data).is_some_and(|l| l.iter().all(|l| l == "CERTIFICATE"))
}

pub(crate) fn is_private_key(data: &[u8]) -> bool {
    const KEYS: [&str; 3] = ["PRIVATE KEY", "RSA PRIVATE KEY", "EC PRIVATE KEY"];
    labels(data).is_some_and(|l| {
        // `openssl ecparam -genkey` writes an EC PARAMETERS block before the key.
        l.iter().any(|l| KEYS.contains(&l.as_str()))
            && l.iter()
                .all(|l| KEYS.contains(&l.as_str()) || l == "EC PARAMETERS")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_crlf_and_several_blocks() {
        let pem = b"-----BEGIN CERTIFICATE-----\r\nQUJD\r\n-----END CERTIFICATE-----\r\n-----BEGIN CERTIFICATE-----\nQUJD\n-----END CERTIFICATE-----\n";
        assert!(is_certificates(pem));
        assert!(!is_private_key(pem));
    }

    #[test]
    fn rejects_bad_base64_and_mismatch() {
        assert!(
            labels(b"-----BEGIN CERTIFICATE-----\nQU*D\n-----END CERTIFICATE-----\n").is_none()
        );
        assert!(labels(b"-----BEGIN CERTIFICATE-----\nQUJD\n-----END KEY-----\n").is_none());
        assert!(labels(b"hello").is_none());
        assert!(is_bare_base64(b"QUJD\r\nREVG\r\n"));
        assert!(!is_bare_base64(b"-----BEGIN CERTIFICATE-----\nQUJD\n"));
        assert!(is_private_key(
            b"-----BEGIN PRIVATE KEY-----\nQUJD\n-----END PRIVATE KEY-----"
        ));
    }
}
