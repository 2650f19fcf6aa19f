//! One function per workload: start a target, set up the clients, run them through the window,
//! and turn what they measured into a [`WorkloadReport`].

use super::config::{Args, Workload};
use super::harness;
use super::load::{OpReport, Window};
use super::measure::{measure, run_workers};
use super::pool::{self, Member, Numbering};
use super::report::WorkloadReport;
use super::requests::{self, RequestShared};
use super::target::Target;
use super::{durability, echo, group, idle, media, pairing, relay, storm};
use std::sync::Arc;
use tokio::task::JoinSet;
use waweb_proto::binary::jid::{person_jid, person_store_jid};
use waweb_proto::frame::{Flags, Metric};

/// Runs one workload (not `all`).
pub async fn workload(args: &Args, w: Workload) -> anyhow::Result<WorkloadReport> {
    match w {
        Workload::Echo => run_echo(args).await,
        Workload::Relay => run_relay(args).await,
        Workload::Group => run_group(args).await,
        Workload::History => run_requests(args, Workload::History).await,
        Workload::Presence => run_requests(args, Workload::Presence).await,
        Workload::Storm => run_storm(args).await,
        Workload::Pair => run_pair(args).await,
        Workload::Idle => run_idle(args).await,
        Workload::Media => media::run(args).await,
        Workload::All => anyhow::bail!("`all` is a list of workloads, not one"),
    }
}

/// The server to measure: `--server`, `--in-process`, or a fresh child process.
pub(super) async fn open_target(args: &Args) -> anyhow::Result<Target> {
    match &args.server {
        Some(urls) => Ok(Target::external(urls, args.admin_token.clone())),
        None if args.in_process => Target::in_process(args.data_dir.as_deref()).await,
        None => Target::spawn_server(args.data_dir.as_deref(), &args.server_log).await,
    }
}

/// Where client `i` of `n` starts its open-loop schedule, so clients do not fire together.
fn phase(i: usize, n: usize) -> f64 {
    i as f64 / n.max(1) as f64
}

async fn run_echo(args: &Args) -> anyhow::Result<WorkloadReport> {
    let mut target = Target::spawn_echo().await?;
    let n = args.client_count();
    let window = Window::starting_now(args.warmup, args.duration);
    let shared = Arc::new(echo::EchoShared {
        window,
        rtt: args.op("round trip"),
        in_flight: args.window,
        per_client_rate: args.per_client_rate(),
        bytes: args.message_bytes,
    });
    let mut tasks = JoinSet::new();
    for i in 0..n {
        tasks.spawn(echo::client(target.url.clone(), shared.clone(), phase(i, n)));
    }
    let shown = Some(shared.rtt.clone());
    let m = measure(args, Workload::Echo, &target, window, shown, tasks).await?;
    target.kill().await;
    let mut r = m.report;
    r.ops.push(shared.rtt.report(&window));
    r.notes.extend(m.failure);
    Ok(r)
}

async fn run_relay(args: &Args) -> anyhow::Result<WorkloadReport> {
    let target = open_target(args).await?;
    let n = args.client_count();
    let (members, pairing) =
        pool::pair_all(&target, &Numbering::random(), n, args.concurrency).await?;
    let to = (0..n).map(|i| person_store_jid(&members[pool::peer(i)].phone)).collect();
    relay_window(args, Workload::Relay, target, members, to, pairing).await
}

/// `group`: the clients in groups of `--group-size`, each group created by its first member.
async fn run_group(args: &Args) -> anyhow::Result<WorkloadReport> {
    let target = open_target(args).await?;
    let n = args.client_count();
    let (mut members, pairing) =
        pool::pair_all(&target, &Numbering::random(), n, args.concurrency).await?;
    let phones: Vec<String> = members.iter().map(|m| m.phone.clone()).collect();
    let mut to = vec![String::new(); n];
    for range in group::split(n, usize::from(args.group_size)) {
        let others = &phones[range.start + 1..range.end];
        let gid =
            group::create(&mut members[range.start].client, &phones[range.start], others).await?;
        to[range].fill(gid);
    }
    relay_window(args, Workload::Group, target, members, to, pairing).await
}

