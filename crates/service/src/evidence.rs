//! Evidence files: intake (type check, redaction, storage, then the rows in the caller's
//! transaction), who may read which variant (one rule, [`allows`]), short-lived signed download
//! links, the download itself (an audit event each time), `verify-evidence`, and deleting a
//! complaint's files.
//!
//! Order of intake, so that a crash at any moment leaves no row pointing at a missing or partial
//! file: the upload is received into a staged file (hashed as it streams, size-capped by the HTTP
//! layer); here its type is checked, an image's redacted variant made, and both variants stored
//! durably under their hashes; only then does the caller's transaction write the rows.

use std::sync::{Arc, Mutex};
use subtle::ConstantTimeEq as _;

use bytes::Bytes;
use chrono::NaiveDateTime;
use futures_util::stream::{BoxStream, StreamExt as _};
use hmac::{Hmac, Mac as _};
use sha2::{Digest as _, Sha256};

use crate::Services;
use crate::audit::{self, Actor, NewEvent, Subject};
use crate::error::{InternalError, ServiceError, ServiceResult};
use crate::settings::EvidenceSettings;
use crate::storage::{BlobStore, StorageError};
use crate::viewer::Viewer;
use laporlapak_db::DbConnection;
use laporlapak_db::models::complaint::Complaint;
use laporlapak_db::models::evidence::{
    ComplaintFile, ComplaintFileInsertForm, EvidenceBlob, EvidenceBlobInsertForm,
};
use laporlapak_db::models::takedown_request::TakedownRequest;
use laporlapak_db::vault::{Field, Vault};
use laporlapak_domain::AuditAction;
use laporlapak_domain::evidence::{self, MediaType, Variant};
use laporlapak_domain::i18n::Msg;

/// Longest file name kept (characters).
const MAX_NAME_CHARS: usize = 255;

/// The evidence settings, the store, and the key that signs download links.
pub struct Evidence {
    pub settings: EvidenceSettings,
    pub store: BlobStore,
    url_key: [u8; 32],
}

impl std::fmt::Debug for Evidence {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Evidence")
            .field("store", &self.store.describe())
            .finish_non_exhaustive()
    }
}

impl Evidence {
    /// `secret` is the server's JWT secret: the link key is derived from it, so every replica
    /// signs and checks links alike.
    pub fn new(settings: EvidenceSettings, store: BlobStore, secret: &[u8]) -> Self {
        let mut mac =
            Hmac::<Sha256>::new_from_slice(secret).unwrap_or_else(|_| unreachable_hmac_key());
        mac.update(b"laporlapak evidence download links v1");
        let url_key = mac.finalize().into_bytes().into();
        Self {
            settings,
            store,
            url_key,
        }
    }

    fn sign(&self, text: &str) -> String {
        let mut mac = Hmac::<Sha256>::new_from_slice(&self.url_key)
            .unwrap_or_else(|_| unreachable_hmac_key());
        mac.update(text.as_bytes());
        laporlapak_domain::hex(&mac.finalize().into_bytes())
    }
}

/// HMAC accepts keys of any length.
fn unreachable_hmac_key() -> Hmac<Sha256> {
    unreachable!("HMAC-SHA256 takes a key of any length")
}

/// A store that cannot write for lack of space is UNAVAILABLE (503, retry later: the operator must
/// make room, and `/readyz` says so meanwhile); any other failure is INTERNAL.
impl From<StorageError> for ServiceError {
    fn from(error: StorageError) -> Self {
        if error.is_out_of_space() {
            tracing::error!(%error, "evidence store out of space");
            return ServiceError::Unavailable {
                retry_after: crate::error::UNAVAILABLE_RETRY_AFTER_SECONDS,
            };
        }
        tracing::error!(%error, "evidence store");
        ServiceError::Internal(InternalError::Invariant("the evidence store answers"))
    }
}

/// An upload as the HTTP layer received it: staged on disk, hashed and measured as it streamed.
#[derive(Debug)]
pub struct StagedFile {
    /// The name the client gave.
    pub name: String,
    pub file: tempfile::NamedTempFile,
    /// Hex SHA-256 of the bytes received.
    pub sha256: String,
    pub size: u64,
    /// From the first bytes; `None` when no accepted signature matched.
    pub media_type: Option<MediaType>,
}

