//! `crates/db/src/schema.rs` is written by hand in portable types (see `diesel.toml`), so nothing generates
//! it from the migrations. These tests apply each backend's embedded migrations to a fresh database,
//! read the tables and columns the database really has, and compare them with the `diesel::table!`
//! blocks of `crates/db/src/schema.rs`: every declared table must exist with exactly the declared columns
//! (name, type family, nullability), and the database may hold no other table than the ones listed
//! below.

use std::collections::BTreeMap;
use std::fmt;

use diesel::sql_types::{Integer, Text};
use diesel::{Connection as _, PgConnection, QueryableByName, RunQueryDsl as _, SqliteConnection};

use crate::helpers::{create_postgres_database, repo_path};
use laporlapak::db::{Database, DatabaseUrl};

const STATEMENT_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(30);

/// Tables the SQLite migrations create that `crates/db/src/schema.rs` does not declare: Diesel's migration
/// bookkeeping, and the one-row table `db::write_transaction` updates to take SQLite's write lock.
const SQLITE_TABLES_NOT_IN_SCHEMA: &[&str] = &["__diesel_schema_migrations", "write_gate"];

/// Tables the PostgreSQL migrations create that `crates/db/src/schema.rs` does not declare: Diesel's
/// migration bookkeeping only.
const POSTGRES_TABLES_NOT_IN_SCHEMA: &[&str] = &["__diesel_schema_migrations"];

#[test]
fn sqlite_migrations_match_crates_db_schema_rs() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("schema-check.db");
    let database =
        Database::connect(&DatabaseUrl::Sqlite(path.clone()), 1, STATEMENT_TIMEOUT).unwrap();
    database.migrate().unwrap();
    drop(database);

    let mut conn = SqliteConnection::establish(&path.to_string_lossy()).unwrap();
    let rows: Vec<ColumnRow> = diesel::sql_query(
        "SELECT m.name AS table_name, p.name AS column_name, p.type AS column_type, \
                p.\"notnull\" AS not_null, p.pk AS pk \
         FROM sqlite_master m JOIN pragma_table_info(m.name) p \
         WHERE m.type = 'table' ORDER BY m.name, p.cid",
    )
    .load(&mut conn)
    .unwrap();
    let actual = sqlite_tables(rows);

    check(
        "SQLite",
        &declared_schema(),
        &actual,
        SQLITE_TABLES_NOT_IN_SCHEMA,
        sqlite_types,
    );
}

#[test]
#[cfg_attr(
    not(laporlapak_postgres_tests),
    ignore = "set TEST_DATABASE_URL=postgres://… to run on PostgreSQL"
)]
fn postgres_migrations_match_crates_db_schema_rs() {
    let (url, admin_url, name) = create_postgres_database();
    let _drop_afterwards = DropDatabase { admin_url, name };
    let database =
        Database::connect(&DatabaseUrl::Postgres(url.clone()), 1, STATEMENT_TIMEOUT).unwrap();
    database.migrate().unwrap();
    drop(database);

    let mut conn = PgConnection::establish(&url).unwrap();
    let rows: Vec<ColumnRow> = diesel::sql_query(
        "SELECT c.table_name::text AS table_name, c.column_name::text AS column_name, \
                c.data_type::text AS column_type, \
                CASE WHEN c.is_nullable = 'NO' THEN 1 ELSE 0 END AS not_null, 0 AS pk \
         FROM information_schema.columns c \
         JOIN information_schema.tables t \
           ON t.table_schema = c.table_schema AND t.table_name = c.table_name \
         WHERE c.table_schema = 'public' AND t.table_type = 'BASE TABLE' \
         ORDER BY c.table_name, c.ordinal_position",
    )
    .load(&mut conn)
    .unwrap();
    drop(conn);
    let mut actual = Tables::new();
    for row in rows {
        actual.entry(row.table_name).or_default().insert(
            row.column_name,
            ActualColumn {
                column_type: row.column_type,
                nullable: row.not_null == 0,
            },
        );
    }

    check(
        "PostgreSQL",
        &declared_schema(),
        &actual,
        POSTGRES_TABLES_NOT_IN_SCHEMA,
        postgres_types,
    );
}

/// Drops the throw-away PostgreSQL database when the test ends, failed or not.
struct DropDatabase {
    admin_url: String,
    name: String,
}

