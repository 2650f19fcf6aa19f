//! The options of `waweb bench` and the settings derived from them.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

/// What to measure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Workload {
    /// Clients in pairs relay text messages to each other (ack and delivery latency).
    Relay,
    /// Clients in groups of `--group-size` relay text messages to their group: each message is
    /// stored and pushed once per member (ack latency per message, delivery latency per member).
    Group,
    /// Clients page through a seeded chat history with `message` queries.
    History,
    /// Clients flip their presence and send chat states to their peer.
    Presence,
    /// Paired clients reconnect and restore their session over and over (handshakes per second).
    Storm,
    /// New browsers pair by QR with existing accounts over and over (pairings per second).
    Pair,
    /// Paired clients stay connected and idle; measures the server's memory per session.
    Idle,
    /// A bare websocket echo server on the same stack: the machine's ceiling.
    Echo,
    /// Clients upload blobs of `--media-bytes` to the media host and download each back
    /// (throughput in MB/s, latency of each transfer).
    Media,
    /// Every workload above, one after the other.
    All,
}

impl Workload {
    /// The workloads `all` runs, in order.
    pub const EVERY: [Workload; 9] = [
        Workload::Echo,
        Workload::Relay,
        Workload::Group,
        Workload::History,
        Workload::Presence,
        Workload::Storm,
        Workload::Pair,
        Workload::Idle,
        Workload::Media,
    ];

    /// Whether it can run in open loop (`--rate`, `--half-peak`).
    pub fn paced(self) -> bool {
        matches!(
            self,
            Workload::Relay
                | Workload::Group
                | Workload::History
                | Workload::Presence
                | Workload::Echo
        )
    }

    /// Its name on the command line and in reports.
    pub fn name(self) -> &'static str {
        match self {
            Workload::Relay => "relay",
            Workload::Group => "group",
            Workload::History => "history",
            Workload::Presence => "presence",
            Workload::Storm => "storm",
            Workload::Pair => "pair",
            Workload::Idle => "idle",
            Workload::Echo => "echo",
            Workload::Media => "media",
            Workload::All => "all",
        }
    }
}

/// `waweb bench`: load-generate against a waweb server and report throughput and latency.
///
/// Without `--server`, a fresh server is started as a child process (this same binary, `serve`)
/// on a temporary data directory, so its CPU and memory are measured apart from the load
/// generator's.
#[derive(Debug, Clone, clap::Args)]
pub struct Args {
    /// What to measure.
    #[arg(long, value_enum, default_value = "relay")]
    pub workload: Workload,
    /// How many simulated clients (each its own account and connection).
    #[arg(long, default_value_t = 100)]
    pub clients: usize,
    /// Shorthand for `--clients 2×PAIRS`.
    #[arg(long, conflicts_with = "clients")]
    pub pairs: Option<usize>,
    /// How long to measure each workload (`10s`, `500ms`, `2m`).
    #[arg(long, default_value = "10s", value_parser = parse_duration)]
    pub duration: Duration,
    /// Load applied before measuring, not counted.
    #[arg(long, default_value = "2s", value_parser = parse_duration)]
    pub warmup: Duration,
    /// Open-loop target rate, operations per second over all clients. Without it, each client
    /// keeps `--window` operations in flight (closed loop: the maximum rate).
    #[arg(long)]
    pub rate: Option<f64>,
    /// Find the peak in closed loop first, then run open loop at half of it, the rate the latency
    /// target is set at; both runs are reported. For `relay`, `group`, `history`, `presence` and
    /// `echo`.
    #[arg(long, conflicts_with = "rate")]
    pub half_peak: bool,
    /// Operations in flight per client in closed-loop mode.
    #[arg(long, default_value_t = 4)]
    pub window: usize,
    /// Concurrent pairings / reconnections (pool set-up, `storm` and `pair`).
    #[arg(long, default_value_t = 64)]
    pub concurrency: usize,
    /// Size of each relayed text and echoed frame, in bytes.
    #[arg(long, default_value_t = 64)]
    pub message_bytes: usize,
    /// Size of each blob the `media` workload uploads and downloads, in bytes.
    #[arg(long, default_value_t = 1 << 20)]
    pub media_bytes: usize,
    /// Members per group in the `group` workload (at least 2; the clients are split into groups
    /// of this size, and a last smaller group joins the one before it).
    #[arg(long, default_value_t = 8, value_parser = clap::value_parser!(u16).range(2..))]
    pub group_size: u16,
    /// Messages seeded per chat before the `history` workload.
    #[arg(long, default_value_t = 200)]
    pub history_seed: usize,
    /// Target this server (`ws://HOST:PORT/ws`) instead of spawning one. The nodes of a cluster
    /// are given comma-separated: client `i` connects to node `i mod N`, so with two nodes the
    /// two accounts of each pair are on different nodes.
    #[arg(long)]
    pub server: Option<String>,
    /// The admin token of `--server` (for creating accounts and scanning QR codes; every node
    /// of a cluster must have this one).
    #[arg(long, env = "WAWEB_ADMIN_TOKEN", hide_env_values = true)]
    pub admin_token: Option<String>,
    /// Run the server inside the bench process instead of a child process (resource figures then
    /// include the load generator).
    #[arg(long, conflicts_with = "server")]
    pub in_process: bool,
    /// Data directory of the spawned server (default: a fresh temporary directory).
    #[arg(long)]
    pub data_dir: Option<PathBuf>,
    /// Write every operation slower than `--slow-ms` to FILE: completion time (µs since the Unix
    /// epoch), latency (µs) and operation, one per line, to set a latency tail against the
    /// server's log.
    #[arg(long, value_name = "FILE")]
    pub slow_log: Option<PathBuf>,
    /// The threshold of `--slow-log`, in milliseconds.
    #[arg(long, default_value_t = 10, requires = "slow_log")]
    pub slow_ms: u64,
    /// `RUST_LOG` of the spawned server, whose output goes to `server.log` in its data directory
    /// (keep it with `--data-dir`). `waweb_server::store=debug` logs every WAL rewind and every
    /// slow WAL sync with its time.
    #[arg(long, default_value = "warn", value_name = "FILTER")]
    pub server_log: String,
    /// Where `--slow-log` writes, once opened (not an option).
    #[arg(skip)]
    pub slow_sink: Option<std::sync::Arc<super::slow_log::SlowLog>>,
    /// Print the report as JSON on stdout.
    #[arg(long)]
    pub json: bool,
    /// No progress bar.
    #[arg(long)]
    pub quiet: bool,
    /// Internal: run only the echo server on this address (the `echo` workload spawns it).
    #[arg(long, hide = true)]
    pub serve_echo: Option<SocketAddr>,
}