/// Runs the relay clients, client `i` writing to `to[i]`, through the window; then the
/// durability check.
async fn relay_window(
    args: &Args,
    workload: Workload,
    mut target: Target,
    members: Vec<Member>,
    to: Vec<String>,
    pairing: OpReport,
) -> anyhow::Result<WorkloadReport> {
    let n = members.len();
    let window = Window::starting_now(args.warmup, args.duration);
    let shared = Arc::new(relay::RelayShared {
        window,
        ack: args.op("ack"),
        delivery: args.op("delivery"),
        in_flight: args.window,
        per_client_rate: args.per_client_rate(),
        bytes: args.message_bytes,
    });
    let mut tasks = JoinSet::new();
    for ((i, m), to) in members.into_iter().enumerate().zip(to) {
        let shared = shared.clone();
        tasks.spawn(async move {
            let me = m.phone.clone();
            let (client, sent) =
                relay::client(m.client, i, to.clone(), shared, phase(i, n)).await?;
            let sampled: Vec<durability::Sampled> =
                sent.acked_sample.into_iter().map(|id| (me.clone(), to.clone(), id)).collect();
            anyhow::Ok((client, sampled))
        });
    }
    let shown = Some(shared.delivery.clone());
    let m = measure(args, workload, &target, window, shown, tasks).await?;
    let mut r = m.report;
    r.ops.extend([shared.ack.report(&window), shared.delivery.report(&window), pairing]);
    r.notes.extend(m.failure);
    let sampled: Vec<durability::Sampled> = m.done.into_iter().flat_map(|(_, s)| s).collect();
    if let Some(note) = check_durability(&mut target, &sampled).await {
        r.notes.push(note);
    }
    target.kill().await;
    Ok(r)
}

/// Kills the spawned server and looks for the sampled acknowledged messages in its database.
async fn check_durability(target: &mut Target, sampled: &[durability::Sampled]) -> Option<String> {
    let dir = target.data_dir.clone()?;
    target.kill().await;
    Some(match durability::missing(&dir, sampled).await {
        Ok(0) => format!(
            "durability: server killed with SIGKILL after the run; all {} sampled acked messages are in its database",
            sampled.len()
        ),
        Ok(m) => format!("durability: {m} of {} sampled acked messages MISSING after SIGKILL", sampled.len()),
        Err(e) => format!("durability check failed: {e:#}"),
    })
}

/// `history` and `presence`: requests answered by the server, matched by tag.
async fn run_requests(args: &Args, w: Workload) -> anyhow::Result<WorkloadReport> {
    let mut target = open_target(args).await?;
    let n = args.client_count();
    let (mut members, pairing) =
        pool::pair_all(&target, &Numbering::random(), n, args.concurrency).await?;
    let phones: Vec<String> = members.iter().map(|m| m.phone.clone()).collect();
    if w == Workload::History {
        members = seed_history(members, &phones, args.history_seed, args.concurrency).await?;
    }
    let window = Window::starting_now(args.warmup, args.duration);
    let name = if w == Workload::History { "page of 50" } else { "chat state" };
    let shared = Arc::new(RequestShared {
        window,
        answered: args.op(name),
        items: Default::default(),
        in_flight: args.window,
        per_client_rate: args.per_client_rate(),
    });
    let mut tasks = JoinSet::new();
    for (i, m) in members.into_iter().enumerate() {
        let peer = person_jid(&phones[pool::peer(i)]);
        let make: requests::MakeRequest = match w {
            Workload::History => Box::new(move |_, epoch| {
                (
                    requests::history_query(&peer, 50, epoch),
                    Metric::QueryMessages,
                    Flags::EXPECTS_ANSWER,
                )
            }),
            _ => Box::new(move |seq, epoch| {
                (requests::chat_state(&peer, seq, epoch), Metric::Presence, Flags::EXPECTS_ANSWER)
            }),
        };
        tasks.spawn(requests::client(m.client, shared.clone(), make, phase(i, n)));
    }
    let m = measure(args, w, &target, window, Some(shared.answered.clone()), tasks).await?;
    target.kill().await;
    let mut r = m.report;
    r.ops.extend([shared.answered.report(&window), pairing]);
    let what =
        if w == Workload::History { "messages returned" } else { "presence pushes received" };
    r.notes.push(format!("{what}: {}", shared.items.get()));
    r.notes.extend(m.failure);
    Ok(r)
}

