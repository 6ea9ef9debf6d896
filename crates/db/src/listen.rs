//! PostgreSQL `LISTEN`/`NOTIFY` on a connection of its own (not the pool's: a listening session
//! must stay open, and a pooled one is handed to whoever asks next). diesel reads notifications
//! without blocking (`PgConnection::notifications_iter`, libpq's `PQconsumeInput`/`PQnotifies`),
//! so the caller polls; see `laporlapak_service::live::pg`.

use diesel::connection::SimpleConnection as _;
use diesel::prelude::*;
use diesel::sql_types::Text;

/// One listening connection.
pub struct Listener {
    conn: diesel::PgConnection,
}

impl std::fmt::Debug for Listener {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Listener")
    }
}

impl Listener {
    /// Connects to `url` (with the pool's network time-outs) and listens on `channel`, whose name
    /// is a fixed identifier of the caller's.
    pub fn connect(url: &str, channel: &'static str) -> QueryResult<Self> {
        let mut conn = diesel::PgConnection::establish(&super::with_network_timeouts(url))
            .map_err(|error| {
                diesel::result::Error::DatabaseError(
                    diesel::result::DatabaseErrorKind::UnableToSendCommand,
                    Box::new(error.to_string()),
                )
            })?;
        conn.batch_execute(&format!("LISTEN {channel}"))?;
        Ok(Self { conn })
    }

    /// Sends `payload` on `channel` (delivered to every listener once, this one included).
    pub fn notify(&mut self, channel: &'static str, payload: &str) -> QueryResult<()> {
        diesel::sql_query("SELECT pg_notify($1, $2)")
            .bind::<Text, _>(channel)
            .bind::<Text, _>(payload)
            .execute(&mut self.conn)
            .map(|_| ())
    }

    /// The payloads received since the last call; an error when the connection is lost.
    pub fn received(&mut self) -> QueryResult<Vec<String>> {
        let mut payloads = Vec::new();
        for notification in self.conn.notifications_iter() {
            payloads.push(notification?.payload);
        }
        Ok(payloads)
    }

    /// A round trip: an error when the connection is lost (a quiet socket may not show it).
    pub fn ping(&mut self) -> QueryResult<()> {
        self.conn.batch_execute("SELECT 1")
    }
}
