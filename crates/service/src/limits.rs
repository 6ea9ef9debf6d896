//! Rate limits for the operations the public can hammer: sign-in, registration, complaint
//! submission and tracking-code use. Each is a budget of `max` requests per `window_seconds` that
//! refills smoothly (a GCRA cell: no caller gets twice the budget across a window boundary); a
//! caller over it gets RATE_LIMITED with `retryAfter` seconds.
//!
//! The cells live in the database, so the limits hold across replicas, in one of two ways:
//! * [`Sharing::Immediate`] — sign-in and registration: every attempt is counted in the database
//!   before it is served. They guard passwords and cost an argon2 hash anyway.
//! * [`Sharing::Batched`] — tracking-code use and submissions: each process counts in memory and
//!   adds its counts to the database cells every [`FLUSH_INTERVAL`], learning there what the other
//!   replicas counted. A look-up so costs no database write of its own. The tolerance: with R
//!   replicas a client spreading its requests over all of them may get up to R budgets in its first
//!   window, and at most one flush interval's worth of requests more than its budget per replica
//!   after that; a client that stays on one replica gets exactly its budget. Counts not yet flushed
//!   when a process stops (at most one interval's) are lost.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::Duration;

use crate::Services;
use crate::error::{ServiceError, ServiceResult};
use laporlapak_db::models::rate_limit::{Batch, Cell, RateLimit};

/// How often a process adds its batched counts to the shared cells.
pub const FLUSH_INTERVAL: Duration = Duration::from_secs(1);

/// Most buckets one process keeps in memory between flushes; a new bucket beyond it is counted
/// in the database at once, as an immediate one, so memory stays bounded whatever the traffic.
const MAX_LOCAL_BUCKETS: usize = 200_000;

/// How a limit's counts reach the other replicas (see the module's documentation).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sharing {
    Immediate,
    Batched,
}

/// Where a request came from, as far as the server can tell (the peer address, or the first
/// `X-Forwarded-For` hop when the operator says a trusted proxy sets it).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ClientAddress(pub Option<IpAddr>);

impl ClientAddress {
    /// The client as the per-address limits count it: an IPv4 address, or the /64 network of an
    /// IPv6 one (a single subscriber is usually given a whole /64, so its addresses are one
    /// client). An IPv4 address mapped into IPv6 counts as the IPv4 address.
    pub fn limit_key(self) -> Option<String> {
        self.0.map(limit_key)
    }

    /// [`Self::limit_key`], or `unknown` when the address is not known.
    pub fn limit_key_or_unknown(self) -> String {
        self.limit_key().unwrap_or_else(|| "unknown".to_owned())
    }
}

fn limit_key(ip: IpAddr) -> String {
    match ip {
        IpAddr::V4(v4) => v4.to_string(),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => v4.to_string(),
            None => {
                let network = u128::from(v6) & !((1u128 << 64) - 1);
                format!("{}/64", std::net::Ipv6Addr::from(network))
            }
        },
    }
}

#[derive(Debug, Clone, Copy)]
pub struct Limit {
    pub name: &'static str,
    pub max: i32,
    pub window_seconds: i64,
    pub sharing: Sharing,
}

