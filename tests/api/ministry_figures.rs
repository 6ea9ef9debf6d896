//! The ministry's own figures (issue 32, item 2), on a manual clock: per month, hours from a case's
//! opening to its triage decision, the undecided cases, questions asked and left unanswered,
//! rejections by reason, appeals — equal to a recount from the rows, in the API, the CSV and on
//! the page.

use chrono::TimeDelta;
use diesel::prelude::*;
use serde_json::{Value, json};

use crate::fixtures::{self, report};
use crate::helpers::{Backend, TestApp};
use crate::intake::complaint;
use crate::review::{FORWARD, REQUEST_INFO, act};
use laporlapak::db::schema::{appeals, cases, complaints, events};
use laporlapak::service::review::expire_questions;

crate::on_both_backends!(the_ministrys_figures_equal_a_recount_from_the_rows);

const FIGURES: &str = "{ ministryFigures(months: 2) { months { month complaints casesOpened triaged
    medianHoursToTriage p90HoursToTriage undecided questionsAsked questionsUnanswered rejected
    rejectionRate rejectedByReason { reason cases } appealsFiled appealsPending appealsUpheld appealsGranted }
    backlog { under3Days from3To7Days from7To30Days over30Days total } } }";

async fn figures(app: &TestApp) -> Value {
    app.gql(None, FIGURES, json!({})).await.ok()["ministryFigures"].clone()
}

