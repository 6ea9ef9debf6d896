//! `openMinistryCase`: the ministry's own finding, filed by a REVIEWER as a complaint with source
//! MINISTRY and no reporter. It opens a case with source MINISTRY that enters the queue like any
//! other (or joins the open case of the same target), goes through the same checks, aggregation,
//! keyword flags and idempotency as a citizen's report, and is counted apart from the public's
//! complaints in the transparency report. A citizen still files only for themself.

use crate::Services;
use crate::complaint::submit::{Filer, SubmitOutcome, SubmitRequest};
use crate::error::ServiceResult;
use crate::evidence::{self, IncomingFile};
use crate::viewer::Viewer;
use laporlapak_domain::ReportSource;

/// The ministry's finding: what a complaint says, without a reporter.
#[derive(Debug, Default)]
pub struct MinistryFinding {
    pub category: String,
    pub listing_url: String,
    pub platform: Option<String>,
    pub account_handle: Option<String>,
    pub description: String,
    pub evidence_urls: Vec<String>,
    pub idempotency_key: Option<String>,
    pub files: Vec<IncomingFile>,
}

/// Opens a case (or joins the target's open one) from the ministry's own finding. REVIEWER only.
pub async fn open_ministry_case(
    services: &Services,
    viewer: &Viewer,
    finding: MinistryFinding,
) -> ServiceResult<SubmitOutcome> {
    let reviewer = viewer.reviewer()?;
    let request = SubmitRequest {
        category: finding.category,
        listing_url: finding.listing_url,
        platform: finding.platform,
        account_handle: finding.account_handle,
        description: finding.description,
        evidence_urls: finding.evidence_urls,
        idempotency_key: finding.idempotency_key,
        ..SubmitRequest::default()
    };
    let submission = request.parse(true)?;
    let files = evidence::store_incoming(services, "input.files", finding.files).await?;
    let filer = Filer::new(
        services,
        viewer,
        None,
        ReportSource::Ministry,
        format!("ministry:{}", reviewer.account_id()),
    );
    services
        .db
        .run(move |conn| {
            let attempt = filer.file(conn, &submission, &files, None)?;
            filer.outcome(conn, attempt)
        })
        .await
}