/// The uploads of one request, each taken once by the argument that names it.
#[derive(Debug, Default)]
pub struct StagedUploads(Mutex<Vec<Option<StagedFile>>>);

impl StagedUploads {
    /// One slot per `Upload` of the request, in the order of its indices; `None` for an upload
    /// whose file is missing or was handed to an earlier argument.
    pub fn from_slots(files: Vec<Option<StagedFile>>) -> Self {
        Self(Mutex::new(files))
    }

    /// The upload at `index`; `None` when there is none or it was taken already.
    pub fn take(&self, index: usize) -> Option<StagedFile> {
        self.0
            .lock()
            .ok()
            .and_then(|mut files| files.get_mut(index).and_then(Option::take))
    }
}

/// An upload named by an argument: the field to blame when it is refused.
#[derive(Debug)]
pub struct IncomingFile {
    pub field: String,
    pub staged: StagedFile,
}

/// An upload after its checks, with both variants stored: ready to be recorded.
#[derive(Debug, Clone)]
pub(crate) struct StoredFile {
    /// The client's file name, sealed: a name such as `KTP_Siti_Rahayu.jpg` identifies a person.
    name: laporlapak_db::vault::Sealed,
    sha256: String,
    size: i64,
    media_type: MediaType,
    redacted: Option<(String, i64)>,
}

/// Checks the uploads of one request (count, type), makes each image's redacted variant and
/// stores both variants. Nothing is recorded yet: the caller records the returned files in its
/// transaction with [`record`].
pub(crate) async fn store_incoming(
    services: &Services,
    field: &'static str,
    files: Vec<IncomingFile>,
) -> ServiceResult<Vec<StoredFile>> {
    let evidence = services.evidence.clone();
    let settings = &evidence.settings;
    if files.len() > settings.max_files_per_request {
        return Err(ServiceError::bad_input(
            field,
            Msg::TooMany {
                max: settings.max_files_per_request,
            },
        ));
    }
    for file in &files {
        let accepted = file
            .staged
            .media_type
            .filter(|media| settings.types.contains(media));
        if accepted.is_none() || file.staged.size == 0 {
            return Err(ServiceError::bad_input(
                file.field.clone(),
                Msg::EvidenceTypeRefused {
                    name: display_name(&file.staged.name),
                },
            ));
        }
    }
    let mut stored = Vec::with_capacity(files.len());
    for IncomingFile { field, staged } in files {
        let media_type = staged
            .media_type
            .ok_or(ServiceError::invariant("an accepted upload has a type"))?;
        let name = display_name(&staged.name);
        let redacted = if media_type.has_redacted_variant() {
            let path = staged.file.path().to_owned();
            let made = tokio::task::spawn_blocking(move || {
                let original = Bytes::from(std::fs::read(path)?);
                Ok::<_, std::io::Error>(evidence::redact(media_type, original))
            })
            .await
            .map_err(InternalError::from)?
            .map_err(StorageError::from)?;
            match made {
                Ok(Some(bytes)) => Some(bytes),
                Ok(None) => None,
                Err(_) => {
                    return Err(ServiceError::bad_input(
                        field,
                        Msg::EvidenceUnreadable { name },
                    ));
                }
            }
        } else {
            None
        };
        let size = i64::try_from(staged.size).unwrap_or(i64::MAX);
        evidence
            .store
            .put_staged(&staged.sha256, staged.file)
            .await?;
        let redacted = match redacted {
            Some(bytes) => {
                let hash = laporlapak_domain::hex(&Sha256::digest(&bytes));
                let len = i64::try_from(bytes.len()).unwrap_or(i64::MAX);
                evidence.store.put(&hash, bytes).await?;
                Some((hash, len))
            }
            None => None,
        };
        stored.push(StoredFile {
            name: services
                .vault
                .seal(laporlapak_db::vault::Field::FileName, &name)?,
            sha256: staged.sha256,
            size,
            media_type,
            redacted,
        });
    }
    Ok(stored)
}

/// A client's file name as kept and shown: one line, at most [`MAX_NAME_CHARS`] characters.
fn display_name(name: &str) -> String {
    let cleaned: String = name
        .chars()
        .filter(|c| !c.is_control())
        .take(MAX_NAME_CHARS)
        .collect();
    if cleaned.trim().is_empty() {
        "file".to_owned()
    } else {
        cleaned
    }
}

