//! `inspect`: every kind is checked as what it was declared to be.

#![cfg(feature = "ssr")]

use super::*;

macro_rules! fixture {
    ($name:literal) => {
        include_bytes!(concat!(
            "../../../../server/tests/fixtures/evidence/",
            $name
        ))
        .as_slice()
    };
}

#[test]
fn every_fixture_passes_as_the_kind_it_was_written_as() {
    let cases = [
        (EvidenceKind::CyclonedxSbom, fixture!("curve.cdx.json")),
        (EvidenceKind::SpdxSbom, fixture!("backtesting.spdx.json")),
        (EvidenceKind::Junit, fixture!("junit.xml")),
        (EvidenceKind::Provenance, fixture!("provenance.intoto.json")),
        (EvidenceKind::Provenance, fixture!("provenance.dsse.json")),
        (EvidenceKind::Checksums, fixture!("SHA256SUMS")),
        (
            EvidenceKind::ReleaseMetadata,
            fixture!("release-metadata.json"),
        ),
    ];
    for (kind, bytes) in cases {
        if let Err(e) = inspect(kind, bytes) {
            panic!("{}: {e}", kind.as_str());
        }
    }
}

#[test]
fn each_kind_gets_the_view_its_viewer_shows() {
    assert!(matches!(
        inspect(EvidenceKind::SpdxSbom, fixture!("backtesting.spdx.json")),
        Ok(Inspection::Sbom(_))
    ));
    assert!(matches!(
        inspect(EvidenceKind::Junit, fixture!("junit.xml")),
        Ok(Inspection::Junit(_))
    ));
    assert!(matches!(
        inspect(
            EvidenceKind::ReleaseMetadata,
            fixture!("release-metadata.json")
        ),
        Ok(Inspection::ReleaseMetadata(_))
    ));
    assert_eq!(
        inspect(
            EvidenceKind::Migrations,
            b"CREATE TABLE t ();\nDROP TABLE u;\n"
        ),
        Ok(Inspection::Text { lines: 2 })
    );
    assert_eq!(
        inspect(EvidenceKind::Signature, &[0x30, 0x82, 0xff, 0x00]),
        Ok(Inspection::Opaque)
    );
}

#[test]
fn a_file_of_one_kind_declared_as_another_is_refused() {
    let wrong = [
        (EvidenceKind::CyclonedxSbom, fixture!("not-cyclonedx.json")),
        (EvidenceKind::SpdxSbom, fixture!("curve.cdx.json")),
        (EvidenceKind::Junit, fixture!("curve.cdx.json")),
        (EvidenceKind::Provenance, fixture!("release-metadata.json")),
        (EvidenceKind::Checksums, fixture!("junit.xml")),
        (
            EvidenceKind::ReleaseMetadata,
            fixture!("provenance.intoto.json"),
        ),
    ];
    for (kind, bytes) in wrong {
        let err = inspect(kind, bytes).expect_err(kind.as_str());
        let message = err.to_string();
        let named = message.contains(kind.as_str())
            || message.starts_with("release metadata")
            || message.starts_with("SHA256SUMS");
        assert!(named, "{message}");
    }
}

#[test]
fn text_kinds_refuse_bytes_that_are_not_utf8() {
    let err = inspect(EvidenceKind::Summary, b"ok\n\xff\xfe")
        .unwrap_err()
        .to_string();
    assert_eq!(
        err,
        "declared summary but the file is not UTF-8 text (invalid byte at offset 3)"
    );
}

#[test]
fn an_empty_upload_is_refused_whatever_its_kind() {
    for kind in EvidenceKind::ALL {
        assert_eq!(
            inspect(kind, b""),
            Err(EvidenceError::Empty { kind }),
            "{}",
            kind.as_str()
        );
    }
}

#[test]
fn a_byte_order_mark_before_json_is_tolerated() {
    let mut bytes = b"\xEF\xBB\xBF".to_vec();
    bytes.extend_from_slice(fixture!("curve.cdx.json"));
    assert!(inspect(EvidenceKind::CyclonedxSbom, &bytes).is_ok());
}

#[test]
fn an_inspection_round_trips_through_json_for_storage() {
    let view = inspect(EvidenceKind::Junit, fixture!("junit.xml")).unwrap();
    let json = serde_json::to_value(&view).unwrap();
    assert_eq!(json["view"], "junit");
    let back: Inspection = serde_json::from_value(json).unwrap();
    assert_eq!(back, view);
}
