//! Instagram (`instagram.com`, `instagr.am`).
//!
//! * Posts, reels and IGTV videos — `/p/CODE`, `/reel/CODE`, `/reels/CODE`, `/tv/CODE`, also
//!   behind a username (`/USER/p/CODE`) — share one shortcode namespace and become `/p/CODE`
//!   (a listing; the shortcode keeps its case).
//! * Stories `/stories/USER/ID` (a listing).
//! * Profiles `/USER`, `/_u/USER` and profile tabs (`/USER/tagged`, `/USER/reels`…) become
//!   `/user` (an account).
//! * Feature pages (`/explore/…`, audio pages, the home page) are kept without their query.

use super::generic::{QueryPolicy, fallback};
use super::{Parts, Shaped, TargetKind, is_digits, is_name, is_reserved};

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

pub(super) fn shape(parts: &Parts) -> Shaped {
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

#[cfg(test)]
mod tests {
    use crate::canonical_url::TargetKind::{Account, Listing, Other};
    use crate::canonical_url::testing::{canon, check, parsed};

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
}
