//! How many statements the server sends to the database, counted through diesel's instrumentation
//! hook on every pooled connection: in total (for `/metrics`) and per request (for the request's log
//! line and, in development, its `Server-Timing` header), so that a change that adds a round trip to
//! a hot path shows in a test rather than in production.
//!
//! Each connection counts into a thread-local cell while [`super::Database::run`] lends it to a
//! closure on a blocking thread; `run` then adds that closure's count to the request it serves (a
//! task-local set by the HTTP handler around the request, see [`RequestStats::scope`]).

use std::cell::Cell;
use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, AtomicU64, Ordering};
use std::time::Duration;

use diesel::connection::{Instrumentation, InstrumentationEvent};

thread_local! {
    /// Statements started on this thread since it last took the count.
    static ON_THIS_THREAD: Cell<u32> = const { Cell::new(0) };
    /// Whether a statement on this thread found its connection closed since it was last asked.
    static LOST_ON_THIS_THREAD: Cell<bool> = const { Cell::new(false) };
    /// Whether a write on this thread failed for lack of space since it was last asked.
    static FULL_ON_THIS_THREAD: Cell<bool> = const { Cell::new(false) };
}

/// The instrumentation every pooled connection carries: it counts each statement started (a
/// query, an `execute`, a `BEGIN` or `COMMIT`) on the thread running it and in the pool's total,
/// and notes a statement that found its connection closed or failed for lack of space.
pub(super) struct StatementCounter {
    total: Arc<AtomicU64>,
}

impl StatementCounter {
    pub(super) fn new(total: Arc<AtomicU64>) -> Self {
        Self { total }
    }
}

impl Instrumentation for StatementCounter {
    fn on_connection_event(&mut self, event: InstrumentationEvent<'_>) {
        match event {
            InstrumentationEvent::StartQuery { .. } => {
                ON_THIS_THREAD.with(|count| count.set(count.get().saturating_add(1)));
                self.total.fetch_add(1, Ordering::Relaxed);
            }
            InstrumentationEvent::FinishQuery {
                error: Some(error), ..
            } => {
                if super::is_connection_lost(error) {
                    LOST_ON_THIS_THREAD.with(|lost| lost.set(true));
                }
                if crate::space::is_out_of_space(error) {
                    note_out_of_space();
                }
            }
            _ => {}
        }
    }
}

/// Starts counting the statements this thread sends; [`take_thread_count`] ends it.
pub(super) fn reset_thread_count() {
    ON_THIS_THREAD.with(|count| count.set(0));
    LOST_ON_THIS_THREAD.with(|lost| lost.set(false));
    FULL_ON_THIS_THREAD.with(|full| full.set(false));
}

/// Whether a statement on this thread found its connection closed since the last reset.
pub(super) fn take_connection_lost() -> bool {
    LOST_ON_THIS_THREAD.with(|lost| lost.replace(false))
}

/// Notes that a write on this thread failed for lack of space. The instrumentation sees most such
/// failures, but not all (diesel reports an error met while stepping through a SQLite statement's
/// rows, an `INSERT … RETURNING` say, to the caller only): whoever turns a database error into its
/// own notes it here too, on the thread that ran the query.
pub fn note_out_of_space() {
    FULL_ON_THIS_THREAD.with(|full| full.set(true));
}

/// Whether a write on this thread failed for lack of space since the last reset.
pub(super) fn take_out_of_space() -> bool {
    FULL_ON_THIS_THREAD.with(|full| full.replace(false))
}

/// The statements this thread sent since [`reset_thread_count`].
pub(super) fn take_thread_count() -> u32 {
    ON_THIS_THREAD.with(|count| count.replace(0))
}

/// What one request cost the database: statements sent, pool checkouts, and time spent holding a
/// connection (microseconds).
#[derive(Debug, Default)]
pub struct RequestStats {
    statements: AtomicU32,
    checkouts: AtomicU32,
    busy_micros: AtomicU64,
}

tokio::task_local! {
    static CURRENT: Arc<RequestStats>;
}

impl RequestStats {
    /// Runs `future` (a request) with its own statistics, which every [`super::Database::run`]
    /// inside it adds to.
    pub async fn scope<F: Future>(stats: Arc<Self>, future: F) -> F::Output {
        CURRENT.scope(stats, future).await
    }

    /// The statistics of the request being served, for work spawned onto another task on its
    /// behalf.
    pub fn current() -> Option<Arc<Self>> {
        CURRENT.try_with(Arc::clone).ok()
    }

    /// Adds one checkout's work to the request being served, if any.
    pub(super) fn record(statements: u32, busy: Duration) {
        let _ = CURRENT.try_with(|stats| {
            stats.statements.fetch_add(statements, Ordering::Relaxed);
            stats.checkouts.fetch_add(1, Ordering::Relaxed);
            let micros = u64::try_from(busy.as_micros()).unwrap_or(u64::MAX);
            stats.busy_micros.fetch_add(micros, Ordering::Relaxed);
        });
    }

    pub fn statements(&self) -> u32 {
        self.statements.load(Ordering::Relaxed)
    }

    pub fn checkouts(&self) -> u32 {
        self.checkouts.load(Ordering::Relaxed)
    }

    pub fn busy(&self) -> Duration {
        Duration::from_micros(self.busy_micros.load(Ordering::Relaxed))
    }
}
