//! The virtual module driven the way the public L610 clients drive real hardware (RT-Thread,
//! OneOS, TobudOS, LinkSDK; AT-REFERENCE.md §6): raw bytes on the pty, every command ended
//! with CRLF, echo off first, registration and signal checked before anything else, an MQTT
//! CONNECT (binary, with 0x00 and CR LF inside) sent through `+MIPSEND` and received back in
//! every receive format, then DNS and ping. No driver of this project is involved.

mod common;

use std::io::{Read, Write};
use std::net::TcpListener;

use common::{start_default, Host, T};

/// An MQTT 3.1.1 CONNECT whose client id holds NUL, CR and LF bytes: a terminator that leaked
/// into the data, or data cut at a CR, breaks it.
fn mqtt_connect() -> Vec<u8> {
    let client_id = b"l610\r\nsim\x00\r";
    let mut body = vec![0x00, 0x04, b'M', b'Q', b'T', b'T', 0x04, 0x02, 0x00, 0x3c];
    body.extend_from_slice(&(client_id.len() as u16).to_be_bytes());
    body.extend_from_slice(client_id);
    let mut packet = vec![0x10, body.len() as u8];
    packet.extend(body);
    packet
}

/// A TCP echo server on 127.0.0.1 (what the broker is for this test).
fn echo_server() -> u16 {
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = l.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for s in l.incoming() {
            let Ok(mut s) = s else { return };
            std::thread::spawn(move || {
                let mut b = [0u8; 4096];
                while let Ok(n) = s.read(&mut b) {
                    if n == 0 || s.write_all(&b[..n]).is_err() {
                        break;
                    }
                }
            });
        }
    });
    port
}

fn expect(h: &mut Host, line: &str, want: &str) {
    assert_eq!(h.crlf(line), want, "answer to {line}");
}

/// `AT+MIPSEND=<id>,<len>` CRLF, wait for `>`, the bytes, then the hardware's three lines.
fn mipsend(h: &mut Host, id: u8, data: &[u8]) {
    h.send(format!("AT+MIPSEND={id},{}\r\n", data.len()).as_bytes());
    h.read_until(b"\r\n> ", T);
    h.send(data);
    assert_eq!(
        h.until_final(T),
        format!("\r\n+MIPPUSH: {id},0\r\n\r\n+MIPSEND: {id},0,2048\r\n\r\nOK\r\n")
    );
}

/// `+MIPRTCP: <id>,<n>,` then exactly `len` raw bytes and CRLF (IPRFMT 1 and 2).
fn raw_urc(h: &mut Host, id: u8, len: usize) -> (usize, Vec<u8>) {
    h.read_until(format!("\r\n+MIPRTCP: {id},").as_bytes(), T);
    let n = h.read_until(b",", T);
    let n: usize = std::str::from_utf8(&n[..n.len() - 1])
        .unwrap()
        .parse()
        .unwrap();
    let data = h.read_exact(len, T);
    assert_eq!(h.read_exact(2, T), b"\r\n");
    (n, data)
}

