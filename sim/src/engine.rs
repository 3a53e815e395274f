//! The module's command processor: one thread that takes the host's bytes, echoes and runs
//! command lines, runs the `>` data phase, and performs resets. Every wait goes through
//! [`Engine::wait_event`], so a reset or a stop interrupts whatever the module is doing.

use std::collections::VecDeque;
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::commands::{self, Ctx, Final, Outcome, Reply};
use crate::config::SimConfig;
use crate::faults::FaultFlags;
use crate::line::LineReader;
use crate::output::Output;
use crate::state::Shared;

const ESC: u8 = 0x1b;
/// How long the data phase waits for the LF of a CRLF host's `AT+MIPSEND=...\r\n` when a read
/// split it from the CR. The prompt is held meanwhile, so the host cannot have sent data yet.
const LF_GRACE: Duration = Duration::from_millis(20);

pub(crate) enum Event {
    Input(Vec<u8>),
    /// Reset now; signal the sender once the boot lines are queued.
    Reboot(Option<Sender<()>>),
    Stop,
}

enum Interrupt {
    Reboot(Option<Sender<()>>),
    Stop,
}

pub(crate) struct Engine {
    pub(crate) config: SimConfig,
    pub(crate) shared: Shared,
    pub(crate) output: Arc<Output>,
    pub(crate) flags: Arc<FaultFlags>,
    pub(crate) events: Receiver<Event>,
    pub(crate) input: VecDeque<u8>,
    pub(crate) line: LineReader,
}

impl Engine {
    pub(crate) fn run(mut self) {
        self.boot();
        loop {
            let r = self.process_input().and_then(|()| {
                self.wait_event(None)?;
                Ok(())
            });
            match r {
                Ok(()) => {}
                Err(Interrupt::Reboot(ack)) => {
                    self.boot();
                    if let Some(ack) = ack {
                        let _ = ack.send(());
                    }
                }
                Err(Interrupt::Stop) => break,
            }
        }
        self.shared.lock().unwrap().close_all();
    }

    /// Power loss and power-up: nothing volatile survives, not even bytes in flight.
    fn boot(&mut self) {
        self.input.clear();
        self.line.reset();
        self.output.reset();
        {
            let mut st = self.shared.lock().unwrap();
            st.power_off(&self.config);
            st.boots += 1;
        }
        self.output.urc("AT command ready");
        self.output.urc("+SIM READY");
        crate::network::register_after(
            self.shared.clone(),
            self.output.clone(),
            self.config.registration_delay,
            self.config.network_time,
        );
    }

    /// Waits for one event (until `deadline` if given) and stashes input. Returns false on
    /// timeout.
    fn wait_event(&mut self, deadline: Option<Instant>) -> Result<bool, Interrupt> {
        let ev = match deadline {
            None => self
                .events
                .recv()
                .map_err(|_| RecvTimeoutError::Disconnected),
            Some(d) => self
                .events
                .recv_timeout(d.saturating_duration_since(Instant::now())),
        };
        match ev {
            Ok(Event::Input(bytes)) => {
                self.input.extend(bytes);
                Ok(true)
            }
            Ok(Event::Reboot(ack)) => Err(Interrupt::Reboot(ack)),
            Ok(Event::Stop) | Err(RecvTimeoutError::Disconnected) => Err(Interrupt::Stop),
            Err(RecvTimeoutError::Timeout) => Ok(false),
        }
    }

    fn sleep(&mut self, d: Duration) -> Result<(), Interrupt> {
        let deadline = Instant::now() + d;
        while Instant::now() < deadline {
            self.wait_event(Some(deadline))?;
        }
        Ok(())
    }

    fn process_input(&mut self) -> Result<(), Interrupt> {
        while let Some(b) = self.input.pop_front() {
            if let Some(line) = self.line.push(b) {
                self.run_line(&line)?;
            }
        }
        Ok(())
    }

