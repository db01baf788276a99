//! The published JSON Schema of each event type's body, which receivers
//! validate against and generate types from. Version 1: fields may be
//! added; none is removed or changes meaning without a new version.

use super::event_type::{is_event_type, EVENT_TYPES};
use serde_json::{json, Value};

pub const SCHEMA_VERSION: u32 = 1;

/// Whether events of this type always concern one train.
pub fn about_a_train(event_type: &str) -> bool {
    const TRAIN_GROUPS: [&str; 7] = [
        "train.",
        "release.",
        "gate.",
        "health.",
        "hotfix.",
        "promotion.",
        "evidence.",
    ];
    TRAIN_GROUPS.iter().any(|g| event_type.starts_with(g))
        || matches!(
            event_type,
            "calendar.on_call_assigned" | "calendar.moved" | "calendar.skipped"
        )
}

/// The schema of `event_type`'s body; `None` for a type Trainyard does not send.
pub fn schema(event_type: &str) -> Option<Value> {
    if !is_event_type(event_type) {
        return None;
    }
    let description = EVENT_TYPES
        .iter()
        .find(|(name, _)| *name == event_type)
        .map(|(_, d)| *d)?;
    let mut required = vec!["resource", "actor"];
    if about_a_train(event_type) {
        required.push("train");
    }
    Some(json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": format!("/api/v1/webhook-event-types/{event_type}/schema"),
        "title": event_type,
        "description": description,
        "x-trainyard-schema-version": SCHEMA_VERSION,
        "type": "object",
        "required": ["type", "timestamp", "data"],
        "properties": {
            "type": { "const": event_type },
            "timestamp": {
                "type": "string", "format": "date-time",
                "description": "When the change was made.",
            },
            "data": {
                "type": "object",
                "required": required,
                "properties": {
                    "resource": {
                        "type": "string",
                        "description": "What changed, as the audit trail names it: train:<name>, service:<name>, …",
                    },
                    "actor": { "type": "string", "description": "Who made the change." },
                    "reason": { "type": ["string", "null"] },
                    "before": { "description": "What was before, as the audit trail keeps it." },
                    "after": { "description": "What is after, as the audit trail keeps it." },
                    "message": { "type": "string" },
                    "train": train(),
                },
            },
        },
    }))
}

fn train() -> Value {
    json!({
        "type": "object",
        "required": ["name", "url"],
        "properties": {
            "name": { "type": "string" },
            "url": { "type": "string", "format": "uri", "description": "The train's page." },
            "tag": { "type": ["string", "null"] },
            "track": { "type": ["string", "null"] },
            "state": { "type": "string" },
            "participants": {
                "type": "array",
                "description": "The services it releases, in release order, with their versions.",
                "items": {
                    "type": "object",
                    "required": ["service"],
                    "properties": {
                        "service": { "type": "string" },
                        "version": { "type": ["string", "null"] },
                        "status": { "type": "string" },
                    },
                },
            },
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_type_has_a_schema_naming_it() {
        for (name, _) in EVENT_TYPES {
            let s = schema(name).unwrap();
            assert_eq!(s["properties"]["type"]["const"], *name);
        }
        assert!(schema("nope.nothing").is_none());
    }

    #[test]
    fn train_events_require_their_train() {
        let required = |t: &str| schema(t).unwrap()["properties"]["data"]["required"].clone();
        assert!(required("promotion.promoted")
            .as_array()
            .unwrap()
            .contains(&json!("train")));
        assert!(!required("service.registered")
            .as_array()
            .unwrap()
            .contains(&json!("train")));
    }
}
