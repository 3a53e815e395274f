//! The basics field clients check before they open a socket (AT-REFERENCE.md §6), typed,
//! against the virtual L610 on a real pty: identity, SIM, registration and its URCs, signal,
//! operator, attach, radio, DNS, ping, and sockets that work the same in every receive format.

mod common;

use std::io::{Read, Write};
use std::net::TcpListener;
use std::time::Duration;

use common::Rig;
use l610::{
    Error, PdpConfig, PingOptions, ReceiveFormat, RegistrationDomain, RegistrationReporting,
    RegistrationStatus, SimStatus, Urc,
};

#[test]
fn identity_sim_signal_operator() {
    let rig = Rig::new();
    let m = &rig.modem;
    let id = m.identity().unwrap();
    assert_eq!(id.manufacturer, "Fibocom");
    assert_eq!(id.model, "L610");
    assert_eq!(id.firmware, "16000.1208.00.86.02.02");
    assert_eq!(id.imei.len(), 15);
    assert!(id.imsi.as_deref().is_some_and(|i| i.starts_with("460")));
    assert!(id.iccid.as_deref().is_some_and(|i| i.starts_with("8986")));
    assert_eq!(m.sim_status().unwrap(), SimStatus::Ready);
    for d in RegistrationDomain::ALL {
        let r = m.registration(d).unwrap();
        assert!(r.status.is_registered(), "{d:?}: {r:?}");
    }
    assert!(m.is_registered().unwrap());
    let q = m.signal_quality().unwrap();
    assert_eq!(q.dbm(), Some(-113 + 2 * i32::from(q.rssi)));
    let op = m.operator_info().unwrap();
    assert!(op.name.is_some(), "{op:?}");
    assert!(m.attached().unwrap());
    assert_eq!(m.functionality().unwrap(), 1);
}

/// Registration URCs (mode 2, with the cell) when the radio goes off and on again.
#[test]
fn registration_urcs_follow_the_radio() {
    let rig = Rig::new();
    let m = &rig.modem;
    m.set_registration_reporting(RegistrationDomain::Eps, RegistrationReporting::Location)
        .unwrap();
    let r = m.registration(RegistrationDomain::Eps).unwrap();
    assert_eq!(r.reporting, 2);
    assert!(r.location.is_some(), "mode 2 shows the cell: {r:?}");
    m.command(&l610::Command::new("+CFUN=4")).unwrap();
    let off = wait_registration(m, |s| !s.is_registered());
    assert_eq!(off, RegistrationStatus::NotRegistered);
    assert_eq!(
        m.signal_quality().unwrap().dbm(),
        None,
        "99 while unregistered"
    );
    m.command(&l610::Command::new("+CFUN=1")).unwrap();
    let on = wait_registration(m, RegistrationStatus::is_registered);
    assert!(on.is_registered());
}

fn wait_registration(
    m: &l610::Modem,
    want: impl Fn(RegistrationStatus) -> bool,
) -> RegistrationStatus {
    loop {
        match m.next_urc(Duration::from_secs(10)) {
            Some(Urc::Registration {
                domain: RegistrationDomain::Eps,
                status,
                ..
            }) if want(status) => return status,
            Some(_) => continue,
            None => panic!("no registration URC"),
        }
    }
}

#[test]
fn dns_and_ping_over_the_pdp_context() {
    let rig = Rig::new();
    let m = &rig.modem;
    // Both need the PDP context: the module says so with +CME ERROR: 3.
    assert!(matches!(
        m.resolve("localhost"),
        Err(Error::Cme { code: Some(3), .. })
    ));
    assert!(matches!(
        m.resolve("bad host"),
        Err(Error::InvalidArgument(_))
    ));
    m.activate_pdp(&PdpConfig::default()).unwrap();
    let ips = m.resolve("localhost").unwrap();
    assert!(ips.contains(&"127.0.0.1".parse().unwrap()), "{ips:?}");
    let report = m
        .ping(
            "127.0.0.1",
            &PingOptions {
                count: 2,
                ..PingOptions::default()
            },
        )
        .unwrap();
    assert_eq!((report.sent, report.received), (2, 2), "{report:?}");
    assert_eq!(report.replies.len(), 2);
    assert!(report.average.is_some());
    let bad = PingOptions {
        count: 0,
        ..PingOptions::default()
    };
    let (r, sent) = rig.sent_during(|m| m.ping("127.0.0.1", &bad));
    assert!(matches!(r, Err(Error::InvalidArgument(_))));
    assert!(
        sent.is_empty(),
        "nothing sent for a refused value: {sent:?}"
    );
}

/// A socket reads and writes the same whatever the receive format, read mode included (where
/// `Socket::read` pulls with `AT+MIPREAD`). IPRFMT 1 is text-only (a CR or LF ends its data),
/// so it gets lines without them.
#[test]
fn sockets_work_the_same_in_every_receive_format() {
    let rig = Rig::new();
    let m = &rig.modem;
    m.activate_pdp(&PdpConfig::default()).unwrap();
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for conn in listener.incoming() {
            let mut c = conn.unwrap();
            std::thread::spawn(move || {
                let mut r = c.try_clone().unwrap();
                let _ = std::io::copy(&mut r, &mut c);
            });
        }
    });
    for format in ReceiveFormat::ALL {
        m.set_receive_format(format).unwrap();
        assert_eq!(m.receive_format(), format);
        let data: Vec<u8> = if format == ReceiveFormat::RawLine {
            (0..20_000u32).map(|i| b'a' + (i % 26) as u8).collect()
        } else {
            (0..100_000u32).map(|i| (i ^ (i >> 5)) as u8).collect()
        };
        let mut sock = m.open_tcp("127.0.0.1", port).unwrap();
        sock.set_read_timeout(Some(Duration::from_secs(30)));
        let mut got = Vec::new();
        let mut buf = vec![0u8; 8192];
        for chunk in data.chunks(2048) {
            sock.write_all(chunk).unwrap();
            while got.len() < sent_so_far(&data, chunk) {
                let n = sock.read(&mut buf).unwrap();
                assert!(n > 0, "{format:?}: no end of stream on an open socket");
                got.extend_from_slice(&buf[..n]);
            }
        }
        assert!(
            got == data,
            "{format:?}: byte-exact ({} of {})",
            got.len(),
            data.len()
        );
        sock.close().unwrap();
        let pulled = rig.sent().iter().any(|t| t.starts_with("AT+MIPREAD="));
        assert_eq!(
            pulled,
            format == ReceiveFormat::Read,
            "{format:?}: pulls only in read mode"
        );
    }
    // Sends are acknowledged with +MIPPUSH on hardware; none of them reached the URC queue.
    assert!(!m
        .drain_urcs()
        .iter()
        .any(|u| matches!(u, Urc::MipPush { .. })));
}

/// How many bytes have been written once `chunk` (a sub-slice of `data`) is.
fn sent_so_far(data: &[u8], chunk: &[u8]) -> usize {
    chunk.as_ptr() as usize - data.as_ptr() as usize + chunk.len()
}

/// The PDP password goes to the module but never into the trace (the line nor its echo).
#[test]
fn the_pdp_password_is_not_traced() {
    let rig = Rig::new();
    rig.modem
        .activate_pdp(&PdpConfig {
            apn: Some("CMNET".into()),
            credentials: Some(("user".into(), "hunter2-pass".into())),
        })
        .unwrap();
    let t = rig.transcript();
    assert!(
        t.contains("AT+MIPCALL=1,\"CMNET\",\"user\",<redacted>"),
        "{t}"
    );
    assert!(!t.contains("hunter2"), "{t}");
}
