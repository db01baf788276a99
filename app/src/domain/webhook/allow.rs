//! Where webhooks may be sent (`TRAINYARD_WEBHOOK_ALLOW`). A subscription's
//! URL is chosen by an admin, but the request comes from inside the
//! network Trainyard runs in: without a limit, a subscription could point
//! at an internal service or a cloud metadata address and read its answer
//! in the delivery log (server-side request forgery). The allow-list names
//! the hosts and address ranges receivers live in; empty, anything goes.

use std::net::IpAddr;

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AllowList {
    hosts: Vec<HostRule>,
    ranges: Vec<Range>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum HostRule {
    Exact(String),
    /// `*.example.com`: any name under it.
    Under(String),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Range {
    network: IpAddr,
    prefix: u8,
}

/// What the list says of a URL's host before anything is resolved.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HostVerdict {
    Allowed,
    /// A name the list does not name: allowed only if every address it
    /// resolves to is in an allowed range.
    CheckAddresses,
    Refused,
}

impl AllowList {
    /// Every destination allowed.
    pub fn any() -> Self {
        Self::default()
    }

    /// `hooks.example.com, *.corp.example, 10.0.0.0/8, 2001:db8::/32, 192.0.2.7`
    pub fn parse(raw: &str) -> Result<Self, String> {
        let mut list = Self::default();
        for entry in raw.split(',').map(str::trim).filter(|e| !e.is_empty()) {
            if let Some(range) = Range::parse(entry)? {
                list.ranges.push(range);
            } else if let Some(domain) = entry.strip_prefix("*.") {
                list.hosts.push(HostRule::Under(host_name(domain)?));
            } else {
                list.hosts.push(HostRule::Exact(host_name(entry)?));
            }
        }
        Ok(list)
    }

    pub fn allows_anything(&self) -> bool {
        self.hosts.is_empty() && self.ranges.is_empty()
    }

    /// `host` as a URL gives it (an IPv6 address without brackets).
    pub fn judge_host(&self, host: &str) -> HostVerdict {
        if self.allows_anything() {
            return HostVerdict::Allowed;
        }
        if let Ok(ip) = host.trim_matches(['[', ']']).parse::<IpAddr>() {
            return if self.allows_address(ip) {
                HostVerdict::Allowed
            } else {
                HostVerdict::Refused
            };
        }
        let host = host.to_ascii_lowercase();
        let named = self.hosts.iter().any(|rule| match rule {
            HostRule::Exact(name) => *name == host,
            HostRule::Under(domain) => host
                .strip_suffix(domain.as_str())
                .is_some_and(|rest| rest.ends_with('.')),
        });
        match (named, self.ranges.is_empty()) {
            (true, _) => HostVerdict::Allowed,
            (false, false) => HostVerdict::CheckAddresses,
            (false, true) => HostVerdict::Refused,
        }
    }

    pub fn allows_address(&self, ip: IpAddr) -> bool {
        self.allows_anything() || self.ranges.iter().any(|r| r.contains(ip))
    }

    /// The list as people wrote it, for error messages.
    pub fn describe(&self) -> String {
        let hosts = self.hosts.iter().map(|h| match h {
            HostRule::Exact(name) => name.clone(),
            HostRule::Under(domain) => format!("*.{domain}"),
        });
        let ranges = self
            .ranges
            .iter()
            .map(|r| format!("{}/{}", r.network, r.prefix));
        hosts.chain(ranges).collect::<Vec<_>>().join(", ")
    }
}

fn host_name(raw: &str) -> Result<String, String> {
    let valid = !raw.is_empty()
        && raw
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-'));
    if valid {
        Ok(raw.to_ascii_lowercase())
    } else {
        Err(format!(
            "{raw:?} is neither a host name nor an address range"
        ))
    }
}

impl Range {
    /// `None` when `raw` is no address at all (it may be a host name).
    fn parse(raw: &str) -> Result<Option<Self>, String> {
        let (addr, prefix) = raw.split_once('/').unwrap_or((raw, ""));
        let Ok(network) = addr.parse::<IpAddr>() else {
            return match prefix.is_empty() {
                true => Ok(None),
                false => Err(format!("{raw:?} is not an address range")),
            };
        };
        let longest = if network.is_ipv4() { 32 } else { 128 };
        let prefix = match prefix {
            "" => longest,
            p => p
                .parse::<u8>()
                .ok()
                .filter(|p| *p <= longest)
                .ok_or_else(|| format!("{raw:?}: the prefix must be 0 to {longest}"))?,
        };
        Ok(Some(Self { network, prefix }))
    }

    fn contains(&self, ip: IpAddr) -> bool {
        let ip = match ip {
            IpAddr::V6(v6) => v6.to_ipv4_mapped().map(IpAddr::V4).unwrap_or(ip),
            v4 => v4,
        };
        match (self.network, ip) {
            (IpAddr::V4(net), IpAddr::V4(ip)) => {
                masked(u32::from(net).into(), self.prefix, 32)
                    == masked(u32::from(ip).into(), self.prefix, 32)
            }
            (IpAddr::V6(net), IpAddr::V6(ip)) => {
                masked(u128::from(net), self.prefix, 128)
                    == masked(u128::from(ip), self.prefix, 128)
            }
            _ => false,
        }
    }
}

fn masked(bits: u128, prefix: u8, width: u32) -> u128 {
    if prefix == 0 {
        0
    } else {
        bits >> (width - u32::from(prefix))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_allows_everything() {
        let any = AllowList::parse(" ").unwrap();
        assert_eq!(any.judge_host("169.254.169.254"), HostVerdict::Allowed);
        assert!(any.allows_address("10.1.2.3".parse().unwrap()));
    }

    #[test]
    fn ranges_judge_addresses_and_leave_names_to_resolution() {
        let list = AllowList::parse("10.0.0.0/8, 2001:db8::/32").unwrap();
        assert_eq!(list.judge_host("10.9.8.7"), HostVerdict::Allowed);
        assert_eq!(list.judge_host("127.0.0.1"), HostVerdict::Refused);
        assert_eq!(list.judge_host("[2001:db8::1]"), HostVerdict::Allowed);
        assert_eq!(
            list.judge_host("hooks.example"),
            HostVerdict::CheckAddresses
        );
        assert!(list.allows_address("::ffff:10.0.0.1".parse().unwrap()));
        assert!(!list.allows_address("169.254.169.254".parse().unwrap()));
    }

    #[test]
    fn names_allow_themselves_and_what_is_under_them() {
        let list = AllowList::parse("hooks.example.com, *.corp.example, 192.0.2.7").unwrap();
        assert_eq!(list.judge_host("HOOKS.example.com"), HostVerdict::Allowed);
        assert_eq!(list.judge_host("ci.corp.example"), HostVerdict::Allowed);
        assert_eq!(
            list.judge_host("evilcorp.example"),
            HostVerdict::CheckAddresses
        );
        assert_eq!(list.judge_host("192.0.2.7"), HostVerdict::Allowed);
        assert_eq!(list.judge_host("192.0.2.8"), HostVerdict::Refused);
        let names_only = AllowList::parse("hooks.example.com").unwrap();
        assert_eq!(names_only.judge_host("other.example"), HostVerdict::Refused);
        assert_eq!(
            list.describe(),
            "hooks.example.com, *.corp.example, 192.0.2.7/32"
        );
    }

    #[test]
    fn malformed_entries_are_refused() {
        assert!(AllowList::parse("10.0.0.0/33").is_err());
        assert!(AllowList::parse("exa mple").is_err());
        assert!(AllowList::parse("nothost/8").is_err());
    }
}
