//! Takedown requests: the formal notice from the ministry to a platform for a case, with its
//! deadline and, once answered, the platform's action and statement of reasons.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::DbConnection;
use crate::db::schema::takedown_requests;

#[derive(Debug, Clone, Queryable, Selectable, Identifiable)]
#[diesel(table_name = takedown_requests)]
pub struct TakedownRequest {
    pub id: i64,
    pub case_id: i64,
    pub platform_id: i64,
    pub legal_basis: String,
    pub urgency: String,
    pub note: Option<String>,
    pub status: String,
    pub issued_by: i64,
    pub issued_at: NaiveDateTime,
    pub due_at: NaiveDateTime,
    pub acknowledged_at: Option<NaiveDateTime>,
    pub responded_at: Option<NaiveDateTime>,
    pub action: Option<String>,
    pub statement_of_reasons: Option<String>,
    pub acted_at: Option<NaiveDateTime>,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = takedown_requests)]
pub struct TakedownRequestInsertForm<'a> {
    pub case_id: i64,
    pub platform_id: i64,
    pub legal_basis: &'a str,
    pub urgency: &'a str,
    pub note: Option<&'a str>,
    pub status: &'a str,
    pub issued_by: i64,
    pub issued_at: NaiveDateTime,
    pub due_at: NaiveDateTime,
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
}
