//! The public transparency report: hand-computed numbers from known fixtures, the same through
//! GraphQL, CSV and the HTML page, and no personal data anywhere.

use serde_json::{Value, json};

use crate::fixtures::{self, claim_and_forward};
use crate::helpers::{Backend, TestApp};
use crate::intake::{complaint, submit};
use crate::review::{FORWARD, MERGE, act};
use laporlapak::db::models::report::{Period, day_of, start_of_day};
use laporlapak::service::transparency::{Source, compute_from, differences};

const REPORT: &str = "query($from: DateTime, $to: DateTime) { transparencyReport(from: $from, to: $to) {
    from to
    platforms { platform { slug } requestsIssued acknowledged answered answeredOnTime actedOnTime actedLate pending overdue
                removed restricted geoBlocked declined needsMoreInfo medianHoursToAnswer p90HoursToAnswer complianceRate }
    categories { category { code } complaints casesOpened rejected forwarded resolved }
    totals { complaints casesOpened requestsIssued answered overdue medianHoursToAnswer p90HoursToAnswer complianceRate } } }";
const RESPOND: &str = "mutation($id: ID!, $a: TakedownAction!) { respondToTakedownRequest(id: $id, input: { action: $a, statementOfReasons: \"Ditinjau sesuai pedoman komunitas dan hukum.\" }) { id } }";

struct Fixture {
    app: TestApp,
    t0: chrono::NaiveDateTime,
    secrets: Vec<String>,
}

/// Instagram: four requests issued at T0 = three days ago —
///   R1 NORMAL, acknowledged, REMOVED after 2 h (on time);
///   R2 NORMAL, DECLINED after 10 h (on time);
///   R3 URGENT, RESTRICTED after 30 h (late: due after 4 h);
///   R4 NORMAL, unanswered (overdue since T0 + 24 h).
/// TikTok: one request issued now, unanswered, not yet due.
/// One more complaint (category OTHER) whose case was rejected.
///
/// The server's clock stands still until the fixture moves it, so the durations are exact.
async fn fixture(backend: Backend) -> Fixture {
    let app = TestApp::spawn(backend).await;
    let reviewer = fixtures::reviewer(&app).await;
    let instagram = fixtures::representative(&app, "instagram").await;
    let citizen = app.register("pelapor.rahasia@mail.id").await;
    let mut secrets = vec![
        "pelapor.rahasia".to_owned(),
        "pakaian bekas impor per bal".to_owned(),
    ];
    let t0 = app.now();
    let mut requests = Vec::new();
    for (index, (url, urgency)) in [
        ("https://www.instagram.com/p/T1/", "NORMAL"),
        ("https://www.instagram.com/p/T2/", "NORMAL"),
        ("https://www.instagram.com/p/T3/", "URGENT"),
        ("https://www.instagram.com/p/T4/", "NORMAL"),
    ]
    .into_iter()
    .enumerate()
    {
        let token = (index == 0).then_some(citizen.as_str());
        let outcome = submit(&app, token, complaint(url)).await;
        secrets.push(outcome["trackingCode"].as_str().unwrap().to_owned());
        let complaint_id = outcome["complaint"]["id"].as_str().unwrap();
        let (_, request) = claim_and_forward(&app, &reviewer, complaint_id, urgency).await;
        requests.push(request);
    }
    app.gql(
        Some(&instagram),
        "mutation($id: ID!) { acknowledgeTakedownRequest(id: $id) { id } }",
        json!({ "id": requests[0] }),
    )
    .await
    .ok();
    for (request, action, hours_since_last) in [
        (&requests[0], "REMOVED", 2),
        (&requests[1], "DECLINED", 8),
        (&requests[2], "RESTRICTED", 20),
    ] {
        app.advance_clock(chrono::TimeDelta::hours(hours_since_last));
        app.gql(
            Some(&instagram),
            RESPOND,
            json!({ "id": request, "a": action }),
        )
        .await
        .ok();
    }
    app.advance_clock(chrono::TimeDelta::hours(72 - 30));
    let outcome = submit(
        &app,
        None,
        complaint("https://www.tiktok.com/@toko/video/5"),
    )
    .await;
    secrets.push(outcome["trackingCode"].as_str().unwrap().to_owned());
    let complaint_id = outcome["complaint"]["id"].as_str().unwrap();
    claim_and_forward(&app, &reviewer, complaint_id, "NORMAL").await;
    let mut other = complaint("https://shopee.co.id/product/9/9");
    other["category"] = json!("OTHER");
    let case_id = fixtures::report(&app, None, other).await.case_id;
    fixtures::claim_and_reject(
        &app,
        &reviewer,
        &case_id,
        "Bukan pelanggaran setelah diperiksa.",
    )
    .await;

    Fixture { app, t0, secrets }
}

