//! What a reporter sees of its case's life: every status the case passed through, with its note,
//! in order, by tracking code and in `myComplaints` — and nothing the public view must not show.
//! The index that serves the look-up is checked to be used by both planners.

use diesel::{Connection as _, PgConnection, QueryableByName, RunQueryDsl as _, SqliteConnection};
use serde_json::{Value, json};

use crate::fixtures::{self, Reported, report};
use crate::helpers::{Backend, TestApp};
use crate::intake::{complaint, submit};
use crate::review::{CLOSE, FORWARD, REJECT, REQUEST_INFO, act};
use laporlapak::db::DatabaseUrl;
use laporlapak::db::models::event::CASE_STATUS_CHANGE;
use laporlapak::domain::Role;

crate::on_both_backends!(
    the_timeline_shows_every_status_the_case_passed_through,
    a_rejected_or_closed_case_shows_its_end_and_no_internal_reason,
    the_status_change_index_is_used,
);

const PUBLIC: &str = "query($code: String!) { complaintByTrackingCode(code: $code) {
    status updatedAt timeline { status at note } } }";
const MINE: &str =
    "{ myComplaints(first: 10) { edges { node { id status timeline { status at note } } } } }";
const RESPOND: &str = "mutation($id: ID!, $input: RespondInput!) { respondToTakedownRequest(id: $id, input: $input) { status } }";
const REPLY: &str = "mutation($id: ID!, $m: String!) { replyToInformationRequest(complaintId: $id, message: $m) { status } }";

/// `(status, English note)` pairs of a timeline.
fn steps(timeline: &Value) -> Vec<(String, Option<String>)> {
    timeline
        .as_array()
        .unwrap_or_else(|| panic!("no timeline: {timeline}"))
        .iter()
        .map(|step| {
            (
                step["status"].as_str().unwrap().to_owned(),
                step["note"].as_str().map(str::to_owned),
            )
        })
        .collect()
}

fn expected(pairs: &[(&str, Option<&str>)]) -> Vec<(String, Option<String>)> {
    pairs
        .iter()
        .map(|(status, note)| ((*status).to_owned(), note.map(str::to_owned)))
        .collect()
}

async fn public_view(app: &TestApp, code: &str) -> Value {
    app.gql_with_headers(
        None,
        &[("Accept-Language", "en")],
        PUBLIC,
        json!({ "code": code }),
    )
    .await
    .ok()["complaintByTrackingCode"]
        .clone()
}

async fn own_view(app: &TestApp, citizen: &str, code: &str) -> Value {
    // A later read shows no tracking code: the complaint is found by its id.
    let row = crate::intake::complaint_of(app, code).await;
    let id =
        laporlapak::graphql::id::encode(laporlapak::graphql::id::NodeType::Complaint, row.id).0;
    let reply = app
        .gql_with_headers(Some(citizen), &[("Accept-Language", "en")], MINE, json!({}))
        .await;
    reply.ok()["myComplaints"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|edge| edge["node"].clone())
        .find(|node| node["id"] == id)
        .unwrap_or_else(|| panic!("{code} is not among the citizen's complaints"))
}

