use super::super::{json, str_at, EvidenceError, EvidenceKind, Sha256Digest};
use super::{
    ProvenanceView, Subject, DSSE_PAYLOAD_TYPE, SLSA_V02, SLSA_V1, STATEMENT_V01, STATEMENT_V1,
};
use base64::Engine;
use serde_json::Value;

const KIND: EvidenceKind = EvidenceKind::Provenance;

fn wrong(reason: impl Into<String>) -> EvidenceError {
    EvidenceError::wrong_kind(KIND, reason)
}

pub(crate) fn parse(bytes: &[u8]) -> Result<ProvenanceView, EvidenceError> {
    let doc = json(KIND, bytes)?;
    if doc.get("payloadType").is_some() {
        let (statement, signatures) = open_envelope(&doc)?;
        let mut view = statement_view(&statement)?;
        view.envelope_signatures = Some(signatures);
        Ok(view)
    } else {
        statement_view(&doc)
    }
}

/// The statement inside a DSSE envelope and how many signatures it carries.
fn open_envelope(envelope: &Value) -> Result<(Value, usize), EvidenceError> {
    let payload_type = envelope.get("payloadType").unwrap_or(&Value::Null);
    if payload_type.as_str() != Some(DSSE_PAYLOAD_TYPE) {
        return Err(wrong(format!(
            "the DSSE envelope's payloadType {payload_type} is not \"{DSSE_PAYLOAD_TYPE}\""
        )));
    }
    let payload = str_at(envelope, "/payload")
        .ok_or_else(|| wrong("the DSSE envelope has no payload string"))?;
    let engines = [
        base64::engine::general_purpose::STANDARD,
        base64::engine::general_purpose::URL_SAFE,
    ];
    let decoded = engines
        .iter()
        .find_map(|engine| engine.decode(payload).ok())
        .ok_or_else(|| wrong("the DSSE envelope's payload is not valid base64"))?;
    let statement = serde_json::from_slice(&decoded).map_err(|e| {
        wrong(format!(
            "the DSSE envelope's payload is not valid JSON at line {} column {}",
            e.line(),
            e.column()
        ))
    })?;
    let signatures = envelope
        .get("signatures")
        .and_then(Value::as_array)
        .map_or(0, Vec::len);
    Ok((statement, signatures))
}

fn statement_view(doc: &Value) -> Result<ProvenanceView, EvidenceError> {
    match doc.get("_type") {
        Some(Value::String(t)) if t == STATEMENT_V01 || t == STATEMENT_V1 => {}
        Some(other) => {
            return Err(wrong(format!(
                "the document is not an in-toto Statement (_type is {other})"
            )))
        }
        None => return Err(wrong("the document is not an in-toto Statement (no _type)")),
    }
    let subjects = subjects(doc)?;
    let predicate_type = doc.get("predicateType").unwrap_or(&Value::Null);
    let predicate = doc.get("predicate").unwrap_or(&Value::Null);
    let mut view = match predicate_type.as_str() {
        Some(SLSA_V1) => slsa_v1(predicate),
        Some(SLSA_V02) => slsa_v02(predicate),
        _ => {
            return Err(wrong(format!(
                "the statement's predicateType {predicate_type} is not SLSA provenance \
                 ({SLSA_V02} or {SLSA_V1})"
            )))
        }
    };
    view.subjects = subjects;
    Ok(view)
}

fn subjects(doc: &Value) -> Result<Vec<Subject>, EvidenceError> {
    let list = doc
        .get("subject")
        .and_then(Value::as_array)
        .ok_or_else(|| wrong("the statement has no subject list"))?;
    list.iter()
        .enumerate()
        .map(|(i, subject)| {
            let name = str_at(subject, "/name").unwrap_or_default().to_owned();
            let sha256 = str_at(subject, "/digest/sha256")
                .map(Sha256Digest::parse)
                .transpose()
                .map_err(|e| {
                    wrong(format!(
                        "subject {i} ({name:?}) has a malformed sha256: {e}"
                    ))
                })?;
            Ok(Subject { name, sha256 })
        })
        .collect()
}

fn empty_view(predicate_type: &str) -> ProvenanceView {
    ProvenanceView {
        predicate_type: predicate_type.to_owned(),
        builder_id: None,
        build_type: None,
        source_repo: None,
        source_ref: None,
        commit: None,
        invocation: None,
        subjects: Vec::new(),
        envelope_signatures: None,
    }
}

fn owned(value: &Value, pointer: &str) -> Option<String> {
    str_at(value, pointer).map(str::to_owned)
}

