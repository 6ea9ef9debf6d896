//! Operating the server: `/metrics` (per-operation histograms, errors by code, business gauges,
//! the optional token), request ids, logs without personal data, draining on SIGTERM, and backup
//! and restore of a SQLite database under write load. The lifecycle and backup tests run the
//! `laporlapak` binary itself, as an operator would.

use std::io::{BufRead as _, BufReader};
use std::os::unix::fs::PermissionsExt as _;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use diesel::connection::SimpleConnection as _;
use diesel::prelude::*;
use serde_json::json;

use crate::helpers::{Backend, JWT_SECRET, PASSWORD, ScratchDatabase, TestApp, repo_path};
use crate::intake::{SUBMIT, complaint};
use laporlapak::domain::Role;

crate::on_both_backends!(
    metrics_show_each_operation_moving,
    request_ids_are_taken_or_made_and_returned,
    logs_hold_no_personal_data,
    sigterm_drains_twenty_slow_requests,
);

/// The value of the sample whose line starts with `prefix` (name and labels), or 0.
fn sample(text: &str, prefix: &str) -> f64 {
    text.lines()
        .find_map(|line| line.strip_prefix(prefix)?.strip_prefix(' '))
        .and_then(|value| value.split_whitespace().next())
        .and_then(|value| value.parse().ok())
        .unwrap_or(0.0)
}

async fn scrape(app: &TestApp) -> String {
    let (status, text) = app.get("/metrics").await;
    assert_eq!(status, 200, "{text}");
    text
}

