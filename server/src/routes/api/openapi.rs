//! The OpenAPI document of `/api/v1`: the router's own list of routes (each
//! handler's `#[utoipa::path]`), completed with the answers every route of
//! a kind can give, so that the document lists every status a handler or a
//! layer in front of it can answer.

use super::error;
use axum::http::header;
use axum::response::IntoResponse;
use serde_json::{json, Map, Value};
use utoipa::OpenApi;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Trainyard API",
        version = "1",
        description = "Release trains: planning, gates, execution, promotions, rollback, evidence bundles."
    ),
    components(schemas(error::ErrorBody))
)]
struct ApiDoc;

/// The handler serving the document built from `paths` (the router's).
pub fn serve(
    paths: utoipa::openapi::OpenApi,
) -> impl Fn() -> std::future::Ready<axum::response::Response> + Clone {
    let document = document(paths);
    super::request_schema::install(&document);
    let document = bytes::Bytes::from(document.to_string());
    move || {
        std::future::ready(
            (
                [(header::CONTENT_TYPE, "application/json")],
                document.clone(),
            )
                .into_response(),
        )
    }
}

/// The complete document as JSON.
pub fn document(paths: utoipa::openapi::OpenApi) -> Value {
    let doc = ApiDoc::openapi().nest("/api/v1", paths);
    let mut doc = serde_json::to_value(doc).expect("the document serializes");
    complete(&mut doc);
    doc
}

const WRITES: [&str; 4] = ["post", "put", "patch", "delete"];
const METHODS: [&str; 5] = ["get", "post", "put", "patch", "delete"];

/// Adds to every operation the answers its kind shares, and the ways to
/// authenticate.
fn complete(doc: &mut Value) {
    doc["components"]["securitySchemes"] = json!({
        "bearer": {
            "type": "http",
            "scheme": "bearer",
            "description": "An API token (`trainyard token create`); its scopes say what it may write."
        },
        "session": {
            "type": "apiKey",
            "in": "cookie",
            "name": "trainyard_session",
            "description": "The session of a person signed in through OpenID Connect."
        }
    });
    if let Some(schemas) = doc["components"]["schemas"].as_object_mut() {
        schemas.values_mut().for_each(printable_strings);
        schemas.insert(PRINTABLE_VALUE.into(), printable_value());
    }
    let Some(paths) = doc["paths"].as_object_mut() else {
        return;
    };
    for (path, item) in paths.iter_mut() {
        for method in METHODS {
            if let Some(operation) = item.get_mut(method) {
                complete_operation(path, method, operation);
            }
        }
    }
}

/// What the API's edge refuses in every string (a control character other
/// than tab and line breaks), as a pattern: JSON Schema's regular
/// expressions are ECMA-262's, which Python's `re` reads the same way.
const PRINTABLE: &str = "^[^\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F-\\u009F]*$";

/// The component naming any JSON value without control characters.
const PRINTABLE_VALUE: &str = "PrintableValue";

/// Any JSON value whose strings and keys, at any depth, hold no control
/// character: what the edge lets through where a schema names no type.
fn printable_value() -> Value {
    let itself = format!("#/components/schemas/{PRINTABLE_VALUE}");
    json!({
        "description": "Any JSON value without control characters in its strings or keys.",
        "anyOf": [
            { "type": "string", "pattern": PRINTABLE },
            { "type": ["number", "boolean", "null"] },
            { "type": "array", "items": { "$ref": itself } },
            {
                "type": "object",
                "propertyNames": { "pattern": PRINTABLE },
                "additionalProperties": { "$ref": itself }
            }
        ]
    })
}