fn platform<'a>(report: &'a Value, slug: &str) -> &'a Value {
    report["platforms"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["platform"]["slug"] == slug)
        .unwrap()
}

fn category<'a>(report: &'a Value, code: &str) -> &'a Value {
    report["categories"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["category"]["code"] == code)
        .unwrap()
}

crate::on_both_backends!(
    known_fixtures_give_hand_computed_numbers,
    the_csv_and_the_page_carry_the_same_numbers_and_nothing_personal,
    the_counters_equal_a_full_recount_after_a_mix_of_writes,
);

async fn known_fixtures_give_hand_computed_numbers(backend: Backend) {
    let Fixture { app, t0, secrets } = fixture(backend).await;
    let reply = app.gql(None, REPORT, json!({})).await;
    let report = &reply.ok()["transparencyReport"];
    assert_eq!(
        platform(report, "instagram"),
        &json!({
            "platform": { "slug": "instagram" }, "requestsIssued": 4, "acknowledged": 1, "answered": 3,
            "answeredOnTime": 2, "actedOnTime": 1, "actedLate": 1, "pending": 1, "overdue": 1,
            "removed": 1, "restricted": 1, "geoBlocked": 0, "declined": 1, "needsMoreInfo": 0,
            // Answer times 2 h, 10 h, 30 h: median 10; p90 at rank 1.8 → 10 + 0.8 × 20 = 26.
            "medianHoursToAnswer": 10.0, "p90HoursToAnswer": 26.0, "complianceRate": 0.25
        })
    );
    let tiktok = platform(report, "tiktok");
    assert_eq!(tiktok["requestsIssued"], 1);
    assert_eq!(tiktok["pending"], 1);
    assert_eq!(tiktok["overdue"], 0);
    assert!(tiktok["medianHoursToAnswer"].is_null());
    assert_eq!(tiktok["complianceRate"], 0.0);
    let shopee = platform(report, "shopee");
    assert_eq!(shopee["requestsIssued"], 0);
    assert!(shopee["complianceRate"].is_null());
    assert_eq!(
        report["totals"],
        json!({ "complaints": 6, "casesOpened": 6, "requestsIssued": 5, "answered": 3, "overdue": 1,
                "medianHoursToAnswer": 10.0, "p90HoursToAnswer": 26.0, "complianceRate": 0.2 })
    );
    assert_eq!(
        category(report, "USED_CLOTHING_IMPORT"),
        &json!({ "category": { "code": "USED_CLOTHING_IMPORT" }, "complaints": 5, "casesOpened": 5, "rejected": 0, "forwarded": 5, "resolved": 2 })
    );
    assert_eq!(
        category(report, "OTHER"),
        &json!({ "category": { "code": "OTHER" }, "complaints": 1, "casesOpened": 1, "rejected": 1, "forwarded": 0, "resolved": 0 })
    );
    let text = reply.body.to_string();
    for secret in &secrets {
        assert!(!text.contains(secret.as_str()), "{secret} in the report");
    }

    // A period after T0 leaves the Instagram requests out.
    let from = (t0 + chrono::Duration::hours(1)).and_utc().to_rfc3339();
    let later = app.gql(None, REPORT, json!({ "from": from })).await;
    let later = &later.ok()["transparencyReport"];
    assert_eq!(platform(later, "instagram")["requestsIssued"], 0);
    assert_eq!(platform(later, "tiktok")["requestsIssued"], 1);
    // A reversed period is refused.
    let to = t0.and_utc().to_rfc3339();
    let reply = app
        .gql(None, REPORT, json!({ "from": from, "to": to }))
        .await;
    reply.expect_code("BAD_USER_INPUT");
    assert_eq!(reply.field(), "to");
}

