//! Sellers across platforms (issue 17): identifiers found at intake, suggested links between cases
//! that share one, a reviewer's confirmation or rejection, the seller page and its record, the
//! priority boost, re-listings after a removal, what each platform sees of a seller, re-listings in
//! the transparency report, and who may do any of it.

use serde_json::{Value, json};

use crate::fixtures;
use crate::helpers::{Backend, TestApp};
use crate::intake::submit;
use crate::review::{FORWARD, act};

const CONFIRM: &str =
    "mutation($a: ID!, $b: ID!) { confirmSellerLink(caseId: $a, otherCaseId: $b) {
    id platforms { slug } cases { id status platform { slug } takedownRequests { action } }
    identifiers { kind value source foundOn { slug } }
    firstSeenAt lastSeenAt record { score resolvedTakedowns relistings platforms } } }";
const REJECT_LINK: &str =
    "mutation($a: ID!, $b: ID!) { rejectSellerLink(caseId: $a, otherCaseId: $b) { id } }";
const ADD_IDENTIFIER: &str = "mutation($c: ID!, $k: EnteredIdentifierKind!, $v: String!) {
    addSellerIdentifier(caseId: $c, kind: $k, value: $v) { id kind value source } }";
const SELLER: &str = "query($id: ID!) { seller(id: $id) {
    id platforms { slug } cases { id platform { slug } }
    identifiers { id kind value source } record { score resolvedTakedowns relistings platforms } } }";
const SELLER_CASE: &str = "query($id: ID!) { case(id: $id) {
    id status priority relisted relistedFrom { id }
    sellerIdentifiers { id kind value source foundOn { slug } }
    sellerSuggestions { case { id platform { slug } } sharedIdentifiers { kind value } }
    seller { id record { score } }
    takedownRequests { id relisting relistingOf { id } sellerIdentifiers { kind value attached } }
    events { action details } } }";
const PLATFORM_CASE: &str = "query($id: ID!) { case(id: $id) {
    id relisted relistedFrom { id }
    sellerIdentifiers { kind value source }
    sellerSuggestions { case { id } }
    seller { id }
    takedownRequests { id relisting relistingOf { id } sellerIdentifiers { kind value attached } } } }";
const RESPOND: &str = "mutation($id: ID!, $a: TakedownAction!) { respondToTakedownRequest(id: $id,
    input: { action: $a, statementOfReasons: \"Konten telah ditinjau sesuai pedoman komunitas.\" }) { id status } }";
const QUEUE: &str = "query($f: CaseFilter, $o: QueueOrder, $after: String, $first: Int) {
    reviewQueue(filter: $f, orderBy: $o, after: $after, first: $first) {
    pageInfo { hasNextPage endCursor } edges { node { id priority relisted seller { id } } } } }";

const INSTAGRAM_PROFILE: &str = "https://www.instagram.com/thrift.bandung.id/";
const TIKTOK_VIDEO: &str = "https://www.tiktok.com/@bal.murah.jkt/video/7301234567890123456";
const SHOPEE_PRODUCT: &str = "https://shopee.co.id/Kemeja-Flanel-Bekas-Impor-i.123456789.987654321";
const PHONE: &str = "+6281234567890";

fn report(url: &str, description: &str) -> Value {
    json!({ "category": "USED_CLOTHING_IMPORT", "listingUrl": url, "description": description })
}

/// Reports `url` anonymously; returns its case's global ID.
async fn case_for(app: &TestApp, url: &str, description: &str) -> String {
    fixtures::report(app, None, report(url, description))
        .await
        .case_id
}

