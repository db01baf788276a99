//! A deployment report checked: each field in its form, or the first one
//! that is wrong, named.

use super::DeploymentStatus;
use crate::domain::text::{LINE, URL, VERSION};
use crate::models::deployment::DeploymentInput;
use chrono::{DateTime, Utc};

/// What a CD pipeline reported, parsed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeploymentReport {
    pub service: String,
    pub version: String,
    pub environment: String,
    pub status: DeploymentStatus,
    pub commit_sha: Option<String>,
    pub pipeline_run_id: String,
    pub pipeline_url: Option<String>,
    pub started_at: Option<DateTime<Utc>>,
    pub finished_at: Option<DateTime<Utc>>,
    /// The train it says it delivers, by name or tag.
    pub train: Option<String>,
}

/// The field that is wrong, and how.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReportError {
    pub field: &'static str,
    pub message: String,
}

fn wrong(field: &'static str, message: impl Into<String>) -> ReportError {
    ReportError {
        field,
        message: message.into(),
    }
}

impl DeploymentReport {
    pub fn parse(input: &DeploymentInput) -> Result<Self, ReportError> {
        let word = |field: &'static str, raw: &str, max: usize| {
            let v = raw.trim();
            if v.is_empty() || v.chars().count() > max || v.chars().any(char::is_whitespace) {
                Err(wrong(
                    field,
                    format!("{field} is one word of at most {max} characters"),
                ))
            } else {
                Ok(v.to_owned())
            }
        };
        let version = VERSION
            .parse(&input.version)
            .map_err(|e| wrong("version", e.to_string()))?;
        if version.is_empty() {
            return Err(wrong("version", "say which version was deployed"));
        }
        let commit_sha = match input.commit_sha.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(sha) => {
                let sha = sha.to_ascii_lowercase();
                if !(7..=64).contains(&sha.len()) || !sha.chars().all(|c| c.is_ascii_hexdigit()) {
                    return Err(wrong(
                        "commit_sha",
                        "a commit sha is 7 to 64 hexadecimal digits",
                    ));
                }
                Some(sha)
            }
        };
        let pipeline_url = match input.pipeline_url.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(url) => {
                let url = URL
                    .parse(url)
                    .map_err(|e| wrong("pipeline_url", e.to_string()))?;
                if !(url.starts_with("https://") || url.starts_with("http://")) {
                    return Err(wrong(
                        "pipeline_url",
                        "the pipeline's URL is an http(s) address",
                    ));
                }
                Some(url)
            }
        };
        if let (Some(start), Some(end)) = (input.started_at, input.finished_at) {
            if end < start {
                return Err(wrong(
                    "finished_at",
                    "a deployment finishes after it starts",
                ));
            }
        }
        let train = LINE
            .parse_optional(input.train.as_deref())
            .map_err(|e| wrong("train", e.to_string()))?
            .filter(|t| !t.is_empty());
        Ok(Self {
            service: word("service", &input.service, 64)?,
            version,
            environment: word("environment", &input.environment, 32)?,
            status: input.status,
            commit_sha,
            pipeline_run_id: word("pipeline_run_id", &input.pipeline_run_id, 200)?,
            pipeline_url,
            started_at: input.started_at,
            finished_at: input.finished_at,
            train,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input() -> DeploymentInput {
        DeploymentInput {
            service: "ledger".into(),
            version: "2.1.0".into(),
            environment: "prod".into(),
            status: DeploymentStatus::InProgress,
            commit_sha: Some("ABCDEF1".into()),
            pipeline_run_id: "run-81".into(),
            pipeline_url: Some("https://ci.example/runs/81".into()),
            started_at: None,
            finished_at: None,
            train: Some(" ".into()),
        }
    }

    #[test]
    fn a_report_reads_as_its_fields() {
        let r = DeploymentReport::parse(&input()).unwrap();
        assert_eq!(r.commit_sha.as_deref(), Some("abcdef1"));
        assert_eq!(r.train, None, "blank names no train");
        assert_eq!(r.pipeline_run_id, "run-81");
    }

    #[test]
    fn each_wrong_field_is_named() {
        let field = |f: fn(&mut DeploymentInput)| {
            let mut i = input();
            f(&mut i);
            DeploymentReport::parse(&i).unwrap_err().field
        };
        assert_eq!(field(|i| i.version = " ".into()), "version");
        assert_eq!(field(|i| i.commit_sha = Some("xyz".into())), "commit_sha");
        assert_eq!(
            field(|i| i.pipeline_url = Some("ftp://x".into())),
            "pipeline_url"
        );
        assert_eq!(
            field(|i| i.pipeline_run_id = "run 1".into()),
            "pipeline_run_id"
        );
        assert_eq!(field(|i| i.service = String::new()), "service");
        assert_eq!(
            field(|i| {
                i.started_at = Some(Utc::now());
                i.finished_at = Some(Utc::now() - chrono::Duration::hours(1));
            }),
            "finished_at"
        );
    }
}
