//! The PostgreSQL side of live updates: one thread per replica with a connection of its own that
//! `LISTEN`s on [`CHANNEL`], sends this replica's committed changes with `NOTIFY`, and broadcasts
//! every notification it receives (its own included) to this replica's subscribers.
//!
//! Notifications carry ids only (`c12 i7`), in payloads under PostgreSQL's 8,000-byte limit. The
//! connection is polled every [`POLL`] (diesel reads notifications without blocking) and pinged
//! every [`PING`]; when it is lost the thread reconnects (backing off up to [`MAX_BACKOFF`]) and
//! then broadcasts `Change::Resync`: subscribers re-read what they show, since whatever was
//! committed meanwhile was not heard. The thread ends when the hub is dropped.

use std::sync::mpsc;
use std::time::{Duration, Instant};

use tokio::sync::broadcast;

use super::{Change, decode_all, encode_all};
use laporlapak_db::listen::Listener;

/// The notification channel.
pub const CHANNEL: &str = "laporlapak_live";
/// How often the connection is read for notifications: the most a delivery waits for it.
pub const POLL: Duration = Duration::from_millis(20);
/// How often a quiet connection is checked with a round trip.
pub const PING: Duration = Duration::from_secs(5);
/// The longest wait between two attempts to reconnect.
pub const MAX_BACKOFF: Duration = Duration::from_secs(5);
/// Changes waiting to be sent while the connection is down; beyond it they are dropped (and
/// subscribers re-sync once it is back).
const QUEUE: usize = 10_000;
/// A payload's size stays under PostgreSQL's limit of 8,000 bytes.
const MAX_PAYLOAD: usize = 7_000;

/// Starts the thread; returns the queue of changes to send.
pub(super) fn start(
    url: String,
    subscribers: broadcast::Sender<Change>,
) -> mpsc::SyncSender<Vec<Change>> {
    let (outgoing, queue) = mpsc::sync_channel(QUEUE);
    let spawned = std::thread::Builder::new()
        .name("live-listener".to_owned())
        .spawn(move || run(&url, &queue, &subscribers));
    if let Err(error) = spawned {
        tracing::error!(%error, "live updates: the listener thread could not start");
    }
    outgoing
}

/// Whether the thread should go on.
enum Next {
    Reconnect,
    Stop,
}

fn run(url: &str, queue: &mpsc::Receiver<Vec<Change>>, subscribers: &broadcast::Sender<Change>) {
    let mut backoff = Duration::from_millis(100);
    let mut connected_before = false;
    loop {
        match Listener::connect(url, CHANNEL) {
            Ok(mut listener) => {
                backoff = Duration::from_millis(100);
                if connected_before {
                    tracing::info!("live updates: listening again; subscribers re-sync");
                    laporlapak_metrics::get().job_run("live-listener-reconnect", true);
                    let _ = subscribers.send(Change::Resync);
                }
                connected_before = true;
                match serve(&mut listener, queue, subscribers) {
                    Next::Stop => return,
                    Next::Reconnect => {
                        tracing::warn!("live updates: the listening connection was lost");
                    }
                }
            }
            Err(error) => {
                tracing::warn!(%error, "live updates: cannot connect the listener");
            }
        }
        // Wait before the next attempt, still ending when the hub goes.
        match queue.recv_timeout(backoff) {
            Err(mpsc::RecvTimeoutError::Disconnected) => return,
            // What was committed while disconnected is not sent: the resync covers it.
            Ok(_) | Err(mpsc::RecvTimeoutError::Timeout) => {}
        }
        backoff = (backoff * 2).min(MAX_BACKOFF);
    }
}

fn serve(
    listener: &mut Listener,
    queue: &mpsc::Receiver<Vec<Change>>,
    subscribers: &broadcast::Sender<Change>,
) -> Next {
    let mut last_round_trip = Instant::now();
    loop {
        match queue.recv_timeout(POLL) {
            Ok(mut changes) => {
                while let Ok(more) = queue.try_recv() {
                    changes.extend(more);
                }
                for payload in payloads(&changes) {
                    if listener.notify(CHANNEL, &payload).is_err() {
                        return Next::Reconnect;
                    }
                }
                last_round_trip = Instant::now();
            }
            Err(mpsc::RecvTimeoutError::Timeout) => {}
            Err(mpsc::RecvTimeoutError::Disconnected) => return Next::Stop,
        }
        match listener.received() {
            Ok(received) => {
                for payload in received {
                    for change in decode_all(&payload) {
                        let _ = subscribers.send(change);
                    }
                }
            }
            Err(_) => return Next::Reconnect,
        }
        if last_round_trip.elapsed() >= PING {
            if listener.ping().is_err() {
                return Next::Reconnect;
            }
            last_round_trip = Instant::now();
        }
    }
}

/// The changes as payloads under [`MAX_PAYLOAD`] bytes.
fn payloads(changes: &[Change]) -> Vec<String> {
    let mut payloads = Vec::new();
    let mut start = 0;
    let mut size = 0;
    for (index, change) in changes.iter().enumerate() {
        let length = change.encode().len() + 1;
        if size + length > MAX_PAYLOAD && index > start {
            payloads.push(encode_all(&changes[start..index]));
            start = index;
            size = 0;
        }
        size += length;
    }
    if start < changes.len() {
        payloads.push(encode_all(&changes[start..]));
    }
    payloads
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn payloads_stay_under_the_limit() {
        let changes: Vec<Change> = (0..3_000).map(|id| Change::Case(1_000_000 + id)).collect();
        let payloads = payloads(&changes);
        assert!(payloads.len() > 1);
        assert!(payloads.iter().all(|payload| payload.len() <= MAX_PAYLOAD));
        let back: Vec<Change> = payloads.iter().flat_map(|p| decode_all(p)).collect();
        assert_eq!(back, changes);
    }
}
