//! Recommendations: a reviewer's letter asking Komdigi to order access terminated for one case or
//! a batch, the evidence it lets the regulator see, and Komdigi's decision.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::DbConnection;
use crate::schema::{recommendation_cases, recommendation_evidence, recommendations};
use laporlapak_domain::{RecommendationStatus, Urgency};

#[derive(Debug, Clone, Queryable, Selectable, Identifiable)]
#[diesel(table_name = recommendations)]
pub struct Recommendation {
    pub id: i64,
    pub letter_number: String,
    pub legal_basis: String,
    pub reasons: String,
    pub urgency: Urgency,
    pub status: RecommendationStatus,
    pub created_by: i64,
    pub created_at: NaiveDateTime,
    pub decided_by: Option<i64>,
    pub decided_at: Option<NaiveDateTime>,
    pub decision_reasons: Option<String>,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = recommendations)]
pub struct RecommendationInsertForm<'a> {
    pub letter_number: &'a str,
    pub legal_basis: &'a str,
    pub reasons: &'a str,
    pub urgency: Urgency,
    pub status: RecommendationStatus,
    pub created_by: i64,
    pub created_at: NaiveDateTime,
}

/// One case of a recommendation, and the order issued for it.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = recommendation_cases)]
pub struct RecommendedCase {
    pub recommendation_id: i64,
    pub case_id: i64,
    pub takedown_request_id: Option<i64>,
}

impl Recommendation {
    pub fn insert(
        conn: &mut DbConnection,
        form: &RecommendationInsertForm<'_>,
    ) -> QueryResult<i64> {
        diesel::insert_into(recommendations::table)
            .values(form)
            .returning(recommendations::id)
            .get_result(conn)
    }

    pub fn find(conn: &mut DbConnection, id: i64) -> QueryResult<Option<Self>> {
        recommendations::table
            .find(id)
            .select(Self::as_select())
            .first(conn)
            .optional()
    }

    pub fn add_case(conn: &mut DbConnection, id: i64, case_id: i64) -> QueryResult<()> {
        diesel::insert_into(recommendation_cases::table)
            .values((
                recommendation_cases::recommendation_id.eq(id),
                recommendation_cases::case_id.eq(case_id),
            ))
            .execute(conn)
            .map(|_| ())
    }

    pub fn add_evidence(
        conn: &mut DbConnection,
        id: i64,
        case_id: i64,
        url: &str,
    ) -> QueryResult<()> {
        diesel::insert_into(recommendation_evidence::table)
            .values((
                recommendation_evidence::recommendation_id.eq(id),
                recommendation_evidence::case_id.eq(case_id),
                recommendation_evidence::url.eq(url),
            ))
            .execute(conn)
            .map(|_| ())
    }

    pub fn cases(conn: &mut DbConnection, id: i64) -> QueryResult<Vec<RecommendedCase>> {
        recommendation_cases::table
            .filter(recommendation_cases::recommendation_id.eq(id))
            .order(recommendation_cases::case_id.asc())
            .select(RecommendedCase::as_select())
            .load(conn)
    }

    /// The evidence URLs the regulator may see, as `(case_id, url)`.
    pub fn evidence(conn: &mut DbConnection, id: i64) -> QueryResult<Vec<(i64, String)>> {
        recommendation_evidence::table
            .filter(recommendation_evidence::recommendation_id.eq(id))
            .order((
                recommendation_evidence::case_id.asc(),
                recommendation_evidence::url.asc(),
            ))
            .select((
                recommendation_evidence::case_id,
                recommendation_evidence::url,
            ))
            .load(conn)
    }

    pub fn set_order(
        conn: &mut DbConnection,
        id: i64,
        case_id: i64,
        takedown_request_id: i64,
    ) -> QueryResult<()> {
        diesel::update(
            recommendation_cases::table
                .filter(recommendation_cases::recommendation_id.eq(id))
                .filter(recommendation_cases::case_id.eq(case_id)),
        )
        .set(recommendation_cases::takedown_request_id.eq(takedown_request_id))
        .execute(conn)
        .map(|_| ())
    }

    /// Records Komdigi's decision if none is recorded yet; returns whether this call did it.
    pub fn decide(
        conn: &mut DbConnection,
        id: i64,
        status: RecommendationStatus,
        by: i64,
        reasons: Option<&str>,
        at: NaiveDateTime,
    ) -> QueryResult<bool> {
        let changed = diesel::update(recommendations::table.find(id))
            .filter(recommendations::status.eq(RecommendationStatus::Pending))
            .set((
                recommendations::status.eq(status),
                recommendations::decided_by.eq(by),
                recommendations::decided_at.eq(at),
                recommendations::decision_reasons.eq(reasons),
            ))
            .execute(conn)?;
        Ok(changed == 1)
    }

    /// A page of recommendations, oldest first, after `after_id`.
    pub fn page(
        conn: &mut DbConnection,
        status: Option<RecommendationStatus>,
        after_id: Option<i64>,
        limit: i64,
    ) -> QueryResult<Vec<Self>> {
        let mut query = recommendations::table
            .order(recommendations::id.asc())
            .limit(limit)
            .select(Self::as_select())
            .into_boxed();
        if let Some(status) = status {
            query = query.filter(recommendations::status.eq(status));
        }
        if let Some(after_id) = after_id {
            query = query.filter(recommendations::id.gt(after_id));
        }
        query.load(conn)
    }
}