/// Both views show `want`, oldest first, with ascending times, and `updatedAt` is the last step's.
async fn assert_timeline(app: &TestApp, citizen: &str, code: &str, want: &[(&str, Option<&str>)]) {
    let public = public_view(app, code).await;
    assert_eq!(
        steps(&public["timeline"]),
        expected(want),
        "tracking-code view"
    );
    let times: Vec<&str> = public["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["at"].as_str().unwrap())
        .collect();
    let parsed: Vec<chrono::DateTime<chrono::Utc>> =
        times.iter().map(|t| t.parse().unwrap()).collect();
    assert!(
        parsed.windows(2).all(|w| w[0] <= w[1]),
        "out of order: {times:?}"
    );
    assert_eq!(public["updatedAt"].as_str(), times.last().copied());
    assert_eq!(public["status"].as_str(), want.last().map(|(s, _)| *s));

    let own = own_view(app, citizen, code).await;
    assert_eq!(steps(&own["timeline"]), expected(want), "myComplaints");
    assert_eq!(own["status"], public["status"]);
}

async fn the_timeline_shows_every_status_the_case_passed_through(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let reviewer = fixtures::reviewer(&app).await;
    let instagram = app
        .staff("trust@instagram.example", Role::Platform, Some("instagram"))
        .await;
    let citizen = app.register("siti@mail.id").await;
    let Reported {
        tracking_code: code,
        complaint_id,
        case_id: case,
    } = report(
        &app,
        Some(&citizen),
        complaint("https://www.instagram.com/p/TIMELINE1/"),
    )
    .await;
    let received = ("OPEN", Some("Complaint received."));
    assert_timeline(&app, &citizen, &code, &[received]).await;

    fixtures::claim(&app, &reviewer, &case).await;
    let under_review = ("IN_REVIEW", Some("Under review."));
    assert_timeline(&app, &citizen, &code, &[received, under_review]).await;

    act(
        &app,
        &reviewer,
        REQUEST_INFO,
        json!({ "id": case, "m": "Kapan Anda melihat iklan ini?" }),
    )
    .await
    .ok();
    app.gql(
        Some(&citizen),
        REPLY,
        json!({ "id": complaint_id, "m": "Kemarin sore." }),
    )
    .await
    .ok();
    let forwarded = act(&app, &reviewer, FORWARD, json!({ "id": case, "input": {} })).await;
    let request = forwarded.ok()["forwardCase"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let so_far = [
        received,
        under_review,
        (
            "AWAITING_INFO",
            Some("A reviewer asked for more information."),
        ),
        ("IN_REVIEW", Some("Additional information received.")),
        ("FORWARDED", Some("Takedown request sent to the platform.")),
    ];
    assert_timeline(&app, &citizen, &code, &so_far).await;

    app.gql(
        Some(&instagram),
        RESPOND,
        json!({ "id": request, "input": { "action": "REMOVED", "statementOfReasons": "Dihapus karena melanggar hukum setempat." } }),
    )
    .await
    .ok();
    let mut answered = so_far.to_vec();
    answered.push(("RESOLVED", None));
    assert_timeline(&app, &citizen, &code, &answered).await;

    // The public view holds no name, e-mail, reply, reviewer or platform statement.
    let text = public_view(&app, &code).await.to_string();
    for private in [
        "siti@mail.id",
        "reviewer@kemenkop.go.id",
        "Kemarin sore",
        "melanggar hukum",
    ] {
        assert!(
            !text.contains(private),
            "{private:?} in the public view: {text}"
        );
    }
}

async fn a_rejected_or_closed_case_shows_its_end_and_no_internal_reason(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let reviewer = fixtures::reviewer(&app).await;
    let citizen = app.register("budi@mail.id").await;
    let received = ("OPEN", Some("Complaint received."));
    let under_review = ("IN_REVIEW", Some("Under review."));

    let Reported {
        tracking_code: code,
        case_id: case,
        ..
    } = report(
        &app,
        Some(&citizen),
        complaint("https://www.instagram.com/p/TIMELINE2/"),
    )
    .await;
    fixtures::claim(&app, &reviewer, &case).await;
    let reason = "Catatan internal: barang produksi lokal, bukan impor.";
    act(&app, &reviewer, REJECT, json!({ "id": case, "r": reason }))
        .await
        .ok();
    assert_timeline(
        &app,
        &citizen,
        &code,
        &[
            received,
            under_review,
            ("REJECTED", Some("Rejected after review.")),
        ],
    )
    .await;
    assert!(
        !public_view(&app, &code)
            .await
            .to_string()
            .contains("Catatan internal")
    );

    let Reported {
        tracking_code: code,
        case_id: case,
        ..
    } = report(
        &app,
        Some(&citizen),
        complaint("https://www.instagram.com/p/TIMELINE3/"),
    )
    .await;
    fixtures::claim(&app, &reviewer, &case).await;
    act(
        &app,
        &reviewer,
        CLOSE,
        json!({ "id": case, "n": "Ditutup: akun sudah tidak aktif." }),
    )
    .await
    .ok();
    assert_timeline(
        &app,
        &citizen,
        &code,
        &[received, under_review, ("CLOSED", Some("Case closed."))],
    )
    .await;

    // A second reporter of the same target sees only what happened after it joined: its own
    // submission (into a case already under review), then the case's end.
    let other = app.register("ani@mail.id").await;
    let Reported { case_id: case, .. } = report(
        &app,
        Some(&citizen),
        complaint("https://www.instagram.com/p/TIMELINE4/"),
    )
    .await;
    fixtures::claim(&app, &reviewer, &case).await;
    let joined = submit(
        &app,
        Some(&other),
        complaint("https://instagram.com/p/TIMELINE4"),
    )
    .await;
    assert_eq!(joined["joinedExistingCase"], true);
    act(&app, &reviewer, REJECT, json!({ "id": case, "r": reason }))
        .await
        .ok();
    assert_timeline(
        &app,
        &other,
        joined["trackingCode"].as_str().unwrap(),
        &[
            ("IN_REVIEW", Some("Complaint received.")),
            ("REJECTED", Some("Rejected after review.")),
        ],
    )
    .await;
}

struct PlanLine {
    line: String,
}

#[derive(QueryableByName)]
struct SqlitePlan {
    #[diesel(sql_type = diesel::sql_types::Text)]
    detail: String,
}

/// The look-up's case branch (spelled with the code's own predicate) is served by the partial
/// index `events_case_status_changes` on both backends: a predicate that matched nothing, or an
/// index that did not imply it, would show as a scan here.
async fn the_status_change_index_is_used(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let predicate = CASE_STATUS_CHANGE.0;
    let plan: Vec<PlanLine> = match backend {
        Backend::Sqlite => {
            let path = app.sqlite_file().unwrap();
            let mut conn = SqliteConnection::establish(&path.to_string_lossy()).unwrap();
            diesel::sql_query(format!(
                "EXPLAIN QUERY PLAN SELECT id FROM events \
                 WHERE case_id = 7 AND {predicate} AND at >= '2026-01-01' ORDER BY id"
            ))
            .load::<SqlitePlan>(&mut conn)
            .unwrap()
            .into_iter()
            .map(|row| PlanLine { line: row.detail })
            .collect()
        }
        Backend::Postgres => {
            let mut conn = PgConnection::establish(match &app.settings().database_url {
                DatabaseUrl::Postgres(url) => url,
                DatabaseUrl::Sqlite(_) => unreachable!(),
            })
            .unwrap();
            diesel::sql_query("SET enable_seqscan = off")
                .execute(&mut conn)
                .unwrap();
            diesel::sql_query(format!(
                "EXPLAIN SELECT id FROM events WHERE case_id = 7 AND {predicate} \
                 AND at >= '2026-01-01' ORDER BY id"
            ))
            .load::<QueryPlan>(&mut conn)
            .unwrap()
            .into_iter()
            .map(|row| PlanLine {
                line: row.query_plan,
            })
            .collect()
        }
    };
    let text: Vec<String> = plan.into_iter().map(|p| p.line).collect();
    assert!(
        text.iter()
            .any(|l| l.contains("events_case_status_changes")),
        "the timeline's case branch does not use its index: {text:#?}"
    );
}

#[derive(QueryableByName)]
struct QueryPlan {
    #[diesel(sql_type = diesel::sql_types::Text, column_name = "QUERY PLAN")]
    query_plan: String,
}
