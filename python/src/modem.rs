//! `l610.Modem`: the driver's `Modem`, shared behind an `Arc` so any Python thread can use it.

use std::sync::{Arc, RwLock};
use std::time::Duration;

use l610::proto::commands::receive_format_from_iprfmt;
use l610::proto::ValueError;
use l610::{
    CipherSuite, FileType, ModemBuilder, ModuleTime, OpenOptions, PdpConfig, PdpStatus,
    ProfileReport, Protocol, SslVersion, TlsProfile, Urc, VerifyMode,
};
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict, PyTuple};

use crate::blocking;
use crate::errors::to_pyerr;
use crate::sim::Simulator;
use crate::socket::Socket;
use crate::trace::Trace;
use crate::transport::PyTransport;

pub(crate) fn secs(s: f64) -> PyResult<Duration> {
    Duration::try_from_secs_f64(s)
        .map_err(|_| PyValueError::new_err(format!("{s} is not a valid number of seconds")))
}

/// Wrap `value` into the class `name` of `l610._types` (an IntEnum, a NamedTuple, ...).
pub(crate) fn typed<'py>(
    py: Python<'py>,
    name: &str,
    args: impl pyo3::call::PyCallArgs<'py>,
) -> PyResult<Bound<'py, PyAny>> {
    py.import("l610._types")?.getattr(name)?.call1(args)
}

pub(crate) fn build_profile(
    py: Python<'_>,
    version: u8,
    verify: u8,
    trust_files: Vec<Vec<u8>>,
    client_identity: Option<(Vec<u8>, Vec<u8>)>,
    ciphers: Option<Vec<Bound<'_, PyAny>>>,
) -> PyResult<TlsProfile> {
    let err = |e| value_err(py, e);
    let mut p = TlsProfile::new()
        .version(SslVersion::try_from(i64::from(version)).map_err(err)?)
        .verify(VerifyMode::try_from(i64::from(verify)).map_err(err)?);
    p.trust_files = trust_files;
    p.client_identity = client_identity;
    if let Some(suites) = ciphers {
        p = p.ciphers(
            suites
                .iter()
                .map(|s| suite_arg(py, s))
                .collect::<PyResult<_>>()?,
        );
    }
    Ok(p)
}

/// A suite given as a `CipherSuite`, an ID, or a name (`CipherSuite::from_str` spellings).
pub(crate) fn suite_arg(py: Python<'_>, obj: &Bound<'_, PyAny>) -> PyResult<CipherSuite> {
    if let Ok(id) = obj.extract::<u8>() {
        return suite(py, id);
    }
    let name: String = obj.extract()?;
    name.parse().map_err(|e| value_err(py, e))
}

/// A value the caller gave that the one table in `l610-proto` refuses: `ValueError`
/// (`InvalidArgument`), like every other invalid argument.
pub(crate) fn value_err(py: Python<'_>, e: ValueError) -> PyErr {
    to_pyerr(py, l610::Error::from(e))
}

pub(crate) enum Source {
    Bytes(Vec<u8>),
    Path(std::path::PathBuf),
}

/// The one rule for files (core `l610::ssl::read_file`): bytes, bytearray and memoryview are
/// a file's content; str and os.PathLike are paths. Anything else is a `TypeError`.
pub(crate) fn bytes_or_path(obj: &Bound<'_, PyAny>) -> PyResult<Source> {
    if obj.is_instance_of::<pyo3::types::PyString>() || obj.hasattr("__fspath__")? {
        return Ok(Source::Path(obj.extract()?));
    }
    match obj.extract::<Vec<u8>>() {
        Ok(b) if !obj.is_instance_of::<pyo3::types::PyList>() => Ok(Source::Bytes(b)),
        _ => Err(pyo3::exceptions::PyTypeError::new_err(format!(
            "a file is bytes (its content) or a str / os.PathLike (its path), not {}",
            obj.get_type().name()?
        ))),
    }
}

fn suite(py: Python<'_>, id: u8) -> PyResult<CipherSuite> {
    CipherSuite::try_from(i64::from(id)).map_err(|e| value_err(py, e))
}

fn file_type(py: Python<'_>, t: u8) -> PyResult<FileType> {
    FileType::try_from(i64::from(t)).map_err(|e| value_err(py, e))
}

/// A profile from an `l610.TlsProfile` object.
fn profile_from(py: Python<'_>, obj: &Bound<'_, PyAny>) -> PyResult<TlsProfile> {
    build_profile(
        py,
        obj.getattr("version")?.extract()?,
        obj.getattr("verify")?.extract()?,
        obj.getattr("trust_files")?.extract()?,
        obj.getattr("client_identity")?.extract()?,
        obj.getattr("ciphers")?.extract()?,
    )
}

fn urc_to_py<'py>(py: Python<'py>, urc: Urc) -> PyResult<Bound<'py, PyAny>> {
    let d = PyDict::new(py);
    let kind = match urc {
        Urc::Boot(text) => {
            d.set_item("text", text)?;
            "boot"
        }
        Urc::Sim(text) => {
            d.set_item("text", text)?;
            "sim"
        }
        Urc::MipCall(text) => {
            d.set_item("text", text)?;
            "mipcall"
        }
        Urc::MipOpen { id, connected } => {
            d.set_item("id", id)?;
            d.set_item("connected", connected)?;
            "mipopen"
        }
        Urc::MipClose { id, detail } => {
            d.set_item("id", id)?;
            d.set_item("detail", detail)?;
            "mipclose"
        }
        Urc::MipStat { id, status, acked } => {
            d.set_item("id", id)?;
            d.set_item("status", status)?;
            d.set_item("acked", acked)?;
            "mipstat"
        }
        Urc::MipRtcp { id, n, data } => {
            d.set_item("id", id)?;
            d.set_item("n", n)?;
            d.set_item("data", PyBytes::new(py, &data))?;
            "miprtcp"
        }
        Urc::MipPush { id, status } => {
            d.set_item("id", id)?;
            d.set_item("status", status)?;
            "mippush"
        }
        Urc::MipRead { id, len } => {
            d.set_item("id", id)?;
            d.set_item("n", len)?;
            "mipread"
        }
        Urc::Registration {
            domain,
            status,
            location,
        } => {
            d.set_item("domain", crate::field::domain_to_py(py, domain)?)?;
            d.set_item("status", crate::field::status_to_py(py, status)?)?;
            d.set_item("location", crate::field::location_to_py(py, location)?)?;
            "registration"
        }
        Urc::MipDns { host, addrs } => {
            d.set_item("host", host)?;
            d.set_item("addrs", crate::field::addrs_to_py(py, addrs)?)?;
            "mipdns"
        }
        Urc::Ping(reply) => {
            d.set_item("ip", reply.ip)?;
            d.set_item("status", reply.result)?;
            d.set_item("rtt", reply.rtt.as_secs_f64())?;
            "ping"
        }
        Urc::PingStat(stat) => {
            d.set_item("ip", stat.ip)?;
            d.set_item("status", stat.status)?;
            d.set_item("sent", stat.sent)?;
            d.set_item("received", stat.received)?;
            d.set_item("rtt", stat.average.as_secs_f64())?;
            "pingstat"
        }
        Urc::Other(text) => {
            d.set_item("text", text)?;
            "other"
        }
        other => {
            d.set_item("text", format!("{other:?}"))?;
            "other"
        }
    };
    d.set_item("kind", kind)?;
    py.import("l610._types")?.getattr("Urc")?.call((), Some(&d))
}

