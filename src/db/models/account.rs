//! Accounts: citizens (self-registered) and staff (created by an admin or the command line).

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::DbConnection;
use crate::db::schema::accounts;
use crate::domain::Role;

/// `Debug` is written by hand: the password hash never reaches a log line.
#[derive(Clone, Queryable, Selectable, Identifiable)]
#[diesel(table_name = accounts)]
pub struct Account {
    pub id: i64,
    pub email: String,
    pub password_hash: String,
    pub display_name: String,
    pub role: Role,
    pub platform_id: Option<i64>,
    pub umkm_nib: Option<String>,
    pub umkm_business_name: Option<String>,
    pub created_at: NaiveDateTime,
    pub disabled_at: Option<NaiveDateTime>,
}

impl std::fmt::Debug for Account {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Account")
            .field("id", &self.id)
            .field("role", &self.role)
            .field("platform_id", &self.platform_id)
            .field("disabled_at", &self.disabled_at)
            .finish_non_exhaustive()
    }
}

/// No `Debug`: it carries the password hash.
#[derive(Insertable)]
#[diesel(table_name = accounts)]
pub struct AccountInsertForm<'a> {
    pub email: &'a str,
    pub password_hash: &'a str,
    pub display_name: &'a str,
    pub role: Role,
    pub platform_id: Option<i64>,
    pub umkm_nib: Option<&'a str>,
    pub umkm_business_name: Option<&'a str>,
    pub created_at: NaiveDateTime,
}

impl Account {
    pub fn find(conn: &mut DbConnection, id: i64) -> QueryResult<Option<Self>> {
        accounts::table
            .find(id)
            .select(Self::as_select())
            .first(conn)
            .optional()
    }

    pub fn find_by_email(conn: &mut DbConnection, email: &str) -> QueryResult<Option<Self>> {
        accounts::table
            .filter(accounts::email.eq(email))
            .select(Self::as_select())
            .first(conn)
            .optional()
    }

    /// Inserts and returns the new id. A duplicate e-mail surfaces as a unique violation, which the
    /// caller turns into a user-facing error: checking first would race.
    pub fn insert(conn: &mut DbConnection, form: &AccountInsertForm<'_>) -> QueryResult<i64> {
        diesel::insert_into(accounts::table)
            .values(form)
            .returning(accounts::id)
            .get_result(conn)
    }

    /// Disables the account once; returns whether this call did it.
    pub fn disable(conn: &mut DbConnection, id: i64, at: NaiveDateTime) -> QueryResult<bool> {
        let changed = diesel::update(accounts::table.find(id))
            .filter(accounts::disabled_at.is_null())
            .set(accounts::disabled_at.eq(at))
            .execute(conn)?;
        Ok(changed == 1)
    }

    pub fn is_disabled(&self) -> bool {
        self.disabled_at.is_some()
    }
}
