//! Re-listings, what each platform sees of sellers, the seller's record in priority and the queue, identifiers reviewers enter, and who may do what with sellers.

use super::*;

crate::on_both_backends!(
    a_removed_listing_reported_again_under_a_new_url_is_a_relisting,
    a_listing_of_a_linked_seller_after_a_removal_is_a_relisting,
    a_platform_sees_only_its_own_platforms_identifiers,
    removals_raise_the_record_and_the_priority_of_every_case_of_the_seller,
    the_queue_filters_by_seller_and_sorts_by_the_sellers_record,
    reviewers_enter_phone_numbers_and_bank_accounts,
    only_reviewers_link_and_enter_and_only_staff_see_sellers,
);

async fn a_removed_listing_reported_again_under_a_new_url_is_a_relisting(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let reviewer = fixtures::reviewer(&app).await;
    let shopee_rep = fixtures::representative(&app, "shopee").await;
    let description = "Kemeja flanel bekas impor, stok baru datang dari Korea.";
    let first = case_for(
        &app,
        "https://shopee.co.id/product/555000/1001",
        description,
    )
    .await;
    let removed_request =
        fixtures::claim_and_forward_case(&app, &reviewer, &first, json!({})).await;
    answer(&app, &shopee_rep, &removed_request, "REMOVED").await;
    // A listing by another shop, not removed: for comparison.
    let plain = case_for(&app, "https://shopee.co.id/product/999000/1", description).await;
    let plain_priority = seller_case(&app, &reviewer, &plain).await["priority"]
        .as_i64()
        .unwrap();

    // The same shop, a new URL, the next day: a re-listing, linked to the earlier case, higher in
    // the queue.
    app.advance_clock(chrono::TimeDelta::days(1));
    let again = case_for(
        &app,
        "https://shopee.co.id/Kemeja-i.555000.1002",
        description,
    )
    .await;
    let case = seller_case(&app, &reviewer, &again).await;
    assert_eq!(case["relisted"], true, "{case}");
    assert_eq!(case["relistedFrom"]["id"], first.as_str());
    assert_eq!(case["priority"].as_i64().unwrap(), plain_priority + 30);
    assert!(
        case["events"][0]["details"]
            .as_str()
            .unwrap()
            .contains("re-listing"),
        "{case}"
    );
    let relisted_only = app
        .gql(Some(&reviewer), QUEUE, json!({ "f": { "relisted": true } }))
        .await;
    let ids: Vec<&str> = relisted_only.ok()["reviewQueue"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["node"]["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, [again.as_str()]);

    // The request the reviewer forwards refers to the earlier one, and the platform sees it.
    let request = fixtures::claim_and_forward_case(&app, &reviewer, &again, json!({})).await;
    let case = seller_case(&app, &reviewer, &again).await;
    assert_eq!(case["takedownRequests"][0]["id"], request.as_str());
    assert_eq!(case["takedownRequests"][0]["relisting"], true);
    assert_eq!(
        case["takedownRequests"][0]["relistingOf"]["id"],
        removed_request.as_str()
    );
    let seen = app
        .gql(Some(&shopee_rep), PLATFORM_CASE, json!({ "id": again }))
        .await;
    let seen = &seen.ok()["case"];
    assert_eq!(seen["relisted"], true);
    assert_eq!(seen["relistedFrom"]["id"], first.as_str());
    assert_eq!(
        seen["takedownRequests"][0]["relistingOf"]["id"],
        removed_request.as_str()
    );

    // The very same URL reported again is a re-listing too.
    let same = case_for(
        &app,
        "https://shopee.co.id/product/555000/1001",
        description,
    )
    .await;
    assert_ne!(same, first, "a final case's target opens a new case");
    assert_eq!(seller_case(&app, &reviewer, &same).await["relisted"], true);

    // A declined request is no removal.
    let declined = case_for(&app, "https://shopee.co.id/product/777000/1", description).await;
    let request = fixtures::claim_and_forward_case(&app, &reviewer, &declined, json!({})).await;
    answer(&app, &shopee_rep, &request, "DECLINED").await;
    let after_decline = case_for(&app, "https://shopee.co.id/product/777000/2", description).await;
    assert_eq!(
        seller_case(&app, &reviewer, &after_decline).await["relisted"],
        false
    );

    // The transparency report counts re-listings per platform (HTML, CSV and GraphQL alike).
    let report = app
        .gql(
            None,
            "{ transparencyReport { platforms { platform { slug } relistings } } }",
            json!({}),
        )
        .await;
    let platforms = report.ok()["transparencyReport"]["platforms"]
        .as_array()
        .unwrap()
        .clone();
    let relistings = |slug: &str| {
        platforms
            .iter()
            .find(|p| p["platform"]["slug"] == slug)
            .map(|p| p["relistings"].as_i64().unwrap())
    };
    assert_eq!(relistings("shopee"), Some(2));
    assert_eq!(relistings("tiktok"), Some(0));
    let (status, csv) = app.get("/transparency.csv").await;
    assert_eq!(status, 200);
    assert!(csv.contains("platform,shopee,relistings,2"), "{csv}");
    assert!(csv.contains("total,all,relistings,2"), "{csv}");
    let (status, page) = app.get("/transparency?lang=en").await;
    assert_eq!(status, 200);
    assert!(page.contains("Re-listed after removal"), "{page}");

    // After the configured window (90 days here) the same shop is no longer a re-listing.
    app.advance_clock(chrono::TimeDelta::days(91));
    let late = case_for(
        &app,
        "https://shopee.co.id/product/555000/1003",
        description,
    )
    .await;
    assert_eq!(seller_case(&app, &reviewer, &late).await["relisted"], false);
}

async fn a_listing_of_a_linked_seller_after_a_removal_is_a_relisting(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let reviewer = fixtures::reviewer(&app).await;
    let tiktok_rep = fixtures::representative(&app, "tiktok").await;
    // A TikTok account (no number) and a Shopee shop (with a number) confirmed as one seller by a
    // reviewer; TikTok removes the account.
    let removed = case_for(
        &app,
        "https://www.tiktok.com/@bal.murah.jkt",
        "Akun live jualan pakaian bekas impor per bal setiap malam.",
    )
    .await;
    let shop = case_for(
        &app,
        SHOPEE_PRODUCT,
        "Kemeja flanel bekas impor, tanya stok ke 0857-1234-5678.",
    )
    .await;
    act(&app, &reviewer, CONFIRM, json!({ "a": removed, "b": shop }))
        .await
        .ok();
    let request = fixtures::claim_and_forward_case(&app, &reviewer, &removed, json!({})).await;
    answer(&app, &tiktok_rep, &request, "REMOVED").await;
    // A Tokopedia listing with the shop's number: the seller is back, on another platform.
    let back = case_for(
        &app,
        "https://www.tokopedia.com/gudangbaru/kemeja-flanel-bekas",
        "Kemeja flanel bekas impor, order WA +62 857 1234 5678.",
    )
    .await;
    let case = seller_case(&app, &reviewer, &back).await;
    assert_eq!(case["relisted"], true, "{case}");
    assert_eq!(case["relistedFrom"]["id"], removed.as_str());
    // The Tokopedia listing shares nothing with the removed account itself: only the confirmed
    // link makes it the same seller. A listing sharing nothing with the seller is no re-listing.
    let unrelated = case_for(
        &app,
        "https://www.tokopedia.com/tokolain/kemeja-flanel",
        "Kemeja flanel bekas impor, order WA 0813-9999-0000.",
    )
    .await;
    assert_eq!(
        seller_case(&app, &reviewer, &unrelated).await["relisted"],
        false
    );
}

async fn a_platform_sees_only_its_own_platforms_identifiers(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let reviewer = fixtures::reviewer(&app).await;
    let tiktok_rep = fixtures::representative(&app, "tiktok").await;
    let shopee_rep = fixtures::representative(&app, "shopee").await;
    let (_, tiktok, shopee) = three_complaints(&app).await;
    act(
        &app,
        &reviewer,
        CONFIRM,
        json!({ "a": tiktok, "b": shopee }),
    )
    .await
    .ok();
    let bank = act(
        &app,
        &reviewer,
        ADD_IDENTIFIER,
        json!({ "c": tiktok, "k": "BANK_ACCOUNT", "v": "BCA 987-654-3210" }),
    )
    .await;
    let bank_id = bank.ok()["addSellerIdentifier"]["id"]
        .as_str()
        .unwrap()
        .to_owned();

    // Shopee's request is sent with nothing attached; TikTok's with the Shopee shop, deliberately.
    let shopee_request =
        fixtures::claim_and_forward_case(&app, &reviewer, &shopee, json!({})).await;
    let tiktok_case = seller_case(&app, &reviewer, &tiktok).await;
    let seller = app
        .gql(
            Some(&reviewer),
            SELLER,
            json!({ "id": tiktok_case["seller"]["id"] }),
        )
        .await;
    let shop_id = seller.ok()["seller"]["identifiers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["value"] == "shopee.co.id/shop/123456789")
        .map(|i| i["id"].as_str().unwrap().to_owned())
        .unwrap();
    // Only identifiers of the case or its seller can be attached.
    fixtures::claim(&app, &reviewer, &tiktok).await;
    let stranger = case_for(
        &app,
        "https://www.tokopedia.com/tokolain/kaos-bekas",
        "Kaos bekas impor, hubungi 0857-1111-2222 untuk pesan.",
    )
    .await;
    let stranger_id = seller_case(&app, &reviewer, &stranger).await["sellerIdentifiers"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let refused = act(
        &app,
        &reviewer,
        FORWARD,
        json!({ "id": tiktok, "input": { "attachIdentifiers": [shop_id, stranger_id] } }),
    )
    .await;
    refused.expect_code("BAD_USER_INPUT");
    assert_eq!(refused.field(), "input.attachIdentifiers[1]");
    let forwarded = act(
        &app,
        &reviewer,
        FORWARD,
        json!({ "id": tiktok, "input": { "attachIdentifiers": [shop_id] } }),
    )
    .await;
    let tiktok_request = forwarded.ok()["forwardCase"]["id"]
        .as_str()
        .unwrap()
        .to_owned();

    // Shopee: its own shop and the number found in its listing; nothing from TikTok, nothing a
    // reviewer entered, no seller, no suggestion; and TikTok's case does not exist for it.
    let seen = app
        .gql(Some(&shopee_rep), PLATFORM_CASE, json!({ "id": shopee }))
        .await;
    let seen = seen.ok()["case"].clone();
    assert_eq!(
        values(&seen["sellerIdentifiers"]),
        ["shopee.co.id/shop/123456789", PHONE]
    );
    assert!(seen["seller"].is_null());
    assert_eq!(seen["sellerSuggestions"], json!([]));
    assert_eq!(seen["takedownRequests"][0]["id"], shopee_request.as_str());
    assert_eq!(
        seen["takedownRequests"][0]["sellerIdentifiers"],
        json!([
            { "kind": "HANDLE", "value": "shopee.co.id/shop/123456789", "attached": false },
            { "kind": "PHONE", "value": PHONE, "attached": false },
        ])
    );
    let text = seen.to_string();
    for secret in ["tiktok", "bal.murah", "BCA", "9876543210"] {
        assert!(!text.contains(secret), "{secret} reached Shopee: {text}");
    }
    let other = app
        .gql(Some(&shopee_rep), PLATFORM_CASE, json!({ "id": tiktok }))
        .await;
    assert!(other.ok()["case"].is_null());
    let seller_id = tiktok_case["seller"]["id"].clone();
    let page = app
        .gql(Some(&shopee_rep), SELLER, json!({ "id": seller_id }))
        .await;
    assert!(page.ok()["seller"].is_null());
    let listed = app
        .gql(
            Some(&shopee_rep),
            "{ takedownRequests { edges { node { id sellerIdentifiers { value } case { sellerIdentifiers { value } } } } } }",
            json!({}),
        )
        .await;
    let listed = listed.ok().to_string();
    assert!(
        listed.contains("shopee.co.id/shop") && !listed.contains("tiktok"),
        "{listed}"
    );

    // TikTok: its own handle and number, plus the Shopee shop the reviewer attached (marked so);
    // never the bank account, which no reviewer attached.
    let seen = app
        .gql(Some(&tiktok_rep), PLATFORM_CASE, json!({ "id": tiktok }))
        .await;
    let seen = seen.ok()["case"].clone();
    assert_eq!(
        values(&seen["sellerIdentifiers"]),
        ["tiktok.com/@bal.murah.jkt", PHONE]
    );
    assert_eq!(
        seen["takedownRequests"][0]["sellerIdentifiers"],
        json!([
            { "kind": "HANDLE", "value": "shopee.co.id/shop/123456789", "attached": true },
            { "kind": "HANDLE", "value": "tiktok.com/@bal.murah.jkt", "attached": false },
            { "kind": "PHONE", "value": PHONE, "attached": false },
        ])
    );
    assert!(!seen.to_string().contains("BCA"), "{seen}");
    // The attachment is in the audit trail.
    let case = seller_case(&app, &reviewer, &tiktok).await;
    let attached = case["events"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["action"] == "seller.identifiers_attached")
        .expect("an audit event for the attachment");
    assert_eq!(attached["details"], "HANDLE shopee.co.id/shop/123456789");
    assert_eq!(case["takedownRequests"][0]["id"], tiktok_request.as_str());
    // The bank account is the reviewers' own.
    assert!(values(&case["sellerIdentifiers"]).contains(&"BCA 9876543210".to_owned()));
    assert!(!bank_id.is_empty());
}

async fn removals_raise_the_record_and_the_priority_of_every_case_of_the_seller(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let reviewer = fixtures::reviewer(&app).await;
    let shopee_rep = fixtures::representative(&app, "shopee").await;
    let (_, tiktok, shopee) = three_complaints(&app).await;
    let confirmed = act(
        &app,
        &reviewer,
        CONFIRM,
        json!({ "a": tiktok, "b": shopee }),
    )
    .await;
    let seller_id = confirmed.ok()["confirmSellerLink"]["id"].clone();
    let before = seller_case(&app, &reviewer, &tiktok).await["priority"]
        .as_i64()
        .unwrap();
    let request = fixtures::claim_and_forward_case(&app, &reviewer, &shopee, json!({})).await;
    answer(&app, &shopee_rep, &request, "REMOVED").await;
    let page = app
        .gql(Some(&reviewer), SELLER, json!({ "id": seller_id }))
        .await;
    assert_eq!(
        page.ok()["seller"]["record"],
        json!({ "score": 2, "resolvedTakedowns": 1, "relistings": 0, "platforms": 2 })
    );
    // Score 1 → 2: the TikTok case, still open, gains 10 more.
    let after = seller_case(&app, &reviewer, &tiktok).await;
    assert_eq!(after["priority"].as_i64().unwrap(), before + 10);
    assert_eq!(after["seller"]["record"]["score"], 2);
    // The seller page shows the outcome of each case.
    let outcome = app
        .gql(
            Some(&reviewer),
            "query($id: ID!) { seller(id: $id) { cases { status takedownRequests { action } } } }",
            json!({ "id": seller_id }),
        )
        .await;
    assert_eq!(
        outcome.ok()["seller"]["cases"],
        json!([
            { "status": "OPEN", "takedownRequests": [] },
            { "status": "RESOLVED", "takedownRequests": [{ "action": "REMOVED" }] },
        ])
    );
    // The platform later reinstates the listing (an appeal upheld): the removal no longer counts
    // against the seller, and the case is back in review (issue 30).
    app.gql(
        Some(&shopee_rep),
        "mutation($id: ID!) { reportReinstatement(id: $id, input: {
            statementOfReasons: \"Banding penjual dikabulkan setelah peninjauan ulang.\" }) { id } }",
        json!({ "id": request }),
    )
    .await
    .ok();
    let page = app
        .gql(Some(&reviewer), SELLER, json!({ "id": seller_id }))
        .await;
    assert_eq!(
        page.ok()["seller"]["record"],
        json!({ "score": 1, "resolvedTakedowns": 0, "relistings": 0, "platforms": 2 })
    );
    let after = seller_case(&app, &reviewer, &tiktok).await;
    assert_eq!(after["priority"].as_i64().unwrap(), before);
}

async fn the_queue_filters_by_seller_and_sorts_by_the_sellers_record(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let reviewer = fixtures::reviewer(&app).await;
    let (instagram, tiktok, shopee) = three_complaints(&app).await;
    // A case of higher priority than any of the seller's: severity 5 and keyword flags.
    let urgent = fixtures::report(
        &app,
        None,
        json!({ "category": "SMUGGLED_GOODS", "listingUrl": "https://www.instagram.com/p/Selundup1/",
                "description": "Thrifting bal press, hidden gem bekas impor masuk lewat jalur tikus." }),
    )
    .await
    .case_id;
    let confirmed = act(
        &app,
        &reviewer,
        CONFIRM,
        json!({ "a": tiktok, "b": shopee }),
    )
    .await;
    let seller_id = confirmed.ok()["confirmSellerLink"]["id"]
        .as_str()
        .unwrap()
        .to_owned();

    let page = |reply: &crate::helpers::Reply| -> (Vec<String>, Value) {
        let queue = &reply.ok()["reviewQueue"];
        let ids = queue["edges"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["node"]["id"].as_str().unwrap().to_owned())
            .collect();
        (ids, queue["pageInfo"].clone())
    };
    let by_seller = app
        .gql(
            Some(&reviewer),
            QUEUE,
            json!({ "f": { "seller": seller_id } }),
        )
        .await;
    let (mut ids, _) = page(&by_seller);
    ids.sort_unstable();
    let mut expected = vec![tiktok.clone(), shopee.clone()];
    expected.sort_unstable();
    assert_eq!(ids, expected);
    // Another node type's ID is no seller: nothing matches.
    let none = app
        .gql(Some(&reviewer), QUEUE, json!({ "f": { "seller": tiktok } }))
        .await;
    assert_eq!(page(&none).0, Vec::<String>::new());

    let (by_priority, _) = page(&app.gql(Some(&reviewer), QUEUE, json!({})).await);
    assert_eq!(
        by_priority[0], urgent,
        "the smuggling case leads by priority"
    );
    // By the seller's record, a page at a time: the seller's cases first, each case once.
    let mut seen = Vec::new();
    let mut after: Option<String> = None;
    loop {
        let reply = app
            .gql(
                Some(&reviewer),
                QUEUE,
                json!({ "o": "SELLER_RECORD", "first": 1, "after": after }),
            )
            .await;
        let (ids, info) = page(&reply);
        seen.extend(ids);
        if info["hasNextPage"] != true {
            break;
        }
        after = info["endCursor"].as_str().map(str::to_owned);
    }
    assert_eq!(seen.len(), 4, "{seen:?}");
    let mut head = seen[..2].to_vec();
    head.sort_unstable();
    assert_eq!(head, expected);
    assert_eq!(seen[2], urgent);
    assert_eq!(seen[3], instagram);
    // A cursor of one order is refused by the other.
    let (_, info) = page(&app.gql(Some(&reviewer), QUEUE, json!({ "first": 1 })).await);
    let mixed = app
        .gql(
            Some(&reviewer),
            QUEUE,
            json!({ "o": "SELLER_RECORD", "after": info["endCursor"] }),
        )
        .await;
    mixed.expect_code("BAD_USER_INPUT");
    assert_eq!(mixed.field(), "after");
}

async fn reviewers_enter_phone_numbers_and_bank_accounts(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let reviewer = fixtures::reviewer(&app).await;
    let description = "Menjual pakaian bekas impor per karung, pengiriman dari pelabuhan.";
    let first = case_for(&app, "https://www.instagram.com/p/Rekening1/", description).await;
    let second = case_for(
        &app,
        "https://www.facebook.com/marketplace/item/1234567890/",
        description,
    )
    .await;
    assert_eq!(
        seller_case(&app, &reviewer, &first).await["sellerSuggestions"],
        json!([])
    );
    for (case_id, written) in [(&first, "BCA 123-456-7890"), (&second, "bca: 1234567890")] {
        let added = act(
            &app,
            &reviewer,
            ADD_IDENTIFIER,
            json!({ "c": case_id, "k": "BANK_ACCOUNT", "v": written }),
        )
        .await;
        assert_eq!(
            added.ok()["addSellerIdentifier"],
            json!({ "id": added.ok()["addSellerIdentifier"]["id"], "kind": "BANK_ACCOUNT",
                    "value": "BCA 1234567890", "source": "REVIEWER" })
        );
    }
    // The same account links the two cases.
    let case = seller_case(&app, &reviewer, &first).await;
    assert_eq!(case["sellerSuggestions"][0]["case"]["id"], second.as_str());
    assert_eq!(
        case["sellerSuggestions"][0]["sharedIdentifiers"],
        json!([{ "kind": "BANK_ACCOUNT", "value": "BCA 1234567890" }])
    );
    assert!(
        case["events"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["action"] == "seller.identifier_added"
                && e["details"] == "BANK_ACCOUNT BCA 1234567890")
    );
    let phone = act(
        &app,
        &reviewer,
        ADD_IDENTIFIER,
        json!({ "c": first, "k": "PHONE", "v": "0812 3456 7890" }),
    )
    .await;
    assert_eq!(phone.ok()["addSellerIdentifier"]["value"], PHONE);
    for (kind, bad) in [
        ("PHONE", "12345"),
        ("BANK_ACCOUNT", "1234567890"),
        ("BANK_ACCOUNT", "BCA 12"),
    ] {
        let refused = act(
            &app,
            &reviewer,
            ADD_IDENTIFIER,
            json!({ "c": first, "k": kind, "v": bad }),
        )
        .await;
        refused.expect_code("BAD_USER_INPUT");
        assert_eq!(refused.field(), "value");
    }
    let unknown = act(
        &app,
        &reviewer,
        ADD_IDENTIFIER,
        json!({ "c": "Q2FzZTo5OTk5", "k": "PHONE", "v": "0812 3456 7890" }),
    )
    .await;
    unknown.expect_code("NOT_FOUND");

    // A reporter's reply that names the seller's number adds it, with its source.
    fixtures::claim(&app, &reviewer, &first).await;
    let citizen = app.register("warga@contoh.id").await;
    let mine = submit(
        &app,
        Some(&citizen),
        report("https://www.instagram.com/p/Rekening1/", description),
    )
    .await;
    act(
        &app,
        &reviewer,
        "mutation($id: ID!) { requestInformation(caseId: $id, message: \"Apakah ada nomor kontak penjual?\") { status } }",
        json!({ "id": first }),
    )
    .await
    .ok();
    app.gql(
        Some(&citizen),
        "mutation($id: ID!) { replyToInformationRequest(complaintId: $id, message: \"Penjual minta transfer ke rekening pribadi\", sellerDetails: \"WA-nya wa.me/6285711112222\") { id } }",
        json!({ "id": mine["complaint"]["id"] }),
    )
    .await
    .ok();
    let case = seller_case(&app, &reviewer, &first).await;
    assert!(
        case["sellerIdentifiers"]
            .as_array()
            .unwrap()
            .iter()
            .any(|i| i["value"] == "+6285711112222"
                && i["kind"] == "WHATSAPP"
                && i["source"] == "REPLY"),
        "{case}"
    );
}

async fn only_reviewers_link_and_enter_and_only_staff_see_sellers(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let reviewer = fixtures::reviewer(&app).await;
    let admin = app.admin().await;
    let platform = fixtures::representative(&app, "tiktok").await;
    let citizen = app.register("warga@contoh.id").await;
    let (_, tiktok, shopee) = three_complaints(&app).await;
    let confirmed = act(
        &app,
        &reviewer,
        CONFIRM,
        json!({ "a": tiktok, "b": shopee }),
    )
    .await;
    let seller_id = confirmed.ok()["confirmSellerLink"]["id"].clone();

    let operations = [
        (CONFIRM, json!({ "a": tiktok, "b": shopee })),
        (REJECT_LINK, json!({ "a": tiktok, "b": shopee })),
        (
            ADD_IDENTIFIER,
            json!({ "c": tiktok, "k": "BANK_ACCOUNT", "v": "BCA 1234567890" }),
        ),
    ];
    for (operation, variables) in &operations {
        for (token, code) in [
            (None, "UNAUTHENTICATED"),
            (Some(citizen.as_str()), "FORBIDDEN"),
            (Some(platform.as_str()), "FORBIDDEN"),
            (Some(admin.as_str()), "FORBIDDEN"),
        ] {
            let reply = app.gql(token, operation, variables.clone()).await;
            assert_eq!(
                reply.code(),
                code,
                "{operation} as {token:?}: {}",
                reply.body
            );
        }
    }
    // Nothing was written by the refused calls.
    let case = seller_case(&app, &reviewer, &tiktok).await;
    assert_eq!(
        case["events"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|e| e["action"].as_str().unwrap().starts_with("seller."))
            .count(),
        1
    );

    // `seller` is null for anyone but staff; administrators read it.
    for token in [None, Some(citizen.as_str()), Some(platform.as_str())] {
        let reply = app.gql(token, SELLER, json!({ "id": seller_id })).await;
        assert!(reply.ok()["seller"].is_null(), "{token:?}: {}", reply.body);
    }
    let read = app
        .gql(Some(&admin), SELLER, json!({ "id": seller_id }))
        .await;
    assert_eq!(read.ok()["seller"]["record"]["platforms"], 2);
    // The queue (and so its seller filter and order) stays the reviewers'.
    for token in [Some(citizen.as_str()), Some(platform.as_str())] {
        let reply = app
            .gql(
                token,
                QUEUE,
                json!({ "f": { "seller": seller_id }, "o": "SELLER_RECORD" }),
            )
            .await;
        reply.expect_code("FORBIDDEN");
    }
}
