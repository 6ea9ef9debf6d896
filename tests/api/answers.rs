//! Structured answers (the DSA Transparency Database's statement of reasons) and answers that
//! change (issue 30, items 4 and 5): each field validated by name, the history of a request, the
//! case reopening after a reinstatement, the scorecard counting reinstatements, and who may report
//! what.

use serde_json::{Value, json};

use crate::fixtures::{self, case_id_of, desk};
use crate::helpers::{Backend, TestApp};
use crate::intake::{complaint, submit};
use laporlapak::service::transparency::{Period, Source, compute_from, differences};

crate::on_both_backends!(
    an_account_terminated_and_later_reinstated_shows_everywhere,
    every_refused_field_is_named,
    restrictions_end_and_only_actions_can_be_reversed,
    only_the_addressed_platform_answers_and_reports_changes,
);

const ANSWER_FIELDS: &str = "kind decision action actedOn ground groundReference territory
    suspendedUntil automatedDetection automatedDecision platformReference statementOfReasons
    effectiveAt recordedAt";

fn respond_query() -> String {
    format!(
        "mutation($id: ID!, $input: RespondInput!) {{ respondToTakedownRequest(id: $id, input: $input) {{
        id status action statementOfReasons answer {{ {ANSWER_FIELDS} }} answerHistory {{ kind }} case {{ status }} }} }}"
    )
}

fn reinstate_query() -> String {
    format!(
        "mutation($id: ID!, $input: ReinstatementInput!) {{ reportReinstatement(id: $id, input: $input) {{
        id status action answer {{ decision }} answerHistory {{ {ANSWER_FIELDS} }} case {{ status }} }} }}"
    )
}

fn end_query() -> String {
    format!(
        "mutation($id: ID!, $input: RestrictionEndedInput!) {{ reportRestrictionEnded(id: $id, input: $input) {{
        id answerHistory {{ {ANSWER_FIELDS} }} case {{ status }} }} }}"
    )
}

const BULK_RESPOND: &str =
    "mutation($inputs: [BulkRespondInput!]!) { respondToTakedownRequests(inputs: $inputs) {
    applied errors { index code field } } }";
const REASONS: &str = "Akun ini berulang kali menjual pakaian bekas impor yang dilarang.";
const REINSTATED: &str =
    "Banding pemilik akun dikabulkan: barang terbukti bukan pakaian bekas impor.";
const LAW: &str = "Permendag 18/2021 jo. 40/2022 Pasal 2";
const PLATFORM_REFERENCE: &str = "IG-SOR-2026-RAHASIA-0001";

fn terminated() -> Value {
    json!({
        "decision": "ACCOUNT_TERMINATED",
        "ground": "ILLEGAL_CONTENT",
        "groundReference": LAW,
        "automatedDetection": true,
        "automatedDecision": false,
        "platformReference": PLATFORM_REFERENCE,
        "statementOfReasons": REASONS,
    })
}

