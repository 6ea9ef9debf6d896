//! Shopee (`shopee.co.id`, `shopee.com.my`, … — one marketplace per country, so the TLD stays).
//!
//! * Products `/ANY-NAME-i.SHOP.ITEM` and `/product/SHOP/ITEM` become `/product/SHOP/ITEM`
//!   (a listing).
//! * Shops `/shop/SHOP` and `/USERNAME` (an account).
//! * Shopee pages (`/search`, `/cart`…) are kept without their query. The `shp.ee` and
//!   `*.shp.ee` short links are generic short links.

use super::generic::{QueryPolicy, fallback};
use super::{Parts, Shaped, TargetKind, is_digits, is_name, is_reserved};

const SHOPEE_TLDS: &[&str] = &[
    "cl", "co.id", "co.th", "com.ar", "com.br", "com.co", "com.mx", "com.my", "ph", "sg", "tw",
    "vn",
];

pub(super) fn is_shopee_host(host: &str) -> bool {
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

pub(super) fn shape(parts: &Parts) -> Shaped {
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

#[cfg(test)]
mod tests {
    use crate::canonical_url::TargetKind::{Account, Listing, Other};
    use crate::canonical_url::testing::{check, parsed};

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
}
