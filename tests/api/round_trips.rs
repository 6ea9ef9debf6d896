//! Round trips to the database on the hot paths, and the case counters a submission maintains.
//!
//! Statements are counted by the server itself, through diesel's instrumentation hook on every
//! pooled connection, and reported per request in the `Server-Timing` header of a development
//! server. Counts do not depend on how busy the machine is, so they are asserted exactly here;
//! speed is the benchmark's business (`.ci/bench`).

use serde_json::{Value, json};

use laporlapak::db::models::case::Case;
use laporlapak::domain::case::{PriorityInputs, priority};
use laporlapak::error::ServiceError;
use laporlapak::graphql::id::{self, NodeType};

use crate::fixtures;
use crate::helpers::{Backend, Reply, TestApp};
use crate::on_both_backends;
use crate::review::{CLAIM, MERGE, act};

on_both_backends!(
    hot_paths_send_few_statements,
    a_submission_costs_the_same_on_a_crowded_case,
    counters_equal_a_recount_after_any_mix,
);

/// The benchmark's documents (`.ci/bench/*.lua`), so the counts here are the benchmark's.
const QUEUE: &str = "query Queue { reviewQueue(first: 50) { pageCount pageInfo { hasNextPage endCursor } nodes { id status priority reportCount umkmReportCount flags target targetKind platform { slug name } category { code label severity } createdAt updatedAt } } }";
const TRACK: &str = "query Track($code: String!) { complaintByTrackingCode(code: $code) { trackingCode status category { code label } platform { slug name } submittedAt updatedAt timeline { status at note } messages { from body at } } }";
const SUBMIT: &str = "mutation Submit($i: SubmitComplaintInput!) { submitComplaint(input: $i) { trackingCode joinedExistingCase complaint { id status } } }";
const WITHDRAW: &str = "mutation($id: ID!) { withdrawComplaint(id: $id) { id } }";

