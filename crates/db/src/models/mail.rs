//! The mail outbox (`mail_outbox`, written in the transaction of the event it tells of) and the
//! reporters' consent to be mailed (`complaints.mail_consent_version` for a contact e-mail left at
//! submission, `accounts.mail_consent_version` for a citizen's setting).
//!
//! A row never holds an address: its recipient is a complaint's contact or an account, opened
//! from their sealed columns when the mail goes out, so an erasure or an unsubscribe reaches every
//! mail not yet sent. What a mail says is sealed in `payload`, cleared once it is sent or dropped.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::DbConnection;
use crate::schema::{accounts, complaints, mail_outbox};
use crate::vault::Sealed;
use laporlapak_domain::mail::{MailKind, MailStatus};

#[derive(Debug, Clone, Queryable, Selectable, Identifiable)]
#[diesel(table_name = mail_outbox)]
pub struct MailOutbox {
    pub id: i64,
    /// The local part of the stable `Message-ID`.
    pub message_id: String,
    pub kind: MailKind,
    pub case_id: i64,
    pub complaint_id: Option<i64>,
    pub account_id: Option<i64>,
    /// `id` or `en`.
    pub language: String,
    pub payload: Option<Sealed>,
    pub recipient_tag: Option<String>,
    pub status: MailStatus,
    pub attempts: i32,
    pub next_attempt_at: NaiveDateTime,
    pub lease_until: Option<NaiveDateTime>,
    pub created_at: NaiveDateTime,
    pub sent_at: Option<NaiveDateTime>,
    pub last_error: Option<String>,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = mail_outbox)]
pub struct MailOutboxInsertForm<'a> {
    pub message_id: &'a str,
    pub kind: MailKind,
    pub case_id: i64,
    pub complaint_id: Option<i64>,
    pub account_id: Option<i64>,
    pub language: &'a str,
    pub payload: &'a Sealed,
    pub status: MailStatus,
    pub next_attempt_at: NaiveDateTime,
    pub created_at: NaiveDateTime,
}

/// Who a case's mail goes to: a complaint's contact (anonymous reporters) or a citizen's account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MailRecipient {
    pub complaint_id: Option<i64>,
    pub account_id: Option<i64>,
    /// `id` or `en`.
    pub language: String,
}

/// How one attempt ended.
#[derive(Debug, Clone, Copy)]
pub enum MailNext {
    Sent,
    RetryAt(NaiveDateTime),
    Failed,
    Dropped,
}

