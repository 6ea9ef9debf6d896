//! The guides in `docs/` run as written, so that they cannot drift from the API.
//!
//! Every ```` ```graphql ```` block of the guides in [`GUIDES`] is one request. The guides run in
//! that order, as one story, against one server over a fresh database with rate limits on: the
//! citizen reports, the reviewer forwards the case, the platform answers, the operator manages
//! accounts. A step is written so:
//!
//! ````markdown
//! <!-- step: as=reviewer save=caseId:reviewQueue.edges.0.node.id expect=CONFLICT repeat=2 -->
//! ```graphql
//! mutation Claim($caseId: ID!) { claimCase(caseId: $caseId) { id status } }
//! ```
//! ```json variables
//! { "caseId": "{{caseId}}" }
//! ```
//! ````
//!
//! * The `<!-- step: … -->` comment is optional and, when present, is the line right before the
//!   fence. Its options, space-separated:
//!   * `as=NAME` — send `Authorization: Bearer` with the value saved as `NAME` (no token otherwise);
//!   * `save=NAME:PATH` — keep the value at `PATH` of the answer's `data` (keys and list indices
//!     separated by dots) as `NAME`;
//!   * `match=NAME:PATH` — the value at `PATH` must equal the one saved as `NAME`;
//!   * `expect=CODE` — the request must fail with this `extensions.code` (with `retryAfter` when
//!     it is `RATE_LIMITED`); without it the request must succeed: HTTP 200 and no `errors`;
//!   * `repeat=N` — send it `N` times; only the last answer is checked.
//! * A ```` ```json variables ```` block right after the ```` ```graphql ```` block holds its
//!   variables. Other ```` ```json ```` blocks are illustrations and are not read.
//! * `{{NAME}}` in the query or the variables stands for the value saved as `NAME`.
//!
//! Staff accounts are never self-registered: before the first step, the harness creates the
//! accounts of [`STAFF`] the way `laporlapak admin create` does; the guides sign in with them.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::helpers::{Backend, TestApp, repo_path};
use laporlapak::config::Environment;
use laporlapak::domain::Role;

/// The guides, in the order their steps run.
const GUIDES: [&str; 4] = [
    "docs/guide-citizen-app.md",
    "docs/guide-reviewer-tool.md",
    "docs/guide-platform.md",
    "docs/guide-operators.md",
];

/// The staff accounts the guides sign in with (password `helpers::PASSWORD`).
const STAFF: [(&str, Role, Option<&str>); 3] = [
    ("admin@example.go.id", Role::Admin, None),
    ("reviewer@example.go.id", Role::Reviewer, None),
    ("trust@tiktok.example", Role::Platform, Some("tiktok")),
];

#[derive(Debug, Default)]
struct Step {
    guide: &'static str,
    line: usize,
    query: String,
    variables: Option<String>,
    token: Option<String>,
    save: Vec<(String, String)>,
    matches: Vec<(String, String)>,
    expect: Option<String>,
    repeat: usize,
}

impl Step {
    fn at(&self) -> String {
        format!("{}:{}", self.guide, self.line)
    }
}

fn name_and_path(value: &str, at: &str) -> (String, String) {
    let (name, path) = value
        .split_once(':')
        .unwrap_or_else(|| panic!("{at}: `{value}` is not NAME:PATH"));
    (name.to_owned(), path.to_owned())
}

/// The options of a `<!-- step: … -->` line.
fn options(step: &mut Step, marker: &str) {
    let at = step.at();
    let body = marker
        .trim()
        .trim_start_matches("<!--")
        .trim_end_matches("-->")
        .trim()
        .trim_start_matches("step:")
        .trim();
    for option in body.split_whitespace() {
        let (key, value) = option
            .split_once('=')
            .unwrap_or_else(|| panic!("{at}: option `{option}` is not key=value"));
        match key {
            "as" => step.token = Some(value.to_owned()),
            "save" => step.save.push(name_and_path(value, &at)),
            "match" => step.matches.push(name_and_path(value, &at)),
            "expect" => step.expect = Some(value.to_owned()),
            "repeat" => {
                step.repeat = value
                    .parse()
                    .unwrap_or_else(|_| panic!("{at}: repeat={value} is not a number"));
            }
            _ => panic!("{at}: unknown step option `{key}`"),
        }
    }
}

/// The fenced block that opens on line `start` (0-based): its text and the line after its end.
fn fenced(lines: &[&str], start: usize, guide: &str) -> (String, usize) {
    let end = (start + 1..lines.len())
        .find(|&i| lines[i].trim() == "```")
        .unwrap_or_else(|| panic!("{guide}:{}: the block is never closed", start + 1));
    (lines[start + 1..end].join("\n"), end + 1)
}

