//! `server import [--dry-run] PATH...`: files, or directories holding the
//! organisation's files in their usual places; all or nothing, or only the
//! plan of what would change.

use crate::config::Settings;
use crate::startup::{connect, MIGRATOR};
use app::services::actor::Actor;
use app::services::catalog::{self, ImportError, ImportReport, SourceFile};
use std::path::{Path, PathBuf};

/// Where a directory holds each file, in the order they are read.
pub const LAYOUT: [&str; 6] = [
    "config/services.yaml",
    "config/environments.yaml",
    "config/gate-templates.yaml",
    "config/tracks.yaml",
    "catalog/release-trains.yaml",
    "config/upgrade-policies.yaml",
];

#[derive(Debug, PartialEq, Eq)]
pub struct ImportArgs {
    pub paths: Vec<PathBuf>,
    /// Print what would change, and change nothing.
    pub dry_run: bool,
}

impl ImportArgs {
    pub fn parse(args: &[String]) -> anyhow::Result<Self> {
        let dry_run = args.iter().any(|a| a == "--dry-run");
        let paths: Vec<PathBuf> = args
            .iter()
            .filter(|a| *a != "--dry-run")
            .map(PathBuf::from)
            .collect();
        if paths.is_empty() {
            anyhow::bail!("usage: server import [--dry-run] DIR | FILE...");
        }
        Ok(Self { paths, dry_run })
    }
}

/// The files to read: each file as given, each directory's files of
/// [`LAYOUT`] that exist (a directory with none of them is an error).
fn files_of(paths: &[PathBuf]) -> anyhow::Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    for path in paths {
        if !path.is_dir() {
            files.push(path.clone());
            continue;
        }
        let found: Vec<PathBuf> = LAYOUT
            .iter()
            .map(|f| path.join(f))
            .filter(|f| f.is_file())
            .collect();
        if found.is_empty() {
            anyhow::bail!("{} holds none of {}", path.display(), LAYOUT.join(", "));
        }
        files.extend(found);
    }
    Ok(files)
}

fn read(path: &Path) -> anyhow::Result<SourceFile> {
    let text =
        std::fs::read_to_string(path).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
    Ok(SourceFile {
        path: path.display().to_string(),
        text,
    })
}

/// Imports (or plans) the files; on any problem prints every one and
/// changes nothing.
pub async fn run(settings: &Settings, args: &ImportArgs, who: String) -> anyhow::Result<()> {
    let files = files_of(&args.paths)?
        .iter()
        .map(|p| read(p))
        .collect::<anyhow::Result<Vec<_>>>()?;
    let pool = connect(settings).await?;
    MIGRATOR.run(&pool).await?;
    let actor = Actor::new(format!("import:{who}"));
    let now = chrono::Utc::now();
    let result = if args.dry_run {
        catalog::plan(&pool, &actor, &files, now).await
    } else {
        catalog::import(&pool, &actor, &files, now).await
    };
    match result {
        Ok(report) => {
            let heading = if args.dry_run {
                "plan (nothing was changed):"
            } else {
                "imported:"
            };
            println!("{heading}\n{}", describe(&report));
            Ok(())
        }
        Err(ImportError::Problems(problems)) => {
            for p in &problems {
                eprintln!("{p}");
            }
            anyhow::bail!("{} problem(s); nothing was imported", problems.len())
        }
        Err(ImportError::Failed(e)) => anyhow::bail!("import failed: {e}"),
    }
}

/// One line per kind of entry: what is added, changed and left alone.
pub fn describe(report: &ImportReport) -> String {
    let list = |verb: &str, names: &[String]| {
        (!names.is_empty()).then(|| format!("{verb} {}", names.join(", ")))
    };
    let line = |kind: &str, parts: Vec<Option<String>>| {
        let parts: Vec<String> = parts.into_iter().flatten().collect();
        let parts = if parts.is_empty() {
            "no change".to_owned()
        } else {
            parts.join("; ")
        };
        format!("  {kind}: {parts}")
    };
    let unchanged =
        (!report.unchanged.is_empty()).then(|| format!("{} unchanged", report.unchanged.len()));
    [
        line(
            "services",
            vec![
                list("add", &report.services_added),
                list("change", &report.services_changed),
            ],
        ),
        line(
            "environments",
            vec![
                list("add", &report.environments_added),
                list("change", &report.environments_changed),
            ],
        ),
        line(
            "gate templates",
            vec![
                list("add", &report.gate_templates_added),
                list("change", &report.gate_templates_changed),
            ],
        ),
        line(
            "tracks",
            vec![
                list("add", &report.tracks_added),
                list("change", &report.tracks_changed),
            ],
        ),
        line(
            "trains",
            vec![
                list("create", &report.created),
                list("redefine", &report.replaced),
                unchanged,
            ],
        ),
        line(
            "policies",
            vec![report
                .policies
                .then(|| "replace the release-train policy".to_owned())],
        ),
        line(
            "notifications",
            vec![
                list("mute", &report.notifications_muted),
                list("nobody reaches", &report.notifications_unreached),
            ],
        ),
    ]
    .join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dry_run_is_a_flag_anywhere_and_a_path_is_needed() {
        let args =
            |a: &[&str]| ImportArgs::parse(&a.iter().map(|s| s.to_string()).collect::<Vec<_>>());
        assert_eq!(
            args(&["--dry-run", "org"]).unwrap(),
            ImportArgs {
                paths: vec!["org".into()],
                dry_run: true
            }
        );
        assert!(!args(&["a.yaml", "b.yaml"]).unwrap().dry_run);
        assert!(args(&["--dry-run"]).is_err());
    }

    #[test]
    fn a_directory_gives_its_files_in_their_usual_places() {
        let dir = std::env::temp_dir().join(format!("trainyard-import-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("config")).unwrap();
        std::fs::create_dir_all(dir.join("catalog")).unwrap();
        for f in ["catalog/release-trains.yaml", "config/services.yaml"] {
            std::fs::write(dir.join(f), "x").unwrap();
        }
        let files = files_of(std::slice::from_ref(&dir)).unwrap();
        assert_eq!(
            files,
            [
                dir.join("config/services.yaml"),
                dir.join("catalog/release-trains.yaml")
            ],
            "services before the trains that name them"
        );
        let empty = dir.join("catalog");
        std::fs::remove_file(empty.join("release-trains.yaml")).unwrap();
        assert!(files_of(&[empty])
            .unwrap_err()
            .to_string()
            .contains("holds none of"));
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn the_plan_reads_as_one_line_per_kind() {
        let report = ImportReport {
            services_added: vec!["ledger".into()],
            created: vec!["Q3".into()],
            unchanged: vec!["Q2".into()],
            ..ImportReport::default()
        };
        assert_eq!(
            describe(&report),
            "  services: add ledger\n  environments: no change\n  gate templates: no change\n  tracks: no change\n  \
             trains: create Q3; 1 unchanged\n  policies: no change\n  notifications: no change"
        );
    }
}
