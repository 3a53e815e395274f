//! A rack of modules behind ser2net (the Debian package: the tool people use to reach modems on
//! other hosts) serving virtual L610s over TCP: `Modem::open("socket://HOST:PORT")`, a trust
//! file, a verified TLS exchange with `openssl s_server`, on two modules at once.
//!
//! Skips, saying why, only where ser2net is not installed (`scripts/setup.sh` installs it).

mod common;

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::thread;
use std::time::{Duration, Instant};

use common::tls::{free_port, Pki, Server};
use l610::{Modem, PdpConfig, SslVersion, TlsProfile, VerifyMode};
use l610_sim::{Sim, SimConfig};

fn ser2net_binary() -> Option<PathBuf> {
    let on_path = std::env::var_os("PATH").into_iter().flat_map(|p| {
        std::env::split_paths(&p)
            .map(|d| d.join("ser2net"))
            .collect::<Vec<_>>()
    });
    on_path
        .chain([PathBuf::from("/usr/sbin/ser2net")])
        .find(|p| p.is_file())
}

/// `ser2net -n` with a YAML configuration of one TCP accepter per virtual module, killed on
/// drop.
struct Ser2net {
    child: Child,
    dir: PathBuf,
    ports: Vec<u16>,
}

impl Ser2net {
    fn start(binary: &Path, ptys: &[&Path]) -> Ser2net {
        let dir = std::env::temp_dir().join(format!(
            "l610-ser2net-{}-{}",
            std::process::id(),
            free_port()
        ));
        std::fs::create_dir_all(&dir).unwrap();
        let mut yaml = String::new();
        let mut ports = Vec::new();
        for (i, pty) in ptys.iter().enumerate() {
            let port = free_port();
            ports.push(port);
            // `local`: a pty has no modem control lines to wait for.
            yaml.push_str(&format!(
                "connection: &l610_{i}\n    accepter: tcp,127.0.0.1,{port}\n    \
                 connector: serialdev,{},115200n81,local\n    options:\n      mdns: false\n",
                pty.display()
            ));
        }
        let config = dir.join("ser2net.yaml");
        std::fs::write(&config, yaml).unwrap();
        // -n: stay in the foreground; -u: no UUCP lock files (/var/lock); -P: our own pid file.
        let child = Command::new(binary)
            .arg("-n")
            .arg("-u")
            .arg("-c")
            .arg(&config)
            .arg("-P")
            .arg(dir.join("ser2net.pid"))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start ser2net");
        Ser2net { child, dir, ports }
    }

    /// Open the module behind accepter `i`, retrying while ser2net is still starting.
    fn open(&self, i: usize) -> Modem {
        let url = format!("socket://127.0.0.1:{}", self.ports[i]);
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            match Modem::open(&url, 115200) {
                Ok(m) => return m,
                Err(e) if Instant::now() < deadline => {
                    let _ = e;
                    thread::sleep(Duration::from_millis(50));
                }
                Err(e) => panic!("{url}: {e}"),
            }
        }
    }
}

impl Drop for Ser2net {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// What every module of the rack must do: PDP, clock, trust file, verification, then a TLS
/// exchange both ways with s_server (`-ign_eof`: it prints what it gets and sends what it is
/// told; the `tag` tells the modules apart).
fn verified_exchange(modem: &Modem, server_port: u16, ca: &[u8], tag: &str) -> String {
    modem.activate_pdp(&PdpConfig::default()).unwrap();
    modem.set_clock_from_host().unwrap();
    let profile = TlsProfile::new()
        .version(SslVersion::Tls1_2)
        .verify(VerifyMode::Verify)
        .trust_file(ca.to_vec());
    modem.set_profile(profile, true).unwrap();
    assert_eq!(modem.verify_mode().unwrap(), VerifyMode::Verify);
    let mut tls = modem.open_tls("127.0.0.1", server_port).unwrap();
    tls.write_all(format!("hello from {tag} over ser2net\n").as_bytes())
        .unwrap();
    tls.set_read_timeout(Some(Duration::from_secs(15)));
    let mut got = Vec::new();
    let mut buf = [0u8; 256];
    let want = format!("reply to {tag}");
    while !String::from_utf8_lossy(&got).contains(&want) {
        let n = tls.read(&mut buf).expect("the reply before the timeout");
        assert!(
            n > 0,
            "closed before the reply: {:?}",
            String::from_utf8_lossy(&got)
        );
        got.extend_from_slice(&buf[..n]);
    }
    tls.close().unwrap();
    String::from_utf8_lossy(&got).into_owned()
}

#[test]
fn a_rack_of_two_modules_behind_ser2net_verified_tls_on_both() {
    let Some(binary) = ser2net_binary() else {
        eprintln!("SKIPPED: ser2net is not installed (scripts/setup.sh installs it: apt-get install ser2net)");
        return;
    };
    let pki = Pki::new("ser2net");
    let sims = [
        Sim::start_pty(SimConfig::default()).unwrap(),
        Sim::start_pty(SimConfig::default()).unwrap(),
    ];
    let ptys: Vec<&Path> = sims.iter().map(|s| s.pty_path().unwrap()).collect();
    let bridge = Ser2net::start(&binary, &ptys);
    // One s_server per module: s_server talks to one client at a time.
    let mut servers = [Server::start(&pki, &[]), Server::start(&pki, &[])];
    let modems: Vec<Modem> = (0..2).map(|i| bridge.open(i)).collect();
    let ca = pki.ca_pem.clone();
    thread::scope(|scope| {
        let runs: Vec<_> = modems
            .iter()
            .zip(servers.iter())
            .enumerate()
            .map(|(i, (m, server))| {
                let ca = ca.clone();
                let port = server.port;
                scope.spawn(move || verified_exchange(m, port, &ca, &format!("module {i}")))
            })
            .collect();
        // Each server answers once its module's greeting arrived.
        for (i, server) in servers.iter_mut().enumerate() {
            assert!(
                server.wait_for(
                    &format!("hello from module {i} over ser2net"),
                    Duration::from_secs(60)
                ),
                "{}",
                server.output()
            );
            server.send(&format!("reply to module {i}\n"));
        }
        for (i, r) in runs.into_iter().enumerate() {
            let got = r.join().unwrap();
            assert!(got.contains(&format!("reply to module {i}")), "{got}");
        }
    });
}

#[test]
fn socket_url_by_host_name_through_ser2net() {
    let Some(binary) = ser2net_binary() else {
        eprintln!("SKIPPED: ser2net is not installed (scripts/setup.sh installs it: apt-get install ser2net)");
        return;
    };
    let sim = Sim::start_pty(SimConfig::default()).unwrap();
    let bridge = Ser2net::start(&binary, &[sim.pty_path().unwrap()]);
    drop(bridge.open(0)); // ser2net is up
                          // A host name (resolved by the host) and a trailing slash, as URLs are written.
    let url = format!("socket://localhost:{}/", bridge.ports[0]);
    let modem = Modem::open(&url, 115200).unwrap();
    modem.set_verify_mode(VerifyMode::Verify).unwrap();
    assert_eq!(modem.verify_mode().unwrap(), VerifyMode::Verify);
}
