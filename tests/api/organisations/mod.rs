//! Organisations as trusted flaggers: an ADMIN registers one and its members; a member's named
//! report carries the organisation and its boost; a member sees the outcomes of every report filed
//! for its organisation and nothing else; an ADMIN suspends or revokes the status (audited). Every
//! other role is refused.

mod bulk;

use serde_json::{Value, json};

use crate::fixtures::{self, report};
use crate::helpers::{Backend, TestApp};
use crate::intake::complaint;
use laporlapak::domain::Role;

crate::on_both_backends!(
    a_members_reports_carry_the_organisation_and_its_boost,
    a_member_sees_its_organisations_outcomes_only,
    a_suspended_or_revoked_organisation_loses_the_status,
    only_an_admin_manages_organisations,
);

pub const CREATE: &str =
    "mutation($input: CreateOrganisationInput!) { createOrganisation(input: $input) {
    id name kind contact status boost record { decidedReports requestedReports }
    limits { maxBatchItems batchesPerHour maxCsvBytes } members { accountId displayName } } }";
pub const ADD_MEMBER: &str =
    "mutation($o: ID!, $a: ID!) { addOrganisationMember(organisationId: $o, accountId: $a) {
    id members { accountId } } }";
const REMOVE_MEMBER: &str =
    "mutation($o: ID!, $a: ID!) { removeOrganisationMember(organisationId: $o, accountId: $a) {
    id members { accountId } } }";
const SET_STATUS: &str = "mutation($o: ID!, $s: OrganisationStatus!, $r: String!) {
    setOrganisationStatus(organisationId: $o, status: $s, reason: $r) { id status statusReason boost } }";
const ORGANISATIONS: &str = "{ organisations { id name status boost members { accountId } } }";
const MINE: &str = "{ myOrganisation { id name kind status boost members { accountId } } }";
const REPORTS: &str = "query($first: Int, $after: String) { organisationReports(first: $first, after: $after) {
    totalCount pageCount pageInfo { hasNextPage endCursor }
    nodes { complaintId listingUrl status reporterDisplayName category { code } platform { slug } submittedAt } } }";
const CASE: &str = "query($id: ID!) { case(id: $id) { priority flaggerBoost source reportCount } }";

/// The signed-in account's global ID.
pub async fn account_id(app: &TestApp, token: &str) -> String {
    app.gql(Some(token), "{ me { id } }", json!({})).await.ok()["me"]["id"]
        .as_str()
        .expect("an account ID")
        .to_owned()
}

/// Registers an organisation; returns its global ID.
pub async fn organisation(app: &TestApp, admin: &str, name: &str) -> String {
    let reply = app
        .gql(
            Some(admin),
            CREATE,
            json!({ "input": { "name": name, "kind": "UMKM_ASSOCIATION", "contact": "sekretariat@example.id" } }),
        )
        .await;
    reply.ok()["createOrganisation"]["id"]
        .as_str()
        .expect("an organisation ID")
        .to_owned()
}

/// Registers a citizen, adds it to the organisation, returns its token.
pub async fn member(app: &TestApp, admin: &str, organisation: &str, email: &str) -> String {
    let token = app.register(email).await;
    let account = account_id(app, &token).await;
    app.gql(
        Some(admin),
        ADD_MEMBER,
        json!({ "o": organisation, "a": account }),
    )
    .await
    .ok();
    token
}

/// The audit events of status changes of organisations.
async fn status_changes(app: &TestApp) -> i64 {
    use diesel::prelude::*;
    use laporlapak::db::schema::events;
    app.services
        .db
        .run(|conn| -> Result<i64, laporlapak::error::ServiceError> {
            Ok(events::table
                .filter(events::subject_type.eq("organisation"))
                .filter(events::action.eq("organisation.status_changed"))
                .count()
                .get_result(conn)?)
        })
        .await
        .expect("events counted")
}

async fn case(app: &TestApp, reviewer: &str, id: &str) -> Value {
    app.gql(Some(reviewer), CASE, json!({ "id": id }))
        .await
        .ok()["case"]
        .clone()
}

