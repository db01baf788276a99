use crate::helpers::{spawn_app, strip_markers};

async fn stored_tags(app: &crate::helpers::TestApp, track: Option<&str>) -> Vec<String> {
    sqlx::query_scalar(
        "SELECT t.tag FROM train t JOIN track k USING (track_id)
         WHERE $1::text IS NULL OR k.name = $1 ORDER BY t.planned_start",
    )
    .bind(track)
    .fetch_all(&app.pool)
    .await
    .unwrap()
}

#[tokio::test]
async fn the_calendar_html_holds_every_upcoming_train_before_any_script_runs() {
    let app = spawn_app(&[]).await;
    let response = app.get("/calendar").await;
    assert_eq!(response.status(), 200);
    assert!(response.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/html"));
    let html = app.page("/calendar").await;
    assert!(
        !html.contains("<template"),
        "rows must be in the document, not in a streamed template"
    );
    let tags = stored_tags(&app, None).await;
    assert!(
        tags.len() >= 6,
        "the demo plans several weeks of trains, found {tags:?}"
    );
    for tag in &tags {
        assert!(
            html.contains(&format!(">{tag}<")),
            "{tag} is missing from the server-rendered calendar"
        );
    }
    assert!(
        html.contains(
            "no on-call yet: this train will be skipped at cut time unless someone takes it"
        ),
        "the demo's unassigned train shows the skip rule's warning"
    );
    for nav in [
        "Dashboard",
        "Calendar",
        "Trains",
        "Evidence",
        "Audit",
        "Admin",
    ] {
        assert!(html.contains(&format!(">{nav}<")), "navigation lacks {nav}");
    }
}

#[tokio::test]
async fn filtering_by_track_works_on_the_server_too() {
    let app = spawn_app(&[]).await;
    let html = app.page("/calendar?track=staging").await;
    let staging = stored_tags(&app, Some("staging")).await;
    let dev = stored_tags(&app, Some("dev")).await;
    assert!(!staging.is_empty() && !dev.is_empty());
    assert!(staging.iter().all(|t| html.contains(&format!(">{t}<"))));
    assert!(
        dev.iter().all(|t| !html.contains(&format!(">{t}<"))),
        "dev trains must be filtered out"
    );
}

#[tokio::test]
async fn html_documents_allow_their_own_scripts_by_hash_and_carry_the_security_headers() {
    let app = spawn_app(&[]).await;
    let response = app.get("/calendar").await;
    let headers = response.headers().clone();
    let csp = headers["content-security-policy"]
        .to_str()
        .unwrap()
        .to_owned();
    let html = response.text().await.unwrap();
    let hashes = crate::page_cache::inline_script_hashes(&html);
    assert!(!hashes.is_empty(), "the hydration script is inline");
    for hash in hashes {
        assert!(csp.contains(&hash), "{hash} must be allowed by {csp}");
    }
    assert!(csp.contains("'wasm-unsafe-eval'") && csp.contains("frame-ancestors 'none'"));
    assert!(!csp.contains("unsafe-inline"));
    assert_eq!(headers["x-content-type-options"], "nosniff");
    assert_eq!(
        headers["referrer-policy"],
        "strict-origin-when-cross-origin"
    );
    let json = app.get("/healthz").await;
    assert!(json.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .contains("frame-ancestors 'none'"));
}

#[tokio::test]
async fn an_unknown_page_is_a_real_404() {
    let app = spawn_app(&[]).await;
    let response = app.get("/no/such/page").await;
    assert_eq!(response.status(), 404);
    assert!(strip_markers(&response.text().await.unwrap()).contains("Page not found</h1>"));
}

#[tokio::test]
async fn every_page_of_the_navigation_renders() {
    let app = spawn_app(&[]).await.anonymous();
    for (path, heading, status) in [
        ("/", "Dashboard", 200),
        ("/trains", "Trains", 200),
        // The audit trail and the admin page need someone signed in.
        ("/audit", "Audit", 401),
        ("/admin", "Admin", 401),
    ] {
        assert_eq!(app.get(path).await.status(), status, "{path}");
        let html = app.page(path).await;
        assert!(
            html.contains(&format!("{heading}</h1>")),
            "{path} lacks its heading"
        );
    }
    let dashboard = app.page("/").await;
    let next_dev = stored_tags(&app, Some("dev")).await.remove(0);
    assert!(
        dashboard.contains(&next_dev),
        "the dashboard shows the next dev train {next_dev}"
    );
}
