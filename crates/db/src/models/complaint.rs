//! Complaints (aduan): one person's report, with its evidence URLs.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::DbConnection;
use crate::schema::{cases, complaint_evidence, complaints};
use crate::vault::Sealed;
use laporlapak_domain::CaseStatus;

/// What a revoked tracking code's hash reads as, followed by the complaint's id.
pub const REVOKED_PREFIX: &str = "revoked:";
const REVOKED_PATTERN: &str = "revoked:%";

#[derive(Debug, Clone, Queryable, Selectable, Identifiable)]
#[diesel(table_name = complaints)]
pub struct Complaint {
    pub id: i64,
    /// The keyed hash of the tracking code (`Vault::tracking_code_index`); never the code.
    pub tracking_code_hash: String,
    pub case_id: i64,
    pub category_id: i64,
    pub platform_id: i64,
    pub listing_url: String,
    pub canonical_url: String,
    pub account_handle: Option<String>,
    pub description: String,
    pub province: Option<String>,
    pub city: Option<String>,
    pub anonymous: bool,
    pub reporter_account_id: Option<i64>,
    pub reporter_umkm: bool,
    pub contact_email: Option<Sealed>,
    pub flags: String,
    pub created_at: NaiveDateTime,
    pub withdrawn_at: Option<NaiveDateTime>,
    /// When the link to the person who reported it was erased (by the person, or by retention).
    pub personal_data_erased_at: Option<NaiveDateTime>,
    /// The trusted flagger (organisation) its reporter filed it for.
    pub organisation_id: Option<i64>,
    /// The boost that organisation's record earned it when it was filed.
    pub flagger_boost: i32,
    /// The public, or the ministry's own finding (no reporter).
    pub source: laporlapak_domain::ReportSource,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = complaints)]
pub struct ComplaintInsertForm<'a> {
    pub tracking_code_hash: &'a str,
    pub case_id: i64,
    pub category_id: i64,
    pub platform_id: i64,
    pub listing_url: &'a str,
    pub canonical_url: &'a str,
    pub account_handle: Option<&'a str>,
    pub description: &'a str,
    pub province: Option<&'a str>,
    pub city: Option<&'a str>,
    pub anonymous: bool,
    pub reporter_account_id: Option<i64>,
    pub reporter_umkm: bool,
    pub contact_email: Option<&'a Sealed>,
    pub flags: &'a str,
    pub created_at: NaiveDateTime,
    pub organisation_id: Option<i64>,
    pub flagger_boost: i32,
    pub source: laporlapak_domain::ReportSource,
}

/// What a tracking-code look-up matches: the keyed hash of the code, and the code itself, which a
/// row written before codes were hashed holds until the first start of this version hashes it
/// (`service::privacy::keys`); no row holds a code once that is done.
#[derive(Debug, Clone)]
pub struct TrackingLookup {
    pub hash: String,
    /// The code in its canonical spelling.
    pub code: String,
}

impl TrackingLookup {
    fn matches(&self) -> [&str; 2] {
        [&self.hash, &self.code]
    }
}

impl<'a> ComplaintInsertForm<'a> {
    /// The row to insert for a complaint built in memory (its `id` and `withdrawn_at` are not
    /// inserted).
    pub fn of(complaint: &'a Complaint) -> Self {
        Self {
            tracking_code_hash: &complaint.tracking_code_hash,
            case_id: complaint.case_id,
            category_id: complaint.category_id,
            platform_id: complaint.platform_id,
            listing_url: &complaint.listing_url,
            canonical_url: &complaint.canonical_url,
            account_handle: complaint.account_handle.as_deref(),
            description: &complaint.description,
            province: complaint.province.as_deref(),
            city: complaint.city.as_deref(),
            anonymous: complaint.anonymous,
            reporter_account_id: complaint.reporter_account_id,
            reporter_umkm: complaint.reporter_umkm,
            contact_email: complaint.contact_email.as_ref(),
            flags: &complaint.flags,
            created_at: complaint.created_at,
            organisation_id: complaint.organisation_id,
            flagger_boost: complaint.flagger_boost,
            source: complaint.source,
        }
    }
}

impl Complaint {
    /// Every complaint the account reported.
    pub fn ids_for_reporter(conn: &mut DbConnection, account_id: i64) -> QueryResult<Vec<i64>> {
        complaints::table
            .filter(complaints::reporter_account_id.eq(account_id))
            .order(complaints::id.asc())
            .select(complaints::id)
            .load(conn)
    }