/// Records stored uploads into a complaint, in the caller's transaction: the blob rows (once per
/// content) and one upload row each, with the uploader (`None`: anonymous) and the time. Refuses
/// more files than a complaint may hold.
pub(crate) fn record(
    conn: &mut DbConnection,
    complaint_id: i64,
    uploader: Option<i64>,
    field: &'static str,
    files: &[StoredFile],
    max_per_complaint: usize,
    now: NaiveDateTime,
) -> ServiceResult<()> {
    if files.is_empty() {
        return Ok(());
    }
    let existing = usize::try_from(ComplaintFile::count_for_complaint(conn, complaint_id)?)
        .unwrap_or(usize::MAX);
    if existing.saturating_add(files.len()) > max_per_complaint {
        return Err(ServiceError::bad_input(
            field,
            Msg::TooMany {
                max: max_per_complaint,
            },
        ));
    }
    for file in files {
        let blob = EvidenceBlob::find_or_insert(
            conn,
            &EvidenceBlobInsertForm {
                sha256: &file.sha256,
                size: file.size,
                media_type: file.media_type,
                redacted_sha256: file.redacted.as_ref().map(|(hash, _)| hash.as_str()),
                redacted_size: file.redacted.as_ref().map(|(_, size)| *size),
                created_at: now,
            },
        )?;
        ComplaintFile::insert(
            conn,
            &ComplaintFileInsertForm {
                complaint_id,
                blob_id: blob.id,
                file_name: &file.name,
                uploader_account_id: uploader,
                uploaded_at: now,
            },
        )?;
    }
    Ok(())
}

/// Who is reading a complaint's files: the rule of [`allows`] is decided from this alone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileReader {
    /// The complaint's own reporter, signed in.
    Reporter,
    /// Reviewers and admins.
    Staff,
    /// The representative of a platform the complaint's case was forwarded to.
    Platform,
}

/// The rule: who may read which variant of a file of this type. Staff and the reporter read both
/// variants; a platform (of a case forwarded to it) only the redacted one, which only images
/// have; anyone else (the public, another citizen, another platform) nothing at all.
pub fn allows(reader: FileReader, media_type: MediaType, variant: Variant) -> bool {
    match (reader, variant) {
        (FileReader::Staff | FileReader::Reporter, Variant::Original) => true,
        (_, Variant::Redacted) => media_type.has_redacted_variant(),
        (FileReader::Platform, Variant::Original) => false,
    }
}

/// Who `viewer` is to this complaint's files; `None` when they may read none of them.
fn reader_of(
    conn: &mut DbConnection,
    viewer: &Viewer,
    complaint: &Complaint,
) -> ServiceResult<Option<FileReader>> {
    if viewer.staff().is_some() {
        return Ok(Some(FileReader::Staff));
    }
    if let Ok(citizen) = viewer.citizen() {
        return Ok(
            (complaint.reporter_account_id == Some(citizen.account_id()))
                .then_some(FileReader::Reporter),
        );
    }
    if let Ok(rep) = viewer.platform_rep() {
        return Ok(TakedownRequest::exists_for_platform(
            conn,
            complaint.case_id,
            rep.platform_id(),
        )?
        .then_some(FileReader::Platform));
    }
    Ok(None)
}

/// The right to list one complaint's files, made by the complaint views for their audience.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FilesRef {
    pub(crate) complaint_id: i64,
    pub(crate) case_id: i64,
    pub(crate) reader: FileReader,
}

/// The right to list one case's files (staff, or a platform the case was forwarded to).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CaseFilesRef {
    pub(crate) case_id: i64,
    pub(crate) reader: FileReader,
}

/// One variant's digest and size.
#[derive(Debug, Clone)]
pub struct VariantInfo {
    pub sha256: String,
    pub size: i64,
}

/// An evidence file as its reader may see it.
#[derive(Debug, Clone)]
pub struct EvidenceFileView {
    /// The upload (`complaint_files.id`).
    pub id: i64,
    /// The client's file name; `None` for platforms.
    pub name: Option<String>,
    pub media_type: MediaType,
    pub uploaded_at: NaiveDateTime,
    /// `None` for platforms.
    pub original: Option<VariantInfo>,
    /// `None` for types without a redacted variant.
    pub redacted: Option<VariantInfo>,
    /// How many complaints of the case carried this same content.
    pub report_count: i64,
    reader: FileReader,
}

