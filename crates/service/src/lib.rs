//! The service layer: the rules of laporlapak. Every operation authorises its caller on its first
//! line (asking the `Viewer` for a capability), parses its input into domain values, and runs its
//! reads and writes in one transaction together with its audit event. What an operation returns is
//! already shaped for its audience: a platform's view of a complaint is its own type, with no
//! reporter fields at all. Services know nothing of GraphQL or HTTP; they speak `ServiceError`
//! (whose GraphQL form is behind the `graphql` feature, for the api crate only). The case rules
//! they apply are the domain's table (`laporlapak_domain::case`); they decide none themselves.

pub mod account;
pub mod api_client;
pub mod audit;
pub mod audit_log;
pub mod auth;
pub mod clock;
pub mod complaint;
pub mod error;
pub mod evidence;
pub mod gauges;
pub mod keyword_rules;
pub mod legal;
pub mod legal_figures;
pub mod lifecycle;
pub mod limits;
pub mod live;
pub mod mail;
pub mod ministry;
pub mod organisation;
pub mod privacy;
pub mod reference;
pub mod reference_data;
pub mod register;
pub mod review;
pub mod seller;
pub mod settings;
pub mod storage;
pub mod takedown;
pub mod transparency;
pub mod trends;
pub mod viewer;
pub mod watchlist;
pub mod webhook;

/// What the layers above may name of the database layer: its error (start-up and readiness report
/// it) and the per-request statistics the HTTP edge logs. Everything else of it stays below.
pub mod db {
    pub use laporlapak_db::DbError;
    pub use laporlapak_db::stats::RequestStats;
}

use crate::auth::{PasswordHasher, TokenKeys};
use chrono::NaiveDateTime;

use crate::clock::Clock;
use crate::error::ServiceResult;
use laporlapak_db::{Database, DbConnection};

/// What every service operation may need, built once at start-up and shared by all workers.
#[derive(Clone)]
pub struct Services {
    pub db: Database,
    pub hasher: PasswordHasher,
    pub tokens: TokenKeys,
    /// Whether the rate limits of `limits` apply (operators may turn them off behind their own).
    pub rate_limits: bool,
    /// Recently computed public transparency reports.
    pub report_cache: std::sync::Arc<transparency::ReportCache>,
    /// Counts of the batched rate limits not yet added to the shared cells.
    pub limiter: std::sync::Arc<limits::LocalLimits>,
    /// Platforms, categories and keyword rules, held in memory.
    pub reference: std::sync::Arc<reference_data::ReferenceCache>,
    /// "Now", for every rule and every stored time.
    pub clock: Clock,
    /// Webhook egress rules and the worker's bell.
    pub webhooks: std::sync::Arc<webhook::WebhookRuntime>,
    /// Notification mails: the relay, the links' base URL and the worker's bell.
    pub mail: std::sync::Arc<mail::MailRuntime>,
    /// Evidence files: limits, the store and the download-link key.
    pub evidence: std::sync::Arc<evidence::Evidence>,
    /// How long after a removal a new complaint about the same target or seller is a re-listing.
    pub relisting_window: chrono::Duration,
    /// How long reporters have to answer a reviewer's question before the case closes.
    pub reply_window: chrono::Duration,
    /// The data keys: seals and opens the fields that identify a person.
    pub vault: std::sync::Arc<laporlapak_db::vault::Vault>,
    /// How long personal data is kept (data protection).
    pub retention: crate::settings::RetentionSettings,
    /// Erasures that must survive a restore of an older backup (`DATA_DIR/erasure-ledger`).
    pub erasure_ledger: std::sync::Arc<privacy::ledger::ErasureLedger>,
    /// Live updates: committed changes, told to this replica's subscribers (`live`).
    pub live: std::sync::Arc<live::Hub>,
}

/// A page read with one row more than asked for (`first + 1`): cuts it to `first` rows and says
/// whether there were more.
pub(crate) fn cut_page<T>(page: &mut Vec<T>, first: i64) -> bool {
    let has_more = page.len() > usize::try_from(first).unwrap_or(usize::MAX);
    page.truncate(usize::try_from(first).unwrap_or(0));
    has_more
}

impl Services {
    /// Runs `change` as one write transaction on the blocking pool, with "now" read from the clock
    /// as the transaction starts: every row and event it writes carries that time. Whatever
    /// `change` returns as an error rolls the whole transaction back.
    pub async fn write<T, F>(&self, change: F) -> ServiceResult<T>
    where
        F: FnOnce(&mut DbConnection, NaiveDateTime) -> ServiceResult<T> + Send + 'static,
        T: Send + 'static,
    {
        let clock = self.clock.clone();
        let hub = self.live.clone();
        self.db
            .run(move |conn| live::transaction(&hub, conn, |conn| change(conn, clock.now())))
            .await
    }
}