/// Statements and pool checkouts the request cost, from its `Server-Timing` header
/// (`db;dur=…;desc="N statements, M checkouts"`).
pub(crate) fn database_work(reply: &Reply) -> (u32, u32) {
    let timing = reply.header("server-timing");
    let desc = timing
        .split("desc=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap_or_else(|| panic!("no database work reported: {timing:?}"));
    let numbers: Vec<u32> = desc
        .split(|c: char| !c.is_ascii_digit())
        .filter_map(|n| n.parse().ok())
        .collect();
    match numbers.as_slice() {
        [statements, checkouts] => (*statements, *checkouts),
        _ => panic!("unexpected Server-Timing: {timing:?}"),
    }
}

fn submission(url: &str, description: &str) -> Value {
    json!({
        "category": "USED_CLOTHING_IMPORT",
        "listingUrl": url,
        "description": description,
        "province": "Jawa Barat",
        "anonymous": true,
    })
}

const PLAIN: &str = "Akun ini menjual pakaian bekas dari luar negeri dengan harga sangat murah.";

async fn hot_paths_send_few_statements(backend: Backend) {
    // Rate limits on, as in production.
    let app =
        TestApp::spawn_configured(backend, laporlapak::config::Environment::Development, true)
            .await;
    let reviewer = fixtures::reviewer(&app).await;

    let first = app
        .gql(
            None,
            SUBMIT,
            json!({ "i": submission("https://www.instagram.com/p/ROUNDTRIP1/", PLAIN) }),
        )
        .await;
    let code = first.ok()["submitComplaint"]["trackingCode"]
        .as_str()
        .unwrap()
        .to_owned();
    // An anonymous report opening a case: begin, look for the open case, look for a removal it
    // re-lists (issue 17: one read, only when a case opens), the case, the complaint, the audit
    // event, commit. An Instagram post's URL names no account and this description no phone
    // number, so there is no seller identifier to write. (Before issue 17: 6.)
    assert_eq!(database_work(&first), (7, 1), "submit, new case");

    let joined = app
        .gql(
            None,
            SUBMIT,
            json!({ "i": submission("https://instagram.com/p/ROUNDTRIP1", PLAIN) }),
        )
        .await;
    assert_eq!(joined.ok()["submitComplaint"]["joinedExistingCase"], true);
    // Joining: begin, lock the open case (one statement), the complaint, the case's new
    // counters, the audit event, commit. No re-listing look-up: that is decided when a case opens.
    assert_eq!(database_work(&joined), (6, 1), "submit, joining a case");

    // Seller identifiers (issue 17): a Shopee product names its shop, and this description a
    // WhatsApp number; they are written in one batched statement, whatever their number, that
    // skips those the case already has. Opening: 7 + 1; joining: 6 + 1.
    let seller = "Jual bal pakaian bekas impor, order WA 0812-3456-7890 atau wa.me/6281398765432.";
    let with_identifiers = app
        .gql(
            None,
            SUBMIT,
            json!({ "i": submission("https://shopee.co.id/product/777/888", seller) }),
        )
        .await;
    with_identifiers.ok();
    assert_eq!(
        database_work(&with_identifiers),
        (8, 1),
        "submit with seller identifiers, new case"
    );
    let joined_with_identifiers = app
        .gql(
            None,
            SUBMIT,
            json!({ "i": submission("https://shopee.co.id/product/777/888", seller) }),
        )
        .await;
    joined_with_identifiers.ok();
    assert_eq!(
        database_work(&joined_with_identifiers),
        (7, 1),
        "submit with seller identifiers, joining a case"
    );

    // With evidence and an idempotency key: one statement more for each (7 + 2; 8 before issue 17).
    let mut full = submission("https://www.instagram.com/p/ROUNDTRIP2/", PLAIN);
    full["evidenceUrls"] = json!(["https://example.org/a.png", "https://example.org/b.png"]);
    full["idempotencyKey"] = json!("0f6d2c1e-8b7a-4d3c-9e2f-1a5b6c7d8e9f");
    let keyed = app.gql(None, SUBMIT, json!({ "i": full })).await;
    keyed.ok();
    assert_eq!(
        database_work(&keyed),
        (9, 1),
        "submit with evidence and a key"
    );

    let lookup = app.gql(None, TRACK, json!({ "code": code })).await;
    assert_eq!(
        lookup.ok()["complaintByTrackingCode"]["status"],
        "OPEN",
        "{}",
        lookup.body
    );
    // The complaint with its case's status, its timeline, its messages; no rate-limit write.
    assert_eq!(database_work(&lookup), (3, 1), "tracking-code look-up");

    let unknown = app
        .gql(None, TRACK, json!({ "code": "LL-0000-0000" }))
        .await;
    assert!(unknown.ok()["complaintByTrackingCode"].is_null());
    assert_eq!(database_work(&unknown), (1, 1), "unknown tracking code");

    let queue = app.gql(Some(&reviewer), QUEUE, json!({})).await;
    assert_eq!(queue.ok()["reviewQueue"]["pageCount"], 3, "{}", queue.body);
    // The reviewer's account, then the page; reference data comes from memory.
    assert_eq!(database_work(&queue), (2, 2), "review queue");

    let categories = app
        .gql(
            None,
            "{ categories { code } platforms { slug } }",
            json!({}),
        )
        .await;
    categories.ok();
    assert!(
        categories.header("server-timing").is_empty(),
        "reference data is served from memory: {:?}",
        categories.header("server-timing")
    );
}

async fn a_submission_costs_the_same_on_a_crowded_case(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let citizen = app.register("warga@contoh.id").await;
    let url = "https://shopee.co.id/product/123/456";
    let mut costs = Vec::new();
    for round in 0..40 {
        let mut input = submission(url, PLAIN);
        let anonymous = round % 3 == 0;
        input["anonymous"] = json!(anonymous);
        let token = (round % 2 == 0).then_some(citizen.as_str());
        let reply = app.gql(token, SUBMIT, json!({ "i": input })).await;
        reply.ok();
        costs.push(((token.is_some(), anonymous), database_work(&reply)));
    }
    // After the first (which opened the case), every submission by the same kind of filer costs
    // the same number of statements whether the case has 2 complaints or 40: a signed-in citizen
    // costs one more (their account) and, reporting under their name, one more again (their
    // earlier reports of the case, which decide whether they are a new reporter). Since issue 17
    // each costs one more: the shop in the Shopee URL is a seller identifier, offered to the case
    // in one statement that writes nothing when the case has it already. Since issue 31 a
    // signed-in citizen costs one more (their mail setting) and since issue 33, reporting under
    // their name, one more again (whether they report for an organisation).
    for (kind, expected) in [
        ((false, false), (7, 1)),
        ((false, true), (7, 1)),
        ((true, true), (9, 2)),
        ((true, false), (11, 2)),
    ] {
        let of_kind: Vec<(u32, u32)> = costs[1..]
            .iter()
            .filter(|(k, _)| *k == kind)
            .map(|(_, cost)| *cost)
            .collect();
        assert!(
            of_kind.len() > 3 && of_kind.iter().all(|cost| *cost == expected),
            "signed in, anonymous: {kind:?}: {of_kind:?} (all: {costs:?})"
        );
    }
    // And the case holds its shop once, not once per complaint.
    let rows: i64 = app
        .services
        .db
        .run(|conn| {
            use diesel::prelude::*;
            use laporlapak::db::schema::seller_identifiers;
            Ok::<_, ServiceError>(seller_identifiers::table.count().get_result(conn)?)
        })
        .await
        .unwrap();
    assert_eq!(
        rows, 1,
        "one identifier row for 40 complaints about one shop"
    );
}

/// A small deterministic generator (a linear congruential one): the mix is random but the same on
/// every run, so a failure can be replayed.
struct Mix(u64);

impl Mix {
    fn below(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        usize::try_from(self.0 >> 33).unwrap() % n
    }
}

async fn counters_equal_a_recount_after_any_mix(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let reviewer = fixtures::reviewer(&app).await;
    let mut citizens = Vec::new();
    for n in 0..4 {
        citizens.push(app.register(&format!("warga{n}@contoh.id")).await);
    }
    for n in 0..2 {
        let reply = app
            .gql(
                None,
                "mutation($i: RegisterInput!) { register(input: $i) { token } }",
                json!({ "i": { "email": format!("umkm{n}@batik.id"), "password": crate::helpers::PASSWORD,
                               "displayName": "Ani", "umkm": { "nib": format!("912000123456{n}"), "businessName": "Batik" } } }),
            )
            .await;
        citizens.push(reply.ok()["register"]["token"].as_str().unwrap().to_owned());
    }
    let targets = [
        "https://www.instagram.com/p/MIXA/",
        "https://www.instagram.com/p/MIXB/",
        "https://www.instagram.com/p/MIXC/",
        "https://www.instagram.com/p/MIXD/",
    ];
    let descriptions = [
        PLAIN,
        "Jual baju thrifting impor, 1 bal isi 100 pcs, stok baru datang dari Korea.",
        "Pakaian bekas impor, hidden gem, dijual per bal dengan harga grosir murah.",
    ];
    let mut mix = Mix(20_261_130);
    // (complaint id, token of its reporter) of complaints that may be withdrawn.
    let mut withdrawable: Vec<(String, String)> = Vec::new();
    for step in 0..60 {
        match mix.below(10) {
            0..=6 => {
                let mut input = submission(
                    targets[mix.below(targets.len())],
                    descriptions[mix.below(descriptions.len())],
                );
                input["anonymous"] = json!(mix.below(4) == 0);
                let who = mix.below(citizens.len() + 2);
                let token = citizens.get(who).cloned();
                let reply = app
                    .gql(token.as_deref(), SUBMIT, json!({ "i": input }))
                    .await;
                let id = reply.ok()["submitComplaint"]["complaint"]["id"]
                    .as_str()
                    .unwrap()
                    .to_owned();
                if let Some(token) = token {
                    withdrawable.push((id, token));
                }
            }
            7 | 8 if !withdrawable.is_empty() => {
                let (id, token) = withdrawable.swap_remove(mix.below(withdrawable.len()));
                let reply = app.gql(Some(&token), WITHDRAW, json!({ "id": id })).await;
                // A complaint of a case closed by a merge or by its last withdrawal is final.
                assert!(
                    reply.code() == "" || reply.code() == "CONFLICT",
                    "step {step}: {}",
                    reply.body
                );
            }
            _ => {
                let open = open_cases(&app).await;
                if open.len() >= 2 {
                    let target = &open[mix.below(open.len())];
                    let source = open.iter().find(|c| *c != target).unwrap();
                    act(&app, &reviewer, CLAIM, json!({ "id": target })).await;
                    let reply = app
                        .gql(
                            Some(&reviewer),
                            MERGE,
                            json!({ "t": target, "s": [source] }),
                        )
                        .await;
                    reply.ok();
                }
            }
        }
    }
    let checked = assert_counters_match_recount(&app).await;
    assert!(checked >= 4, "the mix left {checked} cases");
}

/// Global IDs of the cases not yet final, newest first.
async fn open_cases(app: &TestApp) -> Vec<String> {
    app.services
        .db
        .run(|conn| {
            use diesel::prelude::*;
            use laporlapak::db::schema::cases;
            let ids: Vec<i64> = cases::table
                .filter(cases::status.eq_any(["OPEN", "IN_REVIEW"]))
                .order(cases::id.desc())
                .select(cases::id)
                .load(conn)?;
            Ok::<_, ServiceError>(ids)
        })
        .await
        .unwrap()
        .into_iter()
        .map(|id| id::encode(NodeType::Case, id).0)
        .collect()
}

/// Compares every case's stored counters, flags and priority with a recount from its complaints;
/// returns how many cases it checked.
async fn assert_counters_match_recount(app: &TestApp) -> usize {
    app.services
        .db
        .run(|conn| {
            use diesel::prelude::*;
            use laporlapak::db::schema::{cases, categories};
            let ids: Vec<i64> = cases::table.select(cases::id).load(conn)?;
            for &case_id in &ids {
                let case = Case::find(conn, case_id)?.unwrap();
                let counts = Case::reporter_counts(conn, case_id)?;
                let mut flags: Vec<String> = Case::complaint_flags(conn, case_id)?
                    .iter()
                    .flat_map(|f| f.lines().map(str::to_owned).collect::<Vec<_>>())
                    .collect();
                flags.sort();
                flags.dedup();
                let severity: i32 = categories::table
                    .find(case.category_id)
                    .select(categories::severity)
                    .first(conn)?;
                let expected = priority(PriorityInputs {
                    reporters: u32::try_from(counts.reporters).unwrap(),
                    umkm_reporters: u32::try_from(counts.umkm_reporters).unwrap(),
                    severity: u32::try_from(severity).unwrap(),
                    flags: u32::try_from(flags.len()).unwrap(),
                    seller_score: u32::try_from(case.seller_score).unwrap(),
                    relisted: case.relisted_from_id.is_some(),
                    flagger_boost: 0,
                });
                assert_eq!(
                    (
                        i64::from(case.report_count),
                        i64::from(case.umkm_report_count),
                        case.flags.clone(),
                        case.priority
                    ),
                    (
                        counts.reporters,
                        counts.umkm_reporters,
                        flags.join("\n"),
                        expected
                    ),
                    "case {case_id} ({:?})",
                    case.status
                );
            }
            Ok::<_, ServiceError>(ids.len())
        })
        .await
        .unwrap()
}
