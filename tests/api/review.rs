//! The reviewer desk: queue, claims (with a 20-way race), every transition of the lifecycle (docs/lifecycle.md), the
//! information loop, takedown deadlines, merges, and who may not do any of it.

use serde_json::{Value, json};

use crate::fixtures::{self, case_id_of, open_case};
use crate::helpers::{Backend, TestApp};
use crate::intake::{DESCRIPTION, complaint, submit};
use laporlapak::domain::Role;

pub const CASE_FIELDS: &str = "id status reportCount umkmReportCount priority flags target
    platform { slug } category { code } assignee { email } escalatedTo mergedInto
    takedownRequests { id urgency status issuedAt dueAt legalBasis overdue }
    events { action actorRole caseStatus at details actor { email } }
    complaints(first: 50) { totalCount edges { node { id trackingCode description reporter { email } } } }";

pub async fn case(app: &TestApp, token: &str, id: &str) -> Value {
    let query = format!("query($id: ID!) {{ case(id: $id) {{ {CASE_FIELDS} }} }}");
    app.gql(Some(token), &query, json!({ "id": id })).await.ok()["case"].clone()
}

pub async fn act(
    app: &TestApp,
    token: &str,
    mutation: &str,
    variables: Value,
) -> crate::helpers::Reply {
    app.gql(Some(token), mutation, variables).await
}

pub const CLAIM: &str =
    "mutation($id: ID!) { claimCase(caseId: $id) { id status assignee { email } } }";
pub const RELEASE: &str =
    "mutation($id: ID!) { releaseCase(caseId: $id) { id status assignee { email } } }";
pub const REJECT: &str =
    "mutation($id: ID!, $r: String!) { rejectCase(caseId: $id, reason: $r) { id status } }";
pub const REQUEST_INFO: &str = "mutation($id: ID!, $m: String!) { requestInformation(caseId: $id, message: $m) { id status } }";
pub const RESUME: &str = "mutation($id: ID!) { resumeReview(caseId: $id) { id status } }";
pub const FORWARD: &str =
    "mutation($id: ID!, $input: ForwardInput!) { forwardCase(caseId: $id, input: $input) {
    id urgency status issuedAt dueAt legalBasis overdue case { status } platform { slug } } }";
pub const ESCALATE: &str = "mutation($id: ID!, $a: Authority!, $n: String!) { escalateCase(caseId: $id, authority: $a, note: $n) { id status escalatedTo } }";
pub const CLOSE: &str =
    "mutation($id: ID!, $n: String!) { closeCase(caseId: $id, note: $n) { id status } }";
pub const MERGE: &str = "mutation($t: ID!, $s: [ID!]!) { mergeCases(targetCaseId: $t, sourceCaseIds: $s) { id status reportCount complaints { totalCount } } }";
const REASON: &str = "Bukan pelanggaran: barang baru produksi lokal.";

fn hours_between(from: &Value, to: &Value) -> i64 {
    let from: chrono::DateTime<chrono::Utc> = from.as_str().unwrap().parse().unwrap();
    let to: chrono::DateTime<chrono::Utc> = to.as_str().unwrap().parse().unwrap();
    let delta = to - from;
    assert_eq!(
        delta.num_seconds() % 3600,
        0,
        "{delta:?} is not whole hours"
    );
    delta.num_hours()
}

crate::on_both_backends!(
    reviewer_sees_the_reported_case_first_claims_and_forwards_it_urgently,
    every_allowed_transition,
    refused_transitions_name_the_current_status,
    twenty_reviewers_claim_one_case_exactly_one_wins,
    a_claimed_case_belongs_to_its_reviewer_until_released,
    citizens_and_platforms_cannot_use_the_reviewer_desk,
    information_loop_end_to_end,
    merge_moves_complaints_and_recomputes_counts,
    queue_pages_return_every_case_once_while_cases_arrive,
    queue_filters,
    notes_and_reasons_are_bounded,
);

