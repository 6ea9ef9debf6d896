//! The choice of language from `Accept-Language`, and every text in both languages: none empty,
//! none a placeholder, each translated unless it is a word both languages share.

use super::*;

#[test]
fn language_negotiation() {
    assert_eq!(Lang::from_accept_language(None), Lang::Id);
    assert_eq!(Lang::from_accept_language(Some("en")), Lang::En);
    assert_eq!(Lang::from_accept_language(Some("en-US,en;q=0.9")), Lang::En);
    assert_eq!(Lang::from_accept_language(Some("id-ID,en;q=0.5")), Lang::Id);
    assert_eq!(
        Lang::from_accept_language(Some("en;q=0.4,id;q=0.8")),
        Lang::Id
    );
    assert_eq!(Lang::from_accept_language(Some("fr")), Lang::Id);
}

/// Every `Msg` variant once, with sample values.
fn every_msg() -> Vec<Msg> {
    let name = || "bukti.jpg".to_owned();
    let all = vec![
        Msg::Unauthenticated,
        Msg::InvalidToken,
        Msg::Forbidden,
        Msg::NotFound,
        Msg::Internal,
        Msg::RateLimited { retry_after: 30 },
        Msg::Unavailable { retry_after: 5 },
        Msg::Required,
        Msg::TooShort { min: 3 },
        Msg::TooLong { max: 200 },
        Msg::ControlCharacters,
        Msg::InvalidEmail,
        Msg::EmailTaken,
        Msg::PasswordTooShort { min: 12 },
        Msg::PasswordTooCommon,
        Msg::InvalidCredentials,
        Msg::InvalidNib,
        Msg::UnknownPlatform,
        Msg::PlatformRequired,
        Msg::PlatformNotAllowed,
        Msg::CannotDisableSelf,
        Msg::AlreadySignedIn,
        Msg::NotStaffRole,
        Msg::UnknownCategory,
        Msg::UrlNotHttp,
        Msg::UrlInvalid,
        Msg::UnknownPlatformHost,
        Msg::UrlPlatformMismatch {
            platform: "Tokopedia".to_owned(),
        },
        Msg::UnknownProvince,
        Msg::TooMany { max: 10 },
        Msg::IdempotencyKeyReused,
        Msg::IdempotencyKeyGuessable,
        Msg::CaseIsFinal {
            status: CaseStatus::Resolved,
        },
        Msg::AlreadyWithdrawn,
        Msg::InvalidCursor,
        Msg::OutOfRange { min: 1, max: 100 },
        Msg::TransitionNotAllowed {
            status: CaseStatus::Open,
        },
        Msg::ClaimedByAnother,
        Msg::MergeIntoItself,
        Msg::MergeAcrossPlatforms,
        Msg::ActedInFuture,
        Msg::ActedBeforeIssued,
        Msg::AlreadyAnswered,
        Msg::ActionAndDecision,
        Msg::NotForDecision {
            decision: crate::TakedownDecision::Declined,
        },
        Msg::TerritoryRequired,
        Msg::InvalidTerritory,
        Msg::SuspensionEndRequired,
        Msg::SuspensionEndPast,
        Msg::AccountDecisionOnContent,
        Msg::NothingToReinstate,
        Msg::NotARestriction,
        Msg::AlreadyChanged,
        Msg::ChangeBeforeAction,
        Msg::ApiClientRevoked,
        Msg::WebhookUrlInvalid,
        Msg::WebhookUrlNotHttps,
        Msg::WebhookUrlNotPublic,
        Msg::WebhookUrlPort,
        Msg::DuplicateInBatch,
        Msg::DeliveryPending,
        Msg::InvalidHost,
        Msg::HostTaken,
        Msg::InvalidSlug,
        Msg::InvalidKeywordPhrase,
        Msg::KeywordPhraseTaken,
        Msg::KeywordRuleChangedMeanwhile,
        Msg::OrganisationNameTaken,
        Msg::NotACitizenAccount,
        Msg::AlreadyInOrganisation,
        Msg::OrganisationRevoked,
        Msg::CsvUnreadable { line: 3 },
        Msg::CsvColumnMissing {
            column: "category".to_owned(),
        },
        Msg::AppealNotRejected,
        Msg::AppealAlreadyFiled,
        Msg::AppealWindowClosed { days: 30 },
        Msg::AppealOwnRejection,
        Msg::AppealAlreadyDecided,
        Msg::AppealTargetHasOpenCase,
        Msg::PeriodReversed,
        Msg::BodyTooLarge { max_bytes: 1024 },
        Msg::MalformedRequest,
        Msg::JsonOnly,
        Msg::ContentTypeMissing,
        Msg::NotAcceptable,
        Msg::QueriesOnlyOverGet,
        Msg::VariableMissing {
            name: "input".to_owned(),
        },
        Msg::EvidenceTypeRefused { name: name() },
        Msg::EvidenceUnreadable { name: name() },
        Msg::FileTooLarge { max_bytes: 4096 },
        Msg::PreflightHeaderMissing,
        Msg::InvalidArgument {
            field: "from".to_owned(),
            date_time: true,
        },
        Msg::InvalidArgument {
            field: "first".to_owned(),
            date_time: false,
        },
        Msg::QueryTooComplex {
            cost: 900,
            limit: 500,
        },
        Msg::UploadMissing,
        Msg::InvalidPhone,
        Msg::InvalidBankAccount,
        Msg::LinkToItself,
        Msg::AlreadySameSeller,
        Msg::IdentifierNotOfCase,
        Msg::PrivacyNoticeOutdated,
        Msg::WrongPassword,
        Msg::CurrentPasswordRequired,
        Msg::NothingToChange,
        Msg::ContactAlreadyErased,
        Msg::MailConsentOutdated,
        Msg::MailNeedsContactEmail,
        Msg::NoRemovalToCheck,
        Msg::KeptComplaints,
        Msg::KeptAuditTrail,
        Msg::KeptReplies,
        Msg::InvalidPeriodBound,
        Msg::InvalidRegisterFilter,
        Msg::UrgentTrackNotAllowed,
        Msg::InvalidLetterDate,
        Msg::RecommendationAlreadyDecided,
        Msg::EvidenceNotOfCase,
        Msg::ObjectionAlreadyPending,
        Msg::ObjectionAfterDeadline,
        Msg::ObjectionAlreadyDecided,
        Msg::RequestWithdrawn,
        Msg::OrderNotOfPlatform,
    ];
    // A new variant stops this match compiling: give it a sample above as well.
    for message in &all {
        match message {
            Msg::Unauthenticated
            | Msg::InvalidToken
            | Msg::Forbidden
            | Msg::NotFound
            | Msg::Internal
            | Msg::RateLimited { .. }
            | Msg::Unavailable { .. }
            | Msg::Required
            | Msg::TooShort { .. }
            | Msg::TooLong { .. }
            | Msg::ControlCharacters
            | Msg::InvalidEmail
            | Msg::EmailTaken
            | Msg::PasswordTooShort { .. }
            | Msg::PasswordTooCommon
            | Msg::InvalidCredentials
            | Msg::InvalidNib
            | Msg::UnknownPlatform
            | Msg::PlatformRequired
            | Msg::PlatformNotAllowed
            | Msg::CannotDisableSelf
            | Msg::AlreadySignedIn
            | Msg::NotStaffRole
            | Msg::UnknownCategory
            | Msg::UrlNotHttp
            | Msg::UrlInvalid
            | Msg::UnknownPlatformHost
            | Msg::UrlPlatformMismatch { .. }
            | Msg::UnknownProvince
            | Msg::TooMany { .. }
            | Msg::IdempotencyKeyReused
            | Msg::IdempotencyKeyGuessable
            | Msg::CaseIsFinal { .. }
            | Msg::AlreadyWithdrawn
            | Msg::InvalidCursor
            | Msg::OutOfRange { .. }
            | Msg::TransitionNotAllowed { .. }
            | Msg::ClaimedByAnother
            | Msg::MergeIntoItself
            | Msg::MergeAcrossPlatforms
            | Msg::ActedInFuture
            | Msg::ActedBeforeIssued
            | Msg::AlreadyAnswered
            | Msg::ActionAndDecision
            | Msg::NotForDecision { .. }
            | Msg::TerritoryRequired
            | Msg::InvalidTerritory
            | Msg::SuspensionEndRequired
            | Msg::SuspensionEndPast
            | Msg::AccountDecisionOnContent
            | Msg::NothingToReinstate
            | Msg::NotARestriction
            | Msg::AlreadyChanged
            | Msg::ChangeBeforeAction
            | Msg::ApiClientRevoked
            | Msg::WebhookUrlInvalid
            | Msg::WebhookUrlNotHttps
            | Msg::WebhookUrlNotPublic
            | Msg::WebhookUrlPort
            | Msg::DuplicateInBatch
            | Msg::DeliveryPending
            | Msg::InvalidHost
            | Msg::HostTaken
            | Msg::InvalidSlug
            | Msg::InvalidKeywordPhrase
            | Msg::KeywordPhraseTaken
            | Msg::KeywordRuleChangedMeanwhile
            | Msg::OrganisationNameTaken
            | Msg::NotACitizenAccount
            | Msg::AlreadyInOrganisation
            | Msg::OrganisationRevoked
            | Msg::CsvUnreadable { .. }
            | Msg::CsvColumnMissing { .. }
            | Msg::AppealNotRejected
            | Msg::AppealAlreadyFiled
            | Msg::AppealWindowClosed { .. }
            | Msg::AppealOwnRejection
            | Msg::AppealAlreadyDecided
            | Msg::AppealTargetHasOpenCase
            | Msg::PeriodReversed
            | Msg::BodyTooLarge { .. }
            | Msg::MalformedRequest
            | Msg::JsonOnly
            | Msg::ContentTypeMissing
            | Msg::NotAcceptable
            | Msg::QueriesOnlyOverGet
            | Msg::VariableMissing { .. }
            | Msg::EvidenceTypeRefused { .. }
            | Msg::EvidenceUnreadable { .. }
            | Msg::FileTooLarge { .. }
            | Msg::PreflightHeaderMissing
            | Msg::InvalidArgument { .. }
            | Msg::QueryTooComplex { .. }
            | Msg::UploadMissing
            | Msg::InvalidPhone
            | Msg::InvalidBankAccount
            | Msg::LinkToItself
            | Msg::AlreadySameSeller
            | Msg::IdentifierNotOfCase
            | Msg::PrivacyNoticeOutdated
            | Msg::WrongPassword
            | Msg::CurrentPasswordRequired
            | Msg::NothingToChange
            | Msg::ContactAlreadyErased
            | Msg::MailConsentOutdated
            | Msg::MailNeedsContactEmail
            | Msg::NoRemovalToCheck
            | Msg::KeptComplaints
            | Msg::KeptAuditTrail
            | Msg::KeptReplies
            | Msg::InvalidPeriodBound
            | Msg::InvalidRegisterFilter
            | Msg::UrgentTrackNotAllowed
            | Msg::InvalidLetterDate
            | Msg::RecommendationAlreadyDecided
            | Msg::EvidenceNotOfCase
            | Msg::ObjectionAlreadyPending
            | Msg::ObjectionAfterDeadline
            | Msg::ObjectionAlreadyDecided
            | Msg::RequestWithdrawn
            | Msg::OrderNotOfPlatform => {}
        }
    }
    all
}

