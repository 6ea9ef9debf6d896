//! Canonical form of the listing URLs that citizens report.
//!
//! Reports about the same target have to aggregate into one case, but the same
//! Instagram post arrives as `https://www.instagram.com/reel/X/?igsh=…`,
//! `instagram.com/p/X` or `m.instagram.com/p/X#comments`. [`CanonicalUrl::parse`]
//! reduces such variants to one string that can serve as the aggregation key, and
//! tells whether it points at a single listing (post, video, product) or at an
//! account (profile, shop, page).
//!
//! Everything here works offline. Short links (`vt.tiktok.com/…`, `shp.ee/…`,
//! `tokopedia.link/…`, `fb.me/…`) cannot be resolved without following a redirect,
//! so they are kept as they are and classified as [`TargetKind::Other`].
//!
//! This module checks the input, normalises the host and the percent-encoding, and
//! picks the rules by host. Each platform's URL shapes live in a module of their own
//! (`instagram`, `tiktok`, `shopee`, `tokopedia`, `facebook`, `x`, `youtube`); `generic`
//! holds the rules for every other site and for short links.

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, percent_decode_str, percent_encode};
use std::fmt;
use std::str::FromStr;

use url::{Host, Url};

use crate::text_enum::text_enum;

mod facebook;
mod generic;
mod instagram;
mod seller_handle;
mod shopee;
mod tiktok;
mod tokopedia;
mod x;
mod youtube;

use generic::{QueryPolicy, fallback, short_link};

/// Longest accepted input (in characters) and longest canonical form (in bytes).
pub const MAX_URL_LEN: usize = 2048;

/// Why a reported URL was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UrlError {
    /// Nothing but whitespace.
    Empty,
    /// Longer than [`MAX_URL_LEN`].
    TooLong,
    /// Contains a control character or an invisible formatting character.
    ControlCharacter,
    /// Uses a scheme other than `http` or `https`.
    NotHttp,
    /// Not a usable web address: unparsable, no domain name, an IP address as host,
    /// embedded credentials or embedded whitespace.
    Invalid,
}

impl fmt::Display for UrlError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Empty => "the URL is empty",
            Self::TooLong => "the URL is too long",
            Self::ControlCharacter => "the URL contains a control or invisible character",
            Self::NotHttp => "the URL is not an http or https address",
            Self::Invalid => "the URL is not a valid web address",
        })
    }
}

impl std::error::Error for UrlError {}

text_enum! {
    /// What a canonical URL points at.
    pub enum TargetKind {
        /// A single post, video, product or marketplace item.
        Listing = "LISTING",
        /// A profile, shop, page or group.
        Account = "ACCOUNT",
        /// Anything else: search pages, short links, unknown sites.
        Other = "OTHER",
    }
}

/// A reported URL reduced to the form used as the aggregation key.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CanonicalUrl {
    // `host` and `kind` are derived from `url`, so the derived equality still
    // compares canonical strings only.
    url: String,
    host: String,
    kind: TargetKind,
}

impl CanonicalUrl {
    /// Parses what a citizen typed or pasted. Accepts input without a scheme
    /// ("instagram.com/p/ABC123" is treated as https).
    pub fn parse(raw: &str) -> Result<Self, UrlError> {
        let input = raw.trim();
        if input.is_empty() {
            return Err(UrlError::Empty);
        }
        if input.chars().count() > MAX_URL_LEN {
            return Err(UrlError::TooLong);
        }
        // Percent-encoded too: `/p/ABC%E2%80%8B/` would otherwise open a case of its own beside
        // `/p/ABC/`, splitting the reports of one target.
        if input.chars().any(is_forbidden_char)
            || percent_decode_str(input)
                .decode_utf8_lossy()
                .chars()
                .any(is_forbidden_char)
        {
            return Err(UrlError::ControlCharacter);
        }
        let absolute = with_scheme(input)?;
        // Browsers never produce raw whitespace in a copied URL; seeing some means a
        // sentence was pasted ("cek instagram.com/p/X ini"), and guessing where the
        // URL ends would silently report the wrong target.
        if absolute.chars().any(char::is_whitespace) {
            return Err(UrlError::Invalid);
        }
        let url = Url::parse(&absolute).map_err(|_| UrlError::Invalid)?;
        if !matches!(url.scheme(), "http" | "https") {
            return Err(UrlError::NotHttp);
        }
        // Credentials are never part of a public listing and `user@host` is a
        // classic way of disguising the real host.
        if !url.username().is_empty() || url.password().is_some() {
            return Err(UrlError::Invalid);
        }
        let host = match url.host() {
            Some(Host::Domain(domain)) => normalise_host(domain)?,
            _ => return Err(UrlError::Invalid),
        };
        let parts = Parts {
            host,
            // The canonical form is always https, so an explicit 443 (e.g.
            // `http://x:443`) is the default port there.
            port: url.port().filter(|&port| port != 443),
            segments: url
                .path()
                .split('/')
                .filter(|segment| !segment.is_empty())
                .map(|segment| percent_decode(segment, false))
                .collect(),
            query: url.query().map(parse_query).unwrap_or_default(),
        };
        let shaped = shape(&parts);
        let url = shaped.render();
        if url.len() > MAX_URL_LEN {
            return Err(UrlError::TooLong);
        }
        Ok(Self {
            url,
            host: shaped.host,
            kind: shaped.kind,
        })
    }

