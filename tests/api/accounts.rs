//! Registration, sign-in, `me`, staff accounts and disabling.

use serde_json::json;

use crate::fixtures;
use crate::helpers::{Backend, PASSWORD, TestApp};
use laporlapak::domain::Role;

const ME: &str = "{ me { id email displayName role umkm { nib businessName } platform { slug } } }";
const REGISTER: &str = "mutation($input: RegisterInput!) { register(input: $input) { token expiresAt account { id email role umkm { nib } } } }";
const CREATE_STAFF: &str = "mutation($input: StaffAccountInput!) { createStaffAccount(input: $input) { id email role platform { slug } } }";

crate::on_both_backends!(
    register_login_me_round_trip,
    umkm_seller_registers_with_nib,
    duplicate_email_is_refused_whatever_its_case,
    weak_and_oversized_passwords_are_refused,
    invalid_fields_name_the_field_at_fault,
    unknown_email_and_wrong_password_look_the_same,
    only_admins_create_staff_accounts,
    admin_creates_each_staff_role,
    disabled_account_cannot_sign_in_and_its_token_stops_working,
    node_shows_own_account_only,
    messages_follow_accept_language,
    me_is_null_without_token,
);

async fn register_login_me_round_trip(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let reply = app
        .gql(
            None,
            REGISTER,
            json!({ "input": { "email": " Siti.Rahma@Mail.co.id ", "password": PASSWORD, "displayName": "Siti Rahma" } }),
        )
        .await;
    let registered = &reply.ok()["register"];
    assert_eq!(registered["account"]["email"], "siti.rahma@mail.co.id");
    assert_eq!(registered["account"]["role"], "CITIZEN");
    assert!(registered["account"]["umkm"].is_null());

    let login = app.login("SITI.RAHMA@mail.co.id", PASSWORD).await;
    let session = &login.ok()["login"];
    assert_eq!(session["account"]["id"], registered["account"]["id"]);
    let token = session["token"].as_str().unwrap();

    let me = app.gql(Some(token), ME, json!({})).await;
    let me = &me.ok()["me"];
    assert_eq!(me["email"], "siti.rahma@mail.co.id");
    assert_eq!(me["displayName"], "Siti Rahma");
    assert_eq!(me["role"], "CITIZEN");
    assert!(me["platform"].is_null());
}

async fn umkm_seller_registers_with_nib(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let reply = app
        .gql(
            None,
            REGISTER,
            json!({ "input": { "email": "toko@batik.id", "password": PASSWORD, "displayName": "Ibu Ani",
                     "umkm": { "nib": "1234567890123", "businessName": "Batik Ani" } } }),
        )
        .await;
    let token = reply.ok()["register"]["token"].as_str().unwrap().to_owned();
    let me = app.gql(Some(&token), ME, json!({})).await;
    assert_eq!(
        me.ok()["me"]["umkm"],
        json!({ "nib": "1234567890123", "businessName": "Batik Ani" })
    );
}

async fn duplicate_email_is_refused_whatever_its_case(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    app.register("budi@mail.id").await;
    let reply = app
        .gql(
            None,
            REGISTER,
            json!({ "input": { "email": "BUDI@mail.id", "password": "another good phrase", "displayName": "Budi 2" } }),
        )
        .await;
    reply.expect_code("BAD_USER_INPUT");
    assert_eq!(reply.field(), "input.email");
    assert!(reply.data().is_null());
}

async fn weak_and_oversized_passwords_are_refused(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    for password in [
        "pendek",
        "password123",
        "Bismillah123",
        &"x".repeat(129),
        &"y".repeat(20_000),
    ] {
        let reply = app
            .gql(
                None,
                REGISTER,
                json!({ "input": { "email": "ani@mail.id", "password": password, "displayName": "Ani" } }),
            )
            .await;
        reply.expect_code("BAD_USER_INPUT");
        assert_eq!(
            reply.field(),
            "input.password",
            "password of {} chars",
            password.len()
        );
    }
    // A 1 MB password never reaches the parser, let alone the hasher: the body cap refuses it.
    let reply = app
        .gql(
            None,
            REGISTER,
            json!({ "input": { "email": "ani@mail.id", "password": "z".repeat(1_000_000), "displayName": "Ani" } }),
        )
        .await;
    assert_eq!(reply.status, 413, "{}", reply.body);
    reply.expect_code("BAD_USER_INPUT");
    // Nothing was created by any of these.
    app.login("ani@mail.id", PASSWORD)
        .await
        .expect_code("UNAUTHENTICATED");
    // 128 characters of anything is fine.
    let long = "ü".repeat(128);
    let reply = app
        .gql(
            None,
            REGISTER,
            json!({ "input": { "email": "ani@mail.id", "password": long, "displayName": "Ani" } }),
        )
        .await;
    reply.ok();
    app.login("ani@mail.id", &long).await.ok();
}