fn time_to_py<'py>(py: Python<'py>, t: ModuleTime) -> PyResult<Bound<'py, PyAny>> {
    py.import("l610._types")?
        .getattr("_datetime_from_module")?
        .call1((
            t.year,
            t.month,
            t.day,
            t.hour,
            t.minute,
            t.second,
            t.zone_quarters,
        ))
}

/// A connected L610: every ``+GTSSL*`` setting, the PDP context, the clock, ``+MIPOPEN``
/// sockets, and any AT command.
///
/// ``Modem(port, baudrate=115200, timeout=5.0)`` opens ``port``: a device path
/// (``"/dev/ttyUSB2"``, a ``pathlib.Path``), ``socket://HOST:PORT`` (a module served over TCP,
/// as ser2net or ``l610-sim --listen`` serve it), any other pyserial URL (``rfc2217://``,
/// ``loop://``; needs pyserial), or an open ``serial.Serial``-like object (anything with
/// ``read``/``write``; its ``timeout`` is set to 50 ms so the driver's reader can stop). It then
/// sends ``AT`` until the module answers (``probe=False`` skips that). ``timeout`` is the per-command timeout in seconds; ``open_timeout``,
/// ``pdp_timeout`` and ``upload_timeout`` override those of socket opens (75 s), PDP activation
/// (150 s) and file uploads (20 s). ``transcript_lines=N`` keeps the last N lines of the AT
/// trace for :meth:`transcript`; the trace also goes to the ``logging`` logger ``l610`` at
/// DEBUG level when that is enabled. Neither costs anything when off.
///
/// Thread safety: one ``Modem`` may be used from any number of threads; commands run one at a
/// time, socket reads do not wait for commands. Every call releases the GIL while it waits and
/// can be interrupted with Ctrl-C (``KeyboardInterrupt``; the modem stays usable).
///
/// Power cycles: the module forgets every SSL setting and file when it restarts; a profile set
/// with :meth:`set_profile` is applied again automatically. Files cannot be deleted, only lost
/// by a power cycle.
///
/// Raises :class:`PortError` (an ``OSError`` with ``errno``; :class:`PortNotFoundError`,
/// :class:`PortPermissionError`) when the port cannot be opened and :class:`TimeoutError` when
/// nothing answers ``AT``, naming the port, the baud rate and what to check.
#[pyclass(frozen, module = "l610._l610")]
pub(crate) struct Modem {
    inner: RwLock<Option<Arc<l610::Modem>>>,
    trace: Arc<Trace>,
    /// Keeps an in-memory simulator alive as long as the modem that talks to it.
    _sim: Option<Py<Simulator>>,
}

impl Drop for Modem {
    /// Collected without `close()`: the driver is dropped with the interpreter released (it
    /// stops the reader thread and takes the session lock; see `blocking` for why never while
    /// attached).
    fn drop(&mut self) {
        let m = self
            .inner
            .get_mut()
            .unwrap_or_else(|e| e.into_inner())
            .take();
        if m.is_some() {
            Python::attach(|py| py.detach(move || drop(m)));
        }
    }
}

#[allow(clippy::too_many_arguments)]
fn builder(
    timeout: f64,
    open_timeout: Option<f64>,
    pdp_timeout: Option<f64>,
    upload_timeout: Option<f64>,
    probe: bool,
    trace: &Arc<Trace>,
) -> PyResult<ModemBuilder> {
    let mut b = l610::Modem::builder()
        .command_timeout(secs(timeout)?)
        .probe_on_open(probe);
    if let Some(t) = open_timeout {
        b = b.open_timeout(secs(t)?);
    }
    if let Some(t) = pdp_timeout {
        b = b.pdp_timeout(secs(t)?);
    }
    if let Some(t) = upload_timeout {
        b = b.upload_timeout(secs(t)?);
    }
    let sink = trace.clone();
    Ok(b.trace(move |ev| sink.record(ev)))
}

/// What `Modem(port)` was given.
enum PortArg<'py> {
    /// A device path, or a URL the core opens itself (`socket://`).
    Path(String),
    /// An object with read/write: a `serial.Serial`, or what `serial.serial_for_url` opened.
    Object(Bound<'py, PyAny>),
}

/// A path (str, os.PathLike), a URL (`socket://` natively; `rfc2217://`, `loop://` and every
/// other pyserial URL through pyserial), or a `serial.Serial`-like object.
fn port_arg<'py>(
    py: Python<'py>,
    port: &Bound<'py, PyAny>,
    baudrate: u32,
) -> PyResult<PortArg<'py>> {
    let text = if port.is_instance_of::<pyo3::types::PyString>() || port.hasattr("__fspath__")? {
        let p: std::path::PathBuf = port.extract()?;
        Some(p.to_string_lossy().into_owned())
    } else {
        None
    };
    let obj = match text {
        Some(t) if t.contains("://") && !t.starts_with("socket://") => {
            let serial = py.import("serial").map_err(|_| {
                pyo3::exceptions::PyImportError::new_err(format!(
                    "{t}: URLs other than socket:// are opened with pyserial (pip install pyserial)"
                ))
            })?;
            let kwargs = PyDict::new(py);
            kwargs.set_item("baudrate", baudrate)?;
            kwargs.set_item("timeout", 0.05)?;
            serial
                .getattr("serial_for_url")?
                .call((t,), Some(&kwargs))?
        }
        Some(t) => return Ok(PortArg::Path(t)),
        None => port.clone(),
    };
    Ok(PortArg::Object(obj))
}

