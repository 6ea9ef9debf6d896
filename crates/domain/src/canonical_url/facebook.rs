//! Facebook (`facebook.com`, `fb.com`, and the mobile, basic and locale subdomains such as
//! `mbasic.facebook.com` or `id-id.facebook.com`).
//!
//! * Listings: Marketplace items `/marketplace/item/ID`; group posts
//!   `/groups/GROUP/posts/ID` and `/groups/GROUP/permalink/ID`; page posts `/PAGE/posts/ID`;
//!   `/permalink.php` and `/story.php` with `story_fbid` and `id`; videos `/watch?v=ID`,
//!   `/video.php?v=ID`, `/PAGE/videos/…/ID`; reels `/reel/ID`; photos `/photo.php?fbid=ID`;
//!   share links `/share/p|r|v/CODE`.
//! * Accounts: pages `/PAGE` (and page tabs), `/pg/PAGE`; profiles `/profile.php?id=ID` and
//!   `/people/NAME/ID`; groups `/groups/GROUP`.
//! * Anything else keeps its query minus Facebook's trackers. The `fb.me` and `fb.watch`
//!   short links are generic short links.

use super::generic::{QueryPolicy, fallback};
use super::{Parts, Shaped, TargetKind, is_digits, is_name, is_reserved};

/// Mobile, basic and locale subdomains (`id-id.facebook.com`) serve the same pages.
pub(super) fn is_facebook_host(host: &str) -> bool {
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

pub(super) fn shape(parts: &Parts) -> Shaped {
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

#[cfg(test)]
mod tests {
    use crate::canonical_url::TargetKind::{Account, Listing, Other};
    use crate::canonical_url::testing::check;

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
}
