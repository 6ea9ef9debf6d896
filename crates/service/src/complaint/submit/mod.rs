//! `submitComplaint`: signed in or anonymous, idempotent. `validate` parses the input, `generate`
//! writes one attempt; this module authorises, applies the rate limits and retries an attempt that
//! lost a race (the partial unique index on open targets, a tracking code or an idempotency key
//! taken by a concurrent transaction) from the start, so it finds the winner's case.

mod bulk;
mod generate;
mod ministry;
mod validate;

use std::sync::Arc;

use crate::Services;
use crate::complaint::view::{self, ComplaintView, Reader};
use crate::error::{ServiceError, ServiceResult};
use crate::evidence;
use crate::limits::{self, ClientAddress};
use crate::organisation;
use crate::reference_data::{ReferenceCache, ReferenceData};
use crate::viewer::{Citizen, Viewer};
use laporlapak_db::DbConnection;
use laporlapak_db::models::category::Category;
use laporlapak_db::models::complaint::Complaint;
use laporlapak_db::models::idempotency_key::IdempotencyKey;
use laporlapak_db::models::platform::PlatformWithHosts;
use laporlapak_db::vault::Field;
use laporlapak_domain::ReportSource;
use laporlapak_domain::i18n::Msg;

pub use bulk::{BulkItemOutcome, BulkItemResult, csv_results, submit_csv, submit_many};
use generate::{Attempt, Filing, TxError};
pub use ministry::{MinistryFinding, open_ministry_case};
pub(crate) use validate::parse_evidence_list;
use validate::{Submission, resolve_platform};
pub use validate::{SubmitRequest, parse_evidence_url};

/// Attempts of a submission transaction that lost a race.
const MAX_ATTEMPTS: usize = 8;

pub struct SubmitOutcome {
    /// The complaint as its reporter sees it.
    pub complaint: ComplaintView,
    pub joined_existing_case: bool,
}

/// Runs `attempt` in a write transaction, again from the start when it lost a race; `attempt` is
/// told whether it is a retry.
fn with_retries<T>(
    hub: &crate::live::Hub,
    conn: &mut DbConnection,
    mut attempt: impl FnMut(&mut DbConnection, bool) -> Result<T, TxError>,
) -> ServiceResult<T> {
    for number in 0..MAX_ATTEMPTS {
        match crate::live::transaction(hub, conn, |conn| attempt(conn, number > 0)) {
            Ok(value) => return Ok(value),
            Err(TxError::Service(error)) => return Err(error),
            Err(TxError::Retry) => {}
        }
    }
    Err(ServiceError::invariant(
        "a submission wins a race within a few attempts",
    ))
}

/// The category and platform a submission names, from the reference data in memory; re-read once
/// when either is unknown there (it may have been created on another replica moments ago).
fn resolve(
    conn: &mut DbConnection,
    cache: &ReferenceCache,
    submission: &Submission,
) -> ServiceResult<(Arc<ReferenceData>, Arc<Category>, Arc<PlatformWithHosts>)> {
    let lookup = |reference: &ReferenceData| {
        let category = reference
            .category_by_code(&submission.category)
            .filter(|c| c.active)
            .cloned()
            .ok_or_else(|| ServiceError::bad_input("input.category", Msg::UnknownCategory))?;
        let platform = resolve_platform(
            reference.active_platforms(),
            &submission.canonical,
            submission.platform.as_deref(),
        )?;
        Ok::<_, ServiceError>((category, platform))
    };
    let reference = cache.get();
    match lookup(&reference) {
        Ok((category, platform)) => Ok((reference, category, platform)),
        Err(error) => match cache.after_miss(conn)? {
            Some(fresh) => {
                let (category, platform) = lookup(&fresh)?;
                Ok((fresh, category, platform))
            }
            None => Err(error),
        },
    }
}

/// Who files a submission, the same for every item of a batch: the viewer, the signed-in citizen
/// (not for the ministry's own finding), the organisation the report carries with its boost, and
/// what the process provides.
struct Filer {
    pub viewer: Viewer,
    pub citizen: Option<Citizen>,
    /// The ACTIVE organisation of a member's named report, and its boost.
    pub flagger: Option<(i64, i32)>,
    pub source: ReportSource,
    pub idempotency_scope: String,
    pub cache: Arc<ReferenceCache>,
    pub clock: crate::clock::Clock,
    pub relisting_since: chrono::NaiveDateTime,
    pub vault: Arc<laporlapak_db::vault::Vault>,
    pub max_files: usize,
    /// Where committed changes are announced to live subscribers.
    pub hub: Arc<crate::live::Hub>,
}

