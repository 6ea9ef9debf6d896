//! `POST /graphql` as `multipart/form-data`: the GraphQL multipart request specification
//! (`operations`, then `map`, then the files), which every GraphQL client library speaks for the
//! `Upload` scalar.
//!
//! * A cross-site form can send multipart bodies without asking, so a multipart request must carry
//!   `GraphQL-Preflight` or `Apollo-Require-Preflight` (any non-empty value), a header only a script can set, and only after a
//!   CORS preflight that only the configured origins pass (the specification's CSRF guidance).
//! * The caps apply to the stream as it arrives: a declared `Content-Length` over the whole-body cap
//!   is refused with 413 before a byte of the body is read; a file past the per-file cap, or a body
//!   past the whole-body cap, is refused with 413 the moment the excess arrives, and the rest is
//!   never read. Nothing is held whole in memory: each file streams into a staged file under the
//!   data directory, hashed (SHA-256) as it goes; its first bytes decide its type.

use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderMap};
use actix_web::{HttpResponse, web};
use bytes::Bytes;
use futures_util::StreamExt as _;
use sha2::{Digest as _, Sha256};

use laporlapak_domain::evidence::{MediaType, SNIFF_BYTES};
use laporlapak_domain::i18n::{Lang, Msg};
use laporlapak_service::Services;
use laporlapak_service::error::ServiceError;
use laporlapak_service::evidence::{StagedFile, StagedUploads};

use super::{MAX_BODY_BYTES, ResponseFormat, error_response, malformed, parse_request};

/// The header a multipart request must carry: either name (Apollo's clients send the second).
pub const PREFLIGHT_HEADERS: [&str; 2] = ["graphql-preflight", "apollo-require-preflight"];

/// Bytes gathered before a write to the staged file.
const WRITE_CHUNK: usize = 256 * 1024;

/// Room for part headers and boundaries, per part.
const PART_OVERHEAD: u64 = 4 * 1024;

/// Whether the request's body is `multipart/form-data`.
pub fn is_multipart(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|media| media.trim().eq_ignore_ascii_case("multipart/form-data"))
}

/// The largest multipart body accepted: every file at the per-file cap, plus `operations` and
/// `map` at the JSON cap each.
pub fn max_body_bytes(services: &Services) -> u64 {
    let settings = &services.evidence.settings;
    let files = u64::try_from(settings.max_files_per_request).unwrap_or(u64::MAX);
    let json = u64::try_from(MAX_BODY_BYTES).unwrap_or(u64::MAX);
    files
        .saturating_mul(settings.max_file_bytes.saturating_add(PART_OVERHEAD))
        .saturating_add(2 * (json + PART_OVERHEAD))
}

