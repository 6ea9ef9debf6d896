//! Komdigi's administrative sanctions against a platform: each step of the ladder is a letter
//! (number, date) about the orders it concerns.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::DbConnection;
use crate::schema::{sanction_orders, sanctions};
use laporlapak_domain::SanctionStep;

#[derive(Debug, Clone, Queryable, Selectable, Identifiable)]
#[diesel(table_name = sanctions)]
pub struct Sanction {
    pub id: i64,
    pub platform_id: i64,
    pub step: SanctionStep,
    pub letter_number: String,
    pub letter_date: String,
    pub reasons: String,
    pub recorded_by: i64,
    pub recorded_at: NaiveDateTime,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = sanctions)]
pub struct SanctionInsertForm<'a> {
    pub platform_id: i64,
    pub step: SanctionStep,
    pub letter_number: &'a str,
    pub letter_date: &'a str,
    pub reasons: &'a str,
    pub recorded_by: i64,
    pub recorded_at: NaiveDateTime,
}

impl Sanction {
    pub fn insert(
        conn: &mut DbConnection,
        form: &SanctionInsertForm<'_>,
        order_ids: &[i64],
    ) -> QueryResult<i64> {
        let id = diesel::insert_into(sanctions::table)
            .values(form)
            .returning(sanctions::id)
            .get_result(conn)?;
        for order in order_ids {
            diesel::insert_into(sanction_orders::table)
                .values((
                    sanction_orders::sanction_id.eq(id),
                    sanction_orders::takedown_request_id.eq(*order),
                ))
                .execute(conn)?;
        }
        Ok(id)
    }

    pub fn find(conn: &mut DbConnection, id: i64) -> QueryResult<Option<Self>> {
        sanctions::table
            .find(id)
            .select(Self::as_select())
            .first(conn)
            .optional()
    }

    pub fn order_ids(conn: &mut DbConnection, id: i64) -> QueryResult<Vec<i64>> {
        sanction_orders::table
            .filter(sanction_orders::sanction_id.eq(id))
            .order(sanction_orders::takedown_request_id.asc())
            .select(sanction_orders::takedown_request_id)
            .load(conn)
    }

    /// Sanctions recorded in `[from, to)`, optionally of one platform, oldest first (few: one per
    /// Komdigi letter).
    pub fn recorded(
        conn: &mut DbConnection,
        platform_id: Option<i64>,
        from: Option<NaiveDateTime>,
        to: Option<NaiveDateTime>,
    ) -> QueryResult<Vec<Self>> {
        let mut query = sanctions::table
            .order(sanctions::id.asc())
            .select(Self::as_select())
            .into_boxed();
        if let Some(platform_id) = platform_id {
            query = query.filter(sanctions::platform_id.eq(platform_id));
        }
        if let Some(from) = from {
            query = query.filter(sanctions::recorded_at.ge(from));
        }
        if let Some(to) = to {
            query = query.filter(sanctions::recorded_at.lt(to));
        }
        query.load(conn)
    }
}
