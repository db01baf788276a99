//! Issue 17's backup and restore drill, as the README documents it: dump
//! the database with pg_dump, then copy the evidence store; restore both
//! into an empty database and an empty store, start Trainyard on them, and
//! find the audit chain whole and every artifact's bytes matching the
//! digest it was recorded with.

use crate::helpers::{admin_execute, database_url, spawn_app, spawn_second_instance_with};
use sha2::{Digest, Sha256};
use std::path::Path;
use std::process::Command;

fn run(program: &str, args: &[&str]) {
    let out = Command::new(program)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{program} runs (Postgres's client tools): {e}"));
    assert!(
        out.status.success(),
        "{program} {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

#[tokio::test]
async fn a_dump_and_a_copy_of_the_store_restore_into_an_empty_install() {
    let app = spawn_app(&[]).await;
    let artifacts: Vec<(String, String, String)> = sqlx::query_as(
        "SELECT t.name, a.name, a.sha256 FROM evidence_artifact a JOIN train t USING (train_id)",
    )
    .fetch_all(&app.pool)
    .await
    .unwrap();
    assert!(!artifacts.is_empty(), "the demo holds evidence");
    let records = app::services::audit::verify_chain(&app.pool).await.unwrap();

    // Backup: the database first, then the store (an artifact's bytes are
    // stored before its row commits, so the copy holds every dumped row's).
    let backup = tempfile::tempdir().unwrap();
    let dump = backup.path().join("trainyard.dump");
    let source = database_url(&app.db_name);
    run(
        "pg_dump",
        &["--format=custom", "--file", dump.to_str().unwrap(), &source],
    );
    copy_tree(app.evidence_dir.path(), &backup.path().join("evidence"));

    // Restore into an empty database and an empty store.
    let restored_db = format!("{}_restored", app.db_name);
    admin_execute(&format!(r#"CREATE DATABASE "{restored_db}""#)).await;
    let target = database_url(&restored_db);
    run(
        "pg_restore",
        &[
            "--no-owner",
            "--exit-on-error",
            "--dbname",
            &target,
            dump.to_str().unwrap(),
        ],
    );
    let store = tempfile::tempdir().unwrap();
    copy_tree(&backup.path().join("evidence"), store.path());
    let restored = spawn_second_instance_with(
        &app,
        &[
            ("DATABASE_URL", &target),
            ("TRAINYARD_EVIDENCE_STORE", store.path().to_str().unwrap()),
            ("TRAINYARD_DEMO", "0"),
        ],
    )
    .await;

    let pool = sqlx::PgPool::connect(&target).await.unwrap();
    assert_eq!(
        app::services::audit::verify_chain(&pool).await.unwrap(),
        records,
        "the restored chain verifies, every record there"
    );
    for (train, name, sha256) in &artifacts {
        let response = restored
            .request(
                reqwest::Method::GET,
                &format!("/api/v1/release-trains/{train}/evidence/{name}"),
            )
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200, "{train}/{name}");
        let bytes = response.bytes().await.unwrap();
        let digest: String = Sha256::digest(&bytes)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        assert_eq!(
            &digest, sha256,
            "{train}/{name} matches its recorded digest"
        );
    }
    pool.close().await;
    drop(restored);
    admin_execute(&format!(
        r#"DROP DATABASE IF EXISTS "{restored_db}" WITH (FORCE)"#
    ))
    .await;
}
