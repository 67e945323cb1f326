//! `plenary`: the command that wires the stages together. `cli` says what it accepts,
//! `commands` runs each command over a `plenary_pipeline::Archive`, `output` prints the
//! typed values the commands return (as text, or as the JSON the API serves).

mod cli;
mod commands;
mod output;

use clap::Parser;

fn main() {
    let cli = cli::Cli::parse();
    if let Err(e) = commands::run(cli) {
        // `plenary people | head` closes our stdout early: end quietly, as Unix
        // tools do (ripgrep's way: every write returns its error, none panics).
        if is_broken_pipe(&e) {
            std::process::exit(0);
        }
        eprintln!("error: {e:#}");
        std::process::exit(1);
    }
}

fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}
