//! The bottom layer of laporlapak: what the product means, with no I/O. Values parsed once at the
//! edge and trusted afterwards ("parse, don't validate"): an `Email` is always normalised, a `Nib`
//! always 13 digits, a `CanonicalUrl` always the aggregation key of its target. The closed
//! vocabularies of the product (statuses, roles, actions, webhook events, global-ID node types),
//! each one `text_enum!` that also says how it is stored. The rules of a case in one table
//! (`case`). Every user-facing text in Indonesian and English (`i18n`).
//!
//! Nothing here queries the database or knows HTTP or GraphQL; every other crate of the workspace
//! builds on this one, and this one on none of them.

pub mod account;
pub mod audit;
pub mod canonical_url;
pub mod case;
pub mod evidence;
pub mod global_id;
pub mod i18n;
pub mod idempotency_key;
pub mod keywords;
pub mod legal;
pub mod mail;
pub mod organisation;
pub mod province;
pub mod redaction;
pub mod register;
pub mod rejection;
pub mod seller;
pub mod takedown;
pub mod text;
pub mod text_enum;
pub mod tracking_code;
pub mod webhook;

pub use account::{DisplayName, Email, Nib, Password, Role};
pub use audit::{ActorRole, AuditAction, SubjectKind, TimelineNote};
pub use canonical_url::{CanonicalUrl, TargetKind, UrlError};
pub use case::{Authority, CaseStatus, MessageAuthor};
pub use idempotency_key::IdempotencyKey;
pub use legal::{ObjectionStatus, RecommendationStatus, SanctionStep, TakedownKind};
pub use organisation::{OrganisationKind, OrganisationStatus, ReportSource};
pub use province::Province;
pub use rejection::{AppealDecision, RejectionReason};
pub use takedown::{
    ActedOn, AnswerKind, DecisionGround, TakedownAction, TakedownDecision, TakedownStatus, Urgency,
};
pub use tracking_code::TrackingCode;

/// Bytes (a digest, a random id) as lowercase hex.
pub fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write as _;
    bytes
        .iter()
        .fold(String::with_capacity(bytes.len() * 2), |mut out, b| {
            let _ = write!(out, "{b:02x}");
            out
        })
}

/// A point in time as every answer of this server writes it — the GraphQL API, webhook bodies,
/// token expiries: RFC 3339 in UTC with microseconds and `Z` (`2026-11-30T08:15:00.000000Z`),
/// one fixed width, so that clients may compare the strings as well as parse them.
pub fn rfc3339(at: chrono::DateTime<chrono::Utc>) -> String {
    at.to_rfc3339_opts(chrono::SecondsFormat::Micros, true)
}
