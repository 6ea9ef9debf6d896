//! Accounts: citizens (self-registered) and staff (created by an admin or the command line).

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::DbConnection;
use crate::schema::accounts;
use crate::vault::Sealed;
use laporlapak_domain::Role;

/// `Debug` is written by hand: the password hash never reaches a log line.
#[derive(Clone, Queryable, Selectable, Identifiable)]
#[diesel(table_name = accounts)]
pub struct Account {
    pub id: i64,
    pub email: Sealed,
    pub password_hash: String,
    pub display_name: Sealed,
    pub role: Role,
    pub platform_id: Option<i64>,
    pub umkm_nib: Option<Sealed>,
    pub umkm_business_name: Option<Sealed>,
    pub created_at: NaiveDateTime,
    pub disabled_at: Option<NaiveDateTime>,
    /// The keyed hash of the normalised e-mail that sign-in looks up; none once erased.
    pub email_index: Option<String>,
    /// The version of the privacy notice accepted at registration.
    pub privacy_notice_version: Option<String>,
    pub privacy_accepted_at: Option<NaiveDateTime>,
    /// When the person asked for erasure: every identifying field is gone since.
    pub erased_at: Option<NaiveDateTime>,
    /// The version of the consent text agreed to when the citizen turned notification mails on;
    /// none while they are off.
    pub mail_consent_version: Option<String>,
    /// The language of notification mails (`id` or `en`).
    pub mail_language: Option<String>,
}

impl std::fmt::Debug for Account {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Account")
            .field("id", &self.id)
            .field("role", &self.role)
            .field("platform_id", &self.platform_id)
            .field("disabled_at", &self.disabled_at)
            .field("erased_at", &self.erased_at)
            .finish_non_exhaustive()
    }
}

/// No `Debug`: it carries the password hash.
#[derive(Insertable)]
#[diesel(table_name = accounts)]
pub struct AccountInsertForm<'a> {
    pub email: &'a Sealed,
    pub email_index: &'a str,
    pub password_hash: &'a str,
    pub display_name: &'a Sealed,
    pub role: Role,
    pub platform_id: Option<i64>,
    pub umkm_nib: Option<&'a Sealed>,
    pub umkm_business_name: Option<&'a Sealed>,
    pub privacy_notice_version: Option<&'a str>,
    pub privacy_accepted_at: Option<NaiveDateTime>,
    pub created_at: NaiveDateTime,
}

/// The identifying fields of an account, sealed, for a correction or a re-sealing.
#[derive(Debug, AsChangeset)]
#[diesel(table_name = accounts)]
pub struct AccountIdentityChange<'a> {
    pub display_name: Option<&'a Sealed>,
    /// `Some(None)` removes the UMKM declaration.
    pub umkm_nib: Option<Option<&'a Sealed>>,
    pub umkm_business_name: Option<Option<&'a Sealed>>,
}

impl Account {
    pub fn find(conn: &mut DbConnection, id: i64) -> QueryResult<Option<Self>> {
        accounts::table
            .find(id)
            .select(Self::as_select())
            .first(conn)
            .optional()
    }

    /// The accounts among `ids` that exist.
    pub fn find_many(conn: &mut DbConnection, ids: &[i64]) -> QueryResult<Vec<Self>> {
        let mut found = Vec::with_capacity(ids.len());
        for chunk in ids.chunks(500) {
            found.extend(
                accounts::table
                    .filter(accounts::id.eq_any(chunk))
                    .select(Self::as_select())
                    .load(conn)?,
            );
        }
        Ok(found)
    }

    /// The account whose e-mail has one of `indexes` (its blind index under each data key).
    pub fn find_by_email_index(
        conn: &mut DbConnection,
        indexes: &[String],
    ) -> QueryResult<Option<Self>> {
        accounts::table
            .filter(accounts::email_index.eq_any(indexes))
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

    pub fn set_email(
        conn: &mut DbConnection,
        id: i64,
        email: &Sealed,
        email_index: &str,
    ) -> QueryResult<()> {
        diesel::update(accounts::table.find(id))
            .set((
                accounts::email.eq(email),
                accounts::email_index.eq(email_index),
            ))
            .execute(conn)
            .map(|_| ())
    }

    pub fn change_identity(
        conn: &mut DbConnection,
        id: i64,
        change: &AccountIdentityChange<'_>,
    ) -> QueryResult<()> {
        diesel::update(accounts::table.find(id))
            .set(change)
            .execute(conn)
            .map(|_| ())
    }

    /// Erases the account's identity: what is left is a disabled row that events can still point
    /// at. `blank_email` and `blank_name` are sealed empty strings (the e-mail column is unique,
    /// and each seal differs).
    pub fn erase(
        conn: &mut DbConnection,
        id: i64,
        blank_email: &Sealed,
        blank_name: &Sealed,
        at: NaiveDateTime,
    ) -> QueryResult<()> {
        diesel::update(accounts::table.find(id))
            .set((
                accounts::email.eq(blank_email),
                accounts::email_index.eq(None::<String>),
                accounts::display_name.eq(blank_name),
                accounts::umkm_nib.eq(None::<Sealed>),
                accounts::umkm_business_name.eq(None::<Sealed>),
                accounts::password_hash.eq(""),
                accounts::disabled_at.eq(at),
                accounts::erased_at.eq(at),
                accounts::mail_consent_version.eq(None::<String>),
            ))
            .execute(conn)?;
        crate::models::mail::MailOutbox::forget_account(conn, id).map(|_| ())
    }

    pub fn is_disabled(&self) -> bool {
        self.disabled_at.is_some()
    }
}