impl EvidenceFileView {
    fn new(
        upload: &ComplaintFile,
        name: Option<String>,
        blob: &EvidenceBlob,
        reader: FileReader,
        reports: i64,
    ) -> Self {
        let sees_original = allows(reader, blob.media_type, Variant::Original);
        Self {
            id: upload.id,
            name,
            media_type: blob.media_type,
            uploaded_at: upload.uploaded_at,
            original: sees_original.then(|| VariantInfo {
                sha256: blob.sha256.clone(),
                size: blob.size,
            }),
            redacted: blob
                .redacted_sha256
                .clone()
                .zip(blob.redacted_size)
                .map(|(sha256, size)| VariantInfo { sha256, size }),
            report_count: reports,
            reader,
        }
    }
}

/// The uploads of some complaints of one case, as `reader` sees them: for a platform, only files
/// with a redacted variant. With `distinct`, one entry per content (the first upload of it).
fn file_views(
    conn: &mut DbConnection,
    vault: &Vault,
    case_id: i64,
    uploads: Vec<ComplaintFile>,
    reader: FileReader,
    distinct: bool,
) -> ServiceResult<Vec<EvidenceFileView>> {
    if uploads.is_empty() {
        return Ok(Vec::new());
    }
    let mut blob_ids: Vec<i64> = uploads.iter().map(|u| u.blob_id).collect();
    blob_ids.sort_unstable();
    blob_ids.dedup();
    let blobs = EvidenceBlob::find_many(conn, &blob_ids)?;
    let reports = ComplaintFile::reports_in_case(conn, case_id, &blob_ids)?;
    let mut seen: Vec<i64> = Vec::new();
    let mut views = Vec::new();
    for upload in &uploads {
        if distinct && seen.contains(&upload.blob_id) {
            continue;
        }
        seen.push(upload.blob_id);
        let blob = blobs
            .iter()
            .find(|b| b.id == upload.blob_id)
            .ok_or(ServiceError::invariant("an upload has its blob"))?;
        if !allows(reader, blob.media_type, Variant::Original)
            && !allows(reader, blob.media_type, Variant::Redacted)
        {
            continue;
        }
        let count = reports
            .iter()
            .find(|(id, _)| *id == blob.id)
            .map_or(1, |(_, n)| *n);
        // The name is opened only for readers who see it (never for platforms).
        let name = match reader {
            FileReader::Platform => None,
            FileReader::Reporter | FileReader::Staff => {
                Some(vault.open(Field::FileName, &upload.file_name)?)
            }
        };
        views.push(EvidenceFileView::new(upload, name, blob, reader, count));
    }
    Ok(views)
}

/// A complaint's files, oldest first.
pub async fn complaint_files(
    services: &Services,
    files: FilesRef,
) -> ServiceResult<Vec<EvidenceFileView>> {
    let vault = services.vault.clone();
    services
        .db
        .run(move |conn| {
            let uploads = ComplaintFile::for_complaints(conn, &[files.complaint_id])?;
            file_views(conn, &vault, files.case_id, uploads, files.reader, false)
        })
        .await
}

/// A case's distinct files (one per content), each with how many of its reports carried it.
pub async fn case_files(
    services: &Services,
    files: CaseFilesRef,
) -> ServiceResult<Vec<EvidenceFileView>> {
    let vault = services.vault.clone();
    services
        .db
        .run(move |conn| {
            let uploads = ComplaintFile::for_case(conn, files.case_id)?;
            file_views(conn, &vault, files.case_id, uploads, files.reader, true)
        })
        .await
}

/// One upload by its number, for `node(id:)`, as the viewer may see it: `None` when it does not
/// exist or the viewer may not read it (the two are not told apart) — the rule of the complaint
/// views: the reporter, staff, and a platform the case was forwarded to (images only).
pub async fn find_visible(
    services: &Services,
    viewer: &Viewer,
    id: i64,
) -> ServiceResult<Option<EvidenceFileView>> {
    let vault = services.vault.clone();
    let viewer = viewer.clone();
    services
        .db
        .run(move |conn| {
            let Some(upload) = ComplaintFile::find(conn, id)? else {
                return Ok(None);
            };
            let Some(complaint) = Complaint::find(conn, upload.complaint_id)? else {
                return Ok(None);
            };
            let Some(reader) = reader_of(conn, &viewer, &complaint)? else {
                return Ok(None);
            };
            Ok(file_views(conn, &vault, complaint.case_id, vec![upload], reader, false)?.pop())
        })
        .await
}