/// Reads a multipart request into the GraphQL request it carries and its staged uploads, or the
/// response that refuses it.
pub async fn receive(
    services: &Services,
    headers: &HeaderMap,
    payload: web::Payload,
    format: ResponseFormat,
    lang: Lang,
) -> Result<(async_graphql::Request, StagedUploads), HttpResponse> {
    let preflight = PREFLIGHT_HEADERS.iter().any(|name| {
        headers
            .get(*name)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| !v.trim().is_empty())
    });
    if !preflight {
        // As for any other body a cross-site form can send: this content type is not accepted
        // (without the header).
        return Err(error_response(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            format,
            &ServiceError::bad_input("GraphQL-Preflight", Msg::PreflightHeaderMissing),
            lang,
        ));
    }
    let max_file = services.evidence.settings.max_file_bytes;
    let max_body = max_body_bytes(services);
    let too_large = |field: &'static str, reason: Msg| {
        error_response(
            StatusCode::PAYLOAD_TOO_LARGE,
            format,
            &ServiceError::bad_input(field, reason),
            lang,
        )
    };
    let body_too_large = || {
        too_large(
            "body",
            Msg::BodyTooLarge {
                max_bytes: usize::try_from(max_body).unwrap_or(usize::MAX),
            },
        )
    };
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok());
    if declared.is_some_and(|length| length > max_body) {
        return Err(body_too_large());
    }
    let boundary = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| multer::parse_boundary(v).ok())
        .ok_or_else(|| malformed("body", format, lang))?;

    let json = u64::try_from(MAX_BODY_BYTES).unwrap_or(u64::MAX);
    let constraints = multer::Constraints::new().size_limit(
        multer::SizeLimit::new()
            .whole_stream(max_body)
            .per_field(max_file)
            .for_field("operations", json)
            .for_field("map", json),
    );
    let mut multipart = multer::Multipart::with_constraints(pump(payload), boundary, constraints);
    let refuse = |error: multer::Error| match error {
        multer::Error::FieldSizeExceeded { field_name, .. }
            if field_name.as_deref() == Some("operations")
                || field_name.as_deref() == Some("map") =>
        {
            too_large(
                "body",
                Msg::BodyTooLarge {
                    max_bytes: MAX_BODY_BYTES,
                },
            )
        }
        multer::Error::FieldSizeExceeded { .. } => too_large(
            "file",
            Msg::FileTooLarge {
                max_bytes: max_file,
            },
        ),
        multer::Error::StreamSizeExceeded { .. } => body_too_large(),
        _ => malformed("body", format, lang),
    };

    // `operations` first, then `map`, as the specification orders them.
    let mut parts = Vec::with_capacity(2);
    for expected in ["operations", "map"] {
        let field = multipart
            .next_field()
            .await
            .map_err(refuse)?
            .ok_or_else(|| malformed(expected, format, lang))?;
        if field.name() != Some(expected) {
            return Err(malformed(expected, format, lang));
        }
        parts.push(field.text().await.map_err(refuse)?);
    }
    let map = parts.pop();
    let operations = parts.pop();
    let operations = operations.unwrap_or_default();
    let map: std::collections::BTreeMap<String, Vec<String>> = map
        .as_deref()
        .and_then(|text| serde_json::from_str(text).ok())
        .ok_or_else(|| malformed("map", format, lang))?;
    let mut request = serde_json::from_str(&operations)
        .ok()
        .and_then(parse_request)
        .ok_or_else(|| malformed("operations", format, lang))?;
    let max_files = services.evidence.settings.max_files_per_request;
    if map.len() > max_files {
        return Err(error_response(
            StatusCode::BAD_REQUEST,
            format,
            &ServiceError::bad_input("map", Msg::TooMany { max: max_files }),
            lang,
        ));
    }

    let mut received: Vec<(String, StagedFile)> = Vec::new();
    while let Some(mut field) = multipart.next_field().await.map_err(refuse)? {
        let Some(key) = field
            .name()
            .map(str::to_owned)
            .filter(|k| map.contains_key(k))
        else {
            // A part the map does not name: read past it (it counts towards the caps).
            while field.chunk().await.map_err(refuse)?.is_some() {}
            continue;
        };
        if received.iter().any(|(k, _)| *k == key) {
            return Err(malformed("map", format, lang));
        }
        let name = field.file_name().unwrap_or("file").to_owned();
        let failed = |error: std::io::Error| staging_failed(services, &error, format, lang);
        let staged = services.evidence.store.stage().map_err(failed)?;
        let mut writer = StagedWriter::new(staged);
        while let Some(chunk) = field.chunk().await.map_err(refuse)? {
            writer.push(chunk).await.map_err(failed)?;
        }
        let staged = writer.finish(name).await.map_err(failed)?;
        received.push((key, staged));
    }

    // Each path the map names becomes an `Upload` in the variables; a file named twice is handed
    // to the first argument only.
    let mut staged = Vec::new();
    for (key, paths) in &map {
        let mut file = received
            .iter()
            .position(|(k, _)| k == key)
            .map(|index| received.remove(index).1);
        for path in paths {
            let upload = async_graphql::UploadValue {
                filename: file.as_ref().map_or_else(String::new, |f| f.name.clone()),
                content_type: None,
                content: Bytes::new(),
            };
            let before = request.uploads.len();
            request.set_upload(path, upload);
            if request.uploads.len() > before {
                staged.push(file.take());
            }
        }
    }
    Ok((request, StagedUploads::from_slots(staged)))
}

