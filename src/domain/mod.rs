//! Domain values parsed once at the edge and trusted afterwards ("parse, don't validate"): an
//! `Email` is always normalised, a `Nib` always 13 digits, a `CanonicalUrl` always the aggregation
//! key of its target. Nothing here touches the database or HTTP.

pub mod account;
pub mod canonical_url;
pub mod case;
pub mod keywords;
pub mod province;
pub mod text;
pub mod tracking_code;

pub use account::{DisplayName, Email, Nib, Password, Role};
pub use canonical_url::{CanonicalUrl, TargetKind, UrlError};
pub use case::CaseStatus;
pub use province::Province;
pub use tracking_code::TrackingCode;
