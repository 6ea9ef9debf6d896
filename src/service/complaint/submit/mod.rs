//! `submitComplaint`: signed in or anonymous, idempotent. `validate` parses the input, `generate`
//! writes one attempt; this module authorises, applies the rate limits and retries an attempt that
//! lost a race (the partial unique index on open targets, a tracking code or an idempotency key
//! taken by a concurrent transaction) from the start, so it finds the winner's case.

mod generate;
mod validate;

use crate::db::models::complaint::Complaint;
use crate::db::models::idempotency_key::IdempotencyKey;
use crate::db::{DbConnection, write_transaction};
use crate::error::{ServiceError, ServiceResult};
use crate::service::Services;
use crate::service::complaint::view::{self, ComplaintView, Reader};
use crate::service::limits::{self, ClientAddress};
use crate::service::viewer::Viewer;

use generate::TxError;
pub(in crate::service) use validate::parse_evidence_list;
pub use validate::{SubmitRequest, parse_evidence_url};

/// Attempts of a submission transaction that lost a race.
const MAX_ATTEMPTS: usize = 8;

pub struct SubmitOutcome {
    /// The complaint as its reporter sees it.
    pub complaint: ComplaintView,
    pub joined_existing_case: bool,
}

/// Runs `attempt` in a write transaction, again from the start when it lost a race.
fn with_retries<T>(
    conn: &mut DbConnection,
    mut attempt: impl FnMut(&mut DbConnection) -> Result<T, TxError>,
) -> ServiceResult<T> {
    for _ in 0..MAX_ATTEMPTS {
        match write_transaction(conn, |conn| attempt(conn)) {
            Ok(value) => return Ok(value),
            Err(TxError::Service(error)) => return Err(error),
            Err(TxError::Retry) => {}
        }
    }
    Err(ServiceError::invariant(
        "a submission wins a race within a few attempts",
    ))
}

/// Reports a listing. Anyone may, anonymously or as a CITIZEN; staff may not.
pub async fn submit(
    services: &Services,
    viewer: &Viewer,
    address: ClientAddress,
    request: SubmitRequest,
) -> ServiceResult<SubmitOutcome> {
    let citizen = match viewer {
        Viewer::Anonymous => None,
        signed_in => Some(signed_in.citizen()?),
    };
    let submission = request.parse(citizen.is_some())?;
    match citizen {
        Some(citizen) => {
            let key = citizen.account_id().to_string();
            limits::check(services, limits::SUBMISSIONS_PER_ACCOUNT, &key).await?;
        }
        None => {
            limits::check_address(services, limits::ANONYMOUS_SUBMISSIONS_PER_ADDRESS, address)
                .await?;
        }
    }
    let viewer = viewer.clone();
    let clock = services.clock.clone();
    services
        .db
        .run(move |conn| {
            let (complaint_id, joined_existing_case) = with_retries(conn, |conn| {
                generate::submit_once(conn, clock.now(), &viewer, address, &submission)
            })?;
            let complaint = Complaint::find(conn, complaint_id)?.ok_or(ServiceError::NotFound)?;
            Ok(SubmitOutcome {
                complaint: view::load_one(conn, complaint)?.into_view(Reader::Reporter),
                joined_existing_case,
            })
        })
        .await
}

/// Housekeeping for expired idempotency keys; cheap, run now and then.
pub async fn purge_expired_idempotency_keys(services: &Services) -> ServiceResult<usize> {
    let now = services.clock.now();
    services
        .db
        .run(move |conn| Ok(IdempotencyKey::purge_expired(conn, now)?))
        .await
}