async fn reviewer_sees_the_reported_case_first_claims_and_forwards_it_urgently(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let reviewer = fixtures::reviewer(&app).await;
    // Some background noise with lower priority.
    let mut other = complaint("https://www.tokopedia.com/tokobaju/kemeja-batik");
    other["category"] = json!("OTHER");
    other["description"] = json!("Harga terlalu murah dibanding pasar, mohon diperiksa.");
    submit(&app, None, other).await;
    // The intake "done when": two reports of one Instagram post.
    submit(
        &app,
        None,
        complaint("https://www.instagram.com/p/ABC123/?igsh=xyz"),
    )
    .await;
    let citizen = app.register("warga@mail.id").await;
    submit(&app, Some(&citizen), complaint("instagram.com/p/ABC123")).await;

    let queue = app
        .gql(Some(&reviewer), "{ reviewQueue(first: 10) { edges { cursor node { id target reportCount flags priority status } } pageInfo { hasNextPage } } }", json!({}))
        .await;
    let edges = queue.ok()["reviewQueue"]["edges"]
        .as_array()
        .unwrap()
        .clone();
    assert_eq!(edges.len(), 2);
    let top = &edges[0]["node"];
    assert_eq!(top["target"], "https://instagram.com/p/ABC123");
    assert_eq!(top["reportCount"], 2);
    assert!(
        top["flags"]
            .as_array()
            .unwrap()
            .contains(&json!("thrifting"))
    );
    assert!(top["priority"].as_i64() > edges[1]["node"]["priority"].as_i64());
    let id = top["id"].as_str().unwrap();

    let claimed = act(&app, &reviewer, CLAIM, json!({ "id": id })).await;
    assert_eq!(claimed.ok()["claimCase"]["status"], "IN_REVIEW");
    assert_eq!(
        claimed.ok()["claimCase"]["assignee"]["email"],
        fixtures::REVIEWER_EMAIL
    );

    let forwarded = act(
        &app,
        &reviewer,
        FORWARD,
        json!({ "id": id, "input": { "urgency": "URGENT" } }),
    )
    .await;
    let request = &forwarded.ok()["forwardCase"];
    assert_eq!(request["urgency"], "URGENT");
    assert_eq!(request["status"], "PENDING");
    assert_eq!(request["overdue"], false);
    assert_eq!(request["case"]["status"], "FORWARDED");
    assert_eq!(request["platform"]["slug"], "instagram");
    assert!(
        request["legalBasis"]
            .as_str()
            .unwrap()
            .contains("Permendag 18/2021")
    );
    assert_eq!(hours_between(&request["issuedAt"], &request["dueAt"]), 4);

    let case = case(&app, &reviewer, id).await;
    assert_eq!(case["status"], "FORWARDED");
    assert_eq!(case["takedownRequests"][0]["dueAt"], request["dueAt"]);
    // The same read shows the reporter, whose access-log entry lands in the case's events while
    // the fields resolve side by side: it may or may not be among them, so it is checked below.
    let actions: Vec<&str> = case["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .filter(|action| *action != "personal_data.viewed")
        .collect();
    assert_eq!(
        actions,
        [
            "complaint.submitted",
            "complaint.submitted",
            "case.claimed",
            "case.forwarded"
        ]
    );
    let forwarded_event = &case["events"][3];
    assert_eq!(forwarded_event["caseStatus"], "FORWARDED");
    assert_eq!(forwarded_event["actorRole"], "REVIEWER");
    assert_eq!(forwarded_event["actor"]["email"], fixtures::REVIEWER_EMAIL);
    // Reviewers see a signed-in reporter who did not ask for anonymity; anonymous ones stay hidden.
    let reporters: Vec<&Value> = case["complaints"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| &e["node"]["reporter"])
        .collect();
    assert!(reporters[0].is_null());
    assert_eq!(reporters[1]["email"], "warga@mail.id");
    let again = self::case(&app, &reviewer, id).await;
    let last = again["events"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(last["action"], "personal_data.viewed", "{again}");
}

async fn every_allowed_transition(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let reviewer = fixtures::reviewer(&app).await;

    // OPEN → IN_REVIEW → OPEN → IN_REVIEW → AWAITING_INFO → IN_REVIEW → REJECTED
    let a = open_case(&app, "https://www.instagram.com/p/Trans1/").await;
    let step =
        |mutation: &'static str, variables: Value, field: &'static str, expected: &'static str| {
            let app = &app;
            let reviewer = reviewer.clone();
            async move {
                let reply = act(app, &reviewer, mutation, variables).await;
                assert_eq!(reply.ok()[field]["status"], expected, "{}", reply.body);
            }
        };
    step(CLAIM, json!({ "id": a }), "claimCase", "IN_REVIEW").await;
    step(RELEASE, json!({ "id": a }), "releaseCase", "OPEN").await;
    step(CLAIM, json!({ "id": a }), "claimCase", "IN_REVIEW").await;
    step(
        REQUEST_INFO,
        json!({ "id": a, "m": "Mohon kirim tangkapan layar harga." }),
        "requestInformation",
        "AWAITING_INFO",
    )
    .await;
    step(RESUME, json!({ "id": a }), "resumeReview", "IN_REVIEW").await;
    step(
        REJECT,
        json!({ "id": a, "r": REASON }),
        "rejectCase",
        "REJECTED",
    )
    .await;

    // IN_REVIEW → FORWARDED (NORMAL: 24 h) → CLOSED
    let b = open_case(&app, "https://www.instagram.com/p/Trans2/").await;
    step(CLAIM, json!({ "id": b }), "claimCase", "IN_REVIEW").await;
    let forwarded = act(
        &app,
        &reviewer,
        FORWARD,
        json!({ "id": b, "input": { "legalBasis": "Permendag 40/2022 Pasal 2" } }),
    )
    .await;
    let request = &forwarded.ok()["forwardCase"];
    assert_eq!(request["urgency"], "NORMAL");
    assert_eq!(request["legalBasis"], "Permendag 40/2022 Pasal 2");
    assert_eq!(hours_between(&request["issuedAt"], &request["dueAt"]), 24);
    step(
        CLOSE,
        json!({ "id": b, "n": "Ditutup atas permintaan pimpinan." }),
        "closeCase",
        "CLOSED",
    )
    .await;

    // IN_REVIEW → ESCALATED → CLOSED
    let c = open_case(&app, "https://www.instagram.com/p/Trans3/").await;
    step(CLAIM, json!({ "id": c }), "claimCase", "IN_REVIEW").await;
    let escalated = act(
        &app,
        &reviewer,
        ESCALATE,
        json!({ "id": c, "a": "BEA_CUKAI", "n": "Indikasi penyelundupan lewat pelabuhan." }),
    )
    .await;
    assert_eq!(escalated.ok()["escalateCase"]["status"], "ESCALATED");
    assert_eq!(escalated.ok()["escalateCase"]["escalatedTo"], "BEA_CUKAI");
    step(
        CLOSE,
        json!({ "id": c, "n": "Ditangani Bea Cukai sepenuhnya." }),
        "closeCase",
        "CLOSED",
    )
    .await;

    // OPEN → CLOSED directly
    let d = open_case(&app, "https://www.instagram.com/p/Trans4/").await;
    step(
        CLOSE,
        json!({ "id": d, "n": "Laporan ganda, sudah ditangani." }),
        "closeCase",
        "CLOSED",
    )
    .await;

    // Every transition is in the case's timeline with the status it produced.
    let timeline = case(&app, &reviewer, &a).await;
    let statuses: Vec<&str> = timeline["events"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|e| e["caseStatus"].as_str())
        .collect();
    assert_eq!(
        statuses,
        [
            "OPEN",
            "IN_REVIEW",
            "OPEN",
            "IN_REVIEW",
            "AWAITING_INFO",
            "IN_REVIEW",
            "REJECTED"
        ]
    );
}

async fn refused_transitions_name_the_current_status(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let reviewer = fixtures::reviewer(&app).await;
    let open = open_case(&app, "https://www.instagram.com/p/Refuse1/").await;
    let refusals = [
        (REJECT, json!({ "id": open, "r": REASON })),
        (RELEASE, json!({ "id": open })),
        (
            REQUEST_INFO,
            json!({ "id": open, "m": "Mohon informasi tambahan." }),
        ),
        (RESUME, json!({ "id": open })),
        (FORWARD, json!({ "id": open, "input": {} })),
        (
            ESCALATE,
            json!({ "id": open, "a": "POLRI", "n": "Catatan eskalasi kasus." }),
        ),
    ];
    for (mutation, variables) in refusals {
        let reply = act(&app, &reviewer, mutation, variables).await;
        reply.expect_code("CONFLICT");
        assert_eq!(
            reply.body["errors"][0]["extensions"]["currentStatus"],
            "OPEN"
        );
        assert!(reply.message().contains("OPEN"), "{}", reply.message());
    }
    act(
        &app,
        &reviewer,
        CLOSE,
        json!({ "id": open, "n": "Ditutup untuk pengujian." }),
    )
    .await
    .ok();
    for (mutation, variables) in [
        (CLAIM, json!({ "id": open })),
        (
            CLOSE,
            json!({ "id": open, "n": "Ditutup untuk kedua kali." }),
        ),
    ] {
        let reply = act(&app, &reviewer, mutation, variables).await;
        reply.expect_code("CONFLICT");
        assert_eq!(
            reply.body["errors"][0]["extensions"]["currentStatus"],
            "CLOSED"
        );
    }
    // A case that does not exist is NOT_FOUND, a malformed id too.
    for id in ["Q2FzZTo5OTk5OTk", "bogus"] {
        act(&app, &reviewer, CLAIM, json!({ "id": id }))
            .await
            .expect_code("NOT_FOUND");
    }
}

async fn twenty_reviewers_claim_one_case_exactly_one_wins(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let mut reviewers = Vec::new();
    for i in 0..20 {
        reviewers.push(
            app.staff(&format!("r{i}@kemenkop.go.id"), Role::Reviewer, None)
                .await,
        );
    }
    let id = open_case(&app, "https://www.instagram.com/p/Race20/").await;
    let replies = futures_util::future::join_all(
        reviewers
            .iter()
            .map(|token| act(&app, token, CLAIM, json!({ "id": id }))),
    )
    .await;
    let winners = replies
        .iter()
        .filter(|r| r.body.get("errors").is_none())
        .count();
    assert_eq!(winners, 1);
    for reply in replies.iter().filter(|r| r.body.get("errors").is_some()) {
        reply.expect_code("CONFLICT");
        assert_eq!(
            reply.body["errors"][0]["extensions"]["currentStatus"],
            "IN_REVIEW"
        );
    }
    let case = case(&app, &reviewers[0], &id).await;
    let claims = case["events"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["action"] == "case.claimed")
        .count();
    assert_eq!(claims, 1, "exactly one audit event");
}

async fn a_claimed_case_belongs_to_its_reviewer_until_released(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let first = app.staff("satu@kemenkop.go.id", Role::Reviewer, None).await;
    let second = app.staff("dua@kemenkop.go.id", Role::Reviewer, None).await;
    let id = open_case(&app, "https://www.instagram.com/p/Mine20/").await;
    act(&app, &first, CLAIM, json!({ "id": id })).await.ok();
    for (mutation, variables) in [
        (REJECT, json!({ "id": id, "r": REASON })),
        (RELEASE, json!({ "id": id })),
        (FORWARD, json!({ "id": id, "input": {} })),
        (
            REQUEST_INFO,
            json!({ "id": id, "m": "Mohon informasi tambahan." }),
        ),
        (
            ESCALATE,
            json!({ "id": id, "a": "KOMDIGI", "n": "Catatan eskalasi kasus." }),
        ),
        (
            CLOSE,
            json!({ "id": id, "n": "Ditutup oleh peninjau lain." }),
        ),
        (CLAIM, json!({ "id": id })),
    ] {
        let reply = act(&app, &second, mutation, variables).await;
        reply.expect_code("CONFLICT");
    }
    act(&app, &first, RELEASE, json!({ "id": id })).await.ok();
    let reply = act(&app, &second, CLAIM, json!({ "id": id })).await;
    assert_eq!(
        reply.ok()["claimCase"]["assignee"]["email"],
        "dua@kemenkop.go.id"
    );
}

async fn citizens_and_platforms_cannot_use_the_reviewer_desk(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let reviewer = fixtures::reviewer(&app).await;
    let citizen = app.register("warga@mail.id").await;
    let platform = app
        .staff("rep@instagram.com", Role::Platform, Some("instagram"))
        .await;
    let admin = app.admin().await;
    let id = open_case(&app, "https://www.instagram.com/p/Forbidden1/").await;
    let other = open_case(&app, "https://www.instagram.com/p/Forbidden2/").await;
    let operations = [
        ("{ reviewQueue { edges { cursor } } }", json!({})),
        (CLAIM, json!({ "id": id })),
        (RELEASE, json!({ "id": id })),
        (REJECT, json!({ "id": id, "r": REASON })),
        (
            REQUEST_INFO,
            json!({ "id": id, "m": "Mohon informasi tambahan." }),
        ),
        (RESUME, json!({ "id": id })),
        (
            FORWARD,
            json!({ "id": id, "input": { "urgency": "URGENT" } }),
        ),
        (
            ESCALATE,
            json!({ "id": id, "a": "POLRI", "n": "Catatan eskalasi kasus." }),
        ),
        (
            CLOSE,
            json!({ "id": id, "n": "Ditutup oleh yang tidak berhak." }),
        ),
        (MERGE, json!({ "t": id, "s": [other] })),
    ];
    for (query, variables) in &operations {
        for token in [&citizen, &platform, &admin] {
            let reply = act(&app, token, query, variables.clone()).await;
            reply.expect_code("FORBIDDEN");
            assert!(reply.data().is_null(), "{query}");
        }
        app.gql(None, query, variables.clone())
            .await
            .expect_code("UNAUTHENTICATED");
    }
    // A case is invisible to citizens and to a platform it was never forwarded to.
    let query = "query($id: ID!) { case(id: $id) { id } node(id: $id) { id } }";
    for token in [Some(citizen.as_str()), Some(platform.as_str()), None] {
        let reply = app.gql(token, query, json!({ "id": id })).await;
        assert!(reply.ok()["case"].is_null());
        assert!(reply.ok()["node"].is_null());
    }
    // Nothing changed.
    assert_eq!(case(&app, &reviewer, &id).await["status"], "OPEN");
}

async fn information_loop_end_to_end(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let reviewer = fixtures::reviewer(&app).await;
    let citizen = app.register("warga@mail.id").await;
    let url = "https://www.instagram.com/p/Info1/";
    let signed = submit(&app, Some(&citizen), complaint(url)).await;
    let anonymous = submit(&app, None, complaint(url)).await;
    let id = case_id_of(&app, signed["complaint"]["id"].as_str().unwrap()).await;
    act(&app, &reviewer, CLAIM, json!({ "id": id })).await.ok();
    let question = "Apakah ada bukti bahwa barang ini impor? Mohon lampirkan.";
    act(
        &app,
        &reviewer,
        REQUEST_INFO,
        json!({ "id": id, "m": question }),
    )
    .await
    .ok();

    // The anonymous reporter sees the question by tracking code and answers with it.
    let code = anonymous["trackingCode"].as_str().unwrap();
    let public = app
        .gql(None, "query($c: String!) { complaintByTrackingCode(code: $c) { status messages { from body } timeline { status note } } }", json!({ "c": code }))
        .await;
    let public = &public.ok()["complaintByTrackingCode"];
    assert_eq!(public["status"], "AWAITING_INFO");
    assert_eq!(
        public["messages"],
        json!([{ "from": "REVIEWER", "body": question }])
    );
    let reply = app
        .gql(
            None,
            "mutation($c: String!, $m: String!, $e: [String!]) { replyToInformationRequestByTrackingCode(trackingCode: $c, message: $m, evidenceUrls: $e) { status } }",
            json!({ "c": code.to_lowercase(), "m": "Ada label 'Made in Korea' dan karung bal.", "e": ["https://imgur.com/label.png"] }),
        )
        .await;
    assert_eq!(
        reply.ok()["replyToInformationRequestByTrackingCode"]["status"],
        "IN_REVIEW"
    );

    // The signed-in reporter sees the question but not the other reporter's reply.
    let mine = app
        .gql(
            Some(&citizen),
            "{ myComplaints { edges { node { status messages { from body } } } } }",
            json!({}),
        )
        .await;
    let node = &mine.ok()["myComplaints"]["edges"][0]["node"];
    assert_eq!(node["status"], "IN_REVIEW");
    assert_eq!(
        node["messages"],
        json!([{ "from": "REVIEWER", "body": question }])
    );

    // A second round: the signed-in reporter replies with its complaint id.
    act(
        &app,
        &reviewer,
        REQUEST_INFO,
        json!({ "id": id, "m": "Satu pertanyaan lagi: kapan dibeli?" }),
    )
    .await
    .ok();
    let reply = app
        .gql(
            Some(&citizen),
            "mutation($id: ID!, $m: String!) { replyToInformationRequest(complaintId: $id, message: $m) { status messages { from body } } }",
            json!({ "id": signed["complaint"]["id"], "m": "Minggu lalu." }),
        )
        .await;
    let replied = &reply.ok()["replyToInformationRequest"];
    assert_eq!(replied["status"], "IN_REVIEW");
    assert_eq!(replied["messages"].as_array().unwrap().len(), 3);
    // Another citizen cannot reply to it; a reply to a case not awaiting anything is refused.
    let stranger = app.register("orang@mail.id").await;
    app.gql(
        Some(&stranger),
        "mutation($id: ID!) { replyToInformationRequest(complaintId: $id, message: \"halo\") { id } }",
        json!({ "id": signed["complaint"]["id"] }),
    )
    .await
    .expect_code("NOT_FOUND");
    act(&app, &reviewer, FORWARD, json!({ "id": id, "input": {} }))
        .await
        .ok();
    app.gql(
        None,
        "mutation($c: String!) { replyToInformationRequestByTrackingCode(trackingCode: $c, message: \"lagi\") { status } }",
        json!({ "c": code }),
    )
    .await
    .expect_code("CONFLICT");
    // The evidence reached the complaint.
    let case = case(&app, &reviewer, &id).await;
    assert_eq!(case["status"], "FORWARDED");
}

async fn merge_moves_complaints_and_recomputes_counts(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let reviewer = fixtures::reviewer(&app).await;
    let target = open_case(&app, "https://www.tiktok.com/@tokobal").await;
    let source = open_case(&app, "https://vt.tiktok.com/ZSabc123/").await;
    submit(&app, None, complaint("https://vt.tiktok.com/ZSabc123/")).await;
    let elsewhere = open_case(&app, "https://www.instagram.com/tokobal/").await;

    let refused = act(
        &app,
        &reviewer,
        MERGE,
        json!({ "t": target, "s": [elsewhere] }),
    )
    .await;
    refused.expect_code("BAD_USER_INPUT");
    act(
        &app,
        &reviewer,
        MERGE,
        json!({ "t": target, "s": [target] }),
    )
    .await
    .expect_code("BAD_USER_INPUT");

    let merged = act(
        &app,
        &reviewer,
        MERGE,
        json!({ "t": target, "s": [source] }),
    )
    .await;
    let merged = &merged.ok()["mergeCases"];
    assert_eq!(merged["reportCount"], 3);
    assert_eq!(merged["complaints"]["totalCount"], 3);
    let source_case = case(&app, &reviewer, &source).await;
    assert_eq!(source_case["status"], "CLOSED");
    assert_eq!(source_case["mergedInto"], target.as_str());
    assert_eq!(source_case["reportCount"], 0);
    // Merging a closed case again is refused, and changes nothing.
    act(
        &app,
        &reviewer,
        MERGE,
        json!({ "t": target, "s": [source] }),
    )
    .await
    .expect_code("CONFLICT");
    assert_eq!(case(&app, &reviewer, &target).await["reportCount"], 3);
}

async fn queue_pages_return_every_case_once_while_cases_arrive(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let reviewer = fixtures::reviewer(&app).await;
    let mut expected = Vec::new();
    for i in 0..12 {
        let mut input = complaint(&format!("https://www.instagram.com/p/Queue{i}/"));
        if i % 3 == 0 {
            input["description"] =
                json!("Barang ini dijual tanpa izin edar yang jelas dari pemerintah.");
        }
        let outcome = submit(&app, None, input).await;
        expected.push(outcome["complaint"]["id"].as_str().unwrap().to_owned());
    }
    let mut seen: Vec<String> = Vec::new();
    let mut after: Option<String> = None;
    let mut arrivals = 0;
    loop {
        let reply = app
            .gql(
                Some(&reviewer),
                "query($after: String) { reviewQueue(first: 5, after: $after) { pageInfo { hasNextPage endCursor } edges { node { id priority complaints(first: 1) { edges { node { id } } } } } } }",
                json!({ "after": after }),
            )
            .await;
        let page = &reply.ok()["reviewQueue"];
        for edge in page["edges"].as_array().unwrap() {
            seen.push(
                edge["node"]["complaints"]["edges"][0]["node"]["id"]
                    .as_str()
                    .unwrap()
                    .to_owned(),
            );
        }
        // New cases arrive between pages, at every priority.
        submit(
            &app,
            None,
            complaint(&format!("https://www.instagram.com/p/Arrival{arrivals}/")),
        )
        .await;
        arrivals += 1;
        if page["pageInfo"]["hasNextPage"] == false {
            break;
        }
        after = page["pageInfo"]["endCursor"].as_str().map(str::to_owned);
    }
    let mut unique = seen.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), seen.len(), "no case twice");
    for id in &expected {
        assert!(seen.contains(id), "case of {id} never seen");
    }
}