/// Every opened tag is closed in order (void elements aside): a well-formedness check.
fn assert_balanced(html: &str) {
    const VOID: [&str; 5] = ["meta", "br", "img", "input", "link"];
    let mut stack: Vec<String> = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find('<') {
        rest = &rest[start + 1..];
        let end = rest.find('>').expect("unterminated tag");
        let tag = &rest[..end];
        rest = &rest[end + 1..];
        if tag.starts_with('!') {
            continue;
        }
        let self_closing = tag.ends_with('/');
        let name: String = tag
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect();
        if tag.starts_with('/') {
            assert_eq!(
                stack.pop().as_deref(),
                Some(name.as_str()),
                "unbalanced </{name}>"
            );
        } else if !self_closing && !VOID.contains(&name.as_str()) {
            stack.push(name);
        }
    }
    assert!(stack.is_empty(), "unclosed: {stack:?}");
}

async fn the_csv_and_the_page_carry_the_same_numbers_and_nothing_personal(backend: Backend) {
    let Fixture { app, secrets, .. } = fixture(backend).await;
    let (status, csv) = app.get("/transparency.csv").await;
    assert_eq!(status, 200);
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines[0], "section,key,metric,value");
    for row in [
        "platform,instagram,requests_issued,4",
        "platform,instagram,overdue,1",
        "platform,instagram,median_hours_to_answer,10.00",
        "platform,instagram,p90_hours_to_answer,26.00",
        "platform,instagram,compliance_rate,0.25",
        "platform,tiktok,pending,1",
        "category,OTHER,rejected,1",
        "total,all,requests_issued,5",
    ] {
        assert!(lines.contains(&row), "{row} missing from\n{csv}");
    }
    assert!(lines.iter().skip(1).all(|l| l.split(',').count() == 4));

    let (status, page) = app.get("/transparency").await;
    assert_eq!(status, 200);
    assert!(page.starts_with("<!DOCTYPE html>"));
    assert!(page.contains("<html lang=\"id\">"));
    assert!(page.contains("name=\"viewport\""));
    assert!(!page.contains("<script"), "no JavaScript");
    assert!(
        !page.contains("http://") && !page.contains("https://"),
        "nothing from another host"
    );
    let active_platforms = 9;
    assert_eq!(
        page.matches("<svg class=\"bar\"").count(),
        active_platforms,
        "one chart per platform"
    );
    assert!(page.contains("Lewat batas waktu"));
    assert_balanced(&page);
    let (_, english) = app.get("/transparency?lang=en").await;
    assert!(english.contains("<html lang=\"en\">"));
    assert!(english.contains("Past the deadline"));
    assert_balanced(&english);
    for text in [&csv, &page, &english] {
        for secret in &secrets {
            assert!(!text.contains(secret.as_str()), "{secret} leaked");
        }
    }
    let (status, _) = app.get("/transparency.csv?from=yesterday").await;
    assert_eq!(status, 400);
    // Query parameters are escaped, never reflected raw.
    let (_, page) = app
        .get("/transparency?from=2020-01-01&x=%22%3E%3Cscript%3E")
        .await;
    assert!(!page.contains("<script>"));
}

const WITHDRAW: &str = "mutation($id: ID!) { withdrawComplaint(id: $id) { id } }";
const RESPOND_MANY: &str = "mutation($inputs: [BulkRespondInput!]!) { respondToTakedownRequests(inputs: $inputs) { errors { index } } }";
const ACKNOWLEDGE_MANY: &str =
    "mutation($ids: [ID!]!) { acknowledgeTakedownRequests(ids: $ids) { errors { index } } }";
const REASONS: &str = "Ditinjau sesuai pedoman komunitas dan hukum.";

/// The report from the per-day counters and from a full recount of the rows are the same, for
/// `period`; returns the counters' report for further checks.
async fn assert_counters_equal_recount(
    app: &TestApp,
    period: Period,
) -> laporlapak::service::transparency::Report {
    let counters = compute_from(&app.services, period, Source::Counters)
        .await
        .unwrap();
    let recount = compute_from(&app.services, period, Source::FullRecount)
        .await
        .unwrap();
    let found = differences(&counters, &recount);
    assert!(found.is_empty(), "{period:?}: {found:#?}");
    counters
}

/// Submits an anonymous complaint; returns (complaint id, case id).
async fn report_listing(app: &TestApp, url: &str, category: &str) -> (String, String) {
    let mut input = complaint(url);
    input["category"] = json!(category);
    let reported = fixtures::report(app, None, input).await;
    (reported.complaint_id, reported.case_id)
}

