//! Domain values parsed once at the edge and trusted afterwards ("parse, don't validate"): an
//! `Email` is always normalised, a `Nib` always 13 digits, a `Password` always within bounds.
//! Nothing here touches the database or HTTP.

pub mod account;
pub mod text;

pub use account::{DisplayName, Email, Nib, Password, Role};
