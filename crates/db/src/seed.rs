//! `laporlapak seed --complaints N`: fills a freshly migrated database with realistic data —
//! accounts, cases of skewed sizes over the platforms and categories, every status, takedown
//! requests with deadlines (some overdue), evidence, information requests and the audit trail —
//! for demos and for the benchmark (`.ci/bench/run.sh`).
//!
//! The rows are generated inside the database by one SQL script per backend (`seed/postgres.sql`,
//! `seed/sqlite.sql`, compiled in): set-based `INSERT … SELECT` over `generate_series` / a
//! recursive series, in one transaction, which loads millions of rows far faster than sending them
//! (10 M complaints on PostgreSQL in minutes, not hours). Everything is derived from row numbers
//! with an integer hash, so two seeds of one size hold the same rows (only timestamps follow the
//! clock). The scripts refuse a database that already has accounts, cases or complaints.
//!
//! Each script runs section by section (its `-- ----` rules): the command reports progress after
//! each, as a line that rewrites itself on a terminal and as plain lines otherwise.

use std::io::{IsTerminal as _, Write as _};
use std::time::Instant;

use diesel::connection::SimpleConnection as _;
use diesel::prelude::*;
use diesel::{PgConnection, SqliteConnection};

use super::{DatabaseUrl, DbError};

const POSTGRES: &str = include_str!("seed/postgres.sql");
const SQLITE: &str = include_str!("seed/sqlite.sql");

/// Most complaints one seed creates.
pub const MAX_COMPLAINTS: u64 = 100_000_000;

#[diesel::declare_sql_function]
extern "SQL" {
    fn ln(x: diesel::sql_types::Double) -> diesel::sql_types::Double;
    fn floor(x: diesel::sql_types::Double) -> diesel::sql_types::Double;
}

/// What the seed created.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Seeded {
    pub complaints: i64,
    pub cases: i64,
    pub takedown_requests: i64,
    pub accounts: i64,
    pub events: i64,
}

/// One script cut into the sections it runs one by one, and the statements after its `COMMIT`
/// (each run on its own: `VACUUM` may not run inside a transaction block).
struct Script {
    sections: Vec<(String, String)>,
    after_commit: Vec<String>,
}

/// Cuts `text` at its section rules (`-- ----…` followed by a `-- title` line); lines that only a
/// command-line shell understands (starting with `.` or `\`) are dropped.
fn split(text: &str) -> Script {
    let (body, tail) = text
        .rsplit_once("\nCOMMIT;\n")
        .map_or((text, ""), |(body, tail)| (body, tail));
    let lines: Vec<&str> = body
        .lines()
        .filter(|line| !line.starts_with('.') && !line.starts_with('\\'))
        .collect();
    let mut sections: Vec<(String, String)> = vec![("preparing".to_owned(), String::new())];
    let mut index = 0;
    while index < lines.len() {
        let line = lines[index];
        let next = lines.get(index + 1).copied().unwrap_or("");
        if line.starts_with("-- ----") && next.starts_with("-- ") && !next.starts_with("-- ----") {
            let title = next
                .trim_start_matches("-- ")
                .trim_end_matches(':')
                .to_owned();
            sections.push((title, String::new()));
        }
        if let Some((_, sql)) = sections.last_mut() {
            sql.push_str(line);
            sql.push('\n');
        }
        index += 1;
    }
    if let Some((_, sql)) = sections.last_mut() {
        sql.push_str("COMMIT;\n");
    }
    let after_commit = tail
        .lines()
        .filter(|line| !line.starts_with('.') && !line.starts_with('\\'))
        .collect::<Vec<_>>()
        .join("\n")
        .split(";\n")
        .map(str::trim)
        .filter(|statement| {
            !statement.is_empty()
                && !statement
                    .lines()
                    .all(|line| line.trim().is_empty() || line.trim_start().starts_with("--"))
        })
        .filter(|statement| !statement.starts_with("SELECT 'seeded'"))
        .map(|statement| statement.trim_end_matches(';').to_owned())
        .collect();
    Script {
        sections,
        after_commit,
    }
}

/// Reports each finished step on standard error: one line rewritten in place on a terminal,
/// plain lines otherwise (a log file, CI).
struct Progress {
    started: Instant,
    total: usize,
    done: usize,
    terminal: bool,
}

impl Progress {
    fn new(total: usize) -> Self {
        Self {
            started: Instant::now(),
            total,
            done: 0,
            terminal: std::io::stderr().is_terminal(),
        }
    }

    fn step(&mut self, title: &str) {
        self.done += 1;
        let width = 30;
        let filled = width * self.done / self.total.max(1);
        let seconds = self.started.elapsed().as_secs_f64();
        let mut err = std::io::stderr().lock();
        if self.terminal {
            let _ = write!(
                err,
                "\r\x1b[2K[{}{}] {}/{} {seconds:6.1}s {title}",
                "#".repeat(filled),
                " ".repeat(width - filled),
                self.done,
                self.total,
            );
            if self.done == self.total {
                let _ = writeln!(err);
            }
        } else {
            let _ = writeln!(
                err,
                "seed: {}/{} {seconds:.1}s {title}",
                self.done, self.total
            );
        }
    }
}

