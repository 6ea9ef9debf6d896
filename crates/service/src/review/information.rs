//! The information loop: a reviewer asks a case's reporters for more (IN_REVIEW → AWAITING_INFO),
//! and a reporter answers — signed in, or anonymously with the complaint's tracking code — which
//! takes an AWAITING_INFO case back to IN_REVIEW.

use chrono::NaiveDateTime;
use laporlapak_db::models::seller::{SellerIdentifier, SellerIdentifierInsertForm};
use laporlapak_domain::seller::IdentifierSource;

use crate::Services;
use crate::audit::{self, Actor, NewEvent, Subject};
use crate::complaint::{self, ComplaintView, MAX_EVIDENCE_PER_REQUEST, Reader, parse_evidence_url};
use crate::error::{ServiceError, ServiceResult};
use crate::evidence::{self, IncomingFile, StoredFile};
use crate::limits::{self, ClientAddress};
use crate::mail::{self, outbox::MailData};
use crate::review::view::StaffCaseView;
use crate::review::{NOTE_MAX, Step, conflict_with, note, transition};
use crate::viewer::Viewer;
use laporlapak_db::DbConnection;
use laporlapak_db::models::case::Case;
use laporlapak_db::models::complaint::Complaint;
use laporlapak_db::models::message::{Message, MessageInsertForm};
use laporlapak_db::vault::{Field, Sealed};
use laporlapak_domain::case::Transition;
use laporlapak_domain::i18n::Msg;
use laporlapak_domain::mail::MailKind;
use laporlapak_domain::{AuditAction, CaseStatus, MessageAuthor, TrackingCode, text};

/// Most characters of a reply's `sellerDetails`.
pub const SELLER_DETAILS_MAX: usize = 1_000;

/// IN_REVIEW → AWAITING_INFO, with a message to every reporter of the case.
pub async fn request_information(
    services: &Services,
    viewer: &Viewer,
    case_id: i64,
    message: &str,
) -> ServiceResult<StaffCaseView> {
    let reviewer = viewer.reviewer()?;
    let me = reviewer.account_id();
    let reply_window = services.reply_window;
    let question = note(message, "message")?;
    let body = services.vault.seal(Field::MessageBody, &question)?;
    let vault = services.vault.clone();
    let step = Step {
        transition: Transition::RequestInformation,
        details: None,
    };
    transition(
        services,
        viewer,
        reviewer,
        case_id,
        step,
        move |conn, case, now| {
            Message::insert(
                conn,
                &MessageInsertForm {
                    case_id: case.id,
                    complaint_id: None,
                    author: MessageAuthor::Reviewer,
                    author_account_id: Some(me),
                    body: &body,
                    created_at: now,
                },
            )?;
            Case::set_reply_due(conn, case.id, Some(now + reply_window))?;
            let data = MailData {
                question: Some(question.clone()),
                reply_due_at: Some(now + reply_window),
                ..MailData::default()
            };
            mail::outbox::to_case(conn, &vault, case.id, MailKind::Question, &data, now)?;
            Ok(())
        },
    )
    .await
    .map(|(case, ())| case)
}

/// Closes, as "no reply", every case whose question went unanswered past its deadline (the
/// deadline worker calls it each round); returns how many closed. The case keeps its reviewer: a
/// late reply reopens it for them.
pub async fn expire_questions(services: &Services) -> ServiceResult<usize> {
    let now = services.clock.now();
    let due = services
        .db
        .run(move |conn| Ok::<_, ServiceError>(Case::any_reply_overdue(conn, now)?))
        .await?;
    if !due {
        return Ok(0);
    }
    let rule = Transition::QuestionExpires.rule();
    services
        .write(move |conn, now| {
            let mut closed = 0;
            for case in Case::reply_overdue(conn, now, EXPIRY_BATCH)? {
                if !Case::transition(conn, case.id, case.version, case.status, rule.to, now)? {
                    continue; // moved on meanwhile (a reply, a reviewer)
                }
                Case::set_closed_for_no_reply(conn, case.id, true)?;
                audit::record(
                    conn,
                    now,
                    Actor::CommandLine,
                    NewEvent::new(rule.action, Subject::Case(case.id))
                        .in_case(case.id)
                        .status(rule.to),
                )?;
                closed += 1;
            }
            Ok(closed)
        })
        .await
}

/// Cases [`expire_questions`] closes in one transaction; the rest wait for the next round.
const EXPIRY_BATCH: i64 = 100;

/// What an anonymous reporter learns after replying.
pub struct PublicReply {
    pub tracking_code: String,
    pub status: CaseStatus,
}

