//! Security headers on every response. The defaults suit an API whose answers are JSON and plain
//! text: nothing may be loaded, framed or sniffed, and no referrer leaves. A page that needs more
//! (the transparency page's inline stylesheet and SVG) sets its own policy, which the defaults do
//! not overwrite.

use actix_web::middleware::DefaultHeaders;

/// For JSON, CSV and text: a document that loads nothing and may not be framed.
const API_POLICY: &str =
    "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/// For the transparency page: its own inline stylesheet and inline SVG, no script at all, no other
/// host, never inside a frame.
pub const PAGE_POLICY: &str = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; \
     frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

pub fn security_headers() -> DefaultHeaders {
    DefaultHeaders::new()
        .add(("Content-Security-Policy", API_POLICY))
        .add(("X-Content-Type-Options", "nosniff"))
        .add(("Referrer-Policy", "no-referrer"))
        .add(("X-Frame-Options", "DENY"))
        .add(("Cross-Origin-Resource-Policy", "same-origin"))
}
