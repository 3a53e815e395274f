//! End-to-end tests of every verb of `l610`, run as a user runs it: the binary, against the
//! virtual module (in-process `--sim`/`--sim-manual`, and `l610 sim` on a pty) and
//! `openssl s_server` on 127.0.0.1. JSON output is parsed back; exit codes are checked.

mod common;

use std::io::Write;
use std::net::TcpListener;

use common::{json, l610, text, Pki, Server, SimProcess};

#[test]
fn help_version_and_usage_errors() {
    let out = l610().arg("--help").output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(text(&out.stdout).contains("Exit codes"));
    l610().arg("--version").assert().code(0);
    let out = l610().arg("--bogus").output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    // No module: the message says what to pass.
    let out = l610().arg("info").output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert!(
        err.contains("--port") && err.contains("--sim") && err.contains("l610 ports"),
        "{err}"
    );
    assert_eq!(err.lines().count(), 1, "{err}");
    // --timeout is checked before anything is opened, and used.
    let out = l610()
        .args(["--sim", "--timeout", "0", "info"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("--timeout"));
    l610()
        .args(["--sim", "--timeout", "2.5", "clock"])
        .assert()
        .code(0);
    // With --json a failure is a JSON document on stdout too.
    let out = l610()
        .args(["--sim", "--json", "at", "AT+NOSUCHTHING"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3));
    let v = json(&out);
    assert_eq!(v["exit_code"], 3);
    assert!(
        v["error"].as_str().unwrap().contains("AT+NOSUCHTHING"),
        "{v}"
    );
    // A required choice missing.
    l610().args(["--sim", "tls", "set"]).assert().code(2);
}

#[test]
fn ports_lists_as_json() {
    let out = l610().args(["ports", "--json"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(json(&out).is_array());
    l610().arg("ports").assert().code(0);
}

#[test]
fn info_json_and_text() {
    let out = l610().args(["--sim", "info", "--json"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let v = json(&out);
    assert_eq!(v["tls"]["verify"], false);
    assert_eq!(v["tls"]["files"]["trust"], 0);
    assert_eq!(v["tls"]["last_error"]["code"], 0);
    assert!(
        v["clock"]["offset_seconds"].as_i64().unwrap().abs() < 120,
        "{v}"
    );
    assert_eq!(v["sockets"], serde_json::json!([]));
    assert_eq!(v["pdp"]["active"], false);
    assert_eq!(v["identity"]["model"], "L610");
    assert_eq!(v["identity"]["manufacturer"], "Fibocom");
    assert_eq!(v["sim"]["ready"], true);
    assert_eq!(v["registration"][0]["domain"], "eps");
    assert_eq!(v["registration"][0]["registered"], true);
    assert!(v["signal"]["dbm"].as_i64().unwrap() < 0, "{v}");
    assert!(v["operator"]["name"].is_string(), "{v}");

    let out = l610().args(["--sim", "info"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let t = text(&out.stdout);
    for field in [
        "port",
        "L610",
        "READY",
        "EPS registration",
        "dBm",
        "verification",
        "last error",
        "offset",
        "open",
    ] {
        assert!(t.contains(field), "{field} missing:\n{t}");
    }
}

#[test]
fn cert_load_checks_files_before_sending() {
    let pki = Pki::new("certbad");
    // Not PEM, a key as a trust file (PEM and DER), a certificate as a key, a duplicate: each
    // refused with exit 2, naming the file, and with -v no AT was traced (nothing was sent).
    for (args, wanted) in [
        (
            vec!["--trust", &pki.path("notes.txt")],
            "notes.txt cannot be a TRUSTFILE",
        ),
        (
            vec!["--trust", &pki.path("client.key")],
            "client.key cannot be a TRUSTFILE",
        ),
        (
            vec!["--trust", &pki.path("client.der.key")],
            "private key, not a certificate",
        ),
        (
            vec![
                "--cert",
                &pki.path("client.pem"),
                "--key",
                &pki.path("client.pem"),
            ],
            "client.pem cannot be a KEYFILE",
        ),
        (
            vec!["--trust", &pki.path("ca.pem"), &pki.path("ca.der")],
            "are the same file",
        ),
        (vec!["--trust", &pki.path("missing.pem")], "cannot read"),
    ] {
        let out = l610()
            .args(["--sim", "-v", "cert", "load"])
            .args(&args)
            .output()
            .unwrap();
        let err = text(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert!(err.contains(wanted), "{args:?}: {err}");
        assert!(!err.contains("->"), "something was sent: {err}");
        assert_eq!(err.lines().count(), 1, "{err}");
    }
}

#[test]
fn cert_load_uploads_without_progress_bars_into_a_pipe() {
    let pki = Pki::new("certok");
    let out = l610()
        .args(["--sim", "-v", "--json", "cert", "load", "--trust"])
        .arg(pki.path("ca.pem"))
        .arg(pki.path("other-ca.pem"))
        .args([
            "--cert",
            &pki.path("client.pem"),
            "--key",
            &pki.path("client.key"),
        ])
        .output()
        .unwrap();
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{err}");
    let v = json(&out);
    assert_eq!(
        v["counts"],
        serde_json::json!({"cert": 1, "key": 1, "trust": 2})
    );
    assert_eq!(v["loaded"].as_array().unwrap().len(), 4);
    // stdout is a pipe: no bar drawn (indicatif would draw `[====` and carriage returns).
    assert!(
        !err.contains("[==") && !err.contains('\r') && !text(&out.stdout).contains("=>"),
        "{err}"
    );
    // The trace shows the uploads, never the key's body.
    assert!(
        err.contains("AT+GTSSLFILE=\\\"KEYFILE\\\"") || err.contains("KEYFILE"),
        "{err}"
    );
    let key = std::fs::read_to_string(pki.path("client.key")).unwrap();
    let body_line = key.lines().nth(1).unwrap();
    assert!(!err.contains(body_line), "key material in the trace");

    // Text form.
    let out = l610()
        .args(["--sim", "cert", "load", "--trust", &pki.path("ca.der")])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("module holds 1 TRUSTFILE"));
}

#[test]
fn cert_load_refuses_a_41st_trust_file_before_uploading() {
    let pki = Pki::new("many");
    let many = pki.many_cas(41);
    let out = l610()
        .args(["--sim", "-v", "cert", "load", "--trust"])
        .args(&many)
        .output()
        .unwrap();
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(3), "{err}");
    assert!(err.contains("takes at most 40"), "{err}");
    assert!(
        !err.contains("-> AT+GTSSLFILE=\\\"TRUSTFILE"),
        "uploaded: {err}"
    );
}

#[test]
fn cert_status_json() {
    let out = l610()
        .args(["--sim", "cert", "status", "--json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let v = json(&out);
    assert_eq!(v["counts"]["trust"], 0);
    assert_eq!(v["limits"]["trust"], 40);
    l610().args(["--sim", "cert", "status"]).assert().code(0);
}

#[test]
fn tls_set_by_any_name_and_bad_values() {
    let out = l610()
        .args(["--sim", "--json", "tls", "set", "--verify", "on", "--version", "1.2"])
        .args(["--ciphers", "ECDHE-RSA-AES128-GCM-SHA256,TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,TLS-DHE-RSA-WITH-AES-128-GCM-SHA256,1"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let v = json(&out);
    assert_eq!(v["verify"], true);
    assert_eq!(v["version"], "TLS 1.2");
    let mut ids: Vec<i64> = v["ciphers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_i64().unwrap())
        .collect();
    ids.sort();
    assert_eq!(ids, vec![1, 5, 25, 26]);

    for (args, wanted) in [
        (
            vec!["--ciphers", "ECDHE-RSA-AES128-GCM-SHA256,NOPE"],
            "unknown cipher suite \"NOPE\"",
        ),
        (vec!["--version", "1.3"], "TLS up to 1.2"),
        (vec!["--version", "7"], "give 1.0, 1.1, 1.2"),
    ] {
        let out = l610()
            .args(["--sim", "-v", "tls", "set"])
            .args(&args)
            .output()
            .unwrap();
        let err = text(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{err}");
        assert!(err.contains(wanted), "{err}");
        assert!(!err.contains("->"), "sent: {err}");
    }
}

#[test]
fn clock_shows_the_offset_and_syncs() {
    let v = json(&l610().args(["--sim", "clock", "--json"]).output().unwrap());
    assert!(v["offset_seconds"].as_i64().unwrap().abs() < 120, "{v}");
    // The manual's module: the clock left at 2015.
    let out = l610().args(["--sim-manual", "clock"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let t = text(&out.stdout);
    assert!(
        t.contains("2015-01-01") && t.contains("behind") && t.contains("l610 clock --sync"),
        "{t}"
    );
    let v = json(
        &l610()
            .args(["--sim-manual", "clock", "--sync", "--json"])
            .output()
            .unwrap(),
    );
    assert!(v["offset_seconds"].as_i64().unwrap().abs() < 120, "{v}");
    assert_eq!(v["synced"], true);
}

#[test]
fn pdp_up_down_status() {
    let v = json(
        &l610()
            .args(["--sim", "pdp", "status", "--json"])
            .output()
            .unwrap(),
    );
    assert_eq!(v["active"], false);
    let v = json(
        &l610()
            .args(["--sim", "pdp", "up", "--json"])
            .output()
            .unwrap(),
    );
    assert_eq!(v["active"], true);
    assert!(v["ip"].as_str().unwrap().contains('.'), "{v}");
    let out = l610().args(["--sim", "pdp", "down"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(text(&out.stdout).contains("inactive"));
    // The APN password stays out of the -v trace.
    let out = l610()
        .args([
            "--sim",
            "-v",
            "pdp",
            "up",
            "--apn",
            "cmnet",
            "--user",
            "u",
            "--password",
            "s3cr3tpw",
        ])
        .output()
        .unwrap();
    let err = text(&out.stderr);
    assert!(
        err.contains("AT+MIPCALL=1,\"cmnet\",\"u\",<redacted>"),
        "{err}"
    );
    assert!(
        !err.contains("s3cr3tpw") && err.contains("<redacted>"),
        "{err}"
    );
    // A quote cannot be sent inside the APN: refused before the port is opened.
    let out = l610()
        .args(["--sim", "-v", "pdp", "up", "--apn", "a\"b"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    assert!(!text(&out.stderr).contains("->"));
}

#[test]
fn connect_passes_stdin_and_stdout_through() {
    let pki = Pki::new("connect");
    let server = Server::start(&pki, &["-www"]);
    // -www answers the GET and closes: connect ends at the close, not by a timer.
    let out = l610()
        .args([
            "--sim",
            "connect",
            &server.target(),
            "--ca",
            &pki.path("ca.pem"),
            "--linger",
            "60",
        ])
        .write_stdin("GET / HTTP/1.0\r\n\r\n")
        .output()
        .unwrap();
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{err}");
    let body = text(&out.stdout);
    assert!(body.starts_with("HTTP/1.0 200 ok"), "{body}");
    assert!(
        err.contains("connected to 127.0.0.1") && err.contains("verified"),
        "{err}"
    );
    assert!(!body.contains("connected to"), "status mixed into the data");
}

#[test]
fn connect_http_prints_status_and_headers() {
    let pki = Pki::new("http");
    let server = Server::start(&pki, &["-www"]);
    let out = l610()
        .args([
            "--sim",
            "--json",
            "connect",
            &server.target(),
            "--ca",
            &pki.path("ca.pem"),
            "--http",
            "/",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let v = json(&out);
    assert_eq!(v["status"], 200);
    assert!(
        v["headers"]
            .as_array()
            .unwrap()
            .iter()
            .any(|h| h[0] == "Content-type"),
        "{v}"
    );
    let out = l610()
        .args([
            "--sim",
            "connect",
            &server.target(),
            "--ca",
            &pki.path("ca.pem"),
            "--http",
            "/",
        ])
        .output()
        .unwrap();
    assert!(
        text(&out.stdout).starts_with("HTTP/1.0 200 ok"),
        "{}",
        text(&out.stdout)
    );
    // A path with a space would break the request line.
    l610()
        .args(["--sim", "connect", &server.target(), "--http", "/a b"])
        .assert()
        .code(2);
}

#[test]
fn connect_tls_failures_exit_4_with_the_diagnosis() {
    let pki = Pki::new("connfail");
    let server = Server::start(&pki, &["-www"]);
    // The wrong CA: the module's -11, explained.
    let out = l610()
        .args([
            "--sim",
            "connect",
            &server.target(),
            "--ca",
            &pki.path("other-ca.pem"),
            "--http",
            "/",
        ])
        .output()
        .unwrap();
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(4), "{err}");
    assert!(err.contains("+GTSSLERR: -11"), "{err}");
    assert!(
        err.contains("not signed by any of the 1 loaded trust file"),
        "{err}"
    );
    // The manual's module: its clock makes every certificate invalid; the driver refuses first.
    let out = l610()
        .args([
            "--sim-manual",
            "connect",
            &server.target(),
            "--ca",
            &pki.path("ca.pem"),
            "--http",
            "/",
        ])
        .output()
        .unwrap();
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(4), "{err}");
    assert!(
        err.contains("l610 clock --sync") && err.contains("--sync-clock"),
        "{err}"
    );
    // ... and --sync-clock fixes it.
    let out = l610()
        .args([
            "--sim-manual",
            "connect",
            &server.target(),
            "--ca",
            &pki.path("ca.pem"),
            "--sync-clock",
            "--http",
            "/",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    // Nothing listening.
    let port = common::free_port();
    let out = l610()
        .args(["--sim", "connect", &format!("127.0.0.1:{port}"), "--tcp"])
        .write_stdin("")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(4), "{}", text(&out.stderr));
    // Not HOST:PORT.
    let out = l610()
        .args(["--sim", "-v", "connect", "example.com"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("HOST:PORT") && !text(&out.stderr).contains("->"));
}

#[test]
fn connect_tcp_echo() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let echo = std::thread::spawn(move || {
        let (mut s, _) = listener.accept().unwrap();
        let mut buf = [0u8; 64];
        let mut got = Vec::new();
        use std::io::Read;
        while !got.ends_with(b"\n") {
            let n = s.read(&mut buf).unwrap();
            if n == 0 {
                break;
            }
            got.extend_from_slice(&buf[..n]);
        }
        s.write_all(&got).unwrap();
        // Closing ends the client's connect.
    });
    let out = l610()
        .args([
            "--sim",
            "connect",
            &format!("127.0.0.1:{port}"),
            "--tcp",
            "--linger",
            "60",
        ])
        .write_stdin("hello through the module\n")
        .output()
        .unwrap();
    echo.join().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout), "hello through the module\n");
    assert!(text(&out.stderr).contains("plain TCP"));
}

#[test]
fn diagnose_passes_on_a_good_setup() {
    let pki = Pki::new("diagok");
    let server = Server::start(&pki, &["-www"]);
    let out = l610()
        .args([
            "--sim",
            "--json",
            "diagnose",
            &server.target(),
            "--ca",
            &pki.path("ca.pem"),
        ])
        .output()
        .unwrap();
    let v = json(&out);
    assert_eq!(out.status.code(), Some(0), "{v:#}");
    assert_eq!(v["exit_code"], 0);
    let steps = v["steps"].as_array().unwrap();
    for s in steps {
        assert_ne!(s["verdict"], "fail", "{s}");
    }
    for name in [
        "port",
        "PDP",
        "clock",
        "certificate dates",
        "trust files",
        "verification",
        "TLS version",
        "cipher suites",
        "open",
        "+GTSSLERR",
    ] {
        let s = steps
            .iter()
            .find(|s| s["step"] == name)
            .unwrap_or_else(|| panic!("{name}: {v:#}"));
        assert_eq!(s["verdict"], "pass", "{s}");
    }
    // The text form ends with a verdict in words.
    let out = l610()
        .args([
            "--sim",
            "diagnose",
            &server.target(),
            "--ca",
            &pki.path("ca.pem"),
        ])
        .output()
        .unwrap();
    let t = text(&out.stdout);
    assert!(t.contains("verdict: the module can reach"), "{t}");
}

#[test]
fn diagnose_finds_the_clock_of_the_manuals_module() {
    let pki = Pki::new("diagclock");
    let server = Server::start(&pki, &["-www"]);
    let out = l610()
        .args([
            "--sim-manual",
            "--json",
            "diagnose",
            &server.target(),
            "--ca",
            &pki.path("ca.pem"),
        ])
        .output()
        .unwrap();
    let v = json(&out);
    assert_eq!(out.status.code(), Some(4), "{v:#}");
    let step = |n: &str| {
        v["steps"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["step"] == n)
            .cloned()
            .unwrap()
    };
    assert_eq!(step("clock")["verdict"], "fail");
    assert!(step("clock")["fix"]
        .as_str()
        .unwrap()
        .contains("l610 clock --sync"));
    assert_eq!(step("certificate dates")["verdict"], "fail");
    // The module's own answer, with the driver's diagnosis.
    let err = step("+GTSSLERR");
    assert_eq!(err["verdict"], "fail");
    assert!(err["detail"].as_str().unwrap().starts_with("-11"), "{err}");
    assert!(
        err["detail"].as_str().unwrap().contains("module's clock"),
        "{err}"
    );
    assert!(
        err["fix"].as_str().unwrap().contains("clock --sync"),
        "{err}"
    );
    assert!(v["verdict"].as_str().unwrap().contains("clock"), "{v:#}");
    // --sync-clock repairs it.
    let out = l610()
        .args([
            "--sim-manual",
            "diagnose",
            &server.target(),
            "--ca",
            &pki.path("ca.pem"),
            "--sync-clock",
        ])
        .output()
        .unwrap();
    assert!(
        text(&out.stdout).contains("[ ok ] clock"),
        "{}",
        text(&out.stdout)
    );
}

#[test]
fn diagnose_names_the_wrong_ca_the_version_and_a_dead_port() {
    let pki = Pki::new("diagca");
    let server = Server::start(&pki, &["-www", "-tls1"]);
    let out = l610()
        .args([
            "--sim",
            "--json",
            "diagnose",
            &server.target(),
            "--ca",
            &pki.path("other-ca.pem"),
        ])
        .output()
        .unwrap();
    let v = json(&out);
    assert_eq!(out.status.code(), Some(4), "{v:#}");
    let step = |n: &str| {
        v["steps"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["step"] == n)
            .cloned()
            .unwrap()
    };
    assert_eq!(step("trust files")["verdict"], "fail", "{v:#}");
    assert!(
        step("trust files")["detail"]
            .as_str()
            .unwrap()
            .contains("l610 test CA"),
        "{v:#}"
    );
    // A module set to TLS 1.2 (a persistent virtual module: settings outlive one command)
    // against a TLS 1.0-only server: the version step says which version to set.
    let sim = SimProcess::start(&[]);
    l610()
        .args(["--port", &sim.pty, "tls", "set", "--version", "1.2"])
        .assert()
        .code(0);
    let out = l610()
        .args(["--port", &sim.pty, "--json", "diagnose", &server.target()])
        .output()
        .unwrap();
    let v = json(&out);
    assert_eq!(out.status.code(), Some(4), "{v:#}");
    let step = |n: &str| {
        v["steps"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["step"] == n)
            .cloned()
            .unwrap()
    };
    assert_eq!(step("TLS version")["verdict"], "fail", "{v:#}");
    assert!(
        step("TLS version")["fix"]
            .as_str()
            .unwrap()
            .contains("l610 tls set --version 1.0"),
        "{v:#}"
    );
    assert_eq!(step("+GTSSLERR")["verdict"], "fail", "{v:#}");
    assert!(
        step("+GTSSLERR")["detail"]
            .as_str()
            .unwrap()
            .starts_with("-7"),
        "{v:#}"
    );
    // Nothing listening: the open fails, exit 4, and the steps before it still ran.
    let port = common::free_port();
    let out = l610()
        .args(["--sim", "--json", "diagnose", &format!("127.0.0.1:{port}")])
        .output()
        .unwrap();
    let v = json(&out);
    assert_eq!(out.status.code(), Some(4), "{v:#}");
    let step = |n: &str| {
        v["steps"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["step"] == n)
            .cloned()
            .unwrap()
    };
    assert_eq!(step("open")["verdict"], "fail");
    assert_eq!(step("PDP")["verdict"], "pass");
}

#[test]
fn at_one_command_and_the_console() {
    let out = l610()
        .args(["--sim", "at", "AT+GTSSLMODE?"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout), "+GTSSLMODE: 0\nOK\n");
    let v = json(
        &l610()
            .args(["--sim", "--json", "at", "+GTSSLVER?"])
            .output()
            .unwrap(),
    );
    assert_eq!(v["result"], "OK");
    assert_eq!(v["lines"], serde_json::json!(["+GTSSLVER: 0"]));
    // Two commands in one line: refused, nothing sent.
    let out = l610()
        .args(["--sim", "-v", "at", "AT+CSQ;+CREG?"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(!text(&out.stderr).contains("->"));
    // The module's ERROR is a module error.
    let out = l610()
        .args(["--sim", "at", "AT+NOSUCHTHING"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3), "{}", text(&out.stderr));
    // The console: answers marked `<`, the refused line reported and not sent, URCs `!`.
    let out = l610()
        .args(["--sim", "at"])
        .write_stdin("AT+GTSSLMODE?\nATI; AT+CSQ\nAT+CEREG=1\nAT+CFUN=4\nAT+CFUN=1\nAT+GTSSLVER?\n")
        .output()
        .unwrap();
    let t = text(&out.stdout);
    // URCs (`!`) may come between a command and its answer; the answers are checked without them.
    let answers: String = t
        .lines()
        .filter(|l| !l.starts_with("! "))
        .map(|l| format!("{l}\n"))
        .collect();
    assert!(
        answers.contains("> AT+GTSSLMODE?\n< +GTSSLMODE: 0\n< OK\n"),
        "{t}"
    );
    assert!(
        answers.contains("> AT+GTSSLVER?\n< +GTSSLVER: 0\n< OK\n"),
        "{t}"
    );
    assert!(!t.contains("ATI"), "{t}");
    // Radio off and on: the registration URCs, in the module's words, marked apart.
    assert!(
        t.contains("! +CEREG: 0\n") && t.contains("! +CEREG: 1\n"),
        "{t}"
    );
    assert!(
        text(&out.stderr).contains("not sent"),
        "{}",
        text(&out.stderr)
    );
    assert_eq!(out.status.code(), Some(3));
}

#[test]
fn ports_that_do_not_answer_or_do_not_exist() {
    // A TCP "port" that accepts and never answers.
    let silent = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = silent.local_addr().unwrap();
    let _keep = std::thread::spawn(move || {
        let conns: Vec<_> = silent.incoming().take(1).collect();
        std::thread::sleep(std::time::Duration::from_secs(30));
        drop(conns);
    });
    let out = l610()
        .args(["--port", &format!("socket://{addr}"), "info"])
        .output()
        .unwrap();
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(5), "{err}");
    assert!(
        err.contains("does not answer AT at 115200 baud") && err.contains("--baud"),
        "{err}"
    );
    let out = l610()
        .args(["--port", "/dev/l610-no-such-port", "info"])
        .output()
        .unwrap();
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(6), "{err}");
    assert!(
        err.contains("/dev/l610-no-such-port") && err.contains("l610 ports"),
        "{err}"
    );
}

#[test]
fn sim_verb_serves_a_pty_that_port_opens() {
    let sim = SimProcess::start(&["--manual"]);
    let v = json(
        &l610()
            .args(["--port", &sim.pty, "--json", "clock"])
            .output()
            .unwrap(),
    );
    assert!(
        v["module"].as_str().unwrap().starts_with("2015-01-01"),
        "{v}"
    );
    // L610_PORT works as --port does.
    let out = l610()
        .env("L610_PORT", &sim.pty)
        .args(["cert", "status"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let out = l610().args(["sim", "--help"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(text(&out.stdout).contains("--registration-delay"));
}

#[test]
fn connect_with_a_client_certificate() {
    let pki = Pki::new("mtls");
    let ca = pki.path("ca.pem");
    let server = Server::start(&pki, &["-www", "-Verify", "1", "-CAfile", &ca]);
    // Without the client certificate the server refuses the handshake.
    let out = l610()
        .args([
            "--sim",
            "connect",
            &server.target(),
            "--ca",
            &ca,
            "--http",
            "/",
        ])
        .output()
        .unwrap();
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(4), "{err}");
    assert!(err.contains("+GTSSLERR"), "{err}");
    let out = l610()
        .args([
            "--sim",
            "--json",
            "connect",
            &server.target(),
            "--ca",
            &ca,
            "--http",
            "/",
        ])
        .args([
            "--cert",
            &pki.path("client.pem"),
            "--key",
            &pki.path("client.key"),
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(json(&out)["status"], 200);
    // --cert without --key is a usage error.
    l610()
        .args([
            "--sim",
            "connect",
            &server.target(),
            "--cert",
            &pki.path("client.pem"),
        ])
        .assert()
        .code(2);
}

#[test]
fn diagnose_resolves_names_and_reports_a_dead_port() {
    let pki = Pki::new("diagdns");
    let server = Server::start(&pki, &["-www"]);
    let out = l610()
        .args([
            "--sim",
            "--json",
            "diagnose",
            &format!("localhost:{}", server.port),
        ])
        .args(["--ca", &pki.path("ca.pem")])
        .output()
        .unwrap();
    let v = json(&out);
    let dns = v["steps"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["step"] == "DNS")
        .cloned()
        .unwrap();
    assert_eq!(dns["verdict"], "pass", "{v:#}");
    assert!(
        dns["detail"].as_str().unwrap().contains("127.0.0.1"),
        "{v:#}"
    );
    // A port that does not answer: the first step fails with what to check; exit 5.
    let silent = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = silent.local_addr().unwrap();
    let _keep = std::thread::spawn(move || {
        let conns: Vec<_> = silent.incoming().take(1).collect();
        std::thread::sleep(std::time::Duration::from_secs(30));
        drop(conns);
    });
    let out = l610()
        .args([
            "--port",
            &format!("socket://{addr}"),
            "diagnose",
            &server.target(),
        ])
        .output()
        .unwrap();
    let t = text(&out.stdout);
    assert_eq!(out.status.code(), Some(5), "{t}");
    assert!(
        t.contains("[FAIL] port") && t.contains("fix:") && t.contains("verdict: 1 problem"),
        "{t}"
    );
}

/// Run `l610 args` with stdout and stderr on a pseudo-terminal (as in a person's shell), stdin
/// empty; everything it wrote, as the terminal got it.
fn on_a_terminal(args: &[&str]) -> (Option<i32>, String) {
    use std::io::Read;
    use std::os::fd::{FromRawFd, OwnedFd};
    let (mut master, mut slave) = (0, 0);
    // SAFETY: openpty writes two descriptors into the pointers; the name/termios/winsize
    // pointers may be null.
    let rc = unsafe {
        libc::openpty(
            &mut master,
            &mut slave,
            std::ptr::null_mut(),
            std::ptr::null(),
            std::ptr::null(),
        )
    };
    assert_eq!(rc, 0, "openpty");
    // SAFETY: both descriptors were just opened and are owned here only.
    let (master, slave) = unsafe { (OwnedFd::from_raw_fd(master), OwnedFd::from_raw_fd(slave)) };
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("l610"))
        .args(args)
        .env_remove("L610_PORT")
        .stdin(std::process::Stdio::null())
        .stdout(slave.try_clone().unwrap())
        .stderr(slave)
        .spawn()
        .unwrap();
    let reader = std::thread::spawn(move || {
        let mut f = std::fs::File::from(master);
        let mut all = Vec::new();
        let mut buf = [0u8; 4096];
        // EIO once the child (the last holder of the slave) has exited.
        while let Ok(n) = f.read(&mut buf) {
            if n == 0 {
                break;
            }
            all.extend_from_slice(&buf[..n]);
        }
        all
    });
    let status = child.wait().unwrap();
    (status.code(), text(&reader.join().unwrap()))
}

#[test]
fn progress_bars_are_drawn_on_a_terminal() {
    let pki = Pki::new("tty");
    let (code, shown) = on_a_terminal(&[
        "--sim",
        "cert",
        "load",
        "--trust",
        &pki.path("ca.pem"),
        &pki.path("other-ca.pem"),
    ]);
    assert_eq!(code, Some(0), "{shown}");
    // One bar per file, drawn with the bar's characters, then the summary.
    assert!(
        shown.contains("TRUSTFILE") && shown.contains("ca.pem") && shown.contains("other-ca.pem"),
        "{shown}"
    );
    assert!(
        shown.contains("[========================]"),
        "no finished bar: {shown:?}"
    );
    assert!(shown.contains("module holds 2 TRUSTFILE"), "{shown}");
}

#[test]
fn ctrl_c_closes_the_connection_and_exits_130() {
    use std::io::{BufRead, BufReader};
    let pki = Pki::new("sigint");
    // No -www: the server keeps the connection open until the client closes it.
    let server = Server::start(&pki, &[]);
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("l610"))
        .args([
            "--sim",
            "connect",
            &server.target(),
            "--ca",
            &pki.path("ca.pem"),
        ])
        .env_remove("L610_PORT")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut err = BufReader::new(child.stderr.take().unwrap());
    let mut seen = String::new();
    while !seen.contains("connected to") {
        let mut line = String::new();
        assert!(err.read_line(&mut line).unwrap() > 0, "ended early: {seen}");
        seen.push_str(&line);
    }
    // SAFETY: signalling our own child.
    assert_eq!(unsafe { libc::kill(child.id() as i32, libc::SIGINT) }, 0);
    let mut rest = String::new();
    std::io::Read::read_to_string(&mut err, &mut rest).unwrap();
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(130), "{seen}{rest}");
    assert!(
        rest.contains("interrupted: connection closed"),
        "{seen}{rest}"
    );
}
