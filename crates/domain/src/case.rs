//! A case's status (see docs/lifecycle.md) and priority.

use crate::text_enum::text_enum;

text_enum! {
    /// Where a case stands in its lifecycle.
    pub enum CaseStatus {
        /// Waiting in the review queue.
        Open = "OPEN",
        /// Claimed by a reviewer.
        InReview = "IN_REVIEW",
        /// A reviewer asked the reporters for more information.
        AwaitingInfo = "AWAITING_INFO",
        /// A takedown request went to the platform.
        Forwarded = "FORWARDED",
        /// The platform removed, restricted or geo-blocked the target.
        Resolved = "RESOLVED",
        /// The platform declined; a reviewer may escalate.
        PlatformDeclined = "PLATFORM_DECLINED",
        /// Handed to another authority.
        Escalated = "ESCALATED",
        /// Not a violation, after review.
        Rejected = "REJECTED",
        /// Closed by a reviewer, by a merge, or because every complaint was withdrawn.
        Closed = "CLOSED",
    }
}

impl CaseStatus {
    /// Final statuses: nothing happens to the case any more, and a new report about its target
    /// opens a new case (a re-listing).
    pub fn is_final(self) -> bool {
        matches!(self, Self::Rejected | Self::Resolved | Self::Closed)
    }

    pub fn non_final() -> impl Iterator<Item = Self> {
        Self::ALL.iter().copied().filter(|s| !s.is_final())
    }
}

text_enum! {
    /// The authority a case is escalated to.
    pub enum Authority {
        Komdigi = "KOMDIGI",
        Kemendag = "KEMENDAG",
        BeaCukai = "BEA_CUKAI",
        Polri = "POLRI",
        Other = "OTHER",
    }
}

text_enum! {
    /// Who wrote a message of the information loop.
    pub enum MessageAuthor {
        Reviewer = "REVIEWER",
        Reporter = "REPORTER",
    }
}

/// What a case's priority is made of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PriorityInputs {
    /// Distinct reporters of the complaints still counting (an account once, each anonymous
    /// submission once).
    pub reporters: u32,
    /// Of those, reporters who declared an UMKM business (NIB).
    pub umkm_reporters: u32,
    /// The category's severity, 1–5.
    pub severity: u32,
    /// Distinct keyword flags matched in the case's complaints.
    pub flags: u32,
    /// The repeat-offender score of the case's confirmed seller; 0 without one (see
    /// `service::seller`).
    pub seller_score: u32,
    /// Whether the case re-lists a listing whose removal did not stick.
    pub relisted: bool,
}

/// The priority formula, higher first in the queue:
///
/// `10·severity + ⌊25·log2(1 + reporters)⌋ + 10·min(umkm reporters, 5) + 15·min(flags, 4)
///  + 10·min(seller score, 5) + 30·relisted`
///
/// Reporters count with diminishing returns (1 → 25, 3 → 50, 7 → 75, 1000 → 249), so a mass
/// campaign cannot bury every other case; UMKM reporters (sellers directly harmed) and keyword flags
/// (the vocabulary of illegal used-clothing trade) add bounded boosts; severity separates smuggling
/// from an unlabelled "other". A confirmed repeat offender's cases gain at most 50, and a re-listing
/// 30: together less than a category's whole severity range plus a mass campaign, so a seller's
/// record raises a case without burying everything else.
pub fn priority(inputs: PriorityInputs) -> i32 {
    let reporters = (25.0 * f64::from(inputs.reporters + 1).log2()).floor();
    let total = 10 * inputs.severity.min(5)
        + reporters as u32
        + 10 * inputs.umkm_reporters.min(5)
        + 15 * inputs.flags.min(4)
        + 10 * inputs.seller_score.min(5)
        + 30 * u32::from(inputs.relisted);
    i32::try_from(total).unwrap_or(i32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_round_trip_and_finality() {
        for &status in CaseStatus::ALL {
            assert_eq!(CaseStatus::parse(status.as_str()), Ok(status));
        }
        assert!(CaseStatus::parse("open").is_err());
        assert_eq!(CaseStatus::non_final().count(), 6);
        assert!(CaseStatus::Closed.is_final());
        assert!(!CaseStatus::PlatformDeclined.is_final());
    }

    #[test]
    fn priority_grows_with_diminishing_returns() {
        let base = PriorityInputs {
            reporters: 1,
            umkm_reporters: 0,
            severity: 4,
            flags: 0,
            seller_score: 0,
            relisted: false,
        };
        assert_eq!(priority(base), 40 + 25);
        assert_eq!(
            priority(PriorityInputs {
                reporters: 3,
                ..base
            }),
            40 + 50
        );
        assert_eq!(
            priority(PriorityInputs {
                reporters: 1000,
                ..base
            }),
            40 + 249
        );
        assert_eq!(priority(PriorityInputs { flags: 9, ..base }), 40 + 25 + 60);
        assert_eq!(
            priority(PriorityInputs {
                seller_score: 2,
                ..base
            }),
            40 + 25 + 20
        );
        assert_eq!(
            priority(PriorityInputs {
                seller_score: 40,
                relisted: true,
                ..base
            }),
            40 + 25 + 50 + 30
        );
        assert_eq!(
            priority(PriorityInputs {
                umkm_reporters: 1,
                ..base
            }),
            40 + 25 + 10
        );
    }
}
