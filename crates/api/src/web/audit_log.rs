//! `GET /transparency/audit-log`: the audit log's signing key and its newest signed day heads
//! (docs/audit-log.md), linked from the transparency page. Plain HTML, no script.

use actix_web::{HttpRequest, HttpResponse, web};
use maud::{DOCTYPE, html};

use laporlapak_service::Services;
use laporlapak_service::audit_log;

/// Days shown.
const DAYS: i64 = 30;

pub async fn page(services: web::Data<Services>, request: HttpRequest) -> HttpResponse {
    let english = request.query_string().contains("lang=en");
    let heads = match audit_log::heads(&services, DAYS).await {
        Ok(heads) => heads,
        Err(error) => {
            tracing::warn!(?error, "reading the audit log's heads failed");
            return HttpResponse::ServiceUnavailable().finish();
        }
    };
    let keys = audit_log::public_keys(&services);
    let t = |id: &'static str, en: &'static str| if english { en } else { id };
    let page = html! {
        (DOCTYPE)
        html lang=(if english { "en" } else { "id" }) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (t("Log audit yang dapat diverifikasi", "A verifiable audit log")) " – laporlapak" }
                style { "body{font-family:system-ui,sans-serif;margin:1rem;max-width:60rem}code{word-break:break-all}td,th{padding:.25rem .5rem;text-align:left;vertical-align:top}" }
            }
            body {
                h1 { (t("Log audit yang dapat diverifikasi", "A verifiable audit log")) }
                p { (t(
                    "Setiap peristiwa dicatat dalam rantai hash; kepala setiap hari ditandatangani dengan Ed25519. Simpan kunci publik dan kepala ini untuk memeriksa log nanti.",
                    "Every event is sealed into a hash chain; each day's head is signed with Ed25519. Keep the public key and these heads to check the log later."
                )) }
                h2 { (t("Kunci penandatangan", "Signing key")) }
                @for (id, key) in keys.iter().take(1) {
                    p { "Ed25519 · " code { (id) } " · " code { (key) } }
                }
                h2 { (t("Kepala harian yang ditandatangani", "Signed day heads")) }
                table {
                    thead { tr {
                        th { (t("Hari", "Day")) }
                        th { (t("Posisi", "Positions")) }
                        th { (t("Akar pohon", "Tree root")) }
                        th { (t("Hash rantai", "Chain hash")) }
                        th { (t("Tanda tangan", "Signature")) }
                    } }
                    tbody {
                        @for head in &heads {
                            tr {
                                td { (head.day) }
                                td { (head.first_position) "–" (head.first_position + head.tree_size - 1) }
                                td { code { (head.tree_root) } }
                                td { code { (head.chain_hash) } }
                                td { code { (head.signature) } }
                            }
                        }
                    }
                }
                p { "GraphQL: " code { "auditHeads" } ", " code { "auditSigningKeys" } ", " code { "auditProof" } "." }
            }
        }
    };
    HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .insert_header(("Content-Security-Policy", crate::web::headers::PAGE_POLICY))
        .body(page.into_string())
}
