//! Authentication primitives: password hashing (argon2id, off the async workers, bounded in
//! concurrency) and access tokens (JWT, HS256, RFC 8725). Who the caller is, and what that allows,
//! is `service::viewer`; authorisation rules live with the operations they guard, not here.

pub mod password;
pub mod token;

pub use password::PasswordHasher;
pub use token::{Claims, TokenKeys};