/// The report from the per-day counters and from a full recount agree for `period`.
async fn counters_agree(
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

async fn an_account_terminated_and_later_reinstated_shows_everywhere(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let desk = desk(&app).await;
    let submitted = submit(
        &app,
        None,
        complaint("https://www.instagram.com/thrift.bal.impor/"),
    )
    .await;
    let code = submitted["trackingCode"].as_str().unwrap().to_owned();
    let case_id = case_id_of(&app, submitted["complaint"]["id"].as_str().unwrap()).await;
    let request = fixtures::claim_and_forward_case(
        &app,
        &desk.reviewer,
        &case_id,
        json!({ "urgency": "NORMAL" }),
    )
    .await;

    let reply = app
        .gql(
            Some(&desk.instagram),
            &respond_query(),
            json!({ "id": request, "input": terminated() }),
        )
        .await;
    let answered = &reply.ok()["respondToTakedownRequest"];
    assert_eq!(answered["status"], "ANSWERED");
    // Older clients read the coarse action: a termination is a removal.
    assert_eq!(answered["action"], "REMOVED");
    assert_eq!(answered["statementOfReasons"], REASONS);
    assert_eq!(answered["case"]["status"], "RESOLVED");
    let answer = &answered["answer"];
    assert_eq!(answer["kind"], "ANSWER");
    assert_eq!(answer["decision"], "ACCOUNT_TERMINATED");
    assert_eq!(answer["action"], "REMOVED");
    assert_eq!(
        answer["actedOn"], "ACCOUNT",
        "an account decision acts on the account"
    );
    assert_eq!(answer["ground"], "ILLEGAL_CONTENT");
    assert_eq!(answer["groundReference"], LAW);
    assert_eq!(answer["territory"], json!([]));
    assert_eq!(answer["suspendedUntil"], Value::Null);
    assert_eq!(answer["automatedDetection"], true);
    assert_eq!(answer["automatedDecision"], false);
    assert_eq!(answer["platformReference"], PLATFORM_REFERENCE);
    assert_eq!(answered["answerHistory"], json!([{ "kind": "ANSWER" }]));

    app.advance_clock(chrono::TimeDelta::days(3));
    let reply = app
        .gql(
            Some(&desk.instagram),
            &reinstate_query(),
            json!({ "id": request, "input": { "statementOfReasons": REINSTATED } }),
        )
        .await;
    let reinstated = &reply.ok()["reportReinstatement"];
    // The answer stays what it was; the history grows; the case is back in review.
    assert_eq!(reinstated["action"], "REMOVED");
    assert_eq!(reinstated["answer"]["decision"], "ACCOUNT_TERMINATED");
    let history = reinstated["answerHistory"].as_array().unwrap();
    assert_eq!(history.len(), 2);
    assert_eq!(history[0]["decision"], "ACCOUNT_TERMINATED");
    assert_eq!(history[1]["kind"], "REINSTATEMENT");
    assert_eq!(history[1]["decision"], Value::Null);
    assert_eq!(history[1]["statementOfReasons"], REINSTATED);
    assert!(history[1]["effectiveAt"].as_str() > history[0]["effectiveAt"].as_str());
    assert_eq!(reinstated["case"]["status"], "IN_REVIEW");

    // The request on the case, as staff and as the platform see it; the audit trail for staff.
    let on_case = "query($c: ID!) { case(id: $c) { status assignee { email }
        takedownRequests { answer { decision } answerHistory { kind decision } } } }";
    for token in [&desk.reviewer, &desk.instagram] {
        let seen = app.gql(Some(token), on_case, json!({ "c": case_id })).await;
        let seen = &seen.ok()["case"];
        assert_eq!(seen["status"], "IN_REVIEW");
        assert_eq!(
            seen["takedownRequests"][0]["answerHistory"],
            json!([{ "kind": "ANSWER", "decision": "ACCOUNT_TERMINATED" },
                   { "kind": "REINSTATEMENT", "decision": null }])
        );
    }
    let staff = crate::review::case(&app, &desk.reviewer, &case_id).await;
    let actions: Vec<&str> = staff["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    for expected in [
        "takedown.answered",
        "case.resolved",
        "takedown.reinstated",
        "case.reopened",
    ] {
        assert!(actions.contains(&expected), "{expected}: {actions:?}");
    }
    let reopened = staff["events"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["action"] == "case.reopened")
        .unwrap();
    assert_eq!(reopened["actorRole"], "PLATFORM");
    assert_eq!(reopened["caseStatus"], "IN_REVIEW");
    // Still claimed by the reviewer who forwarded it: in its queue again, and it may move it on.
    assert_eq!(staff["assignee"]["email"], fixtures::REVIEWER_EMAIL);

    // The public sees it coarsely: the action and the reasons, no reference of the platform.
    let public = app
        .gql_with_headers(
            None,
            &[("Accept-Language", "en")],
            "query($code: String!) { complaintByTrackingCode(code: $code) { status timeline { status note }
                platformAnswers { kind action statementOfReasons at } } }",
            json!({ "code": code }),
        )
        .await;
    let public = &public.ok()["complaintByTrackingCode"];
    assert_eq!(public["status"], "IN_REVIEW");
    let answers = public["platformAnswers"].as_array().unwrap();
    assert_eq!(answers.len(), 2);
    assert_eq!(answers[0]["kind"], "ANSWER");
    assert_eq!(answers[0]["action"], "REMOVED");
    assert_eq!(answers[0]["statementOfReasons"], REASONS);
    assert_eq!(answers[1]["kind"], "REINSTATEMENT");
    assert_eq!(answers[1]["statementOfReasons"], REINSTATED);
    let text = public.to_string();
    assert!(
        !text.contains(PLATFORM_REFERENCE) && !text.contains(&request),
        "{text}"
    );
    let last = public["timeline"]
        .as_array()
        .unwrap()
        .last()
        .unwrap()
        .clone();
    assert_eq!(last["status"], "IN_REVIEW");
    assert!(
        last["note"].as_str().unwrap().contains("reinstated"),
        "{last}"
    );

    // Once: a second reinstatement, or an end of the restriction after it, is a conflict.
    app.gql(
        Some(&desk.instagram),
        &reinstate_query(),
        json!({ "id": request, "input": { "statementOfReasons": REINSTATED } }),
    )
    .await
    .expect_code("CONFLICT");
    app.gql(
        Some(&desk.instagram),
        &end_query(),
        json!({ "id": request, "input": { "statementOfReasons": REINSTATED } }),
    )
    .await
    .expect_code("CONFLICT");

    // The scorecard counts it on Instagram: API, CSV, page; the counters agree with a recount.
    let report = app
        .gql(
            None,
            "{ transparencyReport { platforms { platform { slug } reinstatements removed } totals { reinstatements } } }",
            json!({}),
        )
        .await;
    let report = &report.ok()["transparencyReport"];
    let instagram = report["platforms"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["platform"]["slug"] == "instagram")
        .unwrap();
    assert_eq!(instagram["reinstatements"], 1);
    assert_eq!(instagram["removed"], 1);
    assert_eq!(report["totals"]["reinstatements"], 1);
    let (status, csv) = app.get("/transparency.csv").await;
    assert_eq!(status, 200);
    assert!(
        csv.lines()
            .any(|l| l == "platform,instagram,reinstatements,1"),
        "{csv}"
    );
    assert!(
        csv.lines().any(|l| l == "total,all,reinstatements,1"),
        "{csv}"
    );
    let (_, page) = app.get("/transparency").await;
    assert!(page.contains("Dipulihkan kembali oleh platform"), "{page}");
    counters_agree(&app, Period::default()).await;
    let now = app.now();
    let whole_days = Period {
        from: Some(now - chrono::TimeDelta::days(10)),
        to: Some(now + chrono::TimeDelta::hours(1)),
    };
    let counted = counters_agree(&app, whole_days).await;
    assert_eq!(counted.totals.reinstatements, 1);
    // A period that ends before the request was issued counts nothing.
    let before = counters_agree(
        &app,
        Period {
            from: None,
            to: Some(now - chrono::TimeDelta::days(4)),
        },
    )
    .await;
    assert_eq!(before.totals.reinstatements, 0);
}

