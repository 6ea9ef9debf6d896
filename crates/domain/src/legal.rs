//! The legal chain (docs/legal-chain.md): what kind of request a platform received, whose clock it
//! runs on, and the steps around Komdigi's orders — recommendations, sanctions and objections.
//!
//! Permenkominfo 5/2020 (Art. 14–15): ministries and agencies *ask* the Minister (Komdigi) to
//! terminate access; Komdigi's order letter must be acted on within 1×24 hours of receipt, 4 hours
//! for the urgent kinds the regulation lists. A request the ministry sends straight to a platform is
//! a notice, answered under the platform's own policies and its committed response time: late
//! against that commitment, never a statutory breach.

use crate::Urgency;
use crate::text_enum::text_enum;

text_enum! {
    /// Whether a takedown request is the ministry's notice or Komdigi's order.
    pub enum TakedownKind {
        /// Sent by the ministry to the platform (`forwardCase`); due after the platform's own
        /// committed response time.
        Notice = "NOTICE",
        /// Komdigi's order letter (`issueOrder`); due after the statutory time from receipt.
        Order = "ORDER",
    }
}

/// Statutory hours to act on an order (Permenkominfo 5/2020 Art. 15): 1×24 hours, 4 hours urgent.
pub const ORDER_HOURS: i64 = 24;
pub const URGENT_ORDER_HOURS: i64 = 4;

impl TakedownKind {
    /// Hours to act on an order of this urgency; `None` for a notice (the platform's committed
    /// hours apply).
    pub fn statutory_hours(self, urgency: Urgency) -> Option<i64> {
        match (self, urgency) {
            (Self::Notice, _) => None,
            (Self::Order, Urgency::Normal) => Some(ORDER_HOURS),
            (Self::Order, Urgency::Urgent) => Some(URGENT_ORDER_HOURS),
        }
    }
}

text_enum! {
    /// Where a recommendation to Komdigi stands.
    pub enum RecommendationStatus {
        /// In the regulator's queue.
        Pending = "PENDING",
        /// Komdigi issued an order for each of its cases.
        Ordered = "ORDERED",
        /// Komdigi declined, with reasons; the cases go back to review.
        Declined = "DECLINED",
    }
}

text_enum! {
    /// A step of Komdigi's ladder of administrative sanctions against a platform.
    pub enum SanctionStep {
        WrittenWarning1 = "WRITTEN_WARNING_1",
        WrittenWarning2 = "WRITTEN_WARNING_2",
        WrittenWarning3 = "WRITTEN_WARNING_3",
        Fine = "FINE",
        AccessBlocking = "ACCESS_BLOCKING",
    }
}

text_enum! {
    /// Where a platform's objection (sanggah) stands.
    pub enum ObjectionStatus {
        /// Under review; the request's clock is paused.
        Pending = "PENDING",
        /// The objection was accepted: the request is withdrawn.
        Upheld = "UPHELD",
        /// The objection was refused: the clock resumes where it stopped.
        Rejected = "REJECTED",
    }
}

/// A date of a letter, `yyyy-mm-dd`, as stored.
pub fn parse_letter_date(value: &str) -> Option<chrono::NaiveDate> {
    chrono::NaiveDate::parse_from_str(value.trim(), "%Y-%m-%d").ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_orders_run_on_the_statutory_clock() {
        assert_eq!(TakedownKind::Notice.statutory_hours(Urgency::Urgent), None);
        assert_eq!(
            TakedownKind::Order.statutory_hours(Urgency::Normal),
            Some(24)
        );
        assert_eq!(
            TakedownKind::Order.statutory_hours(Urgency::Urgent),
            Some(4)
        );
        for kind in TakedownKind::ALL {
            assert_eq!(TakedownKind::parse(kind.as_str()), Ok(*kind));
        }
        assert!(parse_letter_date("2026-12-07").is_some());
        assert!(parse_letter_date("07/12/2026").is_none());
    }
}
