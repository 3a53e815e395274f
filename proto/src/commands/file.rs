//! `+GTSSLFILE`: `<file_type>`, turning user bytes (PEM or DER) into what the module takes, and the
//! load, count and test commands.
//!
//! The module only takes base64 text, 4–8192 bytes long, CR/LF included in the count. Everything
//! is checked here, before a byte is sent: an upload that the module would refuse halfway, or
//! silently store as garbage, costs a module power cycle to undo (files cannot be deleted).
//!
//! Error messages about a file say what is wrong and where (line, column, byte counts) and never
//! quote the file: the file may be a private key, and errors end up in logs.

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;
use core::ops::RangeInclusive;
use core::str::FromStr;

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;

use super::{bad_answer, decimal, read, shown, test};
use crate::params::{split, unquote, RangeList};
use crate::{Command, Response, ValueError};

const GTSSLFILE: &str = "+GTSSLFILE";

/// Smallest and largest `<file_len>` of `AT+GTSSLFILE` the module accepts.
pub const FILE_LEN: RangeInclusive<usize> = 4..=8192;
/// At most one CERTFILE, one KEYFILE and 40 TRUSTFILEs can be loaded with `AT+GTSSLFILE`.
pub const MAX_TRUST_FILES: u32 = 40;

/// Which kind of file (`AT+GTSSLFILE=<file_type>,<file_len>`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[repr(u8)]
pub enum FileType {
    /// `CERTFILE`: the client certificate, for two-way authentication (at most 1).
    CertFile = 0,
    /// `KEYFILE`: the client private key (at most 1).
    KeyFile = 1,
    /// `TRUSTFILE`: a CA / trust certificate used to verify servers (at most 40).
    TrustFile = 2,
}

impl FileType {
    /// All three `<file_type>`s, in the order `AT+GTSSLFILE?` lists them.
    pub const ALL: [FileType; 3] = [FileType::CertFile, FileType::KeyFile, FileType::TrustFile];

    /// The module's word in `AT+GTSSLFILE`: `CERTFILE`, `KEYFILE`, `TRUSTFILE`.
    pub fn as_at(self) -> &'static str {
        match self {
            FileType::CertFile => "CERTFILE",
            FileType::KeyFile => "KEYFILE",
            FileType::TrustFile => "TRUSTFILE",
        }
    }

    /// The number the bindings use for the type (0 CERTFILE, 1 KEYFILE, 2 TRUSTFILE): its
    /// position in [`ALL`](Self::ALL) and in the `AT+GTSSLFILE?` answer. The module itself
    /// only knows the words.
    pub fn value(self) -> u8 {
        self as u8
    }

    /// How many of this type the module holds at most (`AT+GTSSLFILE` can only add).
    pub fn limit(self) -> u32 {
        match self {
            FileType::TrustFile => MAX_TRUST_FILES,
            _ => 1,
        }
    }

    /// The PEM labels a file of this type may hold, as static text (so errors can name them
    /// without quoting the file).
    fn accepted_label(self, label: &str) -> Option<&'static str> {
        let labels: &[&'static str] = match self {
            FileType::CertFile | FileType::TrustFile => &["CERTIFICATE"],
            FileType::KeyFile => &["PRIVATE KEY", "RSA PRIVATE KEY", "EC PRIVATE KEY"],
        };
        labels.iter().copied().find(|l| *l == label)
    }
}

/// Only `i64`, like [`SslVersion`](super::SslVersion): one integer impl keeps `try_from(2)`
/// unambiguous.
impl TryFrom<i64> for FileType {
    type Error = ValueError;

    /// The type with this binding number (0 CERTFILE, 1 KEYFILE, 2 TRUSTFILE; see
    /// [`FileType::value`]) for `AT+GTSSLFILE`.
    fn try_from(v: i64) -> Result<Self, ValueError> {
        usize::try_from(v)
            .ok()
            .and_then(|i| FileType::ALL.get(i).copied())
            .ok_or_else(|| ValueError::new(format!("file type {v} is not 0, 1 or 2")))
    }
}

impl fmt::Display for FileType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_at())
    }
}

impl FromStr for FileType {
    type Err = ValueError;

    /// The module's word, case-insensitive, quotes and stray spaces allowed (`" CERTFILE"`, as
    /// the manual's example 5 shows).
    fn from_str(s: &str) -> Result<Self, ValueError> {
        let s = unquote(s.trim());
        FileType::ALL
            .into_iter()
            .find(|t| t.as_at().eq_ignore_ascii_case(s))
            .ok_or_else(|| {
                ValueError::new(format!(
                    "unknown file type {} (CERTFILE, KEYFILE or TRUSTFILE)",
                    shown(s)
                ))
            })
    }
}

