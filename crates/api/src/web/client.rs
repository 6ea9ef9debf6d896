//! The HTTP edge every endpoint shares: who the client is (its address behind trusted reverse
//! proxies) and which bearer token it presents. The GraphQL handler, `/oauth/token` and evidence
//! downloads all ask here, so that one rule decides for all of them.

use std::net::IpAddr;

use actix_web::http::header::{self, HeaderMap};
use actix_web::{HttpRequest, web};

use laporlapak_service::limits::ClientAddress;

/// Loopback and the private ranges, where a reverse proxy in front of this server usually sits.
pub const DEFAULT_TRUSTED_PROXIES: &str =
    "127.0.0.0/8,::1/128,10.0.0.0/8,172.16.0.0/12,192.168.0.0/16,fc00::/7";

/// [`DEFAULT_TRUSTED_PROXIES`], parsed.
pub fn default_trusted_proxies() -> Vec<ipnet::IpNet> {
    DEFAULT_TRUSTED_PROXIES
        .split(',')
        .filter_map(|value| parse_proxy(value).ok())
        .collect()
}

/// A trusted proxy as the operator writes it: a network (`10.0.0.0/8`) or one address.
pub fn parse_proxy(value: &str) -> Result<ipnet::IpNet, String> {
    let value = value.trim();
    value
        .parse::<ipnet::IpNet>()
        .or_else(|_| value.parse::<std::net::IpAddr>().map(ipnet::IpNet::from))
        .map_err(|_| value.to_owned())
}

/// How the client's address is found behind reverse proxies (set by the operator).
#[derive(Debug, Clone, Default)]
pub struct ProxyTrust {
    /// Whether `X-Forwarded-For` is read at all.
    pub enabled: bool,
    /// The proxies whose hops are skipped.
    pub proxies: Vec<ipnet::IpNet>,
}

impl ProxyTrust {
    fn is_proxy(&self, ip: IpAddr) -> bool {
        self.proxies.iter().any(|net| net.contains(&ip))
    }

    /// The client: walking back from the connected peer through `X-Forwarded-For`, the first
    /// address that is not a trusted proxy. The client writes the left of that header itself, so
    /// only hops appended by trusted proxies are believed; a peer that is not a trusted proxy is
    /// the client whatever the header says.
    pub fn client(&self, peer: Option<IpAddr>, forwarded: &[&str]) -> Option<IpAddr> {
        let peer = peer?;
        if !self.enabled || !self.is_proxy(peer) {
            return Some(peer);
        }
        let mut client = peer;
        for hop in forwarded.iter().flat_map(|v| v.split(',')).rev() {
            let Ok(ip) = hop.trim().parse::<IpAddr>() else {
                break;
            };
            client = ip;
            if !self.is_proxy(ip) {
                break;
            }
        }
        Some(client)
    }
}

pub fn client_address(request: &HttpRequest) -> ClientAddress {
    let peer = request.peer_addr().map(|addr| addr.ip());
    let forwarded: Vec<&str> = request
        .headers()
        .get_all(header::HeaderName::from_static("x-forwarded-for"))
        .filter_map(|v| v.to_str().ok())
        .collect();
    match request.app_data::<web::Data<ProxyTrust>>() {
        Some(trust) => ClientAddress(trust.client(peer, &forwarded)),
        None => ClientAddress(peer),
    }
}

/// The bearer token of a request, if it carries one in a well-formed `Authorization` header.
pub fn bearer_token(headers: &HeaderMap) -> Option<&str> {
    headers.get(header::AUTHORIZATION).and_then(bearer)
}

pub fn bearer(value: &header::HeaderValue) -> Option<&str> {
    // The scheme is case-insensitive (RFC 9110 §11.1): `bearer`, `BEARER` and `Bearer` are one.
    value
        .to_str()
        .ok()
        .and_then(|v| v.trim().split_once(' '))
        .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
        .map(|(_, token)| token.trim())
        .filter(|t| !t.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(text: &str) -> IpAddr {
        text.parse().unwrap_or(IpAddr::from([0, 0, 0, 0]))
    }

    #[test]
    fn the_client_is_the_right_most_hop_that_is_not_a_trusted_proxy() {
        let trust = ProxyTrust {
            enabled: true,
            proxies: default_trusted_proxies(),
        };
        let proxy = Some(ip("10.0.0.2"));
        let client = |hops: &[&str]| trust.client(proxy, hops);
        assert_eq!(client(&["203.0.113.9"]), Some(ip("203.0.113.9")));
        assert_eq!(client(&["1.1.1.1, 203.0.113.9"]), Some(ip("203.0.113.9")));
        assert_eq!(
            client(&["1.1.1.1", "203.0.113.9, 10.0.0.7"]),
            Some(ip("203.0.113.9"))
        );
        assert_eq!(client(&["garbage, 203.0.113.9"]), Some(ip("203.0.113.9")));
        assert_eq!(client(&[]), proxy, "no header: the proxy itself");
        // A peer that is not a proxy is the client, whatever it claims.
        assert_eq!(
            trust.client(Some(ip("198.51.100.1")), &["203.0.113.9"]),
            Some(ip("198.51.100.1"))
        );
        let off = ProxyTrust::default();
        assert_eq!(off.client(proxy, &["203.0.113.9"]), proxy);
    }
}
