//! `GET /evidence/{file}/{variant}?by=…&expires=…&signature=…`: an evidence file through the
//! short-lived signed link `EvidenceFile.downloadLink` gave, for the caller it was made for only:
//! the request carries that caller's token (`Authorization: Bearer …`, an account's or an API
//! client's), read exactly as `/graphql` reads it. The service checks the link, applies the read
//! rule again and records the read; this answers with the bytes as an attachment that a browser
//! will neither render nor sniff, under a policy that lets nothing run.

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web};

use laporlapak_service::evidence::{self, DownloadRefusal, DownloadRequest};
use laporlapak_service::viewer::Viewer;
use laporlapak_service::{Services, account};

/// Nothing in a downloaded file may run, load or frame anything as this origin.
const FILE_POLICY: &str = "default-src 'none'; sandbox; frame-ancestors 'none'";

#[derive(Debug, serde::Deserialize)]
pub struct LinkQuery {
    by: String,
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
    let viewer = match crate::web::client::bearer_token(request.headers()) {
        Some(token) => match account::viewer_from_token(&services, token).await {
            Ok(viewer) => viewer,
            Err(_) => return refused(DownloadRefusal::Invalid),
        },
        None => Viewer::Anonymous,
    };
    let outcome = evidence::download(
        &services,
        &viewer,
        DownloadRequest {
            file_id,
            variant,
            by: query.by,
            expires: query.expires,
            signature: query.signature,
        },
    )
    .await;
    match outcome {
        Err(refusal) => refused(refusal),
        Ok(Err(error)) => {
            tracing::warn!(?error, "evidence download failed");
            let status = if matches!(
                error,
                laporlapak_service::error::ServiceError::Unavailable { .. }
            ) {
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
                .no_chunking(download.len)
                .streaming(download.body)
        }
    }
}

fn private(mut builder: actix_web::HttpResponseBuilder) -> actix_web::HttpResponseBuilder {
    builder.insert_header((header::CACHE_CONTROL, "private, no-store"));
    builder
}

/// 403 for a link that is not (or no longer) valid or was made for another caller (or came
/// without its caller's token), 404 for a file this reader may not have, 410 for a file whose
/// bytes are gone (erased, or past retention).
fn refused(refusal: DownloadRefusal) -> HttpResponse {
    let mut builder = match refusal {
        DownloadRefusal::Invalid => HttpResponse::Forbidden(),
        DownloadRefusal::NotFound => HttpResponse::NotFound(),
        DownloadRefusal::Gone => HttpResponse::Gone(),
    };
    private(builder.content_type("text/plain; charset=utf-8").take()).body(match refusal {
        DownloadRefusal::Invalid => "this download link is invalid or has expired",
        DownloadRefusal::NotFound => "not found",
        DownloadRefusal::Gone => "this evidence file has been erased",
    })
}
