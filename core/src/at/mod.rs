//! The AT layer: the session of `l610-proto` driven over a port by threads.
//!
//! Everything about the protocol (framing, classification, the command lifecycle, URCs, socket
//! slots, bounds) is decided in `l610-proto`; this layer moves bytes and time into the session
//! and turns its outcomes into return values.

pub(crate) mod engine;
mod trace;

pub use l610_proto::framing::{Frame, Framer};
pub use l610_proto::params;
pub use l610_proto::{
    Command, CommandId, FramingError, Outcome, ReceiveFormat, Response, Session, SessionConfig,
    Stats, Urc, Waiting,
};
pub use trace::{escape, Direction, TraceEvent, TraceSink};
