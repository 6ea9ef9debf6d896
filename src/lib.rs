//! laporlapak: the public GraphQL API through which citizens and UMKM sellers report illegal online
//! listings, ministry reviewers turn them into formal takedown requests, and platforms answer them.
//!
//! The code is a Cargo workspace whose crates are the layers; each can name only those below it,
//! so a wrong-way import is a compile error:
//!
//! | crate | holds | uses |
//! |---|---|---|
//! | `laporlapak-domain` | parsed values, the closed vocabularies, the case rules, translations | — |
//! | `laporlapak-metrics` | the process's Prometheus counters | — |
//! | `laporlapak-db` | schema, models, migrations, the pool, backend-specific SQL, the field vault | domain, metrics |
//! | `laporlapak-service` | the rules over the database: authorisation, transactions, audit, workers | domain, db, metrics |
//! | `laporlapak-api` | GraphQL types and resolvers; the HTTP edge and pages | domain, service, metrics |
//! | `laporlapak` (this crate) | settings and the command line, start-up, logging | all of them |
//!
//! `laporlapak-schema-diff` is build tooling (the breaking-change check of `schema.graphql`) and
//! uses none of them. This crate re-exports the layers under their short names (`laporlapak::db`,
//! `laporlapak::service`, …) for the binary and the API tests.

pub mod config;
pub mod startup;
pub mod telemetry;

pub use laporlapak_api::{graphql, web};
pub use laporlapak_db as db;
pub use laporlapak_db::vault;
pub use laporlapak_domain as domain;
pub use laporlapak_domain::i18n;
pub use laporlapak_metrics as metrics;
pub use laporlapak_schema_diff as schema_diff;
pub use laporlapak_service as service;
pub use laporlapak_service::{auth, error, lifecycle, storage};