const EVERY_TIMELINE_NOTE: [TimelineNote; 19] = [
    TimelineNote::Received,
    TimelineNote::Withdrawn,
    TimelineNote::UnderReview,
    TimelineNote::BackInQueue,
    TimelineNote::Rejected,
    TimelineNote::InformationRequested,
    TimelineNote::InformationReceived,
    TimelineNote::ReviewResumed,
    TimelineNote::Forwarded,
    TimelineNote::Escalated,
    TimelineNote::MergedAway,
    TimelineNote::Closed,
    TimelineNote::ClosedNoReply,
    TimelineNote::LateReplyReopened,
    TimelineNote::RemovalDisputed,
    TimelineNote::AppealReceived,
    TimelineNote::AppealUpheld,
    TimelineNote::AppealGranted,
    TimelineNote::Reopened,
];

/// Texts the same in both languages on purpose: words Indonesian shares with English.
const SAME_IN_BOTH: [PageText; 2] = [PageText::Platform, PageText::Total];

/// Checks one text in both languages; `what` names it in a failure.
fn check(what: &str, id: &str, en: &str, may_be_equal: bool) {
    for (lang, text) in [("id", id), ("en", en)] {
        assert!(!text.trim().is_empty(), "{what} is empty in {lang}");
        for placeholder in ["TODO", "FIXME", "XXX", "TBD", "lorem"] {
            assert!(
                !text.contains(placeholder),
                "{what} in {lang} is a placeholder: {text}"
            );
        }
    }
    assert!(
        may_be_equal || id != en,
        "{what} is not translated: {id:?} in both languages"
    );
}

