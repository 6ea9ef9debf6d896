//! Writing mails to the outbox, in the transaction of the event they tell of: a rollback sends
//! nothing, a commit is never lost. A mail holds only what its reporter may read about their own
//! case — never the seller's data nor another reporter's; the tracking code only in the mail that
//! opens a complaint, to the address its reporter gave with it.

use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};

use crate::error::{InternalError, ServiceResult};
use laporlapak_db::DbConnection;
use laporlapak_db::models::mail::{MailOutbox, MailOutboxInsertForm, MailRecipient};
use laporlapak_db::vault::{Field, Vault};
use laporlapak_domain::mail::{MailKind, MailStatus};

/// What a mail says besides its kind: each template reads the fields it needs. Stored sealed.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct MailData {
    /// The complaint's tracking code (the mail that opens it, to the address given with it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tracking_code: Option<String>,
    /// The reviewer's question.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub question: Option<String>,
    /// When the question expires.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reply_due_at: Option<NaiveDateTime>,
    /// A rejection's reason (`RejectionReason`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason_code: Option<String>,
    /// What a reviewer wrote to the reporters (a rejection's message, an appeal's reasons).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// The platform's name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub platform: Option<String>,
    /// The platform's decision (`TakedownDecision`) or the appeal's (`AppealDecision`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decision: Option<String>,
    /// The platform's statement of reasons.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub statement: Option<String>,
    /// The takedown request a follow-up question is about.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub takedown_request_id: Option<i64>,
}

/// A new random Message-ID local part: the row keeps it, so every retry repeats it.
fn message_id() -> ServiceResult<String> {
    let mut random = [0u8; 16];
    getrandom::fill(&mut random).map_err(InternalError::from)?;
    Ok(laporlapak_domain::hex(&random))
}

/// Mails every reporter of the case who opted in.
pub(crate) fn to_case(
    conn: &mut DbConnection,
    vault: &Vault,
    case_id: i64,
    kind: MailKind,
    data: &MailData,
    at: NaiveDateTime,
) -> ServiceResult<usize> {
    let recipients = MailRecipient::of_case(conn, case_id)?;
    enqueue(conn, vault, case_id, kind, data, &recipients, at)
}

/// Mails the reporter of one complaint, if they opted in.
pub(crate) fn to_complaint(
    conn: &mut DbConnection,
    vault: &Vault,
    case_id: i64,
    complaint_id: i64,
    kind: MailKind,
    data: &MailData,
    at: NaiveDateTime,
) -> ServiceResult<usize> {
    let Some(recipient) = MailRecipient::of_complaint(conn, complaint_id)? else {
        return Ok(0);
    };
    enqueue(conn, vault, case_id, kind, data, &[recipient], at)
}

/// Mails the given recipients.
pub(crate) fn enqueue(
    conn: &mut DbConnection,
    vault: &Vault,
    case_id: i64,
    kind: MailKind,
    data: &MailData,
    recipients: &[MailRecipient],
    at: NaiveDateTime,
) -> ServiceResult<usize> {
    if recipients.is_empty() {
        return Ok(0);
    }
    let payload = serde_json::to_string(data)
        .map_err(|_| InternalError::Invariant("a mail's data serialises"))?;
    let payload = vault.seal(Field::MailPayload, &payload)?;
    let ids: Vec<String> = recipients
        .iter()
        .map(|_| message_id())
        .collect::<ServiceResult<_>>()?;
    let forms: Vec<MailOutboxInsertForm<'_>> = recipients
        .iter()
        .zip(&ids)
        .map(|(recipient, id)| MailOutboxInsertForm {
            message_id: id,
            kind,
            case_id,
            complaint_id: recipient.complaint_id,
            account_id: recipient.account_id,
            language: &recipient.language,
            payload: &payload,
            status: MailStatus::Pending,
            next_attempt_at: at,
            created_at: at,
        })
        .collect();
    MailOutbox::enqueue(conn, &forms)?;
    Ok(forms.len())
}
