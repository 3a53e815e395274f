//! A Python object with `read`/`write` (a `serial.Serial`, anything `serial.serial_for_url`
//! returns: `rfc2217://`, `loop://`, ...) as the driver's transport.
//!
//! The driver's reader thread calls [`PyReader::read`] (holding no driver lock) and the writing
//! caller [`PyWriter::write`] (holding only the driver's `writer` lock, ARCHITECTURE.md); each
//! attaches to the interpreter only inside that call. So the order is `writer` → interpreter,
//! like the cancel hook's `session` → interpreter (`blocking.rs`), and it cannot deadlock for
//! the same reason: no thread waits for a driver lock while attached, since every path into the
//! driver detaches first (destructors and `close` included).
//!
//! Reads block for at most the object's own timeout: we set a `timeout` of 50 ms on objects that
//! have the attribute (pyserial's), so the reader thread notices a close. `read` asks for
//! `in_waiting` bytes when the object tells it (pyserial's idiom), else one, so a read returns as
//! soon as data is there instead of waiting for a full buffer.

use std::io;

use pyo3::prelude::*;
use pyo3::types::PyBytes;

/// The read half: the reader thread's.
pub(crate) struct PyReader(Py<PyAny>);

/// The write half: whichever caller writes.
pub(crate) struct PyWriter(Py<PyAny>);

/// The transport handed to `ModemBuilder::connect`: the same object twice, one per half.
pub(crate) struct PyTransport(Py<PyAny>, Py<PyAny>);

/// How long a read may block, so the reader thread can stop (the core's serial ports use 50 ms).
const READ_TIMEOUT: f64 = 0.05;

impl PyTransport {
    /// Check that `obj` has `read` and `write`, and bound its reads.
    pub(crate) fn new(obj: Bound<'_, PyAny>) -> PyResult<PyTransport> {
        for method in ["read", "write"] {
            if !obj.hasattr(method)? {
                return Err(pyo3::exceptions::PyTypeError::new_err(format!(
                    "the port must be a path, a URL or an object with read() and write() (like serial.Serial); {} has no {method}()",
                    obj.get_type().name()?
                )));
            }
        }
        if obj.hasattr("timeout")? {
            obj.setattr("timeout", READ_TIMEOUT)?;
        }
        Ok(PyTransport(obj.clone().unbind(), obj.unbind()))
    }

    /// `serial.Serial<id=..., port='rfc2217://...'>` → the object's `port` (or its repr).
    pub(crate) fn describe(&self, py: Python<'_>) -> String {
        let obj = self.0.bind(py);
        obj.getattr("port")
            .ok()
            .filter(|p| !p.is_none())
            .and_then(|p| p.str().ok().map(|s| s.to_string()))
            .or_else(|| obj.repr().ok().map(|r| r.to_string()))
            .unwrap_or_else(|| "a Python transport".into())
    }
}

fn to_io(e: PyErr) -> io::Error {
    io::Error::other(format!("the Python transport failed: {e}"))
}

impl l610::Transport for PyTransport {
    fn split(self) -> io::Result<(Box<dyn io::Read + Send>, Box<dyn io::Write + Send>)> {
        Ok((Box::new(PyReader(self.0)), Box::new(PyWriter(self.1))))
    }

    /// Only the reader thread reads: on the main thread, Ctrl-C's `KeyboardInterrupt` would be
    /// raised inside `read()` and end the modem as a failed port instead of cancelling the call
    /// (the cancel hook, `blocking.rs`, is what must see it).
    fn callers_may_read(&self) -> bool {
        false
    }
}

impl io::Read for PyReader {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        Python::attach(|py| {
            let obj = self.0.bind(py);
            let waiting = obj
                .getattr("in_waiting")
                .ok()
                .and_then(|w| w.extract::<usize>().ok())
                .unwrap_or(0);
            let want = waiting.clamp(1, buf.len());
            let got = obj.call_method1("read", (want,)).map_err(to_io)?;
            if got.is_none() {
                return Err(io::ErrorKind::WouldBlock.into());
            }
            let bytes = got.cast::<PyBytes>().map_err(|e| to_io(e.into()))?;
            let data = bytes.as_bytes();
            if data.is_empty() {
                // pyserial's read timed out: no data yet (end of file is a closed port, which
                // raises instead).
                return Err(io::ErrorKind::TimedOut.into());
            }
            let n = data.len().min(buf.len());
            buf[..n].copy_from_slice(&data[..n]);
            Ok(n)
        })
    }
}

impl io::Write for PyWriter {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        Python::attach(|py| {
            let r = self
                .0
                .bind(py)
                .call_method1("write", (PyBytes::new(py, buf),))
                .map_err(to_io)?;
            // pyserial returns the count; file-likes may return None for "all of it".
            Ok(r.extract::<usize>().unwrap_or(buf.len()).min(buf.len()))
        })
    }

    fn flush(&mut self) -> io::Result<()> {
        Python::attach(|py| {
            let obj = self.0.bind(py);
            if obj.hasattr("flush").map_err(to_io)? {
                obj.call_method0("flush").map_err(to_io)?;
            }
            Ok(())
        })
    }
}
