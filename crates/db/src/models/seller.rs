//! Sellers across platforms: the identifiers found in cases (`seller_identifiers`), reviewers'
//! decisions on links between cases (`seller_links`), the sellers confirmed links make
//! (`sellers`, with `cases.seller_id`), and what a takedown request told its platform about the
//! seller (`takedown_identifiers`).

use chrono::NaiveDateTime;
use const_format::concatcp;
use diesel::dsl::count;
use diesel::prelude::*;

use crate::DbConnection;
use crate::predicate::Predicate;
use crate::schema::{
    cases, complaints, seller_identifiers, seller_links, sellers, takedown_identifiers,
    takedown_requests,
};
use laporlapak_domain::seller::{IdentifierKind, IdentifierSource, LinkDecision};
use laporlapak_domain::{TakedownAction, TakedownStatus};

diesel::alias!(cases as linked_cases: LinkedCases);

/// The predicate of the partial index `takedown_requests_removed` (migration `sellers`).
const REMOVED: Predicate = Predicate(concatcp!(
    "action = '",
    TakedownAction::Removed.as_str(),
    "'"
));
diesel::alias!(seller_identifiers as on_target: OnTarget);

/// An identifier found in (or entered for) a case.
#[derive(Debug, Clone, Queryable, Selectable, Identifiable)]
#[diesel(table_name = seller_identifiers)]
pub struct SellerIdentifier {
    pub id: i64,
    pub case_id: i64,
    pub complaint_id: Option<i64>,
    pub platform_id: i64,
    pub kind: IdentifierKind,
    pub value: String,
    pub source: IdentifierSource,
    pub added_by: Option<i64>,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = seller_identifiers, treat_none_as_default_value = false)]
pub struct SellerIdentifierInsertForm<'a> {
    pub case_id: i64,
    pub complaint_id: Option<i64>,
    pub platform_id: i64,
    pub kind: IdentifierKind,
    pub value: &'a str,
    pub source: IdentifierSource,
    pub added_by: Option<i64>,
    pub created_at: NaiveDateTime,
}

/// A seller's record: what its repeat-offender score is made of.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SellerRecord {
    /// Takedown requests for its cases answered REMOVED, RESTRICTED or GEO_BLOCKED.
    pub resolved_takedowns: i64,
    /// Its cases that re-list a removed listing.
    pub relistings: i64,
    /// Distinct platforms of its cases.
    pub platforms: i64,
}

/// A row of `takedown_identifiers`.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = takedown_identifiers)]
pub struct TakedownIdentifier {
    pub takedown_request_id: i64,
    pub kind: IdentifierKind,
    pub value: String,
    pub attached: bool,
}

impl SellerIdentifier {
    /// Retention: deletes the identifiers read from the words of the reporters of `complaint_ids`
    /// (their descriptions and the seller details of their replies); the listing's own (URL,
    /// handle) and a reviewer's stay. Returns how many went.
    pub fn delete_from_reporters_words(
        conn: &mut DbConnection,
        complaint_ids: &[i64],
    ) -> QueryResult<usize> {
        diesel::delete(
            seller_identifiers::table
                .filter(seller_identifiers::complaint_id.eq_any(complaint_ids))
                .filter(
                    seller_identifiers::source
                        .eq_any([IdentifierSource::Description, IdentifierSource::Reply]),
                ),
        )
        .execute(conn)
    }

    /// The identifiers read from the words of the reporters of `complaint_ids` (for `myData`).
    pub fn from_reporters_words(
        conn: &mut DbConnection,
        complaint_ids: &[i64],
    ) -> QueryResult<Vec<Self>> {
        seller_identifiers::table
            .filter(seller_identifiers::complaint_id.eq_any(complaint_ids))
            .filter(
                seller_identifiers::source
                    .eq_any([IdentifierSource::Description, IdentifierSource::Reply]),
            )
            .order(seller_identifiers::id.asc())
            .select(Self::as_select())
            .load(conn)
    }