impl MailOutbox {
    /// Appends mails to the outbox, in the caller's transaction.
    pub fn enqueue(conn: &mut DbConnection, mails: &[MailOutboxInsertForm<'_>]) -> QueryResult<()> {
        for mail in mails {
            diesel::insert_into(mail_outbox::table)
                .values(mail)
                .execute(conn)?;
        }
        Ok(())
    }

    pub fn find(conn: &mut DbConnection, id: i64) -> QueryResult<Option<Self>> {
        mail_outbox::table
            .find(id)
            .select(Self::as_select())
            .first(conn)
            .optional()
    }

    /// Whether any mail is due and free: a read, so an idle worker writes nothing.
    pub fn any_due(conn: &mut DbConnection, now: NaiveDateTime) -> QueryResult<bool> {
        diesel::select(diesel::dsl::exists(
            mail_outbox::table
                .filter(mail_outbox::status.eq(MailStatus::Pending))
                .filter(mail_outbox::next_attempt_at.le(now))
                .filter(
                    mail_outbox::lease_until
                        .is_null()
                        .or(mail_outbox::lease_until.lt(now)),
                ),
        ))
        .get_result(conn)
    }

    /// How many mails wait in the outbox.
    pub fn pending_count(conn: &mut DbConnection) -> QueryResult<i64> {
        mail_outbox::table
            .filter(mail_outbox::status.eq(MailStatus::Pending))
            .count()
            .get_result(conn)
    }

    /// Takes up to `limit` due mails not held by another worker, oldest first, holding them until
    /// `lease_until`. On PostgreSQL the rows are locked with SKIP LOCKED, so two replicas never
    /// claim the same mail; SQLite has one writer.
    pub fn claim_due(
        conn: &mut DbConnection,
        now: NaiveDateTime,
        lease_until: NaiveDateTime,
        limit: i64,
    ) -> QueryResult<Vec<Self>> {
        let due = mail_outbox::table
            .filter(mail_outbox::status.eq(MailStatus::Pending))
            .filter(mail_outbox::next_attempt_at.le(now))
            .filter(
                mail_outbox::lease_until
                    .is_null()
                    .or(mail_outbox::lease_until.lt(now)),
            )
            .order((mail_outbox::next_attempt_at.asc(), mail_outbox::id.asc()))
            .select(mail_outbox::id)
            .limit(limit);
        let ids: Vec<i64> = match conn {
            DbConnection::Postgres(pg) => due.for_update().skip_locked().load(pg)?,
            DbConnection::Sqlite(sqlite) => due.load(sqlite)?,
        };
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        diesel::update(mail_outbox::table.filter(mail_outbox::id.eq_any(&ids)))
            .set(mail_outbox::lease_until.eq(lease_until))
            .execute(conn)?;
        mail_outbox::table
            .filter(mail_outbox::id.eq_any(&ids))
            .order(mail_outbox::id.asc())
            .select(Self::as_select())
            .load(conn)
    }

    /// Records how an attempt ended, if the caller still holds the lease it claimed; returns
    /// whether it did. A final state clears the payload.
    pub fn record(
        conn: &mut DbConnection,
        id: i64,
        held_until: NaiveDateTime,
        at: NaiveDateTime,
        next: MailNext,
        recipient_tag: Option<&str>,
        error: Option<&str>,
    ) -> QueryResult<bool> {
        let target = mail_outbox::table
            .find(id)
            .filter(mail_outbox::status.eq(MailStatus::Pending))
            .filter(mail_outbox::lease_until.eq(held_until));
        let (status, next_attempt_at, sent_at) = match next {
            MailNext::Sent => (MailStatus::Sent, at, Some(at)),
            MailNext::RetryAt(when) => (MailStatus::Pending, when, None),
            MailNext::Failed => (MailStatus::Failed, at, None),
            MailNext::Dropped => (MailStatus::Dropped, at, None),
        };
        let finished = status != MailStatus::Pending;
        let changed = if finished {
            diesel::update(target)
                .set((
                    mail_outbox::status.eq(status),
                    mail_outbox::attempts.eq(mail_outbox::attempts + 1),
                    mail_outbox::next_attempt_at.eq(next_attempt_at),
                    mail_outbox::lease_until.eq(None::<NaiveDateTime>),
                    mail_outbox::sent_at.eq(sent_at),
                    mail_outbox::last_error.eq(error),
                    mail_outbox::recipient_tag.eq(recipient_tag),
                    mail_outbox::payload.eq(None::<Sealed>),
                ))
                .execute(conn)?
        } else {
            diesel::update(target)
                .set((
                    mail_outbox::attempts.eq(mail_outbox::attempts + 1),
                    mail_outbox::next_attempt_at.eq(next_attempt_at),
                    mail_outbox::lease_until.eq(None::<NaiveDateTime>),
                    mail_outbox::last_error.eq(error),
                ))
                .execute(conn)?
        };
        Ok(changed == 1)
    }

    /// Mails sent to the address behind `recipient_tag` since `since`.
    pub fn sent_to_since(
        conn: &mut DbConnection,
        recipient_tag: &str,
        since: NaiveDateTime,
    ) -> QueryResult<i64> {
        mail_outbox::table
            .filter(mail_outbox::recipient_tag.eq(recipient_tag))
            .filter(mail_outbox::status.eq(MailStatus::Sent))
            .filter(mail_outbox::sent_at.ge(since))
            .count()
            .get_result(conn)
    }

    /// Erasure: every mail of these complaints, sent or not, goes.
    pub fn forget_complaints(conn: &mut DbConnection, complaint_ids: &[i64]) -> QueryResult<usize> {
        diesel::delete(mail_outbox::table.filter(mail_outbox::complaint_id.eq_any(complaint_ids)))
            .execute(conn)
    }

    /// Erasure: every mail of this account, sent or not, goes.
    pub fn forget_account(conn: &mut DbConnection, account_id: i64) -> QueryResult<usize> {
        diesel::delete(mail_outbox::table.filter(mail_outbox::account_id.eq(account_id)))
            .execute(conn)
    }

    /// Unsubscribed: the mails not yet sent to this recipient are dropped.
    pub fn drop_pending(
        conn: &mut DbConnection,
        complaint_id: Option<i64>,
        account_id: Option<i64>,
        at: NaiveDateTime,
    ) -> QueryResult<usize> {
        let pending = mail_outbox::table.filter(mail_outbox::status.eq(MailStatus::Pending));
        let set = (
            mail_outbox::status.eq(MailStatus::Dropped),
            mail_outbox::payload.eq(None::<Sealed>),
            mail_outbox::lease_until.eq(None::<NaiveDateTime>),
            mail_outbox::next_attempt_at.eq(at),
        );
        match (complaint_id, account_id) {
            (Some(id), _) => diesel::update(pending.filter(mail_outbox::complaint_id.eq(id)))
                .set(set)
                .execute(conn),
            (None, Some(id)) => diesel::update(pending.filter(mail_outbox::account_id.eq(id)))
                .set(set)
                .execute(conn),
            (None, None) => Ok(0),
        }
    }

    /// The mails of a case, oldest first (for tests and the operator).
    pub fn of_case(conn: &mut DbConnection, case_id: i64) -> QueryResult<Vec<Self>> {
        mail_outbox::table
            .filter(mail_outbox::case_id.eq(case_id))
            .order(mail_outbox::id.asc())
            .select(Self::as_select())
            .load(conn)
    }
}

impl MailRecipient {
    /// Who is mailed about a case: each reporter of a complaint not withdrawn who opted in — the
    /// citizen's account (once, however many of its complaints the case holds) or the contact
    /// e-mail an anonymous reporter left.
    pub fn of_case(conn: &mut DbConnection, case_id: i64) -> QueryResult<Vec<Self>> {
        Self::of_complaints(conn, case_id, None)
    }

