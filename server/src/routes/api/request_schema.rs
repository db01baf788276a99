//! Every JSON body is checked against the schema the OpenAPI document gives
//! its route before a handler sees it, so that what the document says is
//! exactly what is accepted: a client generator or a fuzzer that trusts the
//! document is never surprised by a body refused or let through for a
//! reason it does not state. (Rules of what is stored now — a name taken,
//! a service unknown — stay the services' to say.)

use app::error::AppError;
use axum::http::Method;
use serde_json::Value;
use std::collections::HashMap;
use std::sync::OnceLock;

type Validators = HashMap<(Method, String), jsonschema::Validator>;

static VALIDATORS: OnceLock<Validators> = OnceLock::new();

/// Compiles the request schemas of `document` (once per process: every
/// router is built from the same handlers).
pub fn install(document: &Value) {
    VALIDATORS.get_or_init(|| compile(document));
}

fn compile(document: &Value) -> Validators {
    let mut validators = HashMap::new();
    let Some(paths) = document["paths"].as_object() else {
        return validators;
    };
    for (path, item) in paths {
        let Some(item) = item.as_object() else {
            continue;
        };
        for (method, operation) in item {
            let schema = &operation["requestBody"]["content"]["application/json"]["schema"];
            let Ok(method) = method.to_uppercase().parse::<Method>() else {
                continue;
            };
            if schema.is_null() {
                continue;
            }
            // The schema's references point into the document's components.
            let root = serde_json::json!({
                "allOf": [schema],
                "components": document["components"],
            });
            let validator = jsonschema::draft202012::new(&root)
                .expect("the document's request schemas compile");
            validators.insert((method, path.clone()), validator);
        }
    }
    validators
}

/// Refuses `body` as a 400 naming the first place it breaks the schema of
/// `method` on `route` (the router's path, with `/api/v1`).
pub fn check(method: &Method, route: &str, body: &Value) -> Result<(), AppError> {
    let Some(validator) = VALIDATORS
        .get()
        .and_then(|v| v.get(&(method.clone(), route.to_owned())))
    else {
        return Ok(());
    };
    let first = validator
        .iter_errors(body)
        .map(|e| {
            let mut pointer = e.instance_path().as_str().to_owned();
            // An unknown field is named as serde would name it.
            let message = match e.kind() {
                jsonschema::error::ValidationErrorKind::AdditionalProperties { unexpected } => {
                    let name = unexpected.first().cloned().unwrap_or_default();
                    pointer = format!("{pointer}/{}", name.replace('~', "~0").replace('/', "~1"));
                    format!("unknown field `{name}`: it is not one this route takes")
                }
                _ => e.to_string(),
            };
            (pointer, message)
        })
        .min_by(|a, b| a.0.cmp(&b.0));
    match first {
        None => Ok(()),
        Some((pointer, message)) => {
            let field = field_of(&pointer);
            Err(AppError::BadRequest {
                message: if field.is_empty() {
                    format!("the body breaks its schema: {message}")
                } else {
                    format!("{field}: {message}")
                },
                field: Some(field).filter(|f| !f.is_empty()),
            })
        }
    }
}

/// `/participants/0/service` as the API names fields: `participants[0].service`.
fn field_of(pointer: &str) -> String {
    let mut field = String::new();
    for part in pointer.split('/').skip(1) {
        let part = part.replace("~1", "/").replace("~0", "~");
        if part.parse::<usize>().is_ok() {
            field.push_str(&format!("[{part}]"));
        } else {
            if !field.is_empty() {
                field.push('.');
            }
            field.push_str(&part);
        }
    }
    field
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pointer_reads_as_the_api_names_fields() {
        assert_eq!(
            field_of("/participants/0/service"),
            "participants[0].service"
        );
        assert_eq!(field_of(""), "");
        assert_eq!(field_of("/a~1b"), "a/b");
    }

    #[test]
    fn a_body_is_checked_against_its_routes_schema() {
        let document = serde_json::json!({
            "paths": { "/x": { "post": { "requestBody": { "content": { "application/json": {
                "schema": { "$ref": "#/components/schemas/X" } } } } } } },
            "components": { "schemas": { "X": {
                "type": "object", "required": ["name"], "additionalProperties": false,
                "properties": { "name": { "type": "string" } } } } }
        });
        let validators = compile(&document);
        let x = &validators[&(Method::POST, "/x".to_owned())];
        assert!(x.is_valid(&serde_json::json!({ "name": "a" })));
        assert!(!x.is_valid(&serde_json::json!({ "name": ["a"] })));
        assert!(!x.is_valid(&serde_json::json!(["a"])));
    }
}
