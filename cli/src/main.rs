//! The `l610` command; everything is in the library (`l610_cli::run`), shared with the Python
//! wheel's `l610` console script.

fn main() {
    std::process::exit(l610_cli::run(std::env::args_os().collect()));
}