    /// The recipient for one complaint only, if its reporter opted in.
    pub fn of_complaint(conn: &mut DbConnection, complaint_id: i64) -> QueryResult<Option<Self>> {
        let case_id: Option<i64> = complaints::table
            .find(complaint_id)
            .select(complaints::case_id)
            .first(conn)
            .optional()?;
        let Some(case_id) = case_id else {
            return Ok(None);
        };
        Ok(Self::of_complaints(conn, case_id, Some(complaint_id))?
            .into_iter()
            .next())
    }

    fn of_complaints(
        conn: &mut DbConnection,
        case_id: i64,
        only: Option<i64>,
    ) -> QueryResult<Vec<Self>> {
        let mut contacts = complaints::table
            .filter(complaints::case_id.eq(case_id))
            .filter(complaints::withdrawn_at.is_null())
            .filter(complaints::reporter_account_id.is_null())
            .filter(complaints::contact_email.is_not_null())
            .filter(complaints::mail_consent_version.is_not_null())
            .select((complaints::id, complaints::mail_language))
            .order(complaints::id.asc())
            .into_boxed();
        let mut citizens = complaints::table
            .inner_join(
                accounts::table.on(accounts::id.nullable().eq(complaints::reporter_account_id)),
            )
            .filter(complaints::case_id.eq(case_id))
            .filter(complaints::withdrawn_at.is_null())
            .filter(accounts::mail_consent_version.is_not_null())
            .filter(accounts::erased_at.is_null())
            .select((accounts::id, accounts::mail_language))
            .order(accounts::id.asc())
            .distinct()
            .into_boxed();
        if let Some(id) = only {
            contacts = contacts.filter(complaints::id.eq(id));
            citizens = citizens.filter(complaints::id.eq(id));
        }
        let language = |lang: Option<String>| lang.unwrap_or_else(|| "id".to_owned());
        let mut recipients: Vec<Self> = contacts
            .load::<(i64, Option<String>)>(conn)?
            .into_iter()
            .map(|(id, lang)| Self {
                complaint_id: Some(id),
                account_id: None,
                language: language(lang),
            })
            .collect();
        recipients.extend(
            citizens
                .load::<(i64, Option<String>)>(conn)?
                .into_iter()
                .map(|(id, lang)| Self {
                    complaint_id: None,
                    account_id: Some(id),
                    language: language(lang),
                }),
        );
        Ok(recipients)
    }
}

/// Consent to be mailed.
pub struct MailConsent;

impl MailConsent {
    /// An anonymous reporter's consent at submission (`None` withdraws it: unsubscribed).
    pub fn set_for_complaint(
        conn: &mut DbConnection,
        complaint_id: i64,
        version: Option<&str>,
        language: Option<&str>,
    ) -> QueryResult<bool> {
        let changed = diesel::update(complaints::table.find(complaint_id))
            .set((
                complaints::mail_consent_version.eq(version),
                complaints::mail_language.eq(language),
            ))
            .execute(conn)?;
        Ok(changed == 1)
    }

