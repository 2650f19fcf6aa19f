//! `--store` and `waweb migrate` as the binary runs them: a demo data directory migrated into a
//! fresh PostgreSQL schema, then served and managed from there; a second migration and a TLS
//! URL refused with messages that say why.

mod proc_support;

use proc_support::{failed, stdout, waweb, Proc, Serve, WAIT};

/// A fresh schema in the tests' PostgreSQL database (`WAWEB_TEST_POSTGRES`), and the store URL
/// that points at it.
async fn schema() -> (tokio_postgres::Client, String, String) {
    let base = std::env::var("WAWEB_TEST_POSTGRES")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".to_owned());
    let (client, connection) =
        tokio_postgres::connect(&base, tokio_postgres::NoTls).await.unwrap_or_else(|e| {
            panic!(
                "PostgreSQL is not reachable at {base} ({e}): start one on 127.0.0.1:5432 with \
                 a database `test` and trust auth, or set WAWEB_TEST_POSTGRES"
            )
        });
    tokio::spawn(connection);
    let name = format!("cli_{}", std::process::id());
    client
        .batch_execute(&format!("DROP SCHEMA IF EXISTS {name} CASCADE; CREATE SCHEMA {name}"))
        .await
        .unwrap();
    let url = format!("{base}?options=-csearch_path%3D{name}");
    (client, name, url)
}

async fn run(home: &std::path::Path, args: &[&str]) -> std::process::Output {
    let mut cmd = waweb(home);
    cmd.args(args);
    tokio::time::timeout(WAIT * 3, cmd.output()).await.unwrap().unwrap()
}

#[tokio::test]
async fn a_demo_directory_is_migrated_then_served_and_managed_from_postgres() {
    let (client, name, url) = schema().await;
    let home = tempfile::tempdir().unwrap();
    let data = home.path().join("data");
    drop(Serve::start(home.path(), &data).await);
    let data_arg = data.to_str().unwrap();

    let migrated = stdout(&run(home.path(), &["migrate", "--from", data_arg, "--to", &url]).await);
    assert!(migrated.contains("accounts\t3"), "{migrated}");
    assert!(migrated.contains("migrated "), "{migrated}");
    let again = run(home.path(), &["migrate", "--from", data_arg, "--to", &url]).await;
    failed(&again, "not empty");

    let listed = stdout(&run(home.path(), &["account", "list", "--store", &url]).await);
    assert!(listed.contains("15550000001\tAlice"), "{listed}");
    let added =
        run(home.path(), &["account", "add", "15559999999", "--name", "Zed", "--store", &url])
            .await;
    assert!(stdout(&added).contains("added 15559999999"));

    // A second node, on a data directory of its own, serves the same accounts.
    let node = home.path().join("node2");
    let mut cmd = waweb(home.path());
    cmd.args(["serve", "--listen", "127.0.0.1:0", "--demo", "--store", &url, "--data-dir"]);
    cmd.arg(&node);
    let mut serve = Proc::spawn(cmd);
    let zed = serve.until(|l| l.contains("15559999999").then(|| l.to_owned())).await;
    assert_eq!(zed, "account 15559999999 Zed");
    Serve::spawn(serve).await;
    assert!(!node.join("waweb.db").exists(), "no SQLite store beside PostgreSQL");

    let tls = format!("{url}&sslmode=require");
    failed(&run(home.path(), &["account", "list", "--store", &tls]).await, "sslmode=disable");
    client.batch_execute(&format!("DROP SCHEMA {name} CASCADE")).await.unwrap();
}