/// The three complaints of the issue: an Instagram profile, a TikTok video by another handle whose
/// description gives a WhatsApp number, a Shopee product whose description gives the same number
/// in another spelling. Returns their case IDs.
async fn three_complaints(app: &TestApp) -> (String, String, String) {
    let instagram = case_for(
        app,
        INSTAGRAM_PROFILE,
        "Akun ini menjual pakaian bekas impor per bal, kirim ke seluruh Indonesia.",
    )
    .await;
    let tiktok = case_for(
        app,
        TIKTOK_VIDEO,
        "Live jualan baju bekas impor tiap malam, order WA 0812-3456-7890 ya kak.",
    )
    .await;
    let shopee = case_for(
        app,
        SHOPEE_PRODUCT,
        "Kemeja flanel bekas impor dari Korea, tanya stok ke +62 812 3456 7890.",
    )
    .await;
    (instagram, tiktok, shopee)
}

async fn seller_case(app: &TestApp, token: &str, id: &str) -> Value {
    let reply = app.gql(Some(token), SELLER_CASE, json!({ "id": id })).await;
    reply.ok()["case"].clone()
}

fn values(identifiers: &Value) -> Vec<String> {
    identifiers
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["value"].as_str().unwrap().to_owned())
        .collect()
}

async fn answer(app: &TestApp, platform: &str, request_id: &str, action: &str) {
    app.gql(
        Some(platform),
        RESPOND,
        json!({ "id": request_id, "a": action }),
    )
    .await
    .ok();
}

crate::on_both_backends!(
    three_complaints_make_one_suggested_seller_that_a_reviewer_confirms,
    a_rejected_link_is_not_suggested_again,
    two_sellers_confirmed_as_one_become_one,
    a_merge_moves_the_identifiers_to_the_target,
);

