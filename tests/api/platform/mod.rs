//! The platform desk: requests scoped to the representative's own platform, acknowledgements,
//! reasoned answers and what they do to the case; reporter privacy, checked by walking every
//! field a platform can reach, is in `privacy_walk`.

mod privacy_walk;

pub use privacy_walk::selection;

use serde_json::json;

use crate::fixtures::{self, desk};
use crate::helpers::{Backend, PASSWORD, TestApp};
use crate::intake::{complaint, submit};
use crate::review::{ESCALATE, act, case};

const LIST: &str = "query($s: TakedownStatus, $p: String) { takedownRequests(status: $s, platform: $p) {
    edges { node { id status urgency dueAt legalBasis platform { slug } case { id target reportCount status } } } } }";
const ACK: &str =
    "mutation($id: ID!) { acknowledgeTakedownRequest(id: $id) { id status acknowledgedAt } }";
const RESPOND: &str =
    "mutation($id: ID!, $input: RespondInput!) { respondToTakedownRequest(id: $id, input: $input) {
    id status action statementOfReasons actedAt respondedAt overdue case { status } } }";
const REASONS: &str = "Konten telah ditinjau sesuai pedoman komunitas dan hukum setempat.";

crate::on_both_backends!(
    representative_declines_and_the_reviewer_escalates,
    two_platforms_never_see_each_others_requests,
    acknowledging_twice_changes_nothing,
    answers_are_validated_and_given_once,
    each_action_moves_the_case,
    only_the_platform_answers,
    a_disabled_representative_is_locked_out,
    reviewers_see_all_requests_oldest_due_first,
    late_answers_are_accepted_and_recorded_as_late,
    admin_upserts_platforms,
);

async fn representative_declines_and_the_reviewer_escalates(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let desk = desk(&app).await;
    let (case_id, request_id) = fixtures::forwarded(
        &app,
        &desk.reviewer,
        "https://www.instagram.com/p/Decline1/",
        "NORMAL",
    )
    .await;

    let login = app.login("trust@instagram.com", PASSWORD).await;
    let token = login.ok()["login"]["token"].as_str().unwrap().to_owned();
    let pending = app.gql(Some(&token), LIST, json!({ "s": "PENDING" })).await;
    let edges = pending.ok()["takedownRequests"]["edges"]
        .as_array()
        .unwrap()
        .clone();
    assert_eq!(edges.len(), 1);
    assert_eq!(edges[0]["node"]["id"], request_id.as_str());
    assert_eq!(
        edges[0]["node"]["case"]["target"],
        "https://instagram.com/p/Decline1"
    );
    assert_eq!(edges[0]["node"]["case"]["reportCount"], 1);

    let answered = app
        .gql(Some(&token), RESPOND, json!({ "id": request_id, "input": { "action": "DECLINED", "statementOfReasons": REASONS } }))
        .await;
    let answered = &answered.ok()["respondToTakedownRequest"];
    assert_eq!(answered["status"], "ANSWERED");
    assert_eq!(answered["action"], "DECLINED");
    assert_eq!(answered["case"]["status"], "PLATFORM_DECLINED");

    let seen = case(&app, &desk.reviewer, &case_id).await;
    assert_eq!(seen["status"], "PLATFORM_DECLINED");
    assert_eq!(seen["takedownRequests"][0]["status"], "ANSWERED");
    let escalated = act(
        &app,
        &desk.reviewer,
        ESCALATE,
        json!({ "id": case_id, "a": "KOMDIGI", "n": "Platform menolak; diteruskan ke Komdigi untuk pemblokiran." }),
    )
    .await;
    assert_eq!(escalated.ok()["escalateCase"]["status"], "ESCALATED");
    assert_eq!(escalated.ok()["escalateCase"]["escalatedTo"], "KOMDIGI");

    // TikTok's representative saw none of it.
    let theirs = app.gql(Some(&desk.tiktok), LIST, json!({})).await;
    assert_eq!(theirs.ok()["takedownRequests"]["edges"], json!([]));
}

