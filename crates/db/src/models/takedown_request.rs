//! Takedown requests: the formal notice from the ministry to a platform for a case, with its
//! deadline and, once answered, the platform's action and statement of reasons.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::DbConnection;
use crate::schema::takedown_requests;
use laporlapak_domain::{TakedownAction, TakedownKind, TakedownStatus, Urgency};

#[derive(Debug, Clone, Queryable, Selectable, Identifiable)]
#[diesel(table_name = takedown_requests)]
pub struct TakedownRequest {
    pub id: i64,
    pub case_id: i64,
    pub platform_id: i64,
    pub legal_basis: String,
    pub urgency: Urgency,
    pub note: Option<String>,
    pub status: TakedownStatus,
    pub issued_by: i64,
    pub issued_at: NaiveDateTime,
    pub due_at: NaiveDateTime,
    pub acknowledged_at: Option<NaiveDateTime>,
    pub responded_at: Option<NaiveDateTime>,
    pub action: Option<TakedownAction>,
    pub statement_of_reasons: Option<String>,
    pub acted_at: Option<NaiveDateTime>,
    /// The last change: issue, acknowledgement or answer (the changes feed's order).
    pub updated_at: NaiveDateTime,
    /// The earlier request whose removal this case re-lists.
    pub relisting_of_id: Option<i64>,
    /// The ministry's notice or Komdigi's order.
    pub kind: TakedownKind,
    /// An order's letter: its number, date (`yyyy-mm-dd`) and the article it rests on.
    pub order_number: Option<String>,
    pub order_date: Option<String>,
    pub order_article: Option<String>,
    /// An objection has been pending since then: the clock is stopped.
    pub paused_at: Option<NaiveDateTime>,
    /// An objection was upheld then: the request no longer stands.
    pub withdrawn_at: Option<NaiveDateTime>,
    /// When reporters were asked whether the listing is still online, after a removal.
    pub still_online_asked_at: Option<NaiveDateTime>,
    /// A reporter found the listing gone: the removal is confirmed.
    pub confirmed_at: Option<NaiveDateTime>,
    /// A reporter found the listing still online: the removal is disputed.
    pub disputed_at: Option<NaiveDateTime>,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = takedown_requests)]
pub struct TakedownRequestInsertForm<'a> {
    pub case_id: i64,
    pub platform_id: i64,
    pub legal_basis: &'a str,
    pub urgency: Urgency,
    pub note: Option<&'a str>,
    pub status: TakedownStatus,
    pub issued_by: i64,
    pub issued_at: NaiveDateTime,
    pub due_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub remind_at: Option<NaiveDateTime>,
    pub relisting_of_id: Option<i64>,
    pub kind: TakedownKind,
    pub order_number: Option<&'a str>,
    pub order_date: Option<&'a str>,
    pub order_article: Option<&'a str>,
}

/// A deadline event the scheduler is due to announce.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeadlineMark {
    /// Half of the time to answer has passed.
    Reminder,
    /// The deadline has passed.
    Overdue,
}

impl TakedownRequest {
    pub fn find(conn: &mut DbConnection, id: i64) -> QueryResult<Option<Self>> {
        takedown_requests::table
            .find(id)
            .select(Self::as_select())
            .first(conn)
            .optional()
    }

    pub fn insert(
        conn: &mut DbConnection,
        form: &TakedownRequestInsertForm<'_>,
    ) -> QueryResult<i64> {
        diesel::insert_into(takedown_requests::table)
            .values(form)
            .returning(takedown_requests::id)
            .get_result(conn)
    }

    pub fn for_case(conn: &mut DbConnection, case_id: i64) -> QueryResult<Vec<Self>> {
        takedown_requests::table
            .filter(takedown_requests::case_id.eq(case_id))
            .order(takedown_requests::id.asc())
            .select(Self::as_select())
            .load(conn)
    }

    /// Does any request of this case go to this platform? (What a platform may see of a case.)
    pub fn exists_for_platform(
        conn: &mut DbConnection,
        case_id: i64,
        platform_id: i64,
    ) -> QueryResult<bool> {
        diesel::select(diesel::dsl::exists(
            takedown_requests::table
                .filter(takedown_requests::case_id.eq(case_id))
                .filter(takedown_requests::platform_id.eq(platform_id)),
        ))
        .get_result(conn)
    }

