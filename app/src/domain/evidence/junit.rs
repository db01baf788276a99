//! JUnit XML test results: totals and the failing cases with their messages.

use serde::{Deserialize, Serialize};

/// How much of a failure's text the viewer keeps.
pub const DETAIL_LIMIT: usize = 4000;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum FailureKind {
    /// An assertion did not hold (`<failure>`).
    Failure,
    /// The test could not run to its end (`<error>`).
    Error,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct FailingCase {
    /// The innermost `<testsuite>`'s name.
    pub suite: String,
    pub classname: Option<String>,
    pub name: String,
    pub kind: FailureKind,
    /// The `message` attribute, else the first line of the text.
    pub message: Option<String>,
    /// The text (stack trace, diff), cut at [`DETAIL_LIMIT`] characters.
    pub detail: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct JunitView {
    pub suites: u64,
    pub tests: u64,
    pub failures: u64,
    pub errors: u64,
    pub skipped: u64,
    pub time_seconds: Option<f64>,
    pub failing: Vec<FailingCase>,
}

impl JunitView {
    pub fn passed(&self) -> u64 {
        self.tests
            .saturating_sub(self.failures + self.errors + self.skipped)
    }

    /// No failure and no error (skipped tests do not fail a run).
    pub fn is_green(&self) -> bool {
        self.failures == 0 && self.errors == 0
    }
}

#[cfg(feature = "ssr")]
mod parse;
#[cfg(feature = "ssr")]
pub(crate) use parse::parse;

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::*;

    const JUNIT: &[u8] = include_bytes!("../../../../server/tests/fixtures/evidence/junit.xml");

    #[test]
    fn totals_are_counted_from_the_test_cases_of_every_suite() {
        let view = parse(JUNIT).unwrap();
        assert_eq!(
            (
                view.suites,
                view.tests,
                view.failures,
                view.errors,
                view.skipped
            ),
            (2, 6, 1, 1, 1)
        );
        assert_eq!(view.passed(), 3);
        assert!(!view.is_green());
        assert_eq!(view.time_seconds, Some(12.5));
    }

    #[test]
    fn failing_cases_carry_their_suite_message_and_detail() {
        let view = parse(JUNIT).unwrap();
        assert_eq!(view.failing.len(), 2);
        let failure = &view.failing[0];
        assert_eq!(failure.suite, "curve-api");
        assert_eq!(failure.classname.as_deref(), Some("curve.api.PricingTest"));
        assert_eq!(failure.name, "rejects_negative_tenor");
        assert_eq!(failure.kind, FailureKind::Failure);
        assert_eq!(
            failure.message.as_deref(),
            Some("expected status 422 but was 200")
        );
        let detail = failure.detail.as_deref().unwrap();
        assert!(
            detail.contains("assert status == 422 && body < limit"),
            "{detail}"
        );
        let error = &view.failing[1];
        assert_eq!(error.suite, "curve-store");
        assert_eq!(error.kind, FailureKind::Error);
        assert_eq!(
            error.message.as_deref(),
            Some("connection refused (os error 111)")
        );
    }

    #[test]
    fn a_lone_testsuite_root_is_accepted_and_attributes_do_not_override_the_cases() {
        let xml = br#"<?xml version="1.0"?>
<testsuite name="solo" tests="9" failures="0" time="0.25">
  <testcase name="a"/>
  <testcase name="b"><failure>boom
at line 3</failure></testcase>
</testsuite>"#;
        let view = parse(xml).unwrap();
        assert_eq!((view.suites, view.tests, view.failures), (1, 2, 1));
        assert_eq!(view.time_seconds, Some(0.25));
        assert_eq!(view.failing[0].message.as_deref(), Some("boom"));
        assert_eq!(view.failing[0].classname, None);
    }

    #[test]
    fn a_report_without_cases_falls_back_to_its_declared_totals() {
        let xml = br#"<testsuites tests="4" failures="1" errors="0" skipped="2"></testsuites>"#;
        let view = parse(xml).unwrap();
        assert_eq!((view.tests, view.failures, view.skipped), (4, 1, 2));
    }

    #[test]
    fn a_long_failure_text_is_cut_for_the_viewer() {
        let long = "x".repeat(DETAIL_LIMIT + 50);
        let xml = format!(
            "<testsuite name=\"s\"><testcase name=\"t\"><error message=\"m\">{long}</error></testcase></testsuite>"
        );
        let view = parse(xml.as_bytes()).unwrap();
        let detail = view.failing[0].detail.as_deref().unwrap();
        assert_eq!(detail.chars().count(), DETAIL_LIMIT + 1);
        assert!(detail.ends_with('…'));
    }

    #[test]
    fn another_xml_document_is_refused_naming_its_root() {
        let err = parse(b"<project><name>x</name></project>")
            .unwrap_err()
            .to_string();
        assert_eq!(
            err,
            "declared junit but the root element is <project>, not <testsuites> or <testsuite>"
        );
    }

    #[test]
    fn a_json_file_declared_as_junit_is_refused_as_not_xml() {
        let err = parse(br#"{"tests": 3}"#).unwrap_err().to_string();
        assert_eq!(
            err,
            "declared junit but the document holds no XML element, so it is not JUnit XML"
        );
    }

    #[test]
    fn malformed_xml_is_refused_with_its_line_and_column() {
        let err = parse(b"<testsuites>\n  <testsuite name=\"a\">\n  </testsuites>")
            .unwrap_err()
            .to_string();
        assert!(
            err.starts_with("declared junit but the document is not well-formed XML at line 3"),
            "{err}"
        );
        let truncated = parse(b"<testsuites><testsuite name=\"a\">")
            .unwrap_err()
            .to_string();
        assert!(truncated.contains("not well-formed XML"), "{truncated}");
    }
}
