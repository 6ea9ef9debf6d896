//! Platform integration: API clients and the client-credentials grant, webhooks delivered from the
//! transactional outbox (signatures, retries, crashes, replicas, egress rules, privacy), bulk
//! answers and the changes feed.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use actix_web::{App, HttpRequest, HttpResponse, HttpServer, web};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use hmac::{Hmac, Mac as _};
use serde_json::{Value, json};
use sha2::Sha256;

use crate::fixtures::{self, claim_and_forward};
use crate::helpers::{Backend, TestApp};
use crate::intake::submit;
use crate::review::{ESCALATE, act};

const CREATE_CLIENT: &str = "mutation($p: String!, $n: String!) { createApiClient(platform: $p, name: $n) {
    secret secretId client { id clientId name platform { slug } revokedAt lastUsedAt secrets { id hint revokedAt } } } }";
const ROTATE: &str = "mutation($id: ID!) { rotateApiClientSecret(id: $id) { secret secretId client { secrets { id revokedAt } } } }";
const REVOKE_SECRET: &str = "mutation($c: ID!, $s: ID!) { revokeApiClientSecret(client: $c, secret: $s) { id secrets { id revokedAt lastUsedAt } } }";
const REVOKE_CLIENT: &str = "mutation($id: ID!) { revokeApiClient(id: $id) { id revokedAt } }";
const CLIENTS: &str = "{ apiClients { id clientId name lastUsedAt revokedAt platform { slug } } }";
const CREATE_ENDPOINT: &str =
    "mutation($u: String!, $p: String) { createWebhookEndpoint(url: $u, platform: $p) {
    secret endpoint { id url platform { slug } disabledAt } } }";
const DELIVERIES: &str = "query($e: ID) { webhookDeliveries(endpoint: $e) { edges { node {
    id messageId eventType status attemptCount payload lastStatusCode attempts { statusCode error responseExcerpt } } } } }";
const REDELIVER: &str = "mutation($id: ID!) { redeliverWebhook(id: $id) { id status } }";
const BULK_RESPOND: &str =
    "mutation($inputs: [BulkRespondInput!]!) { respondToTakedownRequests(inputs: $inputs) {
    applied requests { id status action } errors { index code field message } } }";
const BULK_ACK: &str = "mutation($ids: [ID!]!) { acknowledgeTakedownRequests(ids: $ids) {
    applied requests { id status } errors { index code field } } }";
const REQUEST_STATUS: &str =
    "query($id: ID!) { node(id: $id) { ... on TakedownRequest { id status action } } }";
const FEED: &str = "query($since: DateTime!, $after: String) { takedownRequests(updatedSince: $since, first: 2, after: $after) {
    edges { node { id status updatedAt } } pageInfo { hasNextPage endCursor } } }";
const REASONS: &str = "Konten telah ditinjau sesuai pedoman komunitas dan hukum setempat.";

crate::on_both_backends!(
    a_client_gets_a_token_hears_of_a_forward_and_answers_in_bulk,
    the_token_endpoint_speaks_rfc_6749,
    rotation_keeps_both_secrets_until_the_old_is_revoked,
    a_failing_receiver_gets_retries_until_it_succeeds,
    a_delivery_interrupted_by_a_crash_is_made_after_restart,
    a_rolled_back_forward_sends_nothing,
    two_replicas_deliver_each_event_once,
    webhook_urls_must_be_public_https,
    deadlines_and_escalations_are_announced_once,
);

// --- a webhook receiver on loopback -------------------------------------------------------------

#[derive(Clone, Debug)]
pub(crate) struct Received {
    pub(crate) id: String,
    pub(crate) timestamp: String,
    pub(crate) signature: String,
    pub(crate) body: String,
}

/// What the receiver answers, request by request: the first `fail` requests get 500, requests
/// while `hang` is set wait 30 s; every other one gets 204.
#[derive(Default)]
struct Behaviour {
    fail: usize,
    hang: bool,
    /// Answer 307 to another URL (which must not be followed).
    redirect: bool,
}

#[derive(Clone, Default)]
pub(crate) struct Receiver {
    received: Arc<Mutex<Vec<Received>>>,
    behaviour: Arc<Mutex<Behaviour>>,
}