async fn metrics_show_each_operation_moving(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let count = r#"laporlapak_graphql_request_duration_seconds_count{operation="categories"}"#;
    let bucket =
        r#"laporlapak_graphql_request_duration_seconds_bucket{le="+Inf",operation="categories"}"#;
    let before = scrape(&app).await;
    // Named as the client likes: the label is the root field, never the client's own name.
    app.gql(
        None,
        "query MyVeryOwnName { categories { code } }",
        json!({}),
    )
    .await
    .ok();
    app.gql(None, "{ categories { code } }", json!({}))
        .await
        .ok();
    let not_parsed = app
        .gql(None, "query Broken { categories { ", json!({}))
        .await;
    not_parsed.expect_code("BAD_USER_INPUT");
    let input = complaint("https://www.instagram.com/p/Metrics1/");
    app.gql(None, SUBMIT, json!({ "input": input })).await.ok();
    let after = scrape(&app).await;

    assert!(
        sample(&after, count) >= sample(&before, count) + 2.0,
        "the histogram's count moved:\n{after}"
    );
    let bucket_line = after
        .lines()
        .find(|line| {
            line.starts_with(bucket.split('{').next().unwrap_or(""))
                && line.contains("operation=\"categories\"")
        })
        .unwrap_or_default();
    assert!(!bucket_line.is_empty(), "{after}");
    let submit = r#"laporlapak_graphql_requests_total{operation="submitComplaint"}"#;
    assert!(sample(&after, submit) >= 1.0, "{after}");
    let errors = r#"laporlapak_graphql_errors_total{operation="other",code="BAD_USER_INPUT"}"#;
    assert!(
        sample(&after, errors) >= sample(&before, errors) + 1.0,
        "the unparsable request counts as other, with its code:\n{after}"
    );
    assert!(
        !after.contains("MyVeryOwnName"),
        "a client's name is no label"
    );
    // Scrape-time figures of this server's own database.
    assert_eq!(
        sample(&after, r#"laporlapak_cases_open{status="OPEN"}"#),
        1.0,
        "{after}"
    );
    assert!(
        after.contains(r#"laporlapak_takedown_requests_overdue{platform="instagram"} 0"#),
        "{after}"
    );
    assert!(
        after.contains("laporlapak_db_pool_wait_seconds_count"),
        "{after}"
    );
    assert!(
        after.contains("laporlapak_db_query_duration_seconds_count"),
        "{after}"
    );
    assert!(
        after.contains("laporlapak_db_connections_in_use"),
        "{after}"
    );
    assert!(after.contains("laporlapak_draining 0"), "{after}");
    assert!(after.ends_with("# EOF\n"), "OpenMetrics text");
}

crate::on_both_backends!(a_metrics_token_guards_the_endpoint);

async fn a_metrics_token_guards_the_endpoint(backend: Backend) {
    let app = TestApp::spawn_tuned(backend, |settings| {
        settings.metrics_token = Some(laporlapak::config::Secret("scrape-me-please".to_owned()));
    })
    .await;
    let client = awc::Client::default();
    let url = format!("{}/metrics", app.address);
    for authorization in [None, Some("Bearer wrong"), Some("scrape-me-please")] {
        let mut request = client.get(&url);
        if let Some(value) = authorization {
            request = request.insert_header(("Authorization", value));
        }
        let response = request.send().await.unwrap();
        assert_eq!(response.status().as_u16(), 401, "{authorization:?}");
    }
    let mut response = client
        .get(&url)
        .insert_header(("Authorization", "Bearer scrape-me-please"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 200);
    let body = response.body().await.unwrap();
    assert!(String::from_utf8_lossy(&body).contains("laporlapak_db_ready 1"));
}

async fn request_ids_are_taken_or_made_and_returned(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let query = "{ categories { code } }";
    let given = app
        .gql_with_headers(None, &[("X-Request-Id", "lb-7f3a.42")], query, json!({}))
        .await;
    assert_eq!(given.header("x-request-id"), "lb-7f3a.42");
    let traced = app
        .gql_with_headers(
            None,
            &[(
                "traceparent",
                "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
            )],
            query,
            json!({}),
        )
        .await;
    assert_eq!(
        traced.header("x-request-id"),
        "4bf92f3577b34da6a3ce929d0e0e4736"
    );
    let made = app.gql(None, query, json!({})).await;
    let made_id = made.header("x-request-id").to_owned();
    assert_eq!(made_id.len(), 32, "{made_id}");
    assert!(made_id.bytes().all(|b| b.is_ascii_hexdigit()));
    let again = app.gql(None, query, json!({})).await;
    assert_ne!(
        again.header("x-request-id"),
        made_id,
        "a new id per request"
    );
    // A value that could smuggle text into a log line is not taken.
    let refused = app
        .gql_with_headers(None, &[("X-Request-Id", "a b\"c")], query, json!({}))
        .await;
    assert_ne!(refused.header("x-request-id"), "a b\"c");
    assert_eq!(refused.header("x-request-id").len(), 32);
    // Plain endpoints carry one too.
    let health = app.get_reply("/healthz").await;
    assert_eq!(health.header("x-request-id").len(), 32);
}

/// Values from the fixtures that must never be logged: every e-mail address, display and business
/// name (of six characters or more: "Staf" is also part of `createStaffAccount`) and NIB written
/// in the tests' sources, the shared password and JWT secret.
fn fixture_values() -> Vec<String> {
    let mut values = vec![PASSWORD.to_owned(), JWT_SECRET.to_owned()];
    let dir = repo_path("tests/api");
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().and_then(|e| e.to_str()) != Some("rs") {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        for quoted in text.split('"').skip(1).step_by(2) {
            let is_email = quoted.contains('@')
                && quoted.contains('.')
                && !quoted.contains(' ')
                && quoted.len() > 5;
            if is_email {
                values.push(quoted.to_owned());
            }
        }
        for key in ["displayName", "businessName", "nib"] {
            for part in text.split(&format!("\"{key}\": \"")).skip(1) {
                let value = part.split('"').next().unwrap_or("").trim();
                if value.len() >= 6 && !value.contains('{') {
                    values.push(value.to_owned());
                }
            }
        }
    }
    values.sort();
    values.dedup();
    values
}

/// The log of this test process (every test server logs into it at debug level, the application at
/// trace) holds no fixture e-mail, name, NIB, password or secret, no token and no tracking code —
/// after a flow of our own that handles all of them, and whatever other tests ran before.
async fn logs_hold_no_personal_data(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.admin().await;
    let reviewer = app
        .staff("penelaah.log@kemenkop.go.id", Role::Reviewer, None)
        .await;
    let register = "mutation($input: RegisterInput!) { register(input: $input) { token } }";
    let seller = app
        .gql(
            None,
            register,
            json!({ "input": { "email": "ani.log@mail.id", "password": PASSWORD,
                     "displayName": "Ibu Ani Lestari",
                     "umkm": { "nib": "9120003456789", "businessName": "Batik Ani Lestari" } } }),
        )
        .await;
    let seller_token = seller.ok()["register"]["token"]
        .as_str()
        .unwrap()
        .to_owned();
    app.login("ani.log@mail.id", "not the password").await;
    app.login("nobody.log@mail.id", PASSWORD).await;
    let mut input = complaint("https://www.instagram.com/p/LogCheck1/");
    input["contactEmail"] = json!("kontak.log@mail.id");
    let submitted = app
        .gql(Some(&seller_token), SUBMIT, json!({ "input": input }))
        .await;
    let tracking = submitted.ok()["submitComplaint"]["trackingCode"]
        .as_str()
        .unwrap()
        .to_owned();
    app.gql(
        None,
        "query($c: String!) { complaintByTrackingCode(code: $c) { status } }",
        json!({ "c": tracking }),
    )
    .await
    .ok();
    app.gql(
        Some("eyJhbGciOiJIUzI1NiJ9.forged.token"),
        "{ me { id } }",
        json!({}),
    )
    .await;
    app.gql(Some(&reviewer), "{ me { email } }", json!({}))
        .await
        .ok();
    // A GET with personal data in its query string.
    app.get("/graphql?query=%7Bme%7Bid%7D%7D&variables=%7B%22e%22%3A%22get.log%40mail.id%22%7D")
        .await;

    assert_log_clean(&[
        admin.clone(),
        reviewer.clone(),
        seller_token.clone(),
        tracking.clone(),
        "ani.log@mail.id".to_owned(),
        "kontak.log@mail.id".to_owned(),
        "get.log@mail.id".to_owned(),
        "9120003456789".to_owned(),
        "Ibu Ani Lestari".to_owned(),
    ]);
}

/// After the whole suite (`.ci/run` runs it right after the suite, on its own): the log of every
/// test server of the run holds no fixture value and no JWT. It starts no server, so the log is read
/// as the suite left it. `.ci/run` gives the run a log file of its own (`LAPORLAPAK_TEST_LOG`) and
/// removes it before the suite, so a log that is missing, empty or without request lines (the
/// suite logged nothing) fails this test instead of passing it.
#[test]
#[ignore = "run by .ci/run after the suite: it reads the whole run's log"]
fn the_whole_runs_log_holds_no_personal_data() {
    assert_log_clean(&[]);
}

/// The captured log holds request lines, and none of the fixtures' values, `extra`, or any JWT.
fn assert_log_clean(extra: &[String]) {
    let path = crate::helpers::test_log_path();
    let log = std::fs::read_to_string(&path).unwrap_or_else(|error| {
        panic!(
            "no log of the test servers at {}: {error} (the suite writes it; run it first)",
            path.display()
        )
    });
    assert!(
        !log.trim().is_empty(),
        "the test servers' log at {} is empty",
        path.display()
    );
    assert!(
        log.contains("request served"),
        "the servers' request lines are captured in {}",
        path.display()
    );
    let mut forbidden = fixture_values();
    forbidden.extend(extra.iter().cloned());
    forbidden.extend([
        // Any JWT at all: their header always starts so.
        "eyJ".to_owned(),
    ]);
    assert!(forbidden.len() > 40, "{forbidden:?}");
    for value in &forbidden {
        if let Some(line) = log.lines().find(|line| line.contains(value.as_str())) {
            panic!("the log holds {value:?}: {line}");
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The binary
// ---------------------------------------------------------------------------------------------

/// `laporlapak serve` as a child process on a free port, with its log in a file.
struct Served {
    child: Child,
    address: String,
    log: std::path::PathBuf,
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn laporlapak(database: &ScratchDatabase) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_laporlapak"));
    command
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("DATABASE_URL", &database.url)
        .env("LAPORLAPAK_DATA_DIR", database.dir.path())
        .env("LAPORLAPAK_JWT_SECRET", JWT_SECRET)
        .env("LAPORLAPAK_RATE_LIMITS", "false")
        .env("RUST_LOG", "info");
    command
}

fn serve(database: &ScratchDatabase, env: &[(&str, &str)]) -> Served {
    let log = database.dir.path().join("server.log");
    let mut command = laporlapak(database);
    command
        .env("LAPORLAPAK_BIND", "127.0.0.1:0")
        .envs(env.iter().copied())
        .stdout(Stdio::piped())
        .stderr(std::fs::File::create(&log).unwrap());
    let mut child = command.spawn().expect("laporlapak starts");
    let stdout = child.stdout.take().unwrap();
    let mut lines = BufReader::new(stdout).lines();
    let address = lines
        .by_ref()
        .map_while(Result::ok)
        .find_map(|line| {
            line.strip_prefix("laporlapak is serving on http://")
                .and_then(|rest| rest.split_whitespace().next())
                .map(str::to_owned)
        })
        .unwrap_or_else(|| {
            panic!(
                "the server did not start: {}",
                std::fs::read_to_string(&log).unwrap_or_default()
            )
        });
    // Keep reading its output so that it never blocks on a full pipe.
    std::thread::spawn(move || for _ in lines {});
    Served {
        child,
        address,
        log,
    }
}

/// Holds the database's write lock (SQLite) or the complaints table against writes (PostgreSQL)
/// until the returned function is called: every submission waits on it, as behind a slow
/// database, while reads go on.
fn hold_writes(url: &str) -> Box<dyn FnOnce()> {
    if let Some(path) = url.strip_prefix("sqlite://") {
        let mut conn = SqliteConnection::establish(path).unwrap();
        conn.batch_execute("PRAGMA busy_timeout = 10000; BEGIN IMMEDIATE")
            .unwrap();
        Box::new(move || conn.batch_execute("ROLLBACK").unwrap())
    } else {
        let mut conn = PgConnection::establish(url).unwrap();
        conn.batch_execute("BEGIN; LOCK TABLE complaints IN EXCLUSIVE MODE")
            .unwrap();
        Box::new(move || conn.batch_execute("ROLLBACK").unwrap())
    }
}

fn complaints_in(url: &str) -> i64 {
    #[derive(QueryableByName)]
    struct Count {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        n: i64,
    }
    let query = "SELECT CAST(COUNT(*) AS BIGINT) AS n FROM complaints";
    let rows: Vec<Count> = match url.strip_prefix("sqlite://") {
        Some(path) => diesel::sql_query(query)
            .load(&mut SqliteConnection::establish(path).unwrap())
            .unwrap(),
        None => diesel::sql_query(query)
            .load(&mut PgConnection::establish(url).unwrap())
            .unwrap(),
    };
    rows[0].n
}

async fn get(client: &awc::Client, url: &str) -> (u16, String) {
    match client.get(url).send().await {
        Ok(mut response) => {
            let body = response.body().await.unwrap_or_default();
            (
                response.status().as_u16(),
                String::from_utf8_lossy(&body).into_owned(),
            )
        }
        Err(error) => (0, error.to_string()),
    }
}

/// SIGTERM while twenty submissions wait on the database: `/readyz` turns 503 at once, every one of
/// the twenty is answered and stored, and the process exits 0 within the grace period.
async fn sigterm_drains_twenty_slow_requests(backend: Backend) {
    let database = ScratchDatabase::new(backend);
    let mut served = serve(
        &database,
        &[
            ("LAPORLAPAK_SHUTDOWN_DELAY_SECONDS", "1"),
            ("LAPORLAPAK_SHUTDOWN_GRACE_SECONDS", "30"),
            ("LAPORLAPAK_DB_POOL_SIZE", "32"),
        ],
    );
    let base = format!("http://{}", served.address);
    let client = awc::Client::builder()
        .timeout(Duration::from_secs(60))
        .finish();
    assert_eq!(get(&client, &format!("{base}/readyz")).await.0, 200);

    let release = hold_writes(&database.url);
    let requests = (0..20).map(|i| {
        let client = &client;
        let url = format!("{base}/graphql");
        let body = json!({
            "query": SUBMIT,
            "variables": { "input": complaint(&format!("https://www.instagram.com/p/Drain{i}/")) },
        });
        async move {
            let mut response = client
                .post(url)
                .insert_header(("Content-Type", "application/json"))
                .send_body(body.to_string())
                .await
                .expect("answered");
            let status = response.status().as_u16();
            let body: serde_json::Value =
                serde_json::from_slice(&response.body().await.unwrap()).unwrap();
            (status, body)
        }
    });
    let operator = async {
        // Wait until all twenty are in flight (the scrape itself is one more).
        let started = Instant::now();
        loop {
            let (_, metrics) = get(&client, &format!("{base}/metrics")).await;
            if sample(&metrics, "laporlapak_http_requests_in_flight") >= 21.0 {
                break;
            }
            assert!(started.elapsed() < Duration::from_secs(20), "{metrics}");
            actix_web::rt::time::sleep(Duration::from_millis(50)).await;
        }
        let pid = served.child.id().to_string();
        let killed = Command::new("kill").args(["-TERM", &pid]).status().unwrap();
        assert!(killed.success());
        actix_web::rt::time::sleep(Duration::from_millis(300)).await;
        let ready = get(&client, &format!("{base}/readyz")).await;
        assert_eq!(ready.0, 503, "draining: {ready:?}");
        // Past the delay the server stops accepting; the twenty are still waiting.
        actix_web::rt::time::sleep(Duration::from_millis(1500)).await;
        release();
    };
    let (replies, ()) = futures_util::join!(futures_util::future::join_all(requests), operator);
    for (status, body) in &replies {
        assert_eq!(*status, 200, "{body}");
        assert!(
            body["data"]["submitComplaint"]["trackingCode"].is_string(),
            "{body}"
        );
    }
    let started = Instant::now();
    let exit = loop {
        if let Some(status) = served.child.try_wait().unwrap() {
            break status;
        }
        assert!(started.elapsed() < Duration::from_secs(30), "still running");
        std::thread::sleep(Duration::from_millis(50));
    };
    let log = std::fs::read_to_string(&served.log).unwrap();
    assert!(exit.success(), "exit {exit:?}: {log}");
    assert!(log.contains("draining"), "{log}");
    assert_eq!(
        complaints_in(&database.url),
        20,
        "every answered submission is stored"
    );
}

/// `laporlapak backup` while complaints keep coming in: the copy holds every complaint
/// acknowledged before it started, and `laporlapak restore` installs it — refusing a damaged file
/// and, without `--force`, a database that holds data.
#[actix_web::test]
async fn backup_under_write_load_and_restore_keep_every_acknowledged_complaint() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let source = app.sqlite_file().unwrap();
    let scratch = tempfile::tempdir().unwrap();
    let backup = scratch.path().join("laporlapak-backup.db");
    let database = ScratchDatabase::sqlite_at;
    let source_db = database(&source);

    let mut acknowledged_before = Vec::new();
    let mut backup_process: Option<Child> = None;
    let mut backup_done = false;
    for round in 0..60 {
        // Four writers at a time.
        let replies = futures_util::future::join_all((0..4).map(|i| {
            let input = complaint(&format!("https://www.instagram.com/p/Backup{round}x{i}/"));
            app.gql(None, SUBMIT, json!({ "input": input }))
        }))
        .await;
        let codes: Vec<String> = replies
            .iter()
            .map(|r| {
                r.ok()["submitComplaint"]["trackingCode"]
                    .as_str()
                    .unwrap()
                    .to_owned()
            })
            .collect();
        if backup_process.is_none() {
            acknowledged_before.extend(codes);
        }
        if round == 10 {
            backup_process = Some(
                laporlapak(&source_db)
                    .args(["backup", "--to"])
                    .arg(&backup)
                    .stdout(Stdio::null())
                    .spawn()
                    .unwrap(),
            );
        }
        if let Some(process) = backup_process.as_mut()
            && let Some(status) = process.try_wait().unwrap()
        {
            assert!(status.success());
            backup_done = true;
            if round > 20 {
                break;
            }
        }
    }
    let status = backup_process.as_mut().unwrap().wait().unwrap();
    assert!(status.success() && (backup_done || status.success()));
    assert_eq!(
        std::fs::metadata(&backup).unwrap().permissions().mode() & 0o777,
        0o600,
        "a backup holds personal data"
    );

    // Restore into a new place: every complaint acknowledged before the backup started is there.
    let restored_dir = tempfile::tempdir().unwrap();
    let restored = restored_dir.path().join("restored.db");
    let target = database(&restored);
    let output = laporlapak(&target)
        .args(["restore", "--from"])
        .arg(&backup)
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    // A restored database is served with the data keys it was sealed with (its tracking-code
    // index key is sealed under them: a server without them refuses to start).
    let key_file = app.settings().data_dir.join(laporlapak::vault::KEY_FILE);
    let restored_app = TestApp::spawn_tuned(Backend::Sqlite, |settings| {
        settings.database_url = laporlapak::db::DatabaseUrl::Sqlite(restored.clone());
        std::fs::copy(
            &key_file,
            settings.data_dir.join(laporlapak::vault::KEY_FILE),
        )
        .unwrap();
    })
    .await;
    assert!(acknowledged_before.len() >= 40);
    for code in &acknowledged_before {
        let reply = restored_app
            .gql(
                None,
                "query($c: String!) { complaintByTrackingCode(code: $c) { status } }",
                json!({ "c": code }),
            )
            .await;
        assert!(
            reply.ok()["complaintByTrackingCode"]["status"].is_string(),
            "{code}"
        );
    }
    drop(restored_app);

    // Over a database with data: refused without --force, then kept beside the new one.
    let again = laporlapak(&target)
        .args(["restore", "--from"])
        .arg(&backup)
        .output()
        .unwrap();
    assert!(!again.status.success());
    assert!(
        String::from_utf8_lossy(&again.stderr).contains("--force"),
        "{again:?}"
    );
    let forced = laporlapak(&target)
        .args(["restore", "--force", "--from"])
        .arg(&backup)
        .output()
        .unwrap();
    assert!(forced.status.success(), "{forced:?}");
    assert!(String::from_utf8_lossy(&forced.stdout).contains("before-restore"));

    // A damaged or foreign file is refused and the database left as it was.
    let garbage = scratch.path().join("garbage.db");
    std::fs::write(&garbage, b"not a database at all").unwrap();
    let refused = laporlapak(&target)
        .args(["restore", "--force", "--from"])
        .arg(&garbage)
        .output()
        .unwrap();
    assert!(!refused.status.success());
    assert_eq!(
        complaints_in(&target.url),
        complaints_in(&format!("sqlite://{}", backup.display()))
    );
    // A backup never overwrites a file.
    let twice = laporlapak(&source_db)
        .args(["backup", "--to"])
        .arg(&backup)
        .output()
        .unwrap();
    assert!(!twice.status.success());
}

crate::on_both_backends!(seed_fills_a_fresh_database_once);

/// `laporlapak seed` fills a fresh database with data the server serves (a reviewer of the seed
/// signs in and sees a queue; the public report counts the complaints), and refuses to run twice.
async fn seed_fills_a_fresh_database_once(backend: Backend) {
    let database = ScratchDatabase::new(backend);
    let output = laporlapak(&database)
        .args(["seed", "--complaints", "600"])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{output:?}");
    assert!(stdout.contains(" 600 complaints, 200 cases"), "{stdout}");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr
            .lines()
            .any(|l| l.starts_with("seed: ") && l.contains("Takedown requests")),
        "plain progress lines off a terminal: {stderr}"
    );
    let again = laporlapak(&database)
        .args(["seed", "--complaints", "600"])
        .output()
        .unwrap();
    assert!(!again.status.success());
    assert!(
        String::from_utf8_lossy(&again.stderr).contains("not empty"),
        "{again:?}"
    );
    // The seed fills the transparency counters: they give the report a full recount gives.
    let verified = laporlapak(&database)
        .args(["verify-transparency", "--from", "2025-06-01T10:30:00"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&verified.stdout);
    assert!(verified.status.success(), "{verified:?}");
    assert!(
        text.contains(" 600 complaint(s)") && text.contains(", 0 difference(s)"),
        "{text}"
    );

    let served = serve(&database, &[]);
    let client = awc::Client::default();
    let graphql = format!("http://{}/graphql", served.address);
    let post = |query: &str, variables: serde_json::Value, token: Option<String>| {
        let mut request = client
            .post(&graphql)
            .insert_header(("Content-Type", "application/json"));
        if let Some(token) = token {
            request = request.insert_header(("Authorization", format!("Bearer {token}")));
        }
        let body = json!({ "query": query, "variables": variables }).to_string();
        async move {
            let mut response = request.send_body(body).await.unwrap();
            serde_json::from_slice::<serde_json::Value>(&response.body().await.unwrap()).unwrap()
        }
    };
    let login = post(
        "mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }",
        json!({ "e": "reviewer01@kemenkop.go.id", "p": "bench-password-123" }),
        None,
    )
    .await;
    let token = login["data"]["login"]["token"].as_str().unwrap().to_owned();
    let queue = post(
        "{ reviewQueue(first: 5) { nodes { id status } } }",
        json!({}),
        Some(token),
    )
    .await;
    assert!(
        !queue["data"]["reviewQueue"]["nodes"]
            .as_array()
            .unwrap()
            .is_empty(),
        "{queue}"
    );
    let report = post(
        "{ transparencyReport { categories { complaints } } }",
        json!({}),
        None,
    )
    .await;
    let complaints: i64 = report["data"]["transparencyReport"]["categories"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["complaints"].as_i64().unwrap())
        .sum();
    assert_eq!(complaints, 600, "{report}");
}

/// `LAPORLAPAK_LOG_FORMAT=json`: every log line is a JSON object, and a request's line carries its
/// request id, route, operation label and status.
#[actix_web::test]
async fn json_logs_carry_the_request_id() {
    let database = ScratchDatabase::new(Backend::Sqlite);
    let served = serve(&database, &[("LAPORLAPAK_LOG_FORMAT", "json")]);
    let client = awc::Client::default();
    let mut response = client
        .post(format!("http://{}/graphql", served.address))
        .insert_header(("Content-Type", "application/json"))
        .insert_header(("X-Request-Id", "json-log-check-1"))
        .send_body(json!({ "query": "query Cats { categories { code } }" }).to_string())
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 200);
    let _ = response.body().await;
    let started = Instant::now();
    let line = loop {
        let log = std::fs::read_to_string(&served.log).unwrap();
        if let Some(line) = log
            .lines()
            .find(|l| l.contains("json-log-check-1") && l.contains("request served"))
        {
            break line.to_owned();
        }
        assert!(started.elapsed() < Duration::from_secs(10), "{log}");
        actix_web::rt::time::sleep(Duration::from_millis(50)).await;
    };
    let log = std::fs::read_to_string(&served.log).unwrap();
    for other in log.lines().filter(|l| !l.trim().is_empty()) {
        serde_json::from_str::<serde_json::Value>(other)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {other}"));
    }
    let entry: serde_json::Value = serde_json::from_str(&line).unwrap();
    assert_eq!(entry["span"]["request_id"], "json-log-check-1", "{entry}");
    assert_eq!(entry["span"]["route"], "/graphql", "{entry}");
    assert_eq!(entry["span"]["operation"], "categories", "{entry}");
    assert_eq!(entry["fields"]["status"], 200, "{entry}");
    assert!(entry["fields"]["latency_ms"].is_number(), "{entry}");
}
