//! The subcommands of the `trainyard` server binary.

use crate::config::Settings;
use crate::startup::{connect, MIGRATOR};

#[derive(Debug, PartialEq, Eq)]
pub enum Command {
    /// Migrate, load demo data when configured, serve (the default).
    Serve,
    /// Apply pending migrations and exit.
    Migrate,
}

impl Command {
    pub fn parse(mut args: impl Iterator<Item = String>) -> anyhow::Result<Self> {
        match (args.next().as_deref(), args.next()) {
            (None | Some("serve"), None) => Ok(Self::Serve),
            (Some("migrate"), None) => Ok(Self::Migrate),
            (Some(other), _) => {
                anyhow::bail!("unknown command {other:?}; usage: server [serve|migrate]")
            }
            (None, Some(_)) => unreachable!("an iterator yields nothing after its end"),
        }
    }
}

pub async fn migrate(settings: &Settings) -> anyhow::Result<()> {
    let pool = connect(settings).await?;
    MIGRATOR.run(&pool).await?;
    tracing::info!("migrations applied");
    Ok(())
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
        assert!(parse(&["frobnicate"])
            .unwrap_err()
            .to_string()
            .contains("frobnicate"));
    }
}