impl Modem {
    fn load<'py>(
        &self,
        py: Python<'py>,
        t: FileType,
        source: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let c = match bytes_or_path(source)? {
            Source::Bytes(b) => self.call(py, move |m| m.load_file(t, &b))?,
            Source::Path(p) => self.call(py, move |m| m.load_file_from_path(t, &p))?,
        };
        typed(py, "FileCounts", (c.cert, c.key, c.trust))
    }

    fn get(&self, py: Python<'_>) -> PyResult<Arc<l610::Modem>> {
        self.inner
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
            .ok_or_else(|| to_pyerr(py, l610::Error::Closed("the modem is closed".into())))
    }

    /// Every driver call: with the interpreter released, on this thread, interruptible by Ctrl-C
    /// (see `blocking`); the trace it produced goes to `logging` afterwards.
    fn call<T: Send>(
        &self,
        py: Python<'_>,
        f: impl FnOnce(&l610::Modem) -> l610::Result<T> + Send,
    ) -> PyResult<T> {
        let m = self.get(py)?;
        let trace = &self.trace;
        blocking::run(py, Some(trace), || {
            // `run` looked at the `l610` logger just before: the core formats trace lines only
            // while logging wants them or a transcript was asked for.
            m.set_tracing(trace.wanted());
            f(&m)
        })
    }

    #[allow(clippy::too_many_arguments)]
    fn open_sock(
        &self,
        py: Python<'_>,
        protocol: Protocol,
        host: String,
        port: u16,
        timeout: Option<f64>,
        check_clock: bool,
        id: Option<u8>,
        source_port: Option<u16>,
    ) -> PyResult<Socket> {
        let mut opts = OpenOptions {
            id,
            source_port,
            check_clock,
            ..OpenOptions::default()
        };
        if let Some(t) = timeout {
            opts.timeout = Some(secs(t)?);
        }
        let sock = self.call(py, move |m| m.open_socket(protocol, &host, port, &opts))?;
        Ok(Socket::new(sock, self.trace.clone()))
    }
}

fn report_to_py<'py>(py: Python<'py>, r: &ProfileReport) -> PyResult<Bound<'py, PyAny>> {
    let files = r
        .files
        .iter()
        .map(|f| {
            typed(
                py,
                "FileReport",
                (
                    typed(py, "FileType", (f.file_type.value(),))?,
                    f.index,
                    f.size,
                    f.uploaded,
                ),
            )
        })
        .collect::<PyResult<Vec<_>>>()?;
    let foreign = typed(
        py,
        "FileCounts",
        (r.foreign.cert, r.foreign.key, r.foreign.trust),
    )?;
    typed(py, "ProfileReport", (files, foreign, r.to_string()))
}

#[pymethods]
impl Modem {
    #[new]
    #[pyo3(signature = (port, baudrate=115200, timeout=5.0, *, open_timeout=None, pdp_timeout=None, upload_timeout=None, probe=true, transcript_lines=0))]
    #[allow(clippy::too_many_arguments)]
    fn new(
        py: Python<'_>,
        port: &Bound<'_, PyAny>,
        baudrate: u32,
        timeout: f64,
        open_timeout: Option<f64>,
        pdp_timeout: Option<f64>,
        upload_timeout: Option<f64>,
        probe: bool,
        transcript_lines: usize,
    ) -> PyResult<Modem> {
        let trace = Trace::new(py, transcript_lines);
        let b = builder(
            timeout,
            open_timeout,
            pdp_timeout,
            upload_timeout,
            probe,
            &trace,
        )?;
        let modem = match port_arg(py, port, baudrate)? {
            PortArg::Path(path) => {
                blocking::run(py, Some(&trace), move || b.open(&path, baudrate))?
            }
            PortArg::Object(obj) => {
                let t = PyTransport::new(obj)?;
                let name = t.describe(py);
                blocking::run(py, Some(&trace), move || b.endpoint(name).connect(t))?
            }
        };
        Ok(Modem {
            inner: RwLock::new(Some(Arc::new(modem))),
            trace,
            _sim: None,
        })
    }

    /// Drive a :class:`Simulator`: over its in-memory socket when it was started with
    /// ``in_memory=True``, else over its pty. Same options as ``Modem(...)``; the simulator is
    /// kept alive as long as the modem.
    #[staticmethod]
    #[pyo3(signature = (sim, timeout=5.0, *, open_timeout=None, pdp_timeout=None, upload_timeout=None, probe=true, transcript_lines=0))]
    #[allow(clippy::too_many_arguments)]
    fn from_simulator(
        py: Python<'_>,
        sim: Py<Simulator>,
        timeout: f64,
        open_timeout: Option<f64>,
        pdp_timeout: Option<f64>,
        upload_timeout: Option<f64>,
        probe: bool,
        transcript_lines: usize,
    ) -> PyResult<Modem> {
        let trace = Trace::new(py, transcript_lines);
        let b = builder(
            timeout,
            open_timeout,
            pdp_timeout,
            upload_timeout,
            probe,
            &trace,
        )?;
        let s = sim.get();
        let modem = match s.take_host_stream() {
            Some(stream) => blocking::run(py, Some(&trace), move || {
                b.endpoint("the in-memory simulator").connect(stream)
            })?,
            None => {
                let path = s.port_path().ok_or_else(|| {
                    to_pyerr(
                        py,
                        l610::Error::Closed("the simulator's stream is already in use".into()),
                    )
                })?;
                blocking::run(py, Some(&trace), move || b.open(&path, 115200))?
            }
        };
        Ok(Modem {
            inner: RwLock::new(Some(Arc::new(modem))),
            trace,
            _sim: Some(sim),
        })
    }

    /// Close the port. Calls blocked in other threads (socket reads included) end with
    /// :class:`Closed`. Idempotent; ``with Modem(...) as m:`` calls it on exit.
    fn close(&self, py: Python<'_>) {
        let m = self.inner.write().unwrap_or_else(|e| e.into_inner()).take();
        // Dropping stops the reader thread, which can take one read timeout.
        py.detach(move || drop(m));
    }

    /// True once :meth:`close` was called.
    #[getter]
    fn closed(&self) -> bool {
        self.inner
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .is_none()
    }

