//! One model per file: the rows as read from the database, the forms used to write them, and the
//! queries that belong to each table.

pub mod account;
pub mod api_client;
pub mod appeal;
pub mod audit_chain;
pub mod case;
pub mod category;
pub mod complaint;
pub mod event;
pub mod evidence;
pub mod gauges;
pub mod idempotency_key;
pub mod index_key;
pub mod keyword_rule;
pub mod mail;
pub mod message;
pub mod ministry;
pub mod objection;
pub mod organisation;
pub mod platform;
pub mod rate_limit;
pub mod recommendation;
pub mod register;
pub mod report;
pub mod sanction;
pub mod seller;
pub mod takedown_answer;
pub mod takedown_request;
pub mod watchlist;
pub mod webhook;
