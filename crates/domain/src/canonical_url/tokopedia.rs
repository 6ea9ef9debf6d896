//! Tokopedia (`tokopedia.com`; shop domains and product slugs are case-insensitive).
//!
//! * Shops `/SHOP` and shop pages (`/SHOP/etalase/…`, `/SHOP/review`…) become `/shop`
//!   (an account).
//! * Products `/SHOP/PRODUCT-SLUG`, and views of them (`…/review`), become
//!   `/shop/product-slug` (a listing).
//! * Tokopedia's own pages (`/search`, categories under `/p/`, `/discovery/…`) keep their
//!   query minus Tokopedia's trackers. The `tokopedia.link` short links are generic short
//!   links.

use super::generic::{QueryPolicy, fallback};
use super::{Parts, Shaped, TargetKind, is_name, is_reserved};

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

pub(super) fn shape(parts: &Parts) -> Shaped {
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

#[cfg(test)]
mod tests {
    use crate::canonical_url::TargetKind::{Account, Listing, Other};
    use crate::canonical_url::testing::check;

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
}
