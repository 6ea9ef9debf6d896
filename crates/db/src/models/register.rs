//! The public register's reads: takedown requests filtered by platform, category, kind, period of
//! issue and outcome, newest first (keyset on `(issued_at, id)`, indexes of migration 000033), and
//! what an entry needs besides its row (its case's category and target, re-listings after it).

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::DbConnection;
use crate::models::takedown_request::TakedownRequest;
use crate::schema::{cases, takedown_answers, takedown_requests};
use laporlapak_domain::register::RegisterOutcome;
use laporlapak_domain::{AnswerKind, TakedownAction, TakedownKind};

/// What the register lists: every filter optional.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RegisterFilter {
    pub platform_id: Option<i64>,
    pub category_id: Option<i64>,
    pub kind: Option<TakedownKind>,
    /// Issued at or after.
    pub from: Option<NaiveDateTime>,
    /// Issued before.
    pub to: Option<NaiveDateTime>,
    pub outcome: Option<RegisterOutcome>,
}

/// A request of the register with what its entry needs from its case: the category, and the
/// target (only to scrub it out of the published text).
#[derive(Debug, Clone)]
pub struct RegisterRow {
    pub request: TakedownRequest,
    pub category_id: i64,
    pub target: String,
}

/// Applies every filter of `$filter` to the boxed query `$query` over `takedown_requests`.
/// `joined`: the query joins `cases` (the category is its column); else a subquery finds it.
macro_rules! filtered {
    ($query:expr, $filter:expr, joined) => {{
        let filter: &RegisterFilter = $filter;
        let mut query = $query;
        if let Some(category_id) = filter.category_id {
            query = query.filter(cases::category_id.eq(category_id));
        }
        filtered!(@rest query, filter)
    }};
    ($query:expr, $filter:expr) => {{
        let filter: &RegisterFilter = $filter;
        let mut query = $query;
        if let Some(category_id) = filter.category_id {
            query = query.filter(
                takedown_requests::case_id.eq_any(
                    cases::table
                        .filter(cases::category_id.eq(category_id))
                        .select(cases::id),
                ),
            );
        }
        filtered!(@rest query, filter)
    }};
    (@rest $query:ident, $filter:ident) => {{
        let filter = $filter;
        let mut query = $query;
        if let Some(platform_id) = filter.platform_id {
            query = query.filter(takedown_requests::platform_id.eq(platform_id));
        }
        if let Some(kind) = filter.kind {
            query = query.filter(takedown_requests::kind.eq(kind));
        }
        if let Some(from) = filter.from {
            query = query.filter(takedown_requests::issued_at.ge(from));
        }
        if let Some(to) = filter.to {
            query = query.filter(takedown_requests::issued_at.lt(to));
        }
        match filter.outcome {
            None => {}
            Some(RegisterOutcome::Pending) => {
                query = query
                    .filter(takedown_requests::responded_at.is_null())
                    .filter(takedown_requests::withdrawn_at.is_null());
            }
            Some(RegisterOutcome::Acted) => {
                query = query.filter(takedown_requests::action.eq_any([
                    TakedownAction::Removed,
                    TakedownAction::Restricted,
                    TakedownAction::GeoBlocked,
                ]));
            }
            Some(RegisterOutcome::Declined) => {
                query = query.filter(takedown_requests::action.eq(TakedownAction::Declined));
            }
            Some(RegisterOutcome::NeedsMoreInfo) => {
                query = query.filter(takedown_requests::action.eq(TakedownAction::NeedsMoreInfo));
            }
            Some(RegisterOutcome::Withdrawn) => {
                query = query.filter(takedown_requests::withdrawn_at.is_not_null());
            }
            Some(RegisterOutcome::Reinstated) => {
                // Reinstatements are few (one per reversed answer).
                query = query.filter(
                    takedown_requests::id.eq_any(
                        takedown_answers::table
                            .filter(takedown_answers::kind.eq(AnswerKind::Reinstatement))
                            .select(takedown_answers::takedown_request_id),
                    ),
                );
            }
        }
        query
    }};
}

/// A page of the register, newest first, after the keyset cursor `(issued_at, id)`.
pub fn page(
    conn: &mut DbConnection,
    filter: &RegisterFilter,
    after: Option<(NaiveDateTime, i64)>,
    limit: i64,
) -> QueryResult<Vec<RegisterRow>> {
    let mut query = filtered!(
        takedown_requests::table
            .inner_join(cases::table)
            .order((
                takedown_requests::issued_at.desc(),
                takedown_requests::id.desc(),
            ))
            .limit(limit)
            .select((
                TakedownRequest::as_select(),
                cases::category_id,
                cases::target,
            ))
            .into_boxed(),
        filter,
        joined
    );
    if let Some((issued_at, id)) = after {
        query = query.filter(
            takedown_requests::issued_at
                .lt(issued_at)
                .or(takedown_requests::issued_at
                    .eq(issued_at)
                    .and(takedown_requests::id.lt(id))),
        );
    }
    Ok(query
        .load::<(TakedownRequest, i64, String)>(conn)?
        .into_iter()
        .map(|(request, category_id, target)| RegisterRow {
            request,
            category_id,
            target,
        })
        .collect())
}

/// How many requests the register lists under `filter`, over every page.
pub fn count(conn: &mut DbConnection, filter: &RegisterFilter) -> QueryResult<i64> {
    filtered!(takedown_requests::table.into_boxed(), filter)
        .count()
        .get_result(conn)
}

/// The requests changed at or after `since` (the open data's `since` cursor), oldest change first,
/// after the keyset cursor `(updated_at, id)`, with their category and target.
pub fn changed_since(
    conn: &mut DbConnection,
    since: Option<NaiveDateTime>,
    after: Option<(NaiveDateTime, i64)>,
    limit: i64,
) -> QueryResult<Vec<RegisterRow>> {
    let mut query = takedown_requests::table
        .inner_join(cases::table)
        .order((
            takedown_requests::updated_at.asc(),
            takedown_requests::id.asc(),
        ))
        .limit(limit)
        .select((
            TakedownRequest::as_select(),
            cases::category_id,
            cases::target,
        ))
        .into_boxed();
    if let Some(since) = since {
        query = query.filter(takedown_requests::updated_at.ge(since));
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
    Ok(query
        .load::<(TakedownRequest, i64, String)>(conn)?
        .into_iter()
        .map(|(request, category_id, target)| RegisterRow {
            request,
            category_id,
            target,
        })
        .collect())
}

/// Of `request_ids`, those whose removal a later case re-listed (`relisting_of_id` of a later
/// request).
pub fn relisted_later(conn: &mut DbConnection, request_ids: &[i64]) -> QueryResult<Vec<i64>> {
    takedown_requests::table
        .filter(takedown_requests::relisting_of_id.eq_any(request_ids))
        .select(takedown_requests::relisting_of_id.assume_not_null())
        .distinct()
        .load(conn)
}
