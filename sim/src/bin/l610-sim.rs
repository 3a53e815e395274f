//! `l610-sim`: a virtual L610 on a pseudo-terminal, for drivers, scripts and humans. The options
//! live in the library (`l610_sim::cli`), shared with `l610 sim`.

fn main() {
    std::process::exit(l610_sim::cli::run(std::env::args_os().collect()));
}