impl Filer {
    fn new(
        services: &Services,
        viewer: &Viewer,
        citizen: Option<Citizen>,
        source: ReportSource,
        idempotency_scope: String,
    ) -> Self {
        Self {
            viewer: viewer.clone(),
            citizen,
            flagger: None,
            source,
            idempotency_scope,
            cache: services.reference.clone(),
            clock: services.clock.clone(),
            relisting_since: services.clock.now() - services.relisting_window,
            vault: services.vault.clone(),
            max_files: services.evidence.settings.max_files_per_complaint,
            hub: services.live.clone(),
        }
    }

    /// Files one parsed submission in its own transaction (again from the start when it lost a
    /// race): a new complaint, or the replay of an earlier one with the same idempotency key.
    fn file(
        &self,
        conn: &mut DbConnection,
        submission: &Submission,
        files: &[evidence::StoredFile],
        contact_email: Option<&laporlapak_db::vault::Sealed>,
    ) -> ServiceResult<Attempt> {
        let (reference, category, platform) = resolve(conn, &self.cache, submission)?;
        let filing = Filing {
            submission,
            category: &category,
            platform: &platform,
            reference: &reference,
            viewer: &self.viewer,
            citizen: self.citizen,
            flagger: self.flagger.filter(|_| !submission.anonymous),
            source: self.source,
            idempotency_scope: self.idempotency_scope.clone(),
            files,
            max_files: self.max_files,
            relisting_since: self.relisting_since,
            contact_email,
            vault: &self.vault,
        };
        with_retries(&self.hub, conn, |conn, retry| {
            generate::submit_once(conn, self.clock.now(), &filing, retry)
        })
    }

    /// A filed submission as its reporter sees it: the replay of an earlier one reads that
    /// complaint back.
    fn outcome(&self, conn: &mut DbConnection, attempt: Attempt) -> ServiceResult<SubmitOutcome> {
        match attempt {
            Attempt::Filed {
                complaint,
                joined_existing_case,
            } => Ok(SubmitOutcome {
                complaint: *complaint,
                joined_existing_case,
            }),
            Attempt::Replayed {
                complaint_id,
                joined_existing_case,
                tracking_code,
            } => {
                let complaint =
                    Complaint::find(conn, complaint_id)?.ok_or(ServiceError::NotFound)?;
                // A key recorded before codes were hashed has no sealed code; its complaint then
                // still holds the code in clear (the start that hashes it seals it into the key
                // first).
                let clear = Some(complaint.tracking_code_hash.as_str())
                    .filter(|stored| stored.starts_with("LL-"))
                    .map(str::to_owned);
                let mut complaint =
                    view::load_one(conn, &self.cache, complaint)?.into_view(Reader::Reporter);
                complaint.tracking_code = self
                    .vault
                    .open_opt(Field::IssuedTrackingCode, tracking_code.as_ref())?
                    .or(clear);
                Ok(SubmitOutcome {
                    complaint,
                    joined_existing_case,
                })
            }
        }
    }
}

/// Reports a listing. Anyone may, anonymously or as a CITIZEN; staff may not. A member of an
/// ACTIVE organisation's named report carries the organisation (`organisation`).
pub async fn submit(
    services: &Services,
    viewer: &Viewer,
    address: ClientAddress,
    mut request: SubmitRequest,
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
    let files = std::mem::take(&mut request.files);
    let files = evidence::store_incoming(services, "input.files", files).await?;
    let idempotency_scope = generate::idempotency_scope(&services.vault, viewer, address)?;
    let mut filer = Filer::new(
        services,
        viewer,
        citizen,
        ReportSource::Public,
        idempotency_scope,
    );
    let contact_email = services.vault.seal_opt(
        laporlapak_db::vault::Field::ContactEmail,
        submission
            .contact_email
            .as_ref()
            .map(|email| email.as_str()),
    )?;
    services
        .db
        .run(move |conn| {
            if let Some(citizen) = citizen.filter(|_| !submission.anonymous) {
                filer.flagger = organisation::flagger_of(conn, citizen)?
                    .map(|flagger| (flagger.organisation.id, flagger.boost));
            }
            let attempt = filer.file(conn, &submission, &files, contact_email.as_ref())?;
            filer.outcome(conn, attempt)
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