async fn queue_filters(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let reviewer = fixtures::reviewer(&app).await;
    let flagged = open_case(&app, "https://www.instagram.com/p/Filter1/").await;
    let mut plain = complaint("https://shopee.co.id/product/1/2");
    plain["description"] = json!("Barang ini dijual tanpa izin edar yang jelas dari pemerintah.");
    plain["category"] = json!("COUNTERFEIT");
    let outcome = submit(&app, None, plain).await;
    let unflagged = case_id_of(&app, outcome["complaint"]["id"].as_str().unwrap()).await;
    act(&app, &reviewer, CLAIM, json!({ "id": unflagged }))
        .await
        .ok();
    let query = "query($f: CaseFilter) { reviewQueue(filter: $f) { edges { node { id } } } }";
    let ids = |reply: &crate::helpers::Reply| -> Vec<String> {
        reply.ok()["reviewQueue"]["edges"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["node"]["id"].as_str().unwrap().to_owned())
            .collect()
    };
    let cases = [
        (json!({ "flagged": true }), vec![flagged.clone()]),
        (json!({ "flagged": false }), vec![unflagged.clone()]),
        (json!({ "platform": ["shopee"] }), vec![unflagged.clone()]),
        (
            json!({ "category": ["USED_CLOTHING_IMPORT"] }),
            vec![flagged.clone()],
        ),
        (json!({ "assignedToMe": true }), vec![unflagged.clone()]),
        (json!({ "status": ["OPEN"] }), vec![flagged.clone()]),
        (json!({ "status": ["CLOSED"] }), vec![]),
        (json!({ "overdue": true }), vec![]),
    ];
    for (filter, expected) in cases {
        let reply = app
            .gql(Some(&reviewer), query, json!({ "f": filter }))
            .await;
        assert_eq!(ids(&reply), expected, "filter {filter}");
    }
    // Overdue: a forwarded case whose deadline has passed.
    act(
        &app,
        &reviewer,
        FORWARD,
        json!({ "id": unflagged, "input": { "urgency": "URGENT" } }),
    )
    .await
    .ok();
    // Four hours to answer an urgent request; five pass.
    app.advance_clock(chrono::TimeDelta::hours(5));
    let reply = app
        .gql(Some(&reviewer), query, json!({ "f": { "overdue": true } }))
        .await;
    assert_eq!(ids(&reply), vec![unflagged.clone()]);
    let overdue = case(&app, &reviewer, &unflagged).await;
    assert_eq!(overdue["takedownRequests"][0]["overdue"], true);
    for filter in [
        json!({ "platform": ["myspace"] }),
        json!({ "category": ["NOPE"] }),
    ] {
        app.gql(Some(&reviewer), query, json!({ "f": filter }))
            .await
            .expect_code("BAD_USER_INPUT");
    }
}

async fn notes_and_reasons_are_bounded(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let reviewer = fixtures::reviewer(&app).await;
    let id = open_case(&app, "https://www.instagram.com/p/Bounds1/").await;
    act(&app, &reviewer, CLAIM, json!({ "id": id })).await.ok();
    for (mutation, variables, field) in [
        (REJECT, json!({ "id": id, "r": "pendek" }), "reason"),
        (
            REJECT,
            json!({ "id": id, "r": "x".repeat(5_001) }),
            "reason",
        ),
        (REQUEST_INFO, json!({ "id": id, "m": "   " }), "message"),
        (
            ESCALATE,
            json!({ "id": id, "a": "POLRI", "n": "a\u{0}bcdefghijk" }),
            "note",
        ),
        (
            FORWARD,
            json!({ "id": id, "input": { "legalBasis": "x" } }),
            "input.legalBasis",
        ),
    ] {
        let reply = act(&app, &reviewer, mutation, variables).await;
        reply.expect_code("BAD_USER_INPUT");
        assert_eq!(reply.field(), field);
    }
    assert_eq!(case(&app, &reviewer, &id).await["status"], "IN_REVIEW");
    let _ = DESCRIPTION;
}