    /// The canonical form, e.g. `https://instagram.com/p/ABC123`.
    pub fn as_str(&self) -> &str {
        &self.url
    }

    /// The host of the canonical form: lower-case, without a leading `www.`, `m.`,
    /// `mobile.` or `web.`, and with platform aliases applied (`fb.com` becomes
    /// `facebook.com`, `twitter.com` becomes `x.com`).
    pub fn host(&self) -> &str {
        &self.host
    }

    /// Whether the URL points at a listing, an account or something else.
    pub fn kind(&self) -> TargetKind {
        self.kind
    }

    /// The seller account the URL belongs to, namespaced by its host: `tiktok.com/@user` for a
    /// TikTok video or profile, `shopee.co.id/shop/123` for a Shopee product or shop,
    /// `tokopedia.com/shop` for a Tokopedia product or shop, and the profile or page of
    /// Instagram, X, YouTube and Facebook. `None` when the URL names no account (an Instagram
    /// post, a Marketplace item, a short link, another site).
    pub fn seller_handle(&self) -> Option<String> {
        seller_handle::of(self)
    }

    /// True when this URL's host is `platform_host` or a subdomain of it (host lists
    /// come from the database, e.g. `["instagram.com", "instagr.am"]`).
    ///
    /// `platform_host` gets the same normalisation as reported URLs, so a list
    /// containing `twitter.com` or `www.tiktok.com` still matches.
    pub fn belongs_to(&self, platform_host: &str) -> bool {
        let lowered = platform_host
            .trim()
            .trim_start_matches("*.")
            .trim_matches('.')
            .to_ascii_lowercase();
        // A bare TLD such as "com" would otherwise make every site belong to it.
        if !lowered.contains('.') {
            return false;
        }
        let plain = strip_mobile_prefixes(&lowered);
        [plain, host_alias(plain)]
            .into_iter()
            .any(|platform| is_same_or_subdomain(&self.host, platform))
    }
}

impl fmt::Display for CanonicalUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.url)
    }
}

impl FromStr for CanonicalUrl {
    type Err = UrlError;

    fn from_str(raw: &str) -> Result<Self, Self::Err> {
        Self::parse(raw)
    }
}

/// Control characters plus the invisible formatting characters that survive a
/// copy-paste: zero-width spaces would split one target into several cases, and
/// bidirectional overrides can make a URL display as a different one.
fn is_forbidden_char(c: char) -> bool {
    c.is_control() || crate::text::is_invisible(c)
}

/// Makes scheme-less input absolute, and refuses non-web schemes before the URL
/// parser gets a chance to reject them as merely malformed.
fn with_scheme(input: &str) -> Result<String, UrlError> {
    if let Some(rest) = input.strip_prefix("//") {
        return Ok(format!("https://{rest}"));
    }
    if let Some((scheme, rest)) = input.split_once(':')
        && looks_like_scheme(scheme)
        && !starts_with_port(rest)
    {
        return if scheme.eq_ignore_ascii_case("http") || scheme.eq_ignore_ascii_case("https") {
            Ok(input.to_owned())
        } else {
            Err(UrlError::NotHttp)
        };
    }
    Ok(format!("https://{input}"))
}

/// RFC 3986 scheme syntax, except that a dot means `host:port` ("shopee.co.id:443")
/// because no scheme a citizen would paste contains one.
fn looks_like_scheme(candidate: &str) -> bool {
    candidate.starts_with(|c: char| c.is_ascii_alphabetic())
        && candidate
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'+' || b == b'-')
}

