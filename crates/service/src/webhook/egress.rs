//! Where webhooks may go. A webhook URL is chosen by a platform, so the server must not become a
//! way to reach its own network: the URL must be `https`, and its host must resolve only to public
//! addresses — checked when the endpoint is registered and again, through the delivery client's
//! resolver, at every connection (so a name that later resolves to a private address is refused
//! too). Hosts on the operator's allow-list (`LAPORLAPAK_WEBHOOK_ALLOW_HOSTS`, for tests and
//! private networks) are exempt from both rules.

use std::net::{IpAddr, SocketAddr};

use laporlapak_domain::i18n::Msg;

/// Longest webhook URL accepted.
pub const URL_MAX: usize = 2048;

#[derive(Debug, Clone, Default)]
pub struct EgressPolicy {
    /// Lower-case host names or address literals that may be plain `http` and non-public.
    allow_hosts: Vec<String>,
}

impl EgressPolicy {
    pub fn new(allow_hosts: &[String]) -> Self {
        Self {
            allow_hosts: allow_hosts
                .iter()
                .map(|host| host.trim().trim_matches(['[', ']']).to_lowercase())
                .filter(|host| !host.is_empty())
                .collect(),
        }
    }

    pub fn allows_host(&self, host: &str) -> bool {
        let host = host.trim_matches(['[', ']']).to_lowercase();
        self.allow_hosts.contains(&host)
    }

    /// The URL, parsed, if a webhook may be registered for it.
    pub fn check_url(&self, url: &str) -> Result<url::Url, Msg> {
        if url.len() > URL_MAX {
            return Err(Msg::TooLong { max: URL_MAX });
        }
        let parsed = url::Url::parse(url.trim()).map_err(|_| Msg::WebhookUrlInvalid)?;
        let host = parsed.host_str().ok_or(Msg::WebhookUrlInvalid)?.to_owned();
        if !parsed.username().is_empty() || parsed.password().is_some() {
            return Err(Msg::WebhookUrlInvalid);
        }
        let allowed = self.allows_host(&host);
        match parsed.scheme() {
            "https" => {}
            "http" if allowed => {}
            "http" => return Err(Msg::WebhookUrlNotHttps),
            _ => return Err(Msg::WebhookUrlInvalid),
        }
        if !allowed
            && let Ok(ip) = host.trim_matches(['[', ']']).parse::<IpAddr>()
            && !is_public(ip)
        {
            return Err(Msg::WebhookUrlNotPublic);
        }
        if !allowed && is_local_name(&host) {
            return Err(Msg::WebhookUrlNotPublic);
        }
        // The ports HTTPS receivers listen on; any other could reach a service that was never
        // meant to take requests from here.
        if !allowed && !matches!(parsed.port_or_known_default(), Some(443 | 8443)) {
            return Err(Msg::WebhookUrlPort);
        }
        Ok(parsed)
    }

    /// The addresses a delivery may connect to for `host`: all of them for an allowed host, and
    /// otherwise only when every one is public (a name resolving to one private address among
    /// public ones is refused whole).
    pub fn filter(
        &self,
        host: &str,
        addresses: Vec<SocketAddr>,
    ) -> Result<Vec<SocketAddr>, String> {
        if self.allows_host(host) {
            return Ok(addresses);
        }
        match addresses.iter().find(|address| !is_public(address.ip())) {
            Some(address) => {
                // The address stays in the server's log: the stored error (which the platform
                // reads) must not map the network the server sits in.
                tracing::warn!(
                    host,
                    address = %address.ip(),
                    "a webhook host resolves to a non-public address; delivery refused"
                );
                Err(format!("{host} is not a public address"))
            }
            None if addresses.is_empty() => Err(format!("{host} has no address")),
            None => Ok(addresses),
        }
    }
}

/// Names that only mean something on the local network.
fn is_local_name(host: &str) -> bool {
    let host = host.trim_end_matches('.').to_lowercase();
    host == "localhost"
        || host.ends_with(".localhost")
        || host.ends_with(".local")
        || host.ends_with(".internal")
        || !host.contains('.') && host.parse::<IpAddr>().is_err()
}