/// A reporter's reply as asked.
pub struct ReplyRequest {
    /// The answer: the reporter's own words, stored sealed and never mined for identifiers.
    pub message: String,
    /// What the reporter marks as the seller's details (phone numbers, links): the identifiers
    /// found in it become the case's seller identifiers.
    pub seller_details: Option<String>,
    pub evidence_urls: Vec<String>,
    pub files: Vec<IncomingFile>,
}

/// A reply, parsed, with its files once stored.
struct Reply {
    /// `message` sealed for storage. The message is the reporter's own voice: nothing is read
    /// from it (a number in it may be the reporter's own).
    sealed: Sealed,
    /// What the reporter marked as the seller's details: the only text of a reply whose phone
    /// numbers and links become seller identifiers. Not stored itself.
    seller_details: Option<String>,
    evidence: Vec<String>,
    files: Vec<StoredFile>,
    /// Who uploaded the files: the signed-in reporter, or nobody known (a tracking code).
    uploader: Option<i64>,
    max_files: usize,
}

fn parse_reply(
    services: &Services,
    message: &str,
    seller_details: Option<&str>,
    evidence_urls: &[String],
) -> ServiceResult<Reply> {
    let body = text::multi_line(message, 1, NOTE_MAX)
        .map_err(|reason| ServiceError::bad_input("message", reason))?;
    let seller_details = seller_details
        .filter(|details| !details.trim().is_empty())
        .map(|details| {
            text::multi_line(details, 1, SELLER_DETAILS_MAX)
                .map_err(|reason| ServiceError::bad_input("sellerDetails", reason))
        })
        .transpose()?;
    let evidence: Vec<String> = evidence_urls
        .iter()
        .enumerate()
        .map(|(i, url)| {
            parse_evidence_url(url)
                .map_err(|reason| ServiceError::bad_input(format!("evidenceUrls[{i}]"), reason))
        })
        .collect::<ServiceResult<_>>()?;
    if evidence.len() > MAX_EVIDENCE_PER_REQUEST {
        return Err(ServiceError::bad_input(
            "evidenceUrls",
            Msg::TooMany {
                max: MAX_EVIDENCE_PER_REQUEST,
            },
        ));
    }
    Ok(Reply {
        sealed: services.vault.seal(Field::MessageBody, &body)?,
        seller_details,
        evidence,
        files: Vec::new(),
        uploader: None,
        max_files: 0,
    })
}

/// Stores a reply's files (before its transaction, which records them).
async fn with_files(
    services: &Services,
    mut reply: Reply,
    uploader: Option<i64>,
    files: Vec<IncomingFile>,
) -> ServiceResult<Reply> {
    reply.files = evidence::store_incoming(services, "files", files).await?;
    reply.uploader = uploader;
    reply.max_files = services.evidence.settings.max_files_per_complaint;
    Ok(reply)
}

/// A signed-in reporter answers about its own complaint; NOT_FOUND for anyone else's.
pub async fn reply_as_citizen(
    services: &Services,
    viewer: &Viewer,
    complaint_id: i64,
    request: ReplyRequest,
) -> ServiceResult<ComplaintView> {
    let citizen = viewer.citizen()?;
    let reply = parse_reply(
        services,
        &request.message,
        request.seller_details.as_deref(),
        &request.evidence_urls,
    )?;
    let reply = with_files(services, reply, Some(citizen.account_id()), request.files).await?;
    let viewer = viewer.clone();
    let reference = services.reference.clone();
    services
        .write(move |conn, now| {
            let complaint = Complaint::find(conn, complaint_id)?
                .filter(|c| c.reporter_account_id == Some(citizen.account_id()))
                .ok_or(ServiceError::NotFound)?;
            record_reply(conn, now, &viewer, &complaint, &reply)?;
            Ok(complaint::load_one(conn, &reference, complaint)?.into_view(Reader::Reporter))
        })
        .await
}

