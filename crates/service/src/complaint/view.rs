//! A complaint as each audience sees it, decided here once:
//! * [`ComplaintView`] — its reporter and the ministry's staff: everything, the reporter's account
//!   only where the viewer may see it (never to staff when the reporter chose anonymity).
//! * [`PlatformComplaintView`] — a platform representative, through a case forwarded to it. The
//!   type has no reporter, contact, place, tracking code, withdrawal or thread at all, so no
//!   platform response can contain them.

use std::sync::Arc;

use chrono::NaiveDateTime;

use crate::Services;
use crate::account::AccountRef;
use crate::complaint::public_status::{PublicEventView, timeline_in};
use crate::error::{ServiceError, ServiceResult};
use crate::evidence::{FileReader, FilesRef};
use crate::reference_data::ReferenceCache;
use laporlapak_db::DbConnection;
use laporlapak_db::models::case::Case;
use laporlapak_db::models::category::Category;
use laporlapak_db::models::complaint::Complaint;
use laporlapak_db::models::message::Message;
use laporlapak_db::models::platform::PlatformWithHosts;
use laporlapak_db::vault::{Field, Vault};
use laporlapak_domain::{CanonicalUrl, CaseStatus, MessageAuthor, RejectionReason};

/// A complaint as its reporter, and reviewers and admins, see it.
#[derive(Debug, Clone)]
pub struct ComplaintView {
    pub id: i64,
    /// Read it aloud to follow the complaint by phone. Known only in the answer that issued it
    /// (a submission, or its idempotent replay): the database keeps a keyed hash, never the code.
    pub tracking_code: Option<String>,
    /// The status of the complaint's case.
    pub status: CaseStatus,
    /// When the reviewer's question the case waits on expires (AWAITING_INFO only).
    pub reply_due_at: Option<NaiveDateTime>,
    pub category: Arc<Category>,
    pub platform: Arc<PlatformWithHosts>,
    /// The URL as the reporter gave it.
    pub listing_url: String,
    pub canonical_url: String,
    pub account_handle: Option<String>,
    pub description: String,
    pub province: Option<String>,
    pub city: Option<String>,
    pub anonymous: bool,
    pub flags: Vec<String>,
    pub created_at: NaiveDateTime,
    pub withdrawn_at: Option<NaiveDateTime>,
    pub evidence_urls: Vec<String>,
    /// The reporter's account where this viewer may see it.
    pub reporter: Option<AccountRef>,
    /// The complaint's side of the information loop.
    pub thread: ThreadRef,
    /// The complaint's evidence files, both variants.
    pub files: FilesRef,
}

/// A complaint as a platform representative sees it: what was reported, never who reported it.
#[derive(Debug, Clone)]
pub struct PlatformComplaintView {
    /// An opaque key, the same at every read by this platform and different for another; never the
    /// row number (sequential numbers would tell how many complaints came in between).
    pub id: String,
    pub status: CaseStatus,
    pub category: Arc<Category>,
    pub platform: Arc<PlatformWithHosts>,
    /// The canonical URL only: share parameters in a pasted URL (`igsh`, `_t`, `u_code`…) can
    /// identify the person who shared it.
    pub canonical_url: String,
    pub account_handle: Option<String>,
    pub description: String,
    pub flags: Vec<String>,
    pub created_at: NaiveDateTime,
    /// Reduced to their canonical form, without share parameters.
    pub evidence_urls: Vec<String>,
    /// The complaint's evidence files that have a redacted variant, as that variant only.
    pub files: FilesRef,
}

/// The right to read one complaint's thread: the requests to every reporter of its case and this
/// complaint's replies. Only the service layer makes one, for the reporter and for staff.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ThreadRef {
    case_id: i64,
    complaint_id: i64,
}

impl ThreadRef {
    pub(crate) fn complaint_id(self) -> i64 {
        self.complaint_id
    }
}

/// A message of the information loop.
#[derive(Debug, Clone)]
pub struct MessageView {
    pub id: i64,
    pub author: MessageAuthor,
    pub body: String,
    pub at: NaiveDateTime,
}

impl MessageView {
    /// The message with its body opened with the data keys.
    pub(crate) fn open(vault: &Vault, row: Message) -> ServiceResult<Self> {
        Ok(Self {
            id: row.id,
            author: row.author,
            body: vault.open(Field::MessageBody, &row.body)?,
            at: row.created_at,
        })
    }
}

/// The messages of a thread, oldest first.
pub async fn messages(services: &Services, thread: ThreadRef) -> ServiceResult<Vec<MessageView>> {
    let vault = services.vault.clone();
    services
        .db
        .run(move |conn| {
            Message::for_complaint(conn, thread.case_id, thread.complaint_id)?
                .into_iter()
                .map(|row| MessageView::open(&vault, row))
                .collect()
        })
        .await
}