/// Check `content` (PEM text, or DER which is PEM-encoded here) for `file_type` and return the
/// exact bytes `AT+GTSSLFILE` uploads.
pub fn prepare(file_type: FileType, content: &[u8]) -> Result<Vec<u8>, ValueError> {
    let trimmed = content.trim_ascii_start();
    let pem = if trimmed.starts_with(b"-----BEGIN ") {
        check_pem(file_type, content)?;
        content.to_vec()
    } else {
        der_to_pem(file_type, content)?
    };
    if !FILE_LEN.contains(&pem.len()) {
        return Err(ValueError::new(format!(
            "{file_type} is {} bytes once base64/PEM-encoded; the module accepts {}..={}",
            pem.len(),
            FILE_LEN.start(),
            FILE_LEN.end()
        )));
    }
    Ok(pem)
}

/// PEM labels of RFC 7468 and OpenSSL, so an error can name a misplaced block ("a PUBLIC KEY
/// block does not belong in a KEYFILE") from this table instead of from the file.
const KNOWN_LABELS: &[&str] = &[
    "CERTIFICATE",
    "TRUSTED CERTIFICATE",
    "X509 CRL",
    "CERTIFICATE REQUEST",
    "NEW CERTIFICATE REQUEST",
    "PKCS7",
    "CMS",
    "ATTRIBUTE CERTIFICATE",
    "PRIVATE KEY",
    "ENCRYPTED PRIVATE KEY",
    "RSA PRIVATE KEY",
    "EC PRIVATE KEY",
    "DSA PRIVATE KEY",
    "OPENSSH PRIVATE KEY",
    "PUBLIC KEY",
    "RSA PUBLIC KEY",
    "EC PARAMETERS",
    "DH PARAMETERS",
];

/// 1-based line number of byte `at`.
fn line_of(content: &[u8], at: usize) -> usize {
    content
        .get(..at)
        .unwrap_or(content)
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

fn is_base64(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'=')
}

/// Every block must be `-----BEGIN X-----`, base64 lines, `-----END X-----`, with X fit for the
/// file type.
fn check_pem(file_type: FileType, content: &[u8]) -> Result<(), ValueError> {
    let bad = |why: String| ValueError::new(format!("{file_type}: {why}"));
    if let Some(at) = content.iter().position(|b| !b.is_ascii()) {
        return Err(bad(format!(
            "line {}: a byte that is not ASCII (PEM is ASCII text)",
            line_of(content, at)
        )));
    }
    let text =
        core::str::from_utf8(content).map_err(|_| bad(String::from("PEM text is not ASCII")))?;
    let mut lines = text
        .lines()
        .enumerate()
        .map(|(i, l)| (i + 1, l.trim()))
        .filter(|(_, l)| !l.is_empty());
    let mut blocks = 0usize;
    while let Some((begin_line, begin)) = lines.next() {
        let Some(found) = begin
            .strip_prefix("-----BEGIN ")
            .and_then(|l| l.strip_suffix("-----"))
        else {
            return Err(bad(format!(
                "line {begin_line}: expected a -----BEGIN ...----- line"
            )));
        };
        let Some(label) = file_type.accepted_label(found) else {
            return Err(bad(match KNOWN_LABELS.iter().find(|l| **l == found) {
                Some(l) => {
                    format!("line {begin_line}: a {l} block does not belong in a {file_type}")
                }
                None => format!(
                    "line {begin_line}: a block of an unknown type does not belong in a {file_type}"
                ),
            }));
        };
        let end = format!("-----END {label}-----");
        let mut body = String::new();
        loop {
            match lines.next() {
                Some((_, l)) if l == end => break,
                Some((n, l)) if l.starts_with("-----") => {
                    return Err(bad(format!(
                        "line {n}: a ----- line inside the {label} block begun on line {begin_line}, where {end} was expected"
                    )))
                }
                // RFC 1421 headers of encrypted keys (`Proc-Type: 4,ENCRYPTED`); base64 has no ':'.
                Some((_, l)) if l.contains(':') => {}
                Some((n, l)) => {
                    if let Some(col) = l.bytes().position(|b| !is_base64(b)) {
                        return Err(bad(format!(
                            "line {n}, column {}: a character that is not base64 in the {label} block",
                            col + 1
                        )));
                    }
                    body.push_str(l);
                }
                None => {
                    return Err(bad(format!(
                        "the {label} block begun on line {begin_line} has no {end} line"
                    )))
                }
            }
        }
        if body.is_empty() {
            return Err(bad(format!(
                "the {label} block begun on line {begin_line} is empty"
            )));
        }
        STANDARD.decode(body.as_bytes()).map_err(|_| {
            bad(format!(
                "the {label} block begun on line {begin_line} is not valid base64 ({} characters; truncated or misplaced padding?)",
                body.len()
            ))
        })?;
        blocks += 1;
    }
    if blocks == 0 {
        return Err(bad(String::from("no PEM block found")));
    }
    if file_type == FileType::KeyFile && blocks > 1 {
        return Err(bad(format!(
            "a KEYFILE holds exactly one key, this one has {blocks} blocks"
        )));
    }
    Ok(())
}

