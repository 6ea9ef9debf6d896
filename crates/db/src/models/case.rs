//! Cases: one target (canonical URL) on one platform. Every open complaint about that target
//! belongs to the same case; the partial unique index `cases_open_target` guarantees there is at
//! most one non-final case per target, whatever the concurrency.

use chrono::NaiveDateTime;
use const_format::concatcp;
use diesel::dsl::count;
use diesel::prelude::*;

use crate::DbConnection;
use crate::models::complaint::Complaint;
use crate::models::event::Event;
use crate::predicate::Predicate;
use crate::schema::{cases, complaints, events, takedown_requests};
use laporlapak_domain::{Authority, CaseStatus, RejectionReason, TakedownAction, TargetKind};

#[derive(Debug, Clone, Queryable, Selectable, Identifiable)]
#[diesel(table_name = cases)]
pub struct Case {
    pub id: i64,
    pub platform_id: i64,
    pub category_id: i64,
    pub target: String,
    pub target_kind: TargetKind,
    pub status: CaseStatus,
    pub report_count: i32,
    pub umkm_report_count: i32,
    pub flags: String,
    pub priority: i32,
    pub assignee_id: Option<i64>,
    pub version: i32,
    pub merged_into_id: Option<i64>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub escalated_to: Option<Authority>,
    pub takedown_due_at: Option<NaiveDateTime>,
    /// The seller a reviewer confirmed this case belongs to.
    pub seller_id: Option<i64>,
    /// The repeat-offender score of that seller (0 without one).
    pub seller_score: i32,
    /// The earlier case whose removal this one re-lists.
    pub relisted_from_id: Option<i64>,
    /// When the reviewer's question the case waits on expires (AWAITING_INFO only).
    pub reply_due_at: Option<NaiveDateTime>,
    /// The largest trusted-flagger boost of its complaints that still count (0 without one).
    pub flagger_boost: i32,
    /// Who opened it: the public, or the ministry itself.
    pub source: laporlapak_domain::ReportSource,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = cases)]
pub struct CaseInsertForm<'a> {
    pub platform_id: i64,
    pub category_id: i64,
    pub target: &'a str,
    pub target_kind: TargetKind,
    pub status: CaseStatus,
    pub report_count: i32,
    pub umkm_report_count: i32,
    pub flags: &'a str,
    pub priority: i32,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub relisted_from_id: Option<i64>,
    pub flagger_boost: i32,
    pub source: laporlapak_domain::ReportSource,
}

/// What a new complaint needs of the open case it joins, read as the case is locked.
#[derive(Debug, Clone, Queryable)]
pub struct JoinedCase {
    pub id: i64,
    pub status: CaseStatus,
    pub category_id: i64,
    pub report_count: i32,
    pub umkm_report_count: i32,
    pub flags: String,
    pub seller_score: i32,
    pub relisted_from_id: Option<i64>,
    pub flagger_boost: i32,
}

/// A case's counters, flags and priority, as a submission or a recount sets them.
#[derive(Debug, Clone, Copy)]
pub struct CaseStats<'a> {
    pub report_count: i32,
    pub umkm_report_count: i32,
    /// Matched keyword phrases, one per line, sorted.
    pub flags: &'a str,
    pub priority: i32,
    /// The largest trusted-flagger boost of the complaints that still count.
    pub flagger_boost: i32,
}

/// Counts derived from a case's complaints that still count (not withdrawn).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReporterCounts {
    pub reporters: i64,
    pub umkm_reporters: i64,
    pub complaints: i64,
    /// The largest trusted-flagger boost among them.
    pub flagger_boost: i32,
}

fn non_final_statuses() -> Vec<CaseStatus> {
    CaseStatus::non_final().collect()
}

impl Case {
    pub fn find(conn: &mut DbConnection, id: i64) -> QueryResult<Option<Self>> {
        cases::table
            .find(id)
            .select(Self::as_select())
            .first(conn)
            .optional()
    }

    pub fn find_many(conn: &mut DbConnection, ids: &[i64]) -> QueryResult<Vec<Self>> {
        cases::table
            .filter(cases::id.eq_any(ids))
            .select(Self::as_select())
            .load(conn)
    }

