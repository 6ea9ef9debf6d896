//! The `laporlapak` binary as an operator runs it: first start on an empty data directory, the
//! first admin from the command line, and start-up errors that fail fast with a clear message.

use std::io::{BufRead as _, BufReader};
use std::os::unix::fs::PermissionsExt as _;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::helpers::PASSWORD;

fn laporlapak(data_dir: &std::path::Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_laporlapak"));
    for variable in [
        "DATABASE_URL",
        "LAPORLAPAK_JWT_SECRET",
        "LAPORLAPAK_ENV",
        "LAPORLAPAK_BIND",
    ] {
        command.env_remove(variable);
    }
    command
        .env("LAPORLAPAK_DATA_DIR", data_dir)
        .env("RUST_LOG", "warn")
        .stdin(Stdio::null());
    command
}

/// The server process, with its standard output kept open: closing the pipe early would make
/// the server's next line fail with EPIPE.
struct Server {
    child: Child,
    _stdout: std::io::Lines<BufReader<std::process::ChildStdout>>,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts `laporlapak` (serve) on port 0 and returns it with the address it printed.
fn serve(data_dir: &std::path::Path) -> (Server, String) {
    let mut child = laporlapak(data_dir)
        .env("LAPORLAPAK_BIND", "127.0.0.1:0")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let mut lines = BufReader::new(stdout).lines();
    let first = lines.next().unwrap().unwrap();
    let address = first
        .split_whitespace()
        .find(|word| word.starts_with("http://"))
        .unwrap()
        .to_owned();
    let rest: Vec<String> = lines.by_ref().take(3).map(Result::unwrap).collect();
    assert!(
        rest.iter().any(|line| line.contains("GraphiQL")),
        "{rest:?}"
    );
    assert!(
        rest.iter().any(|line| line.contains("admin create")),
        "{rest:?}"
    );
    let server = Server {
        child,
        _stdout: lines,
    };
    (server, address)
}

#[actix_web::test]
async fn first_start_on_an_empty_data_dir_creates_everything_and_the_first_admin_signs_in() {
    let root = tempfile::tempdir().unwrap();
    let data_dir = root.path().join("data");
    let (server, address) = serve(&data_dir);

    assert!(data_dir.join("laporlapak.db").is_file());
    let secret = data_dir.join("jwt-secret");
    let mode = std::fs::metadata(&secret).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o600, "secret file mode {mode:o}");

    let client = awc::Client::default();
    let mut ready = client
        .get(format!("{address}/readyz"))
        .send()
        .await
        .unwrap();
    assert_eq!(ready.status().as_u16(), 200);
    assert_eq!(ready.body().await.unwrap(), "ready");

    // The first admin, created from the command line while the server runs.
    let output = laporlapak(&data_dir)
        .args(["admin", "create", "--email", "Admin@Kemenkop.go.id"])
        .env("LAPORLAPAK_ADMIN_PASSWORD", PASSWORD)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(String::from_utf8_lossy(&output.stdout).contains("ADMIN"));

    let login = serde_json::json!({
        "query": "mutation($e: String!, $p: String!) { login(email: $e, password: $p) { account { role email } } }",
        "variables": { "e": "admin@kemenkop.go.id", "p": PASSWORD },
    });
    let mut response = client
        .post(format!("{address}/graphql"))
        .send_json(&login)
        .await
        .unwrap();
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["data"]["login"]["account"]["role"], "ADMIN", "{body}");

    // The same secret is kept across restarts, so tokens survive them.
    let before = std::fs::read(&secret).unwrap();
    drop(server);
    let (_server, _) = serve(&data_dir);
    assert_eq!(std::fs::read(&secret).unwrap(), before);

    // A second admin with the same e-mail is refused with a readable message.
    let output = laporlapak(&data_dir)
        .args(["admin", "create", "--email", "admin@kemenkop.go.id"])
        .env("LAPORLAPAK_ADMIN_PASSWORD", PASSWORD)
        .output()
        .unwrap();
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("already registered"));
}

#[test]
fn admin_create_without_a_password_or_terminal_says_what_to_do() {
    let root = tempfile::tempdir().unwrap();
    let output = laporlapak(root.path())
        .args(["admin", "create", "--email", "admin@kemenkop.go.id"])
        .env_remove("LAPORLAPAK_ADMIN_PASSWORD")
        .output()
        .unwrap();
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("LAPORLAPAK_ADMIN_PASSWORD"));
}

fn fails_with(args: &[&str], env: &[(&str, &str)], expected: &str) {
    let root = tempfile::tempdir().unwrap();
    let started = Instant::now();
    let mut command = laporlapak(root.path());
    command.args(args);
    for (name, value) in env {
        command.env(name, value);
    }
    let output = command.output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!output.status.success(), "{args:?} {env:?} succeeded");
    assert!(
        stderr.contains(expected),
        "expected {expected:?} in {stderr}"
    );
    assert!(
        started.elapsed() < Duration::from_secs(20),
        "took {:?} to fail",
        started.elapsed()
    );
}

#[test]
fn a_bad_database_url_fails_fast_with_the_real_reason() {
    fails_with(
        &["migrate"],
        &[("DATABASE_URL", "postgres://nobody@127.0.0.1:1/nowhere")],
        "cannot connect to the database",
    );
    fails_with(
        &["migrate"],
        &[("DATABASE_URL", "mysql://root@localhost/db")],
        "unsupported DATABASE_URL",
    );
    fails_with(
        &["migrate"],
        &[(
            "DATABASE_URL",
            "sqlite:///proc/definitely/not/writable/x.db",
        )],
        "cannot create the database directory",
    );
}

#[test]
fn a_short_jwt_secret_is_refused() {
    fails_with(
        &["serve"],
        &[("LAPORLAPAK_JWT_SECRET", "too-short")],
        "at least 32 bytes",
    );
}