impl Receiver {
    /// Starts on its own thread and actix system; returns its URL.
    pub(crate) fn start(&self) -> String {
        let state = self.clone();
        let (sender, receiver) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let system = actix_web::rt::System::new();
            system.block_on(async move {
                let server = HttpServer::new(move || {
                    App::new()
                        .app_data(web::Data::new(state.clone()))
                        .route("/hook", web::post().to(receive))
                        .route("/elsewhere", web::post().to(receive))
                })
                .workers(1)
                .bind("127.0.0.1:0")
                .expect("receiver binds");
                let port = server.addrs()[0].port();
                sender.send(port).expect("port sent");
                let _ = server.run().await;
            });
        });
        let port = receiver.recv().expect("receiver started");
        format!("http://127.0.0.1:{port}/hook")
    }

    pub(crate) fn received(&self) -> Vec<Received> {
        self.received.lock().unwrap().clone()
    }

    pub(crate) fn set(&self, fail: usize, hang: bool) {
        *self.behaviour.lock().unwrap() = Behaviour {
            fail,
            hang,
            redirect: false,
        };
    }

    fn redirect(&self) {
        self.behaviour.lock().unwrap().redirect = true;
    }
}

async fn receive(request: HttpRequest, body: String, state: web::Data<Receiver>) -> HttpResponse {
    let header = |name: &str| {
        request
            .headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_owned()
    };
    let (fail, hang, redirect) = {
        let mut behaviour = state.behaviour.lock().unwrap();
        let fail = behaviour.fail > 0;
        if fail {
            behaviour.fail -= 1;
        }
        (fail, behaviour.hang, behaviour.redirect)
    };
    if hang {
        actix_web::rt::time::sleep(Duration::from_secs(30)).await;
        return HttpResponse::NoContent().finish();
    }
    state.received.lock().unwrap().push(Received {
        id: header("webhook-id"),
        timestamp: header("webhook-timestamp"),
        signature: header("webhook-signature"),
        body,
    });
    if redirect {
        HttpResponse::TemporaryRedirect()
            .insert_header(("location", "/elsewhere"))
            .finish()
    } else if fail {
        // A long answer: at most its first KiB is kept.
        HttpResponse::InternalServerError().body("try again later ".repeat(300))
    } else {
        HttpResponse::NoContent().finish()
    }
}

/// Verifies a Standard Webhooks signature as a receiver would.
fn verify(secret: &str, message: &Received) -> bool {
    let key = STANDARD
        .decode(secret.strip_prefix("whsec_").expect("a whsec_ secret"))
        .expect("base64 key");
    let mut mac = Hmac::<Sha256>::new_from_slice(&key).unwrap();
    mac.update(format!("{}.{}.{}", message.id, message.timestamp, message.body).as_bytes());
    let expected = format!("v1,{}", STANDARD.encode(mac.finalize().into_bytes()));
    message
        .signature
        .split(' ')
        .any(|candidate| candidate == expected)
}