async fn invalid_fields_name_the_field_at_fault(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let cases = [
        (
            json!({ "email": "not-an-email", "password": PASSWORD, "displayName": "A" }),
            "input.email",
        ),
        (
            json!({ "email": "a@mail.id", "password": PASSWORD, "displayName": "   " }),
            "input.displayName",
        ),
        (
            json!({ "email": "a@mail.id", "password": PASSWORD, "displayName": "A\u{0}B" }),
            "input.displayName",
        ),
        (
            json!({ "email": "a@mail.id", "password": PASSWORD, "displayName": "A",
                    "umkm": { "nib": "12345", "businessName": "Toko" } }),
            "input.umkm.nib",
        ),
        (
            json!({ "email": "a@mail.id", "password": PASSWORD, "displayName": "A",
                    "umkm": { "nib": "1234567890123", "businessName": "" } }),
            "input.umkm.businessName",
        ),
    ];
    for (input, field) in cases {
        let reply = app.gql(None, REGISTER, json!({ "input": input })).await;
        reply.expect_code("BAD_USER_INPUT");
        assert_eq!(reply.field(), field);
        assert!(!reply.message().is_empty());
    }
}

async fn unknown_email_and_wrong_password_look_the_same(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    app.register("dewi@mail.id").await;
    let wrong_password = app.login("dewi@mail.id", "not the password").await;
    let unknown_email = app.login("nobody@mail.id", "not the password").await;
    let malformed_email = app.login("nobody", "not the password").await;
    for reply in [&wrong_password, &unknown_email, &malformed_email] {
        reply.expect_code("UNAUTHENTICATED");
        assert!(reply.data().is_null());
    }
    assert_eq!(wrong_password.body, unknown_email.body);
    assert_eq!(wrong_password.body, malformed_email.body);
}

async fn only_admins_create_staff_accounts(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let citizen = app.register("warga@mail.id").await;
    let reviewer = fixtures::reviewer(&app).await;
    let platform = fixtures::representative(&app, "tiktok").await;
    let input = json!({ "input": { "email": "new@kemenkop.go.id", "password": PASSWORD,
                                    "displayName": "New", "role": "ADMIN" } });
    app.gql(None, CREATE_STAFF, input.clone())
        .await
        .expect_code("UNAUTHENTICATED");
    for token in [&citizen, &reviewer, &platform] {
        let reply = app.gql(Some(token), CREATE_STAFF, input.clone()).await;
        reply.expect_code("FORBIDDEN");
        assert!(reply.data().is_null());
    }
    // ... and nothing was created.
    app.login("new@kemenkop.go.id", PASSWORD)
        .await
        .expect_code("UNAUTHENTICATED");
    for token in [&citizen, &reviewer, &platform] {
        app.gql(
            Some(token),
            "mutation($id: ID!) { disableAccount(id: $id) { id } }",
            json!({ "id": "QWNjb3VudDox" }),
        )
        .await
        .expect_code("FORBIDDEN");
    }
}

async fn admin_creates_each_staff_role(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.admin().await;
    let create = |email: &str, role: &str, platform: Option<&str>| json!({ "input": { "email": email, "password": PASSWORD, "displayName": "Staf", "role": role, "platform": platform } });
    let reviewer = app
        .gql(
            Some(&admin),
            CREATE_STAFF,
            create("r@kemenkop.go.id", "REVIEWER", None),
        )
        .await;
    assert_eq!(reviewer.ok()["createStaffAccount"]["role"], "REVIEWER");
    let rep = app
        .gql(
            Some(&admin),
            CREATE_STAFF,
            create("rep@shopee.co.id", "PLATFORM", Some("shopee")),
        )
        .await;
    assert_eq!(rep.ok()["createStaffAccount"]["platform"]["slug"], "shopee");
    let second_admin = app
        .gql(
            Some(&admin),
            CREATE_STAFF,
            create("a2@kemenkop.go.id", "ADMIN", None),
        )
        .await;
    assert_eq!(second_admin.ok()["createStaffAccount"]["role"], "ADMIN");

    let refused = [
        (create("x1@mail.id", "PLATFORM", None), "input.platform"),
        (
            create("x2@mail.id", "PLATFORM", Some("myspace")),
            "input.platform",
        ),
        (
            create("x3@mail.id", "REVIEWER", Some("shopee")),
            "input.platform",
        ),
        (create("x4@mail.id", "CITIZEN", None), "input.role"),
        (create("r@kemenkop.go.id", "REVIEWER", None), "input.email"),
    ];
    for (input, field) in refused {
        let reply = app.gql(Some(&admin), CREATE_STAFF, input).await;
        reply.expect_code("BAD_USER_INPUT");
        assert_eq!(reply.field(), field);
    }

    // The representative signs in and its token names its platform.
    let login = app.login("rep@shopee.co.id", PASSWORD).await;
    let token = login.ok()["login"]["token"].as_str().unwrap().to_owned();
    let me = app.gql(Some(&token), ME, json!({})).await;
    assert_eq!(me.ok()["me"]["platform"]["slug"], "shopee");
    assert_eq!(me.ok()["me"]["role"], "PLATFORM");
}

