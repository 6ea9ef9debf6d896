//! The information loop: a reviewer's request to a case's reporters, and each reporter's reply.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::DbConnection;
use crate::schema::messages;
use crate::vault::Sealed;
use laporlapak_domain::MessageAuthor;

#[derive(Debug, Clone, Queryable, Selectable, Identifiable)]
#[diesel(table_name = messages)]
pub struct Message {
    pub id: i64,
    pub case_id: i64,
    pub complaint_id: Option<i64>,
    pub author: MessageAuthor,
    pub author_account_id: Option<i64>,
    /// Sealed: a reporter's reply may name the reporter.
    pub body: Sealed,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = messages)]
pub struct MessageInsertForm<'a> {
    pub case_id: i64,
    pub complaint_id: Option<i64>,
    pub author: MessageAuthor,
    pub author_account_id: Option<i64>,
    pub body: &'a Sealed,
    pub created_at: NaiveDateTime,
}

impl Message {
    pub fn insert(conn: &mut DbConnection, form: &MessageInsertForm<'_>) -> QueryResult<()> {
        diesel::insert_into(messages::table)
            .values(form)
            .execute(conn)
            .map(|_| ())
    }

    /// What one reporter sees: the requests addressed to every reporter of the case, and its own
    /// replies — never another reporter's.
    pub fn for_complaint(
        conn: &mut DbConnection,
        case_id: i64,
        complaint_id: i64,
    ) -> QueryResult<Vec<Self>> {
        messages::table
            .filter(messages::case_id.eq(case_id))
            .filter(
                messages::complaint_id
                    .is_null()
                    .or(messages::complaint_id.eq(complaint_id)),
            )
            .order(messages::id.asc())
            .select(Self::as_select())
            .load(conn)
    }

    /// Moves a merged case's messages with its complaints.
    pub fn move_to_case(conn: &mut DbConnection, from: i64, to: i64) -> QueryResult<()> {
        diesel::update(messages::table.filter(messages::case_id.eq(from)))
            .set(messages::case_id.eq(to))
            .execute(conn)
            .map(|_| ())
    }
}
