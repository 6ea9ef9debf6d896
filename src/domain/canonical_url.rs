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

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, percent_decode_str, percent_encode};
use std::fmt;
use std::str::FromStr;

use url::{Host, Url};

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
            Self::ControlCharacter => "the URL contains a control character",
            Self::NotHttp => "the URL is not an http or https address",
            Self::Invalid => "the URL is not a valid web address",
        })
    }
}

impl std::error::Error for UrlError {}

/// What a canonical URL points at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TargetKind {
    /// A single post, video, product or marketplace item.
    Listing,
    /// A profile, shop, page or group.
    Account,
    /// Anything else: search pages, short links, unknown sites.
    Other,
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
        if input.chars().any(is_forbidden_char) {
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
    c.is_control()
        || matches!(
            c,
            '\u{200B}'..='\u{200F}'
                | '\u{202A}'..='\u{202E}'
                | '\u{2060}'..='\u{2064}'
                | '\u{2066}'..='\u{2069}'
                | '\u{FEFF}'
        )
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

/// How [`fallback`] treats the query string.
#[derive(Clone, Copy)]
enum QueryPolicy {
    /// The platform never puts identifying data in the query of such URLs.
    Drop,
    /// Keep everything except tracking parameters, the generic ones plus these
    /// platform-specific ones (lower-case).
    Filter(&'static [&'static str]),
}

fn shape(parts: &Parts) -> Shaped {
    let host = parts.host.as_str();
    match host {
        "instagram.com" | "instagr.am" => instagram(parts),
        "tiktok.com" => tiktok(parts),
        "tokopedia.com" => tokopedia(parts),
        "x.com" | "twitter.com" => x_twitter(parts),
        "youtube.com" => youtube(parts),
        "youtu.be" => youtu_be(parts),
        "vt.tiktok.com" | "vm.tiktok.com" | "tokopedia.link" | "shp.ee" | "fb.me" | "fb.watch" => {
            short_link(parts)
        }
        _ if host.ends_with(".shp.ee") => short_link(parts),
        _ if is_facebook_host(host) => facebook(parts),
        _ if is_shopee_host(host) => shopee(parts),
        _ => fallback(host, parts.port, parts, QueryPolicy::Filter(&[])),
    }
}

/// Keeps the path (decoded and re-encoded consistently) and applies `query`.
fn fallback(host: &str, port: Option<u16>, parts: &Parts, query: QueryPolicy) -> Shaped {
    let mut path = String::new();
    for segment in &parts.segments {
        path.push('/');
        push_path_segment(&mut path, segment);
    }
    let query = match query {
        QueryPolicy::Drop => String::new(),
        QueryPolicy::Filter(extra) => {
            let mut kept: Vec<(&[u8], &[u8])> = parts
                .query
                .iter()
                .filter(|(key, _)| !is_tracking_param(key, extra))
                .map(|(key, value)| (key.as_slice(), value.as_slice()))
                .collect();
            kept.sort_unstable();
            serialise_query(kept.into_iter())
        }
    };
    Shaped {
        host: host.to_owned(),
        port,
        path,
        query,
        kind: TargetKind::Other,
    }
}

/// Short-link codes are case-sensitive and opaque, so only the query goes.
fn short_link(parts: &Parts) -> Shaped {
    fallback(&parts.host, None, parts, QueryPolicy::Drop)
}

/// Parameters that say who shared a link, from where, or which campaign it came
/// from; they never select the content, so they would only split one case.
const TRACKING_PARAMS: &[&str] = &[
    "__mobile__",
    "_ga",
    "_gl",
    "_r",
    "_t",
    "abbucket",
    "clicktrackinfo",
    "dclid",
    "fbclid",
    "gbraid",
    "gclid",
    "igsh",
    "igshid",
    "is_copy_url",
    "is_from_webapp",
    "laz_trackid",
    "mc_cid",
    "mc_eid",
    "mibextid",
    "msclkid",
    "rdid",
    "ref",
    "ref_src",
    "ref_url",
    "refer",
    "scm",
    "sender_device",
    "sharer_id",
    "si",
    "smtt",
    "sp_atk",
    "spm",
    "ttclid",
    "twclid",
    "u_code",
    "wbraid",
    "xptdk",
    "yclid",
];

/// Families of tracking parameters (`utm_source`, `share_app_id`, `pk_campaign`…).
const TRACKING_PREFIXES: &[&str] = &["utm_", "share_", "pk_", "mtm_"];

