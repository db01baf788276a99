//! A subscription's URL: http or https, a host, no credentials (the
//! signature is how a receiver knows the sender; a password in the URL
//! would be shown in every listing), judged by the allow-list.

use super::allow::{AllowList, HostVerdict};

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WebhookUrl(url::Url);

impl WebhookUrl {
    /// Parses `raw`; what the allow-list leaves to resolution is the
    /// caller's to check (see [`Self::needs_resolution`]).
    pub fn parse(raw: &str, allow: &AllowList) -> Result<Self, String> {
        let raw = raw.trim();
        if raw.len() > 2000 {
            return Err("a URL is at most 2,000 characters".to_owned());
        }
        let url = url::Url::parse(raw).map_err(|e| format!("{raw:?} is not a URL: {e}"))?;
        if !matches!(url.scheme(), "http" | "https") {
            return Err(format!(
                "webhooks are sent over http or https, not {}",
                url.scheme()
            ));
        }
        if !url.username().is_empty() || url.password().is_some() {
            return Err(
                "leave credentials out of the URL: receivers check the signature".to_owned(),
            );
        }
        if url.fragment().is_some() {
            return Err("a URL sent to has no #fragment".to_owned());
        }
        let host = url.host_str().ok_or("the URL has no host")?.to_owned();
        if allow.judge_host(&host) == HostVerdict::Refused {
            return Err(refused(&host, allow));
        }
        Ok(Self(url))
    }

    /// A host name the allow-list admits only by the addresses it
    /// resolves to.
    pub fn needs_resolution(&self, allow: &AllowList) -> bool {
        allow.judge_host(self.host()) == HostVerdict::CheckAddresses
    }

    pub fn host(&self) -> &str {
        self.0.host_str().unwrap_or_default()
    }

    pub fn port(&self) -> u16 {
        self.0.port_or_known_default().unwrap_or(80)
    }

    pub fn as_str(&self) -> &str {
        self.0.as_str()
    }
}

/// Why `host` may not be sent to.
pub fn refused(host: &str, allow: &AllowList) -> String {
    format!(
        "{host} is not among the destinations webhooks may be sent to \
         (TRAINYARD_WEBHOOK_ALLOW: {})",
        allow.describe()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn http_and_https_only_without_credentials() {
        let any = AllowList::any();
        assert!(WebhookUrl::parse("https://hooks.example/t?x=1", &any).is_ok());
        assert!(WebhookUrl::parse("ftp://x", &any)
            .unwrap_err()
            .contains("ftp"));
        assert!(WebhookUrl::parse("https://u:p@x.example/", &any).is_err());
        assert!(WebhookUrl::parse("not a url", &any).is_err());
    }

    #[test]
    fn the_allow_list_refuses_what_it_does_not_name() {
        let list = AllowList::parse("10.0.0.0/8").unwrap();
        let err = WebhookUrl::parse("http://127.0.0.1:9/", &list).unwrap_err();
        assert!(err.contains("TRAINYARD_WEBHOOK_ALLOW: 10.0.0.0/8"), "{err}");
        let named = WebhookUrl::parse("http://hooks.example/", &list).unwrap();
        assert!(named.needs_resolution(&list));
    }
}