async fn two_platforms_never_see_each_others_requests(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let desk = desk(&app).await;
    let (ig_case, ig_request) = fixtures::forwarded(
        &app,
        &desk.reviewer,
        "https://www.instagram.com/p/Scope1/",
        "NORMAL",
    )
    .await;
    let (tt_case, tt_request) = fixtures::forwarded(
        &app,
        &desk.reviewer,
        "https://www.tiktok.com/@toko/video/123",
        "URGENT",
    )
    .await;
    let never_forwarded = fixtures::open_case(&app, "https://www.instagram.com/p/Scope2/").await;

    for (token, own_case, own_request, other_case, other_request) in [
        (
            &desk.instagram,
            &ig_case,
            &ig_request,
            &tt_case,
            &tt_request,
        ),
        (&desk.tiktok, &tt_case, &tt_request, &ig_case, &ig_request),
    ] {
        let list = app.gql(Some(token), LIST, json!({})).await;
        let ids: Vec<&str> = list.ok()["takedownRequests"]["edges"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["node"]["id"].as_str().unwrap())
            .collect();
        assert_eq!(ids, [own_request.as_str()]);
        // Asking for the other platform by argument gives nothing.
        let other_slug = if token == &desk.instagram {
            "tiktok"
        } else {
            "instagram"
        };
        let list = app.gql(Some(token), LIST, json!({ "p": other_slug })).await;
        assert_eq!(list.ok()["takedownRequests"]["edges"], json!([]));

        let query = "query($c: ID!, $r: ID!) { case(id: $c) { id } caseNode: node(id: $c) { id } requestNode: node(id: $r) { id } }";
        let own = app
            .gql(
                Some(token),
                query,
                json!({ "c": own_case, "r": own_request }),
            )
            .await;
        assert_eq!(own.ok()["case"]["id"], own_case.as_str());
        assert_eq!(own.ok()["requestNode"]["id"], own_request.as_str());
        let other = app
            .gql(
                Some(token),
                query,
                json!({ "c": other_case, "r": other_request }),
            )
            .await;
        let nonexistent = app
            .gql(
                Some(token),
                query,
                json!({ "c": "Q2FzZTo5OTk5OTk", "r": "VGFrZWRvd25SZXF1ZXN0Ojk5OTk5OQ" }),
            )
            .await;
        assert_eq!(
            other.body, nonexistent.body,
            "another platform's objects look nonexistent"
        );
        assert!(
            other.ok()["case"].is_null()
                && other.ok()["caseNode"].is_null()
                && other.ok()["requestNode"].is_null()
        );
        let hidden = app
            .gql(
                Some(token),
                query,
                json!({ "c": never_forwarded, "r": other_request }),
            )
            .await;
        assert!(hidden.ok()["case"].is_null());

        // Acting on the other's request: exactly as on one that does not exist.
        for mutation in [ACK, RESPOND] {
            let variables = |id: &str| json!({ "id": id, "input": { "action": "REMOVED", "statementOfReasons": REASONS } });
            let on_other = app
                .gql(Some(token), mutation, variables(other_request))
                .await;
            let on_nothing = app
                .gql(
                    Some(token),
                    mutation,
                    variables("VGFrZWRvd25SZXF1ZXN0Ojk5OTk5OQ"),
                )
                .await;
            on_other.expect_code("NOT_FOUND");
            assert_eq!(on_other.body, on_nothing.body);
        }
    }
    // Nothing changed for either request.
    for (case_id, status) in [(&ig_case, "FORWARDED"), (&tt_case, "FORWARDED")] {
        assert_eq!(case(&app, &desk.reviewer, case_id).await["status"], status);
    }
}

