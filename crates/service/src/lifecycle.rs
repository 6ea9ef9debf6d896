//! Draining: what a server does between SIGTERM (or SIGINT) and its exit.
//!
//! 1. [`Lifecycle::start_draining`]: `/readyz` answers 503 from now on, so a load balancer stops
//!    sending new requests, and every background task that holds a [`Draining`] learns it.
//! 2. For `LAPORLAPAK_SHUTDOWN_DELAY_SECONDS` the server still accepts (the load balancer needs a
//!    probe or two to notice), then stops accepting.
//! 3. Requests in flight finish, for at most `LAPORLAPAK_SHUTDOWN_GRACE_SECONDS`; background tasks
//!    finish the unit of work they are in (within the same grace period) and return.
//! 4. The process exits 0.
//!
//! A background task takes a [`Draining`] from [`Lifecycle::draining`] (the application's own are
//! spawned through [`crate::startup::Application`], which keeps their handles and awaits them on
//! shutdown) and selects on [`Draining::started`] beside its own work:
//!
//! ```ignore
//! loop {
//!     tokio::select! {
//!         () = draining.started() => return,
//!         _ = interval.tick() => do_one_batch().await,
//!     }
//! }
//! ```
//!
//! Work it has claimed but not finished it should hand back (release its lease) before returning.

use std::sync::Arc;

use tokio::sync::watch;

/// The server's side: starts draining, and tells whether it has.
#[derive(Clone, Debug)]
pub struct Lifecycle {
    sender: Arc<watch::Sender<bool>>,
}

impl Default for Lifecycle {
    fn default() -> Self {
        Self {
            sender: Arc::new(watch::Sender::new(false)),
        }
    }
}

impl Lifecycle {
    /// From now on `/readyz` is 503 and every [`Draining`] has started.
    pub fn start_draining(&self) {
        self.sender.send_replace(true);
    }

    pub fn is_draining(&self) -> bool {
        *self.sender.borrow()
    }

    /// A background task's view of the lifecycle.
    pub fn draining(&self) -> Draining {
        Draining(self.sender.subscribe())
    }
}

/// Held by a background task: [`Draining::started`] resolves once the server starts draining.
#[derive(Clone, Debug)]
pub struct Draining(watch::Receiver<bool>);

impl Draining {
    /// Resolves when draining has started (at once if it already has).
    pub async fn started(&mut self) {
        // An error means the sender is gone: the server is gone too, so stop as well.
        let _ = self.0.wait_for(|draining| *draining).await;
    }

    pub fn has_started(&self) -> bool {
        *self.0.borrow()
    }
}
