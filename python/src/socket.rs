//! `l610.Socket`: a connected `+MIPOPEN` socket with the parts of Python's socket API that
//! `http.client` and MQTT clients use.

use std::sync::{Arc, Mutex, RwLock};
use std::time::Duration;

use pyo3::exceptions::PyBlockingIOError;
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PySlice, PyTuple};

use crate::blocking;
use crate::errors::to_pyerr;
use crate::modem::secs;
use crate::trace::Trace;

/// A connection through the module (``+MIPOPEN``), TLS or TCP, from :meth:`Modem.open_tls` /
/// :meth:`Modem.open_tcp`, with the parts of Python's socket API that ``http.client`` and MQTT
/// clients use: ``send``/``sendall`` (``AT+MIPSEND``), ``recv``/``recv_into``, timeouts,
/// ``makefile``, ``close`` (``AT+MIPCLOSE``), ``with``.
///
/// ``recv`` returns ``b""`` only after the peer closed and everything was read; a module restart
/// or a broken stack raise. Timeouts work as on Python sockets (``None`` blocks, the default;
/// ``0.0`` is non-blocking and raises ``BlockingIOError``; else :class:`TimeoutError`).
///
/// Thread safety: one thread may read while another sends; :meth:`close` from any thread wakes
/// a blocked ``recv`` (it raises :class:`Closed`). Every call releases the GIL and Ctrl-C ends
/// it. A module restart closes every socket.
#[pyclass(frozen, module = "l610._l610")]
pub(crate) struct Socket {
    /// Taken by `close`. A call clones the `Arc` and lets go of the lock, so `close` never waits
    /// for a call in progress: it closes the driver's socket, which wakes a blocked `recv`.
    inner: RwLock<Option<Arc<l610::Socket>>>,
    id: u8,
    tls: bool,
    /// `None` blocks, `Some(ZERO)` is non-blocking, like Python sockets.
    timeout: Mutex<Option<Duration>>,
    trace: Arc<Trace>,
    /// Open `makefile` objects. As with Python sockets, `close()` waits for the last one
    /// (http.client closes the socket while the response still reads from its file).
    io_refs: Mutex<(usize, bool)>,
}

impl Socket {
    pub(crate) fn new(sock: l610::Socket, trace: Arc<Trace>) -> Socket {
        Socket {
            id: sock.id(),
            tls: sock.protocol() == l610::Protocol::Tls,
            inner: RwLock::new(Some(Arc::new(sock))),
            timeout: Mutex::new(None),
            trace,
            io_refs: Mutex::new((0, false)),
        }
    }

    /// Run `f` on the socket: with the interpreter released, interruptible by Ctrl-C (see
    /// `blocking`), holding no lock of ours (a `close` from another thread proceeds at once).
    fn with<T: Send>(
        &self,
        py: Python<'_>,
        f: impl FnOnce(&l610::Socket) -> l610::Result<T> + Send,
    ) -> PyResult<T> {
        let sock = self.inner.read().unwrap_or_else(|e| e.into_inner()).clone();
        let Some(sock) = sock else {
            return Err(to_pyerr(
                py,
                l610::Error::Closed(format!("socket {} is closed", self.id)),
            ));
        };
        // The last reference may be ours (a `close` meanwhile): dropped detached, as it closes.
        let r = blocking::run(py, Some(&self.trace), || f(&sock));
        py.detach(move || drop(sock));
        r
    }

    fn recv_vec(&self, py: Python<'_>, bufsize: usize) -> PyResult<Vec<u8>> {
        let mut buf = vec![0u8; bufsize];
        if bufsize == 0 {
            return Ok(buf);
        }
        let timeout = *self.timeout.lock().unwrap_or_else(|e| e.into_inner());
        let got = self.with(py, |s| match s.recv_timeout(&mut buf, timeout) {
            Err(l610::Error::Timeout { .. }) if timeout == Some(Duration::ZERO) => Ok(None),
            other => other.map(Some),
        })?;
        match got {
            Some(n) => {
                buf.truncate(n);
                Ok(buf)
            }
            None => Err(PyBlockingIOError::new_err(
                "no data buffered on a non-blocking socket",
            )),
        }
    }
}

impl Drop for Socket {
    /// Collected without `close()`: the driver closes the connection, with the interpreter
    /// released (it takes the session lock; see `blocking`).
    fn drop(&mut self) {
        let s = self
            .inner
            .get_mut()
            .unwrap_or_else(|e| e.into_inner())
            .take();
        if s.is_some() {
            Python::attach(|py| py.detach(move || drop(s)));
        }
    }
}

#[pymethods]
impl Socket {
    /// The module's socket id (1–6).
    #[getter]
    fn id(&self) -> u8 {
        self.id
    }

