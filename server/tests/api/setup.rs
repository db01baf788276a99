//! The first run: an empty install says it is not set up, tells an admin
//! where to start and everyone else whom to ask, and stops saying so once
//! it has services and tracks.

use crate::oidc::{sign_in, spawn_app_with_sign_in};
use reqwest::Method;
use serde_json::json;

#[tokio::test]
async fn an_empty_install_shows_admins_where_to_start_and_others_whom_to_ask() {
    let app = spawn_app_with_sign_in(&[("TRAINYARD_DEMO", "0")]).await;
    let admin = sign_in(&app, "adam").await;
    let viewer = sign_in(&app, "val").await;

    let dashboard = viewer.page("/").await;
    assert!(
        dashboard.contains("Trainyard is not set up yet"),
        "{dashboard}"
    );
    assert!(dashboard.contains("Ask an administrator"), "{dashboard}");
    assert!(
        !dashboard.contains(r#"href="/setup""#),
        "a viewer gets no set-up link"
    );
    let steps = viewer.page("/setup").await;
    assert!(
        steps.contains("no services yet") && steps.contains("no tracks yet"),
        "{steps}"
    );
    assert!(
        !steps.contains(r#"href="/admin/services""#),
        "a viewer gets no admin links"
    );

    let dashboard = admin.page("/").await;
    assert!(dashboard.contains(r#"href="/setup""#), "{dashboard}");
    let steps = admin.page("/setup").await;
    for page in ["/admin/services", "/admin/tracks", "/admin/policies"] {
        assert!(
            steps.contains(&format!(r#"href="{page}""#)),
            "{page} in {steps}"
        );
    }

    for (path, body) in [
        ("/api/v1/services", json!({ "name": "ledger" })),
        (
            "/api/v1/environments",
            json!({ "name": "live", "kind": "production" }),
        ),
        ("/api/v1/tracks", json!({ "name": "weekly" })),
    ] {
        let response = admin
            .request(Method::POST, path)
            .header("origin", &admin.address)
            .json(&body)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status().as_u16(), 201, "{path}");
    }
    let dashboard = viewer.page("/").await;
    assert!(!dashboard.contains("not set up yet"), "{dashboard}");
    let steps = viewer.page("/setup").await;
    assert!(
        steps.contains("1 service") && steps.contains("1 environment") && steps.contains("1 track"),
        "{steps}"
    );
    assert!(
        steps.contains(
            "Trains have services to release, environments to go to and tracks to run on."
        ),
        "{steps}"
    );
}
