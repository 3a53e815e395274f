//! Misbehaviour a test can ask of the module, to exercise a driver's recovery paths.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::Sender;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::engine::Event;
use crate::output::Output;

#[derive(Default)]
pub(crate) struct FaultFlags {
    response_delay: Mutex<Duration>,
    drop_next_final: AtomicBool,
    swallow_next_prompt: AtomicBool,
}

impl FaultFlags {
    pub(crate) fn response_delay(&self) -> Duration {
        *self.response_delay.lock().unwrap()
    }

    pub(crate) fn take_drop_final(&self) -> bool {
        self.drop_next_final.swap(false, Ordering::SeqCst)
    }

    pub(crate) fn take_swallow_prompt(&self) -> bool {
        self.swallow_next_prompt.swap(false, Ordering::SeqCst)
    }
}

/// Handle to inject faults into a running [`Sim`](crate::Sim). Cheap to clone; every method
/// takes `&self` and acts at once.
#[derive(Clone)]
pub struct Faults {
    pub(crate) flags: Arc<FaultFlags>,
    pub(crate) output: Arc<Output>,
    pub(crate) events: Sender<Event>,
}

impl std::fmt::Debug for Faults {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Faults").finish_non_exhaustive()
    }
}

impl Faults {
    /// Wait `d` before every response (after the echo). `Duration::ZERO` turns it off.
    pub fn set_response_delay(&self, d: Duration) {
        *self.flags.response_delay.lock().unwrap() = d;
    }

    /// The final result (`OK`, `ERROR`, `+CME ERROR`) of the next command is never sent.
    pub fn drop_next_final(&self) {
        self.flags.drop_next_final.store(true, Ordering::SeqCst);
    }

    /// Write `bytes` to the host as soon as possible, between whole lines.
    pub fn inject_garbage(&self, bytes: &[u8]) {
        self.output.write(bytes);
    }

    /// Spontaneous reset: like [`Sim::power_cycle`](crate::Sim::power_cycle), but does not
    /// wait for the boot to finish.
    pub fn reboot(&self) {
        let _ = self.events.send(Event::Reboot(None));
    }

    /// Split the output into writes of at most `n` bytes with `gap` between them
    /// (`None` turns it off).
    pub fn set_chunking(&self, chunk: Option<(usize, Duration)>) {
        self.output.set_chunking(chunk);
    }

    /// The next `>` prompt is never sent; the module still waits in data mode as usual.
    pub fn swallow_next_prompt(&self) {
        self.flags.swallow_next_prompt.store(true, Ordering::SeqCst);
    }
}
