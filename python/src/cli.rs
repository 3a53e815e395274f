//! `l610._l610.cli_main(argv)`: the `l610` console script and `python -m l610` run the Rust
//! command-line tool (`l610_cli::run`), one implementation for `cargo install` and `pip install`.

use pyo3::prelude::*;

/// Run the `l610` command line `argv` (the first item is the program name) and return its exit
/// code. Runs without the interpreter: the CLI writes to the process's stdout and stderr itself.
#[pyfunction]
pub fn cli_main(py: Python<'_>, argv: Vec<String>) -> i32 {
    py.detach(move || l610_cli::run(argv.into_iter().map(Into::into).collect()))
}
