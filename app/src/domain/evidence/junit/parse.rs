//! A streaming pass over the XML: no tree is built, so a large report costs
//! little memory; only the failing cases' text is kept.

use super::super::{text, EvidenceError, EvidenceKind};
use super::{FailingCase, FailureKind, JunitView, DETAIL_LIMIT};
use quick_xml::escape::resolve_predefined_entity;
use quick_xml::events::{BytesStart, Event};
use quick_xml::{Reader, XmlVersion};

const KIND: EvidenceKind = EvidenceKind::Junit;

pub(crate) fn parse(bytes: &[u8]) -> Result<JunitView, EvidenceError> {
    let source = text(KIND, bytes)?;
    let mut reader = Reader::from_str(source);
    let xml_error = |position: u64, reason: String| {
        let mut end = (position as usize).min(source.len());
        while !source.is_char_boundary(end) {
            end -= 1;
        }
        let before = &source[..end];
        let line = before.matches('\n').count() + 1;
        let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
        EvidenceError::Xml {
            kind: KIND,
            line,
            column,
            reason,
        }
    };
    let mut walk = Walk::default();
    loop {
        let event = reader
            .read_event()
            .map_err(|e| xml_error(reader.error_position(), e.to_string()))?;
        let at = reader.buffer_position();
        let step = match event {
            Event::Start(e) => walk.open(&e, false),
            Event::Empty(e) => walk.open(&e, true),
            Event::End(_) => {
                walk.close();
                Ok(())
            }
            Event::Text(t) => {
                walk.text(&t.xml10_content());
                Ok(())
            }
            Event::CData(t) => {
                walk.text(&t.xml10_content());
                Ok(())
            }
            Event::GeneralRef(r) => {
                let resolved = match r.resolve_char_ref() {
                    Ok(Some(c)) => c.to_string(),
                    _ => resolve_predefined_entity(&r)
                        .map_or_else(|| format!("&{};", &*r), str::to_owned),
                };
                walk.text(&resolved);
                Ok(())
            }
            Event::Eof => break,
            Event::Comment(_) | Event::Decl(_) | Event::PI(_) | Event::DocType(_) => Ok(()),
        };
        step.map_err(|problem| match problem {
            Problem::Xml(reason) => xml_error(at, reason),
            Problem::Kind(reason) => EvidenceError::wrong_kind(KIND, reason),
        })?;
    }
    if let Some(open) = walk.stack.last() {
        return Err(xml_error(
            source.len() as u64,
            format!("the document ends before </{open}>"),
        ));
    }
    walk.finish()
}

enum Problem {
    Xml(String),
    Kind(String),
}

/// What is known about the test case being read.
struct Case {
    classname: Option<String>,
    name: String,
    outcome: Option<(FailureKind, Option<String>)>,
    text: String,
    skipped: bool,
}

#[derive(Default)]
struct Walk {
    stack: Vec<String>,
    suites: Vec<String>,
    root_seen: bool,
    case: Option<Case>,
    /// Inside a `<failure>`/`<error>` of the current case.
    capturing: bool,
    view: Counted,
    declared: Declared,
}

#[derive(Default)]
struct Counted {
    suites: u64,
    cases: u64,
    failures: u64,
    errors: u64,
    skipped: u64,
    failing: Vec<FailingCase>,
}

/// The totals the report states about itself, used when it lists no case.
#[derive(Default)]
struct Declared {
    root: Option<[u64; 4]>,
    top_suites: [u64; 4],
    root_time: Option<f64>,
    top_suites_time: Option<f64>,
}

impl Walk {
    fn open(&mut self, e: &BytesStart, empty: bool) -> Result<(), Problem> {
        let name = e.local_name().into_inner().to_owned();
        let parent = self.stack.last().map(String::as_str);
        if parent.is_none() {
            if self.root_seen {
                return Err(Problem::Xml(format!(
                    "a second root element <{name}> follows the first"
                )));
            }
            self.root_seen = true;
            if name != "testsuites" && name != "testsuite" {
                return Err(Problem::Kind(format!(
                    "the root element is <{name}>, not <testsuites> or <testsuite>"
                )));
            }
        }
        let top_level = parent.is_none() || (parent == Some("testsuites") && self.stack.len() == 1);
        match name.as_str() {
            "testsuites" if parent.is_none() => {
                self.declared.root = Some(counts(e)?);
                self.declared.root_time = number(e, "time")?;
            }
            "testsuite" => {
                self.view.suites += 1;
                self.suites.push(attr(e, "name")?.unwrap_or_default());
                if top_level {
                    let c = counts(e)?;
                    for (total, n) in self.declared.top_suites.iter_mut().zip(c) {
                        *total += n;
                    }
                    if let Some(t) = number(e, "time")? {
                        *self.declared.top_suites_time.get_or_insert(0.0) += t;
                    }
                }
                if empty {
                    self.suites.pop();
                }
            }
            "testcase" => {
                self.case = Some(Case {
                    classname: attr(e, "classname")?,
                    name: attr(e, "name")?.unwrap_or_default(),
                    outcome: None,
                    text: String::new(),
                    skipped: false,
                });
                if empty {
                    self.finish_case();
                }
            }
            "failure" | "error" if parent == Some("testcase") => {
                let kind = if name == "error" {
                    FailureKind::Error
                } else {
                    FailureKind::Failure
                };
                let message = attr(e, "message")?.filter(|m| !m.trim().is_empty());
                if let Some(case) = self.case.as_mut() {
                    // An error outranks a failure reported for the same case.
                    if case.outcome.is_none() || kind == FailureKind::Error {
                        case.outcome = Some((kind, message));
                        case.text.clear();
                    }
                    self.capturing = !empty;
                }
            }
            "skipped" if parent == Some("testcase") => {
                if let Some(case) = self.case.as_mut() {
                    case.skipped = true;
                }
            }
            _ => {}
        }
        if !empty {
            self.stack.push(name);
        }
        Ok(())
    }