async fn acknowledging_twice_changes_nothing(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let desk = desk(&app).await;
    let (_, request) = fixtures::forwarded(
        &app,
        &desk.reviewer,
        "https://www.instagram.com/p/Ack1/",
        "NORMAL",
    )
    .await;
    let first = app
        .gql(Some(&desk.instagram), ACK, json!({ "id": request }))
        .await;
    let first = first.ok()["acknowledgeTakedownRequest"].clone();
    assert_eq!(first["status"], "ACKNOWLEDGED");
    assert!(first["acknowledgedAt"].is_string());
    let second = app
        .gql(Some(&desk.instagram), ACK, json!({ "id": request }))
        .await;
    assert_eq!(second.ok()["acknowledgeTakedownRequest"], first);
    let list = app
        .gql(Some(&desk.instagram), LIST, json!({ "s": "ACKNOWLEDGED" }))
        .await;
    assert_eq!(
        list.ok()["takedownRequests"]["edges"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
}

async fn answers_are_validated_and_given_once(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let desk = desk(&app).await;
    let (case_id, request) = fixtures::forwarded(
        &app,
        &desk.reviewer,
        "https://www.instagram.com/p/Once1/",
        "NORMAL",
    )
    .await;
    let future = (chrono::Utc::now() + chrono::Duration::hours(2)).to_rfc3339();
    let before = (chrono::Utc::now() - chrono::Duration::days(2)).to_rfc3339();
    for (input, field) in [
        (
            json!({ "action": "REMOVED", "statementOfReasons": REASONS, "actedAt": future }),
            "input.actedAt",
        ),
        (
            json!({ "action": "REMOVED", "statementOfReasons": REASONS, "actedAt": before }),
            "input.actedAt",
        ),
        (
            json!({ "action": "REMOVED", "statementOfReasons": "Sudah." }),
            "input.statementOfReasons",
        ),
        (
            json!({ "action": "REMOVED", "statementOfReasons": "x".repeat(5_001) }),
            "input.statementOfReasons",
        ),
    ] {
        let reply = app
            .gql(
                Some(&desk.instagram),
                RESPOND,
                json!({ "id": request, "input": input }),
            )
            .await;
        reply.expect_code("BAD_USER_INPUT");
        assert_eq!(reply.field(), field);
    }
    assert_eq!(
        case(&app, &desk.reviewer, &case_id).await["status"],
        "FORWARDED"
    );
    let first = app
        .gql(Some(&desk.instagram), RESPOND, json!({ "id": request, "input": { "action": "REMOVED", "statementOfReasons": REASONS } }))
        .await;
    assert_eq!(first.ok()["respondToTakedownRequest"]["action"], "REMOVED");
    let second = app
        .gql(Some(&desk.instagram), RESPOND, json!({ "id": request, "input": { "action": "DECLINED", "statementOfReasons": REASONS } }))
        .await;
    second.expect_code("CONFLICT");
    let seen = case(&app, &desk.reviewer, &case_id).await;
    assert_eq!(seen["status"], "RESOLVED");
}

async fn each_action_moves_the_case(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let desk = desk(&app).await;
    for (index, (action, status)) in [
        ("REMOVED", "RESOLVED"),
        ("RESTRICTED", "RESOLVED"),
        ("GEO_BLOCKED", "RESOLVED"),
        ("DECLINED", "PLATFORM_DECLINED"),
        ("NEEDS_MORE_INFO", "IN_REVIEW"),
    ]
    .into_iter()
    .enumerate()
    {
        let (case_id, request) = fixtures::forwarded(
            &app,
            &desk.reviewer,
            &format!("https://www.instagram.com/p/Action{index}/"),
            "NORMAL",
        )
        .await;
        let statement = format!("{REASONS} Tindakan: {action}.");
        let reply = app
            .gql(Some(&desk.instagram), RESPOND, json!({ "id": request, "input": { "action": action, "statementOfReasons": statement } }))
            .await;
        assert_eq!(
            reply.ok()["respondToTakedownRequest"]["case"]["status"],
            status,
            "{action}"
        );
        let seen = case(&app, &desk.reviewer, &case_id).await;
        assert_eq!(seen["status"], status);
        let last = seen["events"].as_array().unwrap().last().unwrap().clone();
        assert_eq!(last["caseStatus"], status);
        assert_eq!(last["actorRole"], "PLATFORM");
        assert!(
            last["details"].as_str().unwrap().contains(&statement),
            "the statement is on the timeline"
        );
    }
}

async fn only_the_platform_answers(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let desk = desk(&app).await;
    let (_, request) = fixtures::forwarded(
        &app,
        &desk.reviewer,
        "https://www.instagram.com/p/Only1/",
        "NORMAL",
    )
    .await;
    let citizen = app.register("warga@mail.id").await;
    let admin = app.admin().await;
    for token in [&citizen, &desk.reviewer, &admin] {
        for mutation in [ACK, RESPOND] {
            let reply = app
                .gql(Some(token), mutation, json!({ "id": request, "input": { "action": "REMOVED", "statementOfReasons": REASONS } }))
                .await;
            reply.expect_code("FORBIDDEN");
        }
    }
    app.gql(None, ACK, json!({ "id": request }))
        .await
        .expect_code("UNAUTHENTICATED");
    let list = app.gql(Some(&citizen), LIST, json!({})).await;
    list.expect_code("FORBIDDEN");
}

async fn a_disabled_representative_is_locked_out(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let desk = desk(&app).await;
    let admin = app.admin().await;
    let me = app
        .gql(Some(&desk.instagram), "{ me { id } }", json!({}))
        .await;
    let id = me.ok()["me"]["id"].as_str().unwrap().to_owned();
    app.gql(
        Some(&admin),
        "mutation($id: ID!) { disableAccount(id: $id) { id } }",
        json!({ "id": id }),
    )
    .await
    .ok();
    let reply = app.gql(Some(&desk.instagram), LIST, json!({})).await;
    assert_eq!(reply.status, 401);
    reply.expect_code("UNAUTHENTICATED");
    app.login("trust@instagram.com", PASSWORD)
        .await
        .expect_code("UNAUTHENTICATED");
}

async fn reviewers_see_all_requests_oldest_due_first(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let desk = desk(&app).await;
    let (_, normal) = fixtures::forwarded(
        &app,
        &desk.reviewer,
        "https://www.instagram.com/p/Due1/",
        "NORMAL",
    )
    .await;
    let (_, urgent) = fixtures::forwarded(
        &app,
        &desk.reviewer,
        "https://www.tiktok.com/@toko/video/42",
        "URGENT",
    )
    .await;
    let (_, urgent_ig) = fixtures::forwarded(
        &app,
        &desk.reviewer,
        "https://www.instagram.com/p/Due2/",
        "URGENT",
    )
    .await;
    let ids = |reply: &crate::helpers::Reply| -> Vec<String> {
        reply.ok()["takedownRequests"]["edges"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["node"]["id"].as_str().unwrap().to_owned())
            .collect()
    };
    let all = app.gql(Some(&desk.reviewer), LIST, json!({})).await;
    assert_eq!(
        ids(&all),
        [urgent.clone(), urgent_ig.clone(), normal.clone()]
    );
    let instagram = app
        .gql(Some(&desk.reviewer), LIST, json!({ "p": "instagram" }))
        .await;
    assert_eq!(ids(&instagram), [urgent_ig.clone(), normal.clone()]);
    // Keyset pages of one.
    let mut seen = Vec::new();
    let mut after: Option<String> = None;
    loop {
        let reply = app
            .gql(Some(&desk.reviewer), "query($a: String) { takedownRequests(first: 1, after: $a) { pageInfo { hasNextPage endCursor } edges { node { id } } } }", json!({ "a": after }))
            .await;
        let page = &reply.ok()["takedownRequests"];
        seen.extend(
            page["edges"]
                .as_array()
                .unwrap()
                .iter()
                .map(|e| e["node"]["id"].as_str().unwrap().to_owned()),
        );
        if page["pageInfo"]["hasNextPage"] == false {
            break;
        }
        after = page["pageInfo"]["endCursor"].as_str().map(str::to_owned);
    }
    assert_eq!(seen, [urgent, urgent_ig, normal]);
    app.gql(Some(&desk.reviewer), LIST, json!({ "p": "myspace" }))
        .await
        .expect_code("BAD_USER_INPUT");
}

async fn late_answers_are_accepted_and_recorded_as_late(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let desk = desk(&app).await;
    let (case_id, request) = fixtures::forwarded(
        &app,
        &desk.reviewer,
        "https://www.instagram.com/p/Late1/",
        "URGENT",
    )
    .await;
    // Four hours to answer an urgent request; five pass.
    app.advance_clock(chrono::TimeDelta::hours(5));
    let pending = app
        .gql(
            Some(&desk.reviewer),
            "{ takedownRequests { edges { node { overdue } } } }",
            json!({}),
        )
        .await;
    assert_eq!(
        pending.ok()["takedownRequests"]["edges"][0]["node"]["overdue"],
        true
    );
    let reply = app
        .gql(Some(&desk.instagram), RESPOND, json!({ "id": request, "input": { "action": "REMOVED", "statementOfReasons": REASONS } }))
        .await;
    let answered = &reply.ok()["respondToTakedownRequest"];
    assert_eq!(answered["status"], "ANSWERED");
    assert_eq!(answered["overdue"], true, "answered after dueAt: late");
    let seen = case(&app, &desk.reviewer, &case_id).await;
    assert_eq!(seen["status"], "RESOLVED");
    let details = seen["events"].as_array().unwrap().last().unwrap()["details"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(details.contains("(late)"), "{details}");
}

async fn admin_upserts_platforms(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.admin().await;
    let upsert = "mutation($i: PlatformInput!) { upsertPlatform(input: $i) { slug name hosts responseHours urgentResponseHours active } }";
    let created = app
        .gql(Some(&admin), upsert, json!({ "i": { "slug": "blibli", "name": "Blibli", "hosts": ["blibli.com", "WWW.Blibli.com"] } }))
        .await;
    assert_eq!(
        created.ok()["upsertPlatform"],
        json!({ "slug": "blibli", "name": "Blibli", "hosts": ["blibli.com", "www.blibli.com"], "responseHours": 24, "urgentResponseHours": 4, "active": true })
    );
    // Its URLs are now recognised.
    let outcome = submit(
        &app,
        None,
        complaint("https://www.blibli.com/p/kaos-bekas/ps--ABC-12345"),
    )
    .await;
    assert_eq!(outcome["complaint"]["platform"]["slug"], "blibli");
    let updated = app
        .gql(Some(&admin), upsert, json!({ "i": { "slug": "blibli", "name": "Blibli.com", "hosts": ["blibli.com"], "responseHours": 12 } }))
        .await;
    let updated = &updated.ok()["upsertPlatform"];
    assert_eq!(updated["responseHours"], 12);
    assert_eq!(updated["urgentResponseHours"], 4);
    assert_eq!(updated["hosts"], json!(["blibli.com"]));
    for (input, field) in [
        (
            json!({ "slug": "Bad Slug", "name": "X", "hosts": ["x.com"] }),
            "input.slug",
        ),
        (
            json!({ "slug": "ok", "name": "X", "hosts": ["not a host"] }),
            "input.hosts[0]",
        ),
        (
            json!({ "slug": "ok", "name": "X", "hosts": [] }),
            "input.hosts",
        ),
        (
            json!({ "slug": "ok", "name": "X", "hosts": ["instagram.com"] }),
            "input.hosts",
        ),
        (
            json!({ "slug": "ok", "name": "X", "hosts": ["ok.id"], "responseHours": 0 }),
            "input.responseHours",
        ),
        (
            json!({ "slug": "ok", "name": "", "hosts": ["ok.id"] }),
            "input.name",
        ),
    ] {
        let reply = app.gql(Some(&admin), upsert, json!({ "i": input })).await;
        reply.expect_code("BAD_USER_INPUT");
        assert_eq!(reply.field(), field, "{}", reply.body);
    }
    let citizen = app.register("warga@mail.id").await;
    let reviewer = fixtures::reviewer(&app).await;
    for token in [&citizen, &reviewer] {
        app.gql(
            Some(token),
            upsert,
            json!({ "i": { "slug": "evil", "name": "Evil", "hosts": ["evil.id"] } }),
        )
        .await
        .expect_code("FORBIDDEN");
    }
    // Deactivated platforms leave the public list.
    app.gql(Some(&admin), upsert, json!({ "i": { "slug": "blibli", "name": "Blibli", "hosts": ["blibli.com"], "active": false } }))
        .await
        .ok();
    let platforms = app.gql(None, "{ platforms { slug } }", json!({})).await;
    assert!(!platforms.body.to_string().contains("blibli"));
}
