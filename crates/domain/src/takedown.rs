//! A takedown request's urgency, its progress and the platform's answer.

use crate::CaseStatus;
use crate::text_enum::text_enum;

text_enum! {
    /// How fast the platform must act: its `responseHours` (24 by default) or
    /// `urgentResponseHours` (4) for a notice — the platform's own commitment —, 24 or 4 hours
    /// for an order (statutory, Permenkominfo 5/2020 Art. 15; see `legal`).
    pub enum Urgency {
        Normal = "NORMAL",
        Urgent = "URGENT",
    }
}

text_enum! {
    /// How far the platform has got with a request.
    pub enum TakedownStatus {
        /// Issued, not yet acknowledged.
        Pending = "PENDING",
        /// The platform confirmed it received the request.
        Acknowledged = "ACKNOWLEDGED",
        /// The platform answered with an action and a statement of reasons.
        Answered = "ANSWERED",
    }
}

text_enum! {
    /// What the platform did about a request.
    pub enum TakedownAction {
        Removed = "REMOVED",
        Restricted = "RESTRICTED",
        GeoBlocked = "GEO_BLOCKED",
        Declined = "DECLINED",
        NeedsMoreInfo = "NEEDS_MORE_INFO",
    }
}

impl TakedownAction {
    /// Where the answer takes a FORWARDED case: acted on → RESOLVED, declined →
    /// PLATFORM_DECLINED (a reviewer may escalate), more information wanted → back to review
    /// (the case's transition table, [`crate::case::Transition::for_answer`]).
    pub fn case_status(self) -> CaseStatus {
        crate::case::Transition::for_answer(self).rule().to
    }
}
