//! Notification mails (issue 31): an anonymous reporter who leaves a contact e-mail and opts in
//! hears of each step of its case — received, a reviewer's question, its reminder at half-time,
//! the decision, the platform's answer — each once, even across a server killed mid-delivery;
//! one-click unsubscribe stops them; who did not opt in gets none; no mail holds another person's
//! data. The SMTP tests run against a real SMTP server (aiosmtpd, `.ci/smtp/start.sh`).

use std::collections::BTreeSet;
use std::path::PathBuf;

use serde_json::{Value, json};

use crate::fixtures::{self, report};
use crate::helpers::{Backend, TestApp};
use crate::intake::complaint;
use crate::review::{FORWARD, REQUEST_INFO, act};
use laporlapak::db::models::mail::MailOutbox;
use laporlapak::domain::mail::{MailKind, MailStatus};
use laporlapak::error::ServiceError;

crate::on_both_backends!(
    opting_in_needs_a_contact_and_the_current_consent_text,
    mails_wait_sealed_without_a_relay_and_erasure_removes_them,
    only_citizens_set_their_mail_notifications,
    the_question_deadline_shows_to_the_reporter,
);

/// Like `on_both_backends!`, for tests that need the SMTP server of `.ci/smtp/start.sh`.
macro_rules! with_smtp {
    ($($name:ident),* $(,)?) => {
        $(
            mod $name {
                #[actix_web::test]
                #[cfg_attr(
                    not(laporlapak_smtp_tests),
                    ignore = "start .ci/smtp/start.sh and set TEST_SMTP_URL to run the mail tests"
                )]
                async fn sqlite() {
                    super::$name($crate::helpers::Backend::Sqlite).await
                }
                #[actix_web::test]
                #[cfg_attr(
                    any(not(laporlapak_postgres_tests), not(laporlapak_smtp_tests)),
                    ignore = "needs both TEST_DATABASE_URL and TEST_SMTP_URL"
                )]
                async fn postgres() {
                    super::$name($crate::helpers::Backend::Postgres).await
                }
            }
        )*
    };
}

with_smtp!(
    a_reporter_hears_each_step_once_across_a_crash,
    the_unsubscribe_link_stops_the_mails,
);

const QUESTION: &str = "Mohon kirim foto label impor pada pakaian yang dijual.";
const REPLY: &str = "mutation($code: String!, $m: String!) {
    replyToInformationRequestByTrackingCode(trackingCode: $code, message: $m) { status } }";
const RESPOND: &str = "mutation($id: ID!, $input: RespondInput!) {
    respondToTakedownRequest(id: $id, input: $input) { status } }";
const SET: &str = "mutation($on: Boolean!) { setMailNotifications(enabled: $on) }";
/// What the seller's listing says, that no mail may repeat.
const SELLER_PHONE: &str = "0812-3456-7890";

/// A unique address at the test's own domain.
fn address(who: &str) -> String {
    let mut random = [0u8; 6];
    getrandom::fill(&mut random).expect("randomness");
    let tag: String = random.iter().map(|b| format!("{b:02x}")).collect();
    format!("{who}-{tag}@pelapor.example")
}

fn opted_in(url: &str, email: &str) -> Value {
    let mut input = complaint(url);
    input["description"] = json!(format!(
        "Pakaian bekas impor dijual bebas, hubungi penjual di {SELLER_PHONE} untuk order."
    ));
    input["contactEmail"] = json!(email);
    input["emailNotifications"] = json!(true);
    input
}

fn smtp_url() -> String {
    std::env::var("TEST_SMTP_URL").expect("TEST_SMTP_URL (start .ci/smtp/start.sh)")
}

fn maildir() -> PathBuf {
    PathBuf::from(std::env::var("TEST_SMTP_MAILDIR").expect("TEST_SMTP_MAILDIR")).join("new")
}

/// One received mail, its headers and its decoded text.
#[derive(Debug, Clone)]
struct Received {
    subject: String,
    message_id: String,
    list_unsubscribe: String,
    one_click: String,
    /// The whole message, quoted-printable soft breaks and escapes undone.
    text: String,
}

