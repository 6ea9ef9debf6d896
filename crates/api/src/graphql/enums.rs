//! The schema's enums, each a mirror of its domain enum (async-graphql's `remote` conversion keeps
//! the two in step: a variant added to one and not the other does not compile). The doc comments
//! are the schema's descriptions of each value.

use async_graphql::Enum;

/// Where a case stands in its lifecycle (docs/lifecycle.md). REJECTED, RESOLVED and CLOSED are
/// final: nothing moves a case out of them, and a new complaint about the same target opens a new
/// case. A transition the lifecycle does not draw answers CONFLICT with `extensions.currentStatus`.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "laporlapak_domain::CaseStatus")]
pub enum CaseStatus {
    /// Waiting in the review queue, claimed by nobody. Every case starts here.
    Open,
    /// Claimed by one reviewer (`claimCase`), who alone may move it on until `releaseCase`.
    InReview,
    /// A reviewer asked the case's reporters for more information (`requestInformation`); a reply
    /// or `resumeReview` takes it back to IN_REVIEW.
    AwaitingInfo,
    /// Sent to the platform as a formal takedown request (`forwardCase`), awaiting its answer.
    Forwarded,
    /// Final: the platform answered REMOVED, RESTRICTED or GEO_BLOCKED.
    Resolved,
    /// The platform answered DECLINED; a reviewer may escalate the case (`escalateCase`) or close it.
    PlatformDeclined,
    /// Handed to another authority (`escalateCase`); `Case.escalatedTo` names it.
    Escalated,
    /// Final: not a violation, with the reviewer's reason (`rejectCase`) — unless a reporter's
    /// appeal is granted (`decideAppeal`), which puts the case back to OPEN.
    Rejected,
    /// Final: closed by a reviewer (`closeCase`), merged into another case (`mergeCases`),
    /// closed by itself when every complaint was withdrawn, or when a reviewer's question went
    /// unanswered past its deadline (a later reply reopens only such a case).
    Closed,
}

/// What an account may do; the `role` claim of its access token. Staff roles (REVIEWER, PLATFORM,
/// ADMIN) are never self-registered: an ADMIN creates them with `createStaffAccount`.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "laporlapak_domain::Role")]
pub enum Role {
    /// A member of the public who registered with `register`; may declare an UMKM business (NIB).
    Citizen,
    /// Ministry staff: works the review queue and turns cases into takedown requests.
    Reviewer,
    /// The representative of exactly one platform: sees and answers only that platform's takedown
    /// requests, never any reporter's identity.
    Platform,
    /// The operator: creates staff accounts, disables accounts, manages platforms, reads every case
    /// and its audit trail.
    Admin,
    /// An officer of Komdigi, the regulator: works the queue of the ministry's recommendations
    /// (`recommendations`), issues orders (`issueOrder`) or declines (`declineRecommendation`),
    /// records sanctions (`recordSanction`) and decides objections to orders. Never sees a
    /// complaint, a reporter or a case's audit trail. Created by an ADMIN like other staff.
    Regulator,
}

/// How fast a platform must answer a takedown request. For a NOTICE, the platform's own committed
/// response time (a commitment, not a statutory deadline); for an ORDER, the statutory time of
/// Permenkominfo 5/2020 Art. 15.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "laporlapak_domain::Urgency")]
pub enum Urgency {
    /// A notice: due after the platform's committed `responseHours` (24 unless an admin changed
    /// it). An order: 1×24 hours from receipt.
    Normal,
    /// A notice: due after the platform's committed `urgentResponseHours` (4 unless changed). An
    /// order: 4 hours, only for categories on the statutory urgent track
    /// (`Category.urgentTrack`: terrorism, child sexual abuse material, public order).
    Urgent,
}