    /// The non-final case for this target, if any.
    pub fn find_open_for_target(
        conn: &mut DbConnection,
        platform_id: i64,
        target: &str,
    ) -> QueryResult<Option<Self>> {
        cases::table
            .filter(cases::platform_id.eq(platform_id))
            .filter(cases::target.eq(target))
            .filter(cases::status.eq_any(non_final_statuses()))
            .select(Self::as_select())
            .first(conn)
            .optional()
    }

    /// Locks the non-final case of this target for a new complaint (bumping its version takes the
    /// row lock on PostgreSQL) and returns what the complaint needs of it; `None` when the target
    /// has no open case. One statement, spelled with the predicate of the index `cases_open_target`
    /// so that both planners use it.
    pub fn lock_open_for_target(
        conn: &mut DbConnection,
        platform_id: i64,
        target: &str,
        at: NaiveDateTime,
    ) -> QueryResult<Option<JoinedCase>> {
        diesel::update(
            cases::table
                .filter(cases::platform_id.eq(platform_id))
                .filter(cases::target.eq(target))
                .filter(OPEN_CASE),
        )
        .set((
            cases::version.eq(cases::version + 1),
            cases::updated_at.eq(at),
        ))
        .returning((
            cases::id,
            cases::status,
            cases::category_id,
            cases::report_count,
            cases::umkm_report_count,
            cases::flags,
            cases::seller_score,
            cases::relisted_from_id,
            cases::flagger_boost,
        ))
        .get_result(conn)
        .optional()
    }

    /// Sets a locked case's counters, flags and priority.
    pub fn set_stats(conn: &mut DbConnection, id: i64, stats: CaseStats<'_>) -> QueryResult<()> {
        diesel::update(cases::table.find(id))
            .set((
                cases::report_count.eq(stats.report_count),
                cases::umkm_report_count.eq(stats.umkm_report_count),
                cases::flags.eq(stats.flags),
                cases::priority.eq(stats.priority),
                cases::flagger_boost.eq(stats.flagger_boost),
            ))
            .execute(conn)
            .map(|_| ())
    }

    /// The non-final cases whose flags may hold `phrase` (its text occurs in them; the caller
    /// checks the whole line). A phrase is letters, digits and spaces (`keywords::normal_phrase`):
    /// nothing in it is special to LIKE.
    pub fn non_final_flagged(conn: &mut DbConnection, phrase: &str) -> QueryResult<Vec<Self>> {
        cases::table
            .filter(cases::status.eq_any(non_final_statuses()))
            .filter(cases::flags.like(format!("%{phrase}%")))
            .select(Self::as_select())
            .load(conn)
    }

    /// Records why the case was rejected, for its reporters.
    pub fn set_rejection(
        conn: &mut DbConnection,
        id: i64,
        reason: RejectionReason,
        message: Option<&str>,
    ) -> QueryResult<()> {
        diesel::update(cases::table.find(id))
            .set((
                cases::rejection_reason.eq(reason),
                cases::rejection_message.eq(message),
            ))
            .execute(conn)
            .map(|_| ())
    }

    /// Why the case was rejected, as its reporters are told: the reason (OTHER for a case rejected
    /// before reasons were recorded) and the reviewer's message; `None` unless it is REJECTED.
    pub fn rejection(
        conn: &mut DbConnection,
        id: i64,
    ) -> QueryResult<Option<(RejectionReason, Option<String>)>> {
        let row: Option<(CaseStatus, Option<RejectionReason>, Option<String>)> = cases::table
            .find(id)
            .select((
                cases::status,
                cases::rejection_reason,
                cases::rejection_message,
            ))
            .first(conn)
            .optional()?;
        Ok(row
            .filter(|(status, _, _)| *status == CaseStatus::Rejected)
            .map(|(_, reason, message)| (reason.unwrap_or(RejectionReason::Other), message)))
    }

    /// Sets (or clears) the deadline of the case's open question.
    pub fn set_reply_due(
        conn: &mut DbConnection,
        id: i64,
        due: Option<NaiveDateTime>,
    ) -> QueryResult<()> {
        diesel::update(cases::table.find(id))
            .set((cases::reply_due_at.eq(due), cases::reply_reminded.eq(false)))
            .execute(conn)
            .map(|_| ())
    }

