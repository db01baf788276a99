//! Sign-in settings: the OpenID provider, how its groups become roles, and
//! how long sessions last.

use super::{invalid, parse_bool, parse_or, ConfigError};
use app::domain::access::{RoleMap, UnmappedUsers};
use secrecy::SecretString;
use std::time::Duration;
use url::Url;

#[derive(Clone, Debug)]
pub struct AuthSettings {
    /// Sign-in through this provider; none means only tokens can change
    /// anything.
    pub issuer: Option<Url>,
    pub client_id: String,
    pub client_secret: Option<SecretString>,
    /// Scopes asked for besides `openid`.
    pub scopes: Vec<String>,
    /// The ID token claim that lists the user's groups.
    pub roles_claim: String,
    pub role_map: RoleMap,
    pub unmapped_users: UnmappedUsers,
    /// Whether visitors who are not signed in may read.
    pub anonymous_read: bool,
    /// A session ends after this long without a request...
    pub session_idle: Duration,
    /// ...and this long after sign-in, whatever happens.
    pub session_max: Duration,
    /// Failed bearer tokens a client address, or a token prefix, may send
    /// per minute before it is answered 429.
    pub failed_tokens_per_minute: u32,
    /// Sign-ins a client address may start per minute.
    pub sign_ins_per_minute: u32,
    /// Reverse proxies whose `X-Forwarded-For` names the client.
    pub trusted_proxies: Vec<std::net::IpAddr>,
}

impl AuthSettings {
    pub fn from_lookup(lookup: &impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let issuer = match lookup("OIDC_ISSUER_URL").filter(|v| !v.is_empty()) {
            None => None,
            Some(v) => {
                Some(Url::parse(&v).map_err(|e| invalid("OIDC_ISSUER_URL", &v, e.to_string()))?)
            }
        };
        let role_map = match lookup("TRAINYARD_ROLE_MAP").filter(|v| !v.is_empty()) {
            None => RoleMap::by_name(),
            Some(v) => {
                RoleMap::parse(&v).map_err(|e| invalid("TRAINYARD_ROLE_MAP", &v, e.to_string()))?
            }
        };
        let unmapped_users = parse_or(lookup, "TRAINYARD_UNMAPPED_USERS", "viewer", |v| match v {
            "viewer" => Ok(UnmappedUsers::Viewer),
            "refuse" => Ok(UnmappedUsers::Refuse),
            _ => Err("must be viewer or refuse".to_owned()),
        })?;
        let session_idle = parse_or(lookup, "TRAINYARD_SESSION_IDLE", "8h", parse_duration)?;
        let session_max = parse_or(lookup, "TRAINYARD_SESSION_MAX", "24h", parse_duration)?;
        Ok(Self {
            issuer,
            client_id: lookup("OIDC_CLIENT_ID").unwrap_or_else(|| "trainyard".to_owned()),
            client_secret: lookup("OIDC_CLIENT_SECRET")
                .filter(|v| !v.is_empty())
                .map(SecretString::from),
            scopes: lookup("OIDC_SCOPES")
                .unwrap_or_else(|| "profile email groups".to_owned())
                .split_whitespace()
                .map(str::to_owned)
                .collect(),
            roles_claim: lookup("TRAINYARD_ROLES_CLAIM").unwrap_or_else(|| "groups".to_owned()),
            role_map,
            unmapped_users,
            anonymous_read: parse_or(lookup, "TRAINYARD_ANONYMOUS_READ", "1", parse_bool)?,
            session_idle,
            session_max,
            failed_tokens_per_minute: parse_or(
                lookup,
                "TRAINYARD_FAILED_TOKENS_PER_MINUTE",
                "20",
                parse_count,
            )?,
            sign_ins_per_minute: parse_or(
                lookup,
                "TRAINYARD_SIGN_INS_PER_MINUTE",
                "30",
                parse_count,
            )?,
            trusted_proxies: parse_or(
                lookup,
                "TRAINYARD_TRUSTED_PROXIES",
                "127.0.0.1,::1",
                crate::auth::client::parse_trusted,
            )?,
        })
    }
}

/// A limit of events: a whole number from 1.
fn parse_count(v: &str) -> Result<u32, String> {
    v.parse::<u32>()
        .ok()
        .filter(|n| *n > 0)
        .ok_or_else(|| "must be a whole number from 1".to_owned())
}

/// `90s`, `30m`, `8h`, `7d`.
pub(crate) fn parse_duration(v: &str) -> Result<Duration, String> {
    let err = || "must be a number followed by s, m, h or d (such as 30m or 8h)".to_owned();
    let (number, unit) = v.split_at(v.len().saturating_sub(1));
    let n: u64 = number.parse().map_err(|_| err())?;
    let seconds = match unit {
        "s" => n,
        "m" => n * 60,
        "h" => n * 3600,
        "d" => n * 86_400,
        _ => return Err(err()),
    };
    if seconds == 0 {
        return Err("must be longer than zero".to_owned());
    }
    Ok(Duration::from_secs(seconds))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn auth(vars: &[(&str, &str)]) -> Result<AuthSettings, ConfigError> {
        let map: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        AuthSettings::from_lookup(&|k: &str| map.get(k).cloned())
    }

    #[test]
    fn defaults_read_anonymously_and_keep_sessions_for_a_working_day() {
        let a = auth(&[]).unwrap();
        assert!(a.issuer.is_none());
        assert!(a.anonymous_read);
        assert_eq!(a.roles_claim, "groups");
        assert_eq!(a.session_idle, Duration::from_secs(8 * 3600));
        assert_eq!(a.unmapped_users, UnmappedUsers::Viewer);
    }

    #[test]
    fn durations_take_a_unit() {
        assert_eq!(parse_duration("90s"), Ok(Duration::from_secs(90)));
        assert_eq!(parse_duration("7d"), Ok(Duration::from_secs(7 * 86_400)));
        for bad in ["", "8", "h", "0m", "-1h", "2w"] {
            assert!(parse_duration(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn a_wrong_auth_variable_is_named() {
        for (var, value) in [
            ("OIDC_ISSUER_URL", "not a url"),
            ("TRAINYARD_ROLE_MAP", "ops=root"),
            ("TRAINYARD_UNMAPPED_USERS", "admin"),
            ("TRAINYARD_SESSION_MAX", "forever"),
            ("TRAINYARD_ANONYMOUS_READ", "perhaps"),
        ] {
            let err = auth(&[(var, value)]).unwrap_err();
            assert!(err.to_string().starts_with(var), "{err}");
        }
    }
}
