//! Who is on the other end of the connection. Behind a reverse proxy every
//! request comes from the proxy; when the peer is one of
//! `TRAINYARD_TRUSTED_PROXIES` (loopback unless told), the client is the
//! nearest address in `X-Forwarded-For` that is not a trusted proxy itself.
//! Limits per client and the audit trail's addresses use it.

use axum::http::HeaderMap;
use std::net::IpAddr;

/// The client's address: the peer's, or the one a trusted proxy forwarded.
pub fn client_address(
    headers: &HeaderMap,
    peer: Option<IpAddr>,
    trusted: &[IpAddr],
) -> Option<IpAddr> {
    let peer = peer?;
    if !trusted.contains(&peer) {
        return Some(peer);
    }
    let forwarded: Vec<IpAddr> = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .filter_map(|a| a.trim().parse().ok())
        .collect();
    Some(
        forwarded
            .into_iter()
            .rev()
            .find(|a| !trusted.contains(a))
            .unwrap_or(peer),
    )
}

/// `127.0.0.1, ::1`: the addresses whose `X-Forwarded-For` is believed.
pub fn parse_trusted(raw: &str) -> Result<Vec<IpAddr>, String> {
    raw.split(',')
        .map(str::trim)
        .filter(|a| !a.is_empty())
        .map(|a| a.parse().map_err(|_| format!("{a:?} is not an IP address")))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(xff: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert("x-forwarded-for", xff.parse().unwrap());
        h
    }

    #[test]
    fn a_trusted_proxy_names_the_client_and_nobody_else_does() {
        let trusted = parse_trusted("127.0.0.1, ::1").unwrap();
        let local: IpAddr = "127.0.0.1".parse().unwrap();
        let outside: IpAddr = "203.0.113.9".parse().unwrap();
        // Through the proxy: the address it saw, not what the client claims.
        assert_eq!(
            client_address(&headers("198.51.100.1, 203.0.113.9"), Some(local), &trusted),
            Some(outside)
        );
        // Directly: the peer, whatever the header says.
        assert_eq!(
            client_address(&headers("198.51.100.1"), Some(outside), &trusted),
            Some(outside)
        );
        assert_eq!(
            client_address(&HeaderMap::new(), Some(local), &trusted),
            Some(local)
        );
        assert!(parse_trusted("nginx").is_err());
    }
}