    /// What the modem was opened on: ``"/dev/ttyUSB2 at 115200 baud"``,
    /// ``"socket://host:port"``, a pyserial URL. No command is sent.
    #[getter]
    fn port(&self, py: Python<'_>) -> PyResult<String> {
        let m = self.get(py)?;
        Ok(m.endpoint().unwrap_or("an unnamed transport").to_owned())
    }

    /// Return ``self`` (``with Modem(...) as modem:``).
    fn __enter__(slf: Py<Self>) -> Py<Self> {
        slf
    }

    /// :meth:`close`; exceptions propagate.
    #[pyo3(signature = (*_args))]
    fn __exit__(&self, py: Python<'_>, _args: &Bound<'_, PyTuple>) {
        self.close(py);
    }

    fn __repr__(&self, py: Python<'_>) -> String {
        let m = self.inner.read().unwrap_or_else(|e| e.into_inner()).clone();
        match m {
            Some(m) => {
                // The session lock is never waited for while attached (blocking.rs).
                let (endpoint, resets) = py.detach(|| {
                    (
                        m.endpoint().unwrap_or("an unnamed transport").to_owned(),
                        m.stats().resets,
                    )
                });
                format!("<l610.Modem on {endpoint}, open, {resets} module restart(s) seen>")
            }
            None => "<l610.Modem closed>".into(),
        }
    }

    // ---- the AT escape hatch and housekeeping ----

    /// Send any AT command and return its information lines (the escape hatch for what the
    /// typed API does not cover).
    ///
    /// The leading ``AT`` is optional: ``"AT+CSQ"``, ``"at+csq"`` and ``"+CSQ"`` send the same
    /// ``AT+CSQ``. The result holds the command's own ``+NAME:`` lines (``+CSQ: 24,99``) and
    /// lines without a prefix (``ATI``'s); ``+X:`` lines of other names are URCs (see
    /// :meth:`next_urc`). ``expects`` adds prefixes for a command that answers under another
    /// name. The same meaning as C's ``l610_modem_command`` (defined in the core,
    /// ``l610::Modem::line_command``). ``timeout`` overrides the modem's. A ``payload`` is
    /// written after the ``>`` prompt and kept out of the trace unless ``trace_payload``;
    /// ``redact_payload`` also redacts every line received while it runs (for key material).
    ///
    /// Raises :class:`AtError` / :class:`CmeError` when the module answers ``ERROR``,
    /// :class:`TimeoutError`, and :class:`InvalidArgument` for a line with control characters
    /// (one command per call; nothing is sent).
    #[allow(clippy::too_many_arguments)]
    #[pyo3(signature = (line, *, expects=Vec::new(), timeout=None, payload=None, redact_payload=false, trace_payload=false))]
    fn command(
        &self,
        py: Python<'_>,
        line: String,
        expects: Vec<String>,
        timeout: Option<f64>,
        payload: Option<Vec<u8>>,
        redact_payload: bool,
        trace_payload: bool,
    ) -> PyResult<Vec<String>> {
        if redact_payload && trace_payload {
            return Err(to_pyerr(
                py,
                l610::Error::InvalidArgument(
                    "redact_payload and trace_payload contradict each other".into(),
                ),
            ));
        }
        let mut cmd = l610::Modem::line_command(&line);
        for e in &expects {
            cmd = cmd.expects(e);
        }
        if let Some(t) = timeout {
            cmd = cmd.timeout(secs(t)?);
        }
        if let Some(p) = payload {
            cmd = cmd.payload(p);
        }
        // l610-proto keeps a payload out of the trace unless asked (issue #8, defect 12: a raw
        // payload is traced only when the caller opts in).
        if trace_payload {
            cmd = cmd.trace_payload();
        }
        if redact_payload {
            cmd = cmd.secret();
        }
        self.call(py, move |m| m.command(&cmd).map(|r| r.to_lines()))
    }

    /// Send ``AT`` until the module answers ``OK`` (3 tries of 1 s): syncs a line with garbage
    /// on it. Raises :class:`TimeoutError` naming the port and what to check.
    fn probe(&self, py: Python<'_>) -> PyResult<()> {
        self.call(py, |m| m.probe())
    }

    /// ``ATE1`` / ``ATE0``: command echo on or off. The driver works either way. Lost at a
    /// module restart (echo comes back on).
    fn set_echo(&self, py: Python<'_>, on: bool) -> PyResult<()> {
        self.call(py, |m| m.set_echo(on))
    }

    /// ``AT+CMEE=<mode>``: how the module reports errors (:class:`ErrorReporting`: plain
    /// ``ERROR``, numeric or verbose ``+CME ERROR``).
    fn set_error_reporting(&self, py: Python<'_>, mode: u8) -> PyResult<()> {
        let mode = l610::ErrorReporting::try_from(i64::from(mode)).map_err(|e| value_err(py, e))?;
        self.call(py, |m| m.set_error_reporting(mode))
    }

    /// ``ATI``: the module's identification lines (manufacturer, model, firmware).
    fn identify(&self, py: Python<'_>) -> PyResult<Vec<String>> {
        self.call(py, |m| m.identify())
    }

    /// ``AT+COPS?``: the operator line's parameters as text, e.g. ``0,0,"CHINA MOBILE",7``.
    fn operator(&self, py: Python<'_>) -> PyResult<String> {
        self.call(py, |m| m.operator())
    }

    // ---- field basics: SIM, network, identity, DNS, ping ----

