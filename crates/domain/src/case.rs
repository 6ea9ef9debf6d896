//! The rules of a case, each defined once: its statuses and which of them are final, open or in
//! the review queue; every transition (who makes it, from which statuses, to which, and the audit
//! action it records); the claim rule; and the priority formula. docs/lifecycle.md draws the same
//! table. The services apply these rules; nothing else decides them.

use crate::audit::AuditAction;
use crate::takedown::TakedownAction;
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
    /// The final statuses: nothing happens to the case any more — except that a platform's
    /// reinstatement reopens a RESOLVED case ([`Transition::PlatformReinstates`]) — and a new
    /// report about its target opens a new case (a re-listing).
    pub const FINAL: [Self; 3] = [Self::Rejected, Self::Resolved, Self::Closed];

    /// The statuses before the ministry has decided: the review queue's default view, and the
    /// cases a merge may fold into another.
    pub const BEFORE_DECISION: [Self; 3] = [Self::Open, Self::InReview, Self::AwaitingInfo];

    pub fn is_final(self) -> bool {
        Self::FINAL.contains(&self)
    }

    /// The open (non-final) statuses: every status but [`Self::FINAL`].
    pub fn non_final() -> impl Iterator<Item = Self> {
        Self::ALL.iter().copied().filter(|s| !s.is_final())
    }
}

/// Who makes a transition.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mover {
    /// A ministry reviewer (the one who claimed the case, while it is IN_REVIEW).
    Reviewer,
    /// A reporter of the case, or the last of them withdrawing.
    Reporter,
    /// The platform, answering its takedown request.
    Platform,
    /// Komdigi's officer, deciding a recommendation.
    Regulator,
    /// The server, when a deadline passes.
    Clock,
}

/// Every move of a case from one status to another. A case is created OPEN; nothing else
/// changes its status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Transition {
    Claim,
    Release,
    Reject,
    RequestInformation,
    Resume,
    /// A reporter's reply to an information request.
    ReporterReplies,
    Forward,
    Escalate,
    Close,
    /// A source case of a merge, folded into the target.
    MergeAway,
    /// The last complaint that still counted was withdrawn.
    WithdrawAll,
    /// The platform removed, restricted or geo-blocked the target.
    PlatformActs,
    PlatformDeclines,
    /// The platform wants more information: back to review.
    PlatformNeedsMoreInfo,
    /// A reviewer other than the one who rejected the case granted its reporter's appeal: the
    /// case goes back to the queue.
    AppealGranted,
    /// The platform later reinstated what it had acted on, or the restriction ended: the
    /// resolved case goes back to review, still claimed by its reviewer (the one way out of a
    /// final status).
    PlatformReinstates,
    /// A reviewer recommends that Komdigi order access terminated (docs/legal-chain.md).
    Recommend,
    /// Komdigi orders it: an ORDER request goes to the platform.
    Order,
    /// Komdigi declines the recommendation: back to review.
    RegulatorDeclines,
    /// Nobody answered a reviewer's question by its deadline: the case closes as "no reply".
    QuestionExpires,
    /// A reporter answers a question after its deadline: a case closed for no reply goes back to
    /// review (the service checks that it closed for that reason).
    LateReplyReopens,
    /// A reporter asked "is it still online?" finds a removed listing still there: the removal is
    /// disputed and the resolved case goes back to review, still claimed by its reviewer.
    ReporterDisputesRemoval,
}

/// One row of the transition table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rule {
    pub by: Mover,
    pub from: &'static [CaseStatus],
    pub to: CaseStatus,
    /// What the audit trail records (on the case; a reply is recorded on its complaint).
    pub action: AuditAction,
}

/// Every status but the final ones, for the transitions that leave from any of them.
const NON_FINAL: &[CaseStatus] = &[
    CaseStatus::Open,
    CaseStatus::InReview,
    CaseStatus::AwaitingInfo,
    CaseStatus::Forwarded,
    CaseStatus::PlatformDeclined,
    CaseStatus::Escalated,
];

impl Transition {
    pub const ALL: [Self; 22] = [
        Self::Claim,
        Self::Release,
        Self::Reject,
        Self::RequestInformation,
        Self::Resume,
        Self::ReporterReplies,
        Self::Forward,
        Self::Escalate,
        Self::Close,
        Self::MergeAway,
        Self::WithdrawAll,
        Self::PlatformActs,
        Self::PlatformDeclines,
        Self::PlatformNeedsMoreInfo,
        Self::AppealGranted,
        Self::PlatformReinstates,
        Self::Recommend,
        Self::Order,
        Self::RegulatorDeclines,
        Self::QuestionExpires,
        Self::LateReplyReopens,
        Self::ReporterDisputesRemoval,
    ];

