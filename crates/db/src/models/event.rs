//! The append-only audit trail. Rows are inserted, never updated or deleted (the migrations install
//! triggers that refuse both), and every state change writes its event in the same transaction.

use chrono::NaiveDateTime;
use const_format::concatcp;
use diesel::prelude::*;

use crate::DbConnection;
use crate::predicate::Predicate;
use crate::schema::events;
use laporlapak_domain::{ActorRole, AuditAction, CaseStatus, SubjectKind};

#[derive(Debug, Clone, Queryable, Selectable, Identifiable)]
#[diesel(table_name = events)]
pub struct Event {
    pub id: i64,
    pub at: NaiveDateTime,
    pub actor_account_id: Option<i64>,
    pub actor_role: Option<ActorRole>,
    pub action: AuditAction,
    pub subject_type: SubjectKind,
    pub subject_id: i64,
    pub case_id: Option<i64>,
    pub case_status: Option<CaseStatus>,
    pub details: Option<String>,
    pub actor_api_client_id: Option<i64>,
}

/// The predicate of the index `events_case_status_changes`: events about a case that set its status.
pub const CASE_STATUS_CHANGE: Predicate = Predicate(concatcp!(
    "subject_type = '",
    SubjectKind::Case.as_str(),
    "' AND case_status IS NOT NULL"
));

#[derive(Debug, Insertable)]
#[diesel(table_name = events)]
pub struct EventInsertForm<'a> {
    pub at: NaiveDateTime,
    pub actor_account_id: Option<i64>,
    pub actor_role: Option<ActorRole>,
    pub action: AuditAction,
    pub subject_type: SubjectKind,
    pub subject_id: i64,
    pub case_id: Option<i64>,
    pub case_status: Option<CaseStatus>,
    pub details: Option<&'a str>,
    pub actor_api_client_id: Option<i64>,
}

impl Event {
    /// The newest `limit` events of `action` about the account `account_id`.
    pub fn about_account(
        conn: &mut DbConnection,
        account_id: i64,
        action: AuditAction,
        limit: i64,
    ) -> QueryResult<Vec<Self>> {
        events::table
            .filter(events::subject_type.eq(SubjectKind::Account))
            .filter(events::subject_id.eq(account_id))
            .filter(events::action.eq(action))
            .order(events::id.desc())
            .limit(limit)
            .select(Self::as_select())
            .load(conn)
    }

    /// How many events the account did.
    /// The events where `account_id` acted, newest first.
    pub fn by_actor(
        conn: &mut DbConnection,
        account_id: i64,
        limit: i64,
    ) -> QueryResult<Vec<Self>> {
        events::table
            .filter(events::actor_account_id.eq(account_id))
            .order(events::id.desc())
            .limit(limit)
            .select(Self::as_select())
            .load(conn)
    }

    pub fn count_by_actor(conn: &mut DbConnection, account_id: i64) -> QueryResult<i64> {
        events::table
            .filter(events::actor_account_id.eq(account_id))
            .count()
            .get_result(conn)
    }

    pub fn append(conn: &mut DbConnection, form: &EventInsertForm<'_>) -> QueryResult<()> {
        diesel::insert_into(events::table)
            .values(form)
            .execute(conn)
            .map(|_| ())
    }

    /// A complaint's public timeline in one statement: the events about the complaint itself, and
    /// its case's status changes since `since` (the index `events_case_status_changes` spells the
    /// same predicate, so both planners use it), oldest first.
    pub fn complaint_timeline(
        conn: &mut DbConnection,
        complaint_id: i64,
        case_id: i64,
        since: NaiveDateTime,
    ) -> QueryResult<Vec<Self>> {
        events::table
            .filter(
                events::subject_type
                    .eq(SubjectKind::Complaint)
                    .and(events::subject_id.eq(complaint_id))
                    .or(events::case_id
                        .eq(case_id)
                        .and(CASE_STATUS_CHANGE)
                        .and(events::at.ge(since))),
            )
            .order(events::id.asc())
            .select(Self::as_select())
            .load(conn)
    }
}