    /// ``"tls"`` or ``"tcp"``.
    #[getter]
    fn protocol(&self) -> &'static str {
        if self.tls {
            "tls"
        } else {
            "tcp"
        }
    }

    /// True once closed by this host (a peer close leaves it open until :meth:`close`).
    #[getter]
    fn closed(&self) -> bool {
        self.inner
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .is_none()
    }

    /// Bytes received and not yet read (no command is sent).
    fn buffered(&self, py: Python<'_>) -> PyResult<usize> {
        self.with(py, |s| Ok(s.buffered()))
    }

    /// ``AT+MIPSEND``: send all of ``data`` (in chunks of at most 1400 bytes) and return its
    /// length: the module takes it all or the call raises.
    fn send(&self, py: Python<'_>, data: Vec<u8>) -> PyResult<usize> {
        let n = data.len();
        self.with(py, |s| s.send(&data))?;
        Ok(n)
    }

    /// Send all of ``data`` (as :meth:`send`), returning None as ``socket.sendall`` does.
    fn sendall(&self, py: Python<'_>, data: Vec<u8>) -> PyResult<()> {
        self.with(py, |s| s.send(&data))
    }

    /// Up to ``bufsize`` bytes, waiting as the timeout says; ``b""`` once the peer has closed
    /// and everything was read. Raises :class:`Overflow` once where received data was lost.
    fn recv<'py>(&self, py: Python<'py>, bufsize: usize) -> PyResult<Bound<'py, PyBytes>> {
        let data = self.recv_vec(py, bufsize)?;
        Ok(PyBytes::new(py, &data))
    }

    /// Receive into a writable buffer (bytearray, memoryview), at most ``nbytes`` (0: its
    /// length); returns the byte count, 0 at the end of the stream.
    #[pyo3(signature = (buffer, nbytes=0))]
    fn recv_into(
        &self,
        py: Python<'_>,
        buffer: &Bound<'_, PyAny>,
        nbytes: usize,
    ) -> PyResult<usize> {
        let want = if nbytes == 0 { buffer.len()? } else { nbytes };
        let data = self.recv_vec(py, want)?;
        let n = data.len();
        buffer.set_item(PySlice::new(py, 0, n as isize, 1), PyBytes::new(py, &data))?;
        Ok(n)
    }

    /// Seconds reads wait, or None to block (the default), or 0.0 for non-blocking.
    fn settimeout(&self, value: Option<f64>) -> PyResult<()> {
        let t = value.map(secs).transpose()?;
        *self.timeout.lock().unwrap_or_else(|e| e.into_inner()) = t;
        Ok(())
    }

    /// The timeout set with :meth:`settimeout`.
    fn gettimeout(&self) -> Option<f64> {
        self.timeout
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .map(|t| t.as_secs_f64())
    }

    /// ``setblocking(True)`` is ``settimeout(None)``, ``False`` is ``settimeout(0.0)``.
    fn setblocking(&self, flag: bool) -> PyResult<()> {
        self.settimeout(if flag { None } else { Some(0.0) })
    }

    /// ``AT+MIPCLOSE``, once the last :meth:`makefile` object is closed (as Python sockets do).
    /// Closing twice is a no-op. A ``recv`` blocked in another thread raises :class:`Closed`.
    fn close(&self, py: Python<'_>) -> PyResult<()> {
        {
            let mut refs = self.io_refs.lock().unwrap_or_else(|e| e.into_inner());
            if refs.0 > 0 {
                refs.1 = true;
                return Ok(());
            }
        }
        self.close_now(py)
    }

    /// Used by :meth:`makefile` objects (private).
    fn _io_ref(&self) {
        self.io_refs.lock().unwrap_or_else(|e| e.into_inner()).0 += 1;
    }

    /// Used by :meth:`makefile` objects (private).
    fn _io_unref(&self, py: Python<'_>) -> PyResult<()> {
        let close = {
            let mut refs = self.io_refs.lock().unwrap_or_else(|e| e.into_inner());
            refs.0 = refs.0.saturating_sub(1);
            refs.0 == 0 && refs.1
        };
        if close {
            self.close_now(py)?;
        }
        Ok(())
    }

    /// ``AT+MIPCLOSE`` now, whatever file objects remain. Never waits for a ``recv`` in another
    /// thread: that one wakes with :class:`Closed`.
    fn close_now(&self, py: Python<'_>) -> PyResult<()> {
        let sock = self.inner.write().unwrap_or_else(|e| e.into_inner()).take();
        let Some(sock) = sock else {
            return Ok(());
        };
        let r = blocking::run(py, Some(&self.trace), || sock.close());
        py.detach(move || drop(sock));
        r
    }

    /// Python's socket API: ``shutdown`` closes (the module has no half-close).
    #[pyo3(signature = (how=2))]
    fn shutdown(&self, py: Python<'_>, how: i32) -> PyResult<()> {
        let _ = how;
        self.close(py)
    }

    /// A file object over the socket (``io.BufferedReader`` for ``"rb"``, text for ``"r"``),
    /// as ``socket.makefile`` builds it.
    #[pyo3(signature = (mode="r", buffering=None, *, encoding=None, errors=None, newline=None))]
    #[allow(clippy::too_many_arguments)]
    fn makefile<'py>(
        slf: Bound<'py, Self>,
        mode: &str,
        buffering: Option<i64>,
        encoding: Option<String>,
        errors: Option<String>,
        newline: Option<String>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let py = slf.py();
        py.import("l610._socket")?
            .getattr("makefile")?
            .call1((slf, mode, buffering, encoding, errors, newline))
    }

    /// Return ``self`` (``with modem.open_tls(...) as tls:``).
    fn __enter__(slf: Py<Self>) -> Py<Self> {
        slf
    }

    /// :meth:`close`; exceptions propagate.
    #[pyo3(signature = (*_args))]
    fn __exit__(&self, py: Python<'_>, _args: &Bound<'_, PyTuple>) -> PyResult<()> {
        self.close(py)
    }

    fn __repr__(&self) -> String {
        format!(
            "<l610.Socket id={} {}{}>",
            self.id,
            self.protocol(),
            if self.closed() { " closed" } else { "" }
        )
    }
}
