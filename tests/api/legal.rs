//! The legal chain (issue 30, docs/legal-chain.md): the ministry's notices run on the platform's
//! committed time and are never a statutory breach; Komdigi's orders, issued on a recommendation,
//! run on the statutory clock; URGENT orders only on the urgent track; objections pause the clock;
//! sanctions; every role refused what it may not do; the regulator never sees a reporter.

use std::collections::HashMap;

use chrono::{DateTime, TimeDelta};
use serde_json::{Value, json};

use crate::fixtures::{self, case_id_of, desk, forwarded};
use crate::helpers::{Backend, PASSWORD, TestApp};
use crate::intake::{complaint, submit};
use crate::platform::selection;
use laporlapak::domain::Role;

crate::on_both_backends!(
    a_late_notice_is_late_against_the_commitment_and_a_late_order_is_a_statutory_breach,
    an_urgent_order_outside_the_urgent_track_is_refused,
    an_objection_pauses_the_clock_and_its_rejection_resumes_it,
    an_upheld_objection_withdraws_the_order_and_sanctions_are_recorded,
    every_role_is_refused_the_legal_operations_it_may_not_do,
    the_regulator_sees_no_reporter_data,
);

const RECOMMEND: &str = "mutation($input: RecommendInput!) { recommendOrder(input: $input) {
    id status urgency letterNumber cases { caseId status sharedEvidence order { id } } } }";
const ISSUE: &str = "mutation($id: ID!, $input: OrderInput!) { issueOrder(recommendationId: $id, input: $input) {
    id status cases { status order { id orderNumber orderDate orderArticle urgency issuedAt dueAt overdue } } } }";
const DECLINE: &str = "mutation($id: ID!, $r: String!) { declineRecommendation(recommendationId: $id, reasons: $r) { id status decisionReasons cases { status } } }";
const SANCTION: &str = "mutation($input: SanctionInput!) { recordSanction(input: $input) { id step letterNumber letterDate orderIds platform { slug } } }";
const OBJECT: &str = "mutation($id: ID!, $r: String!) { objectToTakedownRequest(id: $id, reasons: $r) { id dueAt pausedAt overdue objections { id status } } }";
const DECIDE: &str = "mutation($id: ID!, $u: Boolean!, $r: String!) { decideObjection(id: $id, upheld: $u, reasons: $r) { id status kind decidedAt } }";
const RESPOND: &str =
    "mutation($id: ID!, $input: RespondInput!) { respondToTakedownRequest(id: $id, input: $input) {
    id kind statutoryDeadline overdue action case { status } } }";
const REQUEST: &str = "query($id: ID!) { node(id: $id) { ... on TakedownRequest {
    id kind statutoryDeadline orderNumber dueAt pausedAt withdrawnAt overdue status objections { status } } } }";
const SCORECARD: &str = "query($to: DateTime) { transparencyReport(to: $to) { platforms { platform { slug } requestsIssued
    orders { issued answered answeredOnTime pending statutoryBreaches withdrawn }
    notices { issued answeredOnTime answeredLateAgainstCommitment overdueAgainstCommitment withdrawn }
    sanctions objections { filed pending upheld rejected } }
    legalChainTotals { orders { statutoryBreaches } notices { answeredLateAgainstCommitment } sanctions } } }";
const REASONS: &str = "Akun berulang kali menawarkan barang yang dilarang diimpor.";
const STATEMENT: &str = "Konten telah ditinjau sesuai pedoman komunitas dan hukum setempat.";

async fn regulator(app: &TestApp) -> String {
    app.staff("petugas@komdigi.go.id", Role::Regulator, None)
        .await
}

fn recommendation(case_ids: &[&str], urgency: &str) -> Value {
    json!({ "caseIds": case_ids, "letterNumber": "B-123/DEP.3/XII/2026",
            "legalBasis": "Permendag 18/2021 jo. 40/2022; Permenkominfo 5/2020 Pasal 14.",
            "reasons": REASONS, "urgency": urgency })
}

fn order(urgency: Option<&str>) -> Value {
    json!({ "orderNumber": "1234/KOMINFO/DJAI/HK.02/12/2026", "orderDate": "2026-01-01",
            "article": "Pasal 15 ayat (1) Permenkominfo 5/2020", "urgency": urgency })
}