    /// The account's complaints in one case (live updates of a reporter's own complaints).
    pub fn ids_for_reporter_in_case(
        conn: &mut DbConnection,
        account_id: i64,
        case_id: i64,
    ) -> QueryResult<Vec<i64>> {
        complaints::table
            .filter(complaints::reporter_account_id.eq(account_id))
            .filter(complaints::case_id.eq(case_id))
            .order(complaints::id.asc())
            .select(complaints::id)
            .load(conn)
    }

    /// Erases an anonymous complaint's contact e-mail.
    pub fn erase_contact(conn: &mut DbConnection, id: i64, at: NaiveDateTime) -> QueryResult<()> {
        diesel::update(complaints::table.find(id))
            .set((
                complaints::contact_email.eq(None::<Sealed>),
                complaints::mail_consent_version.eq(None::<String>),
                complaints::personal_data_erased_at.eq(at),
            ))
            .execute(conn)?;
        crate::models::mail::MailOutbox::forget_complaints(conn, &[id]).map(|_| ())
    }

    /// Complaints that still hold a contact or a reporter link although their case became final
    /// before `final_before` (retention).
    fn past_retention_query(
        final_before: NaiveDateTime,
    ) -> complaints::BoxedQuery<'static, crate::MultiBackend> {
        let final_cases = cases::table
            .filter(cases::status.eq_any(CaseStatus::ALL.iter().copied().filter(|s| s.is_final())))
            .filter(cases::updated_at.lt(final_before))
            .select(cases::id);
        complaints::table
            .filter(complaints::personal_data_erased_at.is_null())
            .filter(
                complaints::reporter_account_id
                    .is_not_null()
                    .or(complaints::contact_email.is_not_null()),
            )
            .filter(complaints::case_id.eq_any(final_cases))
            .into_boxed()
    }

    pub fn count_past_retention(
        conn: &mut DbConnection,
        final_before: NaiveDateTime,
    ) -> QueryResult<i64> {
        Self::past_retention_query(final_before)
            .count()
            .get_result(conn)
    }

    pub fn past_retention(
        conn: &mut DbConnection,
        final_before: NaiveDateTime,
        limit: i64,
    ) -> QueryResult<Vec<i64>> {
        Self::past_retention_query(final_before)
            .order(complaints::id.asc())
            .limit(limit)
            .select(complaints::id)
            .load(conn)
    }

    /// Erasure of the reporter's account: the complaints' tracking codes stop working. The hash is
    /// replaced by `revoked:<id>`, which no code's hash (hex) or code (`LL-…`) can match, so the
    /// complaint, its thread and its replies are no longer readable by tracking code. Returns how
    /// many codes were revoked.
    pub fn revoke_tracking_codes(conn: &mut DbConnection, ids: &[i64]) -> QueryResult<usize> {
        let mut revoked = 0;
        for &id in ids {
            revoked += diesel::update(
                complaints::table
                    .filter(complaints::id.eq(id))
                    .filter(complaints::tracking_code_hash.not_like(REVOKED_PATTERN)),
            )
            .set(complaints::tracking_code_hash.eq(format!("{REVOKED_PREFIX}{id}")))
            .execute(conn)?;
        }
        Ok(revoked)
    }

    /// Complaints of cases final before `final_before` whose evidence retention has not run:
    /// their file names, originals and the identifiers read from their reporters' words.
    fn evidence_past_retention_query(
        final_before: NaiveDateTime,
    ) -> complaints::BoxedQuery<'static, crate::MultiBackend> {
        let final_cases = cases::table
            .filter(cases::status.eq_any(CaseStatus::ALL.iter().copied().filter(|s| s.is_final())))
            .filter(cases::updated_at.lt(final_before))
            .select(cases::id);
        complaints::table
            .filter(complaints::evidence_retained_at.is_null())
            .filter(complaints::case_id.eq_any(final_cases))
            .into_boxed()
    }

    pub fn count_evidence_past_retention(
        conn: &mut DbConnection,
        final_before: NaiveDateTime,
    ) -> QueryResult<i64> {
        Self::evidence_past_retention_query(final_before)
            .count()
            .get_result(conn)
    }

    pub fn evidence_past_retention(
        conn: &mut DbConnection,
        final_before: NaiveDateTime,
        limit: i64,
    ) -> QueryResult<Vec<i64>> {
        Self::evidence_past_retention_query(final_before)
            .order(complaints::id.asc())
            .limit(limit)
            .select(complaints::id)
            .load(conn)
    }

    /// Retention: the evidence of the complaints `ids` is covered. Returns how many file names
    /// were blanked (to `blank_name`, a sealed empty name).
    pub fn mark_evidence_retained(
        conn: &mut DbConnection,
        ids: &[i64],
        blank_name: &Sealed,
        at: NaiveDateTime,
    ) -> QueryResult<usize> {
        use crate::schema::complaint_files;
        let names = diesel::update(
            complaint_files::table.filter(complaint_files::complaint_id.eq_any(ids)),
        )
        .set(complaint_files::file_name.eq(blank_name))
        .execute(conn)?;
        diesel::update(complaints::table.filter(complaints::id.eq_any(ids)))
            .set(complaints::evidence_retained_at.eq(at))
            .execute(conn)?;
        Ok(names)
    }

    /// Erasure and retention: the complaints `ids` keep everything but their contact e-mail and
    /// their links to the reporter's account (their own, their replies' and their uploads').
    /// Returns how many replies lost their author.
    pub fn erase_reporter_data(
        conn: &mut DbConnection,
        ids: &[i64],
        at: NaiveDateTime,
    ) -> QueryResult<usize> {
        use crate::schema::{complaint_files, messages};
        let replies = diesel::update(
            messages::table
                .filter(messages::complaint_id.eq_any(ids))
                .filter(messages::author_account_id.is_not_null()),
        )
        .set(messages::author_account_id.eq(None::<i64>))
        .execute(conn)?;
        diesel::update(complaint_files::table.filter(complaint_files::complaint_id.eq_any(ids)))
            .set(complaint_files::uploader_account_id.eq(None::<i64>))
            .execute(conn)?;
        diesel::update(complaints::table.filter(complaints::id.eq_any(ids)))
            .set((
                complaints::reporter_account_id.eq(None::<i64>),
                complaints::contact_email.eq(None::<Sealed>),
                complaints::mail_consent_version.eq(None::<String>),
                complaints::personal_data_erased_at.eq(at),
            ))
            .execute(conn)?;
        crate::models::mail::MailOutbox::forget_complaints(conn, ids)?;
        Ok(replies)
    }

    pub fn find(conn: &mut DbConnection, id: i64) -> QueryResult<Option<Self>> {
        complaints::table
            .find(id)
            .select(Self::as_select())
            .first(conn)
            .optional()
    }

    pub fn find_by_tracking_code(
        conn: &mut DbConnection,
        code: &TrackingLookup,
    ) -> QueryResult<Option<Self>> {
        complaints::table
            .filter(complaints::tracking_code_hash.eq_any(code.matches()))
            .select(Self::as_select())
            .first(conn)
            .optional()
    }

    /// The complaint with this tracking code and the status of its case, in one statement.
    /// The complaint a tracking code names, with its case's status and the deadline of the
    /// reviewer's question it waits on, if any.
    pub fn find_with_status_by_tracking_code(
        conn: &mut DbConnection,
        code: &TrackingLookup,
    ) -> QueryResult<Option<(Self, CaseStatus, Option<NaiveDateTime>)>> {
        complaints::table
            .inner_join(cases::table)
            .filter(complaints::tracking_code_hash.eq_any(code.matches()))
            .select((Self::as_select(), cases::status, cases::reply_due_at))
            .first(conn)
            .optional()
    }

    /// Rows still holding a tracking code in clear (written before codes were hashed), up to
    /// `limit`, as (id, code).
    pub fn clear_tracking_codes(
        conn: &mut DbConnection,
        limit: i64,
    ) -> QueryResult<Vec<(i64, String)>> {
        complaints::table
            .filter(complaints::tracking_code_hash.like("LL-%"))
            .order(complaints::id.asc())
            .limit(limit)
            .select((complaints::id, complaints::tracking_code_hash))
            .load(conn)
    }

    /// Replaces a clear tracking code with its hash, if the row still holds `code`.
    pub fn hash_tracking_code(
        conn: &mut DbConnection,
        id: i64,
        code: &str,
        hash: &str,
    ) -> QueryResult<usize> {
        diesel::update(
            complaints::table
                .filter(complaints::id.eq(id))
                .filter(complaints::tracking_code_hash.eq(code)),
        )
        .set(complaints::tracking_code_hash.eq(hash))
        .execute(conn)
    }

    /// Inserts; a tracking-code collision surfaces as a unique violation for the caller to retry.
    pub fn insert(conn: &mut DbConnection, form: &ComplaintInsertForm<'_>) -> QueryResult<i64> {
        diesel::insert_into(complaints::table)
            .values(form)
            .returning(complaints::id)
            .get_result(conn)
    }

    /// A reporter's complaints, newest first, after the keyset cursor `before_id`.
    pub fn page_for_reporter(
        conn: &mut DbConnection,
        reporter_account_id: i64,
        before_id: Option<i64>,
        limit: i64,
    ) -> QueryResult<Vec<Self>> {
        let mut query = complaints::table
            .filter(complaints::reporter_account_id.eq(reporter_account_id))
            .order(complaints::id.desc())
            .limit(limit)
            .select(Self::as_select())
            .into_boxed();
        if let Some(before_id) = before_id {
            query = query.filter(complaints::id.lt(before_id));
        }
        query.load(conn)
    }

    pub fn count_for_reporter(
        conn: &mut DbConnection,
        reporter_account_id: i64,
    ) -> QueryResult<i64> {
        complaints::table
            .filter(complaints::reporter_account_id.eq(reporter_account_id))
            .count()
            .get_result(conn)
    }

    /// Marks the complaint withdrawn once; returns whether this call did it.
    pub fn withdraw(conn: &mut DbConnection, id: i64, at: NaiveDateTime) -> QueryResult<bool> {
        let changed = diesel::update(complaints::table.find(id))
            .filter(complaints::withdrawn_at.is_null())
            .set(complaints::withdrawn_at.eq(at))
            .execute(conn)?;
        Ok(changed == 1)
    }

    /// Adds evidence URLs in one statement. The multi-row `VALUES` is rendered by each backend's
    /// own connection: `MultiConnection` cannot render it.
    pub fn add_evidence(
        conn: &mut DbConnection,
        complaint_id: i64,
        urls: &[String],
        at: NaiveDateTime,
    ) -> QueryResult<()> {
        if urls.is_empty() {
            return Ok(());
        }
        let rows: Vec<_> = urls
            .iter()
            .map(|url| {
                (
                    complaint_evidence::complaint_id.eq(complaint_id),
                    complaint_evidence::url.eq(url),
                    complaint_evidence::added_at.eq(at),
                )
            })
            .collect();
        let insert = diesel::insert_into(complaint_evidence::table).values(rows);
        match conn {
            DbConnection::Postgres(conn) => insert.execute(conn),
            DbConnection::Sqlite(conn) => insert.execute(conn),
        }
        .map(|_| ())
    }

    /// Whether the account's complaints that still count in this case, filed under its name (not
    /// anonymously), were filed as an UMKM seller: one entry per such complaint, none when the
    /// account has not reported this case before.
    pub fn named_reports_in_case(
        conn: &mut DbConnection,
        case_id: i64,
        account_id: i64,
    ) -> QueryResult<Vec<bool>> {
        complaints::table
            .filter(complaints::reporter_account_id.eq(account_id))
            .filter(complaints::case_id.eq(case_id))
            .filter(complaints::withdrawn_at.is_null())
            .filter(complaints::anonymous.eq(false))
            .select(complaints::reporter_umkm)
            .load(conn)
    }

    /// Evidence URLs of the given complaints, in the order they were added.
    pub fn evidence_for(conn: &mut DbConnection, ids: &[i64]) -> QueryResult<Vec<(i64, String)>> {
        complaint_evidence::table
            .filter(complaint_evidence::complaint_id.eq_any(ids))
            .order((complaint_evidence::complaint_id, complaint_evidence::id))
            .select((complaint_evidence::complaint_id, complaint_evidence::url))
            .load(conn)
    }

    pub fn evidence_count(conn: &mut DbConnection, complaint_id: i64) -> QueryResult<i64> {
        complaint_evidence::table
            .filter(complaint_evidence::complaint_id.eq(complaint_id))
            .count()
            .get_result(conn)
    }
}