async fn a_members_reports_carry_the_organisation_and_its_boost(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.admin().await;
    let reviewer = fixtures::reviewer(&app).await;
    let created = app
        .gql(
            Some(&admin),
            CREATE,
            json!({ "input": { "name": "Asosiasi UMKM Bandung", "kind": "UMKM_ASSOCIATION", "contact": "sekretariat@umkm-bandung.id" } }),
        )
        .await;
    let org = created.ok()["createOrganisation"].clone();
    assert_eq!(org["status"], "ACTIVE");
    assert_eq!(org["kind"], "UMKM_ASSOCIATION");
    // No record yet: the smoothed share is one half, 10 points.
    assert_eq!(org["boost"], 10);
    assert_eq!(org["limits"]["maxBatchItems"], 100);
    let org_id = org["id"].as_str().unwrap().to_owned();
    let member = member(&app, &admin, &org_id, "anggota@umkm-bandung.id").await;
    let outsider = app.register("warga@example.id").await;

    let by_outsider = report(
        &app,
        Some(&outsider),
        complaint("https://www.instagram.com/p/org-plain/"),
    )
    .await;
    let by_member = report(
        &app,
        Some(&member),
        complaint("https://www.instagram.com/p/org-member/"),
    )
    .await;
    let plain = case(&app, &reviewer, &by_outsider.case_id).await;
    let flagged = case(&app, &reviewer, &by_member.case_id).await;
    assert_eq!(plain["flaggerBoost"], 0);
    assert_eq!(plain["source"], "PUBLIC");
    assert_eq!(flagged["flaggerBoost"], 10);
    assert_eq!(
        flagged["priority"].as_i64().unwrap(),
        plain["priority"].as_i64().unwrap() + 10,
        "the organisation's boost is the only difference"
    );

    // An anonymous report of a member carries no organisation: anonymity hides it too.
    let mut hidden = complaint("https://www.instagram.com/p/org-anonymous/");
    hidden["anonymous"] = json!(true);
    let anonymous = report(&app, Some(&member), hidden).await;
    assert_eq!(
        case(&app, &reviewer, &anonymous.case_id).await["flaggerBoost"],
        0
    );

    // The member joins the outsider's case: the case takes the boost.
    report(
        &app,
        Some(&member),
        complaint("https://www.instagram.com/p/org-plain/"),
    )
    .await;
    let joined = case(&app, &reviewer, &by_outsider.case_id).await;
    assert_eq!(joined["flaggerBoost"], 10);
    assert_eq!(joined["reportCount"], 2);

    // Rejected reports lower the record: 0 of 2 decided led to a request → ⌊20·1/4⌋ = 5.
    for id in [&by_member.case_id, &by_outsider.case_id] {
        fixtures::claim_and_reject(&app, &reviewer, id, "Bukan pakaian bekas impor.").await;
    }
    let list = app.gql(Some(&reviewer), ORGANISATIONS, json!({})).await;
    let listed = &list.ok()["organisations"][0];
    assert_eq!(listed["boost"], 5);
    assert_eq!(
        listed["members"],
        json!([]),
        "a reviewer does not see the members"
    );
    let list = app.gql(Some(&admin), ORGANISATIONS, json!({})).await;
    assert_eq!(
        list.ok()["organisations"][0]["members"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
}

async fn a_member_sees_its_organisations_outcomes_only(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.admin().await;
    let reviewer = fixtures::reviewer(&app).await;
    let ours = organisation(&app, &admin, "Asosiasi Konveksi Bandung").await;
    let theirs = organisation(&app, &admin, "Pemilik Merek Batik").await;
    let first = member(&app, &admin, &ours, "satu@konveksi.id").await;
    let second = member(&app, &admin, &ours, "dua@konveksi.id").await;
    let other = member(&app, &admin, &theirs, "merek@batik.id").await;
    let outsider = app.register("warga@example.id").await;

    let a = report(
        &app,
        Some(&first),
        complaint("https://www.instagram.com/p/outcome-a/"),
    )
    .await;
    report(
        &app,
        Some(&second),
        complaint("https://www.instagram.com/p/outcome-b/"),
    )
    .await;
    // Another reporter's complaint in the same case as ours, and another organisation's report.
    report(
        &app,
        Some(&outsider),
        complaint("https://www.instagram.com/p/outcome-a/"),
    )
    .await;
    report(
        &app,
        Some(&other),
        complaint("https://www.instagram.com/p/outcome-c/"),
    )
    .await;
    fixtures::claim_and_reject(&app, &reviewer, &a.case_id, "Bukan pakaian bekas impor.").await;

    for token in [&first, &second] {
        let reply = app.gql(Some(token), REPORTS, json!({})).await;
        let page = &reply.ok()["organisationReports"];
        assert_eq!(
            page["totalCount"], 2,
            "both members' reports, nobody else's"
        );
        let urls: Vec<&str> = page["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|node| node["listingUrl"].as_str().unwrap())
            .collect();
        assert_eq!(
            urls,
            [
                "https://www.instagram.com/p/outcome-b/",
                "https://www.instagram.com/p/outcome-a/"
            ]
        );
        assert_eq!(page["nodes"][1]["status"], "REJECTED");
        assert_eq!(page["nodes"][0]["status"], "OPEN");
        assert_eq!(page["nodes"][0]["category"]["code"], "USED_CLOTHING_IMPORT");
    }
    // Paged, with a cursor.
    let reply = app.gql(Some(&first), REPORTS, json!({ "first": 1 })).await;
    let page = &reply.ok()["organisationReports"];
    assert_eq!(page["pageInfo"]["hasNextPage"], true);
    let after = page["pageInfo"]["endCursor"].as_str().unwrap();
    let reply = app
        .gql(Some(&first), REPORTS, json!({ "first": 1, "after": after }))
        .await;
    assert_eq!(
        reply.ok()["organisationReports"]["nodes"][0]["listingUrl"],
        "https://www.instagram.com/p/outcome-a/"
    );

    let reply = app.gql(Some(&other), REPORTS, json!({})).await;
    let page = &reply.ok()["organisationReports"];
    assert_eq!(page["totalCount"], 1, "the other organisation sees its own");
    assert_eq!(
        page["nodes"][0]["listingUrl"],
        "https://www.instagram.com/p/outcome-c/"
    );

    let mine = app.gql(Some(&first), MINE, json!({})).await;
    assert_eq!(
        mine.ok()["myOrganisation"]["name"],
        "Asosiasi Konveksi Bandung"
    );
    assert_eq!(mine.ok()["myOrganisation"]["members"], json!([]));
    let none = app.gql(Some(&outsider), MINE, json!({})).await;
    assert_eq!(none.ok()["myOrganisation"], Value::Null);
    app.gql(Some(&outsider), REPORTS, json!({}))
        .await
        .expect_code("FORBIDDEN");
}

async fn a_suspended_or_revoked_organisation_loses_the_status(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.admin().await;
    let reviewer = fixtures::reviewer(&app).await;
    let org = organisation(&app, &admin, "Kelompok Konsumen Jabar").await;
    let member = member(&app, &admin, &org, "anggota@konsumen.id").await;

    let reply = app
        .gql(
            Some(&admin),
            SET_STATUS,
            json!({ "o": org, "s": "SUSPENDED", "r": "Laporan berulang tanpa bukti." }),
        )
        .await;
    let suspended = &reply.ok()["setOrganisationStatus"];
    assert_eq!(suspended["status"], "SUSPENDED");
    assert_eq!(suspended["statusReason"], "Laporan berulang tanpa bukti.");
    assert_eq!(suspended["boost"], 0);
    let reported = report(
        &app,
        Some(&member),
        complaint("https://www.instagram.com/p/suspended/"),
    )
    .await;
    assert_eq!(
        case(&app, &reviewer, &reported.case_id).await["flaggerBoost"],
        0,
        "a suspended organisation's member reports as an ordinary citizen"
    );
    app.gql(
        Some(&member),
        bulk::SUBMIT_MANY,
        json!({ "items": [bulk::item("https://www.instagram.com/p/suspended-bulk/", "k1")] }),
    )
    .await
    .expect_code("FORBIDDEN");

    app.gql(
        Some(&admin),
        SET_STATUS,
        json!({ "o": org, "s": "ACTIVE", "r": "Perbaikan diterima." }),
    )
    .await
    .ok();
    let reported = report(
        &app,
        Some(&member),
        complaint("https://www.instagram.com/p/restored/"),
    )
    .await;
    assert_eq!(
        case(&app, &reviewer, &reported.case_id).await["flaggerBoost"],
        10
    );

    app.gql(
        Some(&admin),
        SET_STATUS,
        json!({ "o": org, "s": "REVOKED", "r": "Penyalahgunaan status." }),
    )
    .await
    .ok();
    let again = app
        .gql(
            Some(&admin),
            SET_STATUS,
            json!({ "o": org, "s": "ACTIVE", "r": "Coba lagi." }),
        )
        .await;
    again.expect_code("CONFLICT");

    // Every change is in the audit trail.
    assert_eq!(status_changes(&app).await, 3);
}

async fn only_an_admin_manages_organisations(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.admin().await;
    let reviewer = fixtures::reviewer(&app).await;
    let platform = fixtures::representative(&app, "instagram").await;
    let citizen = app.register("warga@example.id").await;
    let regulator = app
        .staff("petugas@komdigi.go.id", Role::Regulator, None)
        .await;
    let org = organisation(&app, &admin, "Asosiasi Uji").await;
    let member_token = member(&app, &admin, &org, "anggota@uji.id").await;
    let member_id = account_id(&app, &member_token).await;
    let citizen_id = account_id(&app, &citizen).await;

    let writes = [
        (
            CREATE,
            json!({ "input": { "name": "Lain", "kind": "BRAND_OWNER", "contact": "x@example.id" } }),
        ),
        (ADD_MEMBER, json!({ "o": org, "a": citizen_id })),
        (REMOVE_MEMBER, json!({ "o": org, "a": member_id })),
        (
            SET_STATUS,
            json!({ "o": org, "s": "SUSPENDED", "r": "tidak sah" }),
        ),
    ];
    for (token, code) in [
        (None, "UNAUTHENTICATED"),
        (Some(citizen.as_str()), "FORBIDDEN"),
        (Some(member_token.as_str()), "FORBIDDEN"),
        (Some(reviewer.as_str()), "FORBIDDEN"),
        (Some(platform.as_str()), "FORBIDDEN"),
        (Some(regulator.as_str()), "FORBIDDEN"),
    ] {
        for (query, variables) in &writes {
            app.gql(token, query, variables.clone())
                .await
                .expect_code(code);
        }
        if token != Some(reviewer.as_str()) {
            app.gql(token, ORGANISATIONS, json!({}))
                .await
                .expect_code(code);
        }
    }
    // Members' reads are for citizens only.
    for (token, code) in [
        (None, "UNAUTHENTICATED"),
        (Some(reviewer.as_str()), "FORBIDDEN"),
        (Some(admin.as_str()), "FORBIDDEN"),
        (Some(platform.as_str()), "FORBIDDEN"),
        (Some(regulator.as_str()), "FORBIDDEN"),
    ] {
        app.gql(token, MINE, json!({})).await.expect_code(code);
        app.gql(token, REPORTS, json!({})).await.expect_code(code);
    }
    // Nothing changed.
    let list = app.gql(Some(&admin), ORGANISATIONS, json!({})).await;
    let orgs = list.ok()["organisations"].as_array().unwrap().clone();
    assert_eq!(orgs.len(), 1);
    assert_eq!(orgs[0]["status"], "ACTIVE");
    assert_eq!(orgs[0]["members"], json!([{ "accountId": member_id }]));

    // The ADMIN's own mistakes are named.
    let reviewer_id = account_id(&app, &reviewer).await;
    let staff = app
        .gql(
            Some(&admin),
            ADD_MEMBER,
            json!({ "o": org, "a": reviewer_id }),
        )
        .await;
    staff.expect_code("BAD_USER_INPUT");
    assert_eq!(staff.field(), "accountId");
    app.gql(
        Some(&admin),
        ADD_MEMBER,
        json!({ "o": org, "a": member_id }),
    )
    .await
    .expect_code("CONFLICT");
    let taken = app
        .gql(
            Some(&admin),
            CREATE,
            json!({ "input": { "name": "asosiasi UJI", "kind": "BRAND_OWNER", "contact": "x@example.id" } }),
        )
        .await;
    taken.expect_code("BAD_USER_INPUT");
    assert_eq!(taken.field(), "input.name");
    // Removing a member works for the ADMIN, and then the member is none.
    let removed = app
        .gql(
            Some(&admin),
            REMOVE_MEMBER,
            json!({ "o": org, "a": member_id }),
        )
        .await;
    assert_eq!(
        removed.ok()["removeOrganisationMember"]["members"],
        json!([])
    );
    app.gql(Some(&member_token), REPORTS, json!({}))
        .await
        .expect_code("FORBIDDEN");
}