/// DER bytes become one PEM block with 64-character lines.
fn der_to_pem(file_type: FileType, der: &[u8]) -> Result<Vec<u8>, ValueError> {
    // Every certificate and key in DER is an ASN.1 SEQUENCE.
    if der.len() < 4 || der.first() != Some(&0x30) {
        return Err(ValueError::new(format!(
            "{file_type}: neither PEM text nor DER (an ASN.1 SEQUENCE); {} bytes",
            der.len()
        )));
    }
    let label = match file_type {
        FileType::CertFile | FileType::TrustFile => "CERTIFICATE",
        FileType::KeyFile => key_label(der),
    };
    let b64 = STANDARD.encode(der);
    let mut pem = format!("-----BEGIN {label}-----\n");
    let mut rest = b64.as_str();
    while !rest.is_empty() {
        // base64 is ASCII, so every index is a char boundary; the checked split keeps that an
        // assumption that cannot panic.
        let (line, tail) = rest
            .split_at_checked(rest.len().min(64))
            .unwrap_or((rest, ""));
        pem.push_str(line);
        pem.push('\n');
        rest = tail;
    }
    pem.push_str(&format!("-----END {label}-----\n"));
    Ok(pem.into_bytes())
}

/// PKCS#8, PKCS#1 (RSA) and SEC1 (EC) keys all start `SEQUENCE { INTEGER version, ... }`; the
/// element after the version tells them apart.
fn key_label(der: &[u8]) -> &'static str {
    let after_len = |at: usize| -> Option<usize> {
        let first = *der.get(at)?;
        if first < 0x80 {
            Some(at + 1)
        } else {
            Some(at + 1 + usize::from(first & 0x7f))
        }
    };
    let next_tag = (|| {
        let content = after_len(1)?;
        if *der.get(content)? != 0x02 {
            return None;
        }
        let int_len = usize::from(*der.get(content + 1)?);
        der.get(content + 2 + int_len).copied()
    })();
    match next_tag {
        Some(0x02) => "RSA PRIVATE KEY",
        Some(0x04) => "EC PRIVATE KEY",
        _ => "PRIVATE KEY",
    }
}

/// How many files of each type the module holds (`AT+GTSSLFILE?`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct FileCounts {
    /// CERTFILE count (0 or 1).
    pub cert: u32,
    /// KEYFILE count (0 or 1).
    pub key: u32,
    /// TRUSTFILE count (0–40).
    pub trust: u32,
}

impl FileCounts {
    /// The count for one type.
    pub fn get(&self, t: FileType) -> u32 {
        match t {
            FileType::CertFile => self.cert,
            FileType::KeyFile => self.key,
            FileType::TrustFile => self.trust,
        }
    }

    fn slot(&mut self, t: FileType) -> &mut u32 {
        match t {
            FileType::CertFile => &mut self.cert,
            FileType::KeyFile => &mut self.key,
            FileType::TrustFile => &mut self.trust,
        }
    }
}

/// What `AT+GTSSLFILE=?` reports. The manual does not give its format; the driver reads a
/// parenthesised list of types and a length range, and keeps the raw text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileSupport {
    /// File types listed (each once, unknown words left out).
    pub file_types: Vec<FileType>,
    /// Accepted `<file_len>` range, if listed.
    pub length: Option<RangeList>,
    /// The response lines as received.
    pub raw: Vec<String>,
}

