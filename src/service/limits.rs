//! Rate limits for the operations the public can hammer: sign-in, registration, complaint
//! submission and tracking-code use. Each is a budget of `max` requests per `window_seconds` that
//! refills smoothly (GCRA cells in the database, so the limits hold across replicas and no caller
//! gets twice the budget across a window boundary); a caller over it gets RATE_LIMITED with
//! `retryAfter` seconds.

use std::net::IpAddr;

use crate::db::models::rate_limit::{Cell, RateLimit};
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

/// Sign-in attempts per e-mail address from one client address: slows password guessing against
/// one account, and only for the address doing it — a stranger cannot lock the owner out.
pub const LOGIN_PER_EMAIL_AND_ADDRESS: Limit = Limit {
    name: "login-email-ip",
    max: 10,
    window_seconds: 15 * 60,
};
/// Sign-in attempts per e-mail address from anywhere: a slower ceiling on guessing spread over many
/// addresses, high enough that nobody reaches it by mistyping.
pub const LOGIN_PER_EMAIL: Limit = Limit {
    name: "login-email",
    max: 100,
    window_seconds: 60 * 60,
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

/// Counts one attempt against `limit` for `key`; RATE_LIMITED once the budget is spent, with the
/// seconds until the next attempt would be allowed.
pub async fn check(services: &Services, limit: Limit, key: &str) -> ServiceResult<()> {
    if !services.rate_limits {
        return Ok(());
    }
    let bucket = format!("{}:{key}", limit.name);
    let now = services.clock.now().and_utc().timestamp_micros();
    services
        .db
        .run(
            move |conn| match RateLimit::hit(conn, &bucket, now, limit.cell())? {
                None => Ok(()),
                Some(wait_micros) => {
                    let seconds = (wait_micros + 999_999) / 1_000_000;
                    Err(ServiceError::RateLimited {
                        retry_after: u64::try_from(seconds.max(1)).unwrap_or(1),
                    })
                }
            },
        )
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

/// Housekeeping: forgets buckets that have refilled completely.
pub async fn purge(services: &Services) -> ServiceResult<usize> {
    let now = services.clock.now().and_utc().timestamp_micros();
    services
        .db
        .run(move |conn| Ok(RateLimit::purge(conn, now)?))
        .await
}