    /// ``AT+CPIN?``: whether the SIM is ready (:class:`SimStatus`: ``code`` is ``"READY"``,
    /// ``"SIM PIN"``, ...). Raises :class:`CmeError` when there is no SIM.
    fn sim_status<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let s = self.call(py, |m| m.sim_status())?;
        crate::field::sim_to_py(py, s)
    }

    /// ``AT+CREG?`` / ``AT+CGREG?`` / ``AT+CEREG?`` for ``domain`` (:class:`RegistrationDomain`,
    /// default ``EPS``: an L610 registers on LTE): a :class:`Registration` (reporting mode,
    /// :class:`RegistrationStatus`, the cell in reporting mode 2).
    #[pyo3(signature = (domain=None))]
    fn registration<'py>(
        &self,
        py: Python<'py>,
        domain: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let d = match domain {
            Some(d) => crate::field::domain(py, d)?,
            None => l610::RegistrationDomain::Eps,
        };
        let r = self.call(py, |m| m.registration(d))?;
        crate::field::registration_to_py(py, r)
    }

    /// ``AT+CREG=<mode>`` (``+CGREG``, ``+CEREG`` for the other domains): with
    /// :class:`RegistrationReporting` ``STATUS`` or ``LOCATION``, changes arrive as
    /// ``Urc(kind="registration")`` (:meth:`next_urc`). Lost at a module restart.
    fn set_registration_reporting(
        &self,
        py: Python<'_>,
        domain: &Bound<'_, PyAny>,
        mode: u8,
    ) -> PyResult<()> {
        let d = crate::field::domain(py, domain)?;
        let mode = crate::field::reporting(py, mode)?;
        self.call(py, |m| m.set_registration_reporting(d, mode))
    }

    /// Registered (home or roaming) in any domain: what field clients wait for before
    /// :meth:`activate_pdp`. Sends ``AT+CEREG?``, ``AT+CGREG?``, ``AT+CREG?`` as needed.
    fn is_registered(&self, py: Python<'_>) -> PyResult<bool> {
        self.call(py, |m| m.is_registered())
    }

    /// ``AT+CSQ``: signal strength and bit error rate (:class:`SignalQuality`; ``.dbm`` is
    /// ``-113 + 2 * rssi``, ``None`` when unknown).
    fn signal_quality<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let s = self.call(py, |m| m.signal_quality())?;
        crate::field::signal_to_py(py, s)
    }

    /// ``AT+COPS?``, typed (:class:`Operator`: mode, format, name, access technology).
    fn operator_info<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let o = self.call(py, |m| m.operator_info())?;
        crate::field::operator_to_py(py, o)
    }

    /// ``AT+CGATT?``: attached to the packet domain.
    fn attached(&self, py: Python<'_>) -> PyResult<bool> {
        self.call(py, |m| m.attached())
    }

    /// ``AT+CFUN?``: 1 full functionality, 0 minimum, 4 radio off.
    fn functionality(&self, py: Python<'_>) -> PyResult<u8> {
        self.call(py, |m| m.functionality())
    }

    /// ``AT+CGMI``, ``AT+CGMM``, ``AT+CGMR``, ``AT+CGSN``, ``AT+CIMI``, ``AT+CCID``: the
    /// module's :class:`Identity` (IMSI and ICCID ``None`` when the SIM does not answer).
    fn identity<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let i = self.call(py, |m| m.identity())?;
        crate::field::identity_to_py(py, i)
    }

    /// ``AT+MIPDNS="<host>"``: resolve ``host`` through the module (a list of
    /// ``ipaddress`` addresses). Needs the PDP context; an unknown name raises
    /// :class:`AtError`.
    fn resolve<'py>(&self, py: Python<'py>, host: String) -> PyResult<Vec<Bound<'py, PyAny>>> {
        let addrs = self.call(py, move |m| m.resolve(&host))?;
        crate::field::addrs_to_py(py, addrs)
    }

    /// ``AT+MPING=1,"<host>",<count>,<size>,<ttl>,0,<timeout ms>``: ping from the module and
    /// wait for the run to end (:class:`PingReport`; round trips in seconds). Needs the PDP
    /// context. Ctrl-C stops the wait.
    #[pyo3(signature = (host, *, count=4, size=32, ttl=64, timeout=5.0))]
    fn ping<'py>(
        &self,
        py: Python<'py>,
        host: String,
        count: u8,
        size: u16,
        ttl: u8,
        timeout: f64,
    ) -> PyResult<Bound<'py, PyAny>> {
        let opts = l610::PingOptions {
            count,
            size,
            ttl,
            timeout: secs(timeout)?,
        };
        let r = self.call(py, move |m| m.ping(&host, &opts))?;
        crate::field::ping_to_py(py, r)
    }

    /// ``AT+CFUN=1,1``: restart the module and wait (up to 30 s) for its boot line. Every SSL
    /// setting and file is lost; a profile from :meth:`set_profile` is applied again before the
    /// next command.
    fn restart(&self, py: Python<'_>) -> PyResult<()> {
        self.call(py, |m| m.restart())
    }

    /// The next unsolicited line no other part of the driver consumed (:class:`Urc`), or
    /// ``None`` after ``timeout`` seconds (``None``: wait until one comes; Ctrl-C stops it).
    #[pyo3(signature = (timeout=None))]
    fn next_urc<'py>(
        &self,
        py: Python<'py>,
        timeout: Option<f64>,
    ) -> PyResult<Option<Bound<'py, PyAny>>> {
        // No deadline: `Duration::MAX` is past any `Instant`, which the driver reads as forever.
        let timeout = timeout.map(secs).transpose()?.unwrap_or(Duration::MAX);
        let got = self.call(py, |m| Ok(m.next_urc(timeout)))?;
        got.map(|u| urc_to_py(py, u)).transpose()
    }

    /// Take every queued URC without waiting (at most 256 are kept; older ones are dropped and
    /// counted in :meth:`stats`).
    fn drain_urcs<'py>(&self, py: Python<'py>) -> PyResult<Vec<Bound<'py, PyAny>>> {
        let urcs = self.call(py, |m| Ok(m.drain_urcs()))?;
        urcs.into_iter().map(|u| urc_to_py(py, u)).collect()
    }

    /// The driver's counters (:class:`Stats`): URCs dropped, module restarts seen, late
    /// answers, oversized lines, bytes received, trace lines dropped. No command is sent.
    fn stats<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let s = self.call(py, |m| Ok(m.stats()))?;
        typed(
            py,
            "Stats",
            (
                s.urc_overflow,
                s.resets,
                s.stray,
                s.oversized_lines,
                s.rx_bytes,
                self.trace.dropped(),
            ),
        )
    }

    /// The last ``transcript_lines`` lines of the AT trace (keys redacted), one per event:
    /// ``"     0.012 -> AT+GTSSLMODE?\r"``. Raises :class:`InvalidArgument` when the modem was
    /// opened without ``transcript_lines``.
    fn transcript(&self, py: Python<'_>) -> PyResult<Vec<String>> {
        self.check_transcript(py)?;
        Ok(self
            .trace
            .transcript()
            .iter()
            .map(|e| e.to_string())
            .collect())
    }

    /// The transcript as a :class:`Transcript` table (time, direction, text): shown as a table
    /// in Jupyter, ``.to_records()`` for ``pandas.DataFrame``.
    fn transcript_table<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        self.check_transcript(py)?;
        let rows = self
            .trace
            .transcript()
            .into_iter()
            .map(|e| {
                let dir = match e.direction {
                    l610::at::Direction::Tx => "tx",
                    l610::at::Direction::Rx => "rx",
                };
                typed(py, "TraceRecord", (e.elapsed.as_secs_f64(), dir, e.text))
            })
            .collect::<PyResult<Vec<_>>>()?;
        typed(py, "Transcript", (rows,))
    }

    /// Forget the transcript so far.
    fn clear_transcript(&self) {
        self.trace.clear()
    }

    /// What the module is doing, in one table (:class:`ModemStatus`): the port, the PDP
    /// context, the module clock and its offset from the host's, the TLS settings (version,
    /// verification, enabled suites), file counts and the receive format. Sends
    /// ``AT+MIPCALL?``, ``AT+CCLK?``, ``AT+GTSSLVER?``, ``AT+GTSSLMODE?``, ``AT+GTSSLFILE?``
    /// and ``AT+GTSSLCIPHER?``.
    fn status<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let (endpoint, pdp, clock, version, verify, counts, ciphers, format, resets) =
            self.call(py, |m| {
                Ok((
                    m.endpoint().unwrap_or("an unnamed transport").to_owned(),
                    m.pdp_status()?,
                    m.clock()?,
                    m.ssl_version()?,
                    m.verify_mode()?,
                    m.ssl_file_counts()?,
                    m.enabled_ciphers()?,
                    m.receive_format(),
                    m.stats().resets,
                ))
            })?;
        let (state, ip) = pdp_parts(pdp);
        let pdp = typed(py, "PdpStatus", (state, ip))?;
        let clock = time_to_py(py, clock)?;
        let files = typed(py, "FileCounts", (counts.cert, counts.key, counts.trust))?;
        let suites = typed(py, "CipherList", (suites_to_py(py, ciphers)?,))?;
        py.import("l610._types")?.getattr("_status")?.call1((
            endpoint,
            pdp,
            clock,
            typed(py, "SslVersion", (version.value(),))?,
            typed(py, "VerifyMode", (verify.value(),))?,
            files,
            suites,
            typed(py, "ReceiveFormat", (format.iprfmt(),))?,
            resets,
        ))
    }

    // ---- SSL files ----

    /// ``AT+GTSSLFILE="<type>",<len>`` then the file after ``>``: load a file of
    /// ``file_type`` (:class:`FileType`). ``source`` is the content (``bytes``, PEM or DER) or
    /// a path (``str``, ``os.PathLike``); PEM text passed as a ``str`` is refused (pass
    /// ``pem.encode()``). Checks the content, its length (4–8192 once encoded) and the module's
    /// limits (1 CERTFILE, 1 KEYFILE, 40 TRUSTFILEs) before sending anything, and verifies the
    /// upload by reading the counts back. A file this driver already loaded since the module's
    /// last restart is not uploaded again. Returns the new :class:`FileCounts`.
    ///
    /// Raises :class:`InvalidArgument` (bad content), :class:`LimitReached`,
    /// :class:`MissingFileError` (a ``FileNotFoundError``) for a path that does not exist.
    /// Files cannot be deleted; a power cycle loses them all.
    fn load_file<'py>(
        &self,
        py: Python<'py>,
        file_type: u8,
        source: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let t = file_type_checked(py, file_type)?;
        self.load(py, t, source)
    }

    /// :meth:`load_file` for a TRUSTFILE (a CA certificate the module trusts; at most 40).
    fn load_trust_file<'py>(
        &self,
        py: Python<'py>,
        source: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        self.load(py, FileType::TrustFile, source)
    }

    /// :meth:`load_file` for the CERTFILE (the client certificate; only one per power cycle).
    fn load_cert_file<'py>(
        &self,
        py: Python<'py>,
        source: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        self.load(py, FileType::CertFile, source)
    }

    /// :meth:`load_file` for the KEYFILE (the client's private key; only one per power cycle).
    /// Its bytes never appear in the trace, a repr or an error.
    fn load_key_file<'py>(
        &self,
        py: Python<'py>,
        source: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        self.load(py, FileType::KeyFile, source)
    }

    /// ``AT+GTSSLFILE?``: how many files of each type the module holds (:class:`FileCounts`).
    fn ssl_file_counts<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let c = self.call(py, |m| m.ssl_file_counts())?;
        typed(py, "FileCounts", (c.cert, c.key, c.trust))
    }

    /// ``AT+GTSSLFILE=?``: the file types and lengths the module accepts (:class:`FileSupport`;
    /// the raw lines too, since the manual documents no format).
    fn ssl_file_support<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let s = self.call(py, |m| m.ssl_file_support())?;
        let types = s
            .file_types
            .iter()
            .map(|t| typed(py, "FileType", (t.value(),)))
            .collect::<PyResult<Vec<_>>>()?;
        typed(
            py,
            "FileSupport",
            (types, s.length.map(|r| r.ranges), s.raw),
        )
    }

    // ---- verification, version, ciphers ----

    /// ``AT+GTSSLMODE=<mode>``: verify the server's certificate (:attr:`VerifyMode.VERIFY`,
    /// needs a trust file and a correct clock) or not. Lost at a module restart.
    fn set_verify_mode(&self, py: Python<'_>, mode: u8) -> PyResult<()> {
        let mode = VerifyMode::try_from(i64::from(mode)).map_err(|e| value_err(py, e))?;
        self.call(py, |m| m.set_verify_mode(mode))
    }

    /// ``AT+GTSSLMODE?``: the verification mode in force (:class:`VerifyMode`).
    fn verify_mode<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let v = self.call(py, |m| m.verify_mode())?;
        typed(py, "VerifyMode", (v.value(),))
    }

    /// ``AT+GTSSLMODE=?``: the verification modes the module supports.
    fn verify_mode_support(&self, py: Python<'_>) -> PyResult<Vec<i64>> {
        self.call(py, |m| m.verify_mode_support().map(|r| r.values()))
    }

    /// ``AT+GTSSLVER=<version>``: the TLS version to offer (:class:`SslVersion`). The
    /// manual's module starts at TLS 1.0, which current servers refuse: use TLS 1.2. Lost at a
    /// module restart.
    fn set_ssl_version(&self, py: Python<'_>, version: u8) -> PyResult<()> {
        let v = SslVersion::try_from(i64::from(version)).map_err(|e| value_err(py, e))?;
        self.call(py, |m| m.set_ssl_version(v))
    }

    /// ``AT+GTSSLVER?``: the version in force (:class:`SslVersion`; hardware reports the
    /// undocumented ``UNSPECIFIED`` (0) after power-up).
    fn ssl_version<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let v = self.call(py, |m| m.ssl_version())?;
        typed(py, "SslVersion", (v.value(),))
    }

    /// ``AT+GTSSLVER=?``: the versions the module supports.
    fn ssl_version_support<'py>(&self, py: Python<'py>) -> PyResult<Vec<Bound<'py, PyAny>>> {
        let vs = self.call(py, |m| m.ssl_version_support())?;
        vs.into_iter()
            .map(|v| typed(py, "SslVersion", (v.value(),)))
            .collect()
    }

    /// ``AT+GTSSLCIPHER=<id>,<cmd>``: enable or disable one suite, given as a
    /// :class:`CipherSuite`, its ID or its name (manual or IANA spelling). Lost at a restart.
    #[pyo3(signature = (suite, enabled=true))]
    fn set_cipher(&self, py: Python<'_>, suite: &Bound<'_, PyAny>, enabled: bool) -> PyResult<()> {
        let s = suite_arg(py, suite)?;
        self.call(py, |m| m.set_cipher(s, enabled))
    }

    /// ``AT+GTSSLCIPHER?``: the enabled suites (a :class:`CipherList`; empty means the
    /// module's defaults).
    fn enabled_ciphers<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let cs = self.call(py, |m| m.enabled_ciphers())?;
        typed(py, "CipherList", (suites_to_py(py, cs)?,))
    }

    /// Enable exactly ``suites`` (enable each, disable the others, read the list back) and
    /// return the enabled list (:class:`CipherList`). An empty list restores the defaults.
    /// Raises :class:`UnexpectedResponse` when the module's list does not match afterwards.
    fn set_enabled_ciphers<'py>(
        &self,
        py: Python<'py>,
        suites: Vec<Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let ss = suites
            .iter()
            .map(|s| suite_arg(py, s))
            .collect::<PyResult<Vec<_>>>()?;
        let cs = self.call(py, |m| m.set_enabled_ciphers(&ss))?;
        typed(py, "CipherList", (suites_to_py(py, cs)?,))
    }

    /// ``AT+GTSSLCIPHER=?``: the ``<cipalgID>`` values and the ``<cmd>`` values supported.
    fn cipher_support(&self, py: Python<'_>) -> PyResult<(Vec<i64>, Vec<i64>)> {
        self.call(py, |m| {
            m.cipher_support()
                .map(|(ids, cmds)| (ids.values(), cmds.values()))
        })
    }

    /// ``AT+GTSSLERR?``: the error of the last TLS connection (:class:`SslErrorCode`, or the
    /// plain int for a code the manual does not list; ``NORMAL`` when there was none).
    fn ssl_error<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let c = self.call(py, |m| m.ssl_error())?;
        py.import("l610._errors")?
            .getattr("_ssl_error_code")?
            .call1((c.code(),))
    }

    /// ``AT+GTSSLERR`` (the execute form): the same answer as :meth:`ssl_error`.
    fn ssl_error_exec<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let c = self.call(py, |m| m.ssl_error_exec())?;
        py.import("l610._errors")?
            .getattr("_ssl_error_code")?
            .call1((c.code(),))
    }

    // ---- profile ----

    /// Remember ``profile`` (:class:`TlsProfile`) and apply it now (:meth:`apply_profile`);
    /// with ``auto_reapply`` apply it again before the next command after every module restart.
    /// Returns the :class:`ProfileReport` of what was uploaded and skipped.
    #[pyo3(signature = (profile, auto_reapply=true))]
    fn set_profile<'py>(
        &self,
        py: Python<'py>,
        profile: &Bound<'py, PyAny>,
        auto_reapply: bool,
    ) -> PyResult<Bound<'py, PyAny>> {
        let p = profile_from(py, profile)?;
        let r = self.call(py, move |m| m.set_profile(p, auto_reapply))?;
        report_to_py(py, &r)
    }

    /// Apply every setting of ``profile``: ``AT+GTSSLVER``, ``AT+GTSSLMODE``,
    /// ``AT+GTSSLCIPHER`` and the files (``AT+GTSSLFILE``). A file is uploaded unless this
    /// driver loaded the same file since the module's last restart. Returns a
    /// :class:`ProfileReport`: each file uploaded or skipped, and the files the module holds
    /// that this driver did not load (``foreign``; they stay trusted until a power cycle).
    ///
    /// Raises :class:`LimitReached`, before uploading anything, when the module holds a
    /// CERTFILE/KEYFILE this driver did not load or the trust files would exceed 40: files
    /// cannot be deleted, so power-cycle the module and apply the profile again.
    fn apply_profile<'py>(
        &self,
        py: Python<'py>,
        profile: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let p = profile_from(py, profile)?;
        let r = self.call(py, move |m| m.apply_profile(&p))?;
        report_to_py(py, &r)
    }

    /// Apply the profile remembered by :meth:`set_profile` again now (:class:`ProfileReport`).
    /// Raises :class:`InvalidArgument` when none was set.
    fn reapply_profile<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let r = self.call(py, |m| m.reapply_profile())?;
        report_to_py(py, &r)
    }

    // ---- PDP context ----

    /// ``AT+MIPCALL=1[,"<apn>"[,"<user>","<password>"]]``, then wait (up to ``pdp_timeout``,
    /// 150 s) for ``+MIPCALL: <ip>``: bring up the data connection sockets need. Returns the
    /// module's IP address. Give both ``user`` and ``password`` or neither; the password never
    /// appears in an error. Raises :class:`ConnectionFailed` when activation fails.
    #[pyo3(signature = (apn=None, user=None, password=None))]
    fn activate_pdp(
        &self,
        py: Python<'_>,
        apn: Option<String>,
        user: Option<String>,
        password: Option<String>,
    ) -> PyResult<String> {
        let credentials = match (user, password) {
            (Some(u), Some(p)) => Some((u, p)),
            (None, None) => None,
            _ => {
                return Err(to_pyerr(
                    py,
                    l610::Error::InvalidArgument("give both user and password, or neither".into()),
                ))
            }
        };
        let cfg = PdpConfig { apn, credentials };
        self.call(py, move |m| m.activate_pdp(&cfg))
    }

    /// ``AT+MIPCALL=0``: take the data connection down (open sockets close).
    fn deactivate_pdp(&self, py: Python<'_>) -> PyResult<()> {
        self.call(py, |m| m.deactivate_pdp())
    }

    /// ``AT+MIPCALL?``: the PDP context's state and IP (:class:`PdpStatus`).
    fn pdp_status<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let s = self.call(py, |m| m.pdp_status())?;
        let (state, ip) = pdp_parts(s);
        typed(py, "PdpStatus", (state, ip))
    }

    // ---- clock ----

    /// ``AT+CCLK?``: the module clock (a ``datetime``, aware when the module reports a zone).
    /// Certificates are checked against it.
    fn clock<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let t = self.call(py, |m| m.clock())?;
        time_to_py(py, t)
    }

    /// ``AT+CCLK="yy/MM/dd,hh:mm:ss±zz"``: set the module clock from a ``datetime`` (naive: no
    /// zone is sent). Lost at a power cycle.
    fn set_clock(&self, py: Python<'_>, when: &Bound<'_, PyAny>) -> PyResult<()> {
        let (year, month, day, hour, minute, second, zone_quarters): (
            u16,
            u8,
            u8,
            u8,
            u8,
            u8,
            Option<i8>,
        ) = py
            .import("l610._types")?
            .getattr("_module_from_datetime")?
            .call1((when,))?
            .extract()?;
        let t = ModuleTime {
            year,
            month,
            day,
            hour,
            minute,
            second,
            zone_quarters,
        };
        self.call(py, |m| m.set_clock(&t))
    }

    /// Set the module clock to the host's UTC time (``AT+CCLK``) and return what was set.
    /// Needed before verified connections on a module without network time.
    fn set_clock_from_host<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let t = self.call(py, |m| m.set_clock_from_host())?;
        time_to_py(py, t)
    }

    // ---- sockets ----

    /// ``AT+GTSET="IPRFMT",<n>``: how the module delivers received data
    /// (:class:`ReceiveFormat`; ``RAW`` is binary-safe and half the bytes on the line).
    /// Sockets work the same in every format. Lost at a module restart.
    fn set_receive_format(&self, py: Python<'_>, format: u8) -> PyResult<()> {
        let f = receive_format_from_iprfmt(i64::from(format)).map_err(|e| value_err(py, e))?;
        self.call(py, |m| m.set_receive_format(f))
    }

    /// The receive format the driver believes is in force (no command is sent).
    fn receive_format<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let f = self.call(py, |m| Ok(m.receive_format()))?;
        typed(py, "ReceiveFormat", (f.iprfmt(),))
    }

    /// ``AT+MIPOPEN?``: the socket ids (1–6) the module lists as free.
    fn free_socket_ids(&self, py: Python<'_>) -> PyResult<Vec<u32>> {
        self.call(py, |m| m.free_socket_ids().map(ids))
    }

    /// ``AT+MIPCLOSE?``: the socket ids the module lists as open.
    fn open_socket_ids(&self, py: Python<'_>) -> PyResult<Vec<u32>> {
        self.call(py, |m| m.open_socket_ids().map(ids))
    }

    /// ``AT+MIPOPEN=<id>,,"<host>",<port>,2``: open a TLS connection with the module's current
    /// ``+GTSSL*`` settings and return a :class:`Socket` (the socket API ``http.client`` uses).
    ///
    /// ``timeout`` overrides ``open_timeout`` (75 s); ``id`` picks the socket id,
    /// ``source_port`` the local port.
    ///
    /// Raises :class:`ClockSkew` before connecting when verification is on, ``check_clock`` is
    /// true and the module clock is more than a day off the host's; :class:`SslError` with the
    /// module's ``+GTSSLERR`` code and a diagnosis (no trust file, the clock, the TLS version the
    /// module is set to) when the handshake fails; :class:`ConnectionFailed` saying to call
    /// :meth:`activate_pdp` without a PDP context; :class:`LimitReached` when no socket id is
    /// free.
    #[pyo3(signature = (host, port, *, timeout=None, check_clock=true, id=None, source_port=None))]
    #[allow(clippy::too_many_arguments)]
    fn open_tls(
        &self,
        py: Python<'_>,
        host: String,
        port: u16,
        timeout: Option<f64>,
        check_clock: bool,
        id: Option<u8>,
        source_port: Option<u16>,
    ) -> PyResult<Socket> {
        self.open_sock(
            py,
            Protocol::Tls,
            host,
            port,
            timeout,
            check_clock,
            id,
            source_port,
        )
    }

    /// ``AT+MIPOPEN=<id>,,"<host>",<port>,0``: open a plain TCP connection (:class:`Socket`).
    /// A refused connection raises :class:`ConnectionFailed` saying what to check.
    #[pyo3(signature = (host, port, *, timeout=None, id=None, source_port=None))]
    fn open_tcp(
        &self,
        py: Python<'_>,
        host: String,
        port: u16,
        timeout: Option<f64>,
        id: Option<u8>,
        source_port: Option<u16>,
    ) -> PyResult<Socket> {
        self.open_sock(
            py,
            Protocol::Tcp,
            host,
            port,
            timeout,
            true,
            id,
            source_port,
        )
    }
}