/// Whether an address is on the public internet: not loopback, private, shared (CGNAT),
/// link-local (where cloud metadata services live), multicast, documentation or reserved.
pub fn is_public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => {
            let [a, b, ..] = v4.octets();
            !(v4.is_loopback()
                || v4.is_private()
                || v4.is_link_local()
                || v4.is_multicast()
                || v4.is_broadcast()
                || v4.is_documentation()
                || v4.is_unspecified()
                || a == 0
                || a >= 240
                || (a == 100 && (64..128).contains(&b))
                || (a == 192 && b == 0 && v4.octets()[2] == 0)
                || (a == 198 && (b == 18 || b == 19)))
        }
        IpAddr::V6(v6) => {
            if let Some(v4) = v6.to_ipv4_mapped() {
                return is_public(IpAddr::V4(v4));
            }
            let first = v6.segments()[0];
            !(v6.is_loopback()
                || v6.is_unspecified()
                || v6.is_multicast()
                || (first & 0xfe00) == 0xfc00
                || (first & 0xffc0) == 0xfe80
                || first == 0x2001 && v6.segments()[1] == 0x0db8
                || first == 0x0064 && v6.segments()[1] == 0xff9b)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refused(policy: &EgressPolicy, url: &str) -> Msg {
        match policy.check_url(url) {
            Err(reason) => reason,
            Ok(_) => panic!("{url} was accepted"),
        }
    }

    #[test]
    fn only_public_https_urls_are_accepted() {
        let policy = EgressPolicy::default();
        assert!(
            policy
                .check_url("https://hooks.tiktok.example/laporlapak")
                .is_ok()
        );
        assert!(policy.check_url("https://203.0.113.9/x").is_err()); // documentation range
        assert!(matches!(
            refused(&policy, "http://hooks.example.com/"),
            Msg::WebhookUrlNotHttps
        ));
        for url in [
            "https://127.0.0.1/",
            "https://[::1]/",
            "https://10.1.2.3/",
            "https://172.16.0.1/",
            "https://192.168.1.1/",
            "https://169.254.169.254/latest/meta-data",
            "https://100.64.0.1/",
            "https://[fd00::1]/",
            "https://[fe80::1]/",
            "https://[::ffff:127.0.0.1]/",
            "https://0.0.0.0/",
            "https://localhost/",
            "https://metadata.google.internal/",
            "https://intranet/",
        ] {
            assert!(
                matches!(refused(&policy, url), Msg::WebhookUrlNotPublic),
                "{url}"
            );
        }
        assert!(matches!(
            refused(&policy, "ftp://example.com/"),
            Msg::WebhookUrlInvalid
        ));
        assert!(matches!(
            refused(&policy, "https://user:pw@example.com/"),
            Msg::WebhookUrlInvalid
        ));
        assert!(matches!(
            refused(&policy, "not a url"),
            Msg::WebhookUrlInvalid
        ));
    }

    #[test]
    fn the_allow_list_admits_plain_http_and_private_hosts() {
        let policy = EgressPolicy::new(&["127.0.0.1".to_owned(), "Receiver.Test".to_owned()]);
        assert!(policy.check_url("http://127.0.0.1:9000/hook").is_ok());
        assert!(policy.check_url("http://receiver.test/hook").is_ok());
        assert!(policy.check_url("http://127.0.0.2/hook").is_err());
    }

    #[test]
    fn resolved_addresses_must_all_be_public() {
        let policy = EgressPolicy::default();
        let public: SocketAddr = "93.184.216.34:443"
            .parse()
            .unwrap_or_else(|_| unreachable!());
        let private: SocketAddr = "10.0.0.5:443".parse().unwrap_or_else(|_| unreachable!());
        assert!(policy.filter("example.com", vec![public]).is_ok());
        let refused = policy
            .filter("example.com", vec![public, private])
            .err()
            .unwrap_or_default();
        assert_eq!(refused, "example.com is not a public address");
        assert!(!refused.contains("10.0.0.5"));
        assert!(policy.filter("example.com", vec![]).is_err());
        let allowed = EgressPolicy::new(&["example.com".to_owned()]);
        assert!(allowed.filter("example.com", vec![private]).is_ok());
    }
}