/// A new forwarded request to Instagram about `path`; returns its ID.
async fn forwarded(app: &TestApp, reviewer: &str, path: &str) -> String {
    fixtures::forwarded(
        app,
        reviewer,
        &format!("https://www.instagram.com/p/{path}/"),
        "NORMAL",
    )
    .await
    .1
}

async fn every_refused_field_is_named(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let desk = desk(&app).await;
    let request = forwarded(&app, &desk.reviewer, "Fields1").await;
    let past = (app.now() - chrono::TimeDelta::hours(1))
        .and_utc()
        .to_rfc3339();
    let future = (app.now() + chrono::TimeDelta::days(30))
        .and_utc()
        .to_rfc3339();
    let with = |changes: Value| -> Value {
        let mut input = json!({ "decision": "REMOVED", "ground": "INCOMPATIBLE_WITH_TERMS",
            "groundReference": "Pedoman Komunitas 4.2", "statementOfReasons": REASONS });
        for (key, value) in changes.as_object().unwrap() {
            if value.is_null() {
                input.as_object_mut().unwrap().remove(key);
            } else {
                input[key] = value.clone();
            }
        }
        input
    };
    let cases = [
        (with(json!({ "action": "REMOVED" })), "input.decision"),
        (with(json!({ "decision": null })), "input.decision"),
        (
            with(json!({ "decision": "GEO_BLOCKED" })),
            "input.territory",
        ),
        (
            with(json!({ "decision": "GEO_BLOCKED", "territory": [] })),
            "input.territory",
        ),
        (
            with(json!({ "decision": "GEO_BLOCKED", "territory": ["id"] })),
            "input.territory",
        ),
        (
            with(json!({ "decision": "GEO_BLOCKED", "territory": ["IDN"] })),
            "input.territory",
        ),
        (
            with(json!({ "decision": "ACCOUNT_SUSPENDED" })),
            "input.suspendedUntil",
        ),
        (
            with(json!({ "decision": "ACCOUNT_SUSPENDED", "suspendedUntil": past })),
            "input.suspendedUntil",
        ),
        (
            with(json!({ "suspendedUntil": future })),
            "input.suspendedUntil",
        ),
        (
            with(json!({ "decision": "ACCOUNT_TERMINATED", "actedOn": "CONTENT" })),
            "input.actedOn",
        ),
        (with(json!({ "ground": null })), "input.ground"),
        (
            with(json!({ "groundReference": null })),
            "input.groundReference",
        ),
        (
            with(json!({ "groundReference": "x" })),
            "input.groundReference",
        ),
        (
            with(json!({ "decision": "DECLINED", "groundReference": null })),
            "input.ground",
        ),
        (
            with(
                json!({ "decision": "DECLINED", "ground": null, "groundReference": null, "territory": ["ID"] }),
            ),
            "input.territory",
        ),
        (
            with(
                json!({ "decision": "NEEDS_MORE_INFO", "ground": null, "groundReference": null, "actedOn": "CONTENT" }),
            ),
            "input.actedOn",
        ),
        (
            with(json!({ "platformReference": "" })),
            "input.platformReference",
        ),
        (
            with(json!({ "platformReference": "a\nb" })),
            "input.platformReference",
        ),
        (
            with(json!({ "statementOfReasons": "pendek" })),
            "input.statementOfReasons",
        ),
        (with(json!({ "actedAt": future })), "input.actedAt"),
    ];
    for (input, field) in &cases {
        let reply = app
            .gql(
                Some(&desk.instagram),
                &respond_query(),
                json!({ "id": request, "input": input }),
            )
            .await;
        reply.expect_code("BAD_USER_INPUT");
        assert_eq!(reply.field(), *field, "{input}: {}", reply.body);
        assert!(!reply.message().is_empty());
    }
    // In both languages.
    let english = app
        .gql_with_headers(
            Some(&desk.instagram),
            &[("Accept-Language", "en")],
            &respond_query(),
            json!({ "id": request, "input": with(json!({ "decision": "GEO_BLOCKED" })) }),
        )
        .await;
    assert!(english.message().contains("territory"), "{}", english.body);
    let indonesian = app
        .gql(
            Some(&desk.instagram),
            &respond_query(),
            json!({ "id": request, "input": with(json!({ "decision": "GEO_BLOCKED" })) }),
        )
        .await;
    assert!(
        indonesian.message().contains("wilayah"),
        "{}",
        indonesian.body
    );
    // The bulk answer names the item's field.
    let reply = app
        .gql(
            Some(&desk.instagram),
            BULK_RESPOND,
            json!({ "inputs": [{ "id": request, "answer": with(json!({ "decision": "GEO_BLOCKED" })) }] }),
        )
        .await;
    let result = &reply.ok()["respondToTakedownRequests"];
    assert_eq!(result["applied"], false);
    assert_eq!(
        result["errors"],
        json!([{ "index": 0, "code": "BAD_USER_INPUT", "field": "inputs[0].answer.territory" }])
    );
    // Nothing was written.
    let node = app
        .gql(
            Some(&desk.instagram),
            "query($id: ID!) { node(id: $id) { ... on TakedownRequest { status answer { kind } answerHistory { kind } } } }",
            json!({ "id": request }),
        )
        .await;
    assert_eq!(
        node.ok()["node"],
        json!({ "status": "PENDING", "answer": null, "answerHistory": [] })
    );
    // A reinstatement of an unanswered request is a conflict; its own fields are named too.
    let reply = app
        .gql(
            Some(&desk.instagram),
            &reinstate_query(),
            json!({ "id": request, "input": { "statementOfReasons": REINSTATED } }),
        )
        .await;
    reply.expect_code("CONFLICT");
    for (input, field) in [
        (
            json!({ "statementOfReasons": "pendek" }),
            "input.statementOfReasons",
        ),
        (
            json!({ "statementOfReasons": REINSTATED, "reinstatedAt": future }),
            "input.reinstatedAt",
        ),
    ] {
        let reply = app
            .gql(
                Some(&desk.instagram),
                &reinstate_query(),
                json!({ "id": request, "input": input }),
            )
            .await;
        reply.expect_code("BAD_USER_INPUT");
        assert_eq!(reply.field(), field);
    }
    let reply = app
        .gql(
            Some(&desk.instagram),
            &end_query(),
            json!({ "id": request, "input": { "statementOfReasons": REINSTATED, "endedAt": future } }),
        )
        .await;
    reply.expect_code("BAD_USER_INPUT");
    assert_eq!(reply.field(), "input.endedAt");
}