/// Waits (up to 15 s) until `check` holds.
pub(crate) async fn eventually<F, Fut>(what: &str, mut check: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    for _ in 0..150 {
        if check().await {
            return;
        }
        actix_web::rt::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("timed out waiting until {what}");
}

// --- set-up ---------------------------------------------------------------------------------------

pub(crate) async fn spawn(backend: Backend) -> TestApp {
    TestApp::spawn_tuned(backend, |settings| {
        settings.webhook_allow_hosts = vec!["127.0.0.1".to_owned()];
    })
    .await
}

pub(crate) struct Desk {
    pub(crate) admin: String,
    pub(crate) reviewer: String,
}

pub(crate) async fn desk(app: &TestApp) -> Desk {
    Desk {
        admin: app.admin().await,
        reviewer: fixtures::reviewer(app).await,
    }
}

/// A new client of `platform`: (row id, client_id, secret).
pub async fn new_client(app: &TestApp, admin: &str, platform: &str) -> (String, String, String) {
    let reply = app
        .gql(
            Some(admin),
            CREATE_CLIENT,
            json!({ "p": platform, "n": format!("{platform} sync") }),
        )
        .await;
    let issued = &reply.ok()["createApiClient"];
    (
        issued["client"]["id"].as_str().unwrap().to_owned(),
        issued["client"]["clientId"].as_str().unwrap().to_owned(),
        issued["secret"].as_str().unwrap().to_owned(),
    )
}

/// POSTs a form to `/oauth/token`; returns the status, the body and the WWW-Authenticate header.
async fn token_request(
    app: &TestApp,
    basic: Option<(&str, &str)>,
    form: &[(&str, &str)],
) -> (u16, Value, String) {
    let client = awc::Client::default();
    let mut request = client.post(format!("{}/oauth/token", app.address));
    if let Some((id, secret)) = basic {
        let encoded = STANDARD.encode(format!("{id}:{secret}"));
        request = request.insert_header(("authorization", format!("Basic {encoded}")));
    }
    let mut response = request
        .send_form(&form)
        .await
        .expect("token endpoint answers");
    let status = response.status().as_u16();
    let authenticate = response
        .headers()
        .get("www-authenticate")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned();
    let body: Value = response.json().await.unwrap_or(Value::Null);
    (status, body, authenticate)
}

/// The client's token is refused at once, and so is a new one.
async fn assert_locked_out(app: &TestApp, token: &str, client_id: &str, secret: &str) {
    app.gql(Some(token), "{ takedownRequests { pageCount } }", json!({}))
        .await
        .expect_code("UNAUTHENTICATED");
    let (status, body, _) = token_request(
        app,
        Some((client_id, secret)),
        &[("grant_type", "client_credentials")],
    )
    .await;
    assert_eq!(
        (status, body["error"].as_str()),
        (401, Some("invalid_client"))
    );
}

pub async fn client_token(app: &TestApp, client_id: &str, secret: &str) -> String {
    let (status, body, _) = token_request(
        app,
        Some((client_id, secret)),
        &[("grant_type", "client_credentials")],
    )
    .await;
    assert_eq!(status, 200, "{body}");
    body["access_token"].as_str().unwrap().to_owned()
}

pub(crate) async fn endpoint(
    app: &TestApp,
    token: &str,
    url: &str,
    platform: Option<&str>,
) -> (String, String) {
    let reply = app
        .gql(
            Some(token),
            CREATE_ENDPOINT,
            json!({ "u": url, "p": platform }),
        )
        .await;
    let created = &reply.ok()["createWebhookEndpoint"];
    (
        created["endpoint"]["id"].as_str().unwrap().to_owned(),
        created["secret"].as_str().unwrap().to_owned(),
    )
}

/// Reports `url` (with a contact e-mail and a distinctive description) and forwards it.
pub(crate) async fn forwarded(app: &TestApp, desk: &Desk, url: &str) -> (String, String) {
    let outcome = submit(
        app,
        None,
        json!({
            "category": "USED_CLOTHING_IMPORT",
            "listingUrl": url,
            "description": "Pelapor rahasia: Siti Rahayu menjual pakaian bekas impor ilegal di sini.",
            "contactEmail": "siti.rahayu.pelapor@mail.id",
        }),
    )
    .await;
    let complaint_id = outcome["complaint"]["id"].as_str().unwrap();
    claim_and_forward(app, &desk.reviewer, complaint_id, "NORMAL").await
}

pub(crate) async fn deliveries(app: &TestApp, token: &str) -> Vec<Value> {
    let reply = app.gql(Some(token), DELIVERIES, json!({})).await;
    reply.ok()["webhookDeliveries"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|edge| edge["node"].clone())
        .collect()
}

pub(crate) async fn count(app: &TestApp, table: &'static str) -> i64 {
    use diesel::prelude::*;
    #[derive(QueryableByName)]
    struct Count {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        n: i64,
    }
    app.services
        .db
        .run(move |conn| {
            diesel::sql_query(format!("SELECT COUNT(*) AS n FROM {table}"))
                .get_result::<Count>(conn)
                .map(|c| c.n)
                .map_err(laporlapak::error::ServiceError::from)
        })
        .await
        .unwrap()
}

// --- the tests ------------------------------------------------------------------------------------

async fn a_client_gets_a_token_hears_of_a_forward_and_answers_in_bulk(backend: Backend) {
    let app = spawn(backend).await;
    let desk = desk(&app).await;
    let receiver = Receiver::default();
    let url = receiver.start();
    let (client_row, client_id, secret) = new_client(&app, &desk.admin, "tiktok").await;
    let token = client_token(&app, &client_id, &secret).await;
    let (_, signing_secret) = endpoint(&app, &token, &url, None).await;

    let (case_id, request_id) =
        forwarded(&app, &desk, "https://www.tiktok.com/@toko_bekas/video/1").await;
    eventually("the webhook arrives", || async {
        !receiver.received().is_empty()
    })
    .await;
    let message = receiver.received()[0].clone();
    assert!(verify(&signing_secret, &message), "signature verifies");
    let body: Value = serde_json::from_str(&message.body).unwrap();
    assert_eq!(body["type"], "takedown_request.issued");
    assert_eq!(body["data"]["takedownRequestId"], request_id.as_str());
    assert_eq!(body["data"]["caseId"], case_id.as_str());
    assert_eq!(body["data"]["platform"], "tiktok");
    assert_eq!(body["data"]["status"], "PENDING");
    assert!(body["data"]["dueAt"].is_string());
    assert_eq!(
        body["data"]["caseUrl"],
        "https://tiktok.com/@toko_bekas/video/1"
    );
    // Never a reporter's data: only these keys, and none of the reporter's words.
    let keys: Vec<&str> = body["data"]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    for key in &keys {
        assert!(
            [
                "takedownRequestId",
                "caseId",
                "platform",
                "status",
                "urgency",
                "kind",
                "issuedAt",
                "dueAt",
                "caseUrl"
            ]
            .contains(key),
            "unexpected key {key}"
        );
    }
    for secret_word in ["siti", "rahayu", "pelapor", "mail.id", "LPR-"] {
        assert!(
            !message
                .body
                .to_lowercase()
                .contains(&secret_word.to_lowercase()),
            "{secret_word} in {}",
            message.body
        );
    }

    // The client answers in bulk; the audit trail names the client, not a person.
    let reply = app
        .gql(
            Some(&token),
            BULK_RESPOND,
            json!({ "inputs": [{ "id": request_id, "answer": { "action": "REMOVED", "statementOfReasons": REASONS } }] }),
        )
        .await;
    let result = &reply.ok()["respondToTakedownRequests"];
    assert_eq!(result["applied"], true, "{result}");
    assert_eq!(result["requests"][0]["status"], "ANSWERED");
    let events = app
        .gql(
            Some(&desk.reviewer),
            "query($id: ID!) { case(id: $id) { events { action actorRole actor { email } apiClient } } }",
            json!({ "id": case_id }),
        )
        .await;
    let answered = events.ok()["case"]["events"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["action"] == "takedown.answered")
        .cloned()
        .unwrap();
    assert_eq!(answered["actorRole"], "PLATFORM");
    assert_eq!(answered["actor"], Value::Null);
    assert_eq!(answered["apiClient"], format!("tiktok sync ({client_id})"));

    // lastUsedAt is set; revoking the client refuses its token at once.
    let clients = app.gql(Some(&desk.admin), CLIENTS, json!({})).await;
    assert!(clients.ok()["apiClients"][0]["lastUsedAt"].is_string());
    app.gql(
        Some(&desk.admin),
        REVOKE_CLIENT,
        json!({ "id": client_row }),
    )
    .await
    .ok();
    assert_locked_out(&app, &token, &client_id, &secret).await;
}

async fn the_token_endpoint_speaks_rfc_6749(backend: Backend) {
    let app = spawn(backend).await;
    let desk = desk(&app).await;
    let (_, client_id, secret) = new_client(&app, &desk.admin, "shopee").await;
    // Credentials in the form body work too.
    let (status, body, _) = token_request(
        &app,
        None,
        &[
            ("grant_type", "client_credentials"),
            ("client_id", &client_id),
            ("client_secret", &secret),
        ],
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["token_type"], "Bearer");
    assert_eq!(body["expires_in"], 3600);
    let token = body["access_token"].as_str().unwrap();
    let list = app
        .gql(Some(token), "{ takedownRequests { pageCount } }", json!({}))
        .await;
    assert_eq!(list.ok()["takedownRequests"]["pageCount"], 0);
    // A client token may not do what only people do.
    app.gql(Some(token), CLIENTS, json!({}))
        .await
        .expect_code("FORBIDDEN");
    // Wrong secret by Basic: 401 with a challenge.
    let (status, body, challenge) = token_request(
        &app,
        Some((&client_id, "llcs_wrong")),
        &[("grant_type", "client_credentials")],
    )
    .await;
    assert_eq!(
        (status, body["error"].as_str()),
        (401, Some("invalid_client"))
    );
    assert!(challenge.starts_with("Basic"), "{challenge}");
    // Unknown client: the same answer.
    let (status, body, _) = token_request(
        &app,
        Some(("llc_nobody", &secret)),
        &[("grant_type", "client_credentials")],
    )
    .await;
    assert_eq!(
        (status, body["error"].as_str()),
        (401, Some("invalid_client"))
    );
    let (status, body, _) = token_request(
        &app,
        Some((&client_id, &secret)),
        &[("grant_type", "password")],
    )
    .await;
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("unsupported_grant_type"))
    );
    let (status, body, _) = token_request(&app, Some((&client_id, &secret)), &[]).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("invalid_request"))
    );
    let (status, _, _) = token_request(&app, None, &[("grant_type", "client_credentials")]).await;
    assert_eq!(status, 401);
}

