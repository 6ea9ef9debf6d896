//! Complaint categories: a stable code, labels in Indonesian and English, the legal basis and a
//! severity that feeds a case's priority.

use diesel::prelude::*;

use crate::DbConnection;
use crate::schema::categories;

#[derive(Debug, Clone, Queryable, Selectable, Identifiable)]
#[diesel(table_name = categories)]
pub struct Category {
    pub id: i64,
    pub code: String,
    pub label_id: String,
    pub label_en: String,
    pub legal_basis: String,
    pub severity: i32,
    pub position: i32,
    pub active: bool,
    /// Whether the 4-hour track (URGENT) may apply to the category's content: only the kinds
    /// Permenkominfo 5/2020 lists for it (terrorism, child sexual abuse material, public order).
    pub urgent_track: bool,
}

impl Category {
    pub fn list_active(conn: &mut DbConnection) -> QueryResult<Vec<Self>> {
        categories::table
            .filter(categories::active.eq(true))
            .order(categories::position.asc())
            .select(Self::as_select())
            .load(conn)
    }

    pub fn list_all(conn: &mut DbConnection) -> QueryResult<Vec<Self>> {
        categories::table
            .order(categories::position.asc())
            .select(Self::as_select())
            .load(conn)
    }

    pub fn find(conn: &mut DbConnection, id: i64) -> QueryResult<Option<Self>> {
        categories::table
            .find(id)
            .select(Self::as_select())
            .first(conn)
            .optional()
    }

    pub fn find_by_code(conn: &mut DbConnection, code: &str) -> QueryResult<Option<Self>> {
        categories::table
            .filter(categories::code.eq(code))
            .select(Self::as_select())
            .first(conn)
            .optional()
    }

    /// Sets whether the category may take the 4-hour track; returns whether it exists.
    pub fn set_urgent_track(
        conn: &mut DbConnection,
        code: &str,
        allowed: bool,
    ) -> QueryResult<bool> {
        let changed = diesel::update(categories::table.filter(categories::code.eq(code)))
            .set(categories::urgent_track.eq(allowed))
            .execute(conn)?;
        Ok(changed == 1)
    }
}