async fn restrictions_end_and_only_actions_can_be_reversed(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let desk = desk(&app).await;
    let geo = forwarded(&app, &desk.reviewer, "Geo1").await;
    let suspended = forwarded(&app, &desk.reviewer, "Suspend1").await;
    let declined = forwarded(&app, &desk.reviewer, "Decline1").await;
    let removed = forwarded(&app, &desk.reviewer, "Removed1").await;
    let until = (app.now() + chrono::TimeDelta::days(30)).and_utc();

    let reply = app
        .gql(
            Some(&desk.instagram),
            &respond_query(),
            json!({ "id": geo, "input": { "decision": "GEO_BLOCKED", "territory": ["ID", "ID"],
                "ground": "ILLEGAL_CONTENT", "groundReference": LAW, "statementOfReasons": REASONS } }),
        )
        .await;
    let answer = &reply.ok()["respondToTakedownRequest"]["answer"];
    assert_eq!(answer["territory"], json!(["ID"]));
    assert_eq!(answer["actedOn"], "CONTENT");
    assert_eq!(
        reply.ok()["respondToTakedownRequest"]["action"],
        "GEO_BLOCKED"
    );

    let reply = app
        .gql(
            Some(&desk.instagram),
            &respond_query(),
            json!({ "id": suspended, "input": { "decision": "ACCOUNT_SUSPENDED",
                "suspendedUntil": until.to_rfc3339(), "ground": "INCOMPATIBLE_WITH_TERMS",
                "groundReference": "Ketentuan Penggunaan 5.1", "statementOfReasons": REASONS } }),
        )
        .await;
    let answered = &reply.ok()["respondToTakedownRequest"];
    assert_eq!(answered["action"], "RESTRICTED");
    assert_eq!(answered["answer"]["actedOn"], "ACCOUNT");
    let stored = chrono::DateTime::parse_from_rfc3339(
        answered["answer"]["suspendedUntil"].as_str().unwrap(),
    )
    .unwrap();
    assert_eq!(stored.timestamp(), until.timestamp());

    // Old clients send only `action`: still accepted, recorded as the same-named decision.
    for (id, action) in [(&declined, "DECLINED"), (&removed, "REMOVED")] {
        let reply = app
            .gql(
                Some(&desk.instagram),
                &respond_query(),
                json!({ "id": id, "input": { "action": action, "statementOfReasons": REASONS } }),
            )
            .await;
        let answered = &reply.ok()["respondToTakedownRequest"];
        assert_eq!(answered["action"], action);
        assert_eq!(answered["answer"]["decision"], action);
        assert_eq!(answered["answer"]["actedOn"], Value::Null);
        assert_eq!(answered["answer"]["ground"], Value::Null);
    }

    // A restriction's end must not be before the action.
    let before = (app.now() - chrono::TimeDelta::hours(1))
        .and_utc()
        .to_rfc3339();
    let reply = app
        .gql(
            Some(&desk.instagram),
            &end_query(),
            json!({ "id": geo, "input": { "statementOfReasons": REINSTATED, "endedAt": before } }),
        )
        .await;
    reply.expect_code("BAD_USER_INPUT");
    assert_eq!(reply.field(), "input.endedAt");

    app.advance_clock(chrono::TimeDelta::days(1));
    for id in [&geo, &suspended] {
        let reply = app
            .gql(
                Some(&desk.instagram),
                &end_query(),
                json!({ "id": id, "input": { "statementOfReasons": REINSTATED } }),
            )
            .await;
        let ended = &reply.ok()["reportRestrictionEnded"];
        assert_eq!(ended["answerHistory"][1]["kind"], "RESTRICTION_ENDED");
        assert_eq!(ended["case"]["status"], "IN_REVIEW");
    }
    // A refusal reverses nothing; a removal does not "end" (it is reinstated).
    let reply = app
        .gql(
            Some(&desk.instagram),
            &reinstate_query(),
            json!({ "id": declined, "input": { "statementOfReasons": REINSTATED } }),
        )
        .await;
    reply.expect_code("CONFLICT");
    let reply = app
        .gql(
            Some(&desk.instagram),
            &end_query(),
            json!({ "id": removed, "input": { "statementOfReasons": REINSTATED } }),
        )
        .await;
    reply.expect_code("CONFLICT");
    assert!(reply.message().contains("reinstate") || reply.message().contains("pemulihan"));
    // Restrictions ending are not reinstatements on the scorecard.
    let report = counters_agree(&app, Period::default()).await;
    assert_eq!(report.totals.reinstatements, 0);
    // A removal answered by an old client can still be reinstated.
    let reply = app
        .gql(
            Some(&desk.instagram),
            &reinstate_query(),
            json!({ "id": removed, "input": { "statementOfReasons": REINSTATED } }),
        )
        .await;
    assert_eq!(
        reply.ok()["reportReinstatement"]["case"]["status"],
        "IN_REVIEW"
    );
    let report = counters_agree(&app, Period::default()).await;
    assert_eq!(report.totals.reinstatements, 1);
}

