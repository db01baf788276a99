//! The Prometheus text exposition format (version 0.0.4), for teams that
//! chart Trainyard in Grafana: families of samples with a help line and a
//! type, label values escaped as the format says.

use std::fmt::Write;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Gauge,
    Counter,
}

/// One metric family: its samples, each with its labels.
#[derive(Clone, Debug, PartialEq)]
pub struct Family {
    pub name: &'static str,
    pub help: &'static str,
    pub kind: Kind,
    pub samples: Vec<(Vec<(&'static str, String)>, f64)>,
}

impl Family {
    pub fn new(name: &'static str, help: &'static str, kind: Kind) -> Self {
        Self {
            name,
            help,
            kind,
            samples: Vec::new(),
        }
    }

    pub fn sample(mut self, labels: Vec<(&'static str, String)>, value: f64) -> Self {
        self.samples.push((labels, value));
        self
    }
}

/// A label value as the format writes it: backslash, double quote and line
/// feed escaped.
fn escape(value: &str) -> String {
    value
        .replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

/// The families as one exposition, in the order given.
pub fn render(families: &[Family]) -> String {
    let mut out = String::new();
    for f in families {
        let kind = match f.kind {
            Kind::Gauge => "gauge",
            Kind::Counter => "counter",
        };
        let _ = writeln!(out, "# HELP {} {}", f.name, f.help);
        let _ = writeln!(out, "# TYPE {} {kind}", f.name);
        for (labels, value) in &f.samples {
            let labels: Vec<String> = labels
                .iter()
                .map(|(k, v)| format!("{k}=\"{}\"", escape(v)))
                .collect();
            let labels = if labels.is_empty() {
                String::new()
            } else {
                format!("{{{}}}", labels.join(","))
            };
            let _ = writeln!(out, "{}{labels} {value}", f.name);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn families_render_with_help_type_and_escaped_labels() {
        let text = render(&[
            Family::new("ty_trains", "Trains by state.", Kind::Gauge)
                .sample(vec![("state", "planning".into())], 3.0),
            Family::new("ty_deploys_total", "Deploys.", Kind::Counter)
                .sample(vec![("env", "a\"b\\c\nd".into())], 1.0)
                .sample(vec![], 0.5),
        ]);
        assert_eq!(
            text,
            "# HELP ty_trains Trains by state.\n# TYPE ty_trains gauge\n\
             ty_trains{state=\"planning\"} 3\n\
             # HELP ty_deploys_total Deploys.\n# TYPE ty_deploys_total counter\n\
             ty_deploys_total{env=\"a\\\"b\\\\c\\nd\"} 1\nty_deploys_total 0.5\n"
        );
    }
}
