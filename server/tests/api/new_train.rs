//! `/trains/new`: a captain's form goes through the same service call as
//! seed 002's create body; a line it cannot read is named, and only a
//! captain may create.

use crate::calendar_edit::post_form;
use crate::oidc::{sign_in, spawn_app_with_sign_in};
use reqwest::Method;

fn form<'a>(name: &'a str, participants: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("name", name),
        ("track", ""),
        ("tag", ""),
        ("target_version", "3.1.0"),
        ("participants", participants),
        ("dependencies", "spec curves-api >=2.0.0\n"),
        ("planned_start", "2031-01-07T14:00"),
        ("captain", "carl"),
        ("on_call", "ana"),
    ]
}

#[tokio::test]
async fn a_captain_creates_a_train_by_hand_as_the_api_would() {
    let app = spawn_app_with_sign_in(&[]).await;
    let carl = sign_in(&app, "carl").await;
    let page = carl.page("/trains/new").await;
    assert!(page.contains("Create the train"), "{page}");

    let (status, body) = post_form(
        &carl,
        "trains/create",
        &form("hand-made", "curve 3.1.0 3.0.0\nscenario 3.1.0 3.0.0\n"),
    )
    .await;
    assert!(status < 400, "{status}: {body}");
    let (code, train) = app
        .api(Method::GET, "/api/v1/release-trains/hand-made", None)
        .await;
    assert_eq!(code, 200, "{train}");
    let services: Vec<&str> = train["participants"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["service"].as_str().unwrap())
        .collect();
    assert_eq!(services, ["curve", "scenario"], "in release order");
    assert_eq!(train["captain"], "carl");
    let created: String = sqlx::query_scalar(
        "SELECT actor FROM audit_record WHERE action = 'train.create' AND resource = 'train:hand-made'",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!(created, "carl");

    let (status, body) = post_form(
        &carl,
        "trains/create",
        &form("hand-made-2", "curve 3.1.0\ncurve 1 2 3\n"),
    )
    .await;
    assert_eq!(status, 422, "{body}");
    assert!(body.to_string().contains("line 2"), "{body}");

    let val = sign_in(&app, "val").await;
    let (status, _) = post_form(&val, "trains/create", &form("not-mine", "curve")).await;
    assert_eq!(status, 403, "a viewer may not create trains");
    let count: i64 =
        sqlx::query_scalar("SELECT count(*) FROM train WHERE name IN ('hand-made-2', 'not-mine')")
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!(count, 0);
}
