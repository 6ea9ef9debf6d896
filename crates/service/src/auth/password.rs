//! Argon2id password hashing with the OWASP parameters (m = 19 MiB, t = 2, p = 1).
//! Each hash takes 19 MiB and a core's worth of time, so hashes run on the blocking pool and at most
//! `max_concurrent` at once: a burst of logins queues here instead of exhausting memory or starving
//! the database queries that share the blocking pool.

use std::sync::Arc;

use argon2::{Algorithm, Argon2, Params, PasswordHasher as _, PasswordVerifier as _, Version};
use tokio::sync::{OnceCell, Semaphore};

use crate::error::{InternalError, ServiceError, ServiceResult};
use laporlapak_domain::Password;

#[derive(Clone)]
pub struct PasswordHasher {
    permits: Arc<Semaphore>,
    /// A hash of a random password, verified against when the e-mail is unknown so that an unknown
    /// e-mail and a wrong password take the same time.
    dummy_hash: Arc<OnceCell<String>>,
}

fn argon2() -> ServiceResult<Argon2<'static>> {
    let params =
        Params::new(19 * 1024, 2, 1, None).map_err(|e| InternalError::Hashing(e.to_string()))?;
    Ok(Argon2::new(Algorithm::Argon2id, Version::V0x13, params))
}

impl PasswordHasher {
    pub fn new(max_concurrent: usize) -> Self {
        Self {
            permits: Arc::new(Semaphore::new(max_concurrent.max(1))),
            dummy_hash: Arc::new(OnceCell::new()),
        }
    }

    pub async fn hash(&self, password: &Password) -> ServiceResult<String> {
        let password = password.expose().to_owned();
        self.blocking(move || {
            argon2()?
                .hash_password(password.as_bytes())
                .map(|hash| hash.to_string())
                .map_err(|e| InternalError::Hashing(e.to_string()).into())
        })
        .await
    }

    /// Verifies `password` against a stored PHC string, or against the dummy hash when there is no
    /// account, so both paths cost one argon2 computation.
    pub async fn verify(&self, password: &str, stored: Option<String>) -> ServiceResult<bool> {
        let stored = match stored {
            Some(stored) => stored,
            None => self.dummy_hash().await?,
        };
        let password = password.to_owned();
        self.blocking(move || {
            Ok(argon2()?
                .verify_password(password.as_bytes(), stored.as_str())
                .is_ok())
        })
        .await
    }

    async fn dummy_hash(&self) -> ServiceResult<String> {
        self.dummy_hash
            .get_or_try_init(|| async {
                let mut random = [0u8; 32];
                getrandom::fill(&mut random).map_err(ServiceError::from)?;
                let password = Password::parse(&base64_url(&random))
                    .map_err(|_| ServiceError::invariant("a random dummy password is accepted"))?;
                self.hash(&password).await
            })
            .await
            .cloned()
    }

    async fn blocking<T, F>(&self, work: F) -> ServiceResult<T>
    where
        F: FnOnce() -> ServiceResult<T> + Send + 'static,
        T: Send + 'static,
    {
        let _permit = self
            .permits
            .acquire()
            .await
            .map_err(|_| ServiceError::invariant("the password hasher stays open"))?;
        tokio::task::spawn_blocking(work).await?
    }
}

fn base64_url(bytes: &[u8]) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn hash_then_verify() -> ServiceResult<()> {
        let hasher = PasswordHasher::new(2);
        let password =
            Password::parse("kopi susu gula aren").map_err(|_| ServiceError::NotFound)?;
        let hash = hasher.hash(&password).await?;
        assert!(hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"));
        assert!(
            hasher
                .verify("kopi susu gula aren", Some(hash.clone()))
                .await?
        );
        assert!(!hasher.verify("kopi susu gula arem", Some(hash)).await?);
        assert!(!hasher.verify("kopi susu gula aren", None).await?);
        Ok(())
    }
}
