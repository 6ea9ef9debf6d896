//! One model per file: the rows as read from the database, the forms used to write them, and the
//! queries that belong to each table.

pub mod account;
pub mod category;
pub mod event;
pub mod platform;
