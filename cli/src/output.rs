//! Where results go: stdout, as text or as JSON (`--json`); messages about progress go to stderr.

use std::io::{IsTerminal, Write};

use comfy_table::{presets, Table};
use serde::Serialize;

use crate::exit::{Failure, Outcome, PORT};

/// The verb's stdout.
pub struct Out {
    /// `--json`: one JSON document on stdout, nothing else there.
    pub json: bool,
}

impl Out {
    /// A line of text on stdout.
    pub fn line(&mut self, text: &str) {
        let mut o = std::io::stdout().lock();
        // A closed stdout (`| head`) is not worth a panic.
        let _ = writeln!(o, "{text}");
    }

    /// The JSON document.
    pub fn json<T: Serialize + ?Sized>(&mut self, value: &T) -> Outcome {
        let text = serde_json::to_string_pretty(value).map_err(|e| Failure {
            code: PORT,
            message: format!("cannot encode JSON: {e}"),
        })?;
        self.line(&text);
        Ok(())
    }

    /// Whether progress bars may be drawn: only for a person watching, never into a pipe.
    pub fn interactive(&self) -> bool {
        !self.json && std::io::stdout().is_terminal() && std::io::stderr().is_terminal()
    }
}

/// A note on stderr (never mixed into the data of `connect` or the JSON of `--json`).
pub fn note(text: &str) {
    eprintln!("{text}");
}

/// A plain table with a header row.
pub fn table(header: &[&str]) -> Table {
    let mut t = Table::new();
    t.load_preset(presets::NOTHING);
    t.set_header(header.to_vec());
    t
}
