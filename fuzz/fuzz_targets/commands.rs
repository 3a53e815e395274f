//! The typed commands: every response parser on arbitrary answers (they read text off the wire,
//! so none may panic), certificate and key preparation on arbitrary bytes, and the PDP builder on
//! arbitrary user values (nothing may break out of the command line; the password is never
//! quoted in an error).
#![no_main]

use arbitrary::Arbitrary;
use l610_proto::commands::{self, FileType, PdpConfig, FILE_LEN};
use l610_proto::Response;
use libfuzzer_sys::fuzz_target;

#[derive(Debug, Arbitrary)]
enum Input<'a> {
    /// Response lines: the rest of the input, one line per `\n`.
    Answer(&'a str),
    /// A file to upload: the rest of the input as it is.
    File { kind: u8, content: &'a [u8] },
    Pdp {
        apn: Option<String>,
        credentials: Option<(String, String)>,
    },
}

fn answer(text: &str) {
    let r = Response::from_lines(text.split('\n'));
    let _ = commands::parse_verify_mode(&r);
    let _ = commands::parse_verify_mode_support(&r);
    let _ = commands::parse_ssl_version(&r);
    let _ = commands::parse_ssl_version_support(&r);
    let _ = commands::parse_enabled_ciphers(&r);
    let _ = commands::parse_cipher_support(&r);
    let _ = commands::parse_file_counts(&r);
    let _ = commands::parse_file_support(&r);
    let _ = commands::parse_ssl_error(&r);
    let _ = commands::parse_free_socket_ids(&r);
    let _ = commands::parse_open_socket_ids(&r);
    let _ = commands::parse_pdp_status(&r);
    let _ = commands::parse_identification(&r);
    let _ = commands::parse_operator(&r);
    let _ = commands::parse_operator_info(&r);
    let _ = commands::parse_sim_status(&r);
    let _ = commands::parse_signal_quality(&r);
    let _ = commands::parse_attached(&r);
    let _ = commands::parse_functionality(&r);
    let _ = commands::parse_resolve(&r);
    for d in commands::RegistrationDomain::ALL {
        let _ = commands::parse_registration(&r, d);
    }
    for item in commands::IdentityItem::ALL {
        let _ = commands::parse_identity_item(&r, item);
    }
    if let Ok(t) = commands::parse_clock(&r) {
        assert!(t.validate().is_ok());
        assert!(commands::set_clock(&t).is_ok());
    }
    for line in r.lines() {
        let _ = commands::is_pdp_status(line);
        let _ = commands::is_socket_id_list(line);
    }
}

fn no_control(line: &str) {
    assert!(
        !line.chars().any(char::is_control),
        "control character in {line:?}"
    );
}

fuzz_target!(|input: Input<'_>| match input {
    Input::Answer(text) => answer(text),
    Input::File { kind, content } => {
        let kind = FileType::ALL[usize::from(kind) % 3];
        match commands::prepare(kind, content) {
            Ok(pem) => {
                assert!(FILE_LEN.contains(&pem.len()), "{} bytes", pem.len());
                let cmd = commands::load_file(kind, content).expect("prepare accepted it");
                no_control(cmd.line());
                assert!(cmd.has_payload());
            }
            Err(_) => assert!(commands::load_file(kind, content).is_err()),
        }
    }
    Input::Pdp { apn, credentials } => {
        let config = PdpConfig { apn, credentials };
        match commands::activate_pdp(&config) {
            Ok(cmd) => no_control(cmd.line()),
            Err(e) => {
                // A password with a raw control character cannot appear in any message by
                // accident (messages show characters escaped): if it does, it was quoted.
                if let Some((_, pwd)) = &config.credentials {
                    if pwd.chars().any(char::is_control) {
                        assert!(!e.0.contains(pwd.as_str()), "password in {e}");
                    }
                }
                let _ = format!("{config:?}");
            }
        }
    }
});
