//! `GET /evidence/{file}/{variant}?account=…&expires=…&signature=…`: an evidence file through
//! the short-lived signed link `EvidenceFile.downloadUrl` gave. The service checks the link,
//! applies the read rule again and records the read; this answers with the bytes as an
//! attachment that a browser will neither render nor sniff, under a policy that lets nothing run.

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web};

use crate::service::Services;
use crate::service::evidence::{self, DownloadRefusal, DownloadRequest};

/// Nothing in a downloaded file may run, load or frame anything as this origin.
const FILE_POLICY: &str = "default-src 'none'; sandbox; frame-ancestors 'none'";

#[derive(Debug, serde::Deserialize)]
pub struct LinkQuery {
    account: i64,
    expires: i64,
    signature: String,
}

pub async fn download(
    services: web::Data<Services>,
    path: web::Path<(String, String)>,
    request: HttpRequest,
) -> HttpResponse {
    let (file, variant) = path.into_inner();
    let query = web::Query::<LinkQuery>::from_query(request.query_string()).ok();
    let (Ok(file_id), Some(query)) = (file.parse::<i64>(), query) else {
        return refused(DownloadRefusal::Invalid);
    };
    let query = query.into_inner();
    let outcome = evidence::download(
        &services,
        DownloadRequest {
            file_id,
            variant,
            account: query.account,
            expires: query.expires,
            signature: query.signature,
        },
    )
    .await;
    match outcome {
        Err(refusal) => refused(refusal),
        Ok(Err(error)) => {
            tracing::warn!(?error, "evidence download failed");
            let status = if matches!(error, crate::error::ServiceError::Unavailable { .. }) {
                actix_web::http::StatusCode::SERVICE_UNAVAILABLE
            } else {
                actix_web::http::StatusCode::INTERNAL_SERVER_ERROR
            };
            private(HttpResponse::build(status))
                .content_type("text/plain; charset=utf-8")
                .body("evidence file unavailable")
        }
        Ok(Ok(download)) => {
            let name = format!(
                "evidence-{}-{}.{}",
                download.file_id,
                download.variant.as_str(),
                download.media_type.extension()
            );
            private(HttpResponse::Ok())
                .content_type(download.media_type.as_str())
                .insert_header((
                    header::CONTENT_DISPOSITION,
                    format!("attachment; filename=\"{name}\""),
                ))
                .insert_header(("Content-Security-Policy", FILE_POLICY))
                .insert_header(("X-Content-Type-Options", "nosniff"))
                .body(download.bytes)
        }
    }
}

fn private(mut builder: actix_web::HttpResponseBuilder) -> actix_web::HttpResponseBuilder {
    builder.insert_header((header::CACHE_CONTROL, "private, no-store"));
    builder
}

/// 403 for a link that is not (or no longer) valid, 404 for a file this reader may not have.
fn refused(refusal: DownloadRefusal) -> HttpResponse {
    let mut builder = match refusal {
        DownloadRefusal::Invalid => HttpResponse::Forbidden(),
        DownloadRefusal::NotFound => HttpResponse::NotFound(),
    };
    private(builder.content_type("text/plain; charset=utf-8").take()).body(match refusal {
        DownloadRefusal::Invalid => "this download link is invalid or has expired",
        DownloadRefusal::NotFound => "not found",
    })
}
