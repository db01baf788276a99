//! Typed configuration from environment variables. Every variable is listed in
//! `.env.example` and the README; a wrong value is an error naming it.

mod auth;
mod evidence;
mod smtp;
mod webhooks;

pub use auth::AuthSettings;
pub use evidence::{EvidenceSettings, StoreLocation};
use leptos::config::{Env, LeptosOptions};
use secrecy::SecretString;
pub use smtp::SmtpSettings;
use std::net::SocketAddr;
use url::Url;
pub use webhooks::WebhookSettings;

#[derive(Clone, Debug)]
pub struct Settings {
    pub database_url: SecretString,
    pub database_max_connections: u32,
    /// How long a request waits for a free connection before it is answered 503.
    pub database_acquire_timeout: std::time::Duration,
    /// How long a read model is shared at most (`0`: not at all).
    pub read_cache_ttl: std::time::Duration,
    pub addr: SocketAddr,
    pub public_url: Url,
    pub demo: bool,
    /// How often due work (cut times, timers) is checked.
    pub scheduler_tick: std::time::Duration,
    /// How long a client may take to send a request's line and headers.
    pub header_read_timeout: std::time::Duration,
    /// How long a request's body may take to arrive (grows with its size).
    pub body_deadline: crate::body_deadline::BodyDeadline,
    pub site_root: String,
    pub output_name: String,
    pub leptos_env: Env,
    /// Whether the site's built files carry their content hash in their name
    /// (`LEPTOS_HASH_FILES`, what `make release` builds).
    pub hash_files: bool,
    /// The build's list of hashed names, next to the server binary.
    pub hash_file: String,
    pub auth: AuthSettings,
    pub evidence: EvidenceSettings,
    pub webhooks: WebhookSettings,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ConfigError {
    #[error("{var} is not set: {hint}")]
    Missing {
        var: &'static str,
        hint: &'static str,
    },
    #[error("{var}={value:?} is invalid: {reason}")]
    Invalid {
        var: &'static str,
        value: String,
        reason: String,
    },
}

impl Settings {
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::from_lookup(|k| std::env::var(k).ok())
    }

    /// Reads settings through `lookup` so that tests need not touch the process
    /// environment.
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let database_url =
            lookup("DATABASE_URL")
                .filter(|v| !v.is_empty())
                .ok_or(ConfigError::Missing {
                var: "DATABASE_URL",
                hint: "set it to a postgres:// URL (make run starts a private cluster and sets it)",
            })?;
        if !(database_url.starts_with("postgres://") || database_url.starts_with("postgresql://")) {
            return Err(invalid(
                "DATABASE_URL",
                "<hidden>",
                "must start with postgres:// or postgresql://",
            ));
        }
        let addr: SocketAddr = parse_or(&lookup, "TRAINYARD_ADDR", "127.0.0.1:3000", |v| {
            v.parse()
                .map_err(|e: std::net::AddrParseError| e.to_string())
        })?;
        let public_url = parse_or(
            &lookup,
            "TRAINYARD_PUBLIC_URL",
            &format!("http://{addr}"),
            |v| {
                let url = Url::parse(v).map_err(|e| e.to_string())?;
                match url.scheme() {
                    "http" | "https" => Ok(url),
                    other => Err(format!("scheme must be http or https, not {other}")),
                }
            },
        )?;
        let demo = parse_or(&lookup, "TRAINYARD_DEMO", "1", parse_bool)?;
        let scheduler_tick = parse_or(
            &lookup,
            "TRAINYARD_SCHEDULER_TICK",
            "1s",
            auth::parse_duration,
        )?;
        let header_read_timeout = parse_or(
            &lookup,
            "TRAINYARD_HEADER_READ_TIMEOUT",
            "10s",
            auth::parse_duration,
        )?;
        let body_deadline = crate::body_deadline::BodyDeadline {
            base: parse_or(
                &lookup,
                "TRAINYARD_BODY_READ_TIMEOUT",
                "15s",
                auth::parse_duration,
            )?,
            min_rate: parse_or(&lookup, "TRAINYARD_BODY_MIN_RATE", "1024", |v| {
                match v.parse::<u64>() {
                    Ok(n) if n > 0 => Ok(n),
                    _ => Err("must be a positive number of bytes per second".to_owned()),
                }
            })?,
        };
        let database_max_connections =
            parse_or(&lookup, "TRAINYARD_DB_MAX_CONNECTIONS", "10", |v| {
                match v.parse::<u32>() {
                    Ok(n) if n > 0 => Ok(n),
                    _ => Err("must be a positive integer".to_owned()),
                }
            })?;
        let database_acquire_timeout = parse_or(
            &lookup,
            "TRAINYARD_DB_ACQUIRE_TIMEOUT",
            "5s",
            auth::parse_duration,
        )?;
        let read_cache_ttl = parse_or(&lookup, "TRAINYARD_READ_CACHE_TTL", "1s", |v| {
            if v == "0" {
                Ok(std::time::Duration::ZERO)
            } else {
                auth::parse_duration(v)
            }
        })?;
        let leptos_env = parse_or(&lookup, "LEPTOS_ENV", "DEV", |v| {
            match v.to_ascii_lowercase().as_str() {
                "dev" | "development" => Ok(Env::DEV),
                "prod" | "production" => Ok(Env::PROD),
                _ => Err("must be DEV or PROD".to_owned()),
            }
        })?;
        let hash_files = parse_or(&lookup, "LEPTOS_HASH_FILES", "false", parse_bool)?;
        let webhooks = WebhookSettings::from_lookup(&lookup, &public_url)?;
        Ok(Self {
            database_url: SecretString::from(database_url),
            database_max_connections,
            database_acquire_timeout,
            read_cache_ttl,
            addr,
            public_url,
            demo,
            scheduler_tick,
            header_read_timeout,
            body_deadline,
            site_root: lookup("LEPTOS_SITE_ROOT").unwrap_or_else(|| "target/site".to_owned()),
            output_name: lookup("LEPTOS_OUTPUT_NAME").unwrap_or_else(|| "trainyard".to_owned()),
            leptos_env,
            hash_files,
            hash_file: lookup("LEPTOS_HASH_FILE_NAME").unwrap_or_else(|| "hash.txt".to_owned()),
            auth: AuthSettings::from_lookup(&lookup)?,
            evidence: EvidenceSettings::from_lookup(&lookup)?,
            webhooks,
        })
    }

    pub fn leptos_options(&self) -> LeptosOptions {
        LeptosOptions::builder()
            .output_name(self.output_name.as_str())
            .site_root(self.site_root.as_str())
            .site_pkg_dir("pkg")
            .site_addr(self.addr)
            .env(self.leptos_env.clone())
            .hash_files(self.hash_files)
            .hash_file(self.hash_file.as_str().into())
            .build()
    }
}