/// Gives every free string of `schema` (no pattern, format or enum of its
/// own) the edge's rule.
fn printable_strings(schema: &mut Value) {
    match schema {
        Value::Object(fields) => {
            let free_string = fields.get("type").is_some_and(|t| {
                t == "string"
                    || t.as_array()
                        .is_some_and(|a| a.iter().any(|t| t == "string"))
            }) && !["pattern", "format", "enum", "const"]
                .iter()
                .any(|k| fields.contains_key(*k));
            if free_string {
                fields.insert("pattern".into(), PRINTABLE.into());
            }
            // An object that takes keys beyond its properties (which the
            // handler ignores): the edge still refuses control characters
            // in those keys and anywhere in their values.
            let object = fields.get("type").is_some_and(|t| t == "object");
            let closed = fields.get("additionalProperties") == Some(&Value::Bool(false));
            if object && !closed && !fields.contains_key("propertyNames") {
                fields.insert("propertyNames".into(), json!({ "pattern": PRINTABLE }));
            }
            if object && !fields.contains_key("additionalProperties") {
                fields.insert(
                    "additionalProperties".into(),
                    json!({ "$ref": format!("#/components/schemas/{PRINTABLE_VALUE}") }),
                );
            }
            fields.values_mut().for_each(printable_strings);
        }
        Value::Array(items) => items.iter_mut().for_each(printable_strings),
        _ => {}
    }
}

fn complete_operation(path: &str, method: &str, operation: &mut Value) {
    let write = WRITES.contains(&method);
    let mut shared = vec![
        (
            "400",
            "The address, the query or the body is malformed (the error names the field)",
        ),
        (
            "429",
            "Too many failed tokens from this address or for this token: wait `Retry-After` seconds",
        ),
        (
            "503",
            "The database is unavailable or every connection stayed busy: nothing was \
             changed; try again after `Retry-After` seconds",
        ),
    ];
    if path.contains('{') {
        shared.push(("404", "Nothing of that name"));
    }
    if write {
        shared.push(("401", "Nobody is signed in and no token was given"));
        shared.push((
            "403",
            "The signed-in person lacks the role, or the token the scope",
        ));
    }
    let has_body = operation.get("requestBody").is_some();
    if has_body {
        shared.push((
            "408",
            "The body arrived too slowly (`TRAINYARD_BODY_MIN_RATE`); nothing was changed",
        ));
        shared.push(("413", "The body is larger than this route accepts"));
    }
    if has_body || has_query(operation) {
        shared.push((
            "422",
            "The request is well-formed, but a rule refuses what it says (the error names the field)",
        ));
    }
    if let Some(parameters) = operation.get_mut("parameters") {
        printable_strings(parameters);
    }
    if let Some(body) = operation.get_mut("requestBody") {
        printable_strings(body);
        // A form's parts are its properties, and no other (the upload
        // refuses a part it does not know).
        if let Some(form) = body.pointer_mut("/content/multipart~1form-data/schema") {
            form["additionalProperties"] = false.into();
        }
    }
    operation["operationId"] = operation_id(path, method).into();
    let responses = operation["responses"]
        .as_object_mut()
        .expect("every operation lists its responses");
    for (status, description) in shared {
        responses
            .entry(status)
            .or_insert_with(|| error_response(status, description));
    }
    operation["security"] = if write {
        json!([{ "bearer": [] }, { "session": [] }])
    } else {
        json!([{}, { "bearer": [] }, { "session": [] }])
    };
}

/// Whether the operation takes query parameters (whose values, like a
/// body's, may be well-formed and still refused).
fn has_query(operation: &Value) -> bool {
    operation["parameters"]
        .as_array()
        .is_some_and(|ps| ps.iter().any(|p| p["in"] == "query"))
}

/// A name unique by construction, from the method and the path:
/// `get_release_trains_name_status`.
fn operation_id(path: &str, method: &str) -> String {
    let words = path
        .trim_start_matches("/api/v1/")
        .split(['/', '-', '.', '{', '}'])
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join("_");
    format!("{method}_{words}")
}

fn error_response(status: &str, description: &str) -> Value {
    let mut response = Map::new();
    response.insert("description".into(), description.into());
    response.insert(
        "content".into(),
        json!({ "application/json": { "schema": { "$ref": "#/components/schemas/ErrorBody" } } }),
    );
    if status == "503" || status == "429" {
        response.insert(
            "headers".into(),
            json!({ "Retry-After": {
                "description": "Seconds to wait before sending the same request again",
                "schema": { "type": "integer" }
            } }),
        );
    }
    Value::Object(response)
}
