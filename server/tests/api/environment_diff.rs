//! What changed between two environments: per service, what each runs,
//! the trains in between and the changes CI reported for them, each once.

use crate::api_client::token_for;
use crate::deployments::{deploy, organisation};
use reqwest::Method;
use serde_json::{json, Value};

fn commit(sha: &str, title: &str) -> Value {
    json!({ "sha": sha, "title": title, "author": "ana", "committed_at": "2026-11-20T10:00:00Z" })
}

#[tokio::test]
async fn two_environments_compare_by_the_trains_between_them() {
    let app = organisation().await;
    let cd = token_for(&app, "cd", "deployments:write").await;
    let train = json!({ "name": "wk-2", "track": "weekly", "tag": "v2.2.0-rc1", "gates": [],
        "participants": [{ "service": "curve", "target_version": "2.2.0" }] });
    let (code, body) = app
        .api(Method::POST, "/api/v1/release-trains", Some(train))
        .await;
    assert_eq!(code, 201, "{body}");
    for (name, changes) in [
        ("wk-1", vec![commit("aaaaaaa1", "feat: curves by tenor")]),
        (
            "wk-2",
            vec![
                commit("bbbbbbb2", "fix: holiday calendars"),
                commit("aaaaaaa1", "feat: curves by tenor"),
                commit("ccccccc3", "feat!: drop v1 curves"),
            ],
        ),
    ] {
        let (code, body) = app
            .api(
                Method::POST,
                &format!("/api/v1/release-trains/{name}/changes"),
                Some(json!({ "participant": "curve", "changes": changes })),
            )
            .await;
        assert_eq!(code, 200, "{body}");
    }
    for (version, env, run) in [
        ("2.1.0", "prod", "r-1"),
        ("2.2.0", "stage", "r-2"),
        ("2.2.0", "preview", "r-3"),
    ] {
        let (code, body) = cd
            .api(
                Method::POST,
                "/api/v1/deployments",
                Some(deploy("curve", version, env, "succeeded", run)),
            )
            .await;
        assert_eq!(code, 201, "{body}");
    }
    let (code, body) = cd
        .api(
            Method::POST,
            "/api/v1/deployments",
            Some(deploy("backtesting", "9.0.0", "prod", "succeeded", "r-4")),
        )
        .await;
    assert_eq!(code, 201, "{body}");

    let (code, diff) = app
        .api(
            Method::GET,
            "/api/v1/running/compare?from=stage&to=prod",
            None,
        )
        .await;
    assert_eq!(code, 200, "{diff}");
    let curve = diff["services"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["service"] == "curve")
        .unwrap();
    assert_eq!(
        (
            &curve["drift"],
            &curve["from_version"],
            &curve["to_version"]
        ),
        (&json!("ahead"), &json!("2.2.0"), &json!("2.1.0")),
        "{diff:#}"
    );
    assert_eq!(
        (&curve["from_train"], &curve["to_train"]),
        (&json!("wk-2"), &json!("wk-1"))
    );
    assert_eq!(
        curve["trains"],
        json!(["wk-2"]),
        "the hotfix still being planned shipped nothing"
    );
    let shas: Vec<&str> = curve["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["sha"].as_str().unwrap())
        .collect();
    assert_eq!(shas.len(), 3, "each change once: {shas:?}");
    assert!(
        curve["changes"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["breaking"] == true),
        "{curve:#}"
    );
    let backtesting = diff["services"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["service"] == "backtesting")
        .unwrap();
    assert_eq!(backtesting["drift"], "behind", "only prod runs it");

    // The other way round, and two environments that agree.
    let (_, back) = app
        .api(
            Method::GET,
            "/api/v1/running/compare?from=prod&to=stage",
            None,
        )
        .await;
    let curve = back["services"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["service"] == "curve")
        .unwrap();
    assert_eq!(curve["drift"], "behind");
    let (_, same) = app
        .api(
            Method::GET,
            "/api/v1/running/compare?from=preview&to=stage",
            None,
        )
        .await;
    let curve = same["services"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["service"] == "curve")
        .unwrap();
    assert_eq!(
        (&curve["drift"], &curve["changes"]),
        (&json!("same"), &json!([]))
    );

    // The Deployments page shows it whole, without a script.
    let page = app.get("/deployments?from=stage&to=prod").await;
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(
        html.contains("What changed from stage to prod"),
        "the comparison"
    );
    let change = html.find("drop v1 curves").expect("its changes");
    assert!(
        html[change..change + 80].contains("(breaking)"),
        "{}",
        &html[change..change + 80]
    );

    let (code, refused) = app
        .api(
            Method::GET,
            "/api/v1/running/compare?from=stage&to=stage",
            None,
        )
        .await;
    assert_eq!(
        (code, refused["error"]["field"].as_str()),
        (422, Some("to"))
    );
    let (code, refused) = app
        .api(
            Method::GET,
            "/api/v1/running/compare?from=moon&to=prod",
            None,
        )
        .await;
    assert_eq!(
        (code, refused["error"]["field"].as_str()),
        (422, Some("from"))
    );
    let (code, _) = app
        .api(Method::GET, "/api/v1/running/compare?from=stage", None)
        .await;
    assert_eq!(code, 400);
}
