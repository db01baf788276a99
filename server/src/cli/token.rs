//! `server token create | list | revoke`: CI tokens from the command line,
//! acting as the operating-system user who runs it.

use super::whoami;
use crate::config::Settings;
use crate::startup::{connect, MIGRATOR};
use app::domain::access::Reach;
use app::services::actor::Actor;
use app::services::tokens;
use chrono::Utc;

#[derive(Debug, PartialEq, Eq)]
pub enum TokenCommand {
    Create {
        name: String,
        scopes: String,
        /// Comma-separated tracks whose trains it may act on; blank with
        /// `trains`: every train.
        tracks: String,
        /// Comma-separated trains it may act on.
        trains: String,
        expires_in_days: Option<i64>,
    },
    List,
    Revoke(String),
}

pub const USAGE: &str = concat!(
    "token create --name NAME --scopes gates:write,evidence:write",
    " [--tracks TRACK,...] [--trains TRAIN,...] [--expires-in-days N]",
    " (--tracks/--trains: only the trains of those tracks and those trains; neither: every train)",
    " | token list | token revoke NAME"
);

impl TokenCommand {
    pub fn parse(args: &[String]) -> anyhow::Result<Self> {
        match args.split_first() {
            Some((verb, rest)) if verb == "create" => {
                let (mut name, mut scopes, mut days) = (None, None, None);
                let (mut tracks, mut trains) = (String::new(), String::new());
                let mut it = rest.iter();
                while let Some(flag) = it.next() {
                    let value = it
                        .next()
                        .ok_or_else(|| anyhow::anyhow!("{flag} needs a value; {USAGE}"))?;
                    match flag.as_str() {
                        "--name" => name = Some(value.clone()),
                        "--scopes" => scopes = Some(value.clone()),
                        "--tracks" => tracks = value.clone(),
                        "--trains" => trains = value.clone(),
                        "--expires-in-days" => {
                            days = Some(value.parse::<i64>().ok().filter(|d| *d > 0).ok_or_else(
                                || {
                                    anyhow::anyhow!(
                                        "--expires-in-days must be a positive number of days"
                                    )
                                },
                            )?)
                        }
                        other => anyhow::bail!("unknown option {other}; {USAGE}"),
                    }
                }
                Ok(Self::Create {
                    name: name.ok_or_else(|| anyhow::anyhow!("--name is required; {USAGE}"))?,
                    scopes: scopes
                        .ok_or_else(|| anyhow::anyhow!("--scopes is required; {USAGE}"))?,
                    tracks,
                    trains,
                    expires_in_days: days,
                })
            }
            Some((verb, [])) if verb == "list" => Ok(Self::List),
            Some((verb, [name])) if verb == "revoke" => Ok(Self::Revoke(name.clone())),
            _ => anyhow::bail!("usage: server {USAGE}"),
        }
    }
}

pub async fn run(settings: &Settings, command: &TokenCommand) -> anyhow::Result<()> {
    let pool = connect(settings).await?;
    MIGRATOR.run(&pool).await?;
    let actor = Actor::new(format!("cli:{}", whoami()));
    let now = Utc::now();
    match command {
        TokenCommand::Create {
            name,
            scopes,
            tracks,
            trains,
            expires_in_days,
        } => {
            let created = tokens::create_token(
                &pool,
                &actor,
                name,
                scopes,
                tracks,
                trains,
                *expires_in_days,
                now,
            )
            .await?;
            eprintln!(
                "token {} created with scopes {}, for {}{}; it is shown only once:",
                created.token.name,
                created.token.scopes.join(","),
                Reach::from_stored(&created.token.tracks, &created.token.trains),
                created
                    .token
                    .expires_at
                    .map(|e| format!(", expiring {e}"))
                    .unwrap_or_default()
            );
            println!("{}", created.secret);
        }
        TokenCommand::List => {
            let list = tokens::list_tokens(&pool, &actor, now).await?;
            if list.is_empty() {
                println!("no tokens");
            }
            for t in list {
                let state = match (t.revoked_at, t.expires_at) {
                    (Some(r), _) => format!("revoked {r}"),
                    (None, Some(e)) if e <= now => format!("expired {e}"),
                    (None, Some(e)) => format!("active, expires {e}"),
                    (None, None) => "active".to_owned(),
                };
                let reach = Reach::from_stored(&t.tracks, &t.trains);
                println!(
                    "{}\t{}…\t{}\t{reach}\t{state}",
                    t.name,
                    t.prefix,
                    t.scopes.join(",")
                );
            }
        }
        TokenCommand::Revoke(name) => {
            tokens::revoke_token(&pool, &actor, name, now).await?;
            println!("token {name} revoked");
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> anyhow::Result<TokenCommand> {
        TokenCommand::parse(&args.iter().map(|s| s.to_string()).collect::<Vec<_>>())
    }

    #[test]
    fn token_commands_parse_with_their_options() {
        assert_eq!(
            parse(&["create", "--name", "ci-main", "--scopes", "gates:write"]).unwrap(),
            TokenCommand::Create {
                name: "ci-main".into(),
                scopes: "gates:write".into(),
                tracks: String::new(),
                trains: String::new(),
                expires_in_days: None
            }
        );
        assert_eq!(
            parse(&[
                "create",
                "--name",
                "ci-dev",
                "--scopes",
                "gates:write",
                "--tracks",
                "dev,staging",
                "--trains",
                "Q4-curve-upgrade"
            ])
            .unwrap(),
            TokenCommand::Create {
                name: "ci-dev".into(),
                scopes: "gates:write".into(),
                tracks: "dev,staging".into(),
                trains: "Q4-curve-upgrade".into(),
                expires_in_days: None
            }
        );
        assert_eq!(parse(&["list"]).unwrap(), TokenCommand::List);
        assert_eq!(
            parse(&["revoke", "ci-main"]).unwrap(),
            TokenCommand::Revoke("ci-main".into())
        );
        assert!(parse(&["create", "--name", "x"])
            .unwrap_err()
            .to_string()
            .contains("--scopes"));
        assert!(parse(&[
            "create",
            "--name",
            "x",
            "--scopes",
            "a",
            "--expires-in-days",
            "0"
        ])
        .is_err());
        assert!(parse(&["rotate"]).is_err());
    }
}