    /// Up to `limit` cases waiting for a reply whose deadline is before `due_before` and whose
    /// reminder has not gone out.
    pub fn reminder_due(
        conn: &mut DbConnection,
        due_before: NaiveDateTime,
        limit: i64,
    ) -> QueryResult<Vec<Self>> {
        cases::table
            .filter(cases::reply_due_at.le(due_before))
            .filter(cases::status.eq(CaseStatus::AwaitingInfo))
            .filter(cases::reply_reminded.eq(false))
            .order(cases::reply_due_at.asc())
            .limit(limit)
            .select(Self::as_select())
            .load(conn)
    }

    /// Marks the reminder of the case's question as sent, once: whether this call did.
    pub fn mark_reminded(conn: &mut DbConnection, id: i64) -> QueryResult<bool> {
        let changed = diesel::update(
            cases::table
                .find(id)
                .filter(cases::reply_reminded.eq(false))
                .filter(cases::status.eq(CaseStatus::AwaitingInfo)),
        )
        .set(cases::reply_reminded.eq(true))
        .execute(conn)?;
        Ok(changed == 1)
    }

    /// Is any case waiting for a reply past its deadline? (The partial index answers it.)
    pub fn any_reply_overdue(conn: &mut DbConnection, now: NaiveDateTime) -> QueryResult<bool> {
        diesel::select(diesel::dsl::exists(
            cases::table
                .filter(cases::reply_due_at.le(now))
                .filter(cases::status.eq(CaseStatus::AwaitingInfo)),
        ))
        .get_result(conn)
    }

    /// Up to `limit` cases waiting for a reply past its deadline.
    pub fn reply_overdue(
        conn: &mut DbConnection,
        now: NaiveDateTime,
        limit: i64,
    ) -> QueryResult<Vec<Self>> {
        cases::table
            .filter(cases::reply_due_at.le(now))
            .filter(cases::status.eq(CaseStatus::AwaitingInfo))
            .order(cases::reply_due_at.asc())
            .limit(limit)
            .select(Self::as_select())
            .load(conn)
    }

    /// Marks whether the case closed because its question went unanswered.
    pub fn set_closed_for_no_reply(
        conn: &mut DbConnection,
        id: i64,
        value: bool,
    ) -> QueryResult<()> {
        diesel::update(cases::table.find(id))
            .set((
                cases::closed_for_no_reply.eq(value),
                cases::reply_due_at.eq(None::<NaiveDateTime>),
            ))
            .execute(conn)
            .map(|_| ())
    }

    /// Did the case close because its question went unanswered?
    pub fn closed_for_no_reply(conn: &mut DbConnection, id: i64) -> QueryResult<bool> {
        cases::table
            .find(id)
            .select(cases::closed_for_no_reply)
            .first(conn)
    }

    pub fn set_priority(conn: &mut DbConnection, id: i64, priority: i32) -> QueryResult<()> {
        diesel::update(cases::table.find(id))
            .set(cases::priority.eq(priority))
            .execute(conn)
            .map(|_| ())
    }

    /// Sets the repeat-offender score of the case's seller and the priority it gives.
    pub fn set_seller_standing(
        conn: &mut DbConnection,
        id: i64,
        seller_score: i32,
        priority: i32,
    ) -> QueryResult<()> {
        diesel::update(cases::table.find(id))
            .set((
                cases::seller_score.eq(seller_score),
                cases::priority.eq(priority),
            ))
            .execute(conn)
            .map(|_| ())
    }

    /// The most recent request of this case that its platform answered REMOVED.
    pub fn last_removal(conn: &mut DbConnection, id: i64) -> QueryResult<Option<i64>> {
        takedown_requests::table
            .filter(takedown_requests::case_id.eq(id))
            .filter(takedown_requests::action.eq(TakedownAction::Removed))
            .order(takedown_requests::id.desc())
            .select(takedown_requests::id)
            .first(conn)
            .optional()
    }

    /// Inserts a new OPEN case. Losing a race for the same target is a unique violation.
    pub fn insert(conn: &mut DbConnection, form: &CaseInsertForm<'_>) -> QueryResult<i64> {
        diesel::insert_into(cases::table)
            .values(form)
            .returning(cases::id)
            .get_result(conn)
    }

