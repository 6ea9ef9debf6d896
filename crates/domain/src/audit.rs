//! The vocabulary of the audit trail: what happened (`AuditAction`), to what (`SubjectKind`), by
//! whom (`ActorRole`), and which of those steps a reporter sees on the public timeline
//! (`TimelineNote`). The public timeline is an exhaustive `match`: a new action cannot be added
//! without deciding whether reporters see it.

use crate::Role;
use crate::text_enum::text_enum;

text_enum! {
    /// What an audit event records.
    pub enum AuditAction {
        AccountRegistered = "account.registered",
        AccountCreated = "account.created",
        AccountDisabled = "account.disabled",
        PlatformUpserted = "platform.upserted",
        /// A keyword rule was added, changed, retired or restored; `details` gives the change and
        /// the version (the rule's versions are in `keyword_rule_versions`).
        KeywordRuleChanged = "keyword_rule.changed",
        ComplaintSubmitted = "complaint.submitted",
        ComplaintEvidenceAdded = "complaint.evidence_added",
        ComplaintInformationProvided = "complaint.information_provided",
        ComplaintWithdrawn = "complaint.withdrawn",
        CaseClaimed = "case.claimed",
        CaseReleased = "case.released",
        CaseRejected = "case.rejected",
        /// A reporter appealed the rejection of the case (on the complaint).
        ComplaintAppealed = "complaint.appealed",
        /// A reviewer upheld the rejection an appeal contested; the case stays REJECTED.
        CaseAppealUpheld = "case.appeal_upheld",
        /// A reviewer granted an appeal: the rejected case is back in the queue.
        CaseAppealGranted = "case.appeal_granted",
        CaseInformationRequested = "case.information_requested",
        CaseResumed = "case.resumed",
        CaseForwarded = "case.forwarded",
        CaseEscalated = "case.escalated",
        CaseClosed = "case.closed",
        /// Nobody answered the reviewer's question by its deadline: closed as "no reply".
        CaseClosedNoReply = "case.closed_no_reply",
        /// A reply after the deadline reopened a case closed for no reply.
        CaseReopenedByLateReply = "case.reopened_late_reply",
        /// A reporter found a removed listing still online: the case is back in review.
        CaseRemovalDisputed = "case.removal_disputed",
        /// A reporter found a removed listing gone: the removal is confirmed.
        TakedownRemovalConfirmed = "takedown_request.removal_confirmed",
        /// The source side of a merge: this case closed into another.
        CaseMergedAway = "case.merged_away",
        /// The target side of a merge: another case's complaints arrived.
        CaseMerged = "case.merged",
        CaseResolved = "case.resolved",
        CasePlatformDeclined = "case.platform_declined",
        CasePlatformNeedsMoreInfo = "case.platform_needs_more_info",
        TakedownAcknowledged = "takedown.acknowledged",
        TakedownAnswered = "takedown.answered",
        /// The platform reinstated what it had acted on; `details` holds its reasons.
        TakedownReinstated = "takedown.reinstated",
        /// A restriction the platform had imposed ended; `details` holds its reasons.
        TakedownRestrictionEnded = "takedown.restriction_ended",
        /// A resolved case went back to review after a reinstatement or the end of a restriction.
        CaseReopened = "case.reopened",
        ApiClientCreated = "api_client.created",
        ApiClientSecretRotated = "api_client.secret_rotated",
        ApiClientSecretRevoked = "api_client.secret_revoked",
        ApiClientRevoked = "api_client.revoked",
        WebhookEndpointCreated = "webhook_endpoint.created",
        WebhookEndpointDisabled = "webhook_endpoint.disabled",
        WebhookRedelivered = "webhook.redelivered",
        /// An endpoint's signing secret was replaced; `details` says how long the old one signs on.
        WebhookSecretRotated = "webhook_endpoint.secret_rotated",
        /// An evidence file was downloaded; `details` names the variant.
        EvidenceRead = "evidence.read",
        /// A complaint's evidence files were deleted (data protection).
        EvidenceDeleted = "evidence.deleted",
        /// A reviewer confirmed that this case and another are one seller.
        SellerLinkConfirmed = "seller.link_confirmed",
        /// A reviewer decided that this case and another are not one seller.
        SellerLinkRejected = "seller.link_rejected",
        /// A reviewer entered a phone number or bank account for the case's seller.
        SellerIdentifierAdded = "seller.identifier_added",
        /// A reviewer attached identifiers found on other platforms to a takedown request.
        SellerIdentifiersAttached = "seller.identifiers_attached",
        /// Staff read a citizen's identifying data; `details` says in what capacity (reporter of
        /// a case, account look-up, export). Shown to the citizen in `myData`.
        PersonalDataViewed = "personal_data.viewed",
        /// The citizen corrected its own identifying data; `details` names the fields.
        PersonalDataCorrected = "personal_data.corrected",
        /// The citizen had its account erased.
        AccountErased = "account.erased",
        /// A complaint lost its contact e-mail and its link to the reporter's account; `details`
        /// says why: `reporter` (erasure by tracking code or with the account) or `retention`.
        ComplaintPersonalDataErased = "complaint.personal_data_erased",
        /// A reviewer recommended that Komdigi order access terminated; `details` names the letter.
        CaseRecommended = "case.recommended",
        /// Komdigi ordered access terminated: an ORDER request went to the platform.
        CaseOrdered = "case.ordered",
        /// Komdigi declined a recommendation; the case went back to review.
        CaseRecommendationDeclined = "case.recommendation_declined",
        /// Komdigi recorded a sanction against a platform.
        SanctionRecorded = "sanction.recorded",
        /// A platform objected (sanggah) to a request; its clock paused.
        TakedownObjected = "takedown.objected",
        /// An objection was decided: upheld (request withdrawn) or rejected (clock resumed).
        ObjectionDecided = "takedown.objection_decided",
        /// An admin set whether a category may take the 4-hour track.
        CategoryUrgentTrackSet = "category.urgent_track_set",
        /// An ADMIN registered an organisation as a trusted flagger.
        OrganisationCreated = "organisation.created",
        /// An ADMIN added a member account to an organisation.
        OrganisationMemberAdded = "organisation.member_added",
        /// An ADMIN removed a member account from an organisation.
        OrganisationMemberRemoved = "organisation.member_removed",
        /// An ADMIN suspended, restored or revoked an organisation's status.
        OrganisationStatusChanged = "organisation.status_changed",
    }
}