/// Every kind of write that moves a counted figure, through GraphQL, over three days and across
/// midnights: intake, withdrawal, rejection, merges, forwarding (normal and urgent, twice for one
/// case), acknowledgements (one and in bulk), answers on time and late (one and in bulk),
/// NEEDS_MORE_INFO and a second request, a re-listing after a removal. Then the counters must give
/// the same report as a full recount for all time, for whole days, for ragged periods and for a
/// period inside one day.
async fn the_counters_equal_a_full_recount_after_a_mix_of_writes(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let reviewer = fixtures::reviewer(&app).await;
    let instagram = fixtures::representative(&app, "instagram").await;
    let shopee = fixtures::representative(&app, "shopee").await;
    let citizen = app.register("pelapor@mail.id").await;
    let t0 = app.now();
    let forward = |case: String, urgency: &'static str| {
        let app = &app;
        let reviewer = reviewer.clone();
        async move {
            let reply = act(
                app,
                &reviewer,
                FORWARD,
                json!({ "id": case, "input": { "urgency": urgency } }),
            )
            .await;
            reply.ok()["forwardCase"]["id"].as_str().unwrap().to_owned()
        }
    };
    let respond = |token: String, request: String, action: &'static str| {
        let app = &app;
        async move {
            app.gql(Some(&token), RESPOND, json!({ "id": request, "a": action }))
                .await
                .ok();
        }
    };

    // Day 0: eight Instagram listings, two Shopee ones, one of another category; a citizen's
    // second report of the first listing, which is then withdrawn.
    let mut instagram_cases = Vec::new();
    for n in 0..8 {
        let (_, case) = report_listing(
            &app,
            &format!("https://www.instagram.com/p/MIX{n}/"),
            "USED_CLOTHING_IMPORT",
        )
        .await;
        instagram_cases.push(case);
    }
    let own = submit(
        &app,
        Some(&citizen),
        complaint("https://www.instagram.com/p/MIX0/"),
    )
    .await;
    let (_, removed_case) = report_listing(
        &app,
        "https://shopee.co.id/product/777000/2001",
        "USED_CLOTHING_IMPORT",
    )
    .await;
    let (_, other_case) = report_listing(&app, "https://shopee.co.id/product/9/9", "OTHER").await;
    app.gql(
        Some(&citizen),
        WITHDRAW,
        json!({ "id": own["complaint"]["id"] }),
    )
    .await
    .ok();

    let mut requests = Vec::new();
    for (index, case) in instagram_cases.iter().take(6).enumerate() {
        fixtures::claim(&app, &reviewer, case).await;
        requests.push(
            forward(
                case.clone(),
                if index % 3 == 0 { "URGENT" } else { "NORMAL" },
            )
            .await,
        );
    }
    fixtures::claim(&app, &reviewer, &removed_case).await;
    let shopee_request = forward(removed_case.clone(), "NORMAL").await;
    fixtures::claim_and_reject(
        &app,
        &reviewer,
        &other_case,
        "Bukan pelanggaran setelah diperiksa.",
    )
    .await;
    // Two cases merged into a third.
    fixtures::claim(&app, &reviewer, &instagram_cases[7]).await;
    act(
        &app,
        &reviewer,
        MERGE,
        json!({ "t": instagram_cases[7], "s": [instagram_cases[6]] }),
    )
    .await
    .ok();

    // Day 0, three hours on: acknowledgements, one alone and two in bulk; answers on time.
    app.advance_clock(chrono::TimeDelta::hours(3));
    app.gql(
        Some(&instagram),
        "mutation($id: ID!) { acknowledgeTakedownRequest(id: $id) { id } }",
        json!({ "id": requests[1] }),
    )
    .await
    .ok();
    app.gql(
        Some(&instagram),
        ACKNOWLEDGE_MANY,
        json!({ "ids": [requests[2], requests[4]] }),
    )
    .await
    .ok();
    respond(instagram.clone(), requests[0].clone(), "REMOVED").await;
    respond(shopee.clone(), shopee_request.clone(), "REMOVED").await;
    let reply = app
        .gql(
            Some(&instagram),
            RESPOND_MANY,
            json!({ "inputs": [
                { "id": requests[1], "answer": { "action": "GEO_BLOCKED", "statementOfReasons": REASONS } },
                { "id": requests[2], "answer": { "action": "NEEDS_MORE_INFO", "statementOfReasons": REASONS } },
            ] }),
        )
        .await;
    assert_eq!(reply.ok()["respondToTakedownRequests"]["errors"], json!([]));

    // Day 1: the case sent back is forwarded again (its second request); the urgent request
    // answered late, in bulk with a declined one; a re-listing of the removed Shopee listing.
    app.advance_clock(chrono::TimeDelta::hours(26));
    // (NEEDS_MORE_INFO put it back in review with its reviewer.)
    requests.push(forward(instagram_cases[2].clone(), "NORMAL").await);
    let reply = app
        .gql(
            Some(&instagram),
            RESPOND_MANY,
            json!({ "inputs": [
                { "id": requests[3], "answer": { "action": "RESTRICTED", "statementOfReasons": REASONS } },
                { "id": requests[4], "answer": { "action": "DECLINED", "statementOfReasons": REASONS } },
            ] }),
        )
        .await;
    assert_eq!(reply.ok()["respondToTakedownRequests"]["errors"], json!([]));
    let (_, relisting) = report_listing(
        &app,
        "https://shopee.co.id/Kemeja-i.777000.2002",
        "USED_CLOTHING_IMPORT",
    )
    .await;

    // Day 2: the second request answered; one more complaint, forwarded and not yet due;
    // requests[5] stays unanswered and overdue.
    app.advance_clock(chrono::TimeDelta::hours(24));
    respond(instagram.clone(), requests[6].clone(), "REMOVED").await;
    let (_, last) = report_listing(
        &app,
        "https://www.instagram.com/p/MIX9/",
        "USED_CLOTHING_IMPORT",
    )
    .await;
    fixtures::claim(&app, &reviewer, &last).await;
    forward(last, "URGENT").await;

    let all = assert_counters_equal_recount(&app, Period::default()).await;
    let instagram_counts = &all
        .platforms
        .iter()
        .find(|p| p.platform.platform.slug == "instagram")
        .unwrap()
        .counts;
    assert_eq!(instagram_counts.issued, 8, "{instagram_counts:?}");
    assert_eq!(instagram_counts.answered, 6, "{instagram_counts:?}");
    assert_eq!(instagram_counts.pending, 2, "{instagram_counts:?}");
    assert_eq!(instagram_counts.overdue, 1, "{instagram_counts:?}");
    assert_eq!(instagram_counts.acknowledged, 3, "{instagram_counts:?}");
    assert_eq!(instagram_counts.acted_late, 1, "{instagram_counts:?}");
    let shopee_counts = &all
        .platforms
        .iter()
        .find(|p| p.platform.platform.slug == "shopee")
        .unwrap()
        .counts;
    assert_eq!(
        shopee_counts.relistings, 1,
        "{relisting}: {shopee_counts:?}"
    );
    assert_eq!(all.total_complaints, 13);
    assert!(all.total_median_hours.is_some());
    let used = all
        .categories
        .iter()
        .find(|c| c.category.code == "USED_CLOTHING_IMPORT")
        .unwrap();
    assert_eq!(used.counts.forwarded, 8, "{:?}", used.counts);

    let midnight = start_of_day(day_of(t0));
    let hours = |h: i64| Some(t0 + chrono::TimeDelta::hours(h));
    for period in [
        // Whole days.
        Period {
            from: Some(midnight),
            to: Some(midnight + chrono::TimeDelta::days(2)),
        },
        Period {
            from: Some(midnight + chrono::TimeDelta::days(1)),
            to: None,
        },
        Period {
            from: None,
            to: Some(midnight + chrono::TimeDelta::days(1)),
        },
        // Ragged at either end, inside a day, across one midnight.
        Period {
            from: hours(1),
            to: hours(40),
        },
        Period {
            from: Some(t0 - chrono::TimeDelta::minutes(1)),
            to: Some(t0 + chrono::TimeDelta::minutes(1)),
        },
        Period {
            from: hours(2),
            to: None,
        },
        Period {
            from: None,
            to: hours(30),
        },
        Period {
            from: Some(midnight + chrono::TimeDelta::hours(23)),
            to: Some(midnight + chrono::TimeDelta::hours(25)),
        },
    ] {
        assert_counters_equal_recount(&app, period).await;
    }

    // What the API serves is the counters' report.
    let reply = app.gql(None, REPORT, json!({})).await;
    let served = &reply.ok()["transparencyReport"];
    assert_eq!(platform(served, "instagram")["requestsIssued"], 8);
    assert_eq!(platform(served, "instagram")["overdue"], 1);
    assert_eq!(platform(served, "shopee")["requestsIssued"], 1);
    assert_eq!(category(served, "OTHER")["rejected"], 1);
}