    /// A page of requests, oldest due first, after the keyset cursor `(due_at, id)`.
    pub fn page(
        conn: &mut DbConnection,
        platform_id: Option<i64>,
        status: Option<TakedownStatus>,
        after: Option<(NaiveDateTime, i64)>,
        limit: i64,
    ) -> QueryResult<Vec<Self>> {
        let mut query = takedown_requests::table
            .order((takedown_requests::due_at.asc(), takedown_requests::id.asc()))
            .limit(limit)
            .select(Self::as_select())
            .into_boxed();
        if let Some(platform_id) = platform_id {
            query = query.filter(takedown_requests::platform_id.eq(platform_id));
        }
        if let Some(status) = status {
            query = query.filter(takedown_requests::status.eq(status));
        }
        if let Some((due_at, id)) = after {
            query = query.filter(
                takedown_requests::due_at
                    .gt(due_at)
                    .or(takedown_requests::due_at
                        .eq(due_at)
                        .and(takedown_requests::id.gt(id))),
            );
        }
        query.load(conn)
    }

    /// How many requests `page` lists over every page (`takedownRequests { totalCount }`).
    pub fn count(
        conn: &mut DbConnection,
        platform_id: Option<i64>,
        status: Option<TakedownStatus>,
    ) -> QueryResult<i64> {
        let mut query = takedown_requests::table.into_boxed();
        if let Some(platform_id) = platform_id {
            query = query.filter(takedown_requests::platform_id.eq(platform_id));
        }
        if let Some(status) = status {
            query = query.filter(takedown_requests::status.eq(status));
        }
        query.count().get_result(conn)
    }

    /// How many requests `changed_since` lists over every page.
    pub fn count_changed_since(
        conn: &mut DbConnection,
        platform_id: Option<i64>,
        since: NaiveDateTime,
    ) -> QueryResult<i64> {
        let mut query = takedown_requests::table
            .filter(takedown_requests::updated_at.ge(since))
            .into_boxed();
        if let Some(platform_id) = platform_id {
            query = query.filter(takedown_requests::platform_id.eq(platform_id));
        }
        query.count().get_result(conn)
    }

    /// Records the first acknowledgement; returns whether this call did it.
    pub fn acknowledge(conn: &mut DbConnection, id: i64, at: NaiveDateTime) -> QueryResult<bool> {
        let changed = diesel::update(takedown_requests::table.find(id))
            .filter(takedown_requests::status.eq(TakedownStatus::Pending))
            .set((
                takedown_requests::status.eq(TakedownStatus::Acknowledged),
                takedown_requests::acknowledged_at.eq(at),
                takedown_requests::updated_at.eq(at),
            ))
            .execute(conn)?;
        Ok(changed == 1)
    }

    /// Records the answer if the request has none yet: the conditional update decides between
    /// two simultaneous answers. Returns whether this call recorded it.
    pub fn answer(
        conn: &mut DbConnection,
        id: i64,
        action: TakedownAction,
        statement_of_reasons: &str,
        acted_at: NaiveDateTime,
        at: NaiveDateTime,
    ) -> QueryResult<bool> {
        let changed = diesel::update(takedown_requests::table.find(id))
            .filter(takedown_requests::status.ne(TakedownStatus::Answered))
            .set((
                takedown_requests::status.eq(TakedownStatus::Answered),
                takedown_requests::action.eq(action),
                takedown_requests::statement_of_reasons.eq(statement_of_reasons),
                takedown_requests::acted_at.eq(acted_at),
                takedown_requests::responded_at.eq(at),
                takedown_requests::updated_at.eq(at),
            ))
            .execute(conn)?;
        Ok(changed == 1)
    }

    /// Records a later change (a reinstatement, a restriction's end) in `updated_at`, so that the
    /// changes feed shows it.
    pub fn touch(conn: &mut DbConnection, id: i64, at: NaiveDateTime) -> QueryResult<()> {
        diesel::update(takedown_requests::table.find(id))
            .set(takedown_requests::updated_at.eq(at))
            .execute(conn)
            .map(|_| ())
    }

    /// The changes feed: requests changed at or after `since`, in the order of their last change,
    /// after the keyset cursor `(updated_at, id)`.
    pub fn changed_since(
        conn: &mut DbConnection,
        platform_id: Option<i64>,
        since: NaiveDateTime,
        after: Option<(NaiveDateTime, i64)>,
        limit: i64,
    ) -> QueryResult<Vec<Self>> {
        let mut query = takedown_requests::table
            .filter(takedown_requests::updated_at.ge(since))
            .order((
                takedown_requests::updated_at.asc(),
                takedown_requests::id.asc(),
            ))
            .limit(limit)
            .select(Self::as_select())
            .into_boxed();
        if let Some(platform_id) = platform_id {
            query = query.filter(takedown_requests::platform_id.eq(platform_id));
        }
        if let Some((updated_at, id)) = after {
            query = query.filter(
                takedown_requests::updated_at
                    .gt(updated_at)
                    .or(takedown_requests::updated_at
                        .eq(updated_at)
                        .and(takedown_requests::id.gt(id))),
            );
        }
        query.load(conn)
    }

