//! One `+MIPOPEN` socket: the connect thread, the receive loop that turns incoming bytes into
//! `+MIPRTCP` URCs, and the send path of `+MIPSEND`. The stream is non-blocking and shared
//! behind a mutex; both directions wait in poll without holding the lock, so a send never
//! waits for a receive or the other way round.

use std::collections::VecDeque;
use std::io::{self, Read, Write};
use std::net::{TcpStream, ToSocketAddrs};
use std::os::fd::{AsRawFd, RawFd};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use openssl::ssl::SslStream;

use crate::config::LinkConditions;
use crate::link;
use crate::output::Output;
use crate::port::poll;
use crate::state::{Shared, Slot};
use crate::tls::{self, code, TlsSettings};

/// The module never puts more than this in one `+MIPRTCP` URC.
const URC_CHUNK: usize = 1460;
/// Read mode (IPRFMT 5) keeps at most this much per socket; beyond it the receive loop stops
/// reading, so TCP flow control slows the server down.
const INBOX_MAX: usize = 16 * 1024;

enum Stream {
    Tcp(TcpStream),
    Tls(SslStream<TcpStream>),
}

impl Stream {
    fn tcp(&self) -> &TcpStream {
        match self {
            Stream::Tcp(s) => s,
            Stream::Tls(s) => s.get_ref(),
        }
    }
}

pub(crate) struct Connection {
    stream: Mutex<Stream>,
    fd: RawFd,
    closed: AtomicBool,
    /// Read mode (IPRFMT 5): received bytes waiting for `AT+MIPREAD`.
    inbox: Mutex<VecDeque<u8>>,
}

impl Connection {
    /// Closed by the host (`+MIPCLOSE`, `+MIPCALL=0`, power loss): the receive loop ends
    /// without reporting anything.
    pub(crate) fn close(&self) {
        if self.closed.swap(true, Ordering::SeqCst) {
            return;
        }
        let mut stream = self.stream.lock().unwrap();
        if let Stream::Tls(s) = &mut *stream {
            // Best effort close_notify; the socket is non-blocking so this cannot hang.
            let _ = s.shutdown();
        }
        let _ = stream.tcp().shutdown(std::net::Shutdown::Both);
    }

    pub(crate) fn inbox_len(&self) -> usize {
        self.inbox.lock().unwrap().len()
    }

    /// Up to `max` bytes of what waits for `AT+MIPREAD`.
    pub(crate) fn take_inbox(&self, max: usize) -> Vec<u8> {
        let mut inbox = self.inbox.lock().unwrap();
        let n = max.min(inbox.len());
        inbox.drain(..n).collect()
    }

    fn is_closed(&self) -> bool {
        self.closed.load(Ordering::SeqCst)
    }

