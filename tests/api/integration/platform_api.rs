//! Bulk answers and acknowledgements, the changes feed, webhook management and who may use each integration operation.

use super::*;

crate::on_both_backends!(
    one_invalid_answer_refuses_the_whole_batch,
    bulk_acknowledgements_are_all_or_nothing,
    the_changes_feed_pages_by_last_change,
    integration_operations_refuse_other_roles,
    platforms_manage_only_their_own_webhooks,
    redirects_are_not_followed,
    a_deactivated_platform_s_clients_are_refused,
);

async fn one_invalid_answer_refuses_the_whole_batch(backend: Backend) {
    let app = spawn(backend).await;
    let desk = desk(&app).await;
    let rep = fixtures::representative(&app, "shopee").await;
    let mut ids = Vec::new();
    for n in 0..100 {
        let (_, id) = forwarded(
            &app,
            &desk,
            &format!("https://shopee.co.id/product/100/{n}"),
        )
        .await;
        ids.push(id);
    }
    let inputs = |bad: Option<usize>| -> Value {
        ids.iter()
            .enumerate()
            .map(|(index, id)| {
                let reasons = if Some(index) == bad { "too short" } else { REASONS };
                json!({ "id": id, "answer": { "action": "REMOVED", "statementOfReasons": reasons } })
            })
            .collect()
    };
    let reply = app
        .gql(
            Some(&rep),
            BULK_RESPOND,
            json!({ "inputs": inputs(Some(57)) }),
        )
        .await;
    let result = &reply.ok()["respondToTakedownRequests"];
    assert_eq!(result["applied"], false);
    assert_eq!(result["requests"], json!([]));
    assert_eq!(
        result["errors"],
        json!([{ "index": 57, "code": "BAD_USER_INPUT", "field": "inputs[57].answer.statementOfReasons",
                 "message": result["errors"][0]["message"] }])
    );
    // Nothing was applied.
    for id in [&ids[0], &ids[99]] {
        let node = app
            .gql(Some(&rep), REQUEST_STATUS, json!({ "id": id }))
            .await;
        assert_eq!(node.ok()["node"]["status"], "PENDING");
    }
    // An item the database refuses (already answered) also refuses the batch.
    app.gql(
        Some(&rep),
        BULK_RESPOND,
        json!({ "inputs": [{ "id": ids[3], "answer": { "action": "REMOVED", "statementOfReasons": REASONS } }] }),
    )
    .await
    .ok();
    let reply = app
        .gql(Some(&rep), BULK_RESPOND, json!({ "inputs": inputs(None) }))
        .await;
    let result = &reply.ok()["respondToTakedownRequests"];
    assert_eq!(result["applied"], false);
    assert_eq!(result["errors"][0]["index"], 3);
    assert_eq!(result["errors"][0]["code"], "CONFLICT");
    let node = app
        .gql(Some(&rep), REQUEST_STATUS, json!({ "id": ids[4] }))
        .await;
    assert_eq!(node.ok()["node"]["status"], "PENDING");
    // All valid: all applied.
    let valid: Vec<Value> = inputs(None)
        .as_array()
        .unwrap()
        .iter()
        .enumerate()
        .filter(|(index, _)| *index != 3)
        .map(|(_, item)| item.clone())
        .collect();
    let reply = app
        .gql(Some(&rep), BULK_RESPOND, json!({ "inputs": valid }))
        .await;
    let result = &reply.ok()["respondToTakedownRequests"];
    assert_eq!(result["applied"], true, "{result}");
    assert_eq!(result["requests"].as_array().unwrap().len(), 99);
    // Limits: none, more than 100, the same request twice.
    app.gql(Some(&rep), BULK_RESPOND, json!({ "inputs": [] }))
        .await
        .expect_code("BAD_USER_INPUT");
    let mut too_many = inputs(None).as_array().unwrap().clone();
    too_many.push(too_many[0].clone());
    let reply = app
        .gql(Some(&rep), BULK_RESPOND, json!({ "inputs": too_many }))
        .await;
    reply.expect_code("BAD_USER_INPUT");
    assert_eq!(reply.field(), "inputs");
}