#[test]
fn a_field_client_session() {
    let (_sim, mut h) = start_default();
    // Echo off first, with a CRLF line: the module answers without echo from then on.
    assert_eq!(h.crlf("ATE0"), "ATE0\r\r\nOK\r\n");
    expect(&mut h, "AT", "\r\nOK\r\n");

    // The checks every client makes before it dares to open anything.
    expect(&mut h, "AT+CPIN?", "\r\n+CPIN: READY\r\n\r\nOK\r\n");
    expect(&mut h, "AT+CREG?", "\r\n+CREG: 0,1\r\n\r\nOK\r\n");
    expect(&mut h, "AT+CGREG?", "\r\n+CGREG: 0,1\r\n\r\nOK\r\n");
    expect(&mut h, "AT+CEREG?", "\r\n+CEREG: 0,1\r\n\r\nOK\r\n");
    expect(&mut h, "AT+CSQ", "\r\n+CSQ: 24,99\r\n\r\nOK\r\n");
    expect(&mut h, "AT+CSQ?", "\r\n+CSQ: 24,99\r\n\r\nOK\r\n");
    expect(&mut h, "AT+CGATT?", "\r\n+CGATT: 1\r\n\r\nOK\r\n");
    expect(
        &mut h,
        "AT+COPS?",
        "\r\n+COPS: 0,0,\"CHINA MOBILE\",7\r\n\r\nOK\r\n",
    );
    expect(&mut h, "AT+CGDCONT=1,\"IP\",\"CMNET\"", "\r\nOK\r\n");
    expect(
        &mut h,
        "AT+CGSN=1",
        "\r\n+CGSN: \"867959030123458\"\r\n\r\nOK\r\n",
    );

    expect(&mut h, "AT+MIPCALL=1,\"CMNET\"", "\r\nOK\r\n");
    assert_eq!(h.urc("+MIPCALL: ", T), "+MIPCALL: 10.109.197.168");

    let port = echo_server();
    expect(
        &mut h,
        &format!("AT+MIPOPEN=1,,\"127.0.0.1\",{port},0"),
        "\r\nOK\r\n",
    );
    assert_eq!(h.urc("+MIPOPEN: ", T), "+MIPOPEN: 1,1");

    let packet = mqtt_connect();
    let len = packet.len();

    // IPRFMT 0: hex on one line (TobudOS).
    expect(&mut h, "AT+GTSET=\"IPRFMT\",0", "\r\nOK\r\n");
    mipsend(&mut h, 1, &packet);
    let urc = h.urc("+MIPRTCP: 1,", T);
    assert_eq!(
        hex::decode(urc.rsplit(',').next().unwrap()).unwrap(),
        packet
    );

    // IPRFMT 1: raw bytes after the header.
    expect(&mut h, "AT+GTSET=\"IPRFMT\",1", "\r\nOK\r\n");
    mipsend(&mut h, 1, &packet);
    assert_eq!(raw_urc(&mut h, 1, len).1, packet);

    // IPRFMT 2: `<len>` then exactly that many raw bytes (OneOS, LinkSDK).
    expect(&mut h, "AT+GTSET=\"IPRFMT\",2", "\r\nOK\r\n");
    mipsend(&mut h, 1, &packet);
    assert_eq!(raw_urc(&mut h, 1, len), (len, packet.clone()));

    // IPRFMT 5: `+MIPREAD` announces, `AT+MIPREAD` fetches (RT-Thread).
    expect(&mut h, "AT+GTSET=\"IPRFMT\",5", "\r\nOK\r\n");
    mipsend(&mut h, 1, &packet);
    assert_eq!(h.urc("+MIPREAD: ", T), format!("+MIPREAD: 1,{len}"));
    h.send(format!("AT+MIPREAD=1,{len}\r\n").as_bytes());
    h.read_until(format!("\r\n+MIPDATA: 1,{len}\r\n").as_bytes(), T);
    assert_eq!(h.read_exact(len, T), packet);
    assert_eq!(h.read_exact(6, T), b"\r\nOK\r\n");
    expect(
        &mut h,
        "AT+MIPREAD=1,100",
        "\r\n+MIPDATA: 1,0\r\n\r\nOK\r\n",
    );

    expect(&mut h, "AT+MIPCLOSE=1", "\r\nOK\r\n");
    assert_eq!(h.urc("+MIPCLOSE: ", T), "+MIPCLOSE: 1,0");

    // DNS in the three forms the clients send, resolved by the host.
    for form in ["", ",0", ",2"] {
        expect(
            &mut h,
            &format!("AT+MIPDNS=\"localhost\"{form}"),
            "\r\n+MIPDNS: \"localhost\",127.0.0.1\r\n\r\nOK\r\n",
        );
    }

    // Ping: `OK`, one `+MPING` per reply, then `+MPINGSTAT`.
    expect(
        &mut h,
        "AT+MPING=1,\"127.0.0.1\",1,32,64,0,5000",
        "\r\nOK\r\n",
    );
    let reply = h.urc("+MPING: ", T);
    assert!(reply.starts_with("+MPING: \"127.0.0.1\",0,0,"), "{reply}");
    let stat = h.urc("+MPINGSTAT: ", T);
    assert!(
        stat.starts_with("+MPINGSTAT: 0,\"127.0.0.1\",1,1,"),
        "{stat}"
    );

    // TobudOS: `+MIPCALL: 0` before the `OK`.
    expect(&mut h, "AT+MIPCALL=0", "\r\n+MIPCALL: 0\r\n\r\nOK\r\n");
}
