use super::*;
use chrono::TimeZone;

fn change(sha: &str, title: &str, labels: &[&str], minute: u32) -> NoteChange {
    NoteChange {
        participant: "curve".into(),
        sha: sha.into(),
        title: title.into(),
        body: None,
        author: "ana".into(),
        committed_at: Utc.with_ymd_and_hms(2026, 12, 1, 10, minute, 0).unwrap(),
        pr_number: Some(12),
        pr_url: Some("https://git.example/curve/pull/12".into()),
        labels: labels.iter().map(|s| s.to_string()).collect(),
        breaking: false,
    }
}

fn context() -> NotesContext {
    NotesContext {
        train: "curve-2.1".into(),
        tag: Some("v2.1.0-rc1".into()),
        versions: vec![VersionLine {
            service: "curve".into(),
            version: Some("2.1.0".into()),
            previous: Some("2.0.3".into()),
        }],
    }
}

#[test]
fn the_notes_of_a_train_read_as_expected() {
    let changes = vec![
        change("aaaaaaa1", "feat(curve)!: drop v1 curves", &[], 1),
        change("bbbbbbb2", "ci: cache the toolchain", &[], 2),
        change(
            "ccccccc3",
            "NaN in bootstrap on holidays",
            &["known-issue"],
            3,
        ),
        change("ddddddd4", "chore: bump serde", &["skip-changelog"], 4),
        change("eeeeeee5", "Make the <b>fast</b> path | default", &[], 5),
    ];
    let expected = "\
# curve-2.1 (v2.1.0-rc1)

> **Breaking changes**
>
> - **curve**: feat(curve)!: drop v1 curves ([#12](https://git.example/curve/pull/12)) by ana (aaaaaaa)

## Highlights

- **curve**: Make the \\<b\\>fast\\</b\\> path \\| default ([#12](https://git.example/curve/pull/12)) by ana (eeeeeee)
- **curve**: feat(curve)!: drop v1 curves ([#12](https://git.example/curve/pull/12)) by ana (aaaaaaa)

## Infrastructure Changes

- **curve**: ci: cache the toolchain ([#12](https://git.example/curve/pull/12)) by ana (bbbbbbb)

## Known Issues

- **curve**: NaN in bootstrap on holidays ([#12](https://git.example/curve/pull/12)) by ana (ccccccc)

## Versions

| Service | Version | Previous |
| --- | --- | --- |
| curve | 2.1.0 | 2.0.3 |
";
    assert_eq!(
        render(&context(), &changes, &Categories::default()),
        expected
    );
}

#[test]
fn empty_sections_say_so_and_order_does_not_depend_on_input_order() {
    let a = change("aaaaaaa1", "feat: one", &[], 1);
    let b = change("bbbbbbb2", "feat: two", &[], 1);
    let one = render(&context(), &[a.clone(), b.clone()], &Categories::default());
    let two = render(&context(), &[b, a], &Categories::default());
    assert_eq!(one, two);
    assert!(one.contains("## Known Issues\n\nNone.\n"), "{one}");
}
