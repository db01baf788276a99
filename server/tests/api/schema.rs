use crate::helpers::fresh_database;

async fn insert_track(pool: &sqlx::PgPool, name: &str) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "INSERT INTO track (name, cadence_description) VALUES ($1, 'On demand') RETURNING track_id",
    )
    .bind(name)
    .fetch_one(pool)
    .await
}

fn constraint(err: sqlx::Error) -> String {
    err.as_database_error()
        .and_then(|e| e.constraint())
        .unwrap_or_default()
        .to_owned()
}

#[tokio::test]
async fn the_database_refuses_what_the_domain_refuses() {
    let (_, _, pool) = fresh_database().await;
    assert_eq!(
        constraint(insert_track(&pool, "Dev").await.unwrap_err()),
        "track_name_check"
    );
    let track = insert_track(&pool, "dev").await.unwrap();
    let insert_train = |tag: &'static str, status: &'static str| {
        sqlx::query(
            "INSERT INTO train (track_id, tag, name, planned_start, status)
             VALUES ($1, $2, 't-' || gen_random_uuid(), now(), $3)",
        )
        .bind(track)
        .bind(tag)
        .bind(status)
        .execute(&pool)
    };
    insert_train("v0.5.0-dev.1", "open").await.unwrap();
    assert_eq!(
        constraint(insert_train("v0.5.0-dev.1", "open").await.unwrap_err()),
        "train_track_id_tag_key"
    );
    assert_eq!(
        constraint(insert_train("v0.5.0-dev.2", "running").await.unwrap_err()),
        "train_status_check"
    );
    assert_eq!(
        constraint(insert_train("0.5.0", "open").await.unwrap_err()),
        "train_tag_check"
    );
    let bad_rule =
        sqlx::query("UPDATE track SET cadence_rrule = 'FREQ=WEEKLY' WHERE track_id = $1")
            .bind(track)
            .execute(&pool)
            .await
            .unwrap_err();
    assert_eq!(constraint(bad_rule), "track_cadence_rrule_check");
}

#[tokio::test]
async fn the_train_model_keeps_its_invariants_in_the_database() {
    let (_, _, pool) = fresh_database().await;
    let train: i64 = sqlx::query_scalar("INSERT INTO train (name) VALUES ('t') RETURNING train_id")
        .fetch_one(&pool)
        .await
        .unwrap();
    let paused_without_origin =
        sqlx::query("UPDATE train SET state = 'paused' WHERE train_id = $1")
            .bind(train)
            .execute(&pool)
            .await
            .unwrap_err();
    assert_eq!(
        constraint(paused_without_origin),
        "train_paused_from_iff_paused"
    );
    let half_slot = sqlx::query("UPDATE train SET tag = 'v1.0.0' WHERE train_id = $1")
        .bind(train)
        .execute(&pool)
        .await
        .unwrap_err();
    assert_eq!(constraint(half_slot), "train_calendar_slot");
    let service: i64 =
        sqlx::query_scalar("INSERT INTO service (name) VALUES ('curve') RETURNING service_id")
            .fetch_one(&pool)
            .await
            .unwrap();
    let both_values = sqlx::query(
        "INSERT INTO gate_result (train_id, service_id, key, value_number, value_pass, reported_by)
         VALUES ($1, $2, 'k', 1, true, 'ci')",
    )
    .bind(train)
    .bind(service)
    .execute(&pool)
    .await
    .unwrap_err();
    assert_eq!(constraint(both_values), "gate_result_check");
    let self_dependency = sqlx::query("INSERT INTO service_dependency VALUES ($1, $1)")
        .bind(service)
        .execute(&pool)
        .await
        .unwrap_err();
    assert_eq!(constraint(self_dependency), "service_dependency_check");
}
