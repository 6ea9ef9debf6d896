//! X, formerly Twitter (`x.com`, `twitter.com`; the canonical host is `x.com`).
//!
//! * Posts `/USER/status/ID` (also `/statuses/`, with trailing `/photo/1`…) become
//!   `/user/status/ID`, and `/i/web/status/ID` becomes `/i/status/ID` (a listing).
//! * Profiles `/USER` and profile tabs (`/USER/media`…) become `/user` (an account).
//! * Anything else (`/search`, `/explore`…) is kept without its query.

use super::generic::{QueryPolicy, fallback};
use super::{Parts, Shaped, TargetKind, is_digits, is_name, is_reserved};

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

pub(super) fn shape(parts: &Parts) -> Shaped {
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

#[cfg(test)]
mod tests {
    use crate::canonical_url::TargetKind::{Account, Listing, Other};
    use crate::canonical_url::testing::check;

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
}
