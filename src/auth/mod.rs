//! Authentication: password hashing (argon2id, off the async workers, bounded in concurrency),
//! access tokens (JWT, HS256, RFC 8725) and the `Viewer` — who is calling, as established once per
//! request. Authorisation rules live with the operations they guard, not here.

pub mod password;
pub mod token;
pub mod viewer;

pub use password::PasswordHasher;
pub use token::{Claims, TokenKeys};
pub use viewer::Viewer;
