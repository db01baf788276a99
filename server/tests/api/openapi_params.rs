//! Issue 17: the OpenAPI document was invalid ("Path parameter 'from' …
//! was not resolved": query parameters declared as path parameters). Every
//! `{name}` of a path is a path parameter of each of its operations, and
//! every path parameter stands in the path.

use crate::helpers::spawn_app;
use std::collections::BTreeSet;

#[tokio::test]
async fn path_parameters_are_exactly_the_braces_of_each_path() {
    let app = spawn_app(&[("TRAINYARD_DEMO", "0")]).await;
    let doc: serde_json::Value = reqwest::get(format!("{}/api/v1/openapi.json", app.address))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let mut operations = 0;
    for (path, item) in doc["paths"].as_object().unwrap() {
        let braces: BTreeSet<&str> = path
            .split('/')
            .filter_map(|p| p.strip_prefix('{')?.strip_suffix('}'))
            .collect();
        for (method, operation) in item.as_object().unwrap() {
            let params = operation["parameters"]
                .as_array()
                .cloned()
                .unwrap_or_default();
            let in_path: BTreeSet<&str> = params
                .iter()
                .filter(|p| p["in"] == "path")
                .filter_map(|p| p["name"].as_str())
                .collect();
            assert_eq!(in_path, braces, "{method} {path}");
            for p in &params {
                assert!(
                    ["path", "query", "header"].contains(&p["in"].as_str().unwrap_or("")),
                    "{method} {path}: {p}"
                );
            }
            operations += 1;
        }
    }
    assert!(operations >= 50, "{operations} operations");
    let calendar = &doc["paths"]["/api/v1/calendar"]["get"]["parameters"];
    let from = calendar
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == "from")
        .unwrap();
    assert_eq!(from["in"], "query");
}
