//! Appeals against a rejection: one per complaint, decided by a reviewer other than the one who
//! rejected the case.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::DbConnection;
use crate::schema::{appeals, events};
use crate::vault::Sealed;
use laporlapak_domain::{AppealDecision, AuditAction, SubjectKind};

#[derive(Debug, Clone, Queryable, Selectable, Identifiable)]
#[diesel(table_name = appeals)]
pub struct Appeal {
    pub id: i64,
    pub case_id: i64,
    pub complaint_id: i64,
    /// Sealed (`Field::AppealBody`).
    pub body: Sealed,
    pub rejected_by: Option<i64>,
    pub filed_at: NaiveDateTime,
    pub decision: Option<AppealDecision>,
    pub decision_reason: Option<String>,
    pub decided_by: Option<i64>,
    pub decided_at: Option<NaiveDateTime>,
}

pub struct NewAppeal<'a> {
    pub case_id: i64,
    pub complaint_id: i64,
    pub sealed_body: &'a Sealed,
    pub rejected_by: Option<i64>,
    pub filed_at: NaiveDateTime,
}

impl Appeal {
    pub fn find(conn: &mut DbConnection, id: i64) -> QueryResult<Option<Self>> {
        appeals::table
            .find(id)
            .select(Self::as_select())
            .first(conn)
            .optional()
    }

    pub fn for_complaint(conn: &mut DbConnection, complaint_id: i64) -> QueryResult<Option<Self>> {
        appeals::table
            .filter(appeals::complaint_id.eq(complaint_id))
            .select(Self::as_select())
            .first(conn)
            .optional()
    }

    /// Files the appeal; a second one for the complaint is a unique violation.
    pub fn insert(conn: &mut DbConnection, appeal: &NewAppeal<'_>) -> QueryResult<i64> {
        diesel::insert_into(appeals::table)
            .values((
                appeals::case_id.eq(appeal.case_id),
                appeals::complaint_id.eq(appeal.complaint_id),
                appeals::body.eq(appeal.sealed_body),
                appeals::rejected_by.eq(appeal.rejected_by),
                appeals::filed_at.eq(appeal.filed_at),
            ))
            .returning(appeals::id)
            .get_result(conn)
    }

    /// Records the decision, if the appeal is still pending (false when another reviewer decided
    /// it meanwhile).
    pub fn decide(
        conn: &mut DbConnection,
        id: i64,
        decision: AppealDecision,
        reason: &str,
        decided_by: i64,
        at: NaiveDateTime,
    ) -> QueryResult<bool> {
        let updated = diesel::update(appeals::table.find(id).filter(appeals::decision.is_null()))
            .set((
                appeals::decision.eq(decision),
                appeals::decision_reason.eq(reason),
                appeals::decided_by.eq(decided_by),
                appeals::decided_at.eq(at),
            ))
            .execute(conn)?;
        Ok(updated == 1)
    }

    /// Up to `limit` pending appeals, oldest first, after appeal `after`.
    pub fn pending(
        conn: &mut DbConnection,
        after: Option<(NaiveDateTime, i64)>,
        limit: i64,
    ) -> QueryResult<Vec<Self>> {
        let mut query = appeals::table
            .filter(appeals::decision.is_null())
            .order((appeals::filed_at.asc(), appeals::id.asc()))
            .limit(limit)
            .select(Self::as_select())
            .into_boxed();
        if let Some((at, id)) = after {
            query = query.filter(
                appeals::filed_at
                    .gt(at)
                    .or(appeals::filed_at.eq(at).and(appeals::id.gt(id))),
            );
        }
        query.load(conn)
    }
}

/// The last rejection of a case: who rejected it and when.
pub fn last_rejection(
    conn: &mut DbConnection,
    case_id: i64,
) -> QueryResult<Option<(Option<i64>, NaiveDateTime)>> {
    events::table
        .filter(events::subject_type.eq(SubjectKind::Case))
        .filter(events::subject_id.eq(case_id))
        .filter(events::action.eq(AuditAction::CaseRejected))
        .order(events::id.desc())
        .select((events::actor_account_id, events::at))
        .first(conn)
        .optional()
}