    /// Bumps the version of a case that is still non-final, taking its row lock (PostgreSQL) for
    /// the rest of the transaction. Returns false when the case became final meanwhile.
    pub fn lock_if_open(conn: &mut DbConnection, id: i64, at: NaiveDateTime) -> QueryResult<bool> {
        let changed = diesel::update(cases::table.find(id))
            .filter(cases::status.eq_any(non_final_statuses()))
            .set((
                cases::version.eq(cases::version + 1),
                cases::updated_at.eq(at),
            ))
            .execute(conn)?;
        Ok(changed == 1)
    }

    pub fn reporter_counts(conn: &mut DbConnection, id: i64) -> QueryResult<ReporterCounts> {
        let counting = complaints::table
            .filter(complaints::case_id.eq(id))
            .filter(complaints::withdrawn_at.is_null());
        // A complaint filed anonymously counts as a reporter of its own and never as an UMKM one:
        // counting it with its account's other complaints, or as a seller, would tell reviewers
        // something about a reporter who asked to stay hidden.
        let accounts: i64 = counting
            .filter(complaints::reporter_account_id.is_not_null())
            .filter(complaints::anonymous.eq(false))
            .select(count(complaints::reporter_account_id).aggregate_distinct())
            .get_result(conn)?;
        let anonymous: i64 = counting
            .filter(
                complaints::reporter_account_id
                    .is_null()
                    .or(complaints::anonymous.eq(true)),
            )
            .count()
            .get_result(conn)?;
        let umkm: i64 = counting
            .filter(complaints::reporter_umkm.eq(true))
            .filter(complaints::anonymous.eq(false))
            .select(count(complaints::reporter_account_id).aggregate_distinct())
            .get_result(conn)?;
        let (all, flagger_boost): (i64, Option<i32>) = counting
            .select((
                diesel::dsl::count_star(),
                diesel::dsl::max(complaints::flagger_boost),
            ))
            .get_result(conn)?;
        Ok(ReporterCounts {
            reporters: accounts + anonymous,
            umkm_reporters: umkm,
            complaints: all,
            flagger_boost: flagger_boost.unwrap_or(0),
        })
    }

    /// The keyword flags of the complaints that still count, one per line in `flags` columns.
    pub fn complaint_flags(conn: &mut DbConnection, id: i64) -> QueryResult<Vec<String>> {
        complaints::table
            .filter(complaints::case_id.eq(id))
            .filter(complaints::withdrawn_at.is_null())
            .filter(complaints::flags.ne(""))
            .select(complaints::flags)
            .distinct()
            .load(conn)
    }

    /// Moves a case from `from` to `to` if it is still in `from` at `version`: the conditional
    /// update is the race arbiter. Returns whether this call made the change.
    pub fn transition(
        conn: &mut DbConnection,
        id: i64,
        version: i32,
        from: CaseStatus,
        to: CaseStatus,
        at: NaiveDateTime,
    ) -> QueryResult<bool> {
        let changed = diesel::update(cases::table.find(id))
            .filter(cases::status.eq(from))
            .filter(cases::version.eq(version))
            .set((
                cases::status.eq(to),
                cases::version.eq(cases::version + 1),
                cases::updated_at.eq(at),
            ))
            .execute(conn)?;
        Ok(changed == 1)
    }

    /// Sets or clears the assignee; call after a successful `transition` (the row is locked).
    pub fn set_assignee(
        conn: &mut DbConnection,
        id: i64,
        assignee: Option<i64>,
    ) -> QueryResult<()> {
        diesel::update(cases::table.find(id))
            .set(cases::assignee_id.eq(assignee))
            .execute(conn)
            .map(|_| ())
    }

    pub fn set_escalated_to(
        conn: &mut DbConnection,
        id: i64,
        authority: Authority,
    ) -> QueryResult<()> {
        diesel::update(cases::table.find(id))
            .set(cases::escalated_to.eq(authority))
            .execute(conn)
            .map(|_| ())
    }

