//! TikTok (`tiktok.com`).
//!
//! * Videos and photo posts `/@USER/video/ID`, `/@USER/photo/ID` become `/@user/video/ID`
//!   (a listing).
//! * Profiles `/@USER` and `/@USER/live` become `/@user` (an account).
//! * Anything else, including the `/t/CODE` short links, is kept without its query. The
//!   `vt.tiktok.com` and `vm.tiktok.com` short links are generic short links.

use super::generic::{QueryPolicy, fallback};
use super::{Parts, Shaped, TargetKind, is_digits, is_name};

pub(super) fn shape(parts: &Parts) -> Shaped {
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

#[cfg(test)]
mod tests {
    use crate::canonical_url::TargetKind::{Account, Listing, Other};
    use crate::canonical_url::testing::{check, parsed};

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
}