async fn disabled_account_cannot_sign_in_and_its_token_stops_working(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.admin().await;
    let rep = app
        .staff("rep@tiktok.com", Role::Platform, Some("tiktok"))
        .await;
    let me = app.gql(Some(&rep), ME, json!({})).await;
    let rep_id = me.ok()["me"]["id"].as_str().unwrap().to_owned();

    let disabled = app
        .gql(
            Some(&admin),
            "mutation($id: ID!) { disableAccount(id: $id) { id disabledAt } }",
            json!({ "id": rep_id }),
        )
        .await;
    assert!(disabled.ok()["disableAccount"]["disabledAt"].is_string());

    let reply = app.gql(Some(&rep), ME, json!({})).await;
    assert_eq!(reply.status, 401);
    reply.expect_code("UNAUTHENTICATED");
    app.login("rep@tiktok.com", PASSWORD)
        .await
        .expect_code("UNAUTHENTICATED");

    // An admin cannot lock itself out.
    let admin_id = app.gql(Some(&admin), ME, json!({})).await.ok()["me"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    app.gql(
        Some(&admin),
        "mutation($id: ID!) { disableAccount(id: $id) { id } }",
        json!({ "id": admin_id }),
    )
    .await
    .expect_code("CONFLICT");
    // An unknown id is NOT_FOUND.
    app.gql(
        Some(&admin),
        "mutation($id: ID!) { disableAccount(id: $id) { id } }",
        json!({ "id": "QWNjb3VudDo5OTk5" }),
    )
    .await
    .expect_code("NOT_FOUND");
}

async fn node_shows_own_account_only(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let first = app.register("satu@mail.id").await;
    let second = app.register("dua@mail.id").await;
    let first_id = app.gql(Some(&first), ME, json!({})).await.ok()["me"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let query = "query($id: ID!) { node(id: $id) { id ... on Account { email } } }";
    let own = app
        .gql(Some(&first), query, json!({ "id": first_id }))
        .await;
    assert_eq!(own.ok()["node"]["email"], "satu@mail.id");
    let other = app
        .gql(Some(&second), query, json!({ "id": first_id }))
        .await;
    assert!(other.ok()["node"].is_null());
    let anonymous = app.gql(None, query, json!({ "id": first_id })).await;
    assert!(anonymous.ok()["node"].is_null());
    let garbage = app.gql(Some(&first), query, json!({ "id": "%%%" })).await;
    assert!(garbage.ok()["node"].is_null());
    let admin = app.admin().await;
    let seen_by_admin = app
        .gql(Some(&admin), query, json!({ "id": first_id }))
        .await;
    assert_eq!(seen_by_admin.ok()["node"]["email"], "satu@mail.id");
}

async fn messages_follow_accept_language(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let query = "mutation { login(email: \"x@mail.id\", password: \"whatever1\") { token } }";
    let indonesian = app.gql(None, query, json!({})).await;
    assert_eq!(indonesian.message(), "E-mail atau kata sandi salah.");
    let english = app
        .gql_with_headers(
            None,
            &[("Accept-Language", "en-US,en;q=0.9")],
            query,
            json!({}),
        )
        .await;
    assert_eq!(english.message(), "Wrong e-mail or password.");
    let categories = app
        .gql_with_headers(
            None,
            &[("Accept-Language", "en")],
            "{ categories { code label labelId } }",
            json!({}),
        )
        .await;
    let first = &categories.ok()["categories"][0];
    assert_eq!(first["code"], "USED_CLOTHING_IMPORT");
    assert_eq!(first["label"], "Imported used clothing");
    assert_eq!(first["labelId"], "Impor pakaian bekas");
}

async fn me_is_null_without_token(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let reply = app.gql(None, ME, json!({})).await;
    assert!(reply.ok()["me"].is_null());
}