/// Every step of one guide, in order.
fn steps(guide: &'static str, text: &str) -> Vec<Step> {
    let lines: Vec<&str> = text.lines().collect();
    let mut steps = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i].trim();
        let before_a_query = lines.get(i + 1).map(|next| next.trim()) == Some("```graphql");
        if line.starts_with("<!-- step") && !before_a_query {
            panic!(
                "{guide}:{}: a step marker must be right before a ```graphql block",
                i + 1
            );
        }
        if line.starts_with("```json variables") {
            panic!(
                "{guide}:{}: variables without a ```graphql block before them",
                i + 1
            );
        }
        if line != "```graphql" {
            i += 1;
            continue;
        }
        let mut step = Step {
            guide,
            line: i + 1,
            repeat: 1,
            ..Step::default()
        };
        if let Some(marker) = i.checked_sub(1).map(|j| lines[j].trim())
            && marker.starts_with("<!-- step")
        {
            options(&mut step, marker);
        }
        let (query, mut next) = fenced(&lines, i, guide);
        step.query = query;
        while lines.get(next).is_some_and(|l| l.trim().is_empty()) {
            next += 1;
        }
        if lines
            .get(next)
            .is_some_and(|l| l.trim() == "```json variables")
        {
            let (variables, after) = fenced(&lines, next, guide);
            step.variables = Some(variables);
            next = after;
        }
        steps.push(step);
        i = next;
    }
    steps
}

/// `text` with every `{{NAME}}` replaced by the saved value (JSON-escaped, without quotes, for a
/// string).
fn substitute(text: &str, saved: &BTreeMap<String, Value>, at: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(start) = rest.find("{{") {
        let end = rest[start..]
            .find("}}")
            .map(|e| start + e)
            .unwrap_or_else(|| panic!("{at}: `{{{{` without `}}}}`"));
        let name = &rest[start + 2..end];
        let value = saved
            .get(name)
            .unwrap_or_else(|| panic!("{at}: {{{{{name}}}}} was saved by no earlier step"));
        out.push_str(&rest[..start]);
        match value {
            Value::String(text) => {
                let quoted = Value::String(text.clone()).to_string();
                out.push_str(&quoted[1..quoted.len() - 1]);
            }
            other => out.push_str(&other.to_string()),
        }
        rest = &rest[end + 2..];
    }
    out.push_str(rest);
    out
}

fn lookup<'a>(data: &'a Value, path: &str, at: &str) -> &'a Value {
    let pointer = format!("/{}", path.replace('.', "/"));
    data.pointer(&pointer)
        .unwrap_or_else(|| panic!("{at}: the answer has nothing at `{path}`: {data}"))
}

async fn run(app: &TestApp, step: &Step, saved: &mut BTreeMap<String, Value>) {
    let at = step.at();
    let query = substitute(&step.query, saved, &at);
    let variables: Value = match &step.variables {
        Some(text) => serde_json::from_str(&substitute(text, saved, &at))
            .unwrap_or_else(|e| panic!("{at}: the variables are not JSON: {e}")),
        None => Value::Object(serde_json::Map::new()),
    };
    let token = step.token.as_ref().map(|name| {
        saved
            .get(name)
            .and_then(Value::as_str)
            .unwrap_or_else(|| panic!("{at}: as={name}, but no earlier step saved a token {name}"))
            .to_owned()
    });
    let mut reply = None;
    for _ in 0..step.repeat.max(1) {
        reply = Some(app.gql(token.as_deref(), &query, variables.clone()).await);
    }
    let reply = reply.unwrap_or_else(|| panic!("{at}: nothing sent"));
    match &step.expect {
        Some(code) => {
            assert_eq!(
                reply.code(),
                code,
                "{at}: expected {code}, got {} {}",
                reply.status,
                reply.body
            );
            if code == "RATE_LIMITED" {
                let retry_after = &reply.body["errors"][0]["extensions"]["retryAfter"];
                assert!(
                    retry_after.as_u64().is_some_and(|s| s > 0),
                    "{at}: {}",
                    reply.body
                );
            }
        }
        None => assert!(
            reply.body.get("errors").is_none() && reply.status == 200,
            "{at}: expected success, got {} {}",
            reply.status,
            reply.body
        ),
    }
    let data = reply.data();
    for (name, path) in &step.matches {
        let expected = saved
            .get(name)
            .unwrap_or_else(|| panic!("{at}: match={name}, but no earlier step saved it"));
        assert_eq!(
            lookup(data, path, &at),
            expected,
            "{at}: {path} differs from {name}"
        );
    }
    for (name, path) in &step.save {
        let value = lookup(data, path, &at).clone();
        saved.insert(name.clone(), value);
    }
}

