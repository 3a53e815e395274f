//! The one error of the pure build/parse layer: a value that cannot be sent or was not understood.

use alloc::string::String;
use core::fmt;

/// A value refused before anything is sent (`what` says which and why), or a value from the
/// module that does not parse. Drivers map the first to an invalid-argument error and the second,
/// when it came off the wire, to an unexpected-response error.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValueError(pub String);

impl ValueError {
    pub(crate) fn new(msg: impl Into<String>) -> Self {
        ValueError(msg.into())
    }
}

impl fmt::Display for ValueError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl core::error::Error for ValueError {}
