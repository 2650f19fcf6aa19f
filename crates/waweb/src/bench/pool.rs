//! The session pool: N simulated clients, each with its own account, paired by QR through the
//! admin API (the server plays the phone). Client `i` talks to client `i ^ 1`.

use super::admin::Admin;
use super::client::{logged_in, SimClient};
use super::harness;
use super::load::OpReport;
use super::stats::{rate, Histogram};
use super::target::Target;
use anyhow::Context;
use rand::Rng;
use std::time::{Duration, Instant};
use waweb_proto::session::{ClientEvent, Credentials};

/// How long one pairing step may take before the bench gives up.
const STEP_TIMEOUT: Duration = Duration::from_secs(60);

/// One paired client.
pub struct Member {
    /// The live connection (logged in).
    pub client: SimClient,
    /// Its account's phone number.
    pub phone: String,
    /// What it needs to restore its session.
    pub credentials: Credentials,
}

/// The phone numbers of one run: random prefix, so runs against a long-lived server do not
/// collide.
#[derive(Debug, Clone)]
pub struct Numbering {
    prefix: u32,
}

impl Numbering {
    /// A fresh random numbering.
    pub fn random() -> Self {
        Numbering { prefix: rand::thread_rng().gen_range(100..1000) }
    }

    /// The phone number of client `i`.
    pub fn phone(&self, i: usize) -> String {
        format!("1{}{:07}", self.prefix, i)
    }
}

/// The peer of client `i`.
pub fn peer(i: usize) -> usize {
    i ^ 1
}

/// Creates `n` accounts and pairs one client with each, `concurrency` at a time. Returns the
/// members (in order) and the pairing rate and latency.
pub async fn pair_all(
    target: &Target,
    numbering: &Numbering,
    n: usize,
    concurrency: usize,
) -> anyhow::Result<(Vec<Member>, OpReport)> {
    // Each client's phone scans through its own node's admin API.
    let admins =
        target.node_urls().map(|url| admin_at(target, url)).collect::<Result<Vec<_>, _>>()?;
    let latency = Histogram::default();
    let start = Instant::now();
    let members = harness::bounded(n, concurrency, |i| {
        let (admin, latency) = (&admins[i % admins.len()], &latency);
        async move {
            let phone = create_account(admin, numbering, i).await?;
            let t0 = Instant::now();
            let member = pair_one(target.node_url(i), admin, phone)
                .await
                .with_context(|| format!("pairing client {i}"))?;
            latency.record(t0.elapsed());
            anyhow::Ok(member)
        }
    })
    .await?;
    let elapsed = start.elapsed();
    let report = OpReport {
        name: "pairing".into(),
        count: latency.count(),
        per_second: rate(latency.count(), elapsed),
        errors: 0,
        latency: Some(latency.summary()),
    };
    Ok((members, report))
}

/// The admin API of `target` (its token is needed to create accounts and scan QR codes).
pub fn admin(target: &Target) -> anyhow::Result<Admin> {
    admin_at(target, &target.url)
}

/// The admin API of the node of `target` at `url`.
fn admin_at(target: &Target, url: &str) -> anyhow::Result<Admin> {
    let token = target.admin_token.clone().context("pairing needs --admin-token")?;
    Admin::new(url, token)
}

/// Creates `n` accounts, `concurrency` at a time (an existing one is fine); returns their
/// phone numbers in order.
pub async fn create_accounts(
    admin: &Admin,
    numbering: &Numbering,
    n: usize,
    concurrency: usize,
) -> anyhow::Result<Vec<String>> {
    harness::bounded(n, concurrency, |i| create_account(admin, numbering, i)).await
}

/// Creates bench account `i` (an existing one is fine); returns its phone number.
async fn create_account(admin: &Admin, numbering: &Numbering, i: usize) -> anyhow::Result<String> {
    let phone = numbering.phone(i);
    admin.create_account(&phone, &format!("Bench {i}")).await?;
    Ok(phone)
}

/// Connects without credentials, has the phone scan the QR, waits for the login.
pub async fn pair_one(url: &str, admin: &Admin, phone: String) -> anyhow::Result<Member> {
    let mut client = SimClient::connect(url, None).await?;
    let qr = client
        .expect(STEP_TIMEOUT, |e| match e {
            ClientEvent::Qr { code, .. } => Some(code),
            _ => None,
        })
        .await
        .context("waiting for the QR")?;
    admin.scan(&qr, &phone).await?;
    let credentials = logged_in(&mut client, STEP_TIMEOUT).await?;
    Ok(Member { client, phone, credentials })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_distinct_digits_and_peers_pair_up() {
        let n = Numbering { prefix: 123 };
        assert_eq!(n.phone(0), "11230000000");
        assert_eq!(n.phone(42), "11230000042");
        assert!(n.phone(9_999_999).chars().all(|c| c.is_ascii_digit()));
        assert_eq!((peer(0), peer(1), peer(6), peer(7)), (1, 0, 7, 6));
    }
}
