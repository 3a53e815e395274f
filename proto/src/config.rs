//! Timeouts and bounds of a [`Session`](crate::Session). Defaults follow the manual and field
//! reports.

use core::time::Duration;

/// What the session waits for and how much it keeps. Every size that comes off the wire is
/// bounded here; overflow is a counted, typed condition, never an allocation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionConfig {
    /// Final result of an ordinary command (the manual says < 1 s): 5 s.
    pub command_timeout: Duration,
    /// The `>` prompt after `+GTSSLFILE=`/`+MIPSEND=`: 5 s, then ESC cancels data mode.
    pub prompt_timeout: Duration,
    /// After a timeout the line must be quiet this long before the next command: 150 ms.
    pub quiet_period: Duration,
    /// ... but the drain never takes longer than this: 2 s.
    pub drain_limit: Duration,
    /// A raw payload that gets no byte for this long is discarded as a framing error: 2 s.
    pub payload_stall: Duration,
    /// Longest line accepted (a hex `+MIPRTCP` line is twice its payload): 64 KiB.
    pub max_line: usize,
    /// Longest raw `+MIPRTCP` payload accepted (the module sends ≤ 1460): 64 KiB.
    pub max_payload: usize,
    /// Most response lines one command keeps (`ATI` on a broken module may never stop): 256.
    pub max_response_lines: usize,
    /// Most response bytes one command keeps (as received, without line ends): 64 KiB.
    pub max_response_bytes: usize,
    /// Unhandled URCs kept: 256 (the oldest are dropped and counted beyond).
    pub urc_capacity: usize,
    /// Events kept for the driver: 4096 (beyond that the oldest are dropped and counted,
    /// notifications before `CommandDone`; outcomes themselves are kept until taken).
    pub event_capacity: usize,
    /// Received bytes kept per socket while the application is not reading: 1 MiB.
    pub socket_buffer: usize,
    /// Commands waiting behind the one in flight: 64.
    pub max_queued: usize,
    /// Produce [`Event::Trace`](crate::Event::Trace) events: off.
    pub trace: bool,
}

impl Default for SessionConfig {
    fn default() -> Self {
        SessionConfig {
            command_timeout: Duration::from_secs(5),
            prompt_timeout: Duration::from_secs(5),
            quiet_period: Duration::from_millis(150),
            drain_limit: Duration::from_secs(2),
            payload_stall: Duration::from_secs(2),
            max_line: 64 * 1024,
            max_payload: 64 * 1024,
            max_response_lines: 256,
            max_response_bytes: 64 * 1024,
            urc_capacity: 256,
            event_capacity: 4096,
            socket_buffer: 1 << 20,
            max_queued: 64,
            trace: false,
        }
    }
}
