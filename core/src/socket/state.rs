//! Where a socket stands, in the words the bindings report.

use std::fmt;

/// Where a socket stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SocketState {
    /// Not in use by this handle any more (closed by this host and released).
    Free,
    /// `AT+MIPOPEN` sent; waiting for `+MIPOPEN: <id>,<state>`.
    Opening,
    /// Connected.
    Open,
    /// `+MIPOPEN: <id>,0`, or a `+MIPSTAT`/`+MIPCLOSE` during opening.
    Failed(String),
    /// Closed: by the peer, by the module's stack, by this host, or by a module restart.
    Closed(String),
}

impl From<l610_proto::SocketState> for SocketState {
    fn from(s: l610_proto::SocketState) -> Self {
        use l610_proto::{CloseReason, SocketState as P};
        match s {
            P::Opening => SocketState::Opening,
            P::Open => SocketState::Open,
            P::Closed(CloseReason::OpenFailed) => {
                SocketState::Failed(CloseReason::OpenFailed.describe().to_owned())
            }
            P::Closed(r) => SocketState::Closed(r.describe().to_owned()),
            P::Released => SocketState::Free,
        }
    }
}

impl fmt::Display for SocketState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SocketState::Free => f.write_str("free"),
            SocketState::Opening => f.write_str("opening"),
            SocketState::Open => f.write_str("open"),
            SocketState::Failed(why) | SocketState::Closed(why) => f.write_str(why),
        }
    }
}
