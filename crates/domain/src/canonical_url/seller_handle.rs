//! The seller account a canonical URL belongs to, read back from the canonical form (whose shape
//! each platform module fixes): an Instagram, TikTok, X or YouTube profile, a Shopee shop (by id,
//! or by username), a Tokopedia shop slug, a Facebook page or profile. A post that carries no
//! account in its URL (an Instagram `/p/CODE`, a Facebook Marketplace item) has none.
//!
//! The handle is namespaced by the canonical host (`tiktok.com/@tokobaju`,
//! `shopee.co.id/shop/123`), so the same name on two platforms is two identifiers: nothing says
//! that `@tokobaju` on Instagram and on TikTok is one person.

use super::shopee::is_shopee_host;
use super::{CanonicalUrl, TargetKind};

pub(super) fn of(url: &CanonicalUrl) -> Option<String> {
    if url.kind == TargetKind::Other {
        return None;
    }
    let rest = url.url.strip_prefix("https://")?;
    let (authority, path_and_query) = rest.split_once('/')?;
    // A canonical form with a port is not a platform's own address.
    if authority != url.host {
        return None;
    }
    let (path, query) = match path_and_query.split_once('?') {
        Some((path, query)) => (path, Some(query)),
        None => (path_and_query, None),
    };
    let segments: Vec<&str> = path.split('/').collect();
    let host = url.host.as_str();
    let named = |name: &str| Some(format!("{host}/{name}"));
    match host {
        "instagram.com" => match segments.as_slice() {
            ["stories", user, _] | [user] => named(user),
            _ => None,
        },
        "tiktok.com" => match segments.as_slice() {
            [user, "video", _] | [user] if user.starts_with('@') => named(user),
            _ => None,
        },
        "tokopedia.com" => match segments.as_slice() {
            [shop] | [shop, _] => named(shop),
            _ => None,
        },
        "x.com" => match segments.as_slice() {
            ["i", ..] => None,
            [user, "status", _] | [user] => named(user),
            _ => None,
        },
        "youtube.com" => match segments.as_slice() {
            [handle] if handle.starts_with('@') => named(handle),
            ["channel", id] => Some(format!("{host}/channel/{id}")),
            _ => None,
        },
        "facebook.com" => match segments.as_slice() {
            ["profile.php"] => query.map(|query| format!("{host}/profile.php?{query}")),
            [
                "marketplace" | "groups" | "watch" | "reel" | "share" | "permalink.php"
                | "photo.php",
                ..,
            ] => None,
            [page] | [page, "posts" | "videos", _] => named(page),
            _ => None,
        },
        _ if is_shopee_host(host) => match segments.as_slice() {
            ["product", shop, _] | ["shop", shop] => Some(format!("{host}/shop/{shop}")),
            [user] => named(user),
            _ => None,
        },
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::parsed;

    #[track_caller]
    fn handle(raw: &str) -> Option<String> {
        parsed(raw).seller_handle()
    }

    #[test]
    fn profiles_and_shops_are_handles() {
        for (raw, expected) in [
            (
                "https://www.instagram.com/Thrift.Bandung/?igsh=abc",
                "instagram.com/thrift.bandung",
            ),
            (
                "instagram.com/stories/thrift.bandung/3312345678901",
                "instagram.com/thrift.bandung",
            ),
            (
                "https://www.tiktok.com/@BajuBekas_ID/video/7301234567890123456?_t=8x",
                "tiktok.com/@bajubekas_id",
            ),
            (
                "https://m.tiktok.com/@bajubekas_id/live",
                "tiktok.com/@bajubekas_id",
            ),
            (
                "https://shopee.co.id/Kemeja-Flanel-Impor-i.123456789.2345678901",
                "shopee.co.id/shop/123456789",
            ),
            (
                "https://shopee.co.id/product/123456789/9876543210",
                "shopee.co.id/shop/123456789",
            ),
            (
                "https://shopee.co.id/shop/123456789",
                "shopee.co.id/shop/123456789",
            ),
            (
                "https://shopee.co.id/grosirbal.id",
                "shopee.co.id/grosirbal.id",
            ),
            (
                "https://www.tokopedia.com/GudangThrift/jaket-bomber-impor-second",
                "tokopedia.com/gudangthrift",
            ),
            (
                "https://tokopedia.com/gudangthrift/etalase/jaket",
                "tokopedia.com/gudangthrift",
            ),
            (
                "https://twitter.com/BalPressMurah/status/1789012345678901234",
                "x.com/balpressmurah",
            ),
            ("https://x.com/balpressmurah/media", "x.com/balpressmurah"),
            (
                "https://www.facebook.com/ThriftGrosir.Official/posts/pfbid02abc",
                "facebook.com/thriftgrosir.official",
            ),
            (
                "https://m.facebook.com/profile.php?id=100089123456789",
                "facebook.com/profile.php?id=100089123456789",
            ),
            (
                "https://www.youtube.com/@GudangBal",
                "youtube.com/@gudangbal",
            ),
        ] {
            assert_eq!(handle(raw).as_deref(), Some(expected), "handle of {raw:?}");
        }
    }

    #[test]
    fn urls_without_an_account_have_no_handle() {
        for raw in [
            "https://www.instagram.com/p/C1a2B3c4D5e/",
            "https://www.instagram.com/explore/tags/thrift/",
            "https://x.com/i/web/status/1789012345678901234",
            "https://www.facebook.com/marketplace/item/1234567890123456/",
            "https://www.facebook.com/groups/thriftbandung/posts/123456789",
            "https://vt.tiktok.com/ZSabc123/",
            "https://shopee.co.id/search?keyword=thrift",
            "https://www.tokopedia.com/search?q=bal",
            "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
            "https://example.com/toko/thrift",
        ] {
            assert_eq!(handle(raw), None, "handle of {raw:?}");
        }
    }
}
