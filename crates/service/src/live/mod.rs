//! Live updates: what changed, told to the subscribers of every replica once its transaction has
//! committed.
//!
//! An event is a [`Change`] — a kind and one row id, nothing else. It is collected while the
//! transaction that causes it runs ([`note`], called by `audit::record` and the webhook outbox,
//! so every audited change and every platform event is covered), and handed to the [`Hub`] only
//! after the commit ([`transaction`], which `Services::write` uses): a rollback sends nothing.
//! Each subscriber then re-reads the row under its own rights (`read`), exactly as a query would,
//! and is told nothing it could not have queried.
//!
//! On SQLite (one process) the hub broadcasts in process. On PostgreSQL it sends the ids with
//! `NOTIFY` on a dedicated connection and every replica, this one included, broadcasts what its
//! own `LISTEN` connection receives (`pg`): an event reaches each replica once. A replica that
//! loses that connection reconnects and broadcasts [`Change::Resync`]: what happened meanwhile
//! was not seen, so subscribers are told to re-read what they show. A subscriber that falls so
//! far behind that the broadcast drops events for it gets the same resync.

pub mod pg;
pub mod read;

use std::cell::RefCell;
use std::sync::Arc;

use tokio::sync::broadcast;

use laporlapak_db::DbConnection;

/// Events buffered for subscribers that are slower than the rest; beyond it a subscriber is told
/// to re-sync.
const BROADCAST_CAPACITY: usize = 4096;

/// What changed: a kind and a row id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Change {
    /// Something happened in a case (an audited event): the queue, its reporters.
    Case(i64),
    /// A takedown request was issued to its platform.
    RequestIssued(i64),
    /// Half of a request's time to answer passed.
    RequestReminder(i64),
    /// A request's deadline passed unanswered.
    RequestOverdue(i64),
    /// A case whose platform received a request was escalated to another authority.
    CaseEscalated(i64),
    /// An objection to the request was decided.
    ObjectionDecided(i64),
    /// A recommendation to the regulator was made or moved.
    Recommendation(i64),
    /// An account changed (disabled, role, platform): its open connections check their token.
    Account(i64),
    /// An API client (by row id) changed (revoked, secret rotated).
    ApiClient(i64),
    /// Events may have been missed: re-read what is shown.
    Resync,
}

impl Change {
    /// As a notification carries it: `c12`.
    fn encode(self) -> String {
        let (tag, id) = match self {
            Self::Case(id) => ('c', id),
            Self::RequestIssued(id) => ('i', id),
            Self::RequestReminder(id) => ('m', id),
            Self::RequestOverdue(id) => ('o', id),
            Self::CaseEscalated(id) => ('e', id),
            Self::ObjectionDecided(id) => ('d', id),
            Self::Recommendation(id) => ('r', id),
            Self::Account(id) => ('a', id),
            Self::ApiClient(id) => ('k', id),
            Self::Resync => ('s', 0),
        };
        format!("{tag}{id}")
    }

    fn decode(text: &str) -> Option<Self> {
        let mut chars = text.chars();
        let tag = chars.next()?;
        let id: i64 = chars.as_str().parse().ok()?;
        Some(match tag {
            'c' => Self::Case(id),
            'i' => Self::RequestIssued(id),
            'm' => Self::RequestReminder(id),
            'o' => Self::RequestOverdue(id),
            'e' => Self::CaseEscalated(id),
            'd' => Self::ObjectionDecided(id),
            'r' => Self::Recommendation(id),
            'a' => Self::Account(id),
            'k' => Self::ApiClient(id),
            's' => Self::Resync,
            _ => return None,
        })
    }
}

/// A notification's payload: the changes, space-separated.
pub(crate) fn encode_all(changes: &[Change]) -> String {
    changes
        .iter()
        .map(|change| change.encode())
        .collect::<Vec<_>>()
        .join(" ")
}

pub(crate) fn decode_all(payload: &str) -> impl Iterator<Item = Change> + '_ {
    payload.split(' ').filter_map(Change::decode)
}

/// The replica's end of live updates: subscribers take a receiver, committed changes go out
/// through it (in process) or through PostgreSQL (`pg`).
#[derive(Debug)]
pub struct Hub {
    sender: broadcast::Sender<Change>,
    /// On PostgreSQL: the listener thread's queue of changes to `NOTIFY`.
    outgoing: Option<std::sync::mpsc::SyncSender<Vec<Change>>>,
}

impl Default for Hub {
    /// In process only (SQLite, and one-shot commands).
    fn default() -> Self {
        Self {
            sender: broadcast::Sender::new(BROADCAST_CAPACITY),
            outgoing: None,
        }
    }
}

impl Hub {
    /// A receiver of every change committed from now on.
    pub fn subscribe(&self) -> broadcast::Receiver<Change> {
        self.sender.subscribe()
    }

