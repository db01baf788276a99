//! Gate templates through the API: seed 001's and seed 002's presets as
//! templates an admin adds, a track whose new trains get its template's
//! gates, and a template that stays while a track uses it.

use crate::api_client::config_job;
use crate::helpers::spawn_app;
use app::domain::gates::template::presets;
use app::services::actor::Actor;
use app::services::catalog::{export, import, SourceFile};
use chrono::Utc;
use reqwest::Method;
use serde_json::json;

#[tokio::test]
async fn a_tracks_new_trains_get_its_templates_gates_and_the_template_stays_while_used() {
    let app = spawn_app(&[("TRAINYARD_DEMO", "0")]).await;
    let job = config_job(&app).await;
    for preset in presets() {
        let body = serde_json::to_value(&preset).unwrap();
        let (code, answer) = job
            .api(Method::POST, "/api/v1/gate-templates", Some(body.clone()))
            .await;
        assert_eq!(code, 201, "{answer}");
        let (code, _) = job
            .api(Method::POST, "/api/v1/gate-templates", Some(body))
            .await;
        assert_eq!(code, 409, "a name is taken once");
    }
    let (code, refused) = job
        .api(
            Method::POST,
            "/api/v1/gate-templates",
            Some(json!({ "name": "odd", "gates": ["fastest_wins"] })),
        )
        .await;
    assert_eq!(code, 422, "{refused}");
    assert_eq!(refused["error"]["field"], "gates[0]");

    for (path, body) in [
        ("/api/v1/services", json!({ "name": "exchange" })),
        (
            "/api/v1/tracks",
            json!({ "name": "weekly", "gate_template": "seed-001-required-checks" }),
        ),
    ] {
        let (code, answer) = job.api(Method::POST, path, Some(body)).await;
        assert_eq!(code, 201, "{path}: {answer}");
    }
    let (code, missing) = job
        .api(
            Method::POST,
            "/api/v1/tracks",
            Some(json!({ "name": "other", "gate_template": "nope" })),
        )
        .await;
    assert_eq!(code, 422, "{missing}");
    assert_eq!(missing["error"]["field"], "gate_template");

    let (code, train) = app
        .api(
            Method::POST,
            "/api/v1/release-trains",
            Some(json!({
                "name": "v1.0.0-weekly.1", "track": "weekly", "tag": "v1.0.0-weekly.1",
                "participants": ["exchange"], "captain": "cora"
            })),
        )
        .await;
    assert_eq!(code, 201, "{train}");
    let gates: Vec<String> = sqlx::query_scalar(
        "SELECT g.name FROM gate_definition g JOIN train t USING (train_id)
         WHERE t.name = 'v1.0.0-weekly.1' ORDER BY g.position",
    )
    .fetch_all(&app.pool)
    .await
    .unwrap();
    assert_eq!(gates.len(), 17, "{gates:?}");
    assert_eq!(gates[0], "build");

    let (code, held) = job
        .api(
            Method::DELETE,
            "/api/v1/gate-templates/seed-001-required-checks?reason=tidy",
            None,
        )
        .await;
    assert_eq!(code, 409, "{held}");
    assert!(held.to_string().contains("weekly uses"), "{held}");
    let (code, _) = job
        .api(
            Method::DELETE,
            "/api/v1/gate-templates/seed-002-quality?reason=we%20use%20checks",
            None,
        )
        .await;
    assert_eq!(code, 204);
    let records: Vec<String> = sqlx::query_scalar(
        "SELECT action FROM audit_record WHERE action LIKE 'gate_template.%' ORDER BY audit_record_id",
    )
    .fetch_all(&app.pool)
    .await
    .unwrap();
    assert_eq!(
        records,
        [
            "gate_template.create",
            "gate_template.create",
            "gate_template.delete"
        ]
    );

    // As files: exported, imported into an empty install, exported again.
    let first = export(&app.pool).await.unwrap();
    assert!(first
        .tracks
        .contains("gate_template: seed-001-required-checks"));
    let (_, _, other) = crate::helpers::fresh_database().await;
    let file = |path: &str, text: &str| SourceFile {
        path: path.into(),
        text: text.into(),
    };
    import(
        &other,
        &Actor::new("test"),
        &[
            file("config/services.yaml", &first.services),
            file("config/gate-templates.yaml", &first.gate_templates),
            file("config/tracks.yaml", &first.tracks),
        ],
        Utc::now(),
    )
    .await
    .map_err(|e| format!("{e:?}"))
    .unwrap();
    let second = export(&other).await.unwrap();
    assert_eq!(second.gate_templates, first.gate_templates);
    assert_eq!(second.tracks, first.tracks);
}