text_enum! {
    /// The kind of object an event is about.
    pub enum SubjectKind {
        Account = "account",
        Platform = "platform",
        KeywordRule = "keyword_rule",
        Case = "case",
        Complaint = "complaint",
        TakedownRequest = "takedown_request",
        ApiClient = "api_client",
        WebhookEndpoint = "webhook_endpoint",
        /// One upload of a file into a complaint (`complaint_files.id`).
        EvidenceFile = "evidence_file",
        Recommendation = "recommendation",
        Sanction = "sanction",
        Objection = "objection",
        Category = "category",
        Organisation = "organisation",
    }
}

text_enum! {
    /// Who acted: a role, or the operator's command line.
    pub enum ActorRole {
        Citizen = "CITIZEN",
        Reviewer = "REVIEWER",
        Platform = "PLATFORM",
        Admin = "ADMIN",
        Regulator = "REGULATOR",
        /// `laporlapak admin create` at the server's terminal.
        System = "SYSTEM",
    }
}

impl ActorRole {
    /// The account role behind the actor; none for the command line.
    pub fn role(self) -> Option<Role> {
        match self {
            Self::Citizen => Some(Role::Citizen),
            Self::Reviewer => Some(Role::Reviewer),
            Self::Platform => Some(Role::Platform),
            Self::Admin => Some(Role::Admin),
            Self::Regulator => Some(Role::Regulator),
            Self::System => None,
        }
    }
}

impl From<Role> for ActorRole {
    fn from(role: Role) -> Self {
        match role {
            Role::Citizen => Self::Citizen,
            Role::Reviewer => Self::Reviewer,
            Role::Platform => Self::Platform,
            Role::Admin => Self::Admin,
            Role::Regulator => Self::Regulator,
        }
    }
}

/// A step of a complaint's public timeline, as its reporter reads it (texts in `i18n`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimelineNote {
    Received,
    Withdrawn,
    UnderReview,
    BackInQueue,
    Rejected,
    InformationRequested,
    InformationReceived,
    ReviewResumed,
    Forwarded,
    Escalated,
    MergedAway,
    Closed,
    ClosedNoReply,
    LateReplyReopened,
    /// A reporter found the removed listing still online: the case is under review again.
    RemovalDisputed,
    AppealReceived,
    AppealUpheld,
    AppealGranted,
    /// The platform reversed its action: the case is under review again.
    Reopened,
}