impl Drop for DropDatabase {
    fn drop(&mut self) {
        if let Ok(mut conn) = PgConnection::establish(&self.admin_url) {
            let sql = format!("DROP DATABASE IF EXISTS \"{}\" WITH (FORCE)", self.name);
            let _ = diesel::sql_query(sql).execute(&mut conn);
        }
    }
}

/// The portable SQL types `crates/db/src/schema.rs` may use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum SqlType {
    BigInt,
    Integer,
    Text,
    Bool,
    Timestamp,
}

/// What each backend reports for a portable type.
fn sqlite_types(ty: SqlType) -> &'static [&'static str] {
    match ty {
        // Both are 64-bit INTEGER affinity in SQLite; an `INTEGER PRIMARY KEY` is the rowid.
        SqlType::BigInt => &["INTEGER", "BIGINT"],
        SqlType::Integer => &["INTEGER"],
        SqlType::Text => &["TEXT"],
        SqlType::Bool => &["BOOLEAN"],
        SqlType::Timestamp => &["TIMESTAMP"],
    }
}

fn postgres_types(ty: SqlType) -> &'static [&'static str] {
    match ty {
        SqlType::BigInt => &["bigint"],
        SqlType::Integer => &["integer"],
        SqlType::Text => &["text"],
        SqlType::Bool => &["boolean"],
        SqlType::Timestamp => &["timestamp without time zone"],
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct DeclaredType {
    ty: SqlType,
    nullable: bool,
}

impl fmt::Display for DeclaredType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.nullable {
            write!(f, "Nullable<{:?}>", self.ty)
        } else {
            write!(f, "{:?}", self.ty)
        }
    }
}

#[derive(Debug)]
struct ActualColumn {
    column_type: String,
    nullable: bool,
}

/// Table name → column name → what the database says about it.
type Tables = BTreeMap<String, BTreeMap<String, ActualColumn>>;

/// Table name → its declared columns, in declaration order.
type Declared = BTreeMap<String, Vec<(String, DeclaredType)>>;

#[derive(QueryableByName)]
struct ColumnRow {
    #[diesel(sql_type = Text)]
    table_name: String,
    #[diesel(sql_type = Text)]
    column_name: String,
    #[diesel(sql_type = Text)]
    column_type: String,
    #[diesel(sql_type = Integer)]
    not_null: i32,
    #[diesel(sql_type = Integer)]
    pk: i32,
}

/// SQLite reports `notnull = 0` for an `INTEGER PRIMARY KEY` without `NOT NULL`, yet that column is
/// the rowid and can never be NULL. Any other primary-key column may hold NULL in SQLite unless it
/// says `NOT NULL`, so only the single-column INTEGER primary key counts as not null on its own.
fn sqlite_tables(rows: Vec<ColumnRow>) -> Tables {
    let mut primary_key_columns: BTreeMap<String, usize> = BTreeMap::new();
    for row in rows.iter().filter(|row| row.pk > 0) {
        *primary_key_columns
            .entry(row.table_name.clone())
            .or_default() += 1;
    }
    let mut tables = Tables::new();
    for row in rows {
        let rowid = row.pk == 1
            && primary_key_columns.get(&row.table_name) == Some(&1)
            && row.column_type.eq_ignore_ascii_case("INTEGER");
        tables.entry(row.table_name).or_default().insert(
            row.column_name,
            ActualColumn {
                column_type: row.column_type.to_uppercase(),
                nullable: row.not_null == 0 && !rowid,
            },
        );
    }
    tables
}