/// Failed password checks per account (its e-mail) from one client address: slows password
/// guessing against one account, and only for the address doing it — a stranger cannot lock the
/// owner out. Counted before the check and given back when the password was right.
pub const LOGIN_PER_EMAIL_AND_ADDRESS: Limit = Limit {
    name: "login-email-ip",
    max: 10,
    window_seconds: 15 * 60,
    sharing: Sharing::Immediate,
};
/// Failed password checks per account from anywhere: a slower ceiling on guessing spread over
/// many addresses, high enough that nobody reaches it by mistyping. Once it is spent it refuses
/// only the addresses that already failed against the account within [`LOGIN_FAILED_MARK`]'s
/// window, so the owner, from an address of its own, still signs in; an address new to the
/// account gets its per-address budget once an hour.
pub const LOGIN_PER_EMAIL: Limit = Limit {
    name: "login-email",
    max: 100,
    window_seconds: 60 * 60,
    sharing: Sharing::Immediate,
};
/// Remembers, for an hour, that a client address failed a password check against an account.
pub const LOGIN_FAILED_MARK: Limit = Limit {
    name: "login-failed",
    max: 1,
    window_seconds: 60 * 60,
    sharing: Sharing::Immediate,
};
/// Sign-in attempts per client address: slows guessing across many accounts.
pub const LOGIN_PER_ADDRESS: Limit = Limit {
    name: "login-ip",
    max: 100,
    window_seconds: 15 * 60,
    sharing: Sharing::Immediate,
};
pub const REGISTER_PER_ADDRESS: Limit = Limit {
    name: "register-ip",
    max: 20,
    window_seconds: 60 * 60,
    sharing: Sharing::Immediate,
};
/// Anonymous complaints per client address.
pub const ANONYMOUS_SUBMISSIONS_PER_ADDRESS: Limit = Limit {
    name: "submit-ip",
    max: 30,
    window_seconds: 60 * 60,
    sharing: Sharing::Batched,
};
/// Complaints per signed-in account.
pub const SUBMISSIONS_PER_ACCOUNT: Limit = Limit {
    name: "submit-account",
    max: 60,
    window_seconds: 60 * 60,
    sharing: Sharing::Batched,
};

/// Look-ups and replies by tracking code per client address: with 40 random bits a code cannot be
/// guessed at this rate.
pub const TRACKING_CODE_USES_PER_ADDRESS: Limit = Limit {
    name: "tracking-ip",
    max: 120,
    window_seconds: 60,
    sharing: Sharing::Batched,
};

impl Limit {
    fn cell(self) -> Cell {
        let window = self.window_seconds * 1_000_000;
        let max = i64::from(self.max.max(1));
        Cell {
            interval: (window + max - 1) / max,
            window,
        }
    }
}

/// The bucket of `limit` for `key`: the limit's name and a pseudonym of the key, so no counter
/// row holds an address or an e-mail.
pub fn bucket(services: &Services, limit: Limit, key: &str) -> String {
    format!("{}:{}", limit.name, services.vault.pseudonym(key))
}

/// Counts one attempt against `limit` for `key`; RATE_LIMITED once the budget is spent, with the
/// seconds until the next attempt would be allowed.
pub async fn check(services: &Services, limit: Limit, key: &str) -> ServiceResult<()> {
    if !services.rate_limits {
        return Ok(());
    }
    let bucket = bucket(services, limit, key);
    let now = services.clock.now().and_utc().timestamp_micros();
    if limit.sharing == Sharing::Batched
        && let Some(verdict) = services.limiter.hit(&bucket, now, limit.cell())
    {
        return verdict.map_err(|wait| refused(limit, wait));
    }
    services
        .db
        .run(
            move |conn| match RateLimit::hit(conn, &bucket, now, limit.cell())? {
                None => Ok(()),
                Some(wait_micros) => Err(refused(limit, wait_micros)),
            },
        )
        .await
}

/// The limits that guard a check of a secret (a password, an API client's secret) for one subject
/// (an account's e-mail, a client id): failures are counted per (subject, address), so a stranger's
/// wrong guesses never refuse the right secret from an address of the owner's.
#[derive(Debug, Clone, Copy)]
pub struct SecretGuard {
    /// Every attempt from one address, whatever the subject.
    pub per_address: Limit,
    /// Attempts per (subject, address): counted before the check, given back when it succeeds.
    pub per_subject_and_address: Limit,
    /// A ceiling on failures per subject from anywhere, enforced only against addresses marked
    /// (by the second limit, with a budget of one) as having failed against the subject.
    pub failures_per_subject: Option<(Limit, Limit)>,
}

/// The sign-in guard: `login`, and every operation that checks a password.
pub const PASSWORD_GUARD: SecretGuard = SecretGuard {
    per_address: LOGIN_PER_ADDRESS,
    per_subject_and_address: LOGIN_PER_EMAIL_AND_ADDRESS,
    failures_per_subject: Some((LOGIN_PER_EMAIL, LOGIN_FAILED_MARK)),
};

