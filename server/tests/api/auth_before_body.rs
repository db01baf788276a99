//! Issue 17's "authentication after parsing": every write route of the API
//! answers 401 to a caller with no session and no token before it reads the
//! body, so a malformed body tells an anonymous caller nothing.

use crate::helpers::spawn_app;

#[tokio::test]
async fn every_write_route_refuses_an_anonymous_caller_before_reading_the_body() {
    let app = spawn_app(&[("TRAINYARD_DEMO", "0")]).await;
    let anonymous = reqwest::Client::new();
    let doc: serde_json::Value = anonymous
        .get(format!("{}/api/v1/openapi.json", app.address))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let mut checked = 0;
    for (path, operations) in doc["paths"].as_object().unwrap() {
        let concrete = path
            .split('/')
            .map(|part| if part.starts_with('{') { "x" } else { part })
            .collect::<Vec<_>>()
            .join("/");
        for method in ["post", "put", "patch", "delete"] {
            if operations.get(method).is_none() {
                continue;
            }
            let url = format!("{}{concrete}", app.address);
            let response = anonymous
                .request(method.to_uppercase().parse().unwrap(), &url)
                .header("content-type", "application/json")
                .body("{ this is not json")
                .send()
                .await
                .unwrap();
            let status = response.status();
            let body: serde_json::Value = response.json().await.unwrap_or_default();
            assert_eq!(status, 401, "{method} {path}: {body}");
            assert_eq!(body["error"]["code"], "unauthenticated", "{method} {path}");
            checked += 1;
        }
    }
    assert!(checked >= 30, "only {checked} write routes were found");
    // With a token the same malformed body is what is wrong.
    let response = app
        .client
        .post(format!("{}/api/v1/release-trains", app.address))
        .bearer_auth(app.bearer.clone().unwrap())
        .header("content-type", "application/json")
        .body("{ this is not json")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 400);
}