fn is_tracking_param(key: &[u8], extra: &[&str]) -> bool {
    let key = String::from_utf8_lossy(key).to_ascii_lowercase();
    TRACKING_PARAMS.contains(&key.as_str())
        || extra.contains(&key.as_str())
        || TRACKING_PREFIXES
            .iter()
            .any(|prefix| key.starts_with(prefix))
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

// --- Instagram -------------------------------------------------------------------

/// First path segments that are Instagram features, not usernames.
const INSTAGRAM_RESERVED: &[&str] = &[
    "_n",
    "_u",
    "about",
    "accounts",
    "api",
    "ar",
    "challenge",
    "developer",
    "direct",
    "directory",
    "download",
    "emails",
    "explore",
    "graphql",
    "legal",
    "lite",
    "oauth",
    "p",
    "press",
    "privacy",
    "reel",
    "reels",
    "session",
    "static",
    "stories",
    "terms",
    "tv",
    "web",
];

/// Profile tabs that still identify the profile.
const INSTAGRAM_PROFILE_TABS: &[&str] = &["channel", "feed", "guides", "reels", "saved", "tagged"];

fn instagram(parts: &Parts) -> Shaped {
    const HOST: &str = "instagram.com";
    let Some(segments) = parts.texts() else {
        return fallback(HOST, None, parts, QueryPolicy::Drop);
    };
    // A reel, an IGTV video and a post share one shortcode namespace and `/p/CODE`
    // opens any of them, so they collapse into one case. The shortcode is
    // case-sensitive: `/p/abc` and `/p/ABC` are different media.
    let media = |kind: &str, code: &str| {
        matches!(kind, "p" | "reel" | "reels" | "tv") && code != "audio" && is_shortcode(code)
    };
    match segments.as_slice() {
        [kind, code, ..] if media(kind, code) => {
            Shaped::new(HOST, &["p", code], &[], TargetKind::Listing)
        }
        [user, kind, code, ..] if is_instagram_user(user) && media(kind, code) => {
            Shaped::new(HOST, &["p", code], &[], TargetKind::Listing)
        }
        ["stories", user, id, ..] if is_instagram_user(user) && is_digits(id) => Shaped::new(
            HOST,
            &["stories", &user.to_ascii_lowercase(), id],
            &[],
            TargetKind::Listing,
        ),
        ["_u", user] if is_instagram_user(user) => instagram_account(user),
        [user] if is_instagram_user(user) && !is_reserved(user, INSTAGRAM_RESERVED) => {
            instagram_account(user)
        }
        [user, tab]
            if is_instagram_user(user)
                && !is_reserved(user, INSTAGRAM_RESERVED)
                && INSTAGRAM_PROFILE_TABS.contains(tab) =>
        {
            instagram_account(user)
        }
        _ => fallback(HOST, None, parts, QueryPolicy::Drop),
    }
}

fn instagram_account(user: &str) -> Shaped {
    Shaped::new(
        "instagram.com",
        &[&user.to_ascii_lowercase()],
        &[],
        TargetKind::Account,
    )
}

fn is_instagram_user(s: &str) -> bool {
    is_name(s, 30, b"._")
}

fn is_shortcode(s: &str) -> bool {
    is_name(s, 64, b"_-")
}

// --- TikTok ----------------------------------------------------------------------

fn tiktok(parts: &Parts) -> Shaped {
    const HOST: &str = "tiktok.com";
    let Some(segments) = parts.texts() else {
        return fallback(HOST, None, parts, QueryPolicy::Drop);
    };
    match segments.as_slice() {
        // Photo posts open under /video/ as well; one form keeps them in one case.
        [user, "video" | "photo", id, ..] if is_tiktok_handle(user) && is_digits(id) => {
            Shaped::new(
                HOST,
                &[&user.to_ascii_lowercase(), "video", id],
                &[],
                TargetKind::Listing,
            )
        }
        [user] | [user, "live"] if is_tiktok_handle(user) => Shaped::new(
            HOST,
            &[&user.to_ascii_lowercase()],
            &[],
            TargetKind::Account,
        ),
        // Includes the `/t/CODE` short links, whose codes are case-sensitive.
        _ => fallback(HOST, None, parts, QueryPolicy::Drop),
    }
}

fn is_tiktok_handle(s: &str) -> bool {
    s.strip_prefix('@')
        .is_some_and(|name| is_name(name, 64, b"._"))
}

// --- Shopee ----------------------------------------------------------------------

const SHOPEE_TLDS: &[&str] = &[
    "cl", "co.id", "co.th", "com.ar", "com.br", "com.co", "com.mx", "com.my", "ph", "sg", "tw",
    "vn",
];

fn is_shopee_host(host: &str) -> bool {
    host.strip_prefix("shopee.")
        .is_some_and(|tld| SHOPEE_TLDS.contains(&tld))
}

/// Single path segments that are Shopee pages, not shop usernames.
const SHOPEE_RESERVED: &[&str] = &[
    "buyer",
    "cart",
    "checkout",
    "daily_discover",
    "flash_sale",
    "login",
    "m",
    "mall",
    "product",
    "search",
    "seller",
    "shop",
    "signup",
    "universal-link",
    "user",
    "verify",
];

fn shopee(parts: &Parts) -> Shaped {
    // Each Shopee country is a separate marketplace, so the TLD stays.
    let host = parts.host.as_str();
    let Some(segments) = parts.texts() else {
        return fallback(host, None, parts, QueryPolicy::Drop);
    };
    let listing = |shop: &str, item: &str| {
        Shaped::new(host, &["product", shop, item], &[], TargetKind::Listing)
    };
    // The product name before `-i.` is free text the seller can change; the two
    // numbers are what identifies the item.
    if let Some(last) = segments.last()
        && let Some((shop, item)) = shopee_item_ids(last)
    {
        return listing(shop, item);
    }
    match segments.as_slice() {
        ["product", shop, item, ..] if is_digits(shop) && is_digits(item) => listing(shop, item),
        ["shop", shop, ..] if is_digits(shop) => {
            Shaped::new(host, &["shop", shop], &[], TargetKind::Account)
        }
        [name] if is_name(name, 30, b"._") && !is_reserved(name, SHOPEE_RESERVED) => Shaped::new(
            host,
            &[&name.to_ascii_lowercase()],
            &[],
            TargetKind::Account,
        ),
        _ => fallback(host, None, parts, QueryPolicy::Drop),
    }
}

/// `Any-Product-Name-i.SHOPID.ITEMID` → `(SHOPID, ITEMID)`.
fn shopee_item_ids(segment: &str) -> Option<(&str, &str)> {
    let (rest, item) = segment.rsplit_once('.')?;
    let (rest, shop) = rest.rsplit_once('.')?;
    let marked = rest == "i" || rest.ends_with("-i");
    (marked && is_digits(shop) && is_digits(item)).then_some((shop, item))
}

// --- Tokopedia -------------------------------------------------------------------

/// First path segments that are Tokopedia pages, not shop domains.
const TOKOPEDIA_RESERVED: &[&str] = &[
    "about",
    "b",
    "blog",
    "careers",
    "cart",
    "chat",
    "deals",
    "discovery",
    "edu",
    "events",
    "feed",
    "find",
    "help",
    "hot",
    "inbox",
    "login",
    "official-store",
    "order-list",
    "p",
    "people",
    "play",
    "privacy",
    "promo",
    "pulsa",
    "register",
    "rewards",
    "search",
    "seller",
    "settings",
    "terms",
    "tokopoints",
    "top-up",
    "topads",
    "user",
    "wishlist",
];

/// Second segments that are pages of a shop rather than a product slug.
const TOKOPEDIA_SHOP_PAGES: &[&str] = &[
    "campaign", "etalase", "feed", "follower", "info", "note", "product", "review",
];

/// Tracking parameters Tokopedia adds to search and discovery pages.
const TOKOPEDIA_TRACKING: &[&str] = &[
    "extparam",
    "src",
    "srp_component_id",
    "srp_page_id",
    "srp_page_title",
    "trkid",
    "whid",
];

fn tokopedia(parts: &Parts) -> Shaped {
    const HOST: &str = "tokopedia.com";
    let other = || fallback(HOST, None, parts, QueryPolicy::Filter(TOKOPEDIA_TRACKING));
    let Some(segments) = parts.texts() else {
        return other();
    };
    // Shop domains and product slugs are case-insensitive on Tokopedia.
    let lowered: Vec<String> = segments.iter().map(|s| s.to_ascii_lowercase()).collect();
    let lowered: Vec<&str> = lowered.iter().map(String::as_str).collect();
    match lowered.as_slice() {
        [shop, ..] if !is_tokopedia_slug(shop) || is_reserved(shop, TOKOPEDIA_RESERVED) => other(),
        [shop] => Shaped::new(HOST, &[shop], &[], TargetKind::Account),
        [shop, page, ..] if TOKOPEDIA_SHOP_PAGES.contains(page) => {
            Shaped::new(HOST, &[shop], &[], TargetKind::Account)
        }
        // Anything after the product slug (`/review`, …) is a view of the product.
        [shop, product, ..] if is_tokopedia_slug(product) => {
            Shaped::new(HOST, &[shop, product], &[], TargetKind::Listing)
        }
        _ => other(),
    }
}

fn is_tokopedia_slug(s: &str) -> bool {
    is_name(s, 255, b"-_.")
}

// --- Facebook --------------------------------------------------------------------

/// Mobile, basic and locale subdomains (`id-id.facebook.com`) serve the same pages.
fn is_facebook_host(host: &str) -> bool {
    match host {
        "facebook.com" | "fb.com" => true,
        _ => host.strip_suffix(".facebook.com").is_some_and(|sub| {
            matches!(sub, "mbasic" | "touch" | "mtouch" | "free") || is_locale_label(sub)
        }),
    }
}

fn is_locale_label(s: &str) -> bool {
    match s.as_bytes() {
        [a, b, b'-', c, d] => [a, b, c, d].iter().all(|x| x.is_ascii_lowercase()),
        _ => false,
    }
}

/// First path segments that are Facebook features, not page or profile names.
const FACEBOOK_RESERVED: &[&str] = &[
    "ads",
    "bookmarks",
    "business",
    "checkpoint",
    "dialog",
    "events",
    "friends",
    "fundraisers",
    "gaming",
    "groups",
    "hashtag",
    "help",
    "home.php",
    "l.php",
    "legal",
    "live",
    "login",
    "login.php",
    "marketplace",
    "me",
    "media",
    "memories",
    "messages",
    "notes",
    "notifications",
    "pages",
    "people",
    "permalink.php",
    "pg",
    "photo",
    "photo.php",
    "photos",
    "places",
    "plugins",
    "policies",
    "privacy",
    "profile.php",
    "recover",
    "reel",
    "reels",
    "saved",
    "search",
    "settings",
    "share",
    "sharer",
    "sharer.php",
    "stories",
    "story.php",
    "video.php",
    "videos",
    "watch",
];

/// Page tabs that still identify the page.
const FACEBOOK_PAGE_TABS: &[&str] = &[
    "about",
    "community",
    "events",
    "followers",
    "following",
    "friends",
    "mentions",
    "photos",
    "reels",
    "reviews",
    "shop",
    "videos",
];

/// Facebook's own click and navigation trackers, added to almost every link.
const FACEBOOK_TRACKING: &[&str] = &[
    "_rdc",
    "_rdr",
    "eav",
    "extid",
    "fref",
    "hc_location",
    "hc_ref",
    "locale",
    "notif_id",
    "notif_t",
    "paipv",
    "refsrc",
    "sfnsn",
];

fn facebook(parts: &Parts) -> Shaped {
    const HOST: &str = "facebook.com";
    let other = || {
        let mut shaped = fallback(HOST, None, parts, QueryPolicy::Filter(FACEBOOK_TRACKING));
        // `__cft__[0]`, `__tn__`, `__xts__[0]`: internal click tracking.
        shaped.query = strip_double_underscore_params(&shaped.query);
        shaped
    };
    let Some(segments) = parts.texts() else {
        return other();
    };
    let numeric_param = |name: &str| parts.param(name).filter(|value| is_digits(value));
    match segments.as_slice() {
        ["marketplace", "item", id, ..] if is_digits(id) => {
            Shaped::new(HOST, &["marketplace", "item", id], &[], TargetKind::Listing)
        }
        ["profile.php"] => match numeric_param("id") {
            Some(id) => facebook_profile_id(id),
            None => other(),
        },
        // Pages without a username are shown under /people/NAME/ID; the name is
        // decoration and profile.php?id= opens the same page.
        ["people", _, id, ..] if is_digits(id) => facebook_profile_id(id),
        // A group post's permalink and /posts/ URL are the same post.
        ["groups", group, "posts" | "permalink", post, ..]
            if is_facebook_name(group) && is_facebook_code(post) =>
        {
            Shaped::new(
                HOST,
                &["groups", &group.to_ascii_lowercase(), "posts", post],
                &[],
                TargetKind::Listing,
            )
        }
        ["groups", group, ..] if is_facebook_name(group) => Shaped::new(
            HOST,
            &["groups", &group.to_ascii_lowercase()],
            &[],
            TargetKind::Account,
        ),
        // /watch/?v=, /watch/live/?v= and /video.php?v= all open the video by id.
        ["watch", ..] | ["video.php"] => match numeric_param("v") {
            Some(id) => Shaped::new(HOST, &["watch"], &[("v", id)], TargetKind::Listing),
            None => other(),
        },
        ["reel", id, ..] if is_digits(id) => {
            Shaped::new(HOST, &["reel", id], &[], TargetKind::Listing)
        }
        // Share links hide the target behind a case-sensitive code; /p/, /r/ and /v/
        // are known to be a post, a reel and a video.
        ["share", kind @ ("p" | "r" | "v"), code, ..] if is_facebook_code(code) => {
            Shaped::new(HOST, &["share", kind, code], &[], TargetKind::Listing)
        }
        ["share", code, ..] if is_facebook_code(code) => {
            Shaped::new(HOST, &["share", code], &[], TargetKind::Other)
        }
        ["permalink.php" | "story.php"] => {
            match (
                parts.param("story_fbid").filter(|v| is_facebook_code(v)),
                numeric_param("id"),
            ) {
                (Some(story), Some(id)) => Shaped::new(
                    HOST,
                    &["permalink.php"],
                    &[("id", id), ("story_fbid", story)],
                    TargetKind::Listing,
                ),
                _ => other(),
            }
        }
        ["photo.php" | "photo"] => match numeric_param("fbid") {
            Some(id) => Shaped::new(HOST, &["photo.php"], &[("fbid", id)], TargetKind::Listing),
            None => other(),
        },
        ["pg", page, ..] if is_facebook_page(page) => facebook_page(page),
        [page, "posts", post, ..] if is_facebook_page(page) && is_facebook_code(post) => {
            Shaped::new(
                HOST,
                &[&page.to_ascii_lowercase(), "posts", post],
                &[],
                TargetKind::Listing,
            )
        }
        // `/PAGE/videos/ID` and `/PAGE/videos/SLUG/ID`.
        [page, "videos", .., id] if is_facebook_page(page) && is_digits(id) => Shaped::new(
            HOST,
            &[&page.to_ascii_lowercase(), "videos", id],
            &[],
            TargetKind::Listing,
        ),
        [page] if is_facebook_page(page) => facebook_page(page),
        [page, tab] if is_facebook_page(page) && FACEBOOK_PAGE_TABS.contains(tab) => {
            facebook_page(page)
        }
        _ => other(),
    }
}

fn facebook_profile_id(id: &str) -> Shaped {
    Shaped::new(
        "facebook.com",
        &["profile.php"],
        &[("id", id)],
        TargetKind::Account,
    )
}

fn facebook_page(page: &str) -> Shaped {
    Shaped::new(
        "facebook.com",
        &[&page.to_ascii_lowercase()],
        &[],
        TargetKind::Account,
    )
}

/// Usernames are case-insensitive; old vanity names contain dashes.
fn is_facebook_name(s: &str) -> bool {
    is_name(s, 100, b".-_")
}

fn is_facebook_page(s: &str) -> bool {
    is_facebook_name(s) && !is_reserved(s, FACEBOOK_RESERVED)
}

/// Post ids are numeric or opaque `pfbid…` strings; both are case-sensitive.
fn is_facebook_code(s: &str) -> bool {
    is_name(s, 128, b"_-")
}

fn strip_double_underscore_params(query: &str) -> String {
    query
        .split('&')
        .filter(|pair| !pair.is_empty() && !pair.starts_with("__"))
        .collect::<Vec<_>>()
        .join("&")
}

// --- X / Twitter -----------------------------------------------------------------

/// First path segments that are X features, not usernames.
const X_RESERVED: &[&str] = &[
    "account",
    "compose",
    "explore",
    "hashtag",
    "home",
    "i",
    "intent",
    "login",
    "logout",
    "messages",
    "notifications",
    "privacy",
    "search",
    "settings",
    "share",
    "signup",
    "tos",
];

const X_PROFILE_TABS: &[&str] = &[
    "followers",
    "following",
    "highlights",
    "likes",
    "media",
    "verified_followers",
    "with_replies",
];

fn x_twitter(parts: &Parts) -> Shaped {
    const HOST: &str = "x.com";
    let Some(segments) = parts.texts() else {
        return fallback(HOST, None, parts, QueryPolicy::Drop);
    };
    let is_user = |s: &str| is_name(s, 15, b"_") && !is_reserved(s, X_RESERVED);
    match segments.as_slice() {
        ["i", "web", "status", id, ..] | ["i", "status", id, ..] if is_digits(id) => {
            Shaped::new(HOST, &["i", "status", id], &[], TargetKind::Listing)
        }
        // Trailing `/photo/1`, `/video/1`, `/analytics` are views of the same post.
        [user, "status" | "statuses", id, ..] if is_user(user) && is_digits(id) => Shaped::new(
            HOST,
            &[&user.to_ascii_lowercase(), "status", id],
            &[],
            TargetKind::Listing,
        ),
        [user] if is_user(user) => Shaped::new(
            HOST,
            &[&user.to_ascii_lowercase()],
            &[],
            TargetKind::Account,
        ),
        [user, tab] if is_user(user) && X_PROFILE_TABS.contains(tab) => Shaped::new(
            HOST,
            &[&user.to_ascii_lowercase()],
            &[],
            TargetKind::Account,
        ),
        _ => fallback(HOST, None, parts, QueryPolicy::Drop),
    }
}

// --- YouTube ---------------------------------------------------------------------

/// YouTube's share and player-state parameters.
const YOUTUBE_TRACKING: &[&str] = &["ab_channel", "app", "feature", "pp"];

fn youtube(parts: &Parts) -> Shaped {
    const HOST: &str = "youtube.com";
    let other = || fallback(HOST, None, parts, QueryPolicy::Filter(YOUTUBE_TRACKING));
    let Some(segments) = parts.texts() else {
        return other();
    };
    match segments.as_slice() {
        // Timestamps, playlists and share ids do not change which video it is.
        ["watch"] => match parts.param("v").filter(|v| is_youtube_id(v)) {
            Some(id) => youtube_video(id),
            None => other(),
        },
        // Shorts, live streams and embeds are ordinary videos under the same id.
        ["shorts" | "live" | "embed" | "v", id, ..] if is_youtube_id(id) => youtube_video(id),
        // Handles are case-insensitive; channel ids are not.
        [handle, ..] if is_youtube_handle(handle) => Shaped::new(
            HOST,
            &[&handle.to_ascii_lowercase()],
            &[],
            TargetKind::Account,
        ),
        ["channel", id, ..] if is_youtube_id(id) => {
            Shaped::new(HOST, &["channel", id], &[], TargetKind::Account)
        }
        [legacy @ ("c" | "user"), name, ..] if is_name(name, 100, b"._-") => Shaped::new(
            HOST,
            &[legacy, &name.to_ascii_lowercase()],
            &[],
            TargetKind::Account,
        ),
        _ => other(),
    }
}

fn youtu_be(parts: &Parts) -> Shaped {
    match parts.texts().as_deref() {
        Some([id, ..]) if is_youtube_id(id) => youtube_video(id),
        _ => short_link(parts),
    }
}

fn youtube_video(id: &str) -> Shaped {
    Shaped::new("youtube.com", &["watch"], &[("v", id)], TargetKind::Listing)
}

fn is_youtube_id(s: &str) -> bool {
    is_name(s, 64, b"_-")
}

fn is_youtube_handle(s: &str) -> bool {
    s.strip_prefix('@')
        .is_some_and(|name| is_name(name, 100, b"._-"))
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

#[cfg(test)]
mod tests {
    use super::*;
    use TargetKind::{Account, Listing, Other};

    fn parsed(raw: &str) -> CanonicalUrl {
        match CanonicalUrl::parse(raw) {
            Ok(url) => url,
            Err(error) => panic!("{raw:?} was rejected: {error:?}"),
        }
    }

    fn canon(raw: &str) -> String {
        parsed(raw).as_str().to_owned()
    }

    #[track_caller]
    fn check(raw: &str, expected: &str, kind: TargetKind) {
        let url = parsed(raw);
        assert_eq!(url.as_str(), expected, "canonical form of {raw:?}");
        assert_eq!(url.kind(), kind, "kind of {raw:?}");
        // Canonicalising a canonical URL must not move it to another case.
        assert_eq!(canon(url.as_str()), expected, "re-parsing {expected:?}");
    }

    #[track_caller]
    fn rejected(raw: &str, error: UrlError) {
        assert_eq!(CanonicalUrl::parse(raw), Err(error), "input {raw:?}");
    }

    // --- Instagram ---

    #[test]
    fn instagram_post_with_and_without_tracking_is_one_case() {
        let pasted = parsed("https://www.instagram.com/p/ABC123/?igsh=xyz");
        let typed = parsed("instagram.com/p/ABC123");
        assert_eq!(pasted, typed);
        assert_eq!(typed.as_str(), "https://instagram.com/p/ABC123");
        assert_eq!(typed.kind(), Listing);
        assert_eq!(typed.host(), "instagram.com");
    }

    #[test]
    fn instagram_post_with_uppercase_host_and_fragment() {
        check(
            "https://WWW.Instagram.COM/p/ABC123#comments",
            "https://instagram.com/p/ABC123",
            Listing,
        );
    }

    #[test]
    fn instagram_reels_and_tv_map_to_post() {
        for raw in [
            "https://www.instagram.com/reel/Cx9AbC-d_12/?utm_source=ig_web_copy_link",
            "https://instagram.com/reels/Cx9AbC-d_12/",
            "https://www.instagram.com/tv/Cx9AbC-d_12",
            "https://m.instagram.com/reel/Cx9AbC-d_12/?igshid=MzRlODBiNWFlZA==",
        ] {
            check(raw, "https://instagram.com/p/Cx9AbC-d_12", Listing);
        }
    }

    #[test]
    fn instagram_post_under_username() {
        check(
            "https://www.instagram.com/thrift.jakarta/p/ABC123/?img_index=2",
            "https://instagram.com/p/ABC123",
            Listing,
        );
        check(
            "https://www.instagram.com/Thrift.Jakarta/reel/ABC123/",
            "https://instagram.com/p/ABC123",
            Listing,
        );
    }

    #[test]
    fn instagram_shortcode_keeps_its_case() {
        assert_ne!(
            canon("instagram.com/p/abc123"),
            canon("instagram.com/p/ABC123")
        );
        check(
            "instagram.com/p/abc123",
            "https://instagram.com/p/abc123",
            Listing,
        );
    }

    #[test]
    fn instagram_short_domain() {
        let url = parsed("instagr.am/p/ABC123/");
        assert_eq!(url.as_str(), "https://instagram.com/p/ABC123");
        assert_eq!(url.host(), "instagram.com");
    }

    #[test]
    fn instagram_profiles() {
        check(
            "https://www.instagram.com/Thrift.Jakarta/?hl=id",
            "https://instagram.com/thrift.jakarta",
            Account,
        );
        check(
            "https://instagram.com/thrift_bdg?igsh=MWx0bW9ud2N5&utm_source=qr",
            "https://instagram.com/thrift_bdg",
            Account,
        );
        check(
            "https://m.instagram.com/thrift_bdg/tagged/",
            "https://instagram.com/thrift_bdg",
            Account,
        );
        check(
            "https://www.instagram.com/_u/Thrift_BDG",
            "https://instagram.com/thrift_bdg",
            Account,
        );
    }

    #[test]
    fn instagram_stories() {
        check(
            "https://www.instagram.com/stories/Thrift.Jakarta/3212345678901234567/?utm_source=ig_story_item_share",
            "https://instagram.com/stories/thrift.jakarta/3212345678901234567",
            Listing,
        );
    }

    #[test]
    fn instagram_feature_pages_are_other() {
        check(
            "https://www.instagram.com/explore/tags/ThriftMurah/?hl=en",
            "https://instagram.com/explore/tags/ThriftMurah",
            Other,
        );
        check(
            "https://www.instagram.com/reels/audio/1234567890/",
            "https://instagram.com/reels/audio/1234567890",
            Other,
        );
        check(
            "https://www.instagram.com/explore/",
            "https://instagram.com/explore",
            Other,
        );
        check("https://www.instagram.com/", "https://instagram.com", Other);
    }

    // --- TikTok ---

    #[test]
    fn tiktok_video_with_share_parameters() {
        check(
            "https://www.tiktok.com/@Penjual.Thrift/video/7234567890123456789?is_from_webapp=1&sender_device=pc&_t=8kLmNoPqRsT&_r=1",
            "https://tiktok.com/@penjual.thrift/video/7234567890123456789",
            Listing,
        );
    }

    #[test]
    fn tiktok_mobile_host_photo_posts_and_encoded_at() {
        for raw in [
            "https://m.tiktok.com/@penjual.thrift/video/7234567890123456789",
            "https://www.tiktok.com/@penjual.thrift/photo/7234567890123456789?lang=id-ID",
            "tiktok.com/%40PENJUAL.THRIFT/video/7234567890123456789/",
        ] {
            check(
                raw,
                "https://tiktok.com/@penjual.thrift/video/7234567890123456789",
                Listing,
            );
        }
    }

    #[test]
    fn tiktok_profiles() {
        check(
            "https://www.tiktok.com/@Penjual.Thrift?lang=id-ID&is_from_webapp=1",
            "https://tiktok.com/@penjual.thrift",
            Account,
        );
        check(
            "https://www.tiktok.com/@penjual_thrift/live",
            "https://tiktok.com/@penjual_thrift",
            Account,
        );
    }

    #[test]
    fn tiktok_short_links_are_kept() {
        let short = parsed("https://vt.tiktok.com/ZSYabc123/");
        assert_eq!(short.as_str(), "https://vt.tiktok.com/ZSYabc123");
        assert_eq!(short.kind(), Other);
        assert_eq!(short.host(), "vt.tiktok.com");
        check(
            "vm.tiktok.com/ZMabcDEF/?k=1",
            "https://vm.tiktok.com/ZMabcDEF",
            Other,
        );
        check(
            "https://www.tiktok.com/t/ZT8abcDEF/",
            "https://tiktok.com/t/ZT8abcDEF",
            Other,
        );
    }

    // --- Shopee ---

    #[test]
    fn shopee_slug_and_product_path_are_one_case() {
        let slug = parsed(
            "https://shopee.co.id/Kemeja-Flanel-Pria-Import-Bekas-i.123456789.9876543210?sp_atk=3f1a2b&xptdk=9c8d7e",
        );
        let product = parsed("https://shopee.co.id/product/123456789/9876543210");
        assert_eq!(slug, product);
        assert_eq!(
            product.as_str(),
            "https://shopee.co.id/product/123456789/9876543210"
        );
        assert_eq!(product.kind(), Listing);
    }

    #[test]
    fn shopee_variants() {
        check(
            "https://m.shopee.co.id/product/123456789/9876543210?smtt=0.0.9&utm_medium=affiliates",
            "https://shopee.co.id/product/123456789/9876543210",
            Listing,
        );
        check(
            "https://shopee.co.id/Baju.Bekas.Impor-i.11.22",
            "https://shopee.co.id/product/11/22",
            Listing,
        );
        // Another country's marketplace is another case.
        check(
            "https://shopee.com.my/Baju-Bundle-i.11.22",
            "https://shopee.com.my/product/11/22",
            Listing,
        );
    }

    #[test]
    fn shopee_shops() {
        check(
            "https://shopee.co.id/ThriftShop.ID?categoryId=100017&entryPoint=ShopBySearch",
            "https://shopee.co.id/thriftshop.id",
            Account,
        );
        check(
            "https://shopee.co.id/shop/123456789/search?page=0",
            "https://shopee.co.id/shop/123456789",
            Account,
        );
        check(
            "https://shopee.co.id/search?keyword=baju%20bekas",
            "https://shopee.co.id/search",
            Other,
        );
    }

    #[test]
    fn shopee_short_links_are_kept() {
        check("https://shp.ee/abc123x", "https://shp.ee/abc123x", Other);
        check(
            "https://id.shp.ee/AbCdEf9?smtt=0.0.9",
            "https://id.shp.ee/AbCdEf9",
            Other,
        );
    }

    // --- Tokopedia ---

    #[test]
    fn tokopedia_products() {
        check(
            "https://www.tokopedia.com/thriftbdg/kemeja-flanel-import-bekas?extParam=ivf%3Dfalse%26src%3Dsearch&src=topads",
            "https://tokopedia.com/thriftbdg/kemeja-flanel-import-bekas",
            Listing,
        );
        check(
            "https://tokopedia.com/ThriftBDG/Kemeja-Flanel-Import-Bekas/",
            "https://tokopedia.com/thriftbdg/kemeja-flanel-import-bekas",
            Listing,
        );
        check(
            "https://m.tokopedia.com/thriftbdg/kemeja-flanel-import-bekas/review?trkid=f%3DCa0&whid=0",
            "https://tokopedia.com/thriftbdg/kemeja-flanel-import-bekas",
            Listing,
        );
    }

    #[test]
    fn tokopedia_shops() {
        check(
            "https://www.tokopedia.com/ThriftBDG",
            "https://tokopedia.com/thriftbdg",
            Account,
        );
        check(
            "https://www.tokopedia.com/thriftbdg/etalase/kemeja-flanel",
            "https://tokopedia.com/thriftbdg",
            Account,
        );
    }

    #[test]
    fn tokopedia_reserved_pages_are_other() {
        check(
            "https://www.tokopedia.com/search?st=product&q=baju%20bekas&srp_component_id=02.01.00.00",
            "https://tokopedia.com/search?q=baju+bekas&st=product",
            Other,
        );
        check(
            "https://www.tokopedia.com/p/fashion-pria/kemeja",
            "https://tokopedia.com/p/fashion-pria/kemeja",
            Other,
        );
        check(
            "https://www.tokopedia.com/discovery/thrift-day",
            "https://tokopedia.com/discovery/thrift-day",
            Other,
        );
        check(
            "https://tokopedia.link/AbCdEf123?$3p=a_custom",
            "https://tokopedia.link/AbCdEf123",
            Other,
        );
    }

    // --- Facebook ---

    #[test]
    fn facebook_marketplace_on_every_host() {
        for raw in [
            "https://www.facebook.com/marketplace/item/1234567890123456/?ref=share_attachment",
            "https://m.facebook.com/marketplace/item/1234567890123456/",
            "https://web.facebook.com/marketplace/item/1234567890123456?mibextid=6ojiHh&rdid=AbC",
            "https://mbasic.facebook.com/marketplace/item/1234567890123456",
            "fb.com/marketplace/item/1234567890123456",
        ] {
            check(
                raw,
                "https://facebook.com/marketplace/item/1234567890123456",
                Listing,
            );
        }
    }

    #[test]
    fn facebook_pages_and_profiles() {
        check(
            "https://www.facebook.com/ThriftJakarta/",
            "https://facebook.com/thriftjakarta",
            Account,
        );
        check(
            "https://id-id.facebook.com/ThriftJakarta/about",
            "https://facebook.com/thriftjakarta",
            Account,
        );
        check(
            "https://fb.com/ThriftJakarta",
            "https://facebook.com/thriftjakarta",
            Account,
        );
        check(
            "https://www.facebook.com/profile.php?id=100012345678901&mibextid=ZbWKwL&sk=about",
            "https://facebook.com/profile.php?id=100012345678901",
            Account,
        );
        check(
            "https://www.facebook.com/people/Thrift-Jakarta/100089123456789/",
            "https://facebook.com/profile.php?id=100089123456789",
            Account,
        );
    }

    #[test]
    fn facebook_posts() {
        check(
            "https://www.facebook.com/groups/JualBajuBekas/posts/1234567890123/?mibextid=rS40aB7S9Ucbxw6v",
            "https://facebook.com/groups/jualbajubekas/posts/1234567890123",
            Listing,
        );
        check(
            "https://m.facebook.com/groups/123456789/permalink/9876543210/",
            "https://facebook.com/groups/123456789/posts/9876543210",
            Listing,
        );
        check(
            "https://www.facebook.com/ThriftJakarta/posts/pfbid02AbCdEfGhIjK?__cft__[0]=AZX&__tn__=%2CO%2CP-R",
            "https://facebook.com/thriftjakarta/posts/pfbid02AbCdEfGhIjK",
            Listing,
        );
        check(
            "https://www.facebook.com/permalink.php?story_fbid=pfbid0XyZ123&id=100089123456789&rdid=q",
            "https://facebook.com/permalink.php?id=100089123456789&story_fbid=pfbid0XyZ123",
            Listing,
        );
        check(
            "https://www.facebook.com/groups/JualBajuBekas/",
            "https://facebook.com/groups/jualbajubekas",
            Account,
        );
    }

    #[test]
    fn facebook_videos_and_share_links() {
        check(
            "https://www.facebook.com/watch/?v=1234567890&ref=sharing",
            "https://facebook.com/watch?v=1234567890",
            Listing,
        );
        check(
            "https://www.facebook.com/video.php?v=1234567890",
            "https://facebook.com/watch?v=1234567890",
            Listing,
        );
        check(
            "https://www.facebook.com/ThriftJakarta/videos/obral-kemeja/1234567890/",
            "https://facebook.com/thriftjakarta/videos/1234567890",
            Listing,
        );
        check(
            "https://www.facebook.com/share/p/1AbCdEfGh/?mibextid=WC7FNe",
            "https://facebook.com/share/p/1AbCdEfGh",
            Listing,
        );
        check(
            "https://www.facebook.com/share/1AbCdEfGh/",
            "https://facebook.com/share/1AbCdEfGh",
            Other,
        );
        check(
            "https://fb.me/ThriftJakarta",
            "https://fb.me/ThriftJakarta",
            Other,
        );
    }

    // --- X / Twitter ---

    #[test]
    fn x_and_twitter_posts_are_one_case() {
        for raw in [
            "https://twitter.com/ThriftSeller/status/1712345678901234567?s=20&t=AbCdEf",
            "https://mobile.twitter.com/thriftseller/status/1712345678901234567",
            "https://x.com/ThriftSeller/status/1712345678901234567/photo/1",
        ] {
            check(
                raw,
                "https://x.com/thriftseller/status/1712345678901234567",
                Listing,
            );
        }
        check(
            "https://twitter.com/i/web/status/1712345678901234567",
            "https://x.com/i/status/1712345678901234567",
            Listing,
        );
        check(
            "https://x.com/ThriftSeller/media",
            "https://x.com/thriftseller",
            Account,
        );
        check(
            "https://x.com/search?q=thrift&src=typed_query",
            "https://x.com/search",
            Other,
        );
    }

    // --- YouTube ---

    #[test]
    fn youtube_videos_are_one_case() {
        for raw in [
            "https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=42s&si=AbC",
            "https://youtu.be/dQw4w9WgXcQ?si=AbCdEf",
            "https://m.youtube.com/shorts/dQw4w9WgXcQ?feature=share",
            "youtube.com/live/dQw4w9WgXcQ",
        ] {
            check(raw, "https://youtube.com/watch?v=dQw4w9WgXcQ", Listing);
        }
    }

    #[test]
    fn youtube_channels() {
        check(
            "https://www.youtube.com/@ThriftChannel/videos",
            "https://youtube.com/@thriftchannel",
            Account,
        );
        check(
            "https://www.youtube.com/channel/UCabcDEF123_-xyz",
            "https://youtube.com/channel/UCabcDEF123_-xyz",
            Account,
        );
    }

    // --- Generic sites ---

    #[test]
    fn lazada_and_bukalapak_use_generic_rules() {
        check(
            "https://www.lazada.co.id/products/kemeja-flanel-i123456789-s987654321.html?spm=a2o4j.searchlist.list.1&utm_source=fb&laz_trackid=2:abc",
            "https://lazada.co.id/products/kemeja-flanel-i123456789-s987654321.html",
            Other,
        );
        check(
            "https://www.bukalapak.com/p/fashion-pria/kemeja/4abc123-jual-kemeja-bekas?from=list-product&pos=0",
            "https://bukalapak.com/p/fashion-pria/kemeja/4abc123-jual-kemeja-bekas?from=list-product&pos=0",
            Other,
        );
    }

    #[test]
    fn generic_rules() {
        check(
            "http://Example.CO.ID:80/Path/To/Item/?b=2&a=1&utm_campaign=x&fbclid=IwAR0#frag",
            "https://example.co.id/Path/To/Item?a=1&b=2",
            Other,
        );
        check("http://example.com:443/", "https://example.com", Other);
        check(
            "https://example.com:8443/x",
            "https://example.com:8443/x",
            Other,
        );
        check(
            "https://www.m.example.com./x",
            "https://example.com/x",
            Other,
        );
        check(
            "https://example.com/item?Ref=abc&GCLID=1&id=5",
            "https://example.com/item?id=5",
            Other,
        );
    }

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