/// A short-lived link to download `variant` of a file, for the viewer the file was shown to.
/// FORBIDDEN when the rule does not let this reader have that variant.
pub fn download_link(
    services: &Services,
    viewer: &Viewer,
    file: &EvidenceFileView,
    variant: Variant,
) -> ServiceResult<String> {
    let by = viewer
        .principal()
        .ok_or(ServiceError::Unauthenticated)?
        .as_link_text();
    if !allows(file.reader, file.media_type, variant) {
        return Err(ServiceError::Forbidden);
    }
    let expires = services.clock.now().and_utc().timestamp()
        + i64::try_from(services.evidence.settings.url_ttl.as_secs()).unwrap_or(300);
    let signed = link_text(file.id, variant, &by, expires);
    let signature = services.evidence.sign(&signed);
    Ok(format!(
        "/evidence/{}/{}?by={by}&expires={expires}&signature={signature}",
        file.id,
        variant.as_str()
    ))
}

fn link_text(file_id: i64, variant: Variant, by: &str, expires: i64) -> String {
    format!("{file_id}:{}:{by}:{expires}", variant.as_str())
}

/// A download link's parts, as the request carried them.
#[derive(Debug)]
pub struct DownloadRequest {
    pub file_id: i64,
    pub variant: String,
    /// The caller the link was made for (`Principal::as_link_text`).
    pub by: String,
    pub expires: i64,
    pub signature: String,
}

/// What a download answers.
pub struct Download {
    /// The file's length, sent as `Content-Length`.
    pub len: u64,
    /// The file's bytes, read from the store a chunk at a time and checked against the recorded
    /// hash as they pass (see [`checked_against_hash`]).
    pub body: BoxStream<'static, std::io::Result<Bytes>>,
    pub media_type: MediaType,
    pub file_id: i64,
    pub variant: Variant,
}

/// Why a download is refused (the handler answers 403, 404 or 410 without saying more).
#[derive(Debug, PartialEq, Eq)]
pub enum DownloadRefusal {
    /// Bad signature, expired link, or a caller other than the one the link was made for.
    Invalid,
    /// No such file, or not for this reader any more.
    NotFound,
    /// The file is recorded but its bytes are gone from the store (erased, or a database restored
    /// from a backup older than an erasure or a retention run): 410, never a server error.
    Gone,
}