    /// The evidence URLs of the case's complaints, distinct (what a recommendation may share).
    pub fn evidence_urls(conn: &mut DbConnection, id: i64) -> QueryResult<Vec<String>> {
        use crate::schema::complaint_evidence;
        complaint_evidence::table
            .inner_join(complaints::table)
            .filter(complaints::case_id.eq(id))
            .select(complaint_evidence::url)
            .distinct()
            .load(conn)
    }

    pub fn set_takedown_due_at(
        conn: &mut DbConnection,
        id: i64,
        due_at: Option<NaiveDateTime>,
    ) -> QueryResult<()> {
        diesel::update(cases::table.find(id))
            .set(cases::takedown_due_at.eq(due_at))
            .execute(conn)
            .map(|_| ())
    }

    pub fn set_merged_into(conn: &mut DbConnection, id: i64, target: i64) -> QueryResult<()> {
        diesel::update(cases::table.find(id))
            .set(cases::merged_into_id.eq(target))
            .execute(conn)
            .map(|_| ())
    }

    /// Moves every complaint of case `from` to case `to` (a merge).
    pub fn move_complaints(conn: &mut DbConnection, from: i64, to: i64) -> QueryResult<usize> {
        diesel::update(complaints::table.filter(complaints::case_id.eq(from)))
            .set(complaints::case_id.eq(to))
            .execute(conn)
    }

    /// How many cases the queue's filter selects, over every page (`reviewQueue { totalCount }`).
    pub fn queue_count(conn: &mut DbConnection, filter: &QueueFilter) -> QueryResult<i64> {
        Self::queue_query(filter).count().get_result(conn)
    }

    /// The cases the queue's filter selects, in no order.
    fn queue_query(filter: &QueueFilter) -> cases::BoxedQuery<'_, crate::MultiBackend> {
        let mut query = cases::table.into_boxed();
        // The default view spells its status filter exactly as the partial indexes `cases_queue`
        // and `cases_queue_seller_record` do: bound parameters would hide from both planners that
        // the index applies.
        query = if filter.statuses == DEFAULT_QUEUE_STATUSES {
            query.filter(DEFAULT_QUEUE_PREDICATE)
        } else {
            query.filter(cases::status.eq_any(&filter.statuses))
        };
        if let Some(ids) = &filter.platform_ids {
            query = query.filter(cases::platform_id.eq_any(ids));
        }
        if let Some(ids) = &filter.category_ids {
            query = query.filter(cases::category_id.eq_any(ids));
        }
        if let Some(assignee) = filter.assignee_id {
            query = query.filter(cases::assignee_id.eq(assignee));
        }
        if let Some(seller) = filter.seller_id {
            query = query.filter(cases::seller_id.eq(seller));
        }
        match filter.relisted {
            Some(true) => query = query.filter(cases::relisted_from_id.is_not_null()),
            Some(false) => query = query.filter(cases::relisted_from_id.is_null()),
            None => {}
        }
        match filter.overdue {
            Some((true, now)) => query = query.filter(cases::takedown_due_at.lt(now)),
            Some((false, now)) => {
                query = query.filter(
                    cases::takedown_due_at
                        .is_null()
                        .or(cases::takedown_due_at.ge(now)),
                );
            }
            None => {}
        }
        match filter.flagged {
            Some(true) => query = query.filter(cases::flags.ne("")),
            Some(false) => query = query.filter(cases::flags.eq("")),
            None => {}
        }
        query
    }

    /// One page of the review queue after the keyset cursor `after`: highest priority first, then
    /// oldest (lowest id) first; or, ordered by the seller's record, highest repeat-offender score
    /// first and then in the same order.
    pub fn queue_page(
        conn: &mut DbConnection,
        filter: &QueueFilter,
        after: Option<QueueKey>,
        limit: i64,
    ) -> QueryResult<Vec<Self>> {
        let mut query = Self::queue_query(filter)
            .limit(limit)
            .select(Self::as_select());
        query = if filter.by_seller_record {
            query.order((
                cases::seller_score.desc(),
                cases::priority.desc(),
                cases::id.asc(),
            ))
        } else {
            query.order((cases::priority.desc(), cases::id.asc()))
        };
        if let Some(key) = after {
            let after_in_priority = cases::priority
                .lt(key.priority)
                .or(cases::priority.eq(key.priority).and(cases::id.gt(key.id)));
            query = if filter.by_seller_record {
                query.filter(
                    cases::seller_score
                        .lt(key.seller_score)
                        .or(cases::seller_score
                            .eq(key.seller_score)
                            .and(after_in_priority)),
                )
            } else {
                query.filter(after_in_priority)
            };
        }
        query.load(conn)
    }

    /// A page of a case's complaints in submission order, after the id `after`.
    pub fn complaints_page(
        conn: &mut DbConnection,
        id: i64,
        after: Option<i64>,
        limit: i64,
    ) -> QueryResult<Vec<Complaint>> {
        let mut query = complaints::table
            .filter(complaints::case_id.eq(id))
            .order(complaints::id.asc())
            .limit(limit)
            .select(Complaint::as_select())
            .into_boxed();
        if let Some(after) = after {
            query = query.filter(complaints::id.gt(after));
        }
        query.load(conn)
    }

    pub fn complaint_count(conn: &mut DbConnection, id: i64) -> QueryResult<i64> {
        complaints::table
            .filter(complaints::case_id.eq(id))
            .count()
            .get_result(conn)
    }

    /// The accounts that filed a complaint of this case anonymously.
    pub fn anonymous_reporters(conn: &mut DbConnection, id: i64) -> QueryResult<Vec<i64>> {
        complaints::table
            .filter(complaints::case_id.eq(id))
            .filter(complaints::anonymous.eq(true))
            .filter(complaints::reporter_account_id.is_not_null())
            .select(complaints::reporter_account_id.assume_not_null())
            .distinct()
            .load(conn)
    }

    /// The case's audit trail, oldest first.
    pub fn events(conn: &mut DbConnection, id: i64) -> QueryResult<Vec<Event>> {
        events::table
            .filter(events::case_id.eq(id))
            .order(events::id.asc())
            .select(Event::as_select())
            .load(conn)
    }
}