    /// How many receivers are open (`/metrics`, the measurements).
    pub fn receivers(&self) -> usize {
        self.sender.receiver_count()
    }

    /// Hands committed changes on: to PostgreSQL when there is a listener, to this process's
    /// subscribers otherwise.
    pub(crate) fn publish(&self, changes: Vec<Change>) {
        if changes.is_empty() {
            return;
        }
        match &self.outgoing {
            Some(outgoing) => {
                if let Err(error) = outgoing.try_send(changes) {
                    // The listener is reconnecting and its queue is full: what it missed is told
                    // as a resync once it is back.
                    tracing::warn!(%error, "live updates: a change could not be queued for NOTIFY");
                }
            }
            None => self.broadcast(changes),
        }
    }

    fn broadcast(&self, changes: impl IntoIterator<Item = Change>) {
        for change in changes {
            // No receiver: nobody is listening, which is fine.
            let _ = self.sender.send(change);
        }
    }
}

thread_local! {
    /// The changes of the transaction running on this thread, when one collects them.
    static PENDING: RefCell<Option<Vec<Change>>> = const { RefCell::new(None) };
}

/// Notes a change made by the transaction running on this thread; it is published once that
/// transaction commits. Outside [`transaction`] (a one-shot command) it is dropped.
pub(crate) fn note(change: Change) {
    PENDING.with(|pending| {
        if let Some(list) = pending.borrow_mut().as_mut()
            && !list.contains(&change)
        {
            list.push(change);
        }
    });
}

/// Collects the changes of one outermost transaction; a nested one adds to its outer one's.
struct Collecting {
    outermost: bool,
}

impl Collecting {
    fn begin() -> Self {
        let outermost = PENDING.with(|pending| {
            let mut pending = pending.borrow_mut();
            if pending.is_some() {
                false
            } else {
                *pending = Some(Vec::new());
                true
            }
        });
        Self { outermost }
    }

    fn finish(self) -> Vec<Change> {
        if !self.outermost {
            return Vec::new();
        }
        PENDING.with(|pending| pending.borrow_mut().take().unwrap_or_default())
    }
}

impl Drop for Collecting {
    fn drop(&mut self) {
        // A panic inside the transaction: nothing of it is published.
        if self.outermost {
            PENDING.with(|pending| pending.borrow_mut().take());
        }
    }
}

/// `laporlapak_db::write_transaction`, publishing the changes it noted once it has committed.
pub(crate) fn transaction<T, E, F>(hub: &Hub, conn: &mut DbConnection, f: F) -> Result<T, E>
where
    F: FnOnce(&mut DbConnection) -> Result<T, E>,
    E: From<diesel::result::Error>,
{
    let collecting = Collecting::begin();
    let outcome = laporlapak_db::write_transaction(conn, f);
    let changes = collecting.finish();
    if outcome.is_ok() {
        hub.publish(changes);
    }
    outcome
}

/// Starts the PostgreSQL listener of `database_url` and returns the hub that sends through it.
pub fn postgres_hub(database_url: &str) -> Arc<Hub> {
    let sender = broadcast::Sender::new(BROADCAST_CAPACITY);
    let outgoing = pg::start(database_url.to_owned(), sender.clone());
    Arc::new(Hub {
        sender,
        outgoing: Some(outgoing),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn changes_round_trip_through_a_payload() {
        let changes = vec![
            Change::Case(1),
            Change::RequestIssued(22),
            Change::RequestReminder(3),
            Change::RequestOverdue(4),
            Change::CaseEscalated(5),
            Change::ObjectionDecided(6),
            Change::Recommendation(7),
            Change::Account(8),
            Change::ApiClient(9),
            Change::Resync,
        ];
        let payload = encode_all(&changes);
        assert_eq!(decode_all(&payload).collect::<Vec<_>>(), changes);
        assert_eq!(decode_all("x1 c y").count(), 0);
    }

    #[test]
    fn only_committed_changes_are_published() {
        let hub = Hub::default();
        let mut receiver = hub.subscribe();
        let collecting = Collecting::begin();
        note(Change::Case(1));
        note(Change::Case(1));
        let inner = Collecting::begin();
        note(Change::Case(2));
        assert!(inner.finish().is_empty());
        hub.publish(collecting.finish());
        assert_eq!(receiver.try_recv().ok(), Some(Change::Case(1)));
        assert_eq!(receiver.try_recv().ok(), Some(Change::Case(2)));
        assert!(receiver.try_recv().is_err());
        // Outside a transaction nothing is collected.
        note(Change::Case(3));
        let dropped = Collecting::begin();
        drop(dropped);
        assert!(receiver.try_recv().is_err());
    }
}