/// An anonymous reporter answers, proving the complaint is theirs with its tracking code (rate
/// limited per address, like look-ups, so codes cannot be guessed through this door either).
pub async fn reply_by_tracking_code(
    services: &Services,
    viewer: &Viewer,
    address: ClientAddress,
    tracking_code: &str,
    request: ReplyRequest,
) -> ServiceResult<PublicReply> {
    limits::check_address(services, limits::TRACKING_CODE_USES_PER_ADDRESS, address).await?;
    let reply = parse_reply(
        services,
        &request.message,
        request.seller_details.as_deref(),
        &request.evidence_urls,
    )?;
    let files = request.files;
    let code = TrackingCode::parse(tracking_code);
    let lookup = code
        .as_ref()
        .map(|code| crate::complaint::tracking_lookup(services, code))
        .transpose()?;
    if !files.is_empty() {
        // Files are stored before the reply's transaction: not for a code that names nothing.
        let lookup = lookup.clone();
        let known = services
            .db
            .run(move |conn| match &lookup {
                Some(lookup) => {
                    Ok::<_, ServiceError>(Complaint::find_by_tracking_code(conn, lookup)?.is_some())
                }
                None => Ok(false),
            })
            .await?;
        if !known {
            return Err(ServiceError::NotFound);
        }
    }
    let reply = with_files(services, reply, None, files).await?;
    let viewer = viewer.clone();
    services
        .write(move |conn, now| {
            let (Some(code), Some(lookup)) = (&code, &lookup) else {
                return Err(ServiceError::NotFound);
            };
            let complaint =
                Complaint::find_by_tracking_code(conn, lookup)?.ok_or(ServiceError::NotFound)?;
            let status = record_reply(conn, now, &viewer, &complaint, &reply)?;
            Ok(PublicReply {
                tracking_code: code.as_str().to_owned(),
                status,
            })
        })
        .await
}

/// Records the reply and its evidence, and takes an AWAITING_INFO case back to IN_REVIEW; returns
/// the case's status after it. A reply to a case already back in review is still recorded, so no
/// reporter's answer is lost.
fn record_reply(
    conn: &mut DbConnection,
    now: NaiveDateTime,
    viewer: &Viewer,
    complaint: &Complaint,
    reply: &Reply,
) -> ServiceResult<CaseStatus> {
    if complaint.withdrawn_at.is_some() {
        return Err(ServiceError::conflict(Msg::AlreadyWithdrawn));
    }
    let case = Case::find(conn, complaint.case_id)?.ok_or(ServiceError::NotFound)?;
    let replies = Transition::ReporterReplies.rule();
    let late = Transition::LateReplyReopens.rule();
    let status = if replies.from.contains(&case.status) {
        if !Case::transition(conn, case.id, case.version, case.status, replies.to, now)? {
            let current = Case::find(conn, case.id)?.map_or(replies.to, |c| c.status);
            if current != replies.to {
                return Err(conflict_with(current));
            }
        }
        Case::set_reply_due(conn, case.id, None)?;
        replies.to
    } else if late.from.contains(&case.status) && Case::closed_for_no_reply(conn, case.id)? {
        // The question's deadline passed and the case closed for it: the reply reopens it.
        if !Case::transition(conn, case.id, case.version, case.status, late.to, now)? {
            let current = Case::find(conn, case.id)?.map_or(late.to, |c| c.status);
            return Err(conflict_with(current));
        }
        Case::set_closed_for_no_reply(conn, case.id, false)?;
        audit::record(
            conn,
            now,
            Actor::Viewer(viewer),
            NewEvent::new(late.action, Subject::Case(case.id))
                .in_case(case.id)
                .status(late.to),
        )?;
        late.to
    } else if case.status == replies.to {
        // Already back in review (another reporter replied first): the reply still counts.
        case.status
    } else {
        return Err(conflict_with(case.status));
    };
    Message::insert(
        conn,
        &MessageInsertForm {
            case_id: case.id,
            complaint_id: Some(complaint.id),
            author: MessageAuthor::Reporter,
            author_account_id: complaint.reporter_account_id,
            body: &reply.sealed,
            created_at: now,
        },
    )?;
    Complaint::add_evidence(conn, complaint.id, &reply.evidence, now)?;
    evidence::record(
        conn,
        complaint.id,
        reply.uploader,
        "files",
        &reply.files,
        reply.max_files,
        now,
    )?;
    // Phone numbers and links in what the reporter marked as the seller's; never in the message,
    // the reporter's own voice ("hubungi saya di 0813…" is the reporter's number).
    let found = reply
        .seller_details
        .as_deref()
        .map(laporlapak_domain::seller::from_text)
        .unwrap_or_default();
    let identifiers: Vec<SellerIdentifierInsertForm<'_>> = found
        .iter()
        .map(|identifier| SellerIdentifierInsertForm {
            case_id: case.id,
            complaint_id: Some(complaint.id),
            platform_id: case.platform_id,
            kind: identifier.kind,
            value: &identifier.value,
            source: IdentifierSource::Reply,
            added_by: None,
            created_at: now,
        })
        .collect();
    SellerIdentifier::insert_many(conn, &identifiers)?;
    audit::record(
        conn,
        now,
        Actor::Viewer(viewer),
        NewEvent::new(
            AuditAction::ComplaintInformationProvided,
            Subject::Complaint(complaint.id),
        )
        .in_case(case.id)
        .status(status),
    )?;
    Ok(status)
}