/// `AT+GTSSLFILE="<file_type>",<file_len>`, then `>` and the file: load a certificate or key from
/// PEM or DER bytes. The content is checked and encoded by [`prepare`] first; the error says
/// what is wrong with it without quoting it.
///
/// The payload never appears in the trace; a KEYFILE's command is also
/// [`secret`](Command::secret), so whatever the module echoes while it runs is redacted too.
/// The module may take 15 s to answer a large upload: drivers set a [`timeout`](Command::timeout).
pub fn load_file(file_type: FileType, content: &[u8]) -> Result<Command, ValueError> {
    let pem = prepare(file_type, content)?;
    let cmd = Command::new(format!(
        "{GTSSLFILE}=\"{}\",{}",
        file_type.as_at(),
        pem.len()
    ))
    .payload(pem);
    Ok(match file_type {
        FileType::KeyFile => cmd.secret(),
        FileType::CertFile | FileType::TrustFile => cmd,
    })
}

/// `AT+GTSSLFILE?`; read the answer with [`parse_file_counts`].
pub fn file_counts_query() -> Command {
    read(GTSSLFILE)
}

/// The answer to `AT+GTSSLFILE?`: exactly three lines, `+GTSSLFILE: CERTFILE,<n>`,
/// `KEYFILE,<n>` and `TRUSTFILE,<n>`, each type once (in any order).
pub fn parse_file_counts(r: &Response) -> Result<FileCounts, ValueError> {
    let mut counts = FileCounts::default();
    let mut seen = [false; 3];
    for params in r.all(GTSSLFILE) {
        let parts = split(params);
        let [t, n] = parts.as_slice() else {
            return Err(bad_answer(GTSSLFILE, params, "is not <file_type>,<count>"));
        };
        let t: FileType = t
            .parse()
            .map_err(|_| bad_answer(GTSSLFILE, params, "names no known file type"))?;
        let n = decimal(n)
            .and_then(|n| u32::try_from(n).ok())
            .ok_or_else(|| bad_answer(GTSSLFILE, params, "has no count"))?;
        let was_seen = &mut seen[usize::from(t.value())];
        if *was_seen {
            return Err(bad_answer(GTSSLFILE, params, "repeats a file type"));
        }
        *was_seen = true;
        *counts.slot(t) = n;
    }
    if seen != [true; 3] {
        return Err(ValueError::new(format!(
            "{GTSSLFILE}: the answer lacks a count for {}",
            FileType::ALL
                .iter()
                .zip(seen)
                .filter(|(_, s)| !s)
                .map(|(t, _)| t.as_at())
                .collect::<Vec<_>>()
                .join(", ")
        )));
    }
    Ok(counts)
}

/// `AT+GTSSLFILE=?`; read the answer with [`parse_file_support`].
pub fn file_support_query() -> Command {
    test(GTSSLFILE)
}

