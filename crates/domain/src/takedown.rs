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

text_enum! {
    /// What the platform decided, in the shape of the DSA Transparency Database's statement of
    /// reasons (`decision_visibility`, `decision_account`): finer than [`TakedownAction`], which
    /// each decision maps to ([`Self::action`]) for the case, the counters and older clients.
    pub enum TakedownDecision {
        /// The content was removed (`DECISION_VISIBILITY_CONTENT_REMOVED`).
        Removed = "REMOVED",
        /// Access to the content was disabled (`DECISION_VISIBILITY_CONTENT_DISABLED`).
        Disabled = "DISABLED",
        /// Visibility was restricted (demoted, age-restricted, …) without removing it.
        Restricted = "RESTRICTED",
        /// Made unavailable in some territories only (with the territory).
        GeoBlocked = "GEO_BLOCKED",
        /// The account was suspended until a date (`DECISION_ACCOUNT_SUSPENDED`).
        AccountSuspended = "ACCOUNT_SUSPENDED",
        /// The account was terminated (`DECISION_ACCOUNT_TERMINATED`).
        AccountTerminated = "ACCOUNT_TERMINATED",
        Declined = "DECLINED",
        NeedsMoreInfo = "NEEDS_MORE_INFO",
    }
}

impl TakedownDecision {
    /// The coarse action the request records (and older clients read): a removal, disabling or
    /// termination is REMOVED; a restriction or suspension RESTRICTED.
    pub const fn action(self) -> TakedownAction {
        match self {
            Self::Removed | Self::Disabled | Self::AccountTerminated => TakedownAction::Removed,
            Self::Restricted | Self::AccountSuspended => TakedownAction::Restricted,
            Self::GeoBlocked => TakedownAction::GeoBlocked,
            Self::Declined => TakedownAction::Declined,
            Self::NeedsMoreInfo => TakedownAction::NeedsMoreInfo,
        }
    }

    /// The decision an older client's action stands for.
    pub const fn from_action(action: TakedownAction) -> Self {
        match action {
            TakedownAction::Removed => Self::Removed,
            TakedownAction::Restricted => Self::Restricted,
            TakedownAction::GeoBlocked => Self::GeoBlocked,
            TakedownAction::Declined => Self::Declined,
            TakedownAction::NeedsMoreInfo => Self::NeedsMoreInfo,
        }
    }

    /// Whether the platform acted (the case is resolved): every decision but a refusal or a
    /// request for more information.
    pub const fn acts(self) -> bool {
        !matches!(self, Self::Declined | Self::NeedsMoreInfo)
    }

    /// Whether the decision is about the whole account.
    pub const fn on_account(self) -> bool {
        matches!(self, Self::AccountSuspended | Self::AccountTerminated)
    }

    /// Whether the decision is a restriction that may end (`reportRestrictionEnded`): a removal
    /// or termination can only be reversed by a reinstatement.
    pub const fn may_end(self) -> bool {
        matches!(
            self,
            Self::Disabled | Self::Restricted | Self::GeoBlocked | Self::AccountSuspended
        )
    }
}

text_enum! {
    /// What a decision was about (the DSA's `decision_visibility` or `decision_account`).
    pub enum ActedOn {
        Content = "CONTENT",
        Account = "ACCOUNT",
    }
}

text_enum! {
    /// Why the platform acted (the DSA's `decision_ground`).
    pub enum DecisionGround {
        /// Illegal under the law the answer cites.
        IllegalContent = "ILLEGAL_CONTENT",
        /// Incompatible with the platform's own terms, which the answer cites.
        IncompatibleWithTerms = "INCOMPATIBLE_WITH_TERMS",
    }
}

text_enum! {
    /// An entry of a request's answer history.
    pub enum AnswerKind {
        /// The platform's answer.
        Answer = "ANSWER",
        /// The platform later reinstated what it had acted on.
        Reinstatement = "REINSTATEMENT",
        /// A restriction (suspension, geo-block, …) ended.
        RestrictionEnded = "RESTRICTION_ENDED",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_decision_maps_to_an_action_and_back() {
        for &action in TakedownAction::ALL {
            assert_eq!(TakedownDecision::from_action(action).action(), action);
        }
        for &decision in TakedownDecision::ALL {
            assert_eq!(TakedownDecision::parse(decision.as_str()), Ok(decision));
            assert_eq!(
                decision.acts(),
                decision.action().case_status() == CaseStatus::Resolved
            );
            assert!(!decision.may_end() || decision.acts());
        }
    }
}