#[test]
fn every_message_is_written_in_both_languages() {
    for message in &every_msg() {
        let what = format!("{message:?}");
        check(
            &what,
            &message.text(Lang::Id),
            &message.text(Lang::En),
            false,
        );
    }
    for &text in PageText::ALL {
        check(
            &format!("{text:?}"),
            text.text(Lang::Id),
            text.text(Lang::En),
            SAME_IN_BOTH.contains(&text),
        );
    }
    for note in EVERY_TIMELINE_NOTE {
        // A new variant stops this match compiling: list it above as well.
        match note {
            TimelineNote::Received
            | TimelineNote::Withdrawn
            | TimelineNote::UnderReview
            | TimelineNote::BackInQueue
            | TimelineNote::Rejected
            | TimelineNote::InformationRequested
            | TimelineNote::InformationReceived
            | TimelineNote::ReviewResumed
            | TimelineNote::Forwarded
            | TimelineNote::Escalated
            | TimelineNote::MergedAway
            | TimelineNote::Closed
            | TimelineNote::ClosedNoReply
            | TimelineNote::LateReplyReopened
            | TimelineNote::RemovalDisputed
            | TimelineNote::AppealReceived
            | TimelineNote::AppealUpheld
            | TimelineNote::AppealGranted
            | TimelineNote::Reopened => {}
        }
        check(
            &format!("{note:?}"),
            note.text(Lang::Id),
            note.text(Lang::En),
            false,
        );
    }
}