async fn rotation_keeps_both_secrets_until_the_old_is_revoked(backend: Backend) {
    let app = spawn(backend).await;
    let desk = desk(&app).await;
    let (row, client_id, old) = new_client(&app, &desk.admin, "instagram").await;
    let rotated = app
        .gql(Some(&desk.admin), ROTATE, json!({ "id": row }))
        .await;
    let rotated = &rotated.ok()["rotateApiClientSecret"];
    let new = rotated["secret"].as_str().unwrap().to_owned();
    let secrets = rotated["client"]["secrets"].as_array().unwrap();
    assert_eq!(secrets.len(), 2);
    let old_id = secrets[0]["id"].as_str().unwrap().to_owned();
    client_token(&app, &client_id, &old).await;
    client_token(&app, &client_id, &new).await;
    app.gql(
        Some(&desk.admin),
        REVOKE_SECRET,
        json!({ "c": row, "s": old_id }),
    )
    .await
    .ok();
    let (status, _, _) = token_request(
        &app,
        Some((&client_id, &old)),
        &[("grant_type", "client_credentials")],
    )
    .await;
    assert_eq!(status, 401);
    client_token(&app, &client_id, &new).await;
}

async fn a_failing_receiver_gets_retries_until_it_succeeds(backend: Backend) {
    let app = spawn(backend).await;
    let desk = desk(&app).await;
    let receiver = Receiver::default();
    receiver.set(2, false);
    let url = receiver.start();
    let rep = fixtures::representative(&app, "tiktok").await;
    endpoint(&app, &rep, &url, None).await;
    forwarded(&app, &desk, "https://www.tiktok.com/@retry/video/2").await;
    eventually("the first attempt", || async {
        receiver.received().len() == 1
    })
    .await;
    // Retries wait on the server's clock: 5 s (±20 %), then 15 s.
    app.advance_clock(chrono::Duration::seconds(7));
    eventually("the second attempt", || async {
        receiver.received().len() == 2
    })
    .await;
    app.advance_clock(chrono::Duration::seconds(20));
    eventually("the third attempt", || async {
        receiver.received().len() == 3
    })
    .await;
    let ids: Vec<String> = receiver.received().iter().map(|r| r.id.clone()).collect();
    assert!(
        ids.iter().all(|id| *id == ids[0]),
        "one webhook-id for every attempt"
    );
    eventually("the success is recorded", || async {
        deliveries(&app, &rep).await[0]["status"] == "SUCCEEDED"
    })
    .await;
    let delivery = deliveries(&app, &rep).await[0].clone();
    assert_eq!(delivery["attemptCount"], 3);
    let codes: Vec<&Value> = delivery["attempts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| &a["statusCode"])
        .collect();
    assert_eq!(codes, [&json!(500), &json!(500), &json!(204)]);
    let excerpt = delivery["attempts"][0]["responseExcerpt"].as_str().unwrap();
    assert_eq!(excerpt.len(), 1024, "the first KiB of a 4.8 KiB answer");
    // Operators see the attempts in the metrics (process-wide: other tests may add to them).
    let (_, metrics) = app.get("/metrics").await;
    let count = |outcome: &str| -> f64 {
        let prefix = format!("laporlapak_webhook_attempts_total{{outcome=\"{outcome}\"}} ");
        metrics
            .lines()
            .find_map(|line| line.strip_prefix(&prefix))
            .and_then(|value| value.trim().parse().ok())
            .unwrap_or(0.0)
    };
    assert!(count("retry") >= 2.0, "{metrics}");
    assert!(count("succeeded") >= 1.0, "{metrics}");
    // A finished delivery can be sent again, with the same id.
    let reply = app
        .gql(Some(&rep), REDELIVER, json!({ "id": delivery["id"] }))
        .await;
    assert_eq!(reply.ok()["redeliverWebhook"]["status"], "PENDING");
    eventually("the redelivery", || async {
        receiver.received().len() == 4
    })
    .await;
    assert_eq!(receiver.received()[3].id, ids[0]);
}

async fn a_delivery_interrupted_by_a_crash_is_made_after_restart(backend: Backend) {
    let app = spawn(backend).await;
    let desk = desk(&app).await;
    let receiver = Receiver::default();
    receiver.set(0, true);
    let url = receiver.start();
    let rep = fixtures::representative(&app, "tiktok").await;
    endpoint(&app, &rep, &url, None).await;
    forwarded(&app, &desk, "https://www.tiktok.com/@crash/video/3").await;
    // Wait until the worker has claimed the delivery (the receiver holds the request).
    eventually("the delivery is claimed", || async {
        count(&app, "webhook_deliveries WHERE lease_until IS NOT NULL").await == 1
    })
    .await;
    app.kill();
    receiver.set(0, false);
    let restarted = app.spawn_replica().await;
    // The lease of the dead process lapses after a minute on the server's clock.
    restarted.advance_clock(chrono::Duration::seconds(61));
    eventually("the delivery is made after the restart", || async {
        receiver.received().len() == 1
    })
    .await;
    eventually("the success is recorded", || async {
        count(&restarted, "webhook_deliveries WHERE status = 'SUCCEEDED'").await == 1
    })
    .await;
}

async fn a_rolled_back_forward_sends_nothing(backend: Backend) {
    let app = spawn(backend).await;
    let desk = desk(&app).await;
    let rep = fixtures::representative(&app, "tiktok").await;
    let receiver = Receiver::default();
    endpoint(&app, &rep, &receiver.start(), None).await;
    // A fault injected after the outbox row is written: the forward's audit event is refused.
    let (install, remove): (&str, &str) = match backend {
        Backend::Sqlite => (
            "CREATE TRIGGER refuse_forward BEFORE INSERT ON events WHEN NEW.action = 'case.forwarded' \
             BEGIN SELECT RAISE(ABORT, 'injected fault'); END",
            "DROP TRIGGER refuse_forward",
        ),
        Backend::Postgres => (
            "CREATE FUNCTION refuse_forward() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN \
             IF NEW.action = 'case.forwarded' THEN RAISE EXCEPTION 'injected fault'; END IF; \
             RETURN NEW; END $$; \
             CREATE TRIGGER refuse_forward BEFORE INSERT ON events FOR EACH ROW EXECUTE FUNCTION refuse_forward()",
            "DROP TRIGGER refuse_forward ON events; DROP FUNCTION refuse_forward()",
        ),
    };
    run_sql(&app, install).await;
    let case_id = fixtures::open_case(&app, "https://www.tiktok.com/@rollback/video/4").await;
    fixtures::claim(&app, &desk.reviewer, &case_id).await;
    let reply = act(
        &app,
        &desk.reviewer,
        crate::review::FORWARD,
        json!({ "id": case_id, "input": { "urgency": "NORMAL" } }),
    )
    .await;
    reply.expect_code("INTERNAL");
    assert_eq!(count(&app, "webhook_messages").await, 0);
    assert_eq!(count(&app, "webhook_deliveries").await, 0);
    assert_eq!(count(&app, "takedown_requests").await, 0);
    run_sql(&app, remove).await;
    actix_web::rt::time::sleep(Duration::from_millis(1500)).await;
    assert!(receiver.received().is_empty());
}

pub(crate) async fn run_sql(app: &TestApp, sql: &'static str) {
    use diesel::connection::SimpleConnection as _;
    app.services
        .db
        .run(move |conn| {
            conn.batch_execute(sql)
                .map_err(laporlapak::error::ServiceError::from)
        })
        .await
        .unwrap();
}

async fn two_replicas_deliver_each_event_once(backend: Backend) {
    let app = spawn(backend).await;
    let replica = app.spawn_replica().await;
    let desk = desk(&app).await;
    let receiver = Receiver::default();
    let rep = fixtures::representative(&app, "tiktok").await;
    endpoint(&app, &rep, &receiver.start(), None).await;
    for n in 0..8 {
        forwarded(
            &app,
            &desk,
            &format!("https://www.tiktok.com/@twice/video/{n}"),
        )
        .await;
    }
    // Wake the replica's worker too: it polls every second.
    eventually("eight deliveries", || async {
        receiver.received().len() >= 8
    })
    .await;
    actix_web::rt::time::sleep(Duration::from_millis(2500)).await;
    let ids: Vec<String> = receiver.received().iter().map(|r| r.id.clone()).collect();
    let distinct: std::collections::HashSet<&String> = ids.iter().collect();
    assert_eq!(ids.len(), 8, "each event delivered once: {ids:?}");
    assert_eq!(distinct.len(), 8);
    drop(replica);
}

async fn webhook_urls_must_be_public_https(backend: Backend) {
    // No allow-list: loopback is refused.
    let app = TestApp::spawn(backend).await;
    let rep = fixtures::representative(&app, "tiktok").await;
    for (url, code) in [
        ("http://127.0.0.1:9/hook", "BAD_USER_INPUT"),
        ("https://127.0.0.1/hook", "BAD_USER_INPUT"),
        ("https://169.254.169.254/latest", "BAD_USER_INPUT"),
        ("https://10.0.0.8/hook", "BAD_USER_INPUT"),
        ("https://localhost/hook", "BAD_USER_INPUT"),
        ("ftp://hooks.example.com/", "BAD_USER_INPUT"),
    ] {
        let reply = app
            .gql(Some(&rep), CREATE_ENDPOINT, json!({ "u": url }))
            .await;
        reply.expect_code(code);
        assert_eq!(reply.field(), "url", "{url}");
    }
    let ok = app
        .gql(
            Some(&rep),
            CREATE_ENDPOINT,
            json!({ "u": "https://hooks.tiktok.example/laporlapak" }),
        )
        .await;
    assert!(
        ok.ok()["createWebhookEndpoint"]["secret"]
            .as_str()
            .unwrap()
            .starts_with("whsec_")
    );
}

async fn deadlines_and_escalations_are_announced_once(backend: Backend) {
    let app = spawn(backend).await;
    let desk = desk(&app).await;
    let receiver = Receiver::default();
    let rep = fixtures::representative(&app, "tiktok").await;
    endpoint(&app, &rep, &receiver.start(), None).await;
    let (case_id, _) = forwarded(&app, &desk, "https://www.tiktok.com/@late/video/5").await;
    eventually("issued", || async { receiver.received().len() == 1 }).await;
    // Half of the 24 hours: the reminder.
    app.advance_clock(chrono::Duration::hours(13));
    eventually("the reminder", || async { receiver.received().len() == 2 }).await;
    app.advance_clock(chrono::Duration::hours(12));
    eventually("overdue", || async { receiver.received().len() == 3 }).await;
    actix_web::rt::time::sleep(Duration::from_millis(1500)).await;
    let types: Vec<String> = receiver
        .received()
        .iter()
        .map(|r| {
            serde_json::from_str::<Value>(&r.body).unwrap()["type"]
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect();
    assert_eq!(
        types,
        [
            "takedown_request.issued",
            "takedown_request.reminder",
            "takedown_request.overdue"
        ]
    );
    // The platform declines; the reviewer escalates: the platform hears of it.
    let requests = app
        .gql(
            Some(&rep),
            "{ takedownRequests { edges { node { id } } } }",
            json!({}),
        )
        .await;
    let request_id = requests.ok()["takedownRequests"]["edges"][0]["node"]["id"].clone();
    app.gql(
        Some(&rep),
        BULK_RESPOND,
        json!({ "inputs": [{ "id": request_id, "answer": { "action": "DECLINED", "statementOfReasons": REASONS } }] }),
    )
    .await
    .ok();
    act(
        &app,
        &desk.reviewer,
        ESCALATE,
        json!({ "id": case_id, "a": "POLRI", "n": "Penjual mengulangi pelanggaran." }),
    )
    .await
    .ok();
    eventually("case.escalated", || async {
        receiver.received().len() == 4
    })
    .await;
    let last: Value = serde_json::from_str(&receiver.received()[3].body).unwrap();
    assert_eq!(last["type"], "case.escalated");
    assert_eq!(last["data"]["status"], "ESCALATED");
}

mod platform_api;
