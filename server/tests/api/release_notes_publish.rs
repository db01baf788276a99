//! People edit a train's release notes and publish them: the captain or
//! the communications role, never over someone else's newer draft; each
//! published version is kept, downloadable, on the timeline, in the audit
//! trail and (until the bundle is sealed) in the evidence bundle.

use crate::api_client::{create, error_code, seed_train, transition};
use crate::evidence_upload::evidence_train;
use crate::oidc::{sign_in, spawn_app_with_sign_in};
use crate::webhooks_api::as_person;
use reqwest::Method;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

const DRAFT: &str = "/api/v1/release-trains/notes-p/release-notes/draft";
const PUBLISH: &str = "/api/v1/release-trains/notes-p/release-notes/publish";

fn hex_sha256(text: &str) -> String {
    format!("{:x}", Sha256::digest(text.as_bytes()))
}

#[tokio::test]
async fn editors_draft_and_publish_versions_that_reach_the_evidence_bundle() {
    let app = spawn_app_with_sign_in(&[]).await;
    let (code, body) = create(&app, seed_train("notes-p")).await;
    assert_eq!(code, 201, "{body}");
    let carl = sign_in(&app, "carl").await;
    let cleo = sign_in(&app, "cleo").await;
    let val = sign_in(&app, "val").await;

    // Nobody saved a draft: it is the generated notes, revision 0.
    let (code, draft) = as_person(&val, Method::GET, DRAFT, None).await;
    assert_eq!(code, 200, "{draft}");
    assert_eq!(draft["revision"], 0);
    assert_eq!(draft["markdown"], draft["generated"]);
    assert!(draft["markdown"].as_str().unwrap().starts_with("# notes-p"));

    // A viewer may read but not edit; the refusal names who may.
    let edit = |text: &str, revision: i64| json!({ "markdown": text, "revision": revision });
    let (code, refused) = as_person(&val, Method::PUT, DRAFT, Some(edit("# mine", 0))).await;
    assert_eq!(code, 403, "{refused}");
    assert!(
        refused["error"]["message"]
            .as_str()
            .unwrap()
            .contains("captain or communications"),
        "{refused}"
    );

    let (code, saved) = as_person(
        &carl,
        Method::PUT,
        DRAFT,
        Some(edit("# notes-p\r\n\r\nCurve gets faster.", 0)),
    )
    .await;
    assert_eq!(code, 200, "{saved}");
    assert_eq!(saved["revision"], 1);
    assert_eq!(saved["markdown"], "# notes-p\n\nCurve gets faster.\n");
    assert_eq!(saved["edited_by"], "carl");

    // Cleo opened revision 0 before Carl saved: her edit is refused, not
    // written over his.
    let (code, conflict) = as_person(&cleo, Method::PUT, DRAFT, Some(edit("# cleo's", 0))).await;
    assert_eq!(code, 409, "{conflict}");
    assert!(
        conflict["error"]["message"]
            .as_str()
            .unwrap()
            .contains("carl"),
        "{conflict}"
    );
    let text = "# notes-p\n\n## Highlights\n\nCurve is twice as fast.\n";
    let (code, saved) = as_person(&cleo, Method::PUT, DRAFT, Some(edit(text, 1))).await;
    assert_eq!(code, 200, "{saved}");
    assert_eq!(saved["revision"], 2);

    // A bad draft is refused naming the field, and changes nothing.
    let (code, bad) = as_person(&cleo, Method::PUT, DRAFT, Some(edit("  ", 2))).await;
    assert_eq!(code, 422, "{bad}");
    assert_eq!(bad["error"]["field"], "markdown", "{bad}");

    let (code, v1) = as_person(
        &cleo,
        Method::POST,
        PUBLISH,
        Some(json!({ "reason": "ready for customers", "revision": 2 })),
    )
    .await;
    assert_eq!(code, 200, "{v1}");
    assert_eq!(v1["version"], 1);
    assert_eq!(v1["markdown"], text);
    assert_eq!(v1["sha256"], hex_sha256(text));
    assert_eq!(v1["in_evidence"], true);
    assert_eq!(v1["published_by"], "cleo");

    // Publishing the same text again is the same version.
    let (code, again) = as_person(&carl, Method::POST, PUBLISH, Some(json!({}))).await;
    assert_eq!(code, 200, "{again}");
    assert_eq!(again["version"], 1);

    // The evidence bundle holds the published notes.
    let (_, bundle) = app
        .api(Method::GET, "/api/v1/release-trains/notes-p/evidence", None)
        .await;
    let notes = bundle["artifacts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["name"] == "release-notes.md")
        .unwrap_or_else(|| panic!("no notes in {bundle}"));
    assert_eq!(notes["kind"], "release_notes");
    assert_eq!(notes["sha256"], hex_sha256(text));

    // A second version replaces them there; both stay downloadable.
    let text2 = format!("{text}\n## Known Issues\n\nNaN on holidays.\n");
    as_person(&carl, Method::PUT, DRAFT, Some(edit(&text2, 2))).await;
    let (code, v2) = as_person(&carl, Method::POST, PUBLISH, Some(json!({}))).await;
    assert_eq!(code, 200, "{v2}");
    assert_eq!(v2["version"], 2);
    let download = app
        .get("/api/v1/release-trains/notes-p/release-notes.md")
        .await;
    assert!(download.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .contains("notes-p-v2.md"));
    assert_eq!(download.text().await.unwrap(), text2);
    let first = app
        .get("/api/v1/release-trains/notes-p/release-notes/versions/1/markdown")
        .await;
    assert_eq!(first.status(), 200);
    assert_eq!(first.text().await.unwrap(), text);
    let (code, _) = app
        .api(
            Method::GET,
            "/api/v1/release-trains/notes-p/release-notes/versions/7",
            None,
        )
        .await;
    assert_eq!(code, 404);
    let (_, bundle) = app
        .api(Method::GET, "/api/v1/release-trains/notes-p/evidence", None)
        .await;
    let shas: Vec<&Value> = bundle["artifacts"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["kind"] == "release_notes")
        .map(|a| &a["sha256"])
        .collect();
    assert_eq!(shas, [&json!(hex_sha256(&text2))]);

    // Every save and publication is on the timeline and in the audit trail
    // with its text.
    let kinds: Vec<String> = sqlx::query_scalar(
        "SELECT e.detail::text FROM train_event e JOIN train t USING (train_id)
         WHERE t.name = 'notes-p' AND e.kind = 'notes' ORDER BY e.train_event_id",
    )
    .fetch_all(&app.pool)
    .await
    .unwrap();
    assert_eq!(kinds.len(), 5, "{kinds:?}");
    let published: Value = sqlx::query_scalar(
        "SELECT after FROM audit_record WHERE action = 'train.release_notes_publish'
         ORDER BY audit_record_id LIMIT 1",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!(published["markdown"], text);
    assert_eq!(published["version"], 1);

    // The Changes tab renders on the server: the versions for everyone, the
    // editor only for those who may edit.
    let page = cleo.page("/trains/notes-p/changes").await;
    assert!(page.contains("Version 2"), "{page}");
    assert!(page.contains("Publish the saved draft"), "{page}");
    let page = val.page("/trains/notes-p/changes").await;
    assert!(page.contains("Version 1"), "{page}");
    assert!(!page.contains("Publish the saved draft"), "{page}");
}

#[tokio::test]
async fn notes_published_after_the_seal_are_kept_but_leave_the_bundle_alone() {
    let app = spawn_app_with_sign_in(&[]).await;
    evidence_train(&app, "notes-p").await;
    for to in [
        "validating",
        "staging",
        "executing",
        "verifying",
        "completed",
    ] {
        let (code, body) = transition(&app, "notes-p", to).await;
        assert_eq!(code, 200, "{to}: {body}");
    }
    let carl = sign_in(&app, "carl").await;
    let (code, v1) = as_person(&carl, Method::POST, PUBLISH, Some(json!({}))).await;
    assert_eq!(code, 200, "{v1}");
    assert_eq!(v1["in_evidence"], false);
    let (_, bundle) = app
        .api(Method::GET, "/api/v1/release-trains/notes-p/evidence", None)
        .await;
    assert_eq!(bundle["artifacts"], json!([]), "{bundle}");

    // A stale revision is refused before anything is published.
    let (code, stale) =
        as_person(&carl, Method::POST, PUBLISH, Some(json!({ "revision": 3 }))).await;
    assert_eq!(code, 409, "{stale}");
    assert_eq!(error_code(&stale), "conflict");
}