/// Parses the `diesel::table!` blocks of `crates/db/src/schema.rs`.
fn declared_schema() -> Declared {
    let source = std::fs::read_to_string(repo_path("crates/db/src/schema.rs")).unwrap();
    let mut tables = Declared::new();
    let mut lines = source.lines().map(str::trim);
    while let Some(line) = lines.next() {
        if !line.starts_with("diesel::table!") {
            continue;
        }
        let header = lines
            .by_ref()
            .find(|l| !l.is_empty() && !l.starts_with("//"))
            .unwrap_or_else(|| panic!("crates/db/src/schema.rs: a table! block ends early"));
        let table = header
            .split(['(', '{'])
            .next()
            .unwrap_or_default()
            .trim()
            .to_owned();
        assert!(
            !table.is_empty() && header.ends_with('{'),
            "crates/db/src/schema.rs: cannot read the table header {header:?}"
        );
        let mut columns = Vec::new();
        for line in lines.by_ref() {
            if line == "}" {
                break;
            }
            if line.is_empty() || line.starts_with("//") {
                continue;
            }
            assert!(
                !line.starts_with("#[") && !line.starts_with("use "),
                "crates/db/src/schema.rs: table `{table}`: this test does not understand {line:?}; \
                 teach it before using that"
            );
            let (column, ty) = line.split_once("->").unwrap_or_else(|| {
                panic!(
                    "crates/db/src/schema.rs: table `{table}`: cannot read the column line {line:?}"
                )
            });
            let column = column.trim().to_owned();
            let ty = parse_type(ty.trim().trim_end_matches(',').trim()).unwrap_or_else(|| {
                panic!(
                    "crates/db/src/schema.rs: column `{table}.{column}` has type {ty:?}, not one of \
                     BigInt, Integer, Text, Bool, Timestamp (or Nullable<…> of one)"
                )
            });
            columns.push((column, ty));
        }
        assert!(
            !columns.is_empty(),
            "crates/db/src/schema.rs: table `{table}` has no columns"
        );
        assert!(
            tables.insert(table.clone(), columns).is_none(),
            "crates/db/src/schema.rs: table `{table}` is declared twice"
        );
    }
    assert_eq!(
        tables.len(),
        source.matches("diesel::table!").count(),
        "crates/db/src/schema.rs: not every table! block was read"
    );
    assert!(
        tables.contains_key("cases"),
        "crates/db/src/schema.rs: no tables read"
    );
    tables
}

fn parse_type(text: &str) -> Option<DeclaredType> {
    let (inner, nullable) = match text
        .strip_prefix("Nullable<")
        .and_then(|rest| rest.strip_suffix('>'))
    {
        Some(inner) => (inner.trim(), true),
        None => (text, false),
    };
    let ty = match inner {
        "BigInt" => SqlType::BigInt,
        "Integer" => SqlType::Integer,
        "Text" => SqlType::Text,
        "Bool" => SqlType::Bool,
        "Timestamp" => SqlType::Timestamp,
        _ => return None,
    };
    Some(DeclaredType { ty, nullable })
}

/// Compares and fails with every difference found, each naming its table and column.
fn check(
    backend: &str,
    declared: &Declared,
    actual: &Tables,
    allowed_extra_tables: &[&str],
    reported_types: fn(SqlType) -> &'static [&'static str],
) {
    let mut problems = Vec::new();
    for (table, columns) in declared {
        let Some(real) = actual.get(table) else {
            problems.push(format!(
                "table `{table}` is declared in crates/db/src/schema.rs but the migrations do not create it"
            ));
            continue;
        };
        for (column, declared_type) in columns {
            let Some(found) = real.get(column) else {
                problems.push(format!(
                    "column `{table}.{column}` ({declared_type}) is declared in crates/db/src/schema.rs \
                     but the table has no such column"
                ));
                continue;
            };
            let expected = reported_types(declared_type.ty);
            if !expected.contains(&found.column_type.as_str()) {
                problems.push(format!(
                    "column `{table}.{column}` is {declared_type} in crates/db/src/schema.rs, so the \
                     database should report {expected:?}, but it reports {:?}",
                    found.column_type
                ));
            }
            if found.nullable != declared_type.nullable {
                problems.push(format!(
                    "column `{table}.{column}` is {declared_type} in crates/db/src/schema.rs but {} in \
                     the database",
                    if found.nullable {
                        "nullable"
                    } else {
                        "NOT NULL"
                    }
                ));
            }
        }
        for (column, found) in real {
            if !columns.iter().any(|(name, _)| name == column) {
                problems.push(format!(
                    "column `{table}.{column}` ({}) exists in the database but not in \
                     crates/db/src/schema.rs",
                    found.column_type
                ));
            }
        }
    }
    for table in actual.keys() {
        if !declared.contains_key(table) && !allowed_extra_tables.contains(&table.as_str()) {
            problems.push(format!(
                "table `{table}` exists in the database but not in crates/db/src/schema.rs (nor in the \
                 list of tables allowed beside it)"
            ));
        }
    }
    for table in allowed_extra_tables {
        if !actual.contains_key(*table) {
            problems.push(format!(
                "table `{table}` is listed as allowed beside crates/db/src/schema.rs but the migrations \
                 no longer create it: remove it from the list"
            ));
        }
    }
    assert!(
        problems.is_empty(),
        "{backend}: crates/db/src/schema.rs does not match the migrations:\n  {}",
        problems.join("\n  ")
    );
}