pub(crate) fn invalid(var: &'static str, value: &str, reason: impl Into<String>) -> ConfigError {
    ConfigError::Invalid {
        var,
        value: value.to_owned(),
        reason: reason.into(),
    }
}

pub(crate) fn parse_or<T>(
    lookup: &impl Fn(&str) -> Option<String>,
    var: &'static str,
    default: &str,
    parse: impl Fn(&str) -> Result<T, String>,
) -> Result<T, ConfigError> {
    let value = lookup(var).unwrap_or_else(|| default.to_owned());
    parse(&value).map_err(|reason| invalid(var, &value, reason))
}

pub(crate) fn parse_bool(v: &str) -> Result<bool, String> {
    match v.to_ascii_lowercase().as_str() {
        "1" | "true" | "yes" | "on" => Ok(true),
        "0" | "false" | "no" | "off" => Ok(false),
        _ => Err("must be 1 or 0".to_owned()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use secrecy::ExposeSecret;
    use std::collections::HashMap;

    fn settings(vars: &[(&str, &str)]) -> Result<Settings, ConfigError> {
        let map: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Settings::from_lookup(|k| map.get(k).cloned())
    }

    #[test]
    fn defaults_need_only_a_database_url() {
        let s = settings(&[("DATABASE_URL", "postgres://x@127.0.0.1/db")]).unwrap();
        assert_eq!(s.addr.to_string(), "127.0.0.1:3000");
        assert_eq!(s.public_url.as_str(), "http://127.0.0.1:3000/");
        assert!(s.demo);
        assert_eq!(s.database_url.expose_secret(), "postgres://x@127.0.0.1/db");
    }

    #[test]
    fn a_missing_or_wrong_variable_is_named() {
        assert!(matches!(
            settings(&[]),
            Err(ConfigError::Missing {
                var: "DATABASE_URL",
                ..
            })
        ));
        let db = ("DATABASE_URL", "postgres://x@h/db");
        for (var, value) in [
            ("TRAINYARD_ADDR", "localhost"),
            ("TRAINYARD_PUBLIC_URL", "ftp://x"),
            ("TRAINYARD_DEMO", "maybe"),
            ("TRAINYARD_DB_MAX_CONNECTIONS", "0"),
            ("TRAINYARD_DB_ACQUIRE_TIMEOUT", "soon"),
            ("LEPTOS_ENV", "staging"),
        ] {
            let err = settings(&[db, (var, value)]).unwrap_err();
            assert!(err.to_string().starts_with(var), "{err}");
        }
        let err = settings(&[("DATABASE_URL", "mysql://secret@h/db")]).unwrap_err();
        assert!(
            !err.to_string().contains("secret"),
            "the URL's credentials must not be printed"
        );
    }

    #[test]
    fn demo_data_can_be_turned_off() {
        assert!(
            !settings(&[("DATABASE_URL", "postgres://h/db"), ("TRAINYARD_DEMO", "0")])
                .unwrap()
                .demo
        );
    }
}