/// Distinguishes `localhost:8080/x` (a port) from `javascript:alert(1)` (a scheme).
fn starts_with_port(rest: &str) -> bool {
    let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
    digits > 0 && matches!(rest.as_bytes().get(digits), None | Some(b'/' | b'?' | b'#'))
}

fn normalise_host(domain: &str) -> Result<String, UrlError> {
    let lowered = domain.to_ascii_lowercase();
    // "instagram.com." is the fully qualified spelling of the same host.
    let host = lowered.strip_suffix('.').unwrap_or(&lowered);
    // Single-label hosts ("localhost", an intranet name) cannot be public listings.
    if host.len() > 253 || !host.contains('.') || !host.split('.').all(is_dns_label) {
        return Err(UrlError::Invalid);
    }
    Ok(strip_mobile_prefixes(host).to_owned())
}

/// The URL parser lets through characters such as `$` or `!` in domain names; no
/// real platform uses them, and accepting them would allow look-alike hosts.
fn is_dns_label(label: &str) -> bool {
    (1..=63).contains(&label.len())
        && label
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// Mobile and desktop variants of a site serve the same content. A prefix is only
/// removed while a registrable-looking name remains ("m.com" stays "m.com").
fn strip_mobile_prefixes(mut host: &str) -> &str {
    const PREFIXES: [&str; 4] = ["www.", "m.", "mobile.", "web."];
    'strip: loop {
        for prefix in PREFIXES {
            if let Some(rest) = host.strip_prefix(prefix)
                && rest.contains('.')
            {
                host = rest;
                continue 'strip;
            }
        }
        return host;
    }
}

/// Hosts that the canonical form rewrites to another host.
fn host_alias(host: &str) -> &str {
    match host {
        "instagr.am" => "instagram.com",
        "fb.com" => "facebook.com",
        "twitter.com" => "x.com",
        "youtu.be" => "youtube.com",
        other => other,
    }
}

fn is_same_or_subdomain(host: &str, platform: &str) -> bool {
    host.strip_suffix(platform)
        .is_some_and(|rest| rest.is_empty() || rest.ends_with('.'))
}

/// The pieces of a parsed URL that the platform rules work on.
struct Parts {
    host: String,
    port: Option<u16>,
    /// Percent-decoded, non-empty path segments. Bytes rather than strings because
    /// old sites still percent-encode Latin-1, which is not valid UTF-8.
    segments: Vec<Vec<u8>>,
    /// Percent-decoded key/value pairs in their original order.
    query: Vec<(Vec<u8>, Vec<u8>)>,
}

impl Parts {
    /// The segments as text, or `None` when one is not UTF-8; no platform rule
    /// matches such a path, so callers fall back to keeping it as it is.
    fn texts(&self) -> Option<Vec<&str>> {
        self.segments
            .iter()
            .map(|segment| std::str::from_utf8(segment).ok())
            .collect()
    }

    fn param(&self, name: &str) -> Option<&str> {
        self.query
            .iter()
            .find(|(key, _)| key.as_slice() == name.as_bytes())
            .and_then(|(_, value)| std::str::from_utf8(value).ok())
    }
}

/// A canonical URL before it is rendered.
struct Shaped {
    host: String,
    port: Option<u16>,
    /// Already encoded: empty or `/a/b`.
    path: String,
    /// Already encoded, without the `?`.
    query: String,
    kind: TargetKind,
}

impl Shaped {
    fn new(host: &str, segments: &[&str], query: &[(&str, &str)], kind: TargetKind) -> Self {
        let mut path = String::new();
        for segment in segments {
            path.push('/');
            push_path_segment(&mut path, segment.as_bytes());
        }
        Self {
            host: host.to_owned(),
            port: None,
            path,
            query: serialise_query(
                query
                    .iter()
                    .map(|(key, value)| (key.as_bytes(), value.as_bytes())),
            ),
            kind,
        }
    }

    fn render(&self) -> String {
        let mut out = format!("https://{}", self.host);
        if let Some(port) = self.port {
            out.push_str(&format!(":{port}"));
        }
        out.push_str(&self.path);
        if !self.query.is_empty() {
            out.push('?');
            out.push_str(&self.query);
        }
        out
    }
}

