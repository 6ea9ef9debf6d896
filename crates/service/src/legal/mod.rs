//! The legal chain (docs/legal-chain.md): the ministry's recommendations to Komdigi, Komdigi's
//! orders and sanctions, and platforms' objections (sanggah) to notices and orders.
//!
//! * A reviewer recommends one case or a batch (`recommend`): the cases go to ESCALATED and wait
//!   in the regulator's queue.
//! * The regulator (role REGULATOR) orders (`issue_order`: one ORDER takedown request per case,
//!   due after the statutory hours from receipt) or declines with reasons (`decline`: the cases go
//!   back to review). It records sanctions against a platform (`record_sanction`).
//! * A platform objects to a request before its deadline (`object`); the clock stops until the
//!   regulator (orders) or a reviewer (notices) decides (`decide_objection`).
//!
//! The regulator never sees a complaint, a reporter or an audit trail: its views here hold the
//! target, platform, category and status of each case and the evidence URLs the reviewer chose
//! to share, nothing else. Every step is one transaction with its audit events.

mod objection;
mod recommendation;
mod sanction;

use chrono::NaiveDateTime;

use crate::error::{ServiceError, ServiceResult};
use laporlapak_domain::i18n::Msg;
use laporlapak_domain::{legal, text};

pub use objection::{
    ObjectionView, decide_objection, object, objections_for_request, pending_objections,
};
pub use recommendation::{
    OrderRequest, RecommendRequest, RecommendationView, RecommendedCaseView, decline,
    find_recommendation, issue_order, recommend, recommendations,
};
pub use sanction::{SanctionRequest, SanctionView, record_sanction, sanctions};

/// Most cases of one recommendation, orders of one sanction.
pub const BATCH_MAX: usize = 100;

fn line(value: &str, field: &'static str, max: usize) -> ServiceResult<String> {
    text::single_line(value, 1, max).map_err(|reason| ServiceError::bad_input(field, reason))
}

fn reasons(value: &str, field: &'static str) -> ServiceResult<String> {
    text::multi_line(value, crate::review::NOTE_MIN, crate::review::NOTE_MAX)
        .map_err(|reason| ServiceError::bad_input(field, reason))
}

/// A letter's date, `yyyy-mm-dd`, not after today (UTC+7 would allow a few more hours; a letter
/// dated tomorrow is a typing error either way).
fn letter_date(value: &str, field: &'static str, now: NaiveDateTime) -> ServiceResult<String> {
    let date = legal::parse_letter_date(value)
        .filter(|date| *date <= (now + chrono::Duration::hours(7)).date())
        .ok_or_else(|| ServiceError::bad_input(field, Msg::InvalidLetterDate))?;
    Ok(date.format("%Y-%m-%d").to_string())
}

fn batch_size(count: usize, field: &'static str) -> ServiceResult<()> {
    if count == 0 {
        return Err(ServiceError::bad_input(field, Msg::Required));
    }
    if count > BATCH_MAX {
        return Err(ServiceError::bad_input(
            field,
            Msg::TooMany { max: BATCH_MAX },
        ));
    }
    Ok(())
}
