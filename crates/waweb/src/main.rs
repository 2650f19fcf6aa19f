//! `waweb`: the server, the client, the simulated phone and the protocol tools in one binary.
//!
//! Each subcommand lives in its own file under `cli/`. Logs go to stderr and follow `RUST_LOG`
//! (default `info` for the server, `warn` for client commands).

mod bench;
mod cli;

use clap::Parser;
use std::process::ExitCode;

/// mimalloc instead of the system allocator: the server allocates and frees a few buffers per
/// frame on every runtime thread, where glibc's allocator spent a fifth of the async workers'
/// time at the relay peak.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let args = cli::Cli::parse();
    cli::init_logging(&args.command);
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return ExitCode::from(cli::exit::FAILURE);
        }
    };
    match runtime.block_on(cli::run(args.command)) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {}", cli::exit::describe(&e));
            ExitCode::from(cli::exit::code_for(&e))
        }
    }
}