/// Serves a signed link to the caller it was made for, whose token came with the request (a link
/// that leaks is useless to anyone else): checks signature, expiry and caller, applies the rule
/// again (a case may have changed hands since the link was made), records the read as an audit
/// event and returns the bytes, checked against the recorded hash. `viewer` is built from the
/// request's token exactly as for `/graphql` (`account::viewer_from_token`), accounts and API
/// clients alike.
pub async fn download(
    services: &Services,
    viewer: &Viewer,
    request: DownloadRequest,
) -> Result<ServiceResult<Download>, DownloadRefusal> {
    let variant = Variant::parse(&request.variant).map_err(|_| DownloadRefusal::NotFound)?;
    let signed = link_text(request.file_id, variant, &request.by, request.expires);
    let expected = services.evidence.sign(&signed);
    let signature_ok: bool = expected
        .as_bytes()
        .ct_eq(request.signature.as_bytes())
        .into();
    let same_caller = viewer
        .principal()
        .is_some_and(|principal| principal.as_link_text() == request.by);
    if !signature_ok || !same_caller || services.clock.now().and_utc().timestamp() > request.expires
    {
        return Err(DownloadRefusal::Invalid);
    }
    let viewer = viewer.clone();
    let outcome = services
        .write(move |conn, now| {
            let Some(upload) = ComplaintFile::find(conn, request.file_id)? else {
                return Ok(Err(DownloadRefusal::NotFound));
            };
            let complaint =
                Complaint::find(conn, upload.complaint_id)?.ok_or(ServiceError::NotFound)?;
            let blob = EvidenceBlob::find_many(conn, &[upload.blob_id])?
                .pop()
                .ok_or(ServiceError::invariant("an upload has its blob"))?;
            let allowed = reader_of(conn, &viewer, &complaint)?
                .is_some_and(|reader| allows(reader, blob.media_type, variant));
            if allowed && variant == Variant::Original && blob.original_erased_at.is_some() {
                // Retention dropped it (the redacted variant stays).
                return Ok(Err(DownloadRefusal::Gone));
            }
            let key = match variant {
                Variant::Original => Some(blob.sha256.clone()),
                Variant::Redacted => blob.redacted_sha256.clone(),
            };
            let Some(key) = key.filter(|_| allowed) else {
                return Ok(Err(DownloadRefusal::NotFound));
            };
            audit::record(
                conn,
                now,
                Actor::Viewer(&viewer),
                NewEvent::new(AuditAction::EvidenceRead, Subject::EvidenceFile(upload.id))
                    .in_case(complaint.case_id)
                    .details(variant.as_str()),
            )?;
            Ok(Ok((key, blob.media_type)))
        })
        .await;
    let (key, media_type) = match outcome {
        Ok(Ok(found)) => found,
        Ok(Err(refusal)) => return Err(refusal),
        Err(error) => return Ok(Err(error)),
    };
    let stored = match services.evidence.store.stream(&key).await {
        Ok(Some(stored)) => stored,
        Ok(None) => {
            tracing::warn!(
                sha256 = %key,
                "an evidence file is missing from the store (erased, or a restored database is older than the store); answered 410 Gone"
            );
            return Err(DownloadRefusal::Gone);
        }
        Err(error) => return Ok(Err(error.into())),
    };
    Ok(Ok(Download {
        len: stored.len,
        body: checked_against_hash(stored.chunks, key),
        media_type,
        file_id: request.file_id,
        variant,
    }))
}

/// Passes `chunks` through while hashing them, one chunk behind: the last chunk leaves only once
/// the whole file matched `sha256`. When it does not (the store was altered behind the database's
/// back), the stream ends with an error instead of that chunk, so the client gets a transfer
/// shorter than its `Content-Length` — a broken download, never a whole file nobody uploaded.
/// `verify-evidence` finds the same blob without anyone downloading it.
fn checked_against_hash(
    chunks: BoxStream<'static, std::io::Result<Bytes>>,
    sha256: String,
) -> BoxStream<'static, std::io::Result<Bytes>> {
    struct Checking {
        chunks: BoxStream<'static, std::io::Result<Bytes>>,
        hasher: Sha256,
        sha256: String,
        held: Option<Bytes>,
    }
    let state = Checking {
        chunks,
        hasher: Sha256::new(),
        sha256,
        held: None,
    };
    futures_util::stream::unfold(Some(state), |state| async move {
        let mut state = state?;
        loop {
            match state.chunks.next().await {
                Some(Ok(bytes)) => {
                    state.hasher.update(&bytes);
                    if let Some(previous) = state.held.replace(bytes) {
                        return Some((Ok(previous), Some(state)));
                    }
                }
                Some(Err(error)) => return Some((Err(error), None)),
                None => {
                    let Checking {
                        hasher,
                        sha256,
                        held,
                        ..
                    } = state;
                    if laporlapak_domain::hex(&hasher.finalize()) == sha256 {
                        return held.map(|last| (Ok(last), None));
                    }
                    tracing::error!(sha256 = %sha256, "a stored evidence file no longer matches its hash; the download was cut off before its last part");
                    return Some((
                        Err(std::io::Error::other(
                            "a stored evidence file no longer matches its hash",
                        )),
                        None,
                    ));
                }
            }
        }
    })
    .boxed()
}

/// One problem `verify-evidence` found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifyProblem {
    pub blob_id: i64,
    pub variant: Variant,
    pub sha256: String,
    /// `None`: the file is missing; otherwise the hash of what is stored.
    pub found: Option<String>,
}

impl std::fmt::Display for VerifyProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.found {
            None => write!(
                f,
                "MISSING  blob {} {} {}",
                self.blob_id,
                self.variant.as_str(),
                self.sha256
            ),
            Some(found) => write!(
                f,
                "MISMATCH blob {} {} recorded {} stored {}",
                self.blob_id,
                self.variant.as_str(),
                self.sha256,
                found
            ),
        }
    }
}

