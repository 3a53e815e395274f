//! The AT engine: framing, classification, the command runner, URCs, trace.

mod command;
pub(crate) mod engine;
mod framing;
pub mod params;
mod parser;
mod trace;
mod urc;

pub use command::{Command, Response};
pub use framing::{Frame, Framer, ReceiveFormat};
pub use parser::{Outcome, Parser, Stats};
pub use trace::{escape, Direction, TraceEvent, TraceSink};
pub use urc::Urc;