    fn run_line(&mut self, line: &[u8]) -> Result<(), Interrupt> {
        if self.shared.lock().unwrap().echo {
            self.output.write(line);
        }
        let delay = self.flags.response_delay();
        if !delay.is_zero() {
            self.sleep(delay)?;
        }
        let body = &line[2..line.len() - 1];
        // A command's own URCs (a connect thread's +MIPOPEN) must follow its final result, as on
        // the module: hold URCs from execution until the reply is out.
        self.output.set_data_mode(true);
        let outcome = {
            let ctx = self.ctx();
            commands::execute(&ctx, body)
        };
        match outcome {
            Outcome::Done(reply) => {
                let r = self.reply(reply);
                self.output.set_data_mode(false);
                r
            }
            Outcome::Reset => {
                self.finish(Final::Ok);
                self.output.set_data_mode(false);
                self.sleep(Duration::from_millis(100))?;
                Err(Interrupt::Reboot(None))
            }
            Outcome::Data { len, sink } => {
                self.output.set_data_mode(true);
                let r = self.data_phase(len);
                let reply = match r {
                    Ok(Some(data)) => {
                        let ctx = self.ctx();
                        commands::complete_data(&ctx, sink, &data)
                    }
                    Ok(None) => Reply::fin(Final::Error),
                    Err(i) => return Err(i),
                };
                for l in &reply.lines {
                    self.output.line(l);
                }
                self.finish(reply.fin);
                // Held URCs go out after the final result, when data mode is really over.
                self.output.set_data_mode(false);
                Ok(())
            }
        }
    }

    /// Prompt and collect `len` bytes; `None` if cancelled with ESC or timed out.
    fn data_phase(&mut self, len: usize) -> Result<Option<Vec<u8>>, Interrupt> {
        self.drop_terminator_lf()?;
        // ESC typed before the prompt appeared cancels too: it is the first byte after the
        // command line either way.
        if self.input.front() == Some(&ESC) {
            self.input.pop_front();
            return Ok(None);
        }
        // Once the host has seen `>`, every byte is data (binary-safe, ESC included); a host
        // that never saw the prompt can only mean ESC as "cancel".
        let prompted = !self.flags.take_swallow_prompt();
        if prompted {
            self.output.write(b"\r\n> ");
        }
        let idle = self.config.data_mode_idle_timeout;
        let mut data = Vec::with_capacity(len);
        while data.len() < len {
            let take = (len - data.len()).min(self.input.len());
            if take > 0 {
                if !prompted && data.is_empty() && self.input.front() == Some(&ESC) {
                    self.input.pop_front();
                    return Ok(None);
                }
                data.extend(self.input.drain(..take));
                continue;
            }
            if !self.wait_event(Some(Instant::now() + idle))? {
                return Ok(None);
            }
        }
        Ok(Some(data))
    }

    /// Nothing of a terminator ever becomes data: the LF of `AT+MIPSEND=1,5\r\n` is not the
    /// first payload byte (on hardware the LF is ignored). An LF that a CR-only host sends as
    /// data after seeing `>` is kept, because the prompt is not out yet while we look.
    fn drop_terminator_lf(&mut self) -> Result<(), Interrupt> {
        if !self.line.take_awaiting_lf() {
            return Ok(());
        }
        if self.input.is_empty() && self.line.crlf_host() {
            let deadline = Instant::now() + LF_GRACE;
            while self.input.is_empty() && self.wait_event(Some(deadline))? {}
        }
        if self.input.front() == Some(&b'\n') {
            self.input.pop_front();
            self.line.note_crlf();
        }
        Ok(())
    }

    fn ctx(&self) -> Ctx<'_> {
        Ctx {
            shared: &self.shared,
            output: &self.output,
            config: &self.config,
        }
    }

    fn reply(&mut self, reply: Reply) -> Result<(), Interrupt> {
        for l in &reply.lines {
            self.output.line(l);
        }
        if !reply.data.is_empty() {
            self.output.write(&reply.data);
        }
        self.finish(reply.fin);
        if !reply.urcs.is_empty() {
            if !reply.urc_delay.is_zero() {
                self.sleep(reply.urc_delay)?;
            }
            for u in &reply.urcs {
                self.output.urc(u);
            }
        }
        Ok(())
    }

    fn finish(&self, fin: Final) {
        if self.flags.take_drop_final() {
            return;
        }
        let cmee = self.shared.lock().unwrap().cmee;
        let text = match (fin, cmee) {
            (Final::Ok, _) => "OK".to_string(),
            (Final::Error, _) | (Final::Cme(..), 0) => "ERROR".to_string(),
            (Final::Cme(n, _), 1) => format!("+CME ERROR: {n}"),
            (Final::Cme(_, text), _) => format!("+CME ERROR: {text}"),
        };
        self.output.line(&text);
    }
}