crate::on_both_backends!(the_guides_run_as_written);

async fn the_guides_run_as_written(backend: Backend) {
    let app = TestApp::spawn_configured(backend, Environment::Development, true).await;
    for (email, role, platform) in STAFF {
        app.staff(email, role, platform).await;
    }
    let mut saved = BTreeMap::new();
    let mut count = 0;
    for guide in GUIDES {
        let text = std::fs::read_to_string(repo_path(guide)).unwrap();
        let steps = steps(guide, &text);
        assert!(steps.len() >= 3, "{guide} has {} steps", steps.len());
        for step in &steps {
            run(&app, step, &mut saved).await;
        }
        count += steps.len();
    }
    println!("guides: {count} steps ran");
}

#[test]
fn the_readme_links_every_guide_and_the_error_table() {
    let readme = std::fs::read_to_string(repo_path("README.md")).unwrap();
    for doc in GUIDES.iter().chain(&["docs/errors.md", "CHANGELOG.md"]) {
        assert!(
            readme.contains(&format!("]({doc})")),
            "README.md does not link {doc}"
        );
    }
}

/// The operators' guide names every setting the server reads (`env = "…"` in `src/config.rs`).
#[test]
fn the_operators_guide_lists_every_setting() {
    let config = std::fs::read_to_string(repo_path("src/config.rs")).unwrap();
    let guide = std::fs::read_to_string(repo_path("docs/guide-operators.md")).unwrap();
    let settings: Vec<&str> = config
        .split("env = \"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .collect();
    assert!(settings.len() >= 10, "found only {settings:?}");
    let missing: Vec<&&str> = settings
        .iter()
        .filter(|name| !guide.contains(&format!("`{name}`")))
        .collect();
    assert!(
        missing.is_empty(),
        "docs/guide-operators.md does not list {missing:?}"
    );
}

/// `docs/errors.md` lists exactly the codes the server can answer with (`error::ErrorCode`).
#[test]
fn the_error_table_lists_exactly_the_codes() {
    let table = std::fs::read_to_string(repo_path("docs/errors.md")).unwrap();
    let documented: Vec<&str> = table
        .lines()
        .filter_map(|line| line.strip_prefix("| `"))
        .filter_map(|rest| rest.split('`').next())
        .collect();
    let defined: Vec<&str> = laporlapak::error::ErrorCode::ALL
        .iter()
        .map(|code| code.as_str())
        .collect();
    assert_eq!(
        documented, defined,
        "docs/errors.md's table and error::ErrorCode differ"
    );
}

/// The client-library examples of the guides (`<!-- example: NAME -->` blocks) are exactly those
/// `.ci/client-examples/drive.py` extracts and runs against a server, each marker right before a
/// fenced block: an example added to a guide but not run, or run but gone from its guide, fails.
#[test]
fn every_client_example_of_the_guides_runs_in_ci() {
    let driver = std::fs::read_to_string(repo_path(".ci/client-examples/drive.py")).unwrap();
    let mut run: Vec<(String, String)> = driver
        .split("example(")
        .skip(1)
        .filter_map(|rest| {
            let args = rest.split(')').next()?;
            let (guide, name) = args.split_once(", ")?;
            let name = name.trim().strip_prefix('"')?.strip_suffix('"')?;
            let guide = match guide.trim() {
                "citizen" => "docs/guide-citizen-app.md",
                "platform" => "docs/guide-platform.md",
                _ => return None,
            };
            Some((guide.to_owned(), name.to_owned()))
        })
        .collect();
    run.sort();
    assert_eq!(run.len(), 4, "drive.py runs {run:?}");
    let mut found = Vec::new();
    for guide in GUIDES {
        let text = std::fs::read_to_string(repo_path(guide)).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        for (i, line) in lines.iter().enumerate() {
            let Some(name) = line
                .trim()
                .strip_prefix("<!-- example: ")
                .and_then(|rest| rest.strip_suffix(" -->"))
            else {
                continue;
            };
            assert!(
                lines.get(i + 1).is_some_and(|next| next.starts_with("```")),
                "{guide}:{}: the example marker is not right before a fenced block",
                i + 1
            );
            found.push((guide.to_owned(), name.to_owned()));
        }
    }
    found.sort();
    assert_eq!(found, run, "the guides' examples and those drive.py runs");
}