/// The reviewer recommends the cases; returns the recommendation's ID.
async fn recommend(app: &TestApp, reviewer: &str, case_ids: &[&str]) -> String {
    let reply = app
        .gql(
            Some(reviewer),
            RECOMMEND,
            json!({ "input": recommendation(case_ids, "NORMAL") }),
        )
        .await;
    let recommended = &reply.ok()["recommendOrder"];
    assert_eq!(recommended["status"], "PENDING");
    for case in recommended["cases"].as_array().unwrap() {
        assert_eq!(case["status"], "ESCALATED");
    }
    recommended["id"].as_str().unwrap().to_owned()
}

/// The regulator orders a recommendation of one case; returns the order's request ID.
async fn issue(app: &TestApp, regulator: &str, recommendation_id: &str) -> String {
    let reply = app
        .gql(
            Some(regulator),
            ISSUE,
            json!({ "id": recommendation_id, "input": order(None) }),
        )
        .await;
    let issued = &reply.ok()["issueOrder"];
    assert_eq!(issued["status"], "ORDERED");
    issued["cases"][0]["order"]["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

async fn respond(app: &TestApp, platform: &str, id: &str, action: &str) -> Value {
    let reply = app
        .gql(
            Some(platform),
            RESPOND,
            json!({ "id": id, "input": { "action": action, "statementOfReasons": STATEMENT } }),
        )
        .await;
    reply.ok()["respondToTakedownRequest"].clone()
}

async fn request(app: &TestApp, token: &str, id: &str) -> Value {
    app.gql(Some(token), REQUEST, json!({ "id": id }))
        .await
        .ok()["node"]
        .clone()
}

/// The period's end of a fresh report: reports are cached for a minute by period, so each read
/// after the clock moved asks for another one.
fn until(app: &TestApp) -> String {
    (app.now() + TimeDelta::days(1))
        .and_utc()
        .format("%Y-%m-%dT%H:%M:%SZ")
        .to_string()
}

async fn scorecard(app: &TestApp, slug: &str) -> (Value, Value) {
    let reply = app.gql(None, SCORECARD, json!({ "to": until(app) })).await;
    let report = reply.ok()["transparencyReport"].clone();
    let platform = report["platforms"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["platform"]["slug"] == slug)
        .unwrap()
        .clone();
    (platform, report["legalChainTotals"].clone())
}

fn at(value: &Value) -> DateTime<chrono::FixedOffset> {
    DateTime::parse_from_rfc3339(value.as_str().unwrap()).unwrap()
}

async fn a_late_notice_is_late_against_the_commitment_and_a_late_order_is_a_statutory_breach(
    backend: Backend,
) {
    let app = TestApp::spawn(backend).await;
    let desk = desk(&app).await;
    let regulator = regulator(&app).await;
    let (case_id, notice) = forwarded(
        &app,
        &desk.reviewer,
        "https://www.instagram.com/thrift.bal.legal/",
        "NORMAL",
    )
    .await;
    let before = request(&app, &desk.instagram, &notice).await;
    assert_eq!(before["kind"], "NOTICE");
    assert_eq!(before["statutoryDeadline"], false);
    assert_eq!(before["orderNumber"], Value::Null);

    // The notice answered after 30 hours: late against the platform's committed 24 hours…
    app.advance_clock(TimeDelta::hours(30));
    let answered = respond(&app, &desk.instagram, &notice, "DECLINED").await;
    assert_eq!(answered["overdue"], true);
    assert_eq!(answered["case"]["status"], "PLATFORM_DECLINED");
    // …but not a breach of the law.
    let (instagram, totals) = scorecard(&app, "instagram").await;
    assert_eq!(instagram["notices"]["issued"], 1);
    assert_eq!(instagram["notices"]["answeredLateAgainstCommitment"], 1);
    assert_eq!(instagram["orders"]["issued"], 0);
    assert_eq!(instagram["orders"]["statutoryBreaches"], 0);
    assert_eq!(totals["orders"]["statutoryBreaches"], 0);
    let (_, csv) = app
        .get(&format!("/transparency.csv?to={}", until(&app)))
        .await;
    assert!(
        csv.contains("platform,instagram,statutory_breaches,0"),
        "{csv}"
    );
    assert!(
        csv.contains("platform,instagram,notices_answered_late_against_commitment,1"),
        "{csv}"
    );

    // The same case, recommended to Komdigi and ordered, answered after 30 hours: a breach.
    let recommendation_id = recommend(&app, &desk.reviewer, &[&case_id]).await;
    let queue = app
        .gql(
            Some(&regulator),
            "{ recommendations(status: PENDING) { id letterNumber cases { caseId target status } } }",
            json!({}),
        )
        .await;
    let queue = queue.ok()["recommendations"].as_array().unwrap().clone();
    assert_eq!(queue.len(), 1);
    assert_eq!(queue[0]["id"], recommendation_id.as_str());
    assert_eq!(queue[0]["cases"][0]["caseId"], case_id.as_str());
    let issued_at = app.now();
    let order_id = issue(&app, &regulator, &recommendation_id).await;
    let ordered = request(&app, &desk.instagram, &order_id).await;
    assert_eq!(ordered["kind"], "ORDER");
    assert_eq!(ordered["statutoryDeadline"], true);
    assert_eq!(ordered["orderNumber"], "1234/KOMINFO/DJAI/HK.02/12/2026");
    assert_eq!(
        at(&ordered["dueAt"]).naive_utc(),
        issued_at + TimeDelta::hours(24)
    );
    let case = app
        .gql(
            Some(&desk.reviewer),
            "query($id: ID!) { case(id: $id) { status escalatedTo takedownRequests { kind } events { action } } }",
            json!({ "id": case_id }),
        )
        .await;
    let case = &case.ok()["case"];
    assert_eq!(case["status"], "FORWARDED");
    assert_eq!(case["escalatedTo"], "KOMDIGI");
    assert_eq!(
        case["takedownRequests"],
        json!([{ "kind": "NOTICE" }, { "kind": "ORDER" }])
    );
    let actions: Vec<&str> = case["events"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|e| e["action"].as_str())
        .collect();
    assert!(actions.contains(&"case.recommended"), "{actions:?}");
    assert!(actions.contains(&"case.ordered"), "{actions:?}");

    app.advance_clock(TimeDelta::hours(30));
    let answered = respond(&app, &desk.instagram, &order_id, "REMOVED").await;
    assert_eq!(answered["overdue"], true);
    assert_eq!(answered["case"]["status"], "RESOLVED");
    let (instagram, totals) = scorecard(&app, "instagram").await;
    assert_eq!(instagram["orders"]["issued"], 1);
    assert_eq!(instagram["orders"]["answered"], 1);
    assert_eq!(instagram["orders"]["answeredOnTime"], 0);
    assert_eq!(instagram["orders"]["statutoryBreaches"], 1);
    assert_eq!(instagram["notices"]["issued"], 1);
    assert_eq!(instagram["notices"]["answeredLateAgainstCommitment"], 1);
    assert_eq!(instagram["requestsIssued"], 2);
    assert_eq!(totals["orders"]["statutoryBreaches"], 1);
    let (_, csv) = app
        .get(&format!("/transparency.csv?to={}", until(&app)))
        .await;
    assert!(
        csv.contains("platform,instagram,statutory_breaches,1"),
        "{csv}"
    );
    let (_, page) = app
        .get(&format!("/transparency?lang=en&to={}", until(&app)))
        .await;
    assert!(page.contains("Statutory breaches"), "{page}");
    assert!(page.contains("not a breach of the law"), "{page}");

    // A decided recommendation cannot be decided again.
    let again = app
        .gql(
            Some(&regulator),
            ISSUE,
            json!({ "id": recommendation_id, "input": order(None) }),
        )
        .await;
    again.expect_code("CONFLICT");
}

async fn an_urgent_order_outside_the_urgent_track_is_refused(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let desk = desk(&app).await;
    let regulator = regulator(&app).await;
    let admin = app.admin().await;
    // A notice's urgency is the platform's policy: URGENT is still accepted for used clothing.
    let (used_clothing, notice) = forwarded(
        &app,
        &desk.reviewer,
        "https://www.instagram.com/bal.urgent/",
        "URGENT",
    )
    .await;
    assert_eq!(
        request(&app, &desk.instagram, &notice).await["kind"],
        "NOTICE"
    );
    respond(&app, &desk.instagram, &notice, "DECLINED").await;

    // An URGENT recommendation or order in a used-clothing category is refused, naming `urgency`.
    let refused = app
        .gql(
            Some(&desk.reviewer),
            RECOMMEND,
            json!({ "input": recommendation(&[&used_clothing], "URGENT") }),
        )
        .await;
    refused.expect_code("BAD_USER_INPUT");
    assert_eq!(refused.field(), "input.urgency");
    let english = app
        .gql_with_headers(
            Some(&desk.reviewer),
            &[("Accept-Language", "en")],
            RECOMMEND,
            json!({ "input": recommendation(&[&used_clothing], "URGENT") }),
        )
        .await;
    assert!(
        english.message().contains("urgent track"),
        "{}",
        english.message()
    );
    let recommendation_id = recommend(&app, &desk.reviewer, &[&used_clothing]).await;
    let refused = app
        .gql(
            Some(&regulator),
            ISSUE,
            json!({ "id": recommendation_id, "input": order(Some("URGENT")) }),
        )
        .await;
    refused.expect_code("BAD_USER_INPUT");
    assert_eq!(refused.field(), "input.urgency");
    // Nothing was written: the recommendation still waits, the case is still ESCALATED.
    let still = app
        .gql(
            Some(&regulator),
            "query($id: ID!) { recommendation(id: $id) { status cases { status order { id } } } }",
            json!({ "id": recommendation_id }),
        )
        .await;
    assert_eq!(
        still.ok()["recommendation"],
        json!({ "status": "PENDING", "cases": [{ "status": "ESCALATED", "order": null }] })
    );
    // A bad letter date is refused too, naming its field.
    let mut bad_date = order(None);
    bad_date["orderDate"] = json!("31/12/2026");
    let refused = app
        .gql(
            Some(&regulator),
            ISSUE,
            json!({ "id": recommendation_id, "input": bad_date }),
        )
        .await;
    refused.expect_code("BAD_USER_INPUT");
    assert_eq!(refused.field(), "input.orderDate");

    // A category the admin puts on the urgent track takes a 4-hour order.
    let set = app
        .gql(
            Some(&admin),
            "mutation { setCategoryUrgentTrack(code: \"OTHER\", allowed: true) { code urgentTrack } }",
            json!({}),
        )
        .await;
    assert_eq!(set.ok()["setCategoryUrgentTrack"]["urgentTrack"], true);
    let categories = app
        .gql(None, "{ categories { code urgentTrack } }", json!({}))
        .await;
    for category in categories.ok()["categories"].as_array().unwrap() {
        assert_eq!(category["urgentTrack"], category["code"] == "OTHER");
    }
    let mut other = complaint("https://www.instagram.com/konten.ketertiban/");
    other["category"] = json!("OTHER");
    let other = submit(&app, None, other).await;
    let other_case = case_id_of(&app, other["complaint"]["id"].as_str().unwrap()).await;
    fixtures::claim(&app, &desk.reviewer, &other_case).await;
    let reply = app
        .gql(
            Some(&desk.reviewer),
            RECOMMEND,
            json!({ "input": recommendation(&[&other_case], "URGENT") }),
        )
        .await;
    let urgent_id = reply.ok()["recommendOrder"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let now = app.now();
    let issued = app
        .gql(
            Some(&regulator),
            ISSUE,
            json!({ "id": urgent_id, "input": order(None) }),
        )
        .await;
    let issued_order = &issued.ok()["issueOrder"]["cases"][0]["order"];
    assert_eq!(issued_order["urgency"], "URGENT");
    assert_eq!(
        at(&issued_order["dueAt"]).naive_utc(),
        now + TimeDelta::hours(4)
    );
}

async fn an_objection_pauses_the_clock_and_its_rejection_resumes_it(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let desk = desk(&app).await;
    let regulator = regulator(&app).await;
    let (_, notice) = forwarded(
        &app,
        &desk.reviewer,
        "https://www.instagram.com/p/Sanggah1/",
        "NORMAL",
    )
    .await;
    let due = at(&request(&app, &desk.reviewer, &notice).await["dueAt"]);
    app.advance_clock(TimeDelta::hours(10));
    let objected = app
        .gql(
            Some(&desk.instagram),
            OBJECT,
            json!({ "id": notice, "r": "Akun ini milik distributor resmi dengan izin impor." }),
        )
        .await;
    let objected = &objected.ok()["objectToTakedownRequest"];
    assert!(objected["pausedAt"].is_string());
    let objection_id = objected["objections"][0]["id"].as_str().unwrap().to_owned();
    // A second objection while one is pending is refused.
    app.gql(
        Some(&desk.instagram),
        OBJECT,
        json!({ "id": notice, "r": "Keberatan kedua atas permintaan yang sama." }),
    )
    .await
    .expect_code("CONFLICT");

    // Paused: 30 hours later the notice is still not overdue.
    app.advance_clock(TimeDelta::hours(30));
    let paused = request(&app, &desk.reviewer, &notice).await;
    assert_eq!(paused["overdue"], false);
    assert_eq!(paused["objections"], json!([{ "status": "PENDING" }]));
    // A notice's objection is the reviewers' to decide, not the regulator's.
    let queue = app
        .gql(
            Some(&desk.reviewer),
            "{ pendingObjections { id kind } }",
            json!({}),
        )
        .await;
    assert_eq!(
        queue.ok()["pendingObjections"],
        json!([{ "id": objection_id, "kind": "NOTICE" }])
    );
    let regulator_queue = app
        .gql(Some(&regulator), "{ pendingObjections { id } }", json!({}))
        .await;
    assert_eq!(regulator_queue.ok()["pendingObjections"], json!([]));
    app.gql(
        Some(&regulator),
        DECIDE,
        json!({ "id": objection_id, "u": false, "r": "Bukan wewenang regulator untuk pemberitahuan." }),
    )
    .await
    .expect_code("NOT_FOUND");

    // Rejected: the clock resumes with the 14 hours that were left.
    let decided = app
        .gql(
            Some(&desk.reviewer),
            DECIDE,
            json!({ "id": objection_id, "u": false, "r": "Izin impor tidak mencakup pakaian bekas." }),
        )
        .await;
    assert_eq!(decided.ok()["decideObjection"]["status"], "REJECTED");
    let resumed = request(&app, &desk.reviewer, &notice).await;
    assert_eq!(resumed["pausedAt"], Value::Null);
    assert_eq!(at(&resumed["dueAt"]), due + TimeDelta::hours(30));
    assert_eq!(resumed["overdue"], false);
    app.advance_clock(TimeDelta::hours(13));
    assert_eq!(
        request(&app, &desk.reviewer, &notice).await["overdue"],
        false
    );
    app.advance_clock(TimeDelta::hours(2));
    assert_eq!(
        request(&app, &desk.reviewer, &notice).await["overdue"],
        true
    );
    // Past its deadline a request cannot be objected to; a decided objection stays decided.
    app.gql(
        Some(&desk.instagram),
        OBJECT,
        json!({ "id": notice, "r": "Keberatan setelah batas waktu berakhir." }),
    )
    .await
    .expect_code("CONFLICT");
    app.gql(
        Some(&desk.reviewer),
        DECIDE,
        json!({ "id": objection_id, "u": true, "r": "Keputusan kedua atas keberatan yang sama." }),
    )
    .await
    .expect_code("CONFLICT");
    let (instagram, _) = scorecard(&app, "instagram").await;
    assert_eq!(
        instagram["objections"],
        json!({ "filed": 1, "pending": 0, "upheld": 0, "rejected": 1 })
    );
    assert_eq!(instagram["notices"]["overdueAgainstCommitment"], 1);
    assert_eq!(instagram["orders"]["statutoryBreaches"], 0);
}

async fn an_upheld_objection_withdraws_the_order_and_sanctions_are_recorded(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let desk = desk(&app).await;
    let regulator = regulator(&app).await;
    let mut orders = Vec::new();
    for handle in ["sanggah.a", "sanggah.b"] {
        let case_id =
            fixtures::open_case(&app, &format!("https://www.instagram.com/{handle}/")).await;
        fixtures::claim(&app, &desk.reviewer, &case_id).await;
        let recommendation_id = recommend(&app, &desk.reviewer, &[&case_id]).await;
        orders.push(issue(&app, &regulator, &recommendation_id).await);
    }
    // The platform objects to the first order; the regulator upholds: the order is withdrawn.
    let objected = app
        .gql(
            Some(&desk.instagram),
            OBJECT,
            json!({ "id": orders[0], "r": "Akun sudah dihapus sebelum perintah diterima." }),
        )
        .await;
    let objection_id = objected.ok()["objectToTakedownRequest"]["objections"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let queue = app
        .gql(
            Some(&regulator),
            "{ pendingObjections { id kind } }",
            json!({}),
        )
        .await;
    assert_eq!(
        queue.ok()["pendingObjections"],
        json!([{ "id": objection_id, "kind": "ORDER" }])
    );
    app.gql(
        Some(&desk.reviewer),
        DECIDE,
        json!({ "id": objection_id, "u": true, "r": "Reviewer tidak memutus keberatan atas perintah." }),
    )
    .await
    .expect_code("NOT_FOUND");
    let upheld = app
        .gql(
            Some(&regulator),
            DECIDE,
            json!({ "id": objection_id, "u": true, "r": "Akun terbukti sudah tidak dapat diakses." }),
        )
        .await;
    assert_eq!(upheld.ok()["decideObjection"]["status"], "UPHELD");
    app.advance_clock(TimeDelta::hours(30));
    let withdrawn = request(&app, &desk.instagram, &orders[0]).await;
    assert!(withdrawn["withdrawnAt"].is_string());
    assert_eq!(withdrawn["overdue"], false);
    app.gql(
        Some(&desk.instagram),
        RESPOND,
        json!({ "id": orders[0], "input": { "action": "REMOVED", "statementOfReasons": STATEMENT } }),
    )
    .await
    .expect_code("CONFLICT");

    // The second order is ignored past its deadline: a breach, and a sanction for it.
    let tiktok_case = fixtures::open_case(&app, "https://www.tiktok.com/@sanksi.lain").await;
    fixtures::claim(&app, &desk.reviewer, &tiktok_case).await;
    let tiktok_recommendation = recommend(&app, &desk.reviewer, &[&tiktok_case]).await;
    let tiktok_order = issue(&app, &regulator, &tiktok_recommendation).await;
    let sanction = |order: &str| {
        json!({ "input": { "platform": "instagram", "step": "WRITTEN_WARNING_1",
            "letterNumber": "SP-1/KOMDIGI/2026", "letterDate": "2026-01-01",
            "reasons": "Perintah pemutusan akses tidak dilaksanakan dalam 1x24 jam.",
            "orderIds": [order] } })
    };
    let refused = app
        .gql(Some(&regulator), SANCTION, sanction(&tiktok_order))
        .await;
    refused.expect_code("BAD_USER_INPUT");
    assert_eq!(refused.field(), "input.orderIds[0]");
    let recorded = app
        .gql(Some(&regulator), SANCTION, sanction(&orders[1]))
        .await;
    let recorded = &recorded.ok()["recordSanction"];
    assert_eq!(recorded["step"], "WRITTEN_WARNING_1");
    assert_eq!(recorded["orderIds"], json!([orders[1]]));
    let listed = app
        .gql(
            Some(&desk.reviewer),
            "{ sanctions(platform: \"instagram\") { letterNumber } }",
            json!({}),
        )
        .await;
    assert_eq!(
        listed.ok()["sanctions"],
        json!([{ "letterNumber": "SP-1/KOMDIGI/2026" }])
    );
    let (instagram, totals) = scorecard(&app, "instagram").await;
    assert_eq!(
        instagram["orders"],
        json!({ "issued": 2, "answered": 0, "answeredOnTime": 0, "pending": 1,
                "statutoryBreaches": 1, "withdrawn": 1 })
    );
    assert_eq!(instagram["sanctions"], 1);
    assert_eq!(
        instagram["objections"],
        json!({ "filed": 1, "pending": 0, "upheld": 1, "rejected": 0 })
    );
    assert_eq!(totals["sanctions"], 1);
}

async fn every_role_is_refused_the_legal_operations_it_may_not_do(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let desk = desk(&app).await;
    let regulator = regulator(&app).await;
    let admin = app.admin().await;
    let citizen = app.register("warga@mail.id").await;
    let (case_id, notice) = forwarded(
        &app,
        &desk.reviewer,
        "https://www.instagram.com/p/Peran1/",
        "NORMAL",
    )
    .await;
    let objected = app
        .gql(
            Some(&desk.instagram),
            OBJECT,
            json!({ "id": notice, "r": "Keberatan untuk pengujian peran." }),
        )
        .await;
    let objection_id = objected.ok()["objectToTakedownRequest"]["objections"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let recommendation_id = app
        .gql(
            Some(&desk.reviewer),
            RECOMMEND,
            json!({ "input": recommendation(&[&case_id], "NORMAL") }),
        )
        .await
        .ok()["recommendOrder"]["id"]
        .as_str()
        .unwrap()
        .to_owned();

    let operations: Vec<(&str, &str, Value)> = vec![
        (
            "recommendOrder",
            RECOMMEND,
            json!({ "input": recommendation(&[&case_id], "NORMAL") }),
        ),
        (
            "issueOrder",
            ISSUE,
            json!({ "id": recommendation_id, "input": order(None) }),
        ),
        (
            "declineRecommendation",
            DECLINE,
            json!({ "id": recommendation_id, "r": "Alasan penolakan rekomendasi." }),
        ),
        (
            "recordSanction",
            SANCTION,
            json!({ "input": { "platform": "instagram", "step": "FINE", "letterNumber": "X-1",
                "letterDate": "2026-01-01", "reasons": "Alasan sanksi untuk pengujian.", "orderIds": [notice] } }),
        ),
        (
            "objectToTakedownRequest",
            OBJECT,
            json!({ "id": notice, "r": "Keberatan untuk pengujian peran." }),
        ),
        (
            "decideObjection",
            DECIDE,
            json!({ "id": objection_id, "u": false, "r": "Keputusan untuk pengujian peran." }),
        ),
        (
            "setCategoryUrgentTrack",
            "mutation { setCategoryUrgentTrack(code: \"OTHER\", allowed: true) { code } }",
            json!({}),
        ),
        ("recommendations", "{ recommendations { id } }", json!({})),
        (
            "pendingObjections",
            "{ pendingObjections { id } }",
            json!({}),
        ),
        ("sanctions", "{ sanctions { id } }", json!({})),
    ];
    // Who may use each operation; everyone else is refused before anything happens.
    let allowed: HashMap<&str, &[&str]> = HashMap::from([
        ("recommendOrder", &["REVIEWER"][..]),
        ("issueOrder", &["REGULATOR"][..]),
        ("declineRecommendation", &["REGULATOR"][..]),
        ("recordSanction", &["REGULATOR"][..]),
        ("objectToTakedownRequest", &["PLATFORM"][..]),
        // A notice's objection: reviewers decide; the regulator may call it but finds nothing.
        ("decideObjection", &["REVIEWER", "REGULATOR"][..]),
        ("setCategoryUrgentTrack", &["ADMIN"][..]),
        ("recommendations", &["REVIEWER", "ADMIN", "REGULATOR"][..]),
        ("pendingObjections", &["REVIEWER", "REGULATOR"][..]),
        ("sanctions", &["REVIEWER", "ADMIN", "REGULATOR"][..]),
    ]);
    let callers: [(&str, Option<&str>); 6] = [
        ("ANONYMOUS", None),
        ("CITIZEN", Some(&citizen)),
        ("REVIEWER", Some(&desk.reviewer)),
        ("PLATFORM", Some(&desk.instagram)),
        ("ADMIN", Some(&admin)),
        ("REGULATOR", Some(&regulator)),
    ];
    for (name, query, variables) in &operations {
        for (role, token) in callers {
            if allowed[name].contains(&role) {
                continue;
            }
            let reply = app.gql(token, query, variables.clone()).await;
            let expected = if token.is_none() {
                "UNAUTHENTICATED"
            } else {
                "FORBIDDEN"
            };
            assert_eq!(reply.code(), expected, "{role} {name}: {}", reply.body);
        }
    }
    // The regulator, on a notice's objection, finds nothing.
    app.gql(
        Some(&regulator),
        DECIDE,
        json!({ "id": objection_id, "u": false, "r": "Keputusan untuk pengujian peran." }),
    )
    .await
    .expect_code("NOT_FOUND");
    // Nothing was changed by a refused call: still one pending recommendation, one objection.
    let state = app
        .gql(
            Some(&desk.reviewer),
            "{ recommendations { status } pendingObjections { id } sanctions { id } }",
            json!({}),
        )
        .await;
    assert_eq!(
        state.ok(),
        &json!({ "recommendations": [{ "status": "PENDING" }],
                 "pendingObjections": [{ "id": objection_id }], "sanctions": [] })
    );
}

async fn the_regulator_sees_no_reporter_data(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let desk = desk(&app).await;
    let regulator = regulator(&app).await;
    let seller = app
        .gql(
            None,
            "mutation($i: RegisterInput!) { register(input: $i) { token } }",
            json!({ "i": { "email": "pelapor.rahasia@batik.id", "password": PASSWORD, "displayName": "Nama Pelapor Rahasia",
                           "umkm": { "nib": "9120001234567", "businessName": "Usaha Rahasia Sejahtera" } } }),
        )
        .await;
    let seller = seller.ok()["register"]["token"]
        .as_str()
        .unwrap()
        .to_owned();
    let url = "https://www.instagram.com/p/Regulator1/?igsh=SHARERSECRETID";
    let mut signed = complaint(url);
    signed["province"] = json!("Kalimantan Timur");
    signed["city"] = json!("Samarinda Rahasia");
    signed["evidenceUrls"] = json!(["https://bukti.example/tangkapan-layar-1.png"]);
    let signed = submit(&app, Some(&seller), signed).await;
    let mut anonymous = complaint(url);
    anonymous["contactEmail"] = json!("kontak.rahasia@mail.id");
    anonymous["anonymous"] = json!(true);
    anonymous["evidenceUrls"] = json!(["https://bukti.example/tidak-dibagikan.png"]);
    let anonymous = submit(&app, None, anonymous).await;
    let case_id = case_id_of(&app, signed["complaint"]["id"].as_str().unwrap()).await;
    fixtures::claim(&app, &desk.reviewer, &case_id).await;
    let mut input = recommendation(&[&case_id], "NORMAL");
    input["sharedEvidence"] = json!(["https://bukti.example/tangkapan-layar-1.png"]);
    let recommended = app
        .gql(Some(&desk.reviewer), RECOMMEND, json!({ "input": input }))
        .await;
    let recommended = &recommended.ok()["recommendOrder"];
    assert_eq!(
        recommended["cases"][0]["sharedEvidence"],
        json!(["https://bukti.example/tangkapan-layar-1.png"])
    );
    let recommendation_id = recommended["id"].as_str().unwrap().to_owned();
    // Evidence of no recommended case cannot be shared.
    let claimed_elsewhere =
        fixtures::open_case(&app, "https://www.instagram.com/p/Regulator2/").await;
    fixtures::claim(&app, &desk.reviewer, &claimed_elsewhere).await;
    let mut foreign = recommendation(&[&claimed_elsewhere], "NORMAL");
    foreign["sharedEvidence"] = json!(["https://bukti.example/tidak-dibagikan.png"]);
    let refused = app
        .gql(Some(&desk.reviewer), RECOMMEND, json!({ "input": foreign }))
        .await;
    refused.expect_code("BAD_USER_INPUT");
    assert_eq!(refused.field(), "input.sharedEvidence[0]");
    let order_id = issue(&app, &regulator, &recommendation_id).await;

    // Every field the regulator can reach from its queue, as its client would read the schema.
    let introspection = app
        .gql(
            Some(&regulator),
            "{ __schema { types { name kind fields { name args { name defaultValue type { kind name ofType { kind name } } }
               type { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name } } } } } } } } }",
            json!({}),
        )
        .await;
    let types: HashMap<String, Value> = introspection.ok()["__schema"]["types"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| (t["name"].as_str().unwrap().to_owned(), t.clone()))
        .collect();
    let walk = selection(
        &types,
        "Recommendation",
        &mut vec!["Recommendation".to_owned()],
    );
    assert!(walk.contains("sharedEvidence"), "{walk}");
    let secrets = [
        "pelapor.rahasia",
        "Nama Pelapor Rahasia",
        "9120001234567",
        "Usaha Rahasia",
        "kontak.rahasia",
        "Kalimantan Timur",
        "Samarinda Rahasia",
        "SHARERSECRETID",
        "tidak-dibagikan",
        "reviewer@kemenkop",
        signed["trackingCode"].as_str().unwrap(),
        anonymous["trackingCode"].as_str().unwrap(),
        "pakaian bekas impor per bal",
    ];
    let queries = [
        format!("{{ recommendations {{ {walk} }} }}"),
        format!("query($r: ID!) {{ recommendation(id: $r) {{ {walk} }} }}"),
        "{ pendingObjections { id reasons platform { slug } } sanctions { id reasons } }".to_owned(),
        "query($c: ID!, $t: ID!) { case(id: $c) { id } a: node(id: $c) { id } b: node(id: $t) { id } me { email role } }".to_owned(),
    ];
    for query in &queries {
        let reply = app
            .gql(
                Some(&regulator),
                query,
                json!({ "r": recommendation_id, "c": case_id, "t": order_id }),
            )
            .await;
        assert!(
            reply.body.get("errors").is_none(),
            "{query}\n{}",
            reply.body
        );
        let text = reply.body.to_string();
        for secret in secrets {
            assert!(
                !text.contains(secret),
                "{secret} reaches the regulator: {text}"
            );
        }
    }
    // The case itself, its complaints, the requests and the audit trail stay closed to it.
    let closed = app
        .gql(
            Some(&regulator),
            "query($c: ID!) { case(id: $c) { id } node(id: $c) { id } }",
            json!({ "c": case_id }),
        )
        .await;
    assert_eq!(closed.ok(), &json!({ "case": null, "node": null }));
    for query in [
        "{ takedownRequests { edges { node { id } } } }",
        "{ reviewQueue { edges { node { id } } } }",
        "{ myComplaints { edges { node { id } } } }",
    ] {
        let reply = app.gql(Some(&regulator), query, json!({})).await;
        assert_eq!(reply.code(), "FORBIDDEN", "{query}: {}", reply.body);
    }
}
