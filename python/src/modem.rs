//! `l610.Modem`: the driver's `Modem`, shared behind an `Arc` so any Python thread can use it.

use std::sync::{Arc, RwLock};
use std::time::Duration;

use l610::at::Command;
use l610::proto::commands::receive_format_from_iprfmt;
use l610::proto::ValueError;
use l610::{
    CipherSuite, FileType, ModemBuilder, ModuleTime, OpenOptions, PdpConfig, PdpStatus, Protocol,
    SslVersion, TlsProfile, Urc, VerifyMode,
};
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict, PyTuple};

use crate::blocking;
use crate::errors::to_pyerr;
use crate::sim::Simulator;
use crate::socket::Socket;
use crate::trace::Trace;

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

/// Bytes (bytes, bytearray, memoryview) or a path (str, os.PathLike).
pub(crate) fn bytes_or_path(obj: &Bound<'_, PyAny>) -> PyResult<Source> {
    if obj.is_instance_of::<pyo3::types::PyString>() {
        return Ok(Source::Path(obj.extract()?));
    }
    match obj.extract::<Vec<u8>>() {
        Ok(b) => Ok(Source::Bytes(b)),
        Err(_) => Ok(Source::Path(obj.extract()?)),
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

/// A connected L610 (`l610.Modem(port, baudrate=115200, timeout=5.0)`).
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
        blocking::run(py, Some(&self.trace), || f(&m))
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

#[pymethods]
impl Modem {
    #[new]
    #[pyo3(signature = (port, baudrate=115200, timeout=5.0, *, open_timeout=None, pdp_timeout=None, upload_timeout=None, probe=true, transcript_lines=10000))]
    #[allow(clippy::too_many_arguments)]
    fn new(
        py: Python<'_>,
        port: String,
        baudrate: u32,
        timeout: f64,
        open_timeout: Option<f64>,
        pdp_timeout: Option<f64>,
        upload_timeout: Option<f64>,
        probe: bool,
        transcript_lines: usize,
    ) -> PyResult<Modem> {
        let trace = Trace::new(transcript_lines);
        let b = builder(
            timeout,
            open_timeout,
            pdp_timeout,
            upload_timeout,
            probe,
            &trace,
        )?;
        let modem = blocking::run(py, Some(&trace), move || b.open(&port, baudrate))?;
        Ok(Modem {
            inner: RwLock::new(Some(Arc::new(modem))),
            trace,
            _sim: None,
        })
    }

    /// Drive a `Simulator`: over its in-memory socket when it has one, else over its pty.
    #[staticmethod]
    #[pyo3(signature = (sim, timeout=5.0, *, open_timeout=None, pdp_timeout=None, upload_timeout=None, probe=true, transcript_lines=10000))]
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
        let trace = Trace::new(transcript_lines);
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
            Some(stream) => blocking::run(py, Some(&trace), move || b.connect(stream))?,
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

    /// Close the port (sockets still open keep the line until they are closed).
    fn close(&self, py: Python<'_>) {
        let m = self.inner.write().unwrap_or_else(|e| e.into_inner()).take();
        // Dropping stops the reader thread, which can take one read timeout.
        py.detach(move || drop(m));
    }

    #[getter]
    fn closed(&self) -> bool {
        self.inner
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .is_none()
    }

    fn __enter__(slf: Py<Self>) -> Py<Self> {
        slf
    }

    #[pyo3(signature = (*_args))]
    fn __exit__(&self, py: Python<'_>, _args: &Bound<'_, PyTuple>) -> bool {
        self.close(py);
        false
    }

    fn __repr__(&self) -> String {
        match &*self.inner.read().unwrap_or_else(|e| e.into_inner()) {
            Some(m) => format!("<l610.Modem {:?}>", m.config()),
            None => "<l610.Modem closed>".into(),
        }
    }

    // ---- the AT escape hatch and housekeeping ----

    /// Send `AT<body>`; return the response lines. A `payload` (written after the `>` prompt)
    /// is kept out of the trace unless `trace_payload`; `redact_payload` also redacts every line
    /// received while the command runs (for key material).
    #[allow(clippy::too_many_arguments)]
    #[pyo3(signature = (body, *, expects=Vec::new(), bare_lines=false, timeout=None, payload=None, redact_payload=false, trace_payload=false))]
    fn command(
        &self,
        py: Python<'_>,
        body: String,
        expects: Vec<String>,
        bare_lines: bool,
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
        let mut cmd = Command::new(body);
        for e in &expects {
            cmd = cmd.expects(e);
        }
        if bare_lines {
            cmd = cmd.bare_lines();
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

    fn probe(&self, py: Python<'_>) -> PyResult<()> {
        self.call(py, |m| m.probe())
    }

    fn set_echo(&self, py: Python<'_>, on: bool) -> PyResult<()> {
        self.call(py, |m| m.set_echo(on))
    }

    fn set_error_reporting(&self, py: Python<'_>, mode: u8) -> PyResult<()> {
        let mode = l610::ErrorReporting::try_from(i64::from(mode)).map_err(|e| value_err(py, e))?;
        self.call(py, |m| m.set_error_reporting(mode))
    }

    fn identify(&self, py: Python<'_>) -> PyResult<Vec<String>> {
        self.call(py, |m| m.identify())
    }

    fn operator(&self, py: Python<'_>) -> PyResult<String> {
        self.call(py, |m| m.operator())
    }

    fn restart(&self, py: Python<'_>) -> PyResult<()> {
        self.call(py, |m| m.restart())
    }

    /// The next unhandled URC, or None after `timeout` seconds (None: wait forever).
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

    fn drain_urcs<'py>(&self, py: Python<'py>) -> PyResult<Vec<Bound<'py, PyAny>>> {
        let urcs = self.call(py, |m| Ok(m.drain_urcs()))?;
        urcs.into_iter().map(|u| urc_to_py(py, u)).collect()
    }

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
            ),
        )
    }

    /// The AT trace so far (keys redacted), one line per event.
    fn transcript(&self) -> Vec<String> {
        self.trace.transcript()
    }

    fn clear_transcript(&self) {
        self.trace.clear()
    }

    // ---- SSL files ----

    /// Load a file of `file_type` from bytes (PEM or DER) or from a path.
    fn load_file<'py>(
        &self,
        py: Python<'py>,
        file_type: u8,
        source: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let t = file_type_checked(py, file_type)?;
        self.load(py, t, source)
    }

    /// Load a TRUSTFILE (CA certificate) from bytes or a path.
    fn load_trust_file<'py>(
        &self,
        py: Python<'py>,
        source: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        self.load(py, FileType::TrustFile, source)
    }

    /// Load the CERTFILE (client certificate) from bytes or a path.
    fn load_cert_file<'py>(
        &self,
        py: Python<'py>,
        source: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        self.load(py, FileType::CertFile, source)
    }

    /// Load the KEYFILE (client key) from bytes or a path; it never appears in the trace.
    fn load_key_file<'py>(
        &self,
        py: Python<'py>,
        source: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        self.load(py, FileType::KeyFile, source)
    }

    fn ssl_file_counts<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let c = self.call(py, |m| m.ssl_file_counts())?;
        typed(py, "FileCounts", (c.cert, c.key, c.trust))
    }

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

    fn set_verify_mode(&self, py: Python<'_>, mode: u8) -> PyResult<()> {
        let mode = VerifyMode::try_from(i64::from(mode)).map_err(|e| value_err(py, e))?;
        self.call(py, |m| m.set_verify_mode(mode))
    }

    fn verify_mode<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let v = self.call(py, |m| m.verify_mode())?;
        typed(py, "VerifyMode", (v.value(),))
    }

    fn verify_mode_support(&self, py: Python<'_>) -> PyResult<Vec<i64>> {
        self.call(py, |m| m.verify_mode_support().map(|r| r.values()))
    }

    fn set_ssl_version(&self, py: Python<'_>, version: u8) -> PyResult<()> {
        let v = SslVersion::try_from(i64::from(version)).map_err(|e| value_err(py, e))?;
        self.call(py, |m| m.set_ssl_version(v))
    }

    fn ssl_version<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let v = self.call(py, |m| m.ssl_version())?;
        typed(py, "SslVersion", (v.value(),))
    }

    fn ssl_version_support<'py>(&self, py: Python<'py>) -> PyResult<Vec<Bound<'py, PyAny>>> {
        let vs = self.call(py, |m| m.ssl_version_support())?;
        vs.into_iter()
            .map(|v| typed(py, "SslVersion", (v.value(),)))
            .collect()
    }

    /// Enable or disable one suite, given as a `CipherSuite`, its ID or its name.
    #[pyo3(signature = (suite, enabled=true))]
    fn set_cipher(&self, py: Python<'_>, suite: &Bound<'_, PyAny>, enabled: bool) -> PyResult<()> {
        let s = suite_arg(py, suite)?;
        self.call(py, |m| m.set_cipher(s, enabled))
    }

    fn enabled_ciphers<'py>(&self, py: Python<'py>) -> PyResult<Vec<Bound<'py, PyAny>>> {
        let cs = self.call(py, |m| m.enabled_ciphers())?;
        suites_to_py(py, cs)
    }

    fn set_enabled_ciphers<'py>(
        &self,
        py: Python<'py>,
        suites: Vec<Bound<'py, PyAny>>,
    ) -> PyResult<Vec<Bound<'py, PyAny>>> {
        let ss = suites
            .iter()
            .map(|s| suite_arg(py, s))
            .collect::<PyResult<Vec<_>>>()?;
        let cs = self.call(py, |m| m.set_enabled_ciphers(&ss))?;
        suites_to_py(py, cs)
    }

    fn cipher_support(&self, py: Python<'_>) -> PyResult<(Vec<i64>, Vec<i64>)> {
        self.call(py, |m| {
            m.cipher_support()
                .map(|(ids, cmds)| (ids.values(), cmds.values()))
        })
    }

    fn ssl_error<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let c = self.call(py, |m| m.ssl_error())?;
        py.import("l610._errors")?
            .getattr("_ssl_error_code")?
            .call1((c.code(),))
    }

    fn ssl_error_exec<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let c = self.call(py, |m| m.ssl_error_exec())?;
        py.import("l610._errors")?
            .getattr("_ssl_error_code")?
            .call1((c.code(),))
    }

    // ---- profile ----

    #[pyo3(signature = (profile, auto_reapply=true))]
    fn set_profile(
        &self,
        py: Python<'_>,
        profile: &Bound<'_, PyAny>,
        auto_reapply: bool,
    ) -> PyResult<()> {
        let p = profile_from(py, profile)?;
        self.call(py, move |m| m.set_profile(p, auto_reapply))
    }

    fn apply_profile(&self, py: Python<'_>, profile: &Bound<'_, PyAny>) -> PyResult<()> {
        let p = profile_from(py, profile)?;
        self.call(py, move |m| m.apply_profile(&p))
    }

    fn reapply_profile(&self, py: Python<'_>) -> PyResult<()> {
        self.call(py, |m| m.reapply_profile())
    }

    // ---- PDP context ----

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

    fn deactivate_pdp(&self, py: Python<'_>) -> PyResult<()> {
        self.call(py, |m| m.deactivate_pdp())
    }

    fn pdp_status<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let s = self.call(py, |m| m.pdp_status())?;
        let (state, ip) = match s {
            PdpStatus::Inactive => ("inactive", None),
            PdpStatus::Active(ip) => ("active", Some(ip)),
            PdpStatus::Busy => ("busy", None),
        };
        typed(py, "PdpStatus", (state, ip))
    }

    // ---- clock ----

    fn clock<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let t = self.call(py, |m| m.clock())?;
        time_to_py(py, t)
    }

    /// Set the module clock from a `datetime` (naive: no zone is sent).
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

    fn set_clock_from_host<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let t = self.call(py, |m| m.set_clock_from_host())?;
        time_to_py(py, t)
    }

    // ---- sockets ----

    fn set_receive_format(&self, py: Python<'_>, format: u8) -> PyResult<()> {
        let f = receive_format_from_iprfmt(i64::from(format)).map_err(|e| value_err(py, e))?;
        self.call(py, |m| m.set_receive_format(f))
    }

    fn receive_format<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let f = self.call(py, |m| Ok(m.receive_format()))?;
        typed(py, "ReceiveFormat", (f.iprfmt(),))
    }

    fn free_socket_ids(&self, py: Python<'_>) -> PyResult<Vec<u32>> {
        self.call(py, |m| m.free_socket_ids().map(ids))
    }

    fn open_socket_ids(&self, py: Python<'_>) -> PyResult<Vec<u32>> {
        self.call(py, |m| m.open_socket_ids().map(ids))
    }

    /// Open a TLS connection with the current `+GTSSL*` settings.
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

    /// Open a plain TCP connection.
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
