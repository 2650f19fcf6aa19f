//! `waweb bench`: load-generates against a server and prints throughput, latency and resources.
//! The work is in the `bench` module; this file only wires it to the command line.

use crate::bench;
use std::process::ExitCode;

pub use crate::bench::config::Args;

/// Runs the bench (or, with the hidden `--serve-echo`, only the echo server it spawns).
pub async fn run(args: Args) -> anyhow::Result<ExitCode> {
    if let Some(addr) = args.serve_echo {
        bench::echo::serve(addr).await?;
        return Ok(ExitCode::SUCCESS);
    }
    let report = bench::run(&args).await?;
    if args.json {
        println!("{}", report.to_json());
    } else {
        print!("{}", report.to_table());
    }
    Ok(ExitCode::SUCCESS)
}