/// Each client sends `count` messages to its peer (acked) before the history workload.
async fn seed_history(
    members: Vec<Member>,
    phones: &[String],
    count: usize,
    concurrency: usize,
) -> anyhow::Result<Vec<Member>> {
    let members: Vec<std::sync::Mutex<Option<Member>>> =
        members.into_iter().map(|m| std::sync::Mutex::new(Some(m))).collect();
    harness::bounded(members.len(), concurrency, |i| {
        let taken = members.get(i).and_then(|m| m.lock().ok()?.take());
        let to = phones.get(pool::peer(i)).cloned().unwrap_or_default();
        async move {
            let mut m = taken.ok_or_else(|| anyhow::anyhow!("member {i} missing"))?;
            m.client = relay::seed(m.client, i, &to, count).await?;
            anyhow::Ok(m)
        }
    })
    .await
}

async fn run_storm(args: &Args) -> anyhow::Result<WorkloadReport> {
    let target = open_target(args).await?;
    let n = args.client_count();
    let (members, pairing) =
        pool::pair_all(&target, &Numbering::random(), n, args.concurrency).await?;
    let mut accounts = Vec::with_capacity(n);
    for m in members {
        accounts.push(m.credentials);
        m.client.close().await;
    }
    let url = target.url.clone();
    let worker = move |hand, window, op| storm::worker(url.clone(), hand, window, op);
    let (mut r, workers) =
        run_workers(args, Workload::Storm, target, "handshake", accounts, worker).await?;
    r.mode = format!(
        "closed loop, {workers} concurrent restores (init, login, Conn with rotated tokens)"
    );
    r.ops.push(pairing);
    Ok(r)
}

async fn run_pair(args: &Args) -> anyhow::Result<WorkloadReport> {
    let target = open_target(args).await?;
    let n = args.client_count();
    let admin = pool::admin(&target)?;
    let phones = pool::create_accounts(&admin, &Numbering::random(), n, args.concurrency).await?;
    let url = target.url.clone();
    let worker =
        move |hand, window, op| pairing::worker(url.clone(), admin.clone(), hand, window, op);
    let (mut r, workers) =
        run_workers(args, Workload::Pair, target, "pairing", phones, worker).await?;
    r.mode = format!(
        "closed loop, {workers} concurrent QR pairings (init, QR, scan, Conn with the secret)"
    );
    Ok(r)
}

async fn run_idle(args: &Args) -> anyhow::Result<WorkloadReport> {
    let mut target = open_target(args).await?;
    let n = args.client_count();
    let before = target.pid.and_then(|p| p.sample());
    let (members, pairing) =
        pool::pair_all(&target, &Numbering::random(), n, args.concurrency).await?;
    let window = Window::starting_now(std::time::Duration::ZERO, args.duration);
    let mut tasks = JoinSet::new();
    for m in members {
        tasks.spawn(idle::keep_alive(m.client, window.end));
    }
    let m = measure(args, Workload::Idle, &target, window, None, tasks).await?;
    let (mut r, alive) = (m.report, m.done);
    r.mode = "idle, keepalive only".to_string();
    r.ops.push(pairing);
    r.notes.push(format!("{} of {n} sessions still connected at the end", alive.len()));
    if let (Some(b), Some(s)) = (before, r.server) {
        let after_kib = (s.rss_mib * 1024.0) as u64;
        let per = idle::per_session_kib(b.rss_kib, after_kib, alive.len());
        r.notes.push(format!(
            "server RSS {:.1} MiB before pairing, {:.1} MiB with the sessions: {per:.1} KiB per idle session",
            b.rss_kib as f64 / 1024.0,
            s.rss_mib
        ));
    }
    r.notes.extend(m.failure);
    drop(alive);
    target.kill().await;
    Ok(r)
}