    pub(crate) fn send(&self, mut data: &[u8]) -> io::Result<()> {
        while !data.is_empty() {
            if self.is_closed() {
                return Err(io::ErrorKind::NotConnected.into());
            }
            let r = {
                let mut stream = self.stream.lock().unwrap();
                match &mut *stream {
                    Stream::Tcp(s) => s.write(data),
                    Stream::Tls(s) => s.write(data),
                }
            };
            match r {
                Ok(0) => return Err(io::ErrorKind::WriteZero.into()),
                Ok(n) => data = &data[n..],
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => {
                    poll(self.fd, libc::POLLOUT, 50)?;
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
        Ok(())
    }
}

/// What a `+MIPOPEN` asks for.
pub(crate) struct OpenRequest {
    pub(crate) id: u8,
    pub(crate) token: u64,
    pub(crate) boots: u32,
    pub(crate) host: String,
    pub(crate) port: u16,
    pub(crate) tls: Option<TlsSettings>,
    pub(crate) timeout: Duration,
    pub(crate) link: LinkConditions,
}

pub(crate) fn spawn_open(shared: Shared, output: Arc<Output>, req: OpenRequest) {
    let spawned = std::thread::Builder::new()
        .name(format!("l610-sim-sock{}", req.id))
        .spawn({
            let shared = shared.clone();
            let output = output.clone();
            move || run(shared, output, req)
        });
    if spawned.is_err() {
        log::error!("l610-sim: cannot start a socket thread");
    }
}

fn connect(req: &OpenRequest) -> Result<Stream, i32> {
    let ctx = match &req.tls {
        Some(s) => Some(tls::context(s)?),
        None => None,
    };
    let addrs = (req.host.as_str(), req.port)
        .to_socket_addrs()
        .map_err(|_| code::CONNECT)?;
    let mut tcp = None;
    for addr in addrs {
        if let Ok(s) = TcpStream::connect_timeout(&addr, req.timeout) {
            tcp = Some(s);
            break;
        }
    }
    let mut tcp = tcp.ok_or(code::CONNECT)?;
    if !req.link.is_clear() {
        tcp = link::shape(tcp, req.link).map_err(|_| code::CONNECT)?;
    }
    let _ = tcp.set_nodelay(true);
    let stream = match ctx {
        Some(ctx) => {
            let _ = tcp.set_read_timeout(Some(req.timeout));
            let _ = tcp.set_write_timeout(Some(req.timeout));
            let verifying = req.tls.as_ref().is_some_and(|s| s.verify == 1);
            Stream::Tls(tls::handshake(&ctx, tcp, verifying)?)
        }
        None => Stream::Tcp(tcp),
    };
    let tcp = stream.tcp();
    let _ = tcp.set_read_timeout(None);
    let _ = tcp.set_write_timeout(None);
    tcp.set_nonblocking(true).map_err(|_| code::UNKNOWN)?;
    Ok(stream)
}

fn run(shared: Shared, output: Arc<Output>, req: OpenRequest) {
    let result = connect(&req);
    let id = req.id;
    let conn = {
        let mut st = shared.lock().unwrap();
        if st.boots != req.boots || !matches!(st.slot(id), Slot::Connecting(t) if *t == req.token) {
            // Closed, deactivated or rebooted while dialling: nobody wants to hear of it.
            return;
        }
        match result {
            Ok(stream) => {
                let fd = stream.tcp().as_raw_fd();
                let conn = Arc::new(Connection {
                    stream: Mutex::new(stream),
                    fd,
                    closed: AtomicBool::new(false),
                    inbox: Mutex::new(VecDeque::new()),
                });
                *st.slot(id) = Slot::Open(req.token, conn.clone());
                if req.tls.is_some() {
                    st.last_ssl_error = 0;
                }
                output.urc(&format!("+MIPOPEN: {id},1"));
                conn
            }
            Err(code) => {
                *st.slot(id) = Slot::Free;
                if req.tls.is_some() {
                    st.last_ssl_error = code;
                }
                output.urc(&format!("+MIPOPEN: {id},0"));
                return;
            }
        }
    };
    receive(&shared, &output, &req, &conn);
}

fn receive(shared: &Shared, output: &Output, req: &OpenRequest, conn: &Arc<Connection>) {
    let id = req.id;
    let mut buf = vec![0u8; 16 * 1024];
    let mut reset = false;
    loop {
        if conn.is_closed() {
            return;
        }
        let pending = match &*conn.stream.lock().unwrap() {
            // Decrypted bytes already inside OpenSSL are invisible to poll.
            Stream::Tls(s) => s.ssl().pending() > 0,
            Stream::Tcp(_) => false,
        };
        if !pending && !matches!(poll(conn.fd, libc::POLLIN, 50), Ok(true)) {
            continue;
        }
        let r = {
            let mut stream = conn.stream.lock().unwrap();
            match &mut *stream {
                Stream::Tcp(s) => s.read(&mut buf),
                Stream::Tls(s) => s.read(&mut buf),
            }
        };
        let n = match r {
            Ok(0) => break,
            Ok(n) => n,
            Err(e)
                if matches!(
                    e.kind(),
                    io::ErrorKind::WouldBlock | io::ErrorKind::Interrupted
                ) =>
            {
                continue
            }
            Err(_) => {
                reset = true;
                break;
            }
        };
        let iprfmt = shared.lock().unwrap().iprfmt;
        let data = &buf[..n];
        let delivered = if iprfmt == 5 {
            keep_for_read(shared, output, req, conn, data)
        } else {
            push(output, id, iprfmt, conn, data)
        };
        if !delivered {
            return;
        }
    }
    // In read mode the host learns of the close only after it has read what is left, as
    // `+MIPREAD` data would be unreachable once the socket is gone.
    while conn.inbox_len() > 0 && !conn.is_closed() && shared.lock().unwrap().boots == req.boots {
        std::thread::sleep(Duration::from_millis(20));
    }
    let mut st = shared.lock().unwrap();
    if conn.is_closed() || st.boots != req.boots {
        return;
    }
    if matches!(st.slot(id), Slot::Open(t, _) if *t == req.token) {
        *st.slot(id) = Slot::Free;
        conn.closed.store(true, Ordering::SeqCst);
        if reset && req.tls.is_some() {
            st.last_ssl_error = code::CLOSED_BY_SERVER;
        }
        output.urc(&format!("+MIPSTAT: {id},2"));
    }
}

/// Upper-case hex of `data`, appended to `out`. A table rather than `hex::encode_upper`, which
/// builds a `String` a `char` at a time: unthrottled, the virtual module's own CPU competes with
/// the driver it serves for the same cores (`core/benches/cpu.rs`).
fn encode_hex_upper(data: &[u8], out: &mut Vec<u8>) {
    const DIGITS: &[u8; 16] = b"0123456789ABCDEF";
    out.reserve(data.len() * 2);
    for &b in data {
        out.extend_from_slice(&[DIGITS[usize::from(b >> 4)], DIGITS[usize::from(b & 15)]]);
    }
}

/// IPRFMT 0, 1, 2: the data goes to the host at once as `+MIPRTCP` URCs.
fn push(output: &Output, id: u8, iprfmt: u8, conn: &Connection, data: &[u8]) -> bool {
    let n = data.len();
    let mut off = 0;
    while off < n {
        let chunk = &data[off..(off + URC_CHUNK).min(n)];
        let mut unit = match iprfmt {
            // `<len>` then exactly that many raw bytes.
            2 => format!("\r\n+MIPRTCP: {id},{},", chunk.len()).into_bytes(),
            // The second field mimics the module's unexplained count: what is still queued
            // including this chunk, so it is not the chunk length.
            _ => format!("\r\n+MIPRTCP: {id},{},", n - off).into_bytes(),
        };
        if iprfmt == 0 {
            encode_hex_upper(chunk, &mut unit);
        } else {
            unit.extend_from_slice(chunk);
        }
        unit.extend_from_slice(b"\r\n");
        if !output.data_urc(&unit, &|| !conn.is_closed()) {
            return false;
        }
        off += chunk.len();
    }
    true
}

/// IPRFMT 5: the data waits in the module; `+MIPREAD: <id>,<len>` tells the host how much
/// is waiting in all (every arrival announces the new total).
fn keep_for_read(
    shared: &Shared,
    output: &Output,
    req: &OpenRequest,
    conn: &Connection,
    data: &[u8],
) -> bool {
    loop {
        if conn.is_closed() || shared.lock().unwrap().boots != req.boots {
            return false;
        }
        if conn.inbox_len() < INBOX_MAX {
            break;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    let total = {
        let mut inbox = conn.inbox.lock().unwrap();
        inbox.extend(data);
        inbox.len()
    };
    output.urc(&format!("+MIPREAD: {},{total}", req.id));
    true
}

#[cfg(test)]
mod hex_tests {
    #[test]
    fn hex_is_the_hex_crates() {
        let data: Vec<u8> = (0..=255).collect();
        let mut out = b"x".to_vec();
        super::encode_hex_upper(&data, &mut out);
        assert_eq!(&out[1..], hex::encode_upper(&data).as_bytes());
    }
}
