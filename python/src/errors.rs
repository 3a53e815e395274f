//! The one mapping from `l610::Error` to the exception classes of `l610._errors`.

use l610::{Error, ErrorKind};
use pyo3::exceptions::{PyKeyboardInterrupt, PyRuntimeError};
use pyo3::prelude::*;
use pyo3::types::PyDict;

/// The exception class (in `l610._errors`) for each stable error kind.
fn class_name(kind: ErrorKind) -> &'static str {
    match kind {
        ErrorKind::InvalidArgument => "InvalidArgument",
        ErrorKind::LimitReached => "LimitReached",
        ErrorKind::Timeout => "TimeoutError",
        ErrorKind::AtError => "AtError",
        ErrorKind::Cme => "CmeError",
        ErrorKind::Ssl => "SslError",
        ErrorKind::ConnectionFailed => "ConnectionFailed",
        ErrorKind::ClockSkew => "ClockSkew",
        ErrorKind::ModuleReset => "ModuleResetError",
        ErrorKind::Closed => "Closed",
        ErrorKind::Overflow => "Overflow",
        ErrorKind::UnexpectedResponse => "UnexpectedResponse",
        ErrorKind::Port => "PortError",
        ErrorKind::Io => "IoError",
        // A kind added to the core later still raises something catchable as L610Error.
        _ => "L610Error",
    }
}

const KINDS: [ErrorKind; 14] = [
    ErrorKind::InvalidArgument,
    ErrorKind::LimitReached,
    ErrorKind::Timeout,
    ErrorKind::AtError,
    ErrorKind::Cme,
    ErrorKind::Ssl,
    ErrorKind::ConnectionFailed,
    ErrorKind::ClockSkew,
    ErrorKind::ModuleReset,
    ErrorKind::Closed,
    ErrorKind::Overflow,
    ErrorKind::UnexpectedResponse,
    ErrorKind::Port,
    ErrorKind::Io,
];

/// `(kind number, exception class name)` for every core error kind (tests check the table).
#[pyfunction]
pub(crate) fn error_kinds() -> Vec<(u32, &'static str)> {
    KINDS.iter().map(|k| (*k as u32, class_name(*k))).collect()
}

/// Build the Python exception for a driver error: the class from [`class_name`], the core's
/// message, and each field of the variant as an attribute.
///
/// `Cancelled` is no `L610Error`: in Python only a signal cancels a call, and `blocking::run`
/// raises what the signal handler raised. Should the driver report it otherwise, it is the
/// builtin `KeyboardInterrupt`, as an interrupted call is in Python.
pub(crate) fn to_pyerr(py: Python<'_>, e: Error) -> PyErr {
    if e.kind() == ErrorKind::Cancelled {
        return PyKeyboardInterrupt::new_err(e.to_string());
    }
    build(py, &e)
        .unwrap_or_else(|inner| PyRuntimeError::new_err(format!("{e} (while raising it: {inner})")))
}

fn build(py: Python<'_>, e: &Error) -> PyResult<PyErr> {
    let module = py.import("l610._errors")?;
    let kind = e.kind();
    let errno = e.errno();
    // Port and I/O errors are OSErrors with an errno, as pyserial raises them; the class also
    // derives from the builtin subclass for that errno (FileNotFoundError, PermissionError).
    let os_error = matches!(kind, ErrorKind::Port | ErrorKind::Io);
    let class = if os_error {
        module
            .getattr("_os_error_class")?
            .call1((class_name(kind), errno))?
    } else {
        module.getattr(class_name(kind))?
    };
    let attrs = PyDict::new(py);
    attrs.set_item("kind", kind as u32)?;
    match e {
        Error::Timeout { waiting_for, after } => {
            attrs.set_item("waiting_for", waiting_for)?;
            attrs.set_item("after", after.as_secs_f64())?;
        }
        Error::AtError { command } => attrs.set_item("command", command)?,
        Error::Cme {
            command,
            code,
            text,
        } => {
            attrs.set_item("command", command)?;
            attrs.set_item("code", code)?;
            attrs.set_item("text", text)?;
        }
        Error::Ssl { code, diagnosis } => {
            attrs.set_item(
                "code",
                module.getattr("_ssl_error_code")?.call1((code.code(),))?,
            )?;
            attrs.set_item("diagnosis", diagnosis)?;
        }
        Error::ClockSkew {
            module: m,
            host,
            skew_hours,
        } => {
            attrs.set_item("module_clock", m)?;
            attrs.set_item("host_clock", host)?;
            attrs.set_item("skew_hours", skew_hours)?;
        }
        Error::ModuleReset { during } => attrs.set_item("during", during)?,
        Error::Overflow { socket, dropped } => {
            attrs.set_item("socket", socket)?;
            attrs.set_item("dropped", dropped)?;
        }
        Error::UnexpectedResponse { command, response } => {
            attrs.set_item("command", command)?;
            attrs.set_item("response", response)?;
        }
        Error::Port { path, .. } => {
            attrs.set_item("path", path)?;
            attrs.set_item("filename", path)?;
        }
        _ => {}
    }
    let instance = match (os_error, errno) {
        (true, Some(n)) => class.call1((n, e.to_string()))?,
        _ => {
            // An OSError subclass (TimeoutError) has the attribute already; the others get it
            // on the instance, `None` where no errno fits.
            attrs.set_item("errno", errno)?;
            class.call1((e.to_string(),))?
        }
    };
    for (k, v) in attrs.iter() {
        instance.setattr(k.str()?, v)?;
    }
    Ok(PyErr::from_value(instance))
}