/// An attempt admitted by a [`SecretGuard`]; [`Attempt::succeeded`] or [`Attempt::failed`] ends it.
#[must_use]
pub struct Attempt {
    guard: SecretGuard,
    subject: String,
    pair: String,
}

impl SecretGuard {
    /// Admits one check of a secret for `subject` from `address`, or RATE_LIMITED.
    pub async fn admit(
        self,
        services: &Services,
        subject: &str,
        address: ClientAddress,
    ) -> ServiceResult<Attempt> {
        check_address(services, self.per_address, address).await?;
        let pair = format!("{subject}|{}", address.limit_key_or_unknown());
        check(services, self.per_subject_and_address, &pair).await?;
        if let Some((ceiling, mark)) = self.failures_per_subject
            && services.rate_limits
            && !is_clear(services, mark, &pair).await?
            && let Some(wait) = would_refuse(services, ceiling, subject).await?
        {
            return Err(refused(ceiling, wait));
        }
        Ok(Attempt {
            guard: self,
            subject: subject.to_owned(),
            pair,
        })
    }
}

impl Attempt {
    /// The secret was right: the attempt is given back to the (subject, address) budget.
    pub async fn succeeded(self, services: &Services) -> ServiceResult<()> {
        if !services.rate_limits {
            return Ok(());
        }
        let limit = self.guard.per_subject_and_address;
        let bucket = bucket(services, limit, &self.pair);
        services
            .db
            .run(move |conn| Ok(RateLimit::refund(conn, &bucket, limit.cell().interval)?))
            .await
    }

    /// The secret was wrong: the address is marked as failing against the subject, and the
    /// failure counts against the subject's ceiling (refusals there are ignored: it is counted).
    pub async fn failed(self, services: &Services) -> ServiceResult<()> {
        let Some((ceiling, mark)) = self.guard.failures_per_subject else {
            return Ok(());
        };
        for (limit, key) in [(mark, &self.pair), (ceiling, &self.subject)] {
            match check(services, limit, key).await {
                Ok(()) | Err(ServiceError::RateLimited { .. }) => {}
                Err(other) => return Err(other),
            }
        }
        Ok(())
    }
}

/// Whether `limit`'s bucket for `key` is fully refilled (or was never used).
async fn is_clear(services: &Services, limit: Limit, key: &str) -> ServiceResult<bool> {
    let bucket = bucket(services, limit, key);
    let now = services.clock.now().and_utc().timestamp_micros();
    services
        .db
        .run(move |conn| Ok(RateLimit::tat(conn, &bucket)?.is_none_or(|tat| tat <= now)))
        .await
}

/// The microseconds to wait when one more request against `limit` for `key` would be refused,
/// without counting one.
async fn would_refuse(services: &Services, limit: Limit, key: &str) -> ServiceResult<Option<i64>> {
    let bucket = bucket(services, limit, key);
    let now = services.clock.now().and_utc().timestamp_micros();
    let cell = limit.cell();
    services
        .db
        .run(move |conn| {
            Ok(RateLimit::tat(conn, &bucket)?.and_then(|tat| {
                let wait = tat.max(now) + cell.interval - now - cell.window;
                (wait > 0).then_some(wait)
            }))
        })
        .await
}

/// RATE_LIMITED by `limit`, counted in `/metrics`.
fn refused(limit: Limit, wait_micros: i64) -> ServiceError {
    laporlapak_metrics::get().rate_limit_refusal(limit.name);
    rate_limited(wait_micros)
}

fn rate_limited(wait_micros: i64) -> ServiceError {
    let seconds = (wait_micros + 999_999) / 1_000_000;
    ServiceError::RateLimited {
        retry_after: u64::try_from(seconds.max(1)).unwrap_or(1),
    }
}

/// The batched limits' cells as this process knows them, with the requests it allowed since its
/// last flush.
#[derive(Debug, Default)]
pub struct LocalLimits {
    cells: Mutex<HashMap<String, LocalCell>>,
}

