//! The evidence pages as the server renders them (what a browser without
//! JavaScript gets), and the captains' upload form behind them.

use crate::evidence_upload::fixture;
use crate::helpers::{spawn_app, TestApp};
use crate::oidc::{sign_in, spawn_app_with_sign_in};
use reqwest::multipart::{Form, Part};
use reqwest::Method;

#[tokio::test]
async fn the_evidence_list_and_a_bundle_read_completely_in_the_html() {
    let app = spawn_app(&[]).await;
    let html = app.page("/evidence").await;
    assert!(html.contains("aria-label=\"Evidence bundles\""));
    assert!(html.contains(">curve-1.9.3-release<") && html.contains(">curve-2.1-rollout<"));
    assert!(
        html.contains("no SBOM for participant backtesting"),
        "missing items are called out"
    );
    assert!(
        html.contains(">Evidence<"),
        "the main navigation holds Evidence"
    );

    let html = app.page("/trains/curve-1.9.3-release/evidence").await;
    assert!(
        !html.contains("<template"),
        "complete before any script runs"
    );
    for name in [
        "curve.cdx.json",
        "backtesting.spdx.json",
        "junit.xml",
        "release-metadata.json",
    ] {
        assert!(
            html.contains(&format!("data-testid=\"artifact-{name}\"")),
            "{name} is listed"
        );
        assert!(
            html.contains(&format!(
                "href=\"/api/v1/release-trains/curve-1.9.3-release/evidence/{name}\""
            )),
            "{name} has its raw download"
        );
    }
    assert!(html.contains("Sealed "), "the seal is shown");
    assert!(html.contains("data-testid=\"manifest-sha256\""));
    assert!(html.contains("Complete: the bundle holds everything the policy requires."));
    assert!(html.contains("href=\"/api/v1/release-trains/curve-1.9.3-release/evidence.tar.gz\""));
    assert!(
        !html.contains("Upload evidence"),
        "nobody signed in uploads nothing"
    );
    assert!(html.contains("aria-current=\"page\"") && html.contains(">Overview<"));

    let html = app.page("/trains/curve-2.1-rollout").await;
    assert!(
        html.contains("Evidence missing: no SBOM for backtesting, scenario"),
        "{html}"
    );
    assert!(
        !html.contains("waits until it is there"),
        "no completeness gate is on by default, so none is claimed: {html}"
    );
    assert!(html.contains("href=\"/trains/curve-2.1-rollout/evidence\""));
}

#[tokio::test]
async fn each_artifact_opens_in_the_viewer_of_its_kind() {
    let app = spawn_app(&[]).await;
    let base = "/trains/curve-1.9.3-release/evidence";
    let html = app.page(&format!("{base}/curve.cdx.json")).await;
    assert!(
        html.contains(
            "CycloneDX SBOM 1.5 · 5 component(s) · 4 with a licence · 3 distinct licence(s)"
        ),
        "{html}"
    );
    assert!(html.contains(">serde_derive<") && html.contains(">tokio<"));
    let html = app.page(&format!("{base}/curve.cdx.json?q=tokio")).await;
    assert!(
        html.contains("1 of 5 component(s) match \"tokio\""),
        "{html}"
    );
    assert!(html.contains(">tokio<") && !html.contains(">serde_derive<"));

    let html = app
        .page("/trains/curve-2.1-rollout/evidence/junit.xml")
        .await;
    assert!(html.contains("2 failing case(s)."));
    assert!(html.contains("curve.api.PricingTest › rejects_negative_tenor"));
    assert!(html.contains("expected status 422 but was 200"));
    assert!(
        html.contains("<details"),
        "a failing case opens on its detail"
    );

    let html = app.page(&format!("{base}/provenance.dsse.json")).await;
    assert!(html.contains("https://github.com/acme/curve"));
    assert!(html.contains("4f6e1c2b9a7d3e5f8a0b1c2d3e4f5a6b7c8d9e0f"));
    assert!(html.contains("1 signature(s): shown, not verified yet"));
    assert!(html.contains(".github/workflows/release.yml"));

    let html = app.page(&format!("{base}/release-metadata.json")).await;
    assert!(html.contains("Schema: valid against release metadata v1"));
    assert!(html.contains("Verification: 6 passed, 0 failed, 1 skipped"));
    assert!(html.contains(">v1.9.3<"));

    let html = app.page(&format!("{base}/SHA256SUMS.release")).await;
    assert!(html.contains("curve-linux-arm64.tar.gz") && html.contains("not in the bundle"));
    let html = app.page(&format!("{base}/curve-migrations.sql")).await;
    assert!(html.contains("CREATE TABLE par_swap_quote"));
    let html = app
        .page(&format!("{base}/curve-linux-amd64.tar.gz.sig"))
        .await;
    assert!(html.contains("Verifying it against the release artifacts comes in a later step"));
    assert_eq!(app.get(&format!("{base}/nothing.json")).await.status(), 404);
}

async fn post_upload(who: &TestApp, train: &str, form: Form) -> reqwest::Response {
    who.request(Method::POST, &format!("/trains/{train}/evidence"))
        .header("origin", &who.address)
        .multipart(form)
        .send()
        .await
        .unwrap()
}

fn location(response: &reqwest::Response) -> String {
    assert_eq!(response.status(), 303);
    response.headers()["location"].to_str().unwrap().to_owned()
}

#[tokio::test]
async fn a_captain_uploads_through_the_form_and_is_sent_back_with_the_outcome() {
    let app = spawn_app_with_sign_in(&[]).await;
    let carl = sign_in(&app, "carl").await;
    let page = carl.page("/trains/curve-2.1-rollout/evidence").await;
    assert!(
        page.contains("enctype=\"multipart/form-data\""),
        "captains see the form"
    );

    let sbom = || Part::bytes(fixture("backtesting.spdx.json")).file_name("backtesting.spdx.json");
    let form = Form::new()
        .text("kind", "spdx_sbom")
        .text("participant", "backtesting")
        .text("name", "")
        .text("sha256", "")
        .part("file", sbom());
    let to = location(&post_upload(&carl, "curve-2.1-rollout", form).await);
    assert_eq!(
        to,
        "/trains/curve-2.1-rollout/evidence?uploaded=backtesting.spdx.json"
    );
    let page = carl.page(&to).await;
    assert!(page.contains("Uploaded backtesting.spdx.json: checked and stored."));
    assert!(page.contains("data-testid=\"artifact-backtesting.spdx.json\""));
    assert!(!page.contains("no SBOM for participant backtesting"));

    let form = Form::new()
        .text("kind", "cyclonedx_sbom")
        .text("participant", "scenario")
        .part(
            "file",
            Part::bytes(fixture("not-cyclonedx.json")).file_name("scenario.json"),
        );
    let to = location(&post_upload(&carl, "curve-2.1-rollout", form).await);
    assert!(
        to.contains("error=declared+cyclonedx_sbom+but") && to.ends_with("&field=file"),
        "{to}"
    );
    let page = carl.page(&to).await;
    assert!(
        page.contains("declared cyclonedx_sbom but the document has no bomFormat"),
        "{page}"
    );

    let val = sign_in(&app, "val").await;
    let form = Form::new().text("kind", "spdx_sbom").part("file", sbom());
    let to = location(&post_upload(&val, "curve-2.1-rollout", form).await);
    assert!(to.contains("error=you+may+not+upload+evidence"), "{to}");
    assert!(!val
        .page("/trains/curve-2.1-rollout/evidence")
        .await
        .contains("Upload evidence"));
}