async fn the_ministrys_figures_equal_a_recount_from_the_rows(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let reviewer = fixtures::reviewer(&app).await;

    // Four cases opened at the same time: forwarded after 2 hours, rejected (DUPLICATE) after 6,
    // asked a question left unanswered, left in the queue.
    let forwarded = report(&app, None, complaint("https://www.instagram.com/p/Min1/")).await;
    let rejected = report(&app, None, complaint("https://www.instagram.com/p/Min2/")).await;
    let asked = report(&app, None, complaint("https://www.instagram.com/p/Min3/")).await;
    let _waiting = report(&app, None, complaint("https://www.instagram.com/p/Min4/")).await;
    app.advance_clock(TimeDelta::hours(2));
    fixtures::claim(&app, &reviewer, &forwarded.case_id).await;
    act(
        &app,
        &reviewer,
        FORWARD,
        json!({ "id": forwarded.case_id, "input": {} }),
    )
    .await
    .ok();
    fixtures::claim(&app, &reviewer, &asked.case_id).await;
    act(
        &app,
        &reviewer,
        REQUEST_INFO,
        json!({ "id": asked.case_id, "m": "Mohon kirim foto label impor pada pakaian." }),
    )
    .await
    .ok();
    app.advance_clock(TimeDelta::hours(4));
    fixtures::claim(&app, &reviewer, &rejected.case_id).await;
    act(
        &app,
        &reviewer,
        "mutation($id: ID!) { rejectCase(caseId: $id, reason: \"Sudah ditangani di laporan lain.\", reasonCode: DUPLICATE) { id } }",
        json!({ "id": rejected.case_id }),
    )
    .await
    .ok();
    app.gql(
        None,
        "mutation($code: String!) { appealRejectionByTrackingCode(trackingCode: $code,
            text: \"Listing ini berbeda dari laporan sebelumnya, mohon ditinjau lagi.\") { id } }",
        json!({ "code": rejected.tracking_code }),
    )
    .await
    .ok();
    // The question's deadline passes unanswered.
    app.advance_clock(TimeDelta::days(15));
    assert_eq!(expire_questions(&app.services).await.unwrap(), 1);

    let answer = figures(&app).await;
    let months = answer["months"].as_array().unwrap();
    assert_eq!(months.len(), 2);
    // Every event above may fall in this month or, near a month's end, the last one: sum both.
    let sum = |field: &str| -> i64 { months.iter().map(|m| m[field].as_i64().unwrap()).sum() };
    assert_eq!(sum("complaints"), 4);
    assert_eq!(sum("casesOpened"), 4);
    assert_eq!(sum("triaged"), 2);
    assert_eq!(sum("undecided"), 1, "{answer}");
    assert_eq!(sum("questionsAsked"), 1);
    assert_eq!(sum("questionsUnanswered"), 1);
    assert_eq!(sum("rejected"), 1);
    assert_eq!(sum("appealsFiled"), 1);
    assert_eq!(sum("appealsPending"), 1);
    let opened = months
        .iter()
        .find(|m| m["casesOpened"] == 4)
        .expect("the month the cases were opened in");
    // Hours to triage: 2 and 6; median 4, p90 5.6.
    assert_eq!(opened["medianHoursToTriage"], 4.0);
    assert!((opened["p90HoursToTriage"].as_f64().unwrap() - 5.6).abs() < 1e-9);
    assert_eq!(opened["rejectionRate"], 0.5);
    let duplicate = opened["rejectedByReason"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["reason"] == "DUPLICATE")
        .unwrap()
        .clone();
    assert_eq!(duplicate["cases"], 1);
    // The case still waiting is 15 days old.
    assert_eq!(answer["backlog"]["from7To30Days"], 1);
    assert_eq!(answer["backlog"]["total"], 1);

    // A recount from the rows, written independently of the service.
    let recount = app
        .services
        .db
        .run(|conn| {
            let complaints: i64 = complaints::table.count().get_result(conn)?;
            let opened: i64 = cases::table.count().get_result(conn)?;
            let undecided: i64 = cases::table
                .filter(cases::status.eq_any(["OPEN", "IN_REVIEW", "AWAITING_INFO"]))
                .count()
                .get_result(conn)?;
            let rejected: i64 = cases::table
                .filter(cases::status.eq("REJECTED"))
                .count()
                .get_result(conn)?;
            let asked: i64 = events::table
                .filter(events::action.eq("case.information_requested"))
                .count()
                .get_result(conn)?;
            let unanswered: i64 = events::table
                .filter(events::action.eq("case.closed_no_reply"))
                .count()
                .get_result(conn)?;
            let decided: Vec<Option<i64>> = events::table
                .filter(events::action.eq_any([
                    "case.forwarded",
                    "case.rejected",
                    "case.escalated",
                    "case.recommended",
                ]))
                .select(events::case_id)
                .distinct()
                .load(conn)?;
            let appeals: i64 = appeals::table.count().get_result(conn)?;
            Ok::<_, laporlapak::error::ServiceError>([
                complaints,
                opened,
                undecided,
                rejected,
                asked,
                unanswered,
                decided.len() as i64,
                appeals,
            ])
        })
        .await
        .unwrap();
    assert_eq!(
        recount,
        [
            sum("complaints"),
            sum("casesOpened"),
            sum("undecided"),
            sum("rejected"),
            sum("questionsAsked"),
            sum("questionsUnanswered"),
            sum("triaged"),
            sum("appealsFiled"),
        ]
    );

    // The CSV and the page say the same.
    let (status, csv) = app.get("/ministry.csv?months=2").await;
    assert_eq!(status, 200);
    let month = opened["month"].as_str().unwrap()[..7].to_owned();
    assert!(csv.contains(&format!("{month},cases_opened,4\n")), "{csv}");
    assert!(csv.contains(&format!("{month},median_hours_to_triage,4.00\n")));
    assert!(csv.contains(&format!("{month},rejected_duplicate,1\n")));
    assert!(csv.contains("now,backlog_7_to_30_days,1\n"));
    assert_eq!(app.get("/ministry.csv?months=0").await.0, 400);
    let (_, page) = app.get("/transparency?lang=en").await;
    assert!(
        page.contains("The ministry&#39;s own figures")
            || page.contains("The ministry's own figures"),
        "{page}"
    );
    assert!(
        page.contains(&format!(
            "<td>{month}</td><td>4</td><td>4</td><td>2</td><td>4.0</td><td>5.6</td>"
        )),
        "{page}"
    );
    let reply = app
        .gql(
            None,
            "{ ministryFigures(months: 37) { generatedAt } }",
            json!({}),
        )
        .await;
    reply.expect_code("BAD_USER_INPUT");
    assert_eq!(reply.field(), "months");
}
