//! Evidence files in the API: the `EvidenceFile` type, its variants, and the `Upload` arguments of
//! `submitComplaint`, `addEvidence` and the information-request replies (sent as a GraphQL
//! multipart request; see `http::multipart`).

use crate::graphql::datetime::DateTime;
use async_graphql::{Context, Description, Enum, ID, Object, SimpleObject, Upload};

use crate::graphql::ContextExt as _;
use laporlapak_domain::i18n::Msg;
use laporlapak_service::error::ServiceError;
use laporlapak_service::evidence::{
    self as service, EvidenceFileView, IncomingFile, StagedUploads,
};

/// Which bytes of an evidence file.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "laporlapak_domain::evidence::Variant")]
pub enum EvidenceVariant {
    /// The bytes exactly as uploaded, whose SHA-256 was recorded at intake. Reviewers, admins and
    /// the file's own reporter only.
    Original,
    /// An image (JPEG, PNG, WebP) with its EXIF, XMP and IPTC metadata removed (GPS position,
    /// device, owner): what platforms receive. Other types have none.
    Redacted,
}

/// The SHA-256 and size of one variant of a file.
#[derive(SimpleObject)]
pub struct EvidenceDigest {
    /// Lowercase hex SHA-256 of the variant's bytes: `sha256sum` of the downloaded file prints the
    /// same.
    pub sha256: String,
    /// Size in bytes.
    pub size: i64,
}

/// A file uploaded as evidence (a screenshot, a photo, a PDF, a video), with its chain of custody:
/// the SHA-256 recorded at intake and the time. Reviewers and admins see both variants; a platform
/// sees only images, and only their redacted variant, through cases forwarded to it; the public
/// never sees any. Every download is recorded in the audit trail.
#[derive(Description)]
pub struct EvidenceFile(pub EvidenceFileView);

#[Object(use_type_description)]
impl EvidenceFile {
    /// The upload's global ID (a `Node`; until 2026-12-07 its number, which `legacyId` gives).
    pub async fn id(&self) -> ID {
        crate::graphql::id::encode(crate::graphql::id::NodeType::EvidenceFile, self.0.id)
    }
    /// The upload's number, which `id` was until 2026-12-07.
    #[graphql(deprecation = "Use `id`, the global ID. Removal after 2027-03-31.")]
    async fn legacy_id(&self) -> ID {
        ID(self.0.id.to_string())
    }
    /// The file name the uploader's client gave (at most 255 characters); null for platforms.
    async fn name(&self) -> Option<&str> {
        self.0.name.as_deref()
    }
    /// The type, decided from the file's bytes: `image/jpeg`, `image/png`, `image/webp`,
    /// `image/heic`, `application/pdf` or `video/mp4`.
    async fn media_type(&self) -> &str {
        self.0.media_type.as_str()
    }
    /// When it was uploaded.
    async fn uploaded_at(&self) -> DateTime {
        self.0.uploaded_at.into()
    }
    /// The original bytes' digest, recorded at intake; null for platforms.
    async fn original(&self) -> Option<EvidenceDigest> {
        self.0.original.as_ref().map(|v| EvidenceDigest {
            sha256: v.sha256.clone(),
            size: v.size,
        })
    }
    /// The redacted variant's digest; null for types without one (HEIC, PDF, MP4).
    async fn redacted(&self) -> Option<EvidenceDigest> {
        self.0.redacted.as_ref().map(|v| EvidenceDigest {
            sha256: v.sha256.clone(),
            size: v.size,
        })
    }
    /// How many complaints of the case carried this same file (same SHA-256).
    async fn report_count(&self) -> i64 {
        self.0.report_count
    }
    /// The same link as `downloadLink`, but an error where that is null: UNAUTHENTICATED without
    /// a token, FORBIDDEN for a variant the caller may not have — except in a mutation's answer,
    /// where it is an empty string instead, so that the answer of a write that was made (an
    /// anonymous `submitComplaint`, with its tracking code) never fails for it.
    #[graphql(
        deprecation = "Use `downloadLink`, which is null (not an error) when the caller may not have a link. Removal after 2027-03-31."
    )]
    async fn download_url(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Which variant; REDACTED when omitted.")] variant: Option<EvidenceVariant>,
    ) -> async_graphql::Result<String> {
        let variant = variant.map_or(laporlapak_domain::evidence::Variant::Redacted, Into::into);
        match service::download_link(ctx.services()?, ctx.viewer(), &self.0, variant) {
            Ok(link) => Ok(link),
            Err(ServiceError::Unauthenticated | ServiceError::Forbidden) if in_mutation(ctx) => {
                Ok(String::new())
            }
            Err(error) => Err(error.into()),
        }
    }
    /// A link (a path on this server) to download the variant, valid for a few minutes (300
    /// seconds by default) and only for the caller that asked: the download must carry the same
    /// token (`Authorization: Bearer …`, an account's or an API client's), so a link that leaks
    /// is useless to anyone else. The file comes as an attachment; each download is recorded in
    /// the audit trail. Null when the caller may not have one: without a token (an anonymous
    /// reporter), for a variant the caller may not have (platforms: ORIGINAL), or one the file
    /// does not have.
    async fn download_link(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Which variant; REDACTED when omitted.")] variant: Option<EvidenceVariant>,
    ) -> async_graphql::Result<Option<String>> {
        let variant = variant.map_or(laporlapak_domain::evidence::Variant::Redacted, Into::into);
        match service::download_link(ctx.services()?, ctx.viewer(), &self.0, variant) {
            Ok(link) => Ok(Some(link)),
            Err(ServiceError::Unauthenticated | ServiceError::Forbidden) => Ok(None),
            Err(error) => Err(error.into()),
        }
    }
}

/// Whether the field is resolved in a mutation's answer (after its write).
fn in_mutation(ctx: &Context<'_>) -> bool {
    ctx.query_env.operation.node.ty == async_graphql::parser::types::OperationType::Mutation
}

/// The staged files an argument names, taken from the request (each file once).
pub fn incoming(
    ctx: &Context<'_>,
    uploads: Option<Vec<Upload>>,
    field: &str,
) -> async_graphql::Result<Vec<IncomingFile>> {
    let uploads = uploads.unwrap_or_default();
    if uploads.is_empty() {
        return Ok(Vec::new());
    }
    let staged = ctx.data_opt::<StagedUploads>();
    uploads
        .iter()
        .enumerate()
        .map(|(index, upload)| {
            let field = format!("{field}[{index}]");
            let file = staged
                .and_then(|staged| staged.take(upload.0))
                .ok_or_else(|| ServiceError::bad_input(field.clone(), Msg::UploadMissing))?;
            Ok(IncomingFile {
                field,
                staged: file,
            })
        })
        .collect()
}
