//! laporlapak: the public GraphQL API through which citizens and UMKM sellers report illegal online
//! listings, ministry reviewers turn them into formal takedown requests, and platforms answer them.
//!
//! Layers, each using only those below it: `graphql` (resolvers, HTTP endpoint) → `service` (rules,
//! transactions, audit) → `db` (schema, models, backend-specific SQL); `domain` holds parsed values
//! used by all of them, `auth` identifies callers.

pub mod auth;
pub mod config;
pub mod db;
pub mod domain;
pub mod error;
pub mod graphql;
pub mod i18n;
pub mod lifecycle;
pub mod metrics;
pub mod service;
pub mod startup;
pub mod storage;
pub mod telemetry;
pub mod vault;
pub mod web;
