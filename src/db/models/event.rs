//! The append-only audit trail. Rows are inserted, never updated or deleted (the migrations install
//! triggers that refuse both), and every state change writes its event in the same transaction.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::DbConnection;
use crate::db::schema::events;
use crate::domain::{ActorRole, AuditAction, CaseStatus, SubjectKind};

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
}

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
}

impl Event {
    pub fn append(conn: &mut DbConnection, form: &EventInsertForm<'_>) -> QueryResult<()> {
        diesel::insert_into(events::table)
            .values(form)
            .execute(conn)
            .map(|_| ())
    }

    /// Status changes of a case since `since`, for the public timeline.
    pub fn case_status_changes(
        conn: &mut DbConnection,
        case_id: i64,
        since: NaiveDateTime,
    ) -> QueryResult<Vec<Self>> {
        events::table
            .filter(events::case_id.eq(case_id))
            .filter(events::case_status.is_not_null())
            .filter(events::at.ge(since))
            .order(events::id.asc())
            .select(Self::as_select())
            .load(conn)
    }

    pub fn for_subject(
        conn: &mut DbConnection,
        subject_type: SubjectKind,
        subject_id: i64,
    ) -> QueryResult<Vec<Self>> {
        events::table
            .filter(events::subject_type.eq(subject_type))
            .filter(events::subject_id.eq(subject_id))
            .order(events::id.asc())
            .select(Self::as_select())
            .load(conn)
    }
}
