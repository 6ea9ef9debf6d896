//! Organisations as trusted flaggers (migration 000039): the organisation, its member accounts,
//! its record, and the reports its members filed for it.

use chrono::NaiveDateTime;
use diesel::dsl::{count_star, exists};
use diesel::prelude::*;

use crate::DbConnection;
use crate::schema::{accounts, cases, complaints, organisation_members, organisations};
use laporlapak_domain::organisation::FlaggerRecord;
use laporlapak_domain::{CaseStatus, OrganisationKind, OrganisationStatus};

#[derive(Debug, Clone, Queryable, Selectable, Identifiable)]
#[diesel(table_name = organisations)]
pub struct Organisation {
    pub id: i64,
    pub name: String,
    pub kind: OrganisationKind,
    pub contact: String,
    pub status: OrganisationStatus,
    /// Why an ADMIN last changed the status.
    pub status_reason: Option<String>,
    /// Most items one `submitComplaints` call or CSV file may hold (1–100).
    pub max_batch_items: i32,
    /// Bulk submissions (calls or files) per hour.
    pub batches_per_hour: i32,
    /// Most bytes of a CSV file.
    pub max_csv_bytes: i32,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// A member account as an ADMIN lists it.
#[derive(Debug, Clone, Queryable)]
pub struct Member {
    pub account_id: i64,
    pub display_name: String,
    pub added_at: NaiveDateTime,
}

/// A report a member filed for the organisation, with its case's status.
#[derive(Debug, Clone, Queryable)]
pub struct OrganisationReport {
    pub complaint_id: i64,
    pub case_id: i64,
    pub category_id: i64,
    pub platform_id: i64,
    pub listing_url: String,
    pub created_at: NaiveDateTime,
    pub withdrawn_at: Option<NaiveDateTime>,
    pub case_status: CaseStatus,
    pub reporter_display_name: Option<String>,
}

/// The statuses in which a case was decided without a request.
const DECIDED_WITHOUT_REQUEST: [CaseStatus; 2] = [CaseStatus::Rejected, CaseStatus::Closed];

impl Organisation {
    pub fn insert(
        conn: &mut DbConnection,
        name: &str,
        kind: OrganisationKind,
        contact: &str,
        at: NaiveDateTime,
    ) -> QueryResult<i64> {
        diesel::insert_into(organisations::table)
            .values((
                organisations::name.eq(name),
                organisations::kind.eq(kind),
                organisations::contact.eq(contact),
                organisations::status.eq(OrganisationStatus::Active),
                organisations::created_at.eq(at),
                organisations::updated_at.eq(at),
            ))
            .returning(organisations::id)
            .get_result(conn)
    }

    pub fn find(conn: &mut DbConnection, id: i64) -> QueryResult<Option<Self>> {
        organisations::table
            .find(id)
            .select(Self::as_select())
            .first(conn)
            .optional()
    }

    /// Whether another organisation has this name (case-insensitively).
    pub fn name_taken(conn: &mut DbConnection, name: &str) -> QueryResult<bool> {
        let lowered = name.to_lowercase();
        let names: Vec<String> = organisations::table
            .select(organisations::name)
            .load(conn)?;
        Ok(names.iter().any(|known| known.to_lowercase() == lowered))
    }

    /// Every organisation, oldest first.
    pub fn list(conn: &mut DbConnection) -> QueryResult<Vec<Self>> {
        organisations::table
            .order(organisations::id.asc())
            .select(Self::as_select())
            .load(conn)
    }

    /// The organisation the account is a member of, if any: one statement.
    pub fn of_member(conn: &mut DbConnection, account_id: i64) -> QueryResult<Option<Self>> {
        organisation_members::table
            .inner_join(
                organisations::table
                    .on(organisations::id.eq(organisation_members::organisation_id)),
            )
            .filter(organisation_members::account_id.eq(account_id))
            .select(Self::as_select())
            .first(conn)
            .optional()
    }

    pub fn set_status(
        conn: &mut DbConnection,
        id: i64,
        status: OrganisationStatus,
        reason: &str,
        at: NaiveDateTime,
    ) -> QueryResult<()> {
        diesel::update(organisations::table.find(id))
            .set((
                organisations::status.eq(status),
                organisations::status_reason.eq(reason),
                organisations::updated_at.eq(at),
            ))
            .execute(conn)?;
        Ok(())
    }