    /// Adds the identifiers the case does not have yet, in one statement (the multi-row `VALUES`
    /// and `ON CONFLICT` are rendered by each backend's own connection: `MultiConnection` cannot
    /// render them). One already known for the case keeps its first sighting.
    pub fn insert_many(
        conn: &mut DbConnection,
        forms: &[SellerIdentifierInsertForm<'_>],
    ) -> QueryResult<()> {
        if forms.is_empty() {
            return Ok(());
        }
        let insert = diesel::insert_into(seller_identifiers::table)
            .values(forms)
            .on_conflict((
                seller_identifiers::case_id,
                seller_identifiers::kind,
                seller_identifiers::value,
            ))
            .do_nothing();
        match conn {
            DbConnection::Postgres(conn) => insert.execute(conn),
            DbConnection::Sqlite(conn) => insert.execute(conn),
        }
        .map(|_| ())
    }

    /// Adds one identifier to a case, or finds the one the case has with the same kind and value.
    pub fn insert(
        conn: &mut DbConnection,
        form: &SellerIdentifierInsertForm<'_>,
    ) -> QueryResult<SellerIdentifier> {
        Self::insert_many(conn, std::slice::from_ref(form))?;
        seller_identifiers::table
            .filter(seller_identifiers::case_id.eq(form.case_id))
            .filter(seller_identifiers::kind.eq(form.kind))
            .filter(seller_identifiers::value.eq(form.value))
            .select(Self::as_select())
            .first(conn)
    }

    /// The identifiers of these cases, oldest first.
    pub fn for_cases(conn: &mut DbConnection, case_ids: &[i64]) -> QueryResult<Vec<Self>> {
        seller_identifiers::table
            .filter(seller_identifiers::case_id.eq_any(case_ids))
            .order(seller_identifiers::id.asc())
            .select(Self::as_select())
            .load(conn)
    }

    /// The identifiers of the cases of a seller, oldest first.
    pub fn for_seller(conn: &mut DbConnection, seller_id: i64) -> QueryResult<Vec<Self>> {
        seller_identifiers::table
            .inner_join(cases::table)
            .filter(cases::seller_id.eq(seller_id))
            .order(seller_identifiers::id.asc())
            .select(Self::as_select())
            .load(conn)
    }

    pub fn find_many(conn: &mut DbConnection, ids: &[i64]) -> QueryResult<Vec<Self>> {
        seller_identifiers::table
            .filter(seller_identifiers::id.eq_any(ids))
            .select(Self::as_select())
            .load(conn)
    }

    /// Identifiers of other cases with one of these values: the ground of link suggestions. At
    /// most `limit` rows.
    pub fn sharing_values(
        conn: &mut DbConnection,
        case_id: i64,
        values: &[String],
        limit: i64,
    ) -> QueryResult<Vec<Self>> {
        seller_identifiers::table
            .filter(seller_identifiers::value.eq_any(values))
            .filter(seller_identifiers::case_id.ne(case_id))
            .order(seller_identifiers::case_id.desc())
            .limit(limit)
            .select(Self::as_select())
            .load(conn)
    }

    /// Moves the identifiers of a merged case to the case it was merged into, except those the
    /// target has already (they stay with the closed source).
    pub fn move_to_case(conn: &mut DbConnection, from: i64, to: i64) -> QueryResult<usize> {
        let known_on_target = on_target
            .filter(on_target.field(seller_identifiers::case_id).eq(to))
            .filter(
                on_target
                    .field(seller_identifiers::kind)
                    .eq(seller_identifiers::kind),
            )
            .filter(
                on_target
                    .field(seller_identifiers::value)
                    .eq(seller_identifiers::value),
            );
        diesel::update(
            seller_identifiers::table
                .filter(seller_identifiers::case_id.eq(from))
                .filter(diesel::dsl::not(diesel::dsl::exists(known_on_target))),
        )
        .set(seller_identifiers::case_id.eq(to))
        .execute(conn)
    }

    /// The most recent removal (a takedown request answered REMOVED at or after `since`) of an
    /// earlier case that this new complaint re-lists: a case of the same target on the same
    /// platform, a case that shares one of `values`, or a case of a confirmed seller one of whose
    /// cases shares one. Returns `(case id, takedown request id)`. One statement.
    pub fn find_relisted_removal(
        conn: &mut DbConnection,
        platform_id: i64,
        target: &str,
        values: &[String],
        since: NaiveDateTime,
    ) -> QueryResult<Option<(i64, i64)>> {
        // The candidate cases first (each by an index), then their removals: driven from the
        // removals instead, PostgreSQL walks every removal of the window for a complaint that
        // re-lists nothing (25 ms instead of 0.3 ms with 70,000 removals in 90 days).
        let same_target = cases::table
            .filter(cases::platform_id.eq(platform_id))
            .filter(cases::target.eq(target))
            .select(cases::id);
        let removals = takedown_requests::table
            // Spelled as the partial index `takedown_requests_removed` is, so both planners use it.
            .filter(REMOVED)
            .filter(takedown_requests::responded_at.ge(since))
            .order((
                takedown_requests::responded_at.desc(),
                takedown_requests::id.desc(),
            ))
            .select((takedown_requests::case_id, takedown_requests::id));
        if values.is_empty() {
            return removals
                .filter(takedown_requests::case_id.eq_any(same_target))
                .first(conn)
                .optional();
        }
        let sharing = seller_identifiers::table
            .filter(seller_identifiers::value.eq_any(values))
            .select(seller_identifiers::case_id);
        let sellers_sharing = seller_identifiers::table
            .inner_join(
                linked_cases.on(linked_cases
                    .field(cases::id)
                    .eq(seller_identifiers::case_id)),
            )
            .filter(seller_identifiers::value.eq_any(values))
            .filter(linked_cases.field(cases::seller_id).is_not_null())
            .select(linked_cases.field(cases::seller_id));
        let of_linked_sellers = cases::table
            .filter(cases::seller_id.eq_any(sellers_sharing))
            .select(cases::id);
        removals
            .filter(
                takedown_requests::case_id
                    .eq_any(same_target.union_all(sharing).union_all(of_linked_sellers)),
            )
            .first(conn)
            .optional()
    }
}

impl TakedownIdentifier {
    pub fn insert_many(conn: &mut DbConnection, rows: &[TakedownIdentifier]) -> QueryResult<()> {
        if rows.is_empty() {
            return Ok(());
        }
        let insert = diesel::insert_into(takedown_identifiers::table).values(rows);
        match conn {
            DbConnection::Postgres(conn) => insert.execute(conn),
            DbConnection::Sqlite(conn) => insert.execute(conn),
        }
        .map(|_| ())
    }