/// The statuses of the default review queue, and the predicate of the partial index that serves it
/// (migration `reviewer_desk`, index `cases_queue`), character for character.
pub const DEFAULT_QUEUE_STATUSES: [CaseStatus; 3] = CaseStatus::BEFORE_DECISION;
const DEFAULT_QUEUE_PREDICATE: Predicate = Predicate(concatcp!(
    "status IN ('",
    DEFAULT_QUEUE_STATUSES[0].as_str(),
    "', '",
    DEFAULT_QUEUE_STATUSES[1].as_str(),
    "', '",
    DEFAULT_QUEUE_STATUSES[2].as_str(),
    "')"
));
/// The predicate of the unique index `cases_open_target`: the statuses that are not final.
const OPEN_CASE: Predicate = Predicate(concatcp!(
    "status NOT IN ('",
    CaseStatus::FINAL[0].as_str(),
    "', '",
    CaseStatus::FINAL[1].as_str(),
    "', '",
    CaseStatus::FINAL[2].as_str(),
    "')"
));

/// What the review queue is filtered by (already resolved to ids).
#[derive(Debug, Clone, Default)]
pub struct QueueFilter {
    pub statuses: Vec<CaseStatus>,
    pub platform_ids: Option<Vec<i64>>,
    pub category_ids: Option<Vec<i64>>,
    pub assignee_id: Option<i64>,
    /// `(wanted, now)`: cases whose unanswered takedown request is (or is not) past due at `now`.
    pub overdue: Option<(bool, NaiveDateTime)>,
    pub flagged: Option<bool>,
    /// Only the cases of this confirmed seller.
    pub seller_id: Option<i64>,
    /// Only re-listings (true), or only cases that are not (false).
    pub relisted: Option<bool>,
    /// Ordered by the seller's repeat-offender score first.
    pub by_seller_record: bool,
}

/// A case's place in the queue, for keyset paging (`seller_score` matters only when the queue is
/// ordered by the seller's record).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct QueueKey {
    pub seller_score: i32,
    pub priority: i32,
    pub id: i64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_queue_predicate_spells_the_default_statuses() {
        let spelled: Vec<String> = DEFAULT_QUEUE_STATUSES
            .iter()
            .map(|status| format!("'{status}'"))
            .collect();
        assert_eq!(
            DEFAULT_QUEUE_PREDICATE.0,
            format!("status IN ({})", spelled.join(", "))
        );
    }
}