    /// Adds a member; a unique violation when the account is a member of any organisation.
    pub fn add_member(
        conn: &mut DbConnection,
        id: i64,
        account_id: i64,
        added_by: i64,
        at: NaiveDateTime,
    ) -> QueryResult<()> {
        diesel::insert_into(organisation_members::table)
            .values((
                organisation_members::account_id.eq(account_id),
                organisation_members::organisation_id.eq(id),
                organisation_members::added_by.eq(added_by),
                organisation_members::added_at.eq(at),
            ))
            .execute(conn)?;
        Ok(())
    }

    /// Removes a member; whether it was one.
    pub fn remove_member(conn: &mut DbConnection, id: i64, account_id: i64) -> QueryResult<bool> {
        let removed = diesel::delete(
            organisation_members::table
                .filter(organisation_members::organisation_id.eq(id))
                .filter(organisation_members::account_id.eq(account_id)),
        )
        .execute(conn)?;
        Ok(removed > 0)
    }

    /// The organisation's members, in the order they were added.
    pub fn members(conn: &mut DbConnection, id: i64) -> QueryResult<Vec<Member>> {
        organisation_members::table
            .inner_join(accounts::table.on(accounts::id.eq(organisation_members::account_id)))
            .filter(organisation_members::organisation_id.eq(id))
            .order((
                organisation_members::added_at.asc(),
                organisation_members::account_id.asc(),
            ))
            .select((
                organisation_members::account_id,
                accounts::display_name,
                organisation_members::added_at,
            ))
            .load(conn)
    }

    /// The organisation's record: of its reports that still count and whose case was decided,
    /// how many led to a takedown request. Two statements.
    pub fn record(conn: &mut DbConnection, id: i64) -> QueryResult<FlaggerRecord> {
        let has_request = exists(
            crate::schema::takedown_requests::table
                .filter(crate::schema::takedown_requests::case_id.eq(cases::id)),
        );
        let reports = || {
            complaints::table
                .inner_join(cases::table.on(cases::id.eq(complaints::case_id)))
                .filter(complaints::organisation_id.eq(id))
                .filter(complaints::withdrawn_at.is_null())
        };
        let requested: i64 = reports()
            .filter(has_request)
            .select(count_star())
            .get_result(conn)?;
        let decided: i64 = reports()
            .filter(
                exists(
                    crate::schema::takedown_requests::table
                        .filter(crate::schema::takedown_requests::case_id.eq(cases::id)),
                )
                .or(cases::status.eq_any(DECIDED_WITHOUT_REQUEST)),
            )
            .select(count_star())
            .get_result(conn)?;
        let clamp = |n: i64| u32::try_from(n).unwrap_or(u32::MAX);
        Ok(FlaggerRecord {
            decided: clamp(decided),
            requested: clamp(requested),
        })
    }

    /// A page of the reports filed for the organisation, newest first, before complaint
    /// `before_id`; and how many there are in all.
    pub fn reports(
        conn: &mut DbConnection,
        id: i64,
        before_id: Option<i64>,
        limit: i64,
    ) -> QueryResult<(Vec<OrganisationReport>, i64)> {
        let mut query = complaints::table
            .inner_join(cases::table.on(cases::id.eq(complaints::case_id)))
            .left_join(
                accounts::table.on(accounts::id.nullable().eq(complaints::reporter_account_id)),
            )
            .filter(complaints::organisation_id.eq(id))
            .into_boxed();
        if let Some(before) = before_id {
            query = query.filter(complaints::id.lt(before));
        }
        let page = query
            .order(complaints::id.desc())
            .limit(limit)
            .select((
                complaints::id,
                complaints::case_id,
                complaints::category_id,
                complaints::platform_id,
                complaints::listing_url,
                complaints::created_at,
                complaints::withdrawn_at,
                cases::status,
                accounts::display_name.nullable(),
            ))
            .load(conn)?;
        let total = complaints::table
            .filter(complaints::organisation_id.eq(id))
            .count()
            .get_result(conn)?;
        Ok((page, total))
    }
}