async fn three_complaints_make_one_suggested_seller_that_a_reviewer_confirms(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let reviewer = fixtures::reviewer(&app).await;
    let (instagram, tiktok, shopee) = three_complaints(&app).await;

    // Identifiers, as data with their source.
    let tiktok_case = seller_case(&app, &reviewer, &tiktok).await;
    let found: Vec<(String, String, String)> = tiktok_case["sellerIdentifiers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            (
                i["kind"].as_str().unwrap().to_owned(),
                i["value"].as_str().unwrap().to_owned(),
                i["source"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert_eq!(
        found,
        [
            ("HANDLE", "tiktok.com/@bal.murah.jkt", "LISTING_URL"),
            ("PHONE", PHONE, "DESCRIPTION"),
        ]
        .map(|(k, v, s)| (k.to_owned(), v.to_owned(), s.to_owned()))
    );
    let shopee_case = seller_case(&app, &reviewer, &shopee).await;
    assert_eq!(
        values(&shopee_case["sellerIdentifiers"]),
        ["shopee.co.id/shop/123456789", PHONE]
    );
    let instagram_case = seller_case(&app, &reviewer, &instagram).await;
    assert_eq!(
        values(&instagram_case["sellerIdentifiers"]),
        ["instagram.com/thrift.bandung.id"]
    );

    // One suggested seller: the TikTok and Shopee cases, linked by the phone number; the
    // Instagram profile shares nothing with them.
    let suggested = &tiktok_case["sellerSuggestions"];
    assert_eq!(suggested.as_array().unwrap().len(), 1, "{suggested}");
    assert_eq!(suggested[0]["case"]["id"], shopee.as_str());
    assert_eq!(suggested[0]["case"]["platform"]["slug"], "shopee");
    assert_eq!(
        suggested[0]["sharedIdentifiers"],
        json!([{ "kind": "PHONE", "value": PHONE }])
    );
    let suggested = &shopee_case["sellerSuggestions"];
    assert_eq!(suggested.as_array().unwrap().len(), 1, "{suggested}");
    assert_eq!(suggested[0]["case"]["id"], tiktok.as_str());
    assert_eq!(instagram_case["sellerSuggestions"], json!([]));
    assert!(tiktok_case["seller"].is_null());
    let priority_before = tiktok_case["priority"].as_i64().unwrap();

    // The reviewer confirms: the seller page shows both platforms.
    let confirmed = act(
        &app,
        &reviewer,
        CONFIRM,
        json!({ "a": tiktok, "b": shopee }),
    )
    .await;
    let seller = confirmed.ok()["confirmSellerLink"].clone();
    assert_eq!(
        seller["platforms"],
        json!([{ "slug": "tiktok" }, { "slug": "shopee" }])
    );
    let cases: Vec<&str> = seller["cases"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    assert_eq!(cases, [tiktok.as_str(), shopee.as_str()]);
    assert_eq!(seller["cases"][0]["status"], "OPEN");
    assert_eq!(
        values(&seller["identifiers"]),
        [
            "tiktok.com/@bal.murah.jkt",
            PHONE,
            "shopee.co.id/shop/123456789"
        ]
    );
    assert_eq!(
        seller["record"],
        json!({ "score": 1, "resolvedTakedowns": 0, "relistings": 0, "platforms": 2 })
    );
    assert!(seller["firstSeenAt"].is_string() && seller["lastSeenAt"].is_string());

    // The same seller by `seller(id)`, by `node(id)` and from either case; no suggestion left.
    let seller_id = seller["id"].as_str().unwrap();
    let page = app
        .gql(Some(&reviewer), SELLER, json!({ "id": seller_id }))
        .await;
    assert_eq!(
        page.ok()["seller"]["platforms"],
        json!([{ "slug": "tiktok" }, { "slug": "shopee" }])
    );
    let node = app
        .gql(
            Some(&reviewer),
            "query($id: ID!) { node(id: $id) { ... on Seller { id record { platforms } } } }",
            json!({ "id": seller_id }),
        )
        .await;
    assert_eq!(node.ok()["node"]["record"]["platforms"], 2);
    for case_id in [&tiktok, &shopee] {
        let case = seller_case(&app, &reviewer, case_id).await;
        assert_eq!(case["seller"]["id"], seller_id);
        assert_eq!(case["sellerSuggestions"], json!([]));
        // Audited on both cases.
        let events: Vec<&str> = case["events"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["action"].as_str().unwrap())
            .collect();
        assert!(events.contains(&"seller.link_confirmed"), "{events:?}");
    }
    // A confirmed repeat offender's cases gain 10·min(score, 5).
    let tiktok_case = seller_case(&app, &reviewer, &tiktok).await;
    assert_eq!(
        tiktok_case["priority"].as_i64().unwrap(),
        priority_before + 10
    );

    // Confirming again changes nothing; linking a case with itself is refused.
    let again = act(
        &app,
        &reviewer,
        CONFIRM,
        json!({ "a": shopee, "b": tiktok }),
    )
    .await;
    assert_eq!(again.ok()["confirmSellerLink"]["id"], seller_id);
    let itself = act(
        &app,
        &reviewer,
        CONFIRM,
        json!({ "a": shopee, "b": shopee }),
    )
    .await;
    itself.expect_code("BAD_USER_INPUT");
    assert_eq!(itself.field(), "otherCaseId");
    // Rejecting a confirmed pair is a conflict.
    let reject = act(
        &app,
        &reviewer,
        REJECT_LINK,
        json!({ "a": tiktok, "b": shopee }),
    )
    .await;
    reject.expect_code("CONFLICT");

    // The Instagram case joins the seller when a reviewer links it by judgement.
    let linked = act(
        &app,
        &reviewer,
        CONFIRM,
        json!({ "a": instagram, "b": shopee }),
    )
    .await;
    let seller = &linked.ok()["confirmSellerLink"];
    assert_eq!(seller["id"], seller_id);
    assert_eq!(seller["record"]["platforms"], 3);
    assert_eq!(seller["record"]["score"], 2);
}

async fn a_rejected_link_is_not_suggested_again(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let reviewer = fixtures::reviewer(&app).await;
    let (_, tiktok, shopee) = three_complaints(&app).await;
    let rejected = act(
        &app,
        &reviewer,
        REJECT_LINK,
        json!({ "a": shopee, "b": tiktok }),
    )
    .await;
    assert_eq!(rejected.ok()["rejectSellerLink"]["id"], shopee.as_str());
    for case_id in [&tiktok, &shopee] {
        let case = seller_case(&app, &reviewer, case_id).await;
        assert_eq!(case["sellerSuggestions"], json!([]), "{case}");
        let events: Vec<&str> = case["events"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["action"].as_str().unwrap())
            .collect();
        assert!(events.contains(&"seller.link_rejected"), "{events:?}");
    }
    // A third case with the same number is still suggested with both.
    let third = case_for(
        &app,
        "https://www.tokopedia.com/gudangbal/jaket-bomber-bekas",
        "Jaket bekas impor, hubungi 081234567890 untuk grosir.",
    )
    .await;
    let case = seller_case(&app, &reviewer, &third).await;
    let mut others: Vec<&str> = case["sellerSuggestions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["case"]["id"].as_str().unwrap())
        .collect();
    others.sort_unstable();
    let mut expected = [tiktok.as_str(), shopee.as_str()];
    expected.sort_unstable();
    assert_eq!(others, expected);
    // Unknown cases are NOT_FOUND.
    let unknown = act(
        &app,
        &reviewer,
        REJECT_LINK,
        json!({ "a": third, "b": "Q2FzZTo5OTk5" }),
    )
    .await;
    unknown.expect_code("NOT_FOUND");
}

async fn two_sellers_confirmed_as_one_become_one(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let reviewer = fixtures::reviewer(&app).await;
    let (_, tiktok, shopee) = three_complaints(&app).await;
    let tokopedia = case_for(
        &app,
        "https://www.tokopedia.com/gudangbal/jaket-bekas",
        "Jaket bekas impor grosir, WA 0857-1234-5678.",
    )
    .await;
    let facebook = case_for(
        &app,
        "https://www.facebook.com/gudangbal.official",
        "Halaman jualan bal bekas impor, hubungi +62 857 1234 5678.",
    )
    .await;
    let first = act(
        &app,
        &reviewer,
        CONFIRM,
        json!({ "a": tiktok, "b": shopee }),
    )
    .await;
    let first = first.ok()["confirmSellerLink"]["id"].clone();
    let second = act(
        &app,
        &reviewer,
        CONFIRM,
        json!({ "a": tokopedia, "b": facebook }),
    )
    .await;
    let second = second.ok()["confirmSellerLink"]["id"].clone();
    assert_ne!(first, second);
    let merged = act(
        &app,
        &reviewer,
        CONFIRM,
        json!({ "a": shopee, "b": facebook }),
    )
    .await;
    let merged = merged.ok()["confirmSellerLink"].clone();
    assert_eq!(merged["id"], first);
    assert_eq!(merged["cases"].as_array().unwrap().len(), 4);
    assert_eq!(merged["record"]["platforms"], 4);
    assert_eq!(
        seller_case(&app, &reviewer, &tokopedia).await["seller"]["id"],
        first
    );
    let gone = app
        .gql(Some(&reviewer), SELLER, json!({ "id": second }))
        .await;
    assert!(gone.ok()["seller"].is_null(), "{}", gone.body);
}

async fn a_merge_moves_the_identifiers_to_the_target(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let reviewer = fixtures::reviewer(&app).await;
    let target = case_for(
        &app,
        "https://www.instagram.com/p/GabungA/",
        "Pakaian bekas impor per bal, WA 0812-3456-7890.",
    )
    .await;
    let source = case_for(
        &app,
        "https://www.instagram.com/p/GabungB/",
        "Pakaian bekas impor per bal, order +62 812 3456 7890 atau wa.me/6285711112222.",
    )
    .await;
    act(
        &app,
        &reviewer,
        crate::review::MERGE,
        json!({ "t": target, "s": [source] }),
    )
    .await
    .ok();
    let merged = seller_case(&app, &reviewer, &target).await;
    assert_eq!(
        values(&merged["sellerIdentifiers"]),
        [PHONE, "+6285711112222"],
        "each value once, the target's first"
    );
    // The closed source is no suggestion for its target.
    assert_eq!(merged["sellerSuggestions"], json!([]));
}

mod records;