    fn close(&mut self) {
        match self.stack.pop().as_deref() {
            Some("testsuite") => {
                self.suites.pop();
            }
            Some("testcase") => self.finish_case(),
            Some("failure" | "error") => self.capturing = false,
            _ => {}
        }
    }

    fn text(&mut self, text: &str) {
        if let (true, Some(case)) = (self.capturing, self.case.as_mut()) {
            // Keep a little more than the limit so the cut can be seen.
            if case.text.len() <= DETAIL_LIMIT * 4 {
                case.text.push_str(text);
            }
        }
    }

    fn finish_case(&mut self) {
        let Some(case) = self.case.take() else {
            return;
        };
        self.capturing = false;
        self.view.cases += 1;
        match case.outcome {
            Some((kind, message)) => {
                match kind {
                    FailureKind::Failure => self.view.failures += 1,
                    FailureKind::Error => self.view.errors += 1,
                }
                let detail = case.text.trim();
                let message = message.or_else(|| {
                    detail
                        .lines()
                        .map(str::trim)
                        .find(|l| !l.is_empty())
                        .map(|l| cut(l, 300))
                });
                self.view.failing.push(FailingCase {
                    suite: self.suites.last().cloned().unwrap_or_default(),
                    classname: case.classname,
                    name: case.name,
                    kind,
                    message,
                    detail: (!detail.is_empty()).then(|| cut(detail, DETAIL_LIMIT)),
                });
            }
            None if case.skipped => self.view.skipped += 1,
            None => {}
        }
    }

    fn finish(self) -> Result<JunitView, EvidenceError> {
        if !self.root_seen {
            return Err(EvidenceError::wrong_kind(
                KIND,
                "the document holds no XML element, so it is not JUnit XML",
            ));
        }
        let d = &self.declared;
        let time_seconds = d.root_time.or(d.top_suites_time);
        let v = self.view;
        if v.cases == 0 {
            let [tests, failures, errors, skipped] = d.root.unwrap_or(d.top_suites);
            return Ok(JunitView {
                suites: v.suites,
                tests,
                failures,
                errors,
                skipped,
                time_seconds,
                failing: v.failing,
            });
        }
        Ok(JunitView {
            suites: v.suites,
            tests: v.cases,
            failures: v.failures,
            errors: v.errors,
            skipped: v.skipped,
            time_seconds,
            failing: v.failing,
        })
    }
}

fn attr(e: &BytesStart, key: &str) -> Result<Option<String>, Problem> {
    let invalid = |reason: String| Problem::Xml(format!("attribute {key:?}: {reason}"));
    match e.try_get_attribute(key) {
        Ok(Some(a)) => a
            .normalized_value(XmlVersion::Implicit1_0)
            .map(|v| Some(v.into_owned()))
            .map_err(|err| invalid(err.to_string())),
        Ok(None) => Ok(None),
        Err(err) => Err(invalid(err.to_string())),
    }
}

/// A numeric attribute; some tools write thousands separators (`1,234.5`).
fn number(e: &BytesStart, key: &str) -> Result<Option<f64>, Problem> {
    let Some(raw) = attr(e, key)? else {
        return Ok(None);
    };
    raw.replace(',', "")
        .trim()
        .parse::<f64>()
        .map(Some)
        .map_err(|_| Problem::Kind(format!("the {key} attribute {raw:?} is not a number")))
}

/// `tests`, `failures`, `errors` and `skipped` (or `disabled`) as stated.
fn counts(e: &BytesStart) -> Result<[u64; 4], Problem> {
    let n = |key| number(e, key).map(|v| v.map_or(0, |v| v.max(0.0) as u64));
    let skipped = match number(e, "skipped")? {
        Some(v) => v.max(0.0) as u64,
        None => n("disabled")?,
    };
    Ok([n("tests")?, n("failures")?, n("errors")?, skipped])
}

fn cut(text: &str, limit: usize) -> String {
    match text.char_indices().nth(limit) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text.to_owned(),
    }
}