async fn bulk_acknowledgements_are_all_or_nothing(backend: Backend) {
    let app = spawn(backend).await;
    let desk = desk(&app).await;
    let tiktok = fixtures::representative(&app, "tiktok").await;
    let (_, mine) = forwarded(&app, &desk, "https://www.tiktok.com/@ack/video/6").await;
    let (_, theirs) = forwarded(&app, &desk, "https://shopee.co.id/product/7/8").await;
    let reply = app
        .gql(Some(&tiktok), BULK_ACK, json!({ "ids": [mine, theirs] }))
        .await;
    let result = &reply.ok()["acknowledgeTakedownRequests"];
    assert_eq!(result["applied"], false);
    assert_eq!(
        result["errors"],
        json!([{ "index": 1, "code": "NOT_FOUND", "field": null }])
    );
    let node = app
        .gql(Some(&tiktok), REQUEST_STATUS, json!({ "id": mine }))
        .await;
    assert_eq!(node.ok()["node"]["status"], "PENDING");
    let reply = app
        .gql(Some(&tiktok), BULK_ACK, json!({ "ids": [mine, mine] }))
        .await;
    assert_eq!(
        reply.ok()["acknowledgeTakedownRequests"]["errors"][0]["index"],
        1
    );
    let reply = app
        .gql(Some(&tiktok), BULK_ACK, json!({ "ids": [mine] }))
        .await;
    assert_eq!(
        reply.ok()["acknowledgeTakedownRequests"]["requests"][0]["status"],
        "ACKNOWLEDGED"
    );
}

async fn the_changes_feed_pages_by_last_change(backend: Backend) {
    let app = spawn(backend).await;
    let desk = desk(&app).await;
    let rep = fixtures::representative(&app, "tiktok").await;
    let start = app.now().and_utc().to_rfc3339();
    let mut ids = Vec::new();
    for n in 0..3 {
        let (_, id) = forwarded(
            &app,
            &desk,
            &format!("https://www.tiktok.com/@feed/video/{n}"),
        )
        .await;
        ids.push(id);
        app.advance_clock(chrono::Duration::seconds(10));
    }
    forwarded(&app, &desk, "https://shopee.co.id/product/9/9").await;
    // The first request changes last.
    app.gql(Some(&rep), BULK_ACK, json!({ "ids": [ids[0]] }))
        .await
        .ok();
    let mut seen = Vec::new();
    let mut after: Option<String> = None;
    loop {
        let reply = app
            .gql(Some(&rep), FEED, json!({ "since": start, "after": after }))
            .await;
        let page = &reply.ok()["takedownRequests"];
        for edge in page["edges"].as_array().unwrap() {
            seen.push(edge["node"]["id"].as_str().unwrap().to_owned());
        }
        if page["pageInfo"]["hasNextPage"] != true {
            break;
        }
        after = page["pageInfo"]["endCursor"].as_str().map(str::to_owned);
    }
    assert_eq!(seen, [ids[1].clone(), ids[2].clone(), ids[0].clone()]);
    // Since a later time: only the acknowledged one.
    let since = (app.now() - chrono::Duration::seconds(1))
        .and_utc()
        .to_rfc3339();
    let reply = app.gql(Some(&rep), FEED, json!({ "since": since })).await;
    let edges = reply.ok()["takedownRequests"]["edges"]
        .as_array()
        .unwrap()
        .clone();
    assert_eq!(edges.len(), 1);
    assert_eq!(edges[0]["node"]["status"], "ACKNOWLEDGED");
}

async fn integration_operations_refuse_other_roles(backend: Backend) {
    let app = spawn(backend).await;
    let desk = desk(&app).await;
    let citizen = app.register("warga@mail.id").await;
    let rep = fixtures::representative(&app, "tiktok").await;
    let admin_only = [
        (CREATE_CLIENT, json!({ "p": "tiktok", "n": "x" })),
        (ROTATE, json!({ "id": "1" })),
        (REVOKE_SECRET, json!({ "c": "1", "s": "1" })),
        (REVOKE_CLIENT, json!({ "id": "1" })),
        (CLIENTS, json!({})),
    ];
    let managers_only = [
        (
            CREATE_ENDPOINT,
            json!({ "u": "https://hooks.example.com/x", "p": "tiktok" }),
        ),
        ("{ webhookEndpoints { id } }", json!({})),
        (DELIVERIES, json!({})),
        (REDELIVER, json!({ "id": "1" })),
        (
            "mutation { disableWebhookEndpoint(id: \"1\") { id } }",
            json!({}),
        ),
    ];
    let platform_only = [
        (
            BULK_RESPOND,
            json!({ "inputs": [{ "id": "x", "answer": { "action": "REMOVED", "statementOfReasons": REASONS } }] }),
        ),
        (BULK_ACK, json!({ "ids": ["x"] })),
    ];
    for (query, variables) in &admin_only {
        app.gql(None, query, variables.clone())
            .await
            .expect_code("UNAUTHENTICATED");
        for token in [&citizen, &desk.reviewer, &rep] {
            app.gql(Some(token), query, variables.clone())
                .await
                .expect_code("FORBIDDEN");
        }
    }
    for (query, variables) in &managers_only {
        app.gql(None, query, variables.clone())
            .await
            .expect_code("UNAUTHENTICATED");
        for token in [&citizen, &desk.reviewer] {
            app.gql(Some(token), query, variables.clone())
                .await
                .expect_code("FORBIDDEN");
        }
    }
    for (query, variables) in &platform_only {
        app.gql(None, query, variables.clone())
            .await
            .expect_code("UNAUTHENTICATED");
        for token in [&citizen, &desk.reviewer, &desk.admin] {
            app.gql(Some(token), query, variables.clone())
                .await
                .expect_code("FORBIDDEN");
        }
    }
    // Nothing was created by any refused call.
    assert_eq!(count(&app, "api_clients").await, 0);
    assert_eq!(count(&app, "webhook_endpoints").await, 0);
}