    pub fn for_request(conn: &mut DbConnection, request_id: i64) -> QueryResult<Vec<Self>> {
        takedown_identifiers::table
            .filter(takedown_identifiers::takedown_request_id.eq(request_id))
            .order((takedown_identifiers::kind, takedown_identifiers::value))
            .select(Self::as_select())
            .load(conn)
    }
}

/// The pair `(a, b)` in the order `seller_links` stores it.
fn ordered(a: i64, b: i64) -> (i64, i64) {
    (a.min(b), a.max(b))
}

/// Reviewers' decisions on links between cases.
pub struct SellerLink;

impl SellerLink {
    /// The pairs involving `case_id` that a reviewer decided, with the other case.
    pub fn decided_with(conn: &mut DbConnection, case_id: i64) -> QueryResult<Vec<i64>> {
        let rows: Vec<(i64, i64)> = seller_links::table
            .filter(
                seller_links::case_id
                    .eq(case_id)
                    .or(seller_links::other_case_id.eq(case_id)),
            )
            .select((seller_links::case_id, seller_links::other_case_id))
            .load(conn)?;
        Ok(rows
            .into_iter()
            .map(|(a, b)| if a == case_id { b } else { a })
            .collect())
    }

    /// Records (or changes) the decision on a pair.
    pub fn decide(
        conn: &mut DbConnection,
        a: i64,
        b: i64,
        decision: LinkDecision,
        by: i64,
        at: NaiveDateTime,
    ) -> QueryResult<()> {
        let (low, high) = ordered(a, b);
        let changed = diesel::update(seller_links::table.find((low, high)))
            .set((
                seller_links::decision.eq(decision),
                seller_links::decided_by.eq(by),
                seller_links::decided_at.eq(at),
            ))
            .execute(conn)?;
        if changed == 0 {
            diesel::insert_into(seller_links::table)
                .values((
                    seller_links::case_id.eq(low),
                    seller_links::other_case_id.eq(high),
                    seller_links::decision.eq(decision),
                    seller_links::decided_by.eq(by),
                    seller_links::decided_at.eq(at),
                ))
                .execute(conn)?;
        }
        Ok(())
    }
}

/// A seller: the cases a reviewer confirmed as one.
#[derive(Debug, Clone, Queryable, Selectable, Identifiable)]
#[diesel(table_name = sellers)]
pub struct Seller {
    pub id: i64,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

impl Seller {
    pub fn find(conn: &mut DbConnection, id: i64) -> QueryResult<Option<Self>> {
        sellers::table
            .find(id)
            .select(Self::as_select())
            .first(conn)
            .optional()
    }

