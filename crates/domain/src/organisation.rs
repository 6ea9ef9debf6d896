//! Organisations as trusted flaggers: their kind and status, where a report comes from, and the
//! priority boost an organisation's record earns its members' reports.

use crate::text_enum::text_enum;

text_enum! {
    /// What an organisation is.
    pub enum OrganisationKind {
        /// An association of micro, small and medium enterprises.
        UmkmAssociation = "UMKM_ASSOCIATION",
        /// The owner of a brand whose goods are counterfeited or imported illegally.
        BrandOwner = "BRAND_OWNER",
        /// A consumer organisation.
        ConsumerGroup = "CONSUMER_GROUP",
    }
}

text_enum! {
    /// Whether an organisation is a trusted flagger now.
    pub enum OrganisationStatus {
        /// Its members' reports carry it and its boost; its members may submit in bulk.
        Active = "ACTIVE",
        /// For now not: its members report as ordinary citizens. An ADMIN may make it ACTIVE again.
        Suspended = "SUSPENDED",
        /// For good: as SUSPENDED, and final.
        Revoked = "REVOKED",
    }
}

text_enum! {
    /// Who filed a complaint or opened a case.
    pub enum ReportSource {
        /// A member of the public (signed in, anonymous, or a member of an organisation).
        Public = "PUBLIC",
        /// The ministry's own finding, filed by a reviewer: no reporter.
        Ministry = "MINISTRY",
    }
}

/// What an organisation's record adds to the priority of its members' reports, at most this.
pub const MAX_FLAGGER_BOOST: u32 = 20;

/// An organisation's record: of its members' reports (not withdrawn) whose case was decided — a
/// takedown request issued, or the case rejected or closed —, how many led to a request.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct FlaggerRecord {
    pub decided: u32,
    pub requested: u32,
}

/// The boost `⌊20 · (requested + 1) / (decided + 2)⌋`: the share of its decided reports that led
/// to a request, smoothed so that a new organisation (no record) starts at 10 and a handful of
/// decisions cannot push it to either end; at most [`MAX_FLAGGER_BOOST`].
pub fn flagger_boost(record: FlaggerRecord) -> u32 {
    let requested = u64::from(record.requested.min(record.decided));
    let boost = u64::from(MAX_FLAGGER_BOOST) * (requested + 1) / (u64::from(record.decided) + 2);
    u32::try_from(boost)
        .unwrap_or(MAX_FLAGGER_BOOST)
        .min(MAX_FLAGGER_BOOST)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_boost_follows_the_record_and_is_bounded() {
        let boost = |decided, requested| flagger_boost(FlaggerRecord { decided, requested });
        assert_eq!(boost(0, 0), 10);
        assert_eq!(boost(8, 8), 18);
        assert_eq!(boost(8, 0), 2);
        assert_eq!(boost(98, 98), 19);
        assert_eq!(boost(1_000_000, 1_000_000), 19);
        assert_eq!(boost(1_000, 0), 0);
        // More requests than decisions cannot happen; it is bounded anyway.
        assert_eq!(boost(0, 50), 10);
        assert!(boost(u32::MAX, u32::MAX) <= MAX_FLAGGER_BOOST);
    }
}