impl Modem {
    fn check_transcript(&self, py: Python<'_>) -> PyResult<()> {
        if self.trace.capacity() == 0 {
            return Err(to_pyerr(
                py,
                l610::Error::InvalidArgument(
                    "no transcript is kept: open the modem with transcript_lines=N (or enable the `l610` logger at DEBUG)".into(),
                ),
            ));
        }
        Ok(())
    }
}

fn pdp_parts(s: PdpStatus) -> (&'static str, Option<String>) {
    match s {
        PdpStatus::Inactive => ("inactive", None),
        PdpStatus::Active(ip) => ("active", Some(ip)),
        PdpStatus::Busy => ("busy", None),
    }
}

fn file_type_checked(py: Python<'_>, t: u8) -> PyResult<FileType> {
    file_type(py, t)
}

fn suites_to_py(py: Python<'_>, cs: Vec<CipherSuite>) -> PyResult<Vec<Bound<'_, PyAny>>> {
    cs.into_iter()
        .map(|c| typed(py, "CipherSuite", (c.id(),)))
        .collect()
}

/// Socket ids as a list of ints (a `Vec<u8>` would become `bytes`).
pub(crate) fn ids(v: Vec<u8>) -> Vec<u32> {
    v.into_iter().map(u32::from).collect()
}
