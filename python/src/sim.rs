//! `l610.Simulator`: the virtual L610 (`l610-sim`), so tests and notebooks need no hardware.

use std::os::unix::net::UnixStream;
use std::sync::Mutex;

use l610_sim::{Sim, SimConfig};
use pyo3::exceptions::PyOSError;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyTuple};

use crate::errors::to_pyerr;
use crate::modem::secs;

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
    /// Start a virtual module on a new pty (or, with `in_memory=True`, on a socket pair that
    /// only `Modem.from_simulator` can use). By default it behaves as registered hardware does
    /// (clock on network time, `+GTSSLVER: 0`); `manual=True` gives the module of Fibocom's
    /// SSL manual instead (clock unset at 2015-01-01, `+GTSSLVER: 2`, `+MIPCLOSE: <id>,1`).
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

    /// The pty path to open (`l610.Modem(sim.port)`, pyserial, minicom); None in memory.
    #[getter]
    fn port(&self) -> Option<String> {
        self.port.clone()
    }

    /// Fault injection.
    #[getter]
    fn faults(&self, py: Python<'_>) -> Py<Faults> {
        self.faults.clone_ref(py)
    }

    #[getter]
    fn running(&self) -> bool {
        self.sim.lock().unwrap_or_else(|e| e.into_inner()).is_some()
    }

    /// Pull the power: all SSL state is lost, boot URCs are printed, echo is back on.
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

    /// A snapshot of the module's state, as a dict.
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

    fn __enter__(slf: Py<Self>) -> Py<Self> {
        slf
    }

    #[pyo3(signature = (*_args))]
    fn __exit__(&self, py: Python<'_>, _args: &Bound<'_, PyTuple>) -> bool {
        self.stop(py);
        false
    }

    fn __repr__(&self) -> String {
        match &self.port {
            Some(p) => format!("<l610.Simulator on {p}>"),
            None => "<l610.Simulator in memory>".into(),
        }
    }
}

/// Misbehaviour on demand (`sim.faults`).
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