/// What `verify-evidence` checked and found.
#[derive(Debug, Default)]
pub struct VerifyReport {
    pub files_checked: usize,
    pub bytes_checked: u64,
    pub problems: Vec<VerifyProblem>,
}

/// Recomputes the SHA-256 of every stored variant of every blob, one at a time.
pub async fn verify_all(services: &Services) -> ServiceResult<VerifyReport> {
    const PAGE: i64 = 500;
    let mut report = VerifyReport::default();
    let mut after = 0;
    loop {
        let blobs = services
            .db
            .run(move |conn| Ok::<_, ServiceError>(EvidenceBlob::page(conn, after, PAGE)?))
            .await?;
        let Some(last) = blobs.last() else {
            break;
        };
        after = last.id;
        for blob in &blobs {
            // An original retention dropped is not expected in the store.
            let original = blob
                .original_erased_at
                .is_none()
                .then(|| blob.sha256.clone());
            let variants = std::iter::once((Variant::Original, original)).chain(std::iter::once((
                Variant::Redacted,
                blob.redacted_sha256.clone(),
            )));
            for (variant, key) in variants {
                let Some(key) = key else { continue };
                report.files_checked += 1;
                let found = match services.evidence.store.get(&key).await? {
                    Some(bytes) => {
                        report.bytes_checked += u64::try_from(bytes.len()).unwrap_or(0);
                        Some(laporlapak_domain::hex(&Sha256::digest(&bytes)))
                    }
                    None => None,
                };
                if found.as_deref() != Some(key.as_str()) {
                    report.problems.push(VerifyProblem {
                        blob_id: blob.id,
                        variant,
                        sha256: key,
                        found,
                    });
                }
            }
        }
    }
    Ok(report)
}

/// Deletes a complaint's evidence files: its upload rows, then the blobs (rows and stored bytes)
/// that no other complaint carries. For the data-protection work: call it where a complaint's
/// personal data is erased. The rows go in one transaction with the audit event; the stored bytes
/// after it commits (a crash in between leaves bytes no row points at, never the reverse).
/// Returns how many uploads were removed.
pub async fn delete_complaint_files(
    services: &Services,
    actor: Actor<'static>,
    complaint_id: i64,
) -> ServiceResult<usize> {
    let (removed, orphans) = services
        .write(move |conn, now| delete_files_in(conn, now, actor, complaint_id))
        .await?;
    for key in orphans {
        services.evidence.store.delete(&key).await?;
    }
    Ok(removed)
}

/// The rows' part of [`delete_complaint_files`], inside the caller's transaction: deletes the
/// complaint's uploads and the blobs no other complaint carries, with an audit event each, and
/// returns how many uploads went and the stored keys to delete once the transaction commits.
pub(crate) fn delete_files_in(
    conn: &mut DbConnection,
    now: NaiveDateTime,
    actor: Actor<'_>,
    complaint_id: i64,
) -> ServiceResult<(usize, Vec<String>)> {
    let complaint = Complaint::find(conn, complaint_id)?.ok_or(ServiceError::NotFound)?;
    let uploads = ComplaintFile::delete_for_complaint(conn, complaint_id)?;
    let mut blob_ids: Vec<i64> = uploads.iter().map(|(_, blob)| *blob).collect();
    blob_ids.sort_unstable();
    blob_ids.dedup();
    let mut orphans = Vec::new();
    for blob in EvidenceBlob::delete_unreferenced(conn, &blob_ids)? {
        for key in std::iter::once(blob.sha256).chain(blob.redacted_sha256) {
            // The same bytes may be another blob's original or redacted variant.
            if !orphans.contains(&key) && !EvidenceBlob::hash_in_use(conn, &key)? {
                orphans.push(key);
            }
        }
    }
    for (upload, _) in &uploads {
        audit::record(
            conn,
            now,
            actor,
            NewEvent::new(AuditAction::EvidenceDeleted, Subject::EvidenceFile(*upload))
                .in_case(complaint.case_id),
        )?;
    }
    Ok((uploads.len(), orphans))
}

/// Shared handle, for `Services`.
pub type SharedEvidence = Arc<Evidence>;