    /// Unanswered requests whose reminder or overdue event is due at `now` and not yet announced,
    /// at most `limit`, earliest due first.
    pub fn due_for(
        conn: &mut DbConnection,
        mark: DeadlineMark,
        now: NaiveDateTime,
        limit: i64,
    ) -> QueryResult<Vec<Self>> {
        // Only requests issued since deadline events exist (they have `remind_at`): requests
        // issued before, or seeded, are never announced late in a burst.
        let unanswered = takedown_requests::table
            .filter(takedown_requests::responded_at.is_null())
            .filter(takedown_requests::remind_at.is_not_null())
            .filter(takedown_requests::paused_at.is_null())
            .filter(takedown_requests::withdrawn_at.is_null())
            .order((takedown_requests::due_at.asc(), takedown_requests::id.asc()))
            .limit(limit)
            .select(Self::as_select());
        match mark {
            // A request already overdue gets its overdue event, not a late reminder.
            DeadlineMark::Reminder => unanswered
                .filter(takedown_requests::reminder_sent_at.is_null())
                .filter(takedown_requests::remind_at.le(now))
                .filter(takedown_requests::due_at.ge(now))
                .load(conn),
            DeadlineMark::Overdue => unanswered
                .filter(takedown_requests::overdue_sent_at.is_null())
                .filter(takedown_requests::due_at.lt(now))
                .load(conn),
        }
    }

    /// Whether any reminder or overdue event is due: a read, so an idle worker writes nothing.
    pub fn any_deadline_due(conn: &mut DbConnection, now: NaiveDateTime) -> QueryResult<bool> {
        let unanswered = takedown_requests::table
            .filter(takedown_requests::responded_at.is_null())
            .filter(takedown_requests::remind_at.is_not_null())
            .filter(takedown_requests::paused_at.is_null())
            .filter(takedown_requests::withdrawn_at.is_null());
        let overdue = diesel::select(diesel::dsl::exists(
            unanswered
                .filter(takedown_requests::overdue_sent_at.is_null())
                .filter(takedown_requests::due_at.lt(now)),
        ))
        .get_result(conn)?;
        if overdue {
            return Ok(true);
        }
        diesel::select(diesel::dsl::exists(
            takedown_requests::table
                .filter(takedown_requests::responded_at.is_null())
                .filter(takedown_requests::paused_at.is_null())
                .filter(takedown_requests::withdrawn_at.is_null())
                .filter(takedown_requests::reminder_sent_at.is_null())
                .filter(takedown_requests::remind_at.le(now))
                .filter(takedown_requests::due_at.ge(now)),
        ))
        .get_result(conn)
    }

    /// Marks the event announced; returns whether this call did it (so one replica announces it).
    pub fn mark(
        conn: &mut DbConnection,
        id: i64,
        mark: DeadlineMark,
        at: NaiveDateTime,
    ) -> QueryResult<bool> {
        let target = takedown_requests::table.find(id);
        let changed = match mark {
            DeadlineMark::Reminder => diesel::update(target)
                .filter(takedown_requests::reminder_sent_at.is_null())
                .set(takedown_requests::reminder_sent_at.eq(at))
                .execute(conn)?,
            DeadlineMark::Overdue => diesel::update(target)
                .filter(takedown_requests::overdue_sent_at.is_null())
                .set(takedown_requests::overdue_sent_at.eq(at))
                .execute(conn)?,
        };
        Ok(changed == 1)
    }

    /// Stops the clock for an objection; returns whether this call did it (an unanswered,
    /// standing, running request only).
    pub fn pause(conn: &mut DbConnection, id: i64, at: NaiveDateTime) -> QueryResult<bool> {
        let changed = diesel::update(takedown_requests::table.find(id))
            .filter(takedown_requests::paused_at.is_null())
            .filter(takedown_requests::withdrawn_at.is_null())
            .filter(takedown_requests::responded_at.is_null())
            .set((
                takedown_requests::paused_at.eq(at),
                takedown_requests::updated_at.eq(at),
            ))
            .execute(conn)?;
        Ok(changed == 1)
    }

    /// Restarts a paused clock: the deadline (and the reminder) move on by the paused time.
    pub fn resume(
        conn: &mut DbConnection,
        request: &TakedownRequest,
        at: NaiveDateTime,
    ) -> QueryResult<NaiveDateTime> {
        let paused = request
            .paused_at
            .map_or(chrono::TimeDelta::zero(), |p| at - p);
        let due_at = request.due_at + paused;
        diesel::update(takedown_requests::table.find(request.id))
            .set((
                takedown_requests::paused_at.eq(None::<NaiveDateTime>),
                takedown_requests::due_at.eq(due_at),
                takedown_requests::updated_at.eq(at),
            ))
            .execute(conn)?;
        diesel::update(takedown_requests::table.find(request.id))
            .filter(takedown_requests::remind_at.is_not_null())
            .set(takedown_requests::remind_at.eq(due_at - (request.due_at - request.issued_at) / 2))
            .execute(conn)?;
        Ok(due_at)
    }

