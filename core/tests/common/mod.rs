//! Shared test rig: the virtual L610 on a real pseudo-terminal, a driver with its trace captured,
//! certificates made on the fly, and `openssl s_server` as the TLS peer we did not write.
#![allow(dead_code)]

pub mod tls;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use l610::at::{Direction, TraceEvent};
use l610::Modem;
use l610_sim::{Sim, SimConfig};

/// A virtual module, a driver opened on its pty by path, and the driver's trace.
pub struct Rig {
    pub sim: Sim,
    pub modem: Modem,
    pub trace: Arc<Mutex<Vec<TraceEvent>>>,
}

impl Rig {
    pub fn new() -> Rig {
        Rig::with(SimConfig::default(), Modem::builder())
    }

    pub fn with(config: SimConfig, builder: l610::ModemBuilder) -> Rig {
        let sim = Sim::start_pty(config).expect("start the virtual L610");
        let path = sim.pty_path().unwrap().to_str().unwrap().to_owned();
        let trace = Arc::new(Mutex::new(Vec::new()));
        let sink = trace.clone();
        let modem = builder
            .trace(move |e| sink.lock().unwrap().push(e.clone()))
            .open(&path, 115200)
            .expect("open the pty");
        Rig { sim, modem, trace }
    }

    /// Everything written to the module so far, as trace text.
    pub fn sent(&self) -> Vec<String> {
        self.trace
            .lock()
            .unwrap()
            .iter()
            .filter(|e| e.direction == Direction::Tx)
            .map(|e| e.text.clone())
            .collect()
    }

    pub fn transcript(&self) -> String {
        self.trace
            .lock()
            .unwrap()
            .iter()
            .map(|e| format!("{e}\n"))
            .collect()
    }

    /// Run `f` and return what it wrote to the module.
    pub fn sent_during<T>(&self, f: impl FnOnce(&Modem) -> T) -> (T, Vec<String>) {
        let before = self.sent().len();
        let out = f(&self.modem);
        (out, self.sent()[before..].to_vec())
    }
}

pub fn short_timeouts() -> l610::ModemBuilder {
    Modem::builder()
        .command_timeout(Duration::from_millis(800))
        .prompt_timeout(Duration::from_millis(500))
        .quiet_period(Duration::from_millis(100))
}