async fn platforms_manage_only_their_own_webhooks(backend: Backend) {
    let app = spawn(backend).await;
    let desk = desk(&app).await;
    let receiver = Receiver::default();
    let url = receiver.start();
    let tiktok = fixtures::representative(&app, "tiktok").await;
    let shopee = fixtures::representative(&app, "shopee").await;
    app.gql(
        Some(&tiktok),
        CREATE_ENDPOINT,
        json!({ "u": url, "p": "shopee" }),
    )
    .await
    .expect_code("FORBIDDEN");
    let (tiktok_endpoint, _) = endpoint(&app, &tiktok, &url, Some("tiktok")).await;
    // An admin registers for a platform it names.
    app.gql(Some(&desk.admin), CREATE_ENDPOINT, json!({ "u": url }))
        .await
        .expect_code("BAD_USER_INPUT");
    endpoint(&app, &desk.admin, &url, Some("shopee")).await;
    forwarded(&app, &desk, "https://www.tiktok.com/@own/video/1").await;
    eventually("delivered", || async { receiver.received().len() == 1 }).await;
    let tiktok_sees = deliveries(&app, &tiktok).await;
    assert_eq!(tiktok_sees.len(), 1);
    assert!(deliveries(&app, &shopee).await.is_empty());
    let delivery_id = tiktok_sees[0]["id"].clone();
    app.gql(Some(&shopee), REDELIVER, json!({ "id": delivery_id }))
        .await
        .expect_code("NOT_FOUND");
    app.gql(
        Some(&shopee),
        "mutation($id: ID!) { disableWebhookEndpoint(id: $id) { id } }",
        json!({ "id": tiktok_endpoint }),
    )
    .await
    .expect_code("NOT_FOUND");
    let endpoints = app
        .gql(
            Some(&shopee),
            "{ webhookEndpoints { platform { slug } } }",
            json!({}),
        )
        .await;
    assert_eq!(
        endpoints.ok()["webhookEndpoints"],
        json!([{ "platform": { "slug": "shopee" } }])
    );
    let all = app
        .gql(Some(&desk.admin), "{ webhookEndpoints { id } }", json!({}))
        .await;
    assert_eq!(all.ok()["webhookEndpoints"].as_array().unwrap().len(), 2);
}

async fn redirects_are_not_followed(backend: Backend) {
    let app = spawn(backend).await;
    let desk = desk(&app).await;
    let receiver = Receiver::default();
    receiver.redirect();
    let url = receiver.start();
    let rep = fixtures::representative(&app, "tiktok").await;
    endpoint(&app, &rep, &url, None).await;
    forwarded(&app, &desk, "https://www.tiktok.com/@redirect/video/1").await;
    eventually("the attempt is recorded", || async {
        deliveries(&app, &rep).await[0]["attemptCount"] == 1
    })
    .await;
    let delivery = deliveries(&app, &rep).await[0].clone();
    assert_eq!(
        delivery["status"], "PENDING",
        "a redirect is a failure, retried later"
    );
    assert_eq!(delivery["lastStatusCode"], 307);
    // Only the one request to /hook: /elsewhere was never asked.
    assert_eq!(receiver.received().len(), 1);
}

async fn a_deactivated_platform_s_clients_are_refused(backend: Backend) {
    let app = spawn(backend).await;
    let desk = desk(&app).await;
    let (_, client_id, secret) = new_client(&app, &desk.admin, "tiktok").await;
    let token = client_token(&app, &client_id, &secret).await;
    app.gql(
        Some(&token),
        "{ takedownRequests { pageCount } }",
        json!({}),
    )
    .await
    .ok();
    app.gql(
        Some(&desk.admin),
        "mutation($i: PlatformInput!) { upsertPlatform(input: $i) { active } }",
        json!({ "i": { "slug": "tiktok", "name": "TikTok", "hosts": ["tiktok.com"], "active": false } }),
    )
    .await
    .ok();
    assert_locked_out(&app, &token, &client_id, &secret).await;
}
