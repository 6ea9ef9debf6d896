//! `ministryFigures(months)`: the ministry's own figures beside the platforms' — public,
//! aggregated, per UTC calendar month.

use async_graphql::{Context, Object, SimpleObject};

use crate::graphql::ContextExt as _;
use crate::graphql::datetime::DateTime;
use crate::graphql::enums::RejectionReason;
use laporlapak_service::ministry::{self as service, MonthFigures};

fn int(value: i64) -> i32 {
    i32::try_from(value).unwrap_or(i32::MAX)
}

/// Rejections of one reason code.
#[derive(SimpleObject)]
pub struct RejectionCount {
    /// The reason code.
    pub reason: RejectionReason,
    /// Cases of the month rejected for it.
    pub cases: i32,
}

/// The ministry's figures of one UTC calendar month. A case belongs to the month it was opened
/// in; its triage decision is the first time it was forwarded, rejected, escalated or recommended
/// to Komdigi.
#[derive(SimpleObject)]
pub struct MinistryMonth {
    /// The first instant of the month (UTC).
    pub month: DateTime,
    /// Complaints received in the month.
    pub complaints: i32,
    /// Cases opened in the month.
    pub cases_opened: i32,
    /// Of those, cases with a triage decision.
    pub triaged: i32,
    /// Median hours from a case's opening to its triage decision (exact, interpolated between the
    /// two nearest ranks); null when none was decided.
    pub median_hours_to_triage: Option<f64>,
    /// 90th-percentile hours from a case's opening to its triage decision; null when none was
    /// decided.
    pub p90_hours_to_triage: Option<f64>,
    /// Of the month's cases, those still undecided now (OPEN, IN_REVIEW, AWAITING_INFO).
    pub undecided: i32,
    /// Questions reviewers asked reporters in the month.
    pub questions_asked: i32,
    /// Cases closed in the month because the reporters left a question unanswered past its
    /// deadline.
    pub questions_unanswered: i32,
    /// Of the month's cases, those rejected now.
    pub rejected: i32,
    /// `rejected` ÷ `triaged`, from 0 to 1; null when nothing was decided.
    pub rejection_rate: Option<f64>,
    /// `rejected` by reason code, every code listed.
    pub rejected_by_reason: Vec<RejectionCount>,
    /// Appeals filed in the month against rejections.
    pub appeals_filed: i32,
    /// Of those, not decided yet.
    pub appeals_pending: i32,
    /// Of those, the rejection stood.
    pub appeals_upheld: i32,
    /// Of those, the case went back to review.
    pub appeals_granted: i32,
}

impl From<&MonthFigures> for MinistryMonth {
    fn from(m: &MonthFigures) -> Self {
        Self {
            month: m.month.into(),
            complaints: int(m.complaints),
            cases_opened: int(m.cases_opened),
            triaged: int(m.triaged),
            median_hours_to_triage: m.median_hours_to_triage,
            p90_hours_to_triage: m.p90_hours_to_triage,
            undecided: int(m.undecided),
            questions_asked: int(m.questions_asked),
            questions_unanswered: int(m.questions_unanswered),
            rejected: int(m.rejected),
            rejection_rate: m.rejection_rate(),
            rejected_by_reason: m
                .rejected_by_reason
                .iter()
                .map(|(reason, cases)| RejectionCount {
                    reason: (*reason).into(),
                    cases: int(*cases),
                })
                .collect(),
            appeals_filed: int(m.appeals_filed),
            appeals_pending: int(m.appeals_pending),
            appeals_upheld: int(m.appeals_upheld),
            appeals_granted: int(m.appeals_granted),
        }
    }
}

/// The cases undecided now, by age since they were opened.
#[derive(SimpleObject)]
pub struct MinistryBacklog {
    /// Opened less than 3 days ago (SP4N-LAPOR! verifies within three working days).
    pub under_3_days: i32,
    /// Opened 3 to 7 days ago.
    pub from_3_to_7_days: i32,
    /// Opened 7 to 30 days ago.
    pub from_7_to_30_days: i32,
    /// Opened more than 30 days ago.
    pub over_30_days: i32,
    /// Every undecided case.
    pub total: i32,
}

/// The ministry's own figures: how fast it triages, its backlog, its questions, rejections and
/// appeals. Counted from the rows, exact.
#[derive(SimpleObject)]
pub struct MinistryFigures {
    /// When these figures were computed.
    pub generated_at: DateTime,
    /// One entry per month, oldest first; the last is the current month so far.
    pub months: Vec<MinistryMonth>,
    /// The backlog now, by age.
    pub backlog: MinistryBacklog,
}

#[derive(Default)]
pub struct MinistryQuery;

#[Object]
impl MinistryQuery {
    /// Public (no token needed): the ministry's own figures per UTC calendar month, the last
    /// `months` months up to the current one. Also on the page `/transparency` and as CSV at
    /// `/ministry.csv`.
    #[graphql(complexity = "crate::graphql::REPORT_COST + child_complexity")]
    async fn ministry_figures(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "How many months, 1 to 36; 12 when omitted.")] months: Option<i32>,
    ) -> async_graphql::Result<MinistryFigures> {
        let figures = service::figures(ctx.services()?, months).await?;
        let b = &figures.backlog;
        Ok(MinistryFigures {
            generated_at: figures.generated_at.into(),
            months: figures.months.iter().map(Into::into).collect(),
            backlog: MinistryBacklog {
                under_3_days: int(b.under_3_days),
                from_3_to_7_days: int(b.from_3_to_7_days),
                from_7_to_30_days: int(b.from_7_to_30_days),
                over_30_days: int(b.over_30_days),
                total: int(b.total()),
            },
        })
    }
}