/// Whether a takedown request is the ministry's notice or Komdigi's order (docs/legal-chain.md).
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "laporlapak_domain::TakedownKind")]
pub enum TakedownKind {
    /// Sent by the ministry to the platform (`forwardCase`), acted on under the platform's own
    /// policies; due after the platform's committed response time. A late answer is late against
    /// that commitment, never a breach of the law.
    Notice,
    /// Komdigi's order letter (`issueOrder`, on the ministry's recommendation), with its number,
    /// date and article; due 1×24 hours after receipt, 4 hours for the urgent kinds (statutory).
    Order,
}

/// Where a recommendation to Komdigi stands.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "laporlapak_domain::RecommendationStatus")]
pub enum RecommendationStatus {
    /// In the regulator's queue; its cases are ESCALATED.
    Pending,
    /// Komdigi issued an ORDER request for each case.
    Ordered,
    /// Komdigi declined, with reasons; the cases went back to IN_REVIEW.
    Declined,
}

/// A step of Komdigi's ladder of administrative sanctions.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "laporlapak_domain::SanctionStep")]
pub enum SanctionStep {
    /// First written warning.
    WrittenWarning1,
    /// Second written warning.
    WrittenWarning2,
    /// Third written warning.
    WrittenWarning3,
    /// An administrative fine.
    Fine,
    /// Blocking of access to the platform.
    AccessBlocking,
}

/// Where a platform's objection (sanggah) stands.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "laporlapak_domain::ObjectionStatus")]
pub enum ObjectionStatus {
    /// Under review; the request's clock is paused.
    Pending,
    /// Upheld: the request is withdrawn.
    Upheld,
    /// Rejected: the clock resumed, `dueAt` moved on by the paused time.
    Rejected,
}

/// The authority a case is escalated to when the ministry cannot settle it with the platform.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "laporlapak_domain::Authority")]
pub enum Authority {
    /// Kementerian Komunikasi dan Digital, the ministry for communication and digital affairs.
    Komdigi,
    /// Kementerian Perdagangan, the ministry of trade.
    Kemendag,
    /// Direktorat Jenderal Bea dan Cukai, the customs and excise directorate.
    BeaCukai,
    /// Kepolisian Negara Republik Indonesia, the national police.
    Polri,
    /// Any other authority, named in the escalation note.
    Other,
}

/// How far the platform has got with a takedown request.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "laporlapak_domain::TakedownStatus")]
pub enum TakedownStatus {
    /// Issued, not yet acknowledged by the platform.
    Pending,
    /// The platform confirmed it received the request (`acknowledgeTakedownRequest`).
    Acknowledged,
    /// The platform answered with an action and a statement of reasons
    /// (`respondToTakedownRequest`); a request is answered once.
    Answered,
}

/// What the platform did about a takedown request, and where that takes a FORWARDED case.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "laporlapak_domain::TakedownAction")]
pub enum TakedownAction {
    /// The content or account was taken down. The case becomes RESOLVED.
    Removed,
    /// Access to it was restricted without removing it. The case becomes RESOLVED.
    Restricted,
    /// Made unavailable in Indonesia only. The case becomes RESOLVED.
    GeoBlocked,
    /// The platform refused to act. The case becomes PLATFORM_DECLINED.
    Declined,
    /// The platform needs more from the ministry before deciding. The case goes back to IN_REVIEW,
    /// still claimed by its reviewer.
    NeedsMoreInfo,
}

/// What the platform decided about a takedown request, in the shape of the DSA Transparency
/// Database's statement of reasons (`decision_visibility`, `decision_account`). Each decision
/// stands for one `TakedownAction` (the request's `action`), which decides where the case goes.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "laporlapak_domain::TakedownDecision")]
pub enum TakedownDecision {
    /// The content was removed (`action` REMOVED). The case becomes RESOLVED.
    Removed,
    /// Access to the content was disabled (`action` REMOVED). The case becomes RESOLVED.
    Disabled,
    /// Its visibility was restricted without removing it (`action` RESTRICTED). The case becomes
    /// RESOLVED.
    Restricted,
    /// Made unavailable in the answer's `territory` only (`action` GEO_BLOCKED). The case becomes
    /// RESOLVED.
    GeoBlocked,
    /// The account was suspended until `suspendedUntil` (`action` RESTRICTED). The case becomes
    /// RESOLVED.
    AccountSuspended,
    /// The account was terminated (`action` REMOVED). The case becomes RESOLVED.
    AccountTerminated,
    /// The platform refused to act. The case becomes PLATFORM_DECLINED.
    Declined,
    /// The platform needs more from the ministry before deciding. The case goes back to IN_REVIEW.
    NeedsMoreInfo,
}

