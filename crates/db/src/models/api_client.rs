//! API clients: service accounts through which a platform's systems act (OAuth 2.0 client
//! credentials), and their secrets, of which two are live between a rotation and the revocation of
//! the old one.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::DbConnection;
use crate::schema::{api_client_secrets, api_clients, platforms};

#[derive(Debug, Clone, Queryable, Selectable, Identifiable)]
#[diesel(table_name = api_clients)]
pub struct ApiClient {
    pub id: i64,
    pub client_id: String,
    pub platform_id: i64,
    pub name: String,
    pub created_by: Option<i64>,
    pub created_at: NaiveDateTime,
    pub revoked_at: Option<NaiveDateTime>,
    pub last_used_at: Option<NaiveDateTime>,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = api_clients)]
pub struct ApiClientInsertForm<'a> {
    pub client_id: &'a str,
    pub platform_id: i64,
    pub name: &'a str,
    pub created_by: Option<i64>,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Identifiable)]
#[diesel(table_name = api_client_secrets)]
pub struct ApiClientSecret {
    pub id: i64,
    pub api_client_id: i64,
    pub secret_hash: String,
    pub hint: String,
    pub created_at: NaiveDateTime,
    pub revoked_at: Option<NaiveDateTime>,
    pub last_used_at: Option<NaiveDateTime>,
}

/// An unrevoked client of an active platform, with the platform's slug: what a client token
/// stands for, read in one statement on every request that carries one.
#[derive(Debug, Clone)]
pub struct LiveClient {
    pub id: i64,
    pub platform_id: i64,
    pub platform_slug: String,
}

impl ApiClient {
    pub fn insert(conn: &mut DbConnection, form: &ApiClientInsertForm<'_>) -> QueryResult<i64> {
        diesel::insert_into(api_clients::table)
            .values(form)
            .returning(api_clients::id)
            .get_result(conn)
    }

    pub fn find(conn: &mut DbConnection, id: i64) -> QueryResult<Option<Self>> {
        api_clients::table
            .find(id)
            .select(Self::as_select())
            .first(conn)
            .optional()
    }

    /// The client a token names, if it is still live: not revoked, its platform active.
    pub fn live(conn: &mut DbConnection, client_id: &str) -> QueryResult<Option<LiveClient>> {
        api_clients::table
            .inner_join(platforms::table.on(platforms::id.eq(api_clients::platform_id)))
            .filter(api_clients::client_id.eq(client_id))
            .filter(api_clients::revoked_at.is_null())
            .filter(platforms::active.eq(true))
            .select((api_clients::id, api_clients::platform_id, platforms::slug))
            .first::<(i64, i64, String)>(conn)
            .optional()
            .map(|row| {
                row.map(|(id, platform_id, platform_slug)| LiveClient {
                    id,
                    platform_id,
                    platform_slug,
                })
            })
    }

    /// Every client, or one platform's, newest first.
    pub fn list(conn: &mut DbConnection, platform_id: Option<i64>) -> QueryResult<Vec<Self>> {
        let mut query = api_clients::table
            .order(api_clients::id.desc())
            .select(Self::as_select())
            .into_boxed();
        if let Some(platform_id) = platform_id {
            query = query.filter(api_clients::platform_id.eq(platform_id));
        }
        query.load(conn)
    }

    /// "name (client_id)" of the clients among `ids` (for audit trails).
    pub fn labels(conn: &mut DbConnection, ids: &[i64]) -> QueryResult<Vec<(i64, String)>> {
        let rows: Vec<(i64, String, String)> = api_clients::table
            .filter(api_clients::id.eq_any(ids))
            .select((api_clients::id, api_clients::name, api_clients::client_id))
            .load(conn)?;
        Ok(rows
            .into_iter()
            .map(|(id, name, client_id)| (id, format!("{name} ({client_id})")))
            .collect())
    }

    /// Revokes the client; returns whether this call did it.
    pub fn revoke(conn: &mut DbConnection, id: i64, at: NaiveDateTime) -> QueryResult<bool> {
        let changed = diesel::update(api_clients::table.find(id))
            .filter(api_clients::revoked_at.is_null())
            .set(api_clients::revoked_at.eq(at))
            .execute(conn)?;
        Ok(changed == 1)
    }

    pub fn touch(conn: &mut DbConnection, id: i64, at: NaiveDateTime) -> QueryResult<()> {
        diesel::update(api_clients::table.find(id))
            .set(api_clients::last_used_at.eq(at))
            .execute(conn)
            .map(|_| ())
    }
}

impl ApiClientSecret {
    pub fn insert(
        conn: &mut DbConnection,
        api_client_id: i64,
        secret_hash: &str,
        hint: &str,
        at: NaiveDateTime,
    ) -> QueryResult<i64> {
        diesel::insert_into(api_client_secrets::table)
            .values((
                api_client_secrets::api_client_id.eq(api_client_id),
                api_client_secrets::secret_hash.eq(secret_hash),
                api_client_secrets::hint.eq(hint),
                api_client_secrets::created_at.eq(at),
            ))
            .returning(api_client_secrets::id)
            .get_result(conn)
    }

    pub fn find(conn: &mut DbConnection, id: i64) -> QueryResult<Option<Self>> {
        api_client_secrets::table
            .find(id)
            .select(Self::as_select())
            .first(conn)
            .optional()
    }

    /// The clients' secrets, oldest first.
    pub fn for_clients(conn: &mut DbConnection, client_ids: &[i64]) -> QueryResult<Vec<Self>> {
        api_client_secrets::table
            .filter(api_client_secrets::api_client_id.eq_any(client_ids))
            .order(api_client_secrets::id.asc())
            .select(Self::as_select())
            .load(conn)
    }

    /// The client's unrevoked secrets.
    pub fn live(conn: &mut DbConnection, api_client_id: i64) -> QueryResult<Vec<Self>> {
        api_client_secrets::table
            .filter(api_client_secrets::api_client_id.eq(api_client_id))
            .filter(api_client_secrets::revoked_at.is_null())
            .select(Self::as_select())
            .load(conn)
    }

    pub fn revoke(conn: &mut DbConnection, id: i64, at: NaiveDateTime) -> QueryResult<bool> {
        let changed = diesel::update(api_client_secrets::table.find(id))
            .filter(api_client_secrets::revoked_at.is_null())
            .set(api_client_secrets::revoked_at.eq(at))
            .execute(conn)?;
        Ok(changed == 1)
    }

    pub fn touch(conn: &mut DbConnection, id: i64, at: NaiveDateTime) -> QueryResult<()> {
        diesel::update(api_client_secrets::table.find(id))
            .set(api_client_secrets::last_used_at.eq(at))
            .execute(conn)
            .map(|_| ())
    }
}