/// Why the complaint's case was rejected, as its reporters are told; `None` unless it is
/// REJECTED.
#[derive(Debug, Clone)]
pub struct RejectionView {
    pub reason: RejectionReason,
    /// The reviewer's message to the reporters, when one was written.
    pub message: Option<String>,
}

impl RejectionView {
    pub(crate) fn read(conn: &mut DbConnection, case_id: i64) -> ServiceResult<Option<Self>> {
        Ok(Case::rejection(conn, case_id)?.map(|(reason, message)| Self { reason, message }))
    }
}

/// Why the thread's case was rejected; `None` unless it is REJECTED.
pub async fn rejection(
    services: &Services,
    thread: ThreadRef,
) -> ServiceResult<Option<RejectionView>> {
    services
        .db
        .run(move |conn| RejectionView::read(conn, thread.case_id))
        .await
}

/// The complaint's public timeline (as its tracking code shows it), for its reporter and for staff.
pub async fn timeline(
    services: &Services,
    thread: ThreadRef,
    submitted_at: NaiveDateTime,
) -> ServiceResult<Vec<PublicEventView>> {
    services
        .db
        .run(move |conn| {
            Ok(timeline_in(
                conn,
                thread.complaint_id,
                thread.case_id,
                submitted_at,
            )?)
        })
        .await
}

/// Who a complaint is shown to, which decides whether its reporter is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Reader {
    /// The reporter itself.
    Reporter,
    /// Reviewers and admins: the reporter unless anonymous.
    Staff,
}

/// A complaint row with the data every view shows beside it.
pub(crate) struct Loaded {
    complaint: Complaint,
    status: CaseStatus,
    reply_due_at: Option<NaiveDateTime>,
    category: Arc<Category>,
    platform: Arc<PlatformWithHosts>,
    evidence_urls: Vec<String>,
}

impl Loaded {
    /// A complaint just written, with what was written beside it (nothing is read back).
    pub(crate) fn new(
        complaint: Complaint,
        status: CaseStatus,
        category: Arc<Category>,
        platform: Arc<PlatformWithHosts>,
        evidence_urls: Vec<String>,
    ) -> Self {
        Self {
            complaint,
            status,
            reply_due_at: None,
            category,
            platform,
            evidence_urls,
        }
    }

    pub(crate) fn into_view(self, reader: Reader) -> ComplaintView {
        let complaint = self.complaint;
        let files = FilesRef {
            complaint_id: complaint.id,
            case_id: complaint.case_id,
            reader: match reader {
                Reader::Reporter => FileReader::Reporter,
                Reader::Staff => FileReader::Staff,
            },
        };
        let reporter = match reader {
            Reader::Reporter => complaint.reporter_account_id,
            Reader::Staff if complaint.anonymous => None,
            Reader::Staff => complaint.reporter_account_id,
        };
        ComplaintView {
            id: complaint.id,
            thread: ThreadRef {
                case_id: complaint.case_id,
                complaint_id: complaint.id,
            },
            tracking_code: None,
            status: self.status,
            reply_due_at: self.reply_due_at,
            category: self.category,
            platform: self.platform,
            listing_url: complaint.listing_url,
            canonical_url: complaint.canonical_url,
            account_handle: complaint.account_handle,
            description: complaint.description,
            province: complaint.province,
            city: complaint.city,
            // A complaint filed with no account has no reporter to show: anonymous too.
            anonymous: complaint.anonymous || complaint.reporter_account_id.is_none(),
            flags: complaint.flags.lines().map(str::to_owned).collect(),
            created_at: complaint.created_at,
            withdrawn_at: complaint.withdrawn_at,
            evidence_urls: self.evidence_urls,
            reporter: reporter.map(|id| AccountRef::reporter(id, complaint.case_id)),
            files,
        }
    }

    pub(crate) fn into_platform_view(self, vault: &Vault) -> ServiceResult<PlatformComplaintView> {
        let complaint = self.complaint;
        let id = super::opaque::key(vault, self.platform.platform.id, complaint.id)?;
        Ok(PlatformComplaintView {
            files: FilesRef {
                complaint_id: complaint.id,
                case_id: complaint.case_id,
                reader: FileReader::Platform,
            },
            id,
            status: self.status,
            category: self.category,
            platform: self.platform,
            canonical_url: complaint.canonical_url,
            account_handle: complaint.account_handle,
            description: complaint.description,
            flags: complaint.flags.lines().map(str::to_owned).collect(),
            // To the hour: a time to the microsecond can be matched with a reporter's activity.
            created_at: super::opaque::coarse(complaint.created_at),
            // Reduced like listing URLs: share parameters (`igsh`, `u_code`, `utm_*`…) name the
            // person who shared the link. A link that cannot be reduced is not shown at all.
            evidence_urls: self
                .evidence_urls
                .iter()
                .filter_map(|url| CanonicalUrl::parse(url).ok())
                .map(|url| url.as_str().to_owned())
                .collect(),
        })
    }
}