    /// Withdraws the request after an upheld objection.
    pub fn withdraw(conn: &mut DbConnection, id: i64, at: NaiveDateTime) -> QueryResult<()> {
        diesel::update(takedown_requests::table.find(id))
            .set((
                takedown_requests::paused_at.eq(None::<NaiveDateTime>),
                takedown_requests::withdrawn_at.eq(at),
                takedown_requests::updated_at.eq(at),
            ))
            .execute(conn)?;
        Ok(())
    }

    /// The orders issued in `[from, to)` (either end open): orders are few (one per Komdigi
    /// letter and case), and an index on `(kind, issued_at)` finds them.
    pub fn orders_issued(
        conn: &mut DbConnection,
        from: Option<NaiveDateTime>,
        to: Option<NaiveDateTime>,
    ) -> QueryResult<Vec<Self>> {
        let mut query = takedown_requests::table
            .filter(takedown_requests::kind.eq(TakedownKind::Order))
            .select(Self::as_select())
            .into_boxed();
        if let Some(from) = from {
            query = query.filter(takedown_requests::issued_at.ge(from));
        }
        if let Some(to) = to {
            query = query.filter(takedown_requests::issued_at.lt(to));
        }
        query.load(conn)
    }

    /// The notices issued in `[from, to)` with an objection upheld (withdrawn) or pending
    /// (paused), found through the objections (few); a notice may come more than once.
    pub fn notices_objected_to(
        conn: &mut DbConnection,
        from: Option<NaiveDateTime>,
        to: Option<NaiveDateTime>,
    ) -> QueryResult<Vec<Self>> {
        use crate::schema::objections;
        let mut query = objections::table
            .inner_join(
                takedown_requests::table
                    .on(takedown_requests::id.eq(objections::takedown_request_id)),
            )
            .filter(objections::status.ne(laporlapak_domain::ObjectionStatus::Rejected))
            .filter(takedown_requests::kind.eq(TakedownKind::Notice))
            .select(Self::as_select())
            .into_boxed();
        if let Some(from) = from {
            query = query.filter(takedown_requests::issued_at.ge(from));
        }
        if let Some(to) = to {
            query = query.filter(takedown_requests::issued_at.lt(to));
        }
        query.load(conn)
    }
}

impl TakedownRequest {
    /// Up to `limit` requests answered with a removal or an account action before
    /// `answered_before` whose reporters were not yet asked whether the listing is still online.
    pub fn still_online_due(
        conn: &mut DbConnection,
        answered_before: NaiveDateTime,
        limit: i64,
    ) -> QueryResult<Vec<Self>> {
        use crate::schema::takedown_answers;
        use laporlapak_domain::TakedownDecision;
        let account_actions = takedown_answers::table
            .filter(takedown_answers::decision.eq_any([
                TakedownDecision::AccountSuspended,
                TakedownDecision::AccountTerminated,
            ]))
            .select(takedown_answers::takedown_request_id);
        takedown_requests::table
            .filter(takedown_requests::still_online_asked_at.is_null())
            .filter(takedown_requests::withdrawn_at.is_null())
            .filter(takedown_requests::responded_at.le(answered_before))
            .filter(
                takedown_requests::action
                    .eq(TakedownAction::Removed)
                    .or(takedown_requests::id.eq_any(account_actions)),
            )
            .order(takedown_requests::responded_at.asc())
            .limit(limit)
            .select(Self::as_select())
            .load(conn)
    }

    /// Marks that the request's reporters were asked, once: whether this call did.
    pub fn mark_still_online_asked(
        conn: &mut DbConnection,
        id: i64,
        at: NaiveDateTime,
    ) -> QueryResult<bool> {
        let changed = diesel::update(
            takedown_requests::table
                .find(id)
                .filter(takedown_requests::still_online_asked_at.is_null()),
        )
        .set(takedown_requests::still_online_asked_at.eq(at))
        .execute(conn)?;
        Ok(changed == 1)
    }

    /// A reporter's answer: still online disputes the removal (whether this call did), gone
    /// confirms it (unless already disputed).
    pub fn record_reporter_check(
        conn: &mut DbConnection,
        id: i64,
        still_online: bool,
        at: NaiveDateTime,
    ) -> QueryResult<bool> {
        let target = takedown_requests::table
            .find(id)
            .filter(takedown_requests::disputed_at.is_null());
        let changed = if still_online {
            diesel::update(target)
                .set(takedown_requests::disputed_at.eq(at))
                .execute(conn)?
        } else {
            diesel::update(target.filter(takedown_requests::confirmed_at.is_null()))
                .set(takedown_requests::confirmed_at.eq(at))
                .execute(conn)?
        };
        Ok(changed == 1)
    }
}
