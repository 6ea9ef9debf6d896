//! The ministry's own figures (the public scorecard of its triage), read from the rows of one
//! period: cases opened and when they were first decided, the backlog of undecided cases,
//! questions to reporters, rejections by reason, appeals by outcome. Portable SQL: both backends
//! give the same rows.

use chrono::NaiveDateTime;
use diesel::dsl::{count_star, min};
use diesel::prelude::*;

use crate::DbConnection;
use crate::schema::{appeals, cases, complaints, events};
use laporlapak_domain::{AppealDecision, AuditAction, CaseStatus, RejectionReason};

/// The audit actions that decide a case at triage: forwarded to its platform, rejected, escalated
/// to another authority or recommended to Komdigi.
pub const TRIAGE_DECISIONS: [AuditAction; 4] = [
    AuditAction::CaseForwarded,
    AuditAction::CaseRejected,
    AuditAction::CaseEscalated,
    AuditAction::CaseRecommended,
];

/// The statuses of a case the ministry has not decided yet.
pub const UNDECIDED: [CaseStatus; 3] = [
    CaseStatus::Open,
    CaseStatus::InReview,
    CaseStatus::AwaitingInfo,
];

/// Complaints received in `[from, to)`.
pub fn complaints(
    conn: &mut DbConnection,
    from: NaiveDateTime,
    to: NaiveDateTime,
) -> QueryResult<i64> {
    complaints::table
        .filter(complaints::created_at.ge(from))
        .filter(complaints::created_at.lt(to))
        .select(count_star())
        .get_result(conn)
}

/// One case opened in the period: its creation, status, rejection reason and first triage
/// decision (if any).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenedCase {
    pub id: i64,
    pub created_at: NaiveDateTime,
    pub status: CaseStatus,
    pub rejection_reason: Option<RejectionReason>,
    pub decided_at: Option<NaiveDateTime>,
}

/// The cases opened in `[from, to)` with their first triage decision: two statements.
pub fn opened_cases(
    conn: &mut DbConnection,
    from: NaiveDateTime,
    to: NaiveDateTime,
) -> QueryResult<Vec<OpenedCase>> {
    let rows: Vec<(i64, NaiveDateTime, CaseStatus, Option<RejectionReason>)> = cases::table
        .filter(cases::created_at.ge(from))
        .filter(cases::created_at.lt(to))
        .select((
            cases::id,
            cases::created_at,
            cases::status,
            cases::rejection_reason,
        ))
        .order(cases::id.asc())
        .load(conn)?;
    let decided: Vec<(Option<i64>, Option<NaiveDateTime>)> = events::table
        .filter(
            events::case_id.eq_any(
                cases::table
                    .filter(cases::created_at.ge(from))
                    .filter(cases::created_at.lt(to))
                    .select(cases::id.nullable()),
            ),
        )
        .filter(events::action.eq_any(TRIAGE_DECISIONS))
        .group_by(events::case_id)
        .select((events::case_id, min(events::at)))
        .load(conn)?;
    let decided: std::collections::HashMap<i64, NaiveDateTime> = decided
        .into_iter()
        .filter_map(|(case_id, at)| Some((case_id?, at?)))
        .collect();
    Ok(rows
        .into_iter()
        .map(|(id, created_at, status, rejection_reason)| OpenedCase {
            id,
            created_at,
            status,
            rejection_reason,
            decided_at: decided.get(&id).copied(),
        })
        .collect())
}

/// The creation times of every case undecided now (the backlog).
pub fn backlog(conn: &mut DbConnection) -> QueryResult<Vec<NaiveDateTime>> {
    cases::table
        .filter(cases::status.eq_any(UNDECIDED))
        .select(cases::created_at)
        .load(conn)
}

/// The audit events of `actions` in `[from, to)`: their action and time.
pub fn events_at(
    conn: &mut DbConnection,
    actions: &[AuditAction],
    from: NaiveDateTime,
    to: NaiveDateTime,
) -> QueryResult<Vec<(AuditAction, NaiveDateTime)>> {
    events::table
        .filter(events::action.eq_any(actions.to_vec()))
        .filter(events::at.ge(from))
        .filter(events::at.lt(to))
        .select((events::action, events::at))
        .load(conn)
}

/// The appeals filed in `[from, to)`: when, and their decision (null: pending).
pub fn appeals(
    conn: &mut DbConnection,
    from: NaiveDateTime,
    to: NaiveDateTime,
) -> QueryResult<Vec<(NaiveDateTime, Option<AppealDecision>)>> {
    appeals::table
        .filter(appeals::filed_at.ge(from))
        .filter(appeals::filed_at.lt(to))
        .select((appeals::filed_at, appeals::decision))
        .load(conn)
}