/// Complaints with their case status, category, platform and evidence: two queries (cases and
/// evidence) whatever the number of complaints, the reference data coming from memory.
pub(crate) fn load(
    conn: &mut DbConnection,
    reference: &ReferenceCache,
    complaints: Vec<Complaint>,
) -> ServiceResult<Vec<Loaded>> {
    let ids: Vec<i64> = complaints.iter().map(|c| c.id).collect();
    let mut case_ids: Vec<i64> = complaints.iter().map(|c| c.case_id).collect();
    case_ids.sort_unstable();
    case_ids.dedup();
    let cases = Case::find_many(conn, &case_ids)?;
    let platform_ids: Vec<i64> = complaints.iter().map(|c| c.platform_id).collect();
    let category_ids: Vec<i64> = complaints.iter().map(|c| c.category_id).collect();
    let reference = reference.covering(conn, &platform_ids, &category_ids)?;
    let evidence = Complaint::evidence_for(conn, &ids)?;
    complaints
        .into_iter()
        .map(|complaint| {
            let (status, reply_due_at) = cases
                .iter()
                .find(|c| c.id == complaint.case_id)
                .map(|c| {
                    let due = c
                        .reply_due_at
                        .filter(|_| c.status == CaseStatus::AwaitingInfo);
                    (c.status, due)
                })
                .ok_or(ServiceError::invariant("a complaint belongs to a case"))?;
            let (platform, category) =
                reference.named_by_row(complaint.platform_id, complaint.category_id)?;
            let evidence_urls = evidence
                .iter()
                .filter(|(id, _)| *id == complaint.id)
                .map(|(_, url)| url.clone())
                .collect();
            Ok(Loaded {
                complaint,
                status,
                reply_due_at,
                category,
                platform,
                evidence_urls,
            })
        })
        .collect()
}

/// One complaint, loaded.
pub(crate) fn load_one(
    conn: &mut DbConnection,
    reference: &ReferenceCache,
    complaint: Complaint,
) -> ServiceResult<Loaded> {
    load(conn, reference, vec![complaint])?
        .pop()
        .ok_or(ServiceError::invariant("one complaint loads as one"))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The field names of what a platform may see, from an exhaustive destructuring (no `..`):
    /// adding a field to the type stops this compiling until it is listed here, next to the
    /// assertion that no field carries the reporter.
    fn platform_visible_fields(view: &PlatformComplaintView) -> Vec<&'static str> {
        let PlatformComplaintView {
            id: _,
            status: _,
            category: _,
            platform: _,
            canonical_url: _,
            account_handle: _,
            description: _,
            flags: _,
            created_at: _,
            evidence_urls: _,
            files: _,
        } = view;
        vec![
            "id",
            "status",
            "category",
            "platform",
            "canonical_url",
            "account_handle",
            "description",
            "flags",
            "created_at",
            "evidence_urls",
            "files",
        ]
    }

    #[test]
    fn a_platform_view_has_no_reporter_fields() {
        let at = NaiveDateTime::default();
        let view = PlatformComplaintView {
            id: "0".repeat(32),
            status: CaseStatus::Forwarded,
            category: Arc::new(Category {
                id: 1,
                code: "OTHER".to_owned(),
                label_id: "Lainnya".to_owned(),
                label_en: "Other".to_owned(),
                legal_basis: "-".to_owned(),
                severity: 1,
                position: 1,
                active: true,
                urgent_track: false,
            }),
            platform: Arc::new(PlatformWithHosts {
                platform: laporlapak_db::models::platform::Platform {
                    id: 1,
                    slug: "instagram".to_owned(),
                    name: "Instagram".to_owned(),
                    response_hours: 24,
                    urgent_response_hours: 4,
                    active: true,
                    created_at: at,
                    updated_at: at,
                },
                hosts: vec!["instagram.com".to_owned()],
            }),
            canonical_url: "https://instagram.com/p/x".to_owned(),
            account_handle: None,
            description: "-".to_owned(),
            flags: Vec::new(),
            created_at: at,
            evidence_urls: Vec::new(),
            files: FilesRef {
                complaint_id: 1,
                case_id: 1,
                reader: FileReader::Platform,
            },
        };
        let private = [
            "reporter",
            "reporter_account_id",
            "tracking_code",
            "listing_url",
            "province",
            "city",
            "anonymous",
            "contact_email",
            "withdrawn_at",
            "thread",
            "messages",
        ];
        for name in platform_visible_fields(&view) {
            assert!(!private.contains(&name), "{name} would reach platforms");
        }
    }
}
