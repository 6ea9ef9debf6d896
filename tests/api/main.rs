//! Black-box tests: each one starts the real server on port 0 over a fresh database and speaks
//! GraphQL over HTTP to it, as a client app would. Every test runs on SQLite and, when
//! `TEST_DATABASE_URL` is set, on PostgreSQL too (a database per test, dropped afterwards).

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod fixtures;
mod helpers;

mod accounts;
mod answers;
mod appeals;
mod audit_log;
mod clients;
mod conditional_get;
mod db_schema;
mod evidence;
mod graphql_over_http;
mod guides;
mod hardening;
mod hardening_data;
mod hardening_data_at_rest;
mod hardening_net;
mod hardening_ops;
mod hardening_privacy;
mod http;
mod intake;
mod integration;
mod keyword_rules;
mod legal;
mod limits;
mod live;
mod mail;
mod ministry;
mod ministry_figures;
mod operability;
mod organisations;
mod outage;
mod platform;
mod privacy;
mod question_deadlines;
mod register;
mod rejection;
mod replicas;
mod review;
mod round_trips;
mod schema;
mod sellers;
mod startup;
mod still_online;
mod stored_enums;
mod timeline;
mod tokens;
mod transparency;
mod watchlist;