/// The answer to `AT+GTSSLFILE=?`, e.g. `+GTSSLFILE: ("CERTFILE","KEYFILE","TRUSTFILE"),(4-8192)`.
/// The manual gives no format, so this never fails: it reads what it recognises and keeps the
/// raw lines for the rest.
pub fn parse_file_support(r: &Response) -> FileSupport {
    let groups = r.params(GTSSLFILE).map(split).unwrap_or_default();
    let mut file_types = Vec::new();
    if let Some(g) = groups.first() {
        let inner = g.trim_matches(|c| c == '(' || c == ')');
        for t in inner.split(',').filter_map(|t| t.parse::<FileType>().ok()) {
            if !file_types.contains(&t) {
                file_types.push(t);
            }
        }
    }
    FileSupport {
        file_types,
        length: groups.get(1).and_then(|g| RangeList::parse(g)),
        raw: r.to_lines(),
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::resp;
    use super::*;
    use alloc::string::ToString;
    use alloc::vec;

    const PEM: &str =
        "-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIU\n-----END CERTIFICATE-----\n";
    /// A recognisable key line: no error may quote it, or any part of it.
    const KEY_LINE: &str = "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7VJTUt9Us8cKj";

    #[test]
    fn file_types_round_trip() {
        for t in FileType::ALL {
            assert_eq!(FileType::try_from(i64::from(t.value())), Ok(t));
            assert_eq!(t.as_at().parse::<FileType>(), Ok(t));
        }
        assert_eq!("\" certfile\"".parse::<FileType>(), Ok(FileType::CertFile));
        assert!(FileType::try_from(3).is_err());
        assert!(FileType::try_from(-1).is_err());
        assert!("PEMFILE".parse::<FileType>().is_err());
    }

    #[test]
    fn pem_is_checked_and_passed_through() {
        assert_eq!(
            prepare(FileType::TrustFile, PEM.as_bytes()).unwrap(),
            PEM.as_bytes()
        );
        assert!(
            prepare(FileType::KeyFile, PEM.as_bytes()).is_err(),
            "a certificate is not a key"
        );
        let bad = PEM.replace("MIIB", "MI!B");
        assert!(prepare(FileType::TrustFile, bad.as_bytes()).is_err());
        let unterminated = PEM.replace("-----END CERTIFICATE-----\n", "");
        assert!(prepare(FileType::TrustFile, unterminated.as_bytes()).is_err());
        let empty = "-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n";
        assert!(prepare(FileType::TrustFile, empty.as_bytes()).is_err());
    }

    #[test]
    fn der_is_encoded() {
        let der = [0x30, 0x03, 0x02, 0x01, 0x00];
        let pem = String::from_utf8(prepare(FileType::CertFile, &der).unwrap()).unwrap();
        assert!(pem.starts_with("-----BEGIN CERTIFICATE-----\nMAMCAQA=\n"));
        let rsa = [0x30, 0x06, 0x02, 0x01, 0x00, 0x02, 0x01, 0x05];
        assert!(String::from_utf8(prepare(FileType::KeyFile, &rsa).unwrap())
            .unwrap()
            .contains("RSA PRIVATE KEY"));
        assert!(prepare(FileType::CertFile, b"hello").is_err());
        let long = [&[0x30, 0x82, 0x01, 0x00][..], &[0u8; 256]].concat();
        let pem = String::from_utf8(prepare(FileType::CertFile, &long).unwrap()).unwrap();
        assert!(pem.lines().all(|l| l.len() <= 64));
        // Truncated DER headers never index out of bounds.
        for n in 4..12 {
            let _ = prepare(
                FileType::KeyFile,
                &[0x30, 0xff, 0x02, 0xff, 0xff, 0x02, 0x01, 0x00, 1, 2, 3, 4][..n],
            );
        }
    }

    #[test]
    fn length_limits() {
        let big = format!(
            "-----BEGIN CERTIFICATE-----\n{}\n-----END CERTIFICATE-----\n",
            "QUFB".repeat(2100)
        );
        let e = prepare(FileType::TrustFile, big.as_bytes()).unwrap_err();
        assert!(e.0.contains("8192"), "{e}");
        assert!(prepare(FileType::TrustFile, b"\x30\x00").is_err());
    }

    /// Defect: an error message quoted a key line (`found "MIIEvQ..."`).
    #[test]
    fn errors_never_quote_the_file() {
        let key = |body: &str| {
            format!("-----BEGIN PRIVATE KEY-----\n{body}\n-----END PRIVATE KEY-----\n")
        };
        let cases: Vec<(FileType, String)> = vec![
            // a key line where BEGIN was expected
            (
                FileType::KeyFile,
                format!(
                    "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n{KEY_LINE}\n"
                ),
            ),
            // a key line with one non-base64 character
            (FileType::KeyFile, key(&KEY_LINE.replace('Q', "*"))),
            // a key line, but the base64 does not decode (bad padding)
            (FileType::KeyFile, key(&format!("{KEY_LINE}=A"))),
            // a key in a trust file
            (FileType::TrustFile, key(KEY_LINE)),
            // a key whose END line is the wrong one
            (
                FileType::KeyFile,
                format!("-----BEGIN PRIVATE KEY-----\n{KEY_LINE}\n-----END {KEY_LINE}-----\n"),
            ),
            // a made-up label built from key text
            (
                FileType::KeyFile,
                format!("-----BEGIN {KEY_LINE}-----\n{KEY_LINE}\n-----END {KEY_LINE}-----\n"),
            ),
            // no END line
            (
                FileType::KeyFile,
                format!("-----BEGIN PRIVATE KEY-----\n{KEY_LINE}\n"),
            ),
            // two keys
            (
                FileType::KeyFile,
                format!("{}{}", key(KEY_LINE), key(KEY_LINE)),
            ),
            // non-ASCII inside a key line
            (FileType::KeyFile, key(&KEY_LINE.replace('Q', "é"))),
        ];
        for (t, content) in cases {
            let e = prepare(t, content.as_bytes()).unwrap_err();
            for piece in KEY_LINE.as_bytes().windows(8) {
                let piece = core::str::from_utf8(piece).unwrap();
                assert!(!e.0.contains(piece), "{e} quotes {piece:?}");
            }
            assert!(e.0.contains("line") || e.0.contains("block"), "{e}");
        }
        let e = prepare(
            FileType::KeyFile,
            key(&KEY_LINE.replace('Q', "*")).as_bytes(),
        )
        .unwrap_err();
        assert!(e.0.contains("line 2, column"), "{e}");
        let e = prepare(FileType::TrustFile, key(KEY_LINE).as_bytes()).unwrap_err();
        assert!(
            e.0.contains("PRIVATE KEY block does not belong in a TRUSTFILE"),
            "{e}"
        );
    }

    #[test]
    fn load_file_marks_keys_secret() {
        let cmd = load_file(FileType::TrustFile, PEM.as_bytes()).unwrap();
        assert_eq!(
            cmd.line(),
            format!("AT+GTSSLFILE=\"TRUSTFILE\",{}", PEM.len())
        );
        assert!(cmd.has_payload() && !cmd.secret && !cmd.trace_payload);
        let key = format!("-----BEGIN PRIVATE KEY-----\n{KEY_LINE}\n-----END PRIVATE KEY-----\n");
        let cmd = load_file(FileType::KeyFile, key.as_bytes()).unwrap();
        assert!(cmd.secret && !cmd.trace_payload);
        assert!(!format!("{cmd:?}").contains("MIIEvQ"));
        assert!(load_file(FileType::KeyFile, PEM.as_bytes()).is_err());
    }

    #[test]
    fn builds_queries() {
        assert_eq!(file_counts_query().line(), "AT+GTSSLFILE?");
        assert_eq!(file_support_query().line(), "AT+GTSSLFILE=?");
    }

    #[test]
    fn parses_counts() {
        let r = resp(&[
            "+GTSSLFILE: CERTFILE,1",
            "+GTSSLFILE: KEYFILE,0",
            "+GTSSLFILE: \"TRUSTFILE\",40",
        ]);
        assert_eq!(
            parse_file_counts(&r),
            Ok(FileCounts {
                cert: 1,
                key: 0,
                trust: 40
            })
        );
        assert_eq!(parse_file_counts(&r).unwrap().get(FileType::TrustFile), 40);
    }

    #[test]
    fn hostile_counts_are_value_errors() {
        let ok = [
            "+GTSSLFILE: CERTFILE,0",
            "+GTSSLFILE: KEYFILE,0",
            "+GTSSLFILE: TRUSTFILE,0",
        ];
        for bad in [
            "+GTSSLFILE: CERTFILE,-1",
            "+GTSSLFILE: CERTFILE,4294967296",
            "+GTSSLFILE: CERTFILE,99999999999999999999999",
            "+GTSSLFILE: PEMFILE,0",
            "+GTSSLFILE: CERTFILE",
            "+GTSSLFILE: CERTFILE,0,1",
            "+GTSSLFILE: CERTFILE,é",
            "+GTSSLFILE: KEYFILE,0",
            "+GTSSLFILE: ",
        ] {
            let mut lines = ok.to_vec();
            lines[0] = bad;
            assert!(parse_file_counts(&resp(&lines)).is_err(), "{lines:?}");
        }
        assert!(parse_file_counts(&resp(&[])).is_err());
        assert!(parse_file_counts(&resp(&ok[..2])).is_err());
        let four = [ok[0], ok[1], ok[2], ok[2]];
        assert!(parse_file_counts(&resp(&four)).is_err());
    }

    #[test]
    fn support_is_read_leniently() {
        let s = parse_file_support(&resp(&[
            "+GTSSLFILE: (\"CERTFILE\",\"KEYFILE\",\"TRUSTFILE\",\"CERTFILE\",\"OTHER\"),(4-8192)",
        ]));
        assert_eq!(s.file_types, FileType::ALL.to_vec());
        assert_eq!(s.length, RangeList::parse("(4-8192)"));
        assert_eq!(s.raw.len(), 1);
        let odd = parse_file_support(&resp(&["+GTSSLFILE: é(((", "garbage"]));
        assert!(odd.file_types.is_empty() && odd.length.is_none());
        assert_eq!(
            odd.raw,
            vec!["+GTSSLFILE: é(((".to_string(), "garbage".to_string()]
        );
        assert_eq!(parse_file_support(&resp(&[])).file_types, vec![]);
    }
}