fn shape(parts: &Parts) -> Shaped {
    let host = parts.host.as_str();
    match host {
        "instagram.com" | "instagr.am" => instagram::shape(parts),
        "tiktok.com" => tiktok::shape(parts),
        "tokopedia.com" => tokopedia::shape(parts),
        "x.com" | "twitter.com" => x::shape(parts),
        "youtube.com" => youtube::shape(parts),
        "youtu.be" => youtube::shape_youtu_be(parts),
        "vt.tiktok.com" | "vm.tiktok.com" | "tokopedia.link" | "shp.ee" | "fb.me" | "fb.watch" => {
            short_link(parts)
        }
        _ if host.ends_with(".shp.ee") => short_link(parts),
        _ if facebook::is_facebook_host(host) => facebook::shape(parts),
        _ if shopee::is_shopee_host(host) => shopee::shape(parts),
        _ => fallback(host, parts.port, parts, QueryPolicy::Filter(&[])),
    }
}

fn is_digits(s: &str) -> bool {
    (1..=32).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit())
}

/// Letters, digits and the given punctuation, within a length range.
fn is_name(s: &str, max_len: usize, punctuation: &[u8]) -> bool {
    (1..=max_len).contains(&s.len())
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || punctuation.contains(&b))
}

/// Case-insensitive membership; reserved-word lists are lower-case.
fn is_reserved(segment: &str, reserved: &[&str]) -> bool {
    reserved
        .iter()
        .any(|word| word.eq_ignore_ascii_case(segment))
}

// --- Percent-encoding --------------------------------------------------------------

/// Decodes `%XX` escapes (and `+` as space in form-encoded queries). A `%` that
/// does not start a valid escape stands for itself, as browsers treat it.
fn percent_decode(input: &str, plus_as_space: bool) -> Vec<u8> {
    if plus_as_space && input.contains('+') {
        // A literal `+` in a query means a space; an escaped `%2B` stays a plus.
        percent_decode_str(&input.replace('+', "%20")).collect()
    } else {
        percent_decode_str(input).collect()
    }
}

/// Decoding everything and re-encoding exactly the bytes that need it gives each
/// path one spelling: `%7E` and `~` merge, `é` and `%c3%a9` merge, while `%2F`
/// stays escaped because a literal `/` would change the path's structure.
fn push_path_segment(out: &mut String, segment: &[u8]) {
    out.extend(percent_encode(segment, PATH_ESCAPED));
}

fn push_query_component(out: &mut String, component: &[u8]) {
    for piece in percent_encode(component, QUERY_ESCAPED) {
        out.push_str(if piece == "%20" { "+" } else { piece });
    }
}

/// Bytes escaped in a path segment: all but RFC 3986's unreserved and sub-delimiters, `:` and `@`.
const PATH_ESCAPED: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~')
    .remove(b'!')
    .remove(b'$')
    .remove(b'&')
    .remove(b'\'')
    .remove(b'(')
    .remove(b')')
    .remove(b'*')
    .remove(b'+')
    .remove(b',')
    .remove(b';')
    .remove(b'=')
    .remove(b':')
    .remove(b'@');

/// Bytes escaped in a query key or value (`&`, `=`, `+` and `#` among them).
const QUERY_ESCAPED: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~')
    .remove(b'!')
    .remove(b'$')
    .remove(b'\'')
    .remove(b'(')
    .remove(b')')
    .remove(b'*')
    .remove(b',')
    .remove(b';')
    .remove(b':')
    .remove(b'@')
    .remove(b'/')
    .remove(b'?');

fn parse_query(query: &str) -> Vec<(Vec<u8>, Vec<u8>)> {
    query
        .split('&')
        .map(|pair| pair.split_once('=').unwrap_or((pair, "")))
        .filter(|(key, _)| !key.is_empty())
        .map(|(key, value)| (percent_decode(key, true), percent_decode(value, true)))
        .collect()
}

/// `key` alone when the value is empty: `?a` and `?a=` are not worth two cases.
fn serialise_query<'a>(pairs: impl Iterator<Item = (&'a [u8], &'a [u8])>) -> String {
    let mut out = String::new();
    for (key, value) in pairs {
        if !out.is_empty() {
            out.push('&');
        }
        push_query_component(&mut out, key);
        if !value.is_empty() {
            out.push('=');
            push_query_component(&mut out, value);
        }
    }
    out
}

/// Assertions shared by the tests of every platform module.
#[cfg(test)]
mod testing {
    use super::{CanonicalUrl, TargetKind, UrlError};

