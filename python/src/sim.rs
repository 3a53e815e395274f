//! `l610.Simulator`: the virtual L610 (`l610-sim`), so tests and notebooks need no hardware.

use std::os::unix::net::UnixStream;
use std::sync::Mutex;

use l610_sim::{Sim, SimConfig};
use pyo3::exceptions::PyOSError;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyTuple};

use crate::errors::to_pyerr;
use crate::modem::secs;

/// A virtual L610 (``l610-sim``): answers AT commands on a pseudo-terminal as the module does
/// and makes real TLS connections (OpenSSL), so tests and notebooks need no hardware.
///
/// ``Simulator()`` starts it on a new pty (:attr:`port`, open it with ``l610.Modem(sim.port)``,
/// pyserial or minicom); ``in_memory=True`` uses a socket pair instead (only
/// :meth:`Modem.from_simulator` can drive it). By default it behaves as registered hardware
/// does (clock on network time, ``+GTSSLVER: 0``); ``manual=True`` is the module of Fibocom's
/// SSL manual (clock unset at 2015-01-01, ``+GTSSLVER: 2`` i.e. TLS 1.0, ``+MIPCLOSE: <id>,1``).
/// ``echo``, ``baud`` (pace output at this rate), ``handshake_timeout`` and
/// ``data_mode_idle_timeout`` (seconds) tune it. :attr:`faults` injects misbehaviour;
/// :meth:`power_cycle` loses every SSL setting and file, as on hardware.
///
/// Thread safety: every method may be called from any thread. Stops on :meth:`stop`, at the end
/// of a ``with`` block, or when collected.
#[pyclass(frozen, module = "l610._l610")]
pub(crate) struct Simulator {
    sim: Mutex<Option<Sim>>,
    faults: Py<Faults>,
    port: Option<String>,
    host: Mutex<Option<UnixStream>>,
}

impl Simulator {
    pub(crate) fn take_host_stream(&self) -> Option<UnixStream> {
        self.host.lock().unwrap_or_else(|e| e.into_inner()).take()
    }

    pub(crate) fn port_path(&self) -> Option<String> {
        self.port.clone()
    }

    fn with<T>(&self, py: Python<'_>, f: impl FnOnce(&Sim) -> T) -> PyResult<T> {
        let guard = self.sim.lock().unwrap_or_else(|e| e.into_inner());
        guard
            .as_ref()
            .map(f)
            .ok_or_else(|| to_pyerr(py, l610::Error::Closed("the simulator is stopped".into())))
    }
}

#[pymethods]
impl Simulator {
    #[new]
    #[pyo3(signature = (*, echo=true, baud=None, handshake_timeout=30.0, data_mode_idle_timeout=12.0, in_memory=false, manual=false))]
    fn new(
        py: Python<'_>,
        echo: bool,
        baud: Option<u32>,
        handshake_timeout: f64,
        data_mode_idle_timeout: f64,
        in_memory: bool,
        manual: bool,
    ) -> PyResult<Simulator> {
        let base = if manual {
            SimConfig::manual()
        } else {
            SimConfig::default()
        };
        let config = SimConfig {
            echo,
            baud,
            handshake_timeout: secs(handshake_timeout)?,
            data_mode_idle_timeout: secs(data_mode_idle_timeout)?,
            ..base
        };
        let started = py.detach(move || {
            if in_memory {
                Sim::start_in_memory(config).map(|(s, h)| (s, Some(h)))
            } else {
                Sim::start_pty(config).map(|s| (s, None))
            }
        });
        let (sim, host) =
            started.map_err(|e| PyOSError::new_err(format!("cannot start the simulator: {e}")))?;
        let port = sim.pty_path().map(|p| p.display().to_string());
        let faults = Py::new(
            py,
            Faults {
                inner: sim.faults().clone(),
            },
        )?;
        Ok(Simulator {
            sim: Mutex::new(Some(sim)),
            faults,
            port,
            host: Mutex::new(host),
        })
    }

    /// The pty path to open (``l610.Modem(sim.port)``, pyserial, minicom). Raises
    /// :class:`InvalidArgument` for an in-memory simulator (use :meth:`Modem.from_simulator`).
    #[getter]
    fn port(&self, py: Python<'_>) -> PyResult<String> {
        self.port.clone().ok_or_else(|| {
            to_pyerr(
                py,
                l610::Error::InvalidArgument(
                    "an in-memory simulator has no port: use l610.Modem.from_simulator(sim)".into(),
                ),
            )
        })
    }

    /// Serve the module's line over TCP, as ser2net serves a serial port (one client at a
    /// time), on ``host`` and ``port`` (0: a free one). Returns the URL to open:
    /// ``l610.Modem(sim.listen())`` or ``serial.serial_for_url(...)``
    /// (``"socket://127.0.0.1:PORT"``). Only for a pty simulator; stops with it.
    #[pyo3(signature = (host="127.0.0.1", port=0))]
    fn listen(&self, py: Python<'_>, host: &str, port: u16) -> PyResult<String> {
        let listener = std::net::TcpListener::bind((host, port))?;
        let mut guard = self.sim.lock().unwrap_or_else(|e| e.into_inner());
        let sim = guard
            .as_mut()
            .ok_or_else(|| to_pyerr(py, l610::Error::Closed("the simulator is stopped".into())))?;
        let addr = sim
            .serve_tcp(listener)
            .map_err(|e| PyOSError::new_err(format!("cannot serve the simulator: {e}")))?;
        Ok(format!("socket://{addr}"))
    }

