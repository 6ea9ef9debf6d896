//! Access tokens: JWT signed with HS256, following RFC 8725 (JWT best current practice).
//!
//! Claims:
//! * `sub` — the account id (decimal string), or for an API client its `client_id` (RFC 9068 §2.2);
//! * `client_id` — present only in the tokens of API clients (OAuth 2.0 client credentials);
//! * `role` — `CITIZEN`, `REVIEWER`, `PLATFORM` or `ADMIN`;
//! * `platform` — the platform slug, for `PLATFORM` accounts only;
//! * `iat`, `exp` — issued-at and expiry, seconds since the epoch;
//! * `iss`, `aud` — this service, so a token minted for another service is refused;
//! * `typ` — `access`, so no other kind of token can be replayed as an access token.
//!
//! Only HS256 is accepted (so `alg: none` and algorithm confusion fail), `exp`, `iss`, `aud` and
//! `sub` are required, and the clock leeway is 5 seconds.

use std::fmt;

use chrono::{DateTime, SubsecRound as _, Utc};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};

use laporlapak_domain::Role;

pub const ISSUER: &str = "laporlapak";
pub const AUDIENCE: &str = "laporlapak-api";
pub const ACCESS_TOKEN_TYPE: &str = "access";
pub const LEEWAY_SECONDS: u64 = 5;
/// RFC 8725 §3.5: an HS256 key must carry at least 256 bits.
pub const MIN_SECRET_BYTES: usize = 32;

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Claims {
    pub sub: String,
    pub role: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub platform: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_id: Option<String>,
    pub iat: i64,
    pub exp: i64,
    pub iss: String,
    pub aud: String,
    pub typ: String,
}

/// A verified access token's content.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifiedToken {
    pub subject: TokenSubject,
    pub role: Role,
    pub platform: Option<String>,
    /// `exp`: seconds since the epoch.
    pub expires_at: i64,
}

/// Whom a token was issued to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TokenSubject {
    Account(i64),
    /// An API client, by its public `client_id`.
    ApiClient(String),
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum TokenError {
    #[error("the JWT secret must be at least {MIN_SECRET_BYTES} bytes")]
    SecretTooShort,
    #[error("invalid token")]
    Invalid,
    #[error("cannot sign token: {0}")]
    Sign(String),
}

#[derive(Clone)]
pub struct TokenKeys {
    encoding: EncodingKey,
    decoding: DecodingKey,
    validation: Validation,
    lifetime: chrono::Duration,
}

impl fmt::Debug for TokenKeys {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TokenKeys")
            .field("secret", &"***")
            .field("lifetime", &self.lifetime)
            .finish()
    }
}

impl TokenKeys {
    pub fn new(secret: &[u8], lifetime: chrono::Duration) -> Result<Self, TokenError> {
        if secret.len() < MIN_SECRET_BYTES {
            return Err(TokenError::SecretTooShort);
        }
        let mut validation = Validation::new(Algorithm::HS256);
        validation.algorithms = vec![Algorithm::HS256];
        validation.leeway = LEEWAY_SECONDS;
        validation.validate_exp = true;
        validation.validate_nbf = true;
        validation.set_issuer(&[ISSUER]);
        validation.set_audience(&[AUDIENCE]);
        validation.set_required_spec_claims(&["exp", "iss", "aud", "sub"]);
        Ok(Self {
            encoding: EncodingKey::from_secret(secret),
            decoding: DecodingKey::from_secret(secret),
            validation,
            lifetime,
        })
    }

    /// Signs a token for the account; returns it with its expiry.
    pub fn issue(
        &self,
        account_id: i64,
        role: Role,
        platform: Option<&str>,
    ) -> Result<(String, DateTime<Utc>), TokenError> {
        let now = Utc::now().trunc_subsecs(0);
        let expires_at = now + self.lifetime;
        let claims = Claims {
            sub: account_id.to_string(),
            role: role.as_str().to_owned(),
            platform: platform.map(str::to_owned),
            client_id: None,
            iat: now.timestamp(),
            exp: expires_at.timestamp(),
            iss: ISSUER.to_owned(),
            aud: AUDIENCE.to_owned(),
            typ: ACCESS_TOKEN_TYPE.to_owned(),
        };
        let token = self.sign(&claims)?;
        Ok((token, expires_at))
    }