    /// The transition table.
    pub const fn rule(self) -> Rule {
        use CaseStatus::*;
        let (by, from, to, action): (Mover, &'static [CaseStatus], CaseStatus, AuditAction) =
            match self {
                Self::Claim => (Mover::Reviewer, &[Open], InReview, AuditAction::CaseClaimed),
                Self::Release => (
                    Mover::Reviewer,
                    &[InReview],
                    Open,
                    AuditAction::CaseReleased,
                ),
                Self::Reject => (
                    Mover::Reviewer,
                    &[InReview],
                    Rejected,
                    AuditAction::CaseRejected,
                ),
                Self::RequestInformation => (
                    Mover::Reviewer,
                    &[InReview],
                    AwaitingInfo,
                    AuditAction::CaseInformationRequested,
                ),
                Self::Resume => (
                    Mover::Reviewer,
                    &[AwaitingInfo],
                    InReview,
                    AuditAction::CaseResumed,
                ),
                Self::ReporterReplies => (
                    Mover::Reporter,
                    &[AwaitingInfo],
                    InReview,
                    AuditAction::ComplaintInformationProvided,
                ),
                Self::Forward => (
                    Mover::Reviewer,
                    &[InReview],
                    Forwarded,
                    AuditAction::CaseForwarded,
                ),
                Self::Escalate => (
                    Mover::Reviewer,
                    &[InReview, PlatformDeclined],
                    Escalated,
                    AuditAction::CaseEscalated,
                ),
                Self::Close => (Mover::Reviewer, NON_FINAL, Closed, AuditAction::CaseClosed),
                Self::MergeAway => (
                    Mover::Reviewer,
                    &CaseStatus::BEFORE_DECISION,
                    Closed,
                    AuditAction::CaseMergedAway,
                ),
                Self::WithdrawAll => (Mover::Reporter, NON_FINAL, Closed, AuditAction::CaseClosed),
                Self::PlatformActs => (
                    Mover::Platform,
                    &[Forwarded],
                    Resolved,
                    AuditAction::CaseResolved,
                ),
                Self::PlatformDeclines => (
                    Mover::Platform,
                    &[Forwarded],
                    PlatformDeclined,
                    AuditAction::CasePlatformDeclined,
                ),
                Self::PlatformNeedsMoreInfo => (
                    Mover::Platform,
                    &[Forwarded],
                    InReview,
                    AuditAction::CasePlatformNeedsMoreInfo,
                ),
                Self::AppealGranted => (
                    Mover::Reviewer,
                    &[Rejected],
                    Open,
                    AuditAction::CaseAppealGranted,
                ),
                Self::PlatformReinstates => (
                    Mover::Platform,
                    &[Resolved],
                    InReview,
                    AuditAction::CaseReopened,
                ),
                Self::QuestionExpires => (
                    Mover::Clock,
                    &[AwaitingInfo],
                    Closed,
                    AuditAction::CaseClosedNoReply,
                ),
                Self::LateReplyReopens => (
                    Mover::Reporter,
                    &[Closed],
                    InReview,
                    AuditAction::CaseReopenedByLateReply,
                ),
                Self::ReporterDisputesRemoval => (
                    Mover::Reporter,
                    &[Resolved],
                    InReview,
                    AuditAction::CaseRemovalDisputed,
                ),
                Self::Recommend => (
                    Mover::Reviewer,
                    &[InReview, Forwarded, PlatformDeclined],
                    Escalated,
                    AuditAction::CaseRecommended,
                ),
                Self::Order => (
                    Mover::Regulator,
                    &[Escalated],
                    Forwarded,
                    AuditAction::CaseOrdered,
                ),
                Self::RegulatorDeclines => (
                    Mover::Regulator,
                    &[Escalated],
                    InReview,
                    AuditAction::CaseRecommendationDeclined,
                ),
            };
        Rule {
            by,
            from,
            to,
            action,
        }
    }

    /// Whether this transition may leave `status`.
    pub fn leaves(self, status: CaseStatus) -> bool {
        self.rule().from.contains(&status)
    }

    /// The transition a platform's answer makes.
    pub const fn for_answer(action: TakedownAction) -> Self {
        match action {
            TakedownAction::Removed | TakedownAction::Restricted | TakedownAction::GeoBlocked => {
                Self::PlatformActs
            }
            TakedownAction::Declined => Self::PlatformDeclines,
            TakedownAction::NeedsMoreInfo => Self::PlatformNeedsMoreInfo,
        }
    }
}

/// The claim rule: while a case is IN_REVIEW, only the reviewer who claimed it (`assignee`) may
/// move it on; another reviewer (`me`) is refused.
pub fn claimed_by_another(status: CaseStatus, assignee: Option<i64>, me: i64) -> bool {
    status == CaseStatus::InReview && assignee.is_some_and(|a| a != me)
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
    /// The largest boost a trusted flagger's record gave the case's complaints that still count
    /// (`organisation::flagger_boost`, 0–20); 0 without one.
    pub flagger_boost: u32,
}

/// The priority formula, higher first in the queue:
///
/// `10·severity + ⌊25·log2(1 + reporters)⌋ + 10·min(umkm reporters, 5) + 15·min(flags, 4)
///  + 10·min(seller score, 5) + 30·relisted + min(flagger boost, 20)`
///
/// Reporters count with diminishing returns (1 → 25, 3 → 50, 7 → 75, 1000 → 249), so a mass
/// campaign cannot bury every other case; UMKM reporters (sellers directly harmed) and keyword flags
/// (the vocabulary of illegal used-clothing trade) add bounded boosts; severity separates smuggling
/// from an unlabelled "other". A confirmed repeat offender's cases gain at most 50, and a re-listing
/// 30: together less than a category's whole severity range plus a mass campaign, so a seller's
/// record raises a case without burying everything else. A trusted flagger's report (a member of an
/// ACTIVE organisation) adds its organisation's boost, at most 20 — the share of its decided reports
/// that led to a request (`organisation::flagger_boost`): a flagger whose notices hold up goes
/// first, by less than one step of severity plus one more reporter.
pub fn priority(inputs: PriorityInputs) -> i32 {
    let reporters = (25.0 * f64::from(inputs.reporters + 1).log2()).floor();
    let total = 10 * inputs.severity.min(5)
        + reporters as u32
        + 10 * inputs.umkm_reporters.min(5)
        + 15 * inputs.flags.min(4)
        + 10 * inputs.seller_score.min(5)
        + 30 * u32::from(inputs.relisted)
        + inputs
            .flagger_boost
            .min(crate::organisation::MAX_FLAGGER_BOOST);
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

    /// Every transition × every status, against the table as docs/lifecycle.md draws it: `x`
    /// where the transition may leave the status. Columns: OPEN, IN_REVIEW, AWAITING_INFO,
    /// FORWARDED, RESOLVED, PLATFORM_DECLINED, ESCALATED, REJECTED, CLOSED.
    #[test]
    fn the_transition_table_is_the_documented_one() {
        use CaseStatus::*;
        let expected: [(Transition, &str, CaseStatus); 22] = [
            (Transition::Claim, "x........", InReview),
            (Transition::Release, ".x.......", Open),
            (Transition::Reject, ".x.......", Rejected),
            (Transition::RequestInformation, ".x.......", AwaitingInfo),
            (Transition::Resume, "..x......", InReview),
            (Transition::ReporterReplies, "..x......", InReview),
            (Transition::Forward, ".x.......", Forwarded),
            (Transition::Escalate, ".x...x...", Escalated),
            (Transition::Close, "xxxx.xx..", Closed),
            (Transition::MergeAway, "xxx......", Closed),
            (Transition::WithdrawAll, "xxxx.xx..", Closed),
            (Transition::PlatformActs, "...x.....", Resolved),
            (Transition::PlatformDeclines, "...x.....", PlatformDeclined),
            (Transition::PlatformNeedsMoreInfo, "...x.....", InReview),
            (Transition::AppealGranted, ".......x.", Open),
            (Transition::PlatformReinstates, "....x....", InReview),
            (Transition::Recommend, ".x.x.x...", Escalated),
            (Transition::Order, "......x..", Forwarded),
            (Transition::RegulatorDeclines, "......x..", InReview),
            (Transition::QuestionExpires, "..x......", Closed),
            (Transition::LateReplyReopens, "........x", InReview),
            (Transition::ReporterDisputesRemoval, "....x....", InReview),
        ];
        assert_eq!(
            expected.iter().map(|(t, _, _)| *t).collect::<Vec<_>>(),
            Transition::ALL.to_vec(),
            "every transition is in the expected table, in order"
        );
        for (transition, row, to) in expected {
            for (status, mark) in CaseStatus::ALL.iter().zip(row.chars()) {
                assert_eq!(
                    transition.leaves(*status),
                    mark == 'x',
                    "{transition:?} from {status}"
                );
            }
            assert_eq!(transition.rule().to, to, "{transition:?}");
            // Nothing leaves a final status but a granted appeal (from REJECTED) and a
            // reinstatement (from RESOLVED), and only the table's rows reach one.
            assert!(
                transition == Transition::AppealGranted
                    || transition == Transition::PlatformReinstates
                    || transition == Transition::LateReplyReopens
                    || transition == Transition::ReporterDisputesRemoval
                    || CaseStatus::FINAL
                        .iter()
                        .all(|status| !transition.leaves(*status))
            );
        }
        for action in TakedownAction::ALL {
            assert_eq!(Transition::for_answer(*action).rule().by, Mover::Platform);
        }
    }

    #[test]
    fn a_claimed_case_is_its_reviewers() {
        for &status in CaseStatus::ALL {
            assert_eq!(
                claimed_by_another(status, Some(1), 2),
                status == CaseStatus::InReview
            );
            assert!(!claimed_by_another(status, Some(2), 2));
            assert!(!claimed_by_another(status, None, 2));
        }
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
            flagger_boost: 0,
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
        assert_eq!(
            priority(PriorityInputs {
                flagger_boost: 99,
                ..base
            }),
            40 + 25 + 20
        );
    }
}