impl Args {
    /// The number of simulated clients, rounded up to an even number (clients work in pairs).
    pub fn client_count(&self) -> usize {
        let n = self.pairs.map_or(self.clients, |p| p * 2).max(2);
        n + n % 2
    }

    /// A named operation of this run, writing its slow completions to `--slow-log` if given.
    pub fn op(&self, name: &'static str) -> std::sync::Arc<super::load::Op> {
        std::sync::Arc::new(super::load::Op::logged(name, self.slow_sink.clone()))
    }

    /// The per-client open-loop rate, if any.
    pub fn per_client_rate(&self) -> Option<f64> {
        self.rate.filter(|r| *r > 0.0).map(|r| r / self.client_count() as f64)
    }
}

/// Parses `10s`, `250ms`, `2m` or a bare number of seconds (`1.5`).
pub fn parse_duration(s: &str) -> Result<Duration, String> {
    let s = s.trim();
    let (number, unit) = match s.find(|c: char| c.is_ascii_alphabetic()) {
        Some(i) => s.split_at(i),
        None => (s, "s"),
    };
    let value: f64 = number.trim().parse().map_err(|_| format!("not a duration: {s:?}"))?;
    let seconds = match unit {
        "ms" => value / 1e3,
        "s" => value,
        "m" | "min" => value * 60.0,
        _ => return Err(format!("unknown unit in {s:?} (use ms, s or m)")),
    };
    if !seconds.is_finite() || seconds < 0.0 {
        return Err(format!("not a duration: {s:?}"));
    }
    Ok(Duration::from_secs_f64(seconds))
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    #[derive(Parser)]
    struct Cli {
        #[command(flatten)]
        args: Args,
    }

    fn parse(argv: &[&str]) -> Args {
        Cli::try_parse_from(std::iter::once("bench").chain(argv.iter().copied())).unwrap().args
    }

    #[test]
    fn durations_in_every_unit() {
        assert_eq!(parse_duration("10s"), Ok(Duration::from_secs(10)));
        assert_eq!(parse_duration("250ms"), Ok(Duration::from_millis(250)));
        assert_eq!(parse_duration("2m"), Ok(Duration::from_secs(120)));
        assert_eq!(parse_duration("1.5"), Ok(Duration::from_millis(1500)));
        assert!(parse_duration("10h").is_err());
        assert!(parse_duration("-1s").is_err());
        assert!(parse_duration("fast").is_err());
    }

    #[test]
    fn pairs_double_and_odd_counts_round_up() {
        assert_eq!(parse(&["--pairs", "50"]).client_count(), 100);
        assert_eq!(parse(&["--clients", "7"]).client_count(), 8);
        assert_eq!(parse(&["--clients", "1"]).client_count(), 2);
        assert!(Cli::try_parse_from(["bench", "--pairs", "2", "--clients", "4"]).is_err());
    }

    #[test]
    fn half_peak_excludes_a_fixed_rate_and_needs_a_paced_workload() {
        assert!(parse(&["--half-peak"]).half_peak);
        assert!(Cli::try_parse_from(["bench", "--half-peak", "--rate", "100"]).is_err());
        let paced: Vec<_> = Workload::EVERY.into_iter().filter(|w| w.paced()).collect();
        let names: Vec<_> = paced.iter().map(|w| w.name()).collect();
        assert_eq!(names, ["echo", "relay", "group", "history", "presence"]);
    }

    #[test]
    fn rate_is_split_over_clients() {
        let a = parse(&["--clients", "10", "--rate", "1000"]);
        assert_eq!(a.per_client_rate(), Some(100.0));
        assert_eq!(parse(&["--clients", "10"]).per_client_rate(), None);
        let w = parse(&["--workload", "storm", "--duration", "3s"]);
        assert_eq!((w.workload, w.duration), (Workload::Storm, Duration::from_secs(3)));
    }
}