    pub(super) fn parsed(raw: &str) -> CanonicalUrl {
        match CanonicalUrl::parse(raw) {
            Ok(url) => url,
            Err(error) => panic!("{raw:?} was rejected: {error:?}"),
        }
    }

    pub(super) fn canon(raw: &str) -> String {
        parsed(raw).as_str().to_owned()
    }

    #[track_caller]
    pub(super) fn check(raw: &str, expected: &str, kind: TargetKind) {
        let url = parsed(raw);
        assert_eq!(url.as_str(), expected, "canonical form of {raw:?}");
        assert_eq!(url.kind(), kind, "kind of {raw:?}");
        // Canonicalising a canonical URL must not move it to another case.
        assert_eq!(canon(url.as_str()), expected, "re-parsing {expected:?}");
    }

    #[track_caller]
    pub(super) fn rejected(raw: &str, error: UrlError) {
        assert_eq!(CanonicalUrl::parse(raw), Err(error), "input {raw:?}");
    }
}

#[cfg(test)]
mod tests {
    use super::testing::{canon, check, parsed, rejected};
    use super::*;
    use TargetKind::Listing;

    #[test]
    fn path_and_query_encoding_is_normalised() {
        assert_eq!(
            canon("https://example.com/%7euser/caf%c3%a9"),
            canon("https://example.com/~user/café")
        );
        assert_eq!(
            canon("https://example.com/~user/café"),
            "https://example.com/~user/caf%C3%A9"
        );
        // An escaped slash is data, not a path separator.
        assert_eq!(
            canon("https://example.com/a%2Fb"),
            "https://example.com/a%2Fb"
        );
        assert_eq!(
            canon("https://example.com/s?q=baju+bekas"),
            canon("https://example.com/s?q=baju%20bekas")
        );
        assert_eq!(
            canon("https://example.com//a///b//"),
            "https://example.com/a/b"
        );
        assert_eq!(
            canon("https://example.com/x?a=&b"),
            "https://example.com/x?a&b"
        );
        // Not UTF-8 (Latin-1 é); kept rather than refused.
        assert_eq!(
            canon("https://example.com/caf%E9"),
            "https://example.com/caf%E9"
        );
    }

    #[test]
    fn internationalised_domains_become_punycode() {
        let url = parsed("https://bücher.example/x");
        assert_eq!(url.as_str(), "https://xn--bcher-kva.example/x");
        assert_eq!(url.host(), "xn--bcher-kva.example");
    }

    #[test]
    fn scheme_less_and_padded_input() {
        for raw in [
            "  instagram.com/p/ABC123 \n",
            "//instagram.com/p/ABC123",
            "HTTP://instagram.com/p/ABC123",
            "www.instagram.com:443/p/ABC123",
            "\u{a0}https://instagram.com/p/ABC123/\u{3000}",
        ] {
            check(raw, "https://instagram.com/p/ABC123", Listing);
        }
    }

    // --- Errors ---

    #[test]
    fn empty_input() {
        rejected("", UrlError::Empty);
        rejected("   ", UrlError::Empty);
        rejected(" \n\t ", UrlError::Empty);
    }

    #[test]
    fn length_limit() {
        let prefix = "https://example.com/";
        let at_limit = format!("{prefix}{}", "a".repeat(MAX_URL_LEN - prefix.len()));
        assert_eq!(at_limit.len(), MAX_URL_LEN);
        assert!(CanonicalUrl::parse(&at_limit).is_ok());
        let over = format!("{at_limit}a");
        assert_eq!(over.len(), 2049);
        rejected(&over, UrlError::TooLong);
        // Within the input limit but longer once non-ASCII is percent-encoded.
        let expanding = format!("{prefix}{}", "é".repeat(1000));
        rejected(&expanding, UrlError::TooLong);
    }

    #[test]
    fn control_and_invisible_characters() {
        rejected("instagram.com/p/A\0BC123", UrlError::ControlCharacter);
        rejected("\0", UrlError::ControlCharacter);
        rejected(
            "https://instagram.com/p/ABC123\u{7}",
            UrlError::ControlCharacter,
        );
        rejected("instagram.com/p/\tABC123", UrlError::ControlCharacter);
        rejected("instagram.com/p/ABC\n123", UrlError::ControlCharacter);
        rejected("instagram.com/p/ABC\u{7f}123", UrlError::ControlCharacter);
        rejected("instagram.com/p/AB\u{200B}C123", UrlError::ControlCharacter);
        rejected(
            "https://instagram.com/\u{202E}321CBA/p",
            UrlError::ControlCharacter,
        );
        rejected("\u{feff}instagram.com/p/ABC123", UrlError::ControlCharacter);
    }

