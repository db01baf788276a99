//! SBOMs in CycloneDX JSON and SPDX JSON, reduced to one table of components.

use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum SbomFormat {
    Cyclonedx,
    Spdx,
}

impl SbomFormat {
    pub fn label(self) -> &'static str {
        match self {
            Self::Cyclonedx => "CycloneDX",
            Self::Spdx => "SPDX",
        }
    }
}

/// One row of the SBOM table.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Component {
    pub name: String,
    pub version: Option<String>,
    /// The licence as the SBOM states it (an SPDX id, expression or name);
    /// several stated licences are joined with ", ".
    pub licence: Option<String>,
    pub purl: Option<String>,
}

impl Component {
    /// Whether the row matches a search box's text (case-insensitive, any column).
    pub fn matches(&self, query: &str) -> bool {
        let query = query.trim().to_lowercase();
        query.is_empty()
            || [
                Some(&self.name),
                self.version.as_ref(),
                self.licence.as_ref(),
                self.purl.as_ref(),
            ]
            .into_iter()
            .flatten()
            .any(|field| field.to_lowercase().contains(&query))
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct SbomView {
    pub format: SbomFormat,
    /// `1.5` for CycloneDX 1.5, `2.3` for SPDX-2.3.
    pub spec_version: String,
    pub components: Vec<Component>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct SbomCounts {
    pub components: usize,
    pub with_licence: usize,
    pub distinct_licences: usize,
}

impl SbomView {
    pub fn counts(&self) -> SbomCounts {
        SbomCounts {
            components: self.components.len(),
            with_licence: self
                .components
                .iter()
                .filter(|c| c.licence.is_some())
                .count(),
            distinct_licences: self.licences().len(),
        }
    }

    /// The licences stated, each once, in order.
    pub fn licences(&self) -> BTreeSet<&str> {
        self.components
            .iter()
            .filter_map(|c| c.licence.as_deref())
            .collect()
    }

    /// The rows a search for `query` keeps.
    pub fn search<'a>(&'a self, query: &'a str) -> impl Iterator<Item = &'a Component> + 'a {
        self.components.iter().filter(move |c| c.matches(query))
    }
}

#[cfg(feature = "ssr")]
pub(crate) use parse::{parse_cyclonedx, parse_spdx};

#[cfg(feature = "ssr")]
mod parse {
    use super::super::{json, str_at, EvidenceError, EvidenceKind};
    use super::{Component, SbomFormat, SbomView};
    use serde_json::Value;

    pub(crate) fn parse_cyclonedx(bytes: &[u8]) -> Result<SbomView, EvidenceError> {
        let kind = EvidenceKind::CyclonedxSbom;
        let doc = json(kind, bytes)?;
        let wrong = |reason: String| EvidenceError::wrong_kind(kind, reason);
        match doc.get("bomFormat") {
            Some(Value::String(f)) if f == "CycloneDX" => {}
            Some(other) => {
                return Err(wrong(format!(
                    "the document's bomFormat is {other}, not \"CycloneDX\""
                )))
            }
            None => return Err(wrong("the document has no bomFormat \"CycloneDX\"".into())),
        }
        let spec_version = str_at(&doc, "/specVersion")
            .ok_or_else(|| wrong("the CycloneDX document has no specVersion string".into()))?;
        let mut components = Vec::new();
        collect_cyclonedx(&doc, "", &mut components).map_err(wrong)?;
        Ok(SbomView {
            format: SbomFormat::Cyclonedx,
            spec_version: spec_version.to_owned(),
            components,
        })
    }

    /// Components nest (`components[].components[]`); the table is flat.
    fn collect_cyclonedx(
        parent: &Value,
        path: &str,
        out: &mut Vec<Component>,
    ) -> Result<(), String> {
        let list = match parent.get("components") {
            None | Some(Value::Null) => return Ok(()),
            Some(Value::Array(list)) => list,
            Some(_) => return Err(format!("{path}/components is not an array")),
        };
        for (i, item) in list.iter().enumerate() {
            let here = format!("{path}/components/{i}");
            let name =
                str_at(item, "/name").ok_or_else(|| format!("component {here} has no name"))?;
            out.push(Component {
                name: name.to_owned(),
                version: str_at(item, "/version").map(str::to_owned),
                licence: cyclonedx_licence(item),
                purl: str_at(item, "/purl").map(str::to_owned),
            });
            collect_cyclonedx(item, &here, out)?;
        }
        Ok(())
    }

    /// `licenses: [{license: {id}} | {license: {name}} | {expression}]`.
    fn cyclonedx_licence(component: &Value) -> Option<String> {
        let stated: Vec<&str> = component
            .get("licenses")?
            .as_array()?
            .iter()
            .filter_map(|choice| {
                str_at(choice, "/expression")
                    .or_else(|| str_at(choice, "/license/id"))
                    .or_else(|| str_at(choice, "/license/name"))
            })
            .collect();
        (!stated.is_empty()).then(|| stated.join(", "))
    }

    pub(crate) fn parse_spdx(bytes: &[u8]) -> Result<SbomView, EvidenceError> {
        let kind = EvidenceKind::SpdxSbom;
        let doc = json(kind, bytes)?;
        let wrong = |reason: String| EvidenceError::wrong_kind(kind, reason);
        let spec_version = str_at(&doc, "/spdxVersion")
            .and_then(|v| v.strip_prefix("SPDX-"))
            .ok_or_else(|| wrong("the document has no spdxVersion starting \"SPDX-\"".into()))?;
        let packages = match doc.get("packages") {
            None | Some(Value::Null) => &Vec::new(),
            Some(Value::Array(list)) => list,
            Some(_) => return Err(wrong("the SPDX document's packages is not an array".into())),
        };
        let components = packages
            .iter()
            .enumerate()
            .map(|(i, package)| {
                let name = str_at(package, "/name")
                    .ok_or_else(|| wrong(format!("package /packages/{i} has no name")))?;
                Ok(Component {
                    name: name.to_owned(),
                    version: str_at(package, "/versionInfo").map(str::to_owned),
                    licence: spdx_licence(package),
                    purl: spdx_purl(package),
                })
            })
            .collect::<Result<_, EvidenceError>>()?;
        Ok(SbomView {
            format: SbomFormat::Spdx,
            spec_version: spec_version.to_owned(),
            components,
        })
    }

    /// The concluded licence, else the declared one; `NOASSERTION` and
    /// `NONE` state nothing.
    fn spdx_licence(package: &Value) -> Option<String> {
        ["/licenseConcluded", "/licenseDeclared"]
            .into_iter()
            .filter_map(|p| str_at(package, p))
            .find(|l| !matches!(*l, "NOASSERTION" | "NONE" | ""))
            .map(str::to_owned)
    }

    fn spdx_purl(package: &Value) -> Option<String> {
        package
            .get("externalRefs")?
            .as_array()?
            .iter()
            .find(|r| str_at(r, "/referenceType") == Some("purl"))
            .and_then(|r| str_at(r, "/referenceLocator"))
            .map(str::to_owned)
    }
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::super::EvidenceError;
    use super::*;

    const CURVE: &[u8] =
        include_bytes!("../../../../server/tests/fixtures/evidence/curve.cdx.json");
    const BACKTESTING: &[u8] =
        include_bytes!("../../../../server/tests/fixtures/evidence/backtesting.spdx.json");
    const NOT_CYCLONEDX: &[u8] =
        include_bytes!("../../../../server/tests/fixtures/evidence/not-cyclonedx.json");

    #[test]
    fn a_cyclonedx_sbom_becomes_a_table_with_licences_and_purls() {
        let view = parse_cyclonedx(CURVE).unwrap();
        assert_eq!(view.format, SbomFormat::Cyclonedx);
        assert_eq!(view.spec_version, "1.5");
        let serde = view.components.iter().find(|c| c.name == "serde").unwrap();
        assert_eq!(serde.version.as_deref(), Some("1.0.228"));
        assert_eq!(serde.licence.as_deref(), Some("MIT OR Apache-2.0"));
        assert_eq!(serde.purl.as_deref(), Some("pkg:cargo/serde@1.0.228"));
        assert_eq!(
            view.counts(),
            SbomCounts {
                components: 5,
                with_licence: 4,
                distinct_licences: 3
            }
        );
    }

    #[test]
    fn nested_cyclonedx_components_are_listed_in_the_flat_table() {
        let view = parse_cyclonedx(CURVE).unwrap();
        assert!(view.components.iter().any(|c| c.name == "serde_derive"));
    }

    #[test]
    fn an_spdx_sbom_becomes_the_same_table() {
        let view = parse_spdx(BACKTESTING).unwrap();
        assert_eq!(view.format, SbomFormat::Spdx);
        assert_eq!(view.spec_version, "2.3");
        let numpy = view.components.iter().find(|c| c.name == "numpy").unwrap();
        assert_eq!(numpy.version.as_deref(), Some("2.1.1"));
        assert_eq!(numpy.licence.as_deref(), Some("BSD-3-Clause"));
        assert_eq!(numpy.purl.as_deref(), Some("pkg:pypi/numpy@2.1.1"));
        let unknown = view
            .components
            .iter()
            .find(|c| c.name == "vendored-calc")
            .unwrap();
        assert_eq!(unknown.licence, None, "NOASSERTION states no licence");
    }

    #[test]
    fn a_json_file_that_is_not_cyclonedx_is_refused_with_the_reason() {
        let err = parse_cyclonedx(NOT_CYCLONEDX).unwrap_err();
        assert_eq!(
            err.to_string(),
            "declared cyclonedx_sbom but the document has no bomFormat \"CycloneDX\""
        );
        assert!(matches!(err, EvidenceError::WrongKind { .. }));
    }

    #[test]
    fn an_spdx_document_declared_as_cyclonedx_is_refused_and_vice_versa() {
        assert!(parse_cyclonedx(BACKTESTING).is_err());
        let err = parse_spdx(CURVE).unwrap_err().to_string();
        assert!(err.contains("no spdxVersion starting \"SPDX-\""), "{err}");
    }

    #[test]
    fn broken_json_is_refused_with_its_line_and_column() {
        let err = parse_cyclonedx(b"{\n  \"bomFormat\": \"CycloneDX\",\n  oops\n}")
            .unwrap_err()
            .to_string();
        assert!(
            err.starts_with(
                "declared cyclonedx_sbom but the document is not valid JSON at line 3 column 3: "
            ),
            "{err}"
        );
    }

    #[test]
    fn the_search_box_matches_any_column_ignoring_case() {
        let view = parse_cyclonedx(CURVE).unwrap();
        let names = |q| view.search(q).map(|c| c.name.as_str()).collect::<Vec<_>>();
        assert_eq!(names("APACHE").len(), 3);
        assert_eq!(names("pkg:cargo/tokio"), ["tokio"]);
        assert_eq!(names("").len(), view.components.len());
    }
}