impl AuditAction {
    /// What the public timeline says about this step; `None` for steps it shows only as a status
    /// (a platform's answer) or not at all (accounts, platforms, evidence, the target side of a
    /// merge, acknowledgements).
    pub fn timeline_note(self) -> Option<TimelineNote> {
        match self {
            Self::ComplaintSubmitted => Some(TimelineNote::Received),
            Self::ComplaintWithdrawn => Some(TimelineNote::Withdrawn),
            Self::ComplaintInformationProvided => Some(TimelineNote::InformationReceived),
            Self::CaseClaimed => Some(TimelineNote::UnderReview),
            Self::CaseReleased => Some(TimelineNote::BackInQueue),
            Self::CaseRejected => Some(TimelineNote::Rejected),
            Self::CaseInformationRequested => Some(TimelineNote::InformationRequested),
            Self::CaseResumed => Some(TimelineNote::ReviewResumed),
            Self::CaseForwarded => Some(TimelineNote::Forwarded),
            Self::CaseEscalated | Self::CaseRecommended => Some(TimelineNote::Escalated),
            Self::CaseMergedAway => Some(TimelineNote::MergedAway),
            Self::CaseClosed => Some(TimelineNote::Closed),
            Self::CaseClosedNoReply => Some(TimelineNote::ClosedNoReply),
            Self::CaseReopenedByLateReply => Some(TimelineNote::LateReplyReopened),
            Self::CaseRemovalDisputed => Some(TimelineNote::RemovalDisputed),
            Self::ComplaintAppealed => Some(TimelineNote::AppealReceived),
            Self::CaseAppealUpheld => Some(TimelineNote::AppealUpheld),
            Self::CaseAppealGranted => Some(TimelineNote::AppealGranted),
            Self::CaseReopened => Some(TimelineNote::Reopened),
            Self::CaseResolved
            | Self::CasePlatformDeclined
            | Self::CasePlatformNeedsMoreInfo
            | Self::CaseMerged
            | Self::ComplaintEvidenceAdded
            | Self::TakedownAcknowledged
            | Self::TakedownAnswered
            | Self::TakedownRemovalConfirmed
            | Self::TakedownReinstated
            | Self::TakedownRestrictionEnded
            | Self::EvidenceRead
            | Self::EvidenceDeleted
            | Self::SellerLinkConfirmed
            | Self::SellerLinkRejected
            | Self::SellerIdentifierAdded
            | Self::SellerIdentifiersAttached
            | Self::AccountRegistered
            | Self::AccountCreated
            | Self::AccountDisabled
            | Self::PlatformUpserted
            | Self::KeywordRuleChanged
            | Self::OrganisationCreated
            | Self::OrganisationMemberAdded
            | Self::OrganisationMemberRemoved
            | Self::OrganisationStatusChanged
            | Self::ApiClientCreated
            | Self::ApiClientSecretRotated
            | Self::ApiClientSecretRevoked
            | Self::ApiClientRevoked
            | Self::WebhookEndpointCreated
            | Self::WebhookEndpointDisabled
            | Self::WebhookRedelivered
            | Self::WebhookSecretRotated
            | Self::PersonalDataViewed
            | Self::PersonalDataCorrected
            | Self::AccountErased
            | Self::ComplaintPersonalDataErased
            | Self::CaseOrdered
            | Self::CaseRecommendationDeclined
            | Self::SanctionRecorded
            | Self::TakedownObjected
            | Self::ObjectionDecided
            | Self::CategoryUrgentTrackSet => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_spelling_parses_back() {
        for &action in AuditAction::ALL {
            assert_eq!(AuditAction::parse(action.as_str()), Ok(action));
        }
        for &kind in SubjectKind::ALL {
            assert_eq!(SubjectKind::parse(kind.as_str()), Ok(kind));
        }
        for &role in Role::ALL {
            assert_eq!(ActorRole::from(role).role(), Some(role));
        }
        assert!(AuditAction::parse("case.deleted").is_err());
    }
}