fn decode_quoted_printable(raw: &str) -> String {
    let joined = raw.replace("=\r\n", "").replace("=\n", "");
    let bytes = joined.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'='
            && i + 2 < bytes.len()
            && let Ok(byte) = u8::from_str_radix(&joined[i + 1..i + 3], 16)
        {
            out.push(byte);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn header(raw: &str, name: &str) -> String {
    let head = raw.split("\r\n\r\n").next().unwrap_or(raw);
    let unfolded = head.replace("\r\n ", " ").replace("\r\n\t", " ");
    unfolded
        .lines()
        .find_map(|line| {
            let (key, value) = line.split_once(':')?;
            key.eq_ignore_ascii_case(name)
                .then(|| value.trim().to_owned())
        })
        .unwrap_or_default()
}

/// Every mail the SMTP server received for `to`.
fn mails_to(to: &str) -> Vec<Received> {
    let Ok(entries) = std::fs::read_dir(maildir()) else {
        return Vec::new();
    };
    let mut found = Vec::new();
    for entry in entries.flatten() {
        let Ok(raw) = std::fs::read_to_string(entry.path()) else {
            continue;
        };
        if !header(&raw, "To").contains(to) {
            continue;
        }
        found.push(Received {
            subject: header(&raw, "Subject"),
            message_id: header(&raw, "Message-ID"),
            list_unsubscribe: header(&raw, "List-Unsubscribe"),
            one_click: header(&raw, "List-Unsubscribe-Post"),
            text: decode_quoted_printable(&raw),
        });
    }
    found
}

/// Waits (up to 30 s) until `to` received at least `count` mails.
async fn wait_for(to: &str, count: usize) -> Vec<Received> {
    for _ in 0..300 {
        let mails = mails_to(to);
        if mails.len() >= count {
            return mails;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("{to} received {} mails, not {count}", mails_to(to).len());
}

/// The outbox rows of a case (its global ID), oldest first.
async fn outbox(app: &TestApp, case_id: &str) -> Vec<MailOutbox> {
    let id = laporlapak::domain::global_id::decode(case_id)
        .map(|(_, id)| id)
        .expect("a case ID");
    app.services
        .db
        .run(move |conn| Ok::<_, ServiceError>(MailOutbox::of_case(conn, id)?))
        .await
        .unwrap()
}

/// A local port that accepts connections and never answers: an SMTP relay that hangs, so that
/// deliveries are under way when the server is killed.
fn black_hole() -> (std::net::TcpListener, String) {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a local port");
    let url = format!("smtp://{}", listener.local_addr().expect("its address"));
    (listener, url)
}

async fn a_reporter_hears_each_step_once_across_a_crash(backend: Backend) {
    let (_hole, hanging) = black_hole();
    let first = TestApp::spawn_tuned(backend, |settings| {
        settings.mail.relay = Some(hanging);
        settings.mail.public_url = "http://lapor.example".to_owned();
    })
    .await;
    let reviewer = fixtures::reviewer(&first).await;
    let instagram = fixtures::representative(&first, "instagram").await;
    let url = "https://www.instagram.com/p/mail-steps-1/";
    let alice = address("alice");
    let bob = address("bob");
    let carol = address("carol");
    let a = report(&first, None, opted_in(url, &alice)).await;
    // Bob joins the case and opts in too; Carol, a citizen, never turned mails on.
    let b = report(&first, None, opted_in(url, &bob)).await;
    let citizen = first.register(&carol).await;
    report(&first, Some(&citizen), complaint(url)).await;
    assert_eq!(a.case_id, b.case_id);

    fixtures::claim(&first, &reviewer, &a.case_id).await;
    act(
        &first,
        &reviewer,
        REQUEST_INFO,
        json!({ "id": a.case_id, "m": QUESTION }),
    )
    .await
    .ok();
    // Half of the 14 days: the reminder.
    first.advance_clock(chrono::TimeDelta::days(7) + chrono::TimeDelta::minutes(1));
    laporlapak::service::mail::worker::remind(&first.services)
        .await
        .unwrap();
    first
        .gql(
            None,
            REPLY,
            json!({ "code": a.tracking_code, "m": "Fotonya sudah saya kirim lewat bukti." }),
        )
        .await
        .ok();
    let request = act(
        &first,
        &reviewer,
        FORWARD,
        json!({ "id": a.case_id, "input": { "urgency": "NORMAL" } }),
    )
    .await
    .ok()["forwardCase"]["id"]
        .as_str()
        .expect("a takedown request")
        .to_owned();
    first
        .gql(
            Some(&instagram),
            RESPOND,
            json!({ "id": request, "input": { "action": "REMOVED",
                    "statementOfReasons": "Dihapus karena melanggar aturan impor." } }),
        )
        .await
        .ok();
    let written = outbox(&first, &a.case_id).await;
    let kinds_for = |rows: &[MailOutbox], complaint_number: usize| -> Vec<MailKind> {
        let mut complaints: Vec<i64> = rows.iter().filter_map(|r| r.complaint_id).collect();
        complaints.sort_unstable();
        complaints.dedup();
        rows.iter()
            .filter(|r| r.complaint_id == complaints.get(complaint_number).copied())
            .map(|r| r.kind)
            .collect()
    };
    assert_eq!(
        kinds_for(&written, 0),
        [
            MailKind::Opened,
            MailKind::Question,
            MailKind::Reminder,
            MailKind::Forwarded,
            MailKind::PlatformAnswer,
        ],
        "in order"
    );
    assert_eq!(kinds_for(&written, 1)[0], MailKind::Joined);
    assert!(
        written.iter().all(|r| r.account_id.is_none()),
        "Carol did not opt in"
    );

    // Deliveries hang at the relay; the server dies with them under way, and a new one (whose
    // relay answers) takes over once their leases lapse.
    tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
    first.kill();
    let second = first
        .restart_tuned(|settings| settings.mail.relay = Some(smtp_url()))
        .await;
    second.advance_clock(chrono::TimeDelta::minutes(3));

    let mails = wait_for(&alice, 5).await;
    tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
    let mails = if mails_to(&alice).len() > mails.len() {
        mails_to(&alice)
    } else {
        mails
    };
    let ids: BTreeSet<&str> = mails.iter().map(|m| m.message_id.as_str()).collect();
    assert_eq!(ids.len(), 5, "five mails, each once: {mails:#?}");
    assert_eq!(mails.len(), 5, "no mail twice");
    let subjects: BTreeSet<&str> = mails.iter().map(|m| m.subject.as_str()).collect();
    assert_eq!(subjects.len(), 5, "{subjects:?}");
    assert!(wait_for(&bob, 5).await.len() == 5);
    assert!(mails_to(&carol).is_empty(), "Carol did not opt in");
    let rows = outbox(&second, &a.case_id).await;
    assert!(
        rows.iter().all(|r| r.status == MailStatus::Sent),
        "{rows:#?}"
    );
    assert!(
        rows.iter().all(|r| r.payload.is_none()),
        "sent mails keep no payload"
    );

    // What each mail of Alice's holds: her own news, never Bob's or Carol's or the seller's.
    for mail in &mails {
        assert!(
            mail.list_unsubscribe
                .starts_with("<http://lapor.example/mail/unsubscribe?t=")
        );
        assert_eq!(mail.one_click, "List-Unsubscribe=One-Click");
        for other in [
            bob.as_str(),
            b.tracking_code.as_str(),
            carol.as_str(),
            SELLER_PHONE,
        ] {
            assert!(!mail.text.contains(other), "{other} in {}", mail.subject);
        }
        assert!(!mail.list_unsubscribe.contains(&a.tracking_code));
    }
    let with_code: Vec<&Received> = mails
        .iter()
        .filter(|m| m.text.contains(&a.tracking_code))
        .collect();
    assert_eq!(
        with_code.len(),
        1,
        "the tracking code only in the first mail"
    );
    assert!(mails.iter().any(|m| m.text.contains(QUESTION)));
    assert!(
        mails
            .iter()
            .any(|m| m.text.contains("Dihapus karena melanggar aturan impor."))
    );
    drop(second);
}

async fn the_unsubscribe_link_stops_the_mails(backend: Backend) {
    let app = TestApp::spawn_tuned(backend, |settings| {
        settings.mail.relay = Some(smtp_url());
    })
    .await;
    let reviewer = fixtures::reviewer(&app).await;
    let dina = address("dina");
    let reported = report(
        &app,
        None,
        opted_in("https://www.instagram.com/p/mail-unsub-1/", &dina),
    )
    .await;
    let opened = wait_for(&dina, 1).await;
    let link = opened[0]
        .list_unsubscribe
        .trim_matches(['<', '>'])
        .to_owned();
    let path = link
        .split_once("/mail/")
        .map(|(_, rest)| format!("/mail/{rest}"))
        .expect("an unsubscribe path");
    assert!(!path.contains(&reported.tracking_code));

    // Opening the link (a scanner would) unsubscribes nobody; a forged token is not found.
    let (status, page) = app.get(&path).await;
    assert_eq!(status, 200);
    assert!(page.contains("<form method=\"post\""), "{page}");
    let forged = format!("{}0", path.trim_end_matches(char::is_alphanumeric));
    assert_eq!(app.get(&forged).await.0, 404);

    // The one-click POST of RFC 8058.
    let answer = app
        .post_to(
            &path,
            "application/x-www-form-urlencoded",
            "List-Unsubscribe=One-Click",
        )
        .await;
    assert_eq!(answer, 200);
    fixtures::claim(&app, &reviewer, &reported.case_id).await;
    act(
        &app,
        &reviewer,
        REQUEST_INFO,
        json!({ "id": reported.case_id, "m": QUESTION }),
    )
    .await
    .ok();
    assert!(
        outbox(&app, &reported.case_id).await.len() == 1,
        "no mail after the opened one"
    );
    tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
    assert_eq!(mails_to(&dina).len(), 1);
}

async fn opting_in_needs_a_contact_and_the_current_consent_text(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let mut input = complaint("https://www.instagram.com/p/mail-optin-1/");
    input["emailNotifications"] = json!(true);
    let reply = app
        .gql(
            None,
            crate::intake::SUBMIT,
            json!({ "input": input.clone() }),
        )
        .await;
    reply.expect_code("BAD_USER_INPUT");
    assert_eq!(reply.field(), "input.emailNotifications");
    input["contactEmail"] = json!(address("eko"));
    input["mailConsentVersion"] = json!("2020-01-01");
    let reply = app
        .gql(
            None,
            crate::intake::SUBMIT,
            json!({ "input": input.clone() }),
        )
        .await;
    reply.expect_code("BAD_USER_INPUT");
    assert_eq!(reply.field(), "input.mailConsentVersion");
    let version = app
        .gql(None, "{ mailConsentVersion }", json!({}))
        .await
        .ok()["mailConsentVersion"]
        .clone();
    input["mailConsentVersion"] = version;
    app.gql(None, crate::intake::SUBMIT, json!({ "input": input }))
        .await
        .ok();
}

async fn mails_wait_sealed_without_a_relay_and_erasure_removes_them(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let fajar = address("fajar");
    let reported = report(
        &app,
        None,
        opted_in("https://www.instagram.com/p/mail-wait-1/", &fajar),
    )
    .await;
    tokio::time::sleep(std::time::Duration::from_millis(1200)).await;
    let rows = outbox(&app, &reported.case_id).await;
    assert_eq!(rows.len(), 1);
    assert_eq!(
        rows[0].status,
        MailStatus::Pending,
        "no relay: the mail waits"
    );
    // Sealed at rest: neither the tracking code nor the address is in the row.
    let stored = format!("{:?} {:?}", rows[0], rows[0].payload.as_ref().map(|_| ()));
    assert!(!stored.contains(&reported.tracking_code) && !stored.contains(&fajar));
    let id = rows[0].id;
    let raw: String = app
        .services
        .db
        .run(move |conn| {
            use diesel::prelude::*;
            use laporlapak::db::schema::mail_outbox;
            Ok::<_, ServiceError>(
                mail_outbox::table
                    .find(id)
                    .select(mail_outbox::payload.assume_not_null())
                    .first::<String>(conn)?,
            )
        })
        .await
        .unwrap();
    assert!(raw.starts_with("ll1.") && !raw.contains(&reported.tracking_code));

    // The reporter erases the contact: the outbox forgets the mail.
    app.gql(
        None,
        "mutation($c: String!) { eraseComplaintContact(trackingCode: $c) { erased } }",
        json!({ "c": reported.tracking_code }),
    )
    .await
    .ok();
    assert!(outbox(&app, &reported.case_id).await.is_empty());
}

async fn only_citizens_set_their_mail_notifications(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let citizen = app.register(&address("gita")).await;
    let on = app.gql(Some(&citizen), SET, json!({ "on": true })).await;
    assert_eq!(on.ok()["setMailNotifications"], true);
    let read = app
        .gql(Some(&citizen), "{ myMailNotifications }", json!({}))
        .await;
    assert_eq!(read.ok()["myMailNotifications"], true);
    // A citizen who turned mails on is mailed when a complaint of theirs opens a case.
    let reported = report(
        &app,
        Some(&citizen),
        complaint("https://www.instagram.com/p/mail-citizen-1/"),
    )
    .await;
    let rows = outbox(&app, &reported.case_id).await;
    assert_eq!(rows.len(), 1);
    assert!(rows[0].account_id.is_some() && rows[0].complaint_id.is_none());
    let off = app.gql(Some(&citizen), SET, json!({ "on": false })).await;
    assert_eq!(off.ok()["setMailNotifications"], false);
    let rows = outbox(&app, &reported.case_id).await;
    assert_eq!(rows[0].status, MailStatus::Dropped, "off drops what waits");

    app.gql(None, SET, json!({ "on": true }))
        .await
        .expect_code("UNAUTHENTICATED");
    let reviewer = fixtures::reviewer(&app).await;
    app.gql(Some(&reviewer), SET, json!({ "on": true }))
        .await
        .expect_code("FORBIDDEN");
    let admin = app.admin().await;
    app.gql(Some(&admin), "{ myMailNotifications }", json!({}))
        .await
        .expect_code("FORBIDDEN");
    let instagram = fixtures::representative(&app, "instagram").await;
    app.gql(Some(&instagram), SET, json!({ "on": true }))
        .await
        .expect_code("FORBIDDEN");
}

async fn the_question_deadline_shows_to_the_reporter(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let reviewer = fixtures::reviewer(&app).await;
    let citizen = app.register(&address("hana")).await;
    let reported = report(
        &app,
        Some(&citizen),
        complaint("https://www.instagram.com/p/mail-deadline-1/"),
    )
    .await;
    let public = "query($c: String!) { complaintByTrackingCode(code: $c) { status replyDueAt } }";
    let mine = "{ myComplaints { nodes { status replyDueAt } } }";
    let before = app
        .gql(None, public, json!({ "c": reported.tracking_code }))
        .await;
    assert!(before.ok()["complaintByTrackingCode"]["replyDueAt"].is_null());
    fixtures::claim(&app, &reviewer, &reported.case_id).await;
    act(
        &app,
        &reviewer,
        REQUEST_INFO,
        json!({ "id": reported.case_id, "m": QUESTION }),
    )
    .await
    .ok();
    let due = app
        .gql(None, public, json!({ "c": reported.tracking_code }))
        .await
        .ok()["complaintByTrackingCode"]["replyDueAt"]
        .as_str()
        .expect("a deadline")
        .to_owned();
    let expected = (app.now() + chrono::TimeDelta::days(14)).date().to_string();
    assert!(due.starts_with(&expected), "{due} is 14 days on");
    let listed = app.gql(Some(&citizen), mine, json!({})).await;
    assert_eq!(
        listed.ok()["myComplaints"]["nodes"][0]["replyDueAt"],
        due.as_str()
    );
}