    #[test]
    fn non_web_schemes() {
        for raw in [
            "javascript:alert(1)",
            "JavaScript:alert(document.cookie)",
            "javascript: alert(1)",
            "ftp://files.example.com/katalog.pdf",
            "data:text/html,<script>alert(1)</script>",
            "mailto:penjual@example.com",
            "file:///etc/passwd",
            "intent://instagram.com/p/ABC123#Intent;scheme=https;end",
        ] {
            rejected(raw, UrlError::NotHttp);
        }
    }

    #[test]
    fn invalid_addresses() {
        for raw in [
            "https://user:pass@instagram.com/p/ABC123",
            "https://penjual@instagram.com/",
            "http://127.0.0.1/admin",
            "http://[::1]/",
            "https://2130706433/",
            "http://0x7f.1/",
            "https://localhost/x",
            "localhost:8080/x",
            "https://",
            "http://",
            "instagram",
            "instagram.com/p/ABC 123",
            "cek ini instagram.com/p/ABC123",
            "https://insta$gram.com/p/ABC123",
            "https://instagram..com/",
            "https://exa mple.com/",
        ] {
            rejected(raw, UrlError::Invalid);
        }
    }

    #[test]
    fn errors_display_a_message() {
        assert_eq!(
            UrlError::NotHttp.to_string(),
            "the URL is not an http or https address"
        );
        let error: Box<dyn std::error::Error> = Box::new(UrlError::Invalid);
        assert!(!error.to_string().is_empty());
    }

    // --- belongs_to ---

    #[test]
    fn belongs_to_matches_host_and_subdomains() {
        let short = parsed("https://vt.tiktok.com/ZSYabc123/");
        assert!(short.belongs_to("tiktok.com"));
        assert!(short.belongs_to("vt.tiktok.com"));
        assert!(!short.belongs_to("vm.tiktok.com"));

        let post = parsed("instagram.com/p/ABC123");
        assert!(post.belongs_to("instagram.com"));
        assert!(post.belongs_to("instagr.am"));
        assert!(post.belongs_to("WWW.Instagram.com."));
        assert!(!post.belongs_to("gram.com"));
        assert!(!post.belongs_to("tiktok.com"));

        let shop = parsed("https://id.shp.ee/AbCdEf9");
        assert!(shop.belongs_to("shp.ee"));
        assert!(!shop.belongs_to("shopee.co.id"));
    }

    #[test]
    fn belongs_to_does_not_match_look_alikes() {
        let fake = parsed("https://notinstagram.com/p/ABC123");
        assert!(!fake.belongs_to("instagram.com"));
        let fake = parsed("https://instagram.com.evil.example/p/ABC123");
        assert!(!fake.belongs_to("instagram.com"));
        let post = parsed("instagram.com/p/ABC123");
        assert!(!post.belongs_to(""));
        assert!(!post.belongs_to("com"));
        assert!(!post.belongs_to("."));
    }

    #[test]
    fn belongs_to_understands_aliases() {
        let tweet = parsed("https://twitter.com/ThriftSeller/status/1712345678901234567");
        assert_eq!(tweet.host(), "x.com");
        assert!(tweet.belongs_to("x.com"));
        assert!(tweet.belongs_to("twitter.com"));

        let page = parsed("https://m.facebook.com/ThriftJakarta");
        assert_eq!(page.host(), "facebook.com");
        assert!(page.belongs_to("facebook.com"));
        assert!(page.belongs_to("fb.com"));
        assert!(!page.belongs_to("fb.me"));

        let shopee = parsed("https://shopee.co.id/product/1/2");
        assert!(shopee.belongs_to("shopee.co.id"));
        assert!(!shopee.belongs_to("shopee.com.my"));
    }

    #[test]
    fn display_and_from_str_agree_with_as_str() {
        let url: CanonicalUrl = match "https://WWW.Instagram.COM/p/ABC123/".parse() {
            Ok(url) => url,
            Err(error) => panic!("rejected: {error:?}"),
        };
        assert_eq!(url.to_string(), url.as_str());
        assert_eq!(format!("{url}"), "https://instagram.com/p/ABC123");
    }
}