/// `predicate.runDetails.builder.id`, `predicate.buildDefinition.*`.
fn slsa_v1(predicate: &Value) -> ProvenanceView {
    let mut view = empty_view(SLSA_V1);
    view.builder_id = owned(predicate, "/runDetails/builder/id");
    view.build_type = owned(predicate, "/buildDefinition/buildType");
    let params = predicate
        .pointer("/buildDefinition/externalParameters")
        .unwrap_or(&Value::Null);
    // The GitHub Actions build type names the workflow; others a source.
    if let Some(workflow) = params.get("workflow") {
        view.source_repo = owned(workflow, "/repository");
        view.source_ref = owned(workflow, "/ref");
        view.invocation = owned(workflow, "/path");
    } else {
        let source = str_at(params, "/source").or_else(|| str_at(params, "/source/uri"));
        if let Some((repo, git_ref)) = source.map(split_source) {
            view.source_repo = Some(repo);
            view.source_ref = git_ref;
        }
        view.invocation = owned(params, "/entryPoint").or_else(|| owned(params, "/workflow"));
    }
    let dependencies = predicate
        .pointer("/buildDefinition/resolvedDependencies")
        .and_then(Value::as_array);
    fill_from_git_dependency(&mut view, dependencies.map(Vec::as_slice).unwrap_or(&[]));
    view
}

/// `predicate.builder.id`, `predicate.invocation.configSource`, `materials`.
fn slsa_v02(predicate: &Value) -> ProvenanceView {
    let mut view = empty_view(SLSA_V02);
    view.builder_id = owned(predicate, "/builder/id");
    view.build_type = owned(predicate, "/buildType");
    if let Some(config) = predicate.pointer("/invocation/configSource") {
        if let Some((repo, git_ref)) = str_at(config, "/uri").map(split_source) {
            view.source_repo = Some(repo);
            view.source_ref = git_ref;
        }
        view.commit = commit_of(config);
        view.invocation = owned(config, "/entryPoint");
    }
    let materials = predicate.get("materials").and_then(Value::as_array);
    fill_from_git_dependency(&mut view, materials.map(Vec::as_slice).unwrap_or(&[]));
    view
}

/// The commit comes from the git dependency of the source repository (or
/// the first git dependency when the source is not named otherwise).
fn fill_from_git_dependency(view: &mut ProvenanceView, dependencies: &[Value]) {
    if view.commit.is_some() {
        return;
    }
    let git = dependencies.iter().filter_map(|d| {
        let uri = str_at(d, "/uri")?;
        uri.starts_with("git+")
            .then(|| (split_source(uri), commit_of(d)))
    });
    let mut chosen = None;
    for ((repo, git_ref), commit) in git {
        let same_repo = view.source_repo.as_deref() == Some(repo.as_str());
        if same_repo || (view.source_repo.is_none() && chosen.is_none()) {
            chosen = Some((repo, git_ref, commit));
            if same_repo {
                break;
            }
        }
    }
    if let Some((repo, git_ref, commit)) = chosen {
        view.source_repo.get_or_insert(repo);
        if view.source_ref.is_none() {
            view.source_ref = git_ref;
        }
        view.commit = commit;
    }
}

fn commit_of(resource: &Value) -> Option<String> {
    owned(resource, "/digest/gitCommit").or_else(|| owned(resource, "/digest/sha1"))
}

/// `git+https://github.com/acme/curve@refs/tags/v1` → the repository and ref.
fn split_source(uri: &str) -> (String, Option<String>) {
    let uri = uri.strip_prefix("git+").unwrap_or(uri);
    if let Some((repo, git_ref)) = uri.rsplit_once('@') {
        // `https://user@host/...` has an '@' before the path; a ref follows it.
        let has_path = repo
            .split_once("://")
            .is_some_and(|(_, rest)| rest.contains('/'));
        if has_path && !git_ref.contains(':') && !git_ref.is_empty() {
            return (repo.to_owned(), Some(git_ref.to_owned()));
        }
    }
    (uri.to_owned(), None)
}

#[cfg(test)]
mod tests {
    use super::split_source;

    #[test]
    fn a_git_source_uri_splits_into_repository_and_ref() {
        assert_eq!(
            split_source("git+https://github.com/acme/curve@refs/heads/main"),
            (
                "https://github.com/acme/curve".to_owned(),
                Some("refs/heads/main".to_owned())
            )
        );
        assert_eq!(
            split_source("https://bot@git.example/acme/curve"),
            ("https://bot@git.example/acme/curve".to_owned(), None)
        );
        assert_eq!(
            split_source("https://github.com/acme/curve"),
            ("https://github.com/acme/curve".to_owned(), None)
        );
    }
}