    /// A citizen's setting (`None` withdraws it).
    pub fn set_for_account(
        conn: &mut DbConnection,
        account_id: i64,
        version: Option<&str>,
        language: Option<&str>,
    ) -> QueryResult<bool> {
        let changed = diesel::update(accounts::table.find(account_id))
            .set((
                accounts::mail_consent_version.eq(version),
                accounts::mail_language.eq(language),
            ))
            .execute(conn)?;
        Ok(changed == 1)
    }

    /// The language of a citizen's mails, when they are on.
    pub fn language_if_on(conn: &mut DbConnection, account_id: i64) -> QueryResult<Option<String>> {
        Ok(accounts::table
            .find(account_id)
            .filter(accounts::mail_consent_version.is_not_null())
            .select(accounts::mail_language)
            .first::<Option<String>>(conn)
            .optional()?
            .map(|lang| lang.unwrap_or_else(|| "id".to_owned())))
    }

    /// The consent version a citizen's account holds.
    pub fn of_account(conn: &mut DbConnection, account_id: i64) -> QueryResult<Option<String>> {
        Ok(accounts::table
            .find(account_id)
            .select(accounts::mail_consent_version)
            .first::<Option<String>>(conn)
            .optional()?
            .flatten())
    }

    /// Whether the recipient still consents.
    pub fn holds(
        conn: &mut DbConnection,
        complaint_id: Option<i64>,
        account_id: Option<i64>,
    ) -> QueryResult<bool> {
        match (complaint_id, account_id) {
            (Some(id), _) => Ok(complaints::table
                .find(id)
                .filter(complaints::mail_consent_version.is_not_null())
                .filter(complaints::contact_email.is_not_null())
                .count()
                .get_result::<i64>(conn)?
                > 0),
            (None, Some(id)) => Ok(accounts::table
                .find(id)
                .filter(accounts::mail_consent_version.is_not_null())
                .filter(accounts::erased_at.is_null())
                .count()
                .get_result::<i64>(conn)?
                > 0),
            (None, None) => Ok(false),
        }
    }

    /// The sealed address to mail: the complaint's contact e-mail or the account's e-mail.
    pub fn address(
        conn: &mut DbConnection,
        complaint_id: Option<i64>,
        account_id: Option<i64>,
    ) -> QueryResult<Option<Sealed>> {
        match (complaint_id, account_id) {
            (Some(id), _) => Ok(complaints::table
                .find(id)
                .select(complaints::contact_email)
                .first::<Option<Sealed>>(conn)
                .optional()?
                .flatten()),
            (None, Some(id)) => accounts::table
                .find(id)
                .select(accounts::email)
                .first::<Sealed>(conn)
                .optional(),
            (None, None) => Ok(None),
        }
    }
}