/// The answer when an upload cannot be staged: 503 UNAVAILABLE (with `Retry-After`) when the disk
/// is full — the store remembers it, so `/readyz` reports it too —, else 500 INTERNAL.
fn staging_failed(
    services: &Services,
    error: &std::io::Error,
    format: ResponseFormat,
    lang: Lang,
) -> HttpResponse {
    if services.evidence.store.observe_failure(error) {
        return error_response(
            StatusCode::SERVICE_UNAVAILABLE,
            format,
            &ServiceError::Unavailable {
                retry_after: laporlapak_service::error::UNAVAILABLE_RETRY_AFTER_SECONDS,
            },
            lang,
        );
    }
    tracing::error!(%error, "cannot stage an upload");
    error_response(
        StatusCode::INTERNAL_SERVER_ERROR,
        format,
        &ServiceError::invariant("uploads can be staged"),
        lang,
    )
}

/// The body as a `Send` stream: a local task reads actix's payload and hands the chunks over a
/// small channel, so reading stops when the parser stops asking (and ends when it is dropped).
fn pump(
    mut payload: web::Payload,
) -> impl futures_util::Stream<Item = Result<Bytes, actix_web::error::PayloadError>> + Send {
    let (sender, receiver) = tokio::sync::mpsc::channel(2);
    actix_web::rt::spawn(async move {
        while let Some(chunk) = payload.next().await {
            if sender.send(chunk).await.is_err() {
                break;
            }
        }
    });
    futures_util::stream::unfold(receiver, |mut receiver| async move {
        receiver.recv().await.map(|item| (item, receiver))
    })
}

/// Writes an upload to its staged file in blocking-pool steps, hashing it and keeping its first
/// bytes for type detection.
struct StagedWriter {
    file: Option<tempfile::NamedTempFile>,
    pending: Vec<u8>,
    hasher: Sha256,
    head: Vec<u8>,
    size: u64,
}

impl StagedWriter {
    fn new(file: tempfile::NamedTempFile) -> Self {
        Self {
            file: Some(file),
            pending: Vec::with_capacity(WRITE_CHUNK),
            hasher: Sha256::new(),
            head: Vec::with_capacity(SNIFF_BYTES),
            size: 0,
        }
    }

    async fn push(&mut self, chunk: Bytes) -> std::io::Result<()> {
        self.hasher.update(&chunk);
        self.size += u64::try_from(chunk.len()).unwrap_or(u64::MAX);
        if self.head.len() < SNIFF_BYTES {
            let take = (SNIFF_BYTES - self.head.len()).min(chunk.len());
            self.head.extend_from_slice(&chunk[..take]);
        }
        self.pending.extend_from_slice(&chunk);
        if self.pending.len() >= WRITE_CHUNK {
            self.flush().await?;
        }
        Ok(())
    }

    async fn flush(&mut self) -> std::io::Result<()> {
        use std::io::Write as _;
        let Some(mut file) = self.file.take() else {
            return Err(std::io::Error::other("staged file gone"));
        };
        let pending = std::mem::replace(&mut self.pending, Vec::with_capacity(WRITE_CHUNK));
        let file = tokio::task::spawn_blocking(move || {
            file.write_all(&pending)?;
            Ok::<_, std::io::Error>(file)
        })
        .await
        .map_err(std::io::Error::other)??;
        self.file = Some(file);
        Ok(())
    }

    async fn finish(mut self, name: String) -> std::io::Result<StagedFile> {
        self.flush().await?;
        let file = self
            .file
            .take()
            .ok_or_else(|| std::io::Error::other("staged file gone"))?;
        Ok(StagedFile {
            name,
            file,
            sha256: laporlapak_domain::hex(&self.hasher.finalize()),
            size: self.size,
            media_type: MediaType::detect(&self.head),
        })
    }
}
