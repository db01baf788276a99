//! The subcommands of the server binary (`trainyard` in the docs).

mod history;
mod import;
mod token;

use crate::config::Settings;
use crate::startup::{connect, MIGRATOR};
use app::services::catalog;
pub use history::{seed_history, HistoryOptions};
pub use import::ImportArgs;
use std::path::{Path, PathBuf};
pub use token::TokenCommand;

#[derive(Debug, PartialEq, Eq)]
pub enum Command {
    /// Migrate, load demo data when configured, serve (the default).
    Serve,
    /// Apply pending migrations and exit.
    Migrate,
    /// Load the organisation's files (or directories of them), all or
    /// nothing, or print the plan with `--dry-run`.
    Import(ImportArgs),
    /// Write `DIR/config/services.yaml`, `DIR/config/environments.yaml`, `DIR/config/tracks.yaml`,
    /// `DIR/catalog/release-trains.yaml` and `DIR/config/upgrade-policies.yaml`.
    Export(PathBuf),
    /// Check the audit trail's hash chain; name the first record that does not match.
    AuditVerify,
    /// Create, list or revoke CI tokens.
    Token(TokenCommand),
    /// Write years of generated history through the service layer.
    SeedHistory(HistoryOptions),
}

const USAGE: &str =
    "usage: server [serve | migrate | import [--dry-run] DIR|FILE... | export DIR | audit verify | token ... \
                     | seed-history ...]";

impl Command {
    pub fn parse(mut args: impl Iterator<Item = String>) -> anyhow::Result<Self> {
        let command = args.next();
        let rest: Vec<String> = args.collect();
        match (command.as_deref(), rest.as_slice()) {
            (None | Some("serve"), []) => Ok(Self::Serve),
            (Some("migrate"), []) => Ok(Self::Migrate),
            (Some("import"), args) => Ok(Self::Import(ImportArgs::parse(args)?)),
            (Some("export"), [dir]) => Ok(Self::Export(PathBuf::from(dir))),
            (Some("audit"), [verb]) if verb == "verify" => Ok(Self::AuditVerify),
            (Some("token"), args) => Ok(Self::Token(TokenCommand::parse(args)?)),
            (Some("seed-history"), args) => Ok(Self::SeedHistory(HistoryOptions::parse(args)?)),
            (Some(other), _) => anyhow::bail!("cannot run {other:?} with these arguments; {USAGE}"),
            (None, _) => anyhow::bail!(USAGE),
        }
    }
}

pub async fn migrate(settings: &Settings) -> anyhow::Result<()> {
    let pool = connect(settings).await?;
    MIGRATOR.run(&pool).await?;
    tracing::info!("migrations applied");
    Ok(())
}

/// Imports the files (or prints the plan); on any problem prints every one
/// and changes nothing.
pub async fn import(settings: &Settings, args: &ImportArgs) -> anyhow::Result<()> {
    import::run(settings, args, whoami()).await
}

pub async fn export(settings: &Settings, dir: &Path) -> anyhow::Result<()> {
    let pool = connect(settings).await?;
    // As import does: the files describe the schema the migrations make.
    MIGRATOR.run(&pool).await?;
    let files = catalog::export(&pool)
        .await
        .map_err(|e| anyhow::anyhow!("export failed: {e}"))?;
    let write = |relative: &str, text: &str| -> anyhow::Result<()> {
        let path = dir.join(relative);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(&path, text).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
        println!("wrote {}", path.display());
        Ok(())
    };
    write("config/services.yaml", &files.services)?;
    write("config/environments.yaml", &files.environments)?;
    write("config/gate-templates.yaml", &files.gate_templates)?;
    write("config/tracks.yaml", &files.tracks)?;
    write("catalog/release-trains.yaml", &files.catalog)?;
    if let Some(policies) = &files.policies {
        write("config/upgrade-policies.yaml", policies)?;
    }
    Ok(())
}

pub async fn audit_verify(settings: &Settings) -> anyhow::Result<()> {
    let pool = connect(settings).await?;
    let records = app::services::audit::verify_chain(&pool).await?;
    println!("audit trail intact: {records} records");
    Ok(())
}

pub async fn token(settings: &Settings, command: &TokenCommand) -> anyhow::Result<()> {
    token::run(settings, command).await
}

fn whoami() -> String {
    std::env::var("USER").unwrap_or_else(|_| "unknown".to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> anyhow::Result<Command> {
        Command::parse(args.iter().map(|s| s.to_string()))
    }

    #[test]
    fn serves_by_default_and_refuses_unknown_commands() {
        assert_eq!(parse(&[]).unwrap(), Command::Serve);
        assert_eq!(parse(&["migrate"]).unwrap(), Command::Migrate);
        assert_eq!(
            parse(&["import", "a.yaml", "b.yaml"]).unwrap(),
            Command::Import(ImportArgs {
                paths: vec!["a.yaml".into(), "b.yaml".into()],
                dry_run: false
            })
        );
        assert_eq!(
            parse(&["export", "out"]).unwrap(),
            Command::Export("out".into())
        );
        assert_eq!(parse(&["audit", "verify"]).unwrap(), Command::AuditVerify);
        assert!(parse(&["audit", "rewrite"]).is_err());
        assert!(parse(&["import"]).is_err());
        assert!(parse(&["frobnicate"])
            .unwrap_err()
            .to_string()
            .contains("frobnicate"));
    }
}
