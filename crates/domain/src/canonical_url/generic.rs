//! Sites without rules of their own, and the fallback of every platform's rules.
//!
//! * Any other site (Lazada, Bukalapak, a seller's own shop…): the path is kept, decoded and
//!   re-encoded consistently; the query is kept in sorted order minus tracking parameters
//!   (`utm_*`, `fbclid`, `gclid`, `spm`…); the port is kept unless it is 443. Always
//!   [`TargetKind::Other`].
//! * Short links (`vt.tiktok.com/…`, `shp.ee/…`, `tokopedia.link/…`, `fb.me/…`): the code is
//!   opaque and case-sensitive, so the path stays and the query goes.

use super::{Parts, Shaped, TargetKind, push_path_segment, serialise_query};

/// How [`fallback`] treats the query string.
#[derive(Clone, Copy)]
pub(super) enum QueryPolicy {
    /// The platform never puts identifying data in the query of such URLs.
    Drop,
    /// Keep everything except tracking parameters, the generic ones plus these
    /// platform-specific ones (lower-case).
    Filter(&'static [&'static str]),
}

/// Keeps the path (decoded and re-encoded consistently) and applies `query`.
pub(super) fn fallback(host: &str, port: Option<u16>, parts: &Parts, query: QueryPolicy) -> Shaped {
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
pub(super) fn short_link(parts: &Parts) -> Shaped {
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

#[cfg(test)]
mod tests {
    use crate::canonical_url::TargetKind::Other;
    use crate::canonical_url::testing::check;

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
}