#[derive(Debug, Clone, Copy)]
struct LocalCell {
    /// The theoretical arrival time, microseconds: the shared cell's as last learnt, plus what
    /// this process allowed since.
    tat: i64,
    /// Requests allowed since the last flush.
    pending: u32,
    /// The arrival time those requests alone would give a cell that was empty before them: with
    /// their number, it is all a flush needs to apply them to the shared cell exactly as if they
    /// had reached it one by one (see [`RateLimit::add_batch`]).
    pending_tat: i64,
    cell: Cell,
}

impl LocalLimits {
    /// Counts a request in memory: `Some(Ok)` when allowed, `Some(Err(wait))` with the microseconds
    /// to wait when not; `None` when the bucket must be counted in the database instead (memory
    /// is full).
    fn hit(&self, bucket: &str, now: i64, cell: Cell) -> Option<Result<(), i64>> {
        let mut cells = self.lock();
        if !cells.contains_key(bucket) && cells.len() >= MAX_LOCAL_BUCKETS {
            return None;
        }
        let local = cells.entry(bucket.to_owned()).or_insert(LocalCell {
            tat: now,
            pending: 0,
            pending_tat: now,
            cell,
        });
        let tat = local.tat.max(now) + cell.interval;
        if tat - now > cell.window {
            return Some(Err(tat - now - cell.window));
        }
        local.tat = tat;
        local.pending_tat = if local.pending == 0 {
            now + cell.interval
        } else {
            local.pending_tat.max(now) + cell.interval
        };
        local.pending = local.pending.saturating_add(1);
        Some(Ok(()))
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, LocalCell>> {
        // The map holds plain counters: one a panicking thread left half-updated is still usable.
        self.cells
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Takes the requests to flush, bucket by bucket; forgets buckets that have refilled and have
    /// nothing pending.
    fn take_pending(&self, now: i64) -> Vec<Batch> {
        let mut cells = self.lock();
        cells.retain(|_, local| local.pending > 0 || local.tat > now);
        cells
            .iter_mut()
            .filter(|(_, local)| local.pending > 0)
            .map(|(bucket, local)| Batch {
                bucket: bucket.clone(),
                added: i64::from(std::mem::take(&mut local.pending))
                    .saturating_mul(local.cell.interval),
                alone_tat: local.pending_tat,
            })
            .collect()
    }

    /// Learns the shared cells' new arrival times: each bucket's becomes the later of what this
    /// process knows and the shared one with what it allowed since the flush began.
    fn learn(&self, shared: &[(String, i64)]) {
        let mut cells = self.lock();
        for (bucket, tat) in shared {
            if let Some(local) = cells.get_mut(bucket) {
                // The shared cell with the requests allowed here since the flush began.
                let current = if local.pending > 0 {
                    let since = i64::from(local.pending) * local.cell.interval;
                    (tat + since).max(local.pending_tat)
                } else {
                    *tat
                };
                local.tat = local.tat.max(current);
            }
        }
    }
}

/// Adds this process's batched counts to the shared cells and learns theirs (every
/// [`FLUSH_INTERVAL`]; tests call it to stand for the interval passing). On failure the counts are
/// lost, which errs on the side of the client.
pub async fn flush(services: &Services) -> ServiceResult<usize> {
    let now = services.clock.now().and_utc().timestamp_micros();
    let pending = services.limiter.take_pending(now);
    if pending.is_empty() {
        return Ok(0);
    }
    let flushed = pending.len();
    let limiter = services.limiter.clone();
    services
        .db
        .run(move |conn| {
            let shared = RateLimit::add_batch(conn, &pending)?;
            limiter.learn(&shared);
            Ok(flushed)
        })
        .await
}

/// Checks a per-address limit when the address is known.
pub async fn check_address(
    services: &Services,
    limit: Limit,
    address: ClientAddress,
) -> ServiceResult<()> {
    match address.limit_key() {
        Some(key) => check(services, limit, &key).await,
        None => Ok(()),
    }
}

/// Housekeeping: forgets buckets that have refilled completely.
pub async fn purge(services: &Services) -> ServiceResult<usize> {
    let now = services.clock.now().and_utc().timestamp_micros();
    services
        .db
        .run(move |conn| Ok(RateLimit::purge(conn, now)?))
        .await
}