/// Seeds the database at `url` with `complaints` complaints (3 to [`MAX_COMPLAINTS`]); the database
/// must be migrated and hold no accounts, cases or complaints. On SQLite no server may have the
/// file open while it runs (the load writes without a journal, then turns WAL back on).
pub fn seed(url: &DatabaseUrl, complaints: u64) -> Result<Seeded, DbError> {
    if !(3..=MAX_COMPLAINTS).contains(&complaints) {
        return Err(DbError::Seed(format!(
            "complaints must be between 3 and {MAX_COMPLAINTS}"
        )));
    }
    match url {
        DatabaseUrl::Postgres(url) => {
            let mut conn = PgConnection::establish(url)?;
            refuse_unless_empty(&mut conn)?;
            let script = split(&POSTGRES.replace(":complaints", &complaints.to_string()));
            run(&mut conn, &script)?;
            counts(&mut conn)
        }
        DatabaseUrl::Sqlite(path) => {
            let mut conn = SqliteConnection::establish(&path.to_string_lossy())?;
            conn.batch_execute("PRAGMA busy_timeout = 10000")?;
            refuse_unless_empty(&mut conn)?;
            ln_utils::register_impl(&mut conn, |x: f64| x.ln())?;
            floor_utils::register_impl(&mut conn, |x: f64| x.floor())?;
            conn.batch_execute(&format!(
                "CREATE TEMP TABLE bench_input (complaints INTEGER); \
                 INSERT INTO bench_input VALUES ({complaints});"
            ))?;
            let script = split(SQLITE);
            let outcome = run(&mut conn, &script);
            if outcome.is_err() {
                // A failed bulk load leaves its transaction open: end it, and put WAL back on.
                let _ = conn.batch_execute("ROLLBACK; PRAGMA journal_mode = WAL;");
            }
            outcome?;
            counts(&mut conn)
        }
    }
}

fn run<C: diesel::connection::SimpleConnection>(
    conn: &mut C,
    script: &Script,
) -> Result<(), DbError> {
    let mut progress = Progress::new(script.sections.len() + script.after_commit.len());
    for (title, sql) in &script.sections {
        conn.batch_execute(sql)
            .map_err(|e| DbError::Seed(format!("{title}: {e}")))?;
        progress.step(title);
    }
    for statement in &script.after_commit {
        conn.batch_execute(statement)
            .map_err(|e| DbError::Seed(format!("{statement}: {e}")))?;
        let title = statement
            .split_whitespace()
            .take(2)
            .collect::<Vec<_>>()
            .join(" ");
        progress.step(&title);
    }
    Ok(())
}

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    n: i64,
}

fn count<C>(conn: &mut C, table: &str) -> Result<i64, DbError>
where
    C: Connection,
    diesel::query_builder::SqlQuery: diesel::query_dsl::LoadQuery<'static, C, Count>,
{
    let rows: Vec<Count> =
        diesel::sql_query(format!("SELECT CAST(COUNT(*) AS BIGINT) AS n FROM {table}"))
            .load(conn)?;
    Ok(rows.first().map_or(0, |row| row.n))
}

/// The scripts' own guard, with a clearer message: only a database without accounts, cases or
/// complaints is seeded.
fn refuse_unless_empty<C>(conn: &mut C) -> Result<(), DbError>
where
    C: Connection,
    diesel::query_builder::SqlQuery: diesel::query_dsl::LoadQuery<'static, C, Count>,
{
    for table in ["accounts", "cases", "complaints"] {
        if count(conn, table)? > 0 {
            return Err(DbError::Seed(format!(
                "the database is not empty ({table} has rows): seed a freshly migrated database"
            )));
        }
    }
    Ok(())
}

fn counts<C>(conn: &mut C) -> Result<Seeded, DbError>
where
    C: Connection,
    diesel::query_builder::SqlQuery: diesel::query_dsl::LoadQuery<'static, C, Count>,
{
    Ok(Seeded {
        complaints: count(conn, "complaints")?,
        cases: count(conn, "cases")?,
        takedown_requests: count(conn, "takedown_requests")?,
        accounts: count(conn, "accounts")?,
        events: count(conn, "events")?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_scripts_split_into_the_same_sections() {
        let postgres = split(POSTGRES);
        let sqlite = split(SQLITE);
        let titles = |s: &Script| {
            s.sections
                .iter()
                .map(|(t, _)| t.clone())
                .collect::<Vec<_>>()
        };
        assert!(sqlite.sections.len() > 8, "{:?}", titles(&sqlite));
        // PostgreSQL has one more at the end: setting its sequences past the explicit ids.
        assert!(
            titles(&postgres).starts_with(&titles(&sqlite)),
            "{:?} / {:?}",
            titles(&postgres),
            titles(&sqlite)
        );
        assert!(
            postgres
                .after_commit
                .iter()
                .any(|s| s.starts_with("VACUUM")),
            "{:?}",
            postgres.after_commit
        );
        assert!(
            sqlite
                .after_commit
                .iter()
                .any(|s| s.starts_with("PRAGMA journal_mode = WAL")),
            "{:?}",
            sqlite.after_commit
        );
        for script in [&postgres, &sqlite] {
            for (_, sql) in &script.sections {
                assert!(
                    !sql.lines()
                        .any(|l| l.starts_with('\\') || l.starts_with('.'))
                );
            }
        }
    }
}