    /// Signs a token for an API client of `platform` (the PLATFORM role); returns it with its
    /// lifetime in seconds.
    pub fn issue_for_client(
        &self,
        client_id: &str,
        platform: &str,
    ) -> Result<(String, i64), TokenError> {
        let now = Utc::now().trunc_subsecs(0);
        let claims = Claims {
            sub: client_id.to_owned(),
            role: Role::Platform.as_str().to_owned(),
            platform: Some(platform.to_owned()),
            client_id: Some(client_id.to_owned()),
            iat: now.timestamp(),
            exp: (now + self.lifetime).timestamp(),
            iss: ISSUER.to_owned(),
            aud: AUDIENCE.to_owned(),
            typ: ACCESS_TOKEN_TYPE.to_owned(),
        };
        Ok((self.sign(&claims)?, self.lifetime.num_seconds()))
    }

    /// Signs arbitrary claims. Used by `issue`, and by tests that need a token with wrong claims.
    pub fn sign(&self, claims: &Claims) -> Result<String, TokenError> {
        let mut header = Header::new(Algorithm::HS256);
        header.typ = Some("at+jwt".to_owned());
        jsonwebtoken::encode(&header, claims, &self.encoding)
            .map_err(|e| TokenError::Sign(e.to_string()))
    }

    pub fn verify(&self, token: &str) -> Result<VerifiedToken, TokenError> {
        let data = jsonwebtoken::decode::<Claims>(token, &self.decoding, &self.validation)
            .map_err(|_| TokenError::Invalid)?;
        let claims = data.claims;
        if claims.typ != ACCESS_TOKEN_TYPE {
            return Err(TokenError::Invalid);
        }
        let role = Role::parse(&claims.role).map_err(|_| TokenError::Invalid)?;
        if (role == Role::Platform) != claims.platform.is_some() {
            return Err(TokenError::Invalid);
        }
        let subject = match claims.client_id {
            Some(client_id) if role == Role::Platform && client_id == claims.sub => {
                TokenSubject::ApiClient(client_id)
            }
            Some(_) => return Err(TokenError::Invalid),
            None => TokenSubject::Account(claims.sub.parse().map_err(|_| TokenError::Invalid)?),
        };
        Ok(VerifiedToken {
            subject,
            role,
            platform: claims.platform,
            expires_at: claims.exp,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys() -> Result<TokenKeys, TokenError> {
        TokenKeys::new(&[7u8; 32], chrono::Duration::hours(1))
    }

    #[test]
    fn short_secret_is_refused() {
        assert_eq!(
            TokenKeys::new(&[7u8; 31], chrono::Duration::hours(1)).err(),
            Some(TokenError::SecretTooShort)
        );
    }

    #[test]
    fn round_trip() -> Result<(), TokenError> {
        let keys = keys()?;
        let (token, expires_at) = keys.issue(42, Role::Platform, Some("tiktok"))?;
        assert_eq!(
            keys.verify(&token)?,
            VerifiedToken {
                subject: TokenSubject::Account(42),
                role: Role::Platform,
                platform: Some("tiktok".to_owned()),
                expires_at: expires_at.timestamp(),
            }
        );
        Ok(())
    }

    #[test]
    fn client_tokens_name_their_client() -> Result<(), TokenError> {
        let keys = keys()?;
        let (token, seconds) = keys.issue_for_client("llc_abc", "tiktok")?;
        assert_eq!(seconds, 3600);
        let verified = keys.verify(&token)?;
        assert_eq!(
            verified,
            VerifiedToken {
                subject: TokenSubject::ApiClient("llc_abc".to_owned()),
                role: Role::Platform,
                platform: Some("tiktok".to_owned()),
                expires_at: verified.expires_at,
            }
        );
        Ok(())
    }

    #[test]
    fn other_key_and_garbage_are_refused() -> Result<(), TokenError> {
        let (token, _) = keys()?.issue(1, Role::Citizen, None)?;
        let other = TokenKeys::new(&[8u8; 32], chrono::Duration::hours(1))?;
        assert_eq!(other.verify(&token), Err(TokenError::Invalid));
        assert_eq!(keys()?.verify("not.a.token"), Err(TokenError::Invalid));
        Ok(())
    }
}
