//! The append-only audit trail. Rows are inserted, never updated or deleted (the migrations install
//! triggers that refuse both), and every state change writes its event in the same transaction.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::DbConnection;
use crate::db::schema::events;

#[derive(Debug, Clone, Queryable, Selectable, Identifiable)]
#[diesel(table_name = events)]
pub struct Event {
    pub id: i64,
    pub at: NaiveDateTime,
    pub actor_account_id: Option<i64>,
    pub actor_role: Option<String>,
    pub action: String,
    pub subject_type: String,
    pub subject_id: i64,
    pub case_id: Option<i64>,
    pub details: Option<String>,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = events)]
pub struct EventInsertForm<'a> {
    pub at: NaiveDateTime,
    pub actor_account_id: Option<i64>,
    pub actor_role: Option<&'a str>,
    pub action: &'a str,
    pub subject_type: &'a str,
    pub subject_id: i64,
    pub case_id: Option<i64>,
    pub details: Option<&'a str>,
}

impl Event {
    pub fn append(conn: &mut DbConnection, form: &EventInsertForm<'_>) -> QueryResult<()> {
        diesel::insert_into(events::table)
            .values(form)
            .execute(conn)
            .map(|_| ())
    }

    pub fn for_subject(
        conn: &mut DbConnection,
        subject_type: &str,
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