/// What a platform's decision was about.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "laporlapak_domain::ActedOn")]
pub enum ActedOn {
    /// The reported content (a listing, a post, a video).
    Content,
    /// The whole account.
    Account,
}

/// Why a platform acted (the DSA's `decision_ground`).
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "laporlapak_domain::DecisionGround")]
pub enum DecisionGround {
    /// Illegal under the law `groundReference` cites.
    IllegalContent,
    /// Incompatible with the platform's own terms, the clause `groundReference` cites.
    IncompatibleWithTerms,
}

/// An entry of a takedown request's answer history.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "laporlapak_domain::AnswerKind")]
pub enum AnswerKind {
    /// The platform's answer (`respondToTakedownRequest`).
    Answer,
    /// The platform later reinstated what it had acted on (`reportReinstatement`).
    Reinstatement,
    /// A restriction the platform had imposed ended (`reportRestrictionEnded`).
    RestrictionEnded,
}

/// Who wrote a message of the information loop.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "laporlapak_domain::MessageAuthor")]
pub enum MessageAuthor {
    /// A reviewer's request for more information, sent to every reporter of the case.
    Reviewer,
    /// A reporter's reply (`replyToInformationRequest` or
    /// `replyToInformationRequestByTrackingCode`).
    Reporter,
}

/// What a seller identifier is.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "laporlapak_domain::seller::IdentifierKind")]
pub enum SellerIdentifierKind {
    /// A platform account — profile, shop or page — written with its platform's host, e.g.
    /// `tiktok.com/@tokobaju`, `shopee.co.id/shop/123456789`, `tokopedia.com/gudangthrift`.
    Handle,
    /// A phone number, in E.164 form (`+6281234567890`).
    Phone,
    /// A WhatsApp link (`wa.me/62…`) to a number, in E.164 form: the same value as that number
    /// written out, so the two link cases alike.
    #[graphql(name = "WHATSAPP")]
    WhatsApp,
    /// A bank account entered by a reviewer: the bank's name and the number (`BCA 1234567890`).
    BankAccount,
}

/// Where a seller identifier was found.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "laporlapak_domain::seller::IdentifierSource")]
pub enum SellerIdentifierSource {
    /// The account in a complaint's listing URL.
    ListingUrl,
    /// The seller's handle as a reporter gave it (`accountHandle`).
    AccountHandle,
    /// A complaint's description.
    Description,
    /// What a reporter marked as the seller's details (`sellerDetails`) in a reply to an
    /// information request; never the reply's message (never shown to platforms).
    Reply,
    /// Entered by a reviewer (`addSellerIdentifier`; never shown to platforms unless attached to a
    /// takedown request).
    Reviewer,
}

/// Why a case was rejected, as its reporters are told (`Rejection.explanation` says it in words).
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "laporlapak_domain::RejectionReason")]
pub enum RejectionReason {
    /// What the listing offers is not illegal under the category's law.
    NotIllegal,
    /// The complaint does not show enough to act on.
    InsufficientEvidence,
    /// The same listing is handled in another case.
    Duplicate,
    /// Not for this ministry (another authority, or not an online listing).
    OutsideRemit,
    /// The listing is no longer online.
    ListingUnavailable,
    /// Another reason, said in the reviewer's message.
    Other,
}