async fn only_the_addressed_platform_answers_and_reports_changes(backend: Backend) {
    let app = crate::integration::spawn(backend).await;
    let desk = desk(&app).await;
    let admin = app.admin().await;
    let citizen = app.register("warga.answers@mail.id").await;
    let (case_id, request) = fixtures::forwarded(
        &app,
        &desk.reviewer,
        "https://www.instagram.com/p/Who1/",
        "NORMAL",
    )
    .await;
    let (_, tiktok_client, tiktok_secret) =
        crate::integration::new_client(&app, &admin, "tiktok").await;
    let tiktok_client =
        crate::integration::client_token(&app, &tiktok_client, &tiktok_secret).await;
    let (_, ig_client, ig_secret) = crate::integration::new_client(&app, &admin, "instagram").await;
    let ig_client = crate::integration::client_token(&app, &ig_client, &ig_secret).await;

    let respond = (
        respond_query(),
        json!({ "id": request, "input": terminated() }),
    );
    let reinstate = (
        reinstate_query(),
        json!({ "id": request, "input": { "statementOfReasons": REINSTATED } }),
    );
    let end = (
        end_query(),
        json!({ "id": request, "input": { "statementOfReasons": REINSTATED } }),
    );
    let operations = [&respond, &reinstate, &end];
    for (query, variables) in operations {
        app.gql(None, query, variables.clone())
            .await
            .expect_code("UNAUTHENTICATED");
        for token in [&citizen, &desk.reviewer, &admin] {
            app.gql(Some(token), query, variables.clone())
                .await
                .expect_code("FORBIDDEN");
        }
        // Another platform's people and clients: as if the request did not exist.
        for token in [&desk.tiktok, &tiktok_client] {
            app.gql(Some(token), query, variables.clone())
                .await
                .expect_code("NOT_FOUND");
        }
    }
    // Nothing happened.
    let seen = crate::review::case(&app, &desk.reviewer, &case_id).await;
    assert_eq!(seen["status"], "FORWARDED");

    // The platform's own client answers and reports the reinstatement; audited as the client.
    let (query, variables) = &respond;
    let reply = app.gql(Some(&ig_client), query, variables.clone()).await;
    assert_eq!(
        reply.ok()["respondToTakedownRequest"]["case"]["status"],
        "RESOLVED"
    );
    let (query, variables) = &reinstate;
    for token in [&citizen, &desk.reviewer, &admin] {
        app.gql(Some(token), query, variables.clone())
            .await
            .expect_code("FORBIDDEN");
    }
    for token in [&desk.tiktok, &tiktok_client] {
        app.gql(Some(token), query, variables.clone())
            .await
            .expect_code("NOT_FOUND");
    }
    let reply = app.gql(Some(&ig_client), query, variables.clone()).await;
    assert_eq!(
        reply.ok()["reportReinstatement"]["case"]["status"],
        "IN_REVIEW"
    );
    let staff = crate::review::case(&app, &desk.reviewer, &case_id).await;
    assert!(
        staff["events"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["action"] == "takedown.reinstated" && e["actorRole"] == "PLATFORM"),
        "{staff}"
    );
}
