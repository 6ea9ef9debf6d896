//! Rate limits for the operations the public can hammer: sign-in, registration and complaint
//! submission. Counters live in the database (fixed windows), so the limits hold across replicas;
//! a caller over the limit gets RATE_LIMITED with `retryAfter` seconds.

use std::net::IpAddr;

use chrono::{DateTime, Duration};

use crate::db::models::rate_limit::RateLimit;
use crate::error::{ServiceError, ServiceResult};
use crate::service::Services;

/// Where a request came from, as far as the server can tell (the peer address, or the first
/// `X-Forwarded-For` hop when the operator says a trusted proxy sets it).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ClientAddress(pub Option<IpAddr>);

#[derive(Debug, Clone, Copy)]
pub struct Limit {
    pub name: &'static str,
    pub max: i32,
    pub window_seconds: i64,
}

/// Sign-in attempts per e-mail address: slows password guessing against one account.
pub const LOGIN_PER_EMAIL: Limit = Limit {
    name: "login-email",
    max: 10,
    window_seconds: 15 * 60,
};
/// Sign-in attempts per client address: slows guessing across many accounts.
pub const LOGIN_PER_ADDRESS: Limit = Limit {
    name: "login-ip",
    max: 100,
    window_seconds: 15 * 60,
};
pub const REGISTER_PER_ADDRESS: Limit = Limit {
    name: "register-ip",
    max: 20,
    window_seconds: 60 * 60,
};
/// Anonymous complaints per client address.
pub const ANONYMOUS_SUBMISSIONS_PER_ADDRESS: Limit = Limit {
    name: "submit-ip",
    max: 30,
    window_seconds: 60 * 60,
};
/// Complaints per signed-in account.
pub const SUBMISSIONS_PER_ACCOUNT: Limit = Limit {
    name: "submit-account",
    max: 60,
    window_seconds: 60 * 60,
};

/// Look-ups and replies by tracking code per client address: with 40 random bits a code cannot be
/// guessed at this rate.
pub const TRACKING_CODE_USES_PER_ADDRESS: Limit = Limit {
    name: "tracking-ip",
    max: 120,
    window_seconds: 60,
};

/// Counts one attempt against `limit` for `key`; RATE_LIMITED once the window's budget is spent.
pub async fn check(services: &Services, limit: Limit, key: &str) -> ServiceResult<()> {
    if !services.rate_limits {
        return Ok(());
    }
    let bucket = format!("{}:{key}", limit.name);
    let now = services.clock.now();
    services
        .db
        .run(move |conn| {
            let epoch = now.and_utc().timestamp();
            let start_seconds = epoch - epoch.rem_euclid(limit.window_seconds);
            let window_start = DateTime::from_timestamp(start_seconds, 0)
                .map(|at| at.naive_utc())
                .ok_or(ServiceError::invariant(
                    "the clock is within chrono's range",
                ))?;
            let hits = RateLimit::hit(conn, &bucket, window_start)?;
            if hits > limit.max {
                let reset = window_start + Duration::seconds(limit.window_seconds);
                let retry_after = u64::try_from((reset - now).num_seconds().max(1)).unwrap_or(1);
                return Err(ServiceError::RateLimited { retry_after });
            }
            Ok(())
        })
        .await
}

/// Checks a per-address limit when the address is known.
pub async fn check_address(
    services: &Services,
    limit: Limit,
    address: ClientAddress,
) -> ServiceResult<()> {
    match address.0 {
        Some(ip) => check(services, limit, &ip.to_string()).await,
        None => Ok(()),
    }
}

/// Housekeeping: forgets finished windows older than a day.
pub async fn purge(services: &Services) -> ServiceResult<usize> {
    let cutoff = services.clock.now() - Duration::days(1);
    services
        .db
        .run(move |conn| Ok(RateLimit::purge(conn, cutoff)?))
        .await
}