    pub fn insert(conn: &mut DbConnection, at: NaiveDateTime) -> QueryResult<i64> {
        diesel::insert_into(sellers::table)
            .values((sellers::created_at.eq(at), sellers::updated_at.eq(at)))
            .returning(sellers::id)
            .get_result(conn)
    }

    pub fn touch(conn: &mut DbConnection, id: i64, at: NaiveDateTime) -> QueryResult<()> {
        diesel::update(sellers::table.find(id))
            .set(sellers::updated_at.eq(at))
            .execute(conn)
            .map(|_| ())
    }

    /// Puts a case in the seller.
    pub fn add_case(conn: &mut DbConnection, id: i64, case_id: i64) -> QueryResult<()> {
        diesel::update(cases::table.find(case_id))
            .set(cases::seller_id.eq(id))
            .execute(conn)
            .map(|_| ())
    }

    /// Moves every case of seller `from` to seller `to` (two confirmed sellers found to be one).
    pub fn move_cases(conn: &mut DbConnection, from: i64, to: i64) -> QueryResult<usize> {
        diesel::update(cases::table.filter(cases::seller_id.eq(from)))
            .set(cases::seller_id.eq(to))
            .execute(conn)
    }

    /// The ids of the seller's cases, oldest first.
    pub fn case_ids(conn: &mut DbConnection, id: i64) -> QueryResult<Vec<i64>> {
        cases::table
            .filter(cases::seller_id.eq(id))
            .order(cases::id.asc())
            .select(cases::id)
            .load(conn)
    }

    /// What the seller's repeat-offender score is made of.
    pub fn record(conn: &mut DbConnection, id: i64) -> QueryResult<SellerRecord> {
        let resolved_takedowns: i64 = takedown_requests::table
            .inner_join(cases::table)
            .filter(cases::seller_id.eq(id))
            .filter(takedown_requests::status.eq(TakedownStatus::Answered))
            .filter(takedown_requests::action.eq_any([
                TakedownAction::Removed,
                TakedownAction::Restricted,
                TakedownAction::GeoBlocked,
            ]))
            // A removal the platform later reinstated (an appeal upheld) does not count.
            .filter(diesel::dsl::not(diesel::dsl::exists(
                crate::schema::takedown_answers::table
                    .filter(
                        crate::schema::takedown_answers::takedown_request_id
                            .eq(takedown_requests::id),
                    )
                    .filter(
                        crate::schema::takedown_answers::kind
                            .eq(laporlapak_domain::AnswerKind::Reinstatement),
                    ),
            )))
            .count()
            .get_result(conn)?;
        let (relistings, platforms): (i64, i64) = cases::table
            .filter(cases::seller_id.eq(id))
            .select((
                count(cases::relisted_from_id),
                count(cases::platform_id).aggregate_distinct(),
            ))
            .get_result(conn)?;
        Ok(SellerRecord {
            resolved_takedowns,
            relistings,
            platforms,
        })
    }

    /// When the seller's complaints were first and last filed.
    pub fn seen(
        conn: &mut DbConnection,
        id: i64,
    ) -> QueryResult<(Option<NaiveDateTime>, Option<NaiveDateTime>)> {
        complaints::table
            .inner_join(cases::table)
            .filter(cases::seller_id.eq(id))
            .select((
                diesel::dsl::min(complaints::created_at),
                diesel::dsl::max(complaints::created_at),
            ))
            .get_result(conn)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn removed_predicate_spells_the_removed_action() {
        assert_eq!(
            REMOVED.0,
            format!("action = '{}'", TakedownAction::Removed.as_str())
        );
    }
}