    /// Fault injection (:class:`Faults`): delays, dropped answers, garbage, reboots.
    #[getter]
    fn faults(&self, py: Python<'_>) -> Py<Faults> {
        self.faults.clone_ref(py)
    }

    /// False once :meth:`stop` was called.
    #[getter]
    fn running(&self) -> bool {
        self.sim.lock().unwrap_or_else(|e| e.into_inner()).is_some()
    }

    /// Pull the power and wait for the boot: every SSL setting and file is lost, the boot line
    /// (``AT command ready``) is printed, echo is back on. A driver sees it as a restart.
    fn power_cycle(&self, py: Python<'_>) -> PyResult<()> {
        let running = py.detach(|| {
            let guard = self.sim.lock().unwrap_or_else(|e| e.into_inner());
            guard.as_ref().map(Sim::power_cycle).is_some()
        });
        if running {
            Ok(())
        } else {
            Err(to_pyerr(
                py,
                l610::Error::Closed("the simulator is stopped".into()),
            ))
        }
    }

    /// A snapshot of the module's state (a dict: echo, verify, ssl_version, ciphers, file
    /// counts, iprfmt, pdp_active, open_sockets, boots, last_ssl_error, clock_unix). Sends no
    /// AT command: it looks inside the virtual module.
    fn state<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let st = self.with(py, |s| s.state())?;
        let d = PyDict::new(py);
        d.set_item("echo", st.echo)?;
        d.set_item("verify", st.verify)?;
        d.set_item("ssl_version", st.ssl_version)?;
        d.set_item("ciphers", crate::modem::ids(st.ciphers))?;
        d.set_item("cert_files", st.cert_files)?;
        d.set_item("key_files", st.key_files)?;
        d.set_item("trust_files", st.trust_files)?;
        d.set_item("iprfmt", st.iprfmt)?;
        d.set_item("pdp_active", st.pdp_active)?;
        d.set_item("open_sockets", crate::modem::ids(st.open_sockets))?;
        d.set_item("boots", st.boots)?;
        d.set_item("last_ssl_error", st.last_ssl_error)?;
        d.set_item("clock_unix", st.clock_unix)?;
        Ok(d)
    }

    /// Stop the module (idempotent).
    fn stop(&self, py: Python<'_>) {
        let sim = self.sim.lock().unwrap_or_else(|e| e.into_inner()).take();
        self.take_host_stream();
        py.detach(move || drop(sim));
    }

    /// Return ``self`` (``with Simulator() as sim:``).
    fn __enter__(slf: Py<Self>) -> Py<Self> {
        slf
    }

    /// :meth:`stop`; exceptions propagate.
    #[pyo3(signature = (*_args))]
    fn __exit__(&self, py: Python<'_>, _args: &Bound<'_, PyTuple>) {
        self.stop(py);
    }

    fn __repr__(&self) -> String {
        let state = if self.running() { "running" } else { "stopped" };
        match &self.port {
            Some(p) => format!("<l610.Simulator on {p}, {state}>"),
            None => format!("<l610.Simulator in memory, {state}>"),
        }
    }
}

/// Misbehaviour on demand (``sim.faults``), to test what a driver does when the module
/// misbehaves. Every method takes effect at once, from any thread.
#[pyclass(frozen, module = "l610._l610")]
pub(crate) struct Faults {
    inner: l610_sim::Faults,
}

#[pymethods]
impl Faults {
    /// Wait `seconds` before every response; 0 turns it off.
    fn set_response_delay(&self, seconds: f64) -> PyResult<()> {
        self.inner.set_response_delay(secs(seconds)?);
        Ok(())
    }

    /// The next command's final result is never sent.
    fn drop_next_final(&self) {
        self.inner.drop_next_final();
    }

    /// Write `data` to the host between whole lines.
    fn inject_garbage(&self, data: Vec<u8>) {
        self.inner.inject_garbage(&data);
    }

    /// Spontaneous reset (does not wait for the boot).
    fn reboot(&self) {
        self.inner.reboot();
    }

    /// Split output into writes of at most `size` bytes, `gap` seconds apart; None turns it off.
    #[pyo3(signature = (size=None, gap=0.001))]
    fn set_chunking(&self, size: Option<usize>, gap: f64) -> PyResult<()> {
        let c = match size {
            Some(n) => Some((n, secs(gap)?)),
            None => None,
        };
        self.inner.set_chunking(c);
        Ok(())
    }

    /// The next `>` prompt is never sent.
    fn swallow_next_prompt(&self) {
        self.inner.swallow_next_prompt();
    }
}
