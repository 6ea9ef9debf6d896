//! API clients: the service accounts through which a platform's systems act, with the OAuth 2.0
//! client-credentials grant (RFC 6749 §4.4) that turns a client's id and secret into an access
//! token (a JWT as in RFC 9068) acting as the PLATFORM role for that one platform.
//!
//! Only an ADMIN manages clients. A secret is shown once, when it is made; the database keeps its
//! SHA-256 (a secret is 256 random bits, so no slow hash is needed, and the token endpoint stays
//! cheap). A rotation adds a second secret; both work until the old one is revoked. Every request a
//! client token makes re-reads the client, so revoking it, or deactivating its platform, refuses its
//! tokens at once. What a client does is audited as the client, never as a person.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::NaiveDateTime;
use sha2::{Digest as _, Sha256};
use subtle::ConstantTimeEq as _;

use crate::Services;
use crate::audit::{self, Actor, NewEvent, Subject};
use crate::error::{InternalError, ServiceError, ServiceResult};
use crate::limits::{self, ClientAddress, Limit, Sharing};
use crate::viewer::Viewer;
use laporlapak_db::models::api_client::{ApiClient, ApiClientInsertForm, ApiClientSecret};
use laporlapak_domain::i18n::Msg;
use laporlapak_domain::{AuditAction, text};

const CLIENT_ID_PREFIX: &str = "llc_";
const SECRET_PREFIX: &str = "llcs_";
pub const NAME_MAX: usize = 100;

/// Tokens granted per client id from anywhere, counted only once the secret was right: a client
/// that loops on the endpoint is stopped well before it costs anything, and a stranger presenting
/// wrong secrets never spends this budget.
pub const TOKENS_PER_CLIENT: Limit = Limit {
    name: "oauth-client",
    max: 60,
    window_seconds: 60 * 60,
    sharing: Sharing::Immediate,
};
/// Token requests per client address.
pub const TOKENS_PER_ADDRESS: Limit = Limit {
    name: "oauth-ip",
    max: 300,
    window_seconds: 60 * 60,
    sharing: Sharing::Immediate,
};
/// Wrong secrets per (client id, address): counted before the check, given back when the secret
/// was right, so only the address presenting wrong secrets is slowed down.
pub const FAILED_TOKENS_PER_CLIENT_AND_ADDRESS: Limit = Limit {
    name: "oauth-client-ip",
    max: 20,
    window_seconds: 60 * 60,
    sharing: Sharing::Immediate,
};

/// The token endpoint's guard (a secret cannot be guessed, so there is no ceiling per client on
/// failures from anywhere: it would only let strangers lock the integration out).
const SECRET_GUARD: limits::SecretGuard = limits::SecretGuard {
    per_address: TOKENS_PER_ADDRESS,
    per_subject_and_address: FAILED_TOKENS_PER_CLIENT_AND_ADDRESS,
    failures_per_subject: None,
};

/// An API client as an administrator sees it (never a secret, only each secret's last characters).
#[derive(Debug, Clone)]
pub struct ApiClientView {
    pub id: i64,
    pub client_id: String,
    pub platform_id: i64,
    pub name: String,
    pub created_at: NaiveDateTime,
    pub revoked_at: Option<NaiveDateTime>,
    pub last_used_at: Option<NaiveDateTime>,
    pub secrets: Vec<SecretView>,
}

#[derive(Debug, Clone)]
pub struct SecretView {
    pub id: i64,
    pub hint: String,
    pub created_at: NaiveDateTime,
    pub revoked_at: Option<NaiveDateTime>,
    pub last_used_at: Option<NaiveDateTime>,
}

/// A new secret, shown this once.
pub struct IssuedSecret {
    pub client: ApiClientView,
    pub secret: String,
    pub secret_id: i64,
}

/// What the token endpoint answers.
pub struct Grant {
    pub access_token: String,
    pub expires_in: i64,
}

/// Why the token endpoint refuses (RFC 6749 §5.2).
#[derive(Debug)]
pub enum GrantError {
    /// Unknown client, wrong secret, revoked client or inactive platform: never saying which.
    InvalidClient,
    RateLimited {
        retry_after: u64,
    },
    Service(ServiceError),
}

impl From<ServiceError> for GrantError {
    fn from(error: ServiceError) -> Self {
        match error {
            ServiceError::RateLimited { retry_after } => Self::RateLimited { retry_after },
            other => Self::Service(other),
        }
    }
}

fn random_text(bytes: usize) -> ServiceResult<String> {
    let mut random = vec![0u8; bytes];
    getrandom::fill(&mut random).map_err(InternalError::from)?;
    Ok(URL_SAFE_NO_PAD.encode(random))
}

fn hash_secret(secret: &str) -> String {
    laporlapak_domain::hex(&Sha256::digest(secret.as_bytes()))
}

/// Compares without stopping at the first difference.
fn same(a: &str, b: &str) -> bool {
    a.as_bytes().ct_eq(b.as_bytes()).into()
}

fn hint(secret: &str) -> String {
    secret
        .chars()
        .rev()
        .take(4)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect()
}

/// The client's view, with its own secrets among `secrets`.
fn view(client: ApiClient, secrets: &[ApiClientSecret]) -> ApiClientView {
    ApiClientView {
        id: client.id,
        client_id: client.client_id,
        platform_id: client.platform_id,
        name: client.name,
        created_at: client.created_at,
        revoked_at: client.revoked_at,
        last_used_at: client.last_used_at,
        secrets: secrets
            .iter()
            .filter(|secret| secret.api_client_id == client.id)
            .map(|secret| SecretView {
                id: secret.id,
                hint: secret.hint.clone(),
                created_at: secret.created_at,
                revoked_at: secret.revoked_at,
                last_used_at: secret.last_used_at,
            })
            .collect(),
    }
}

fn load_view(conn: &mut laporlapak_db::DbConnection, id: i64) -> ServiceResult<ApiClientView> {
    let client = ApiClient::find(conn, id)?.ok_or(ServiceError::NotFound)?;
    let secrets = ApiClientSecret::for_clients(conn, &[id])?;
    Ok(view(client, &secrets))
}

/// A fresh secret: its clear text (shown once), its hash and its hint.
fn new_secret() -> ServiceResult<(String, String, String)> {
    let secret = format!("{SECRET_PREFIX}{}", random_text(32)?);
    let hash = hash_secret(&secret);
    let hint = hint(&secret);
    Ok((secret, hash, hint))
}

/// `createApiClient`: a new client for `platform` with its first secret. ADMIN only.
pub async fn create(
    services: &Services,
    viewer: &Viewer,
    platform_slug: &str,
    name: &str,
) -> ServiceResult<IssuedSecret> {
    let admin = viewer.admin()?;
    let name = text::single_line(name, 1, NAME_MAX)
        .map_err(|reason| ServiceError::bad_input("name", reason))?;
    let slug = platform_slug.trim().to_lowercase();
    let client_id = format!("{CLIENT_ID_PREFIX}{}", random_text(12)?);
    let (secret, secret_hash, secret_hint) = new_secret()?;
    let cache = services.reference.clone();
    let viewer = viewer.clone();
    let me = admin.account_id();
    let (client, secret_id) = services
        .write(move |conn, now| {
            let platform_id = cache.platform_id_named(conn, &slug, "platform")?;
            let id = ApiClient::insert(
                conn,
                &ApiClientInsertForm {
                    client_id: &client_id,
                    platform_id,
                    name: &name,
                    created_by: Some(me),
                    created_at: now,
                },
            )?;
            let secret_id = ApiClientSecret::insert(conn, id, &secret_hash, &secret_hint, now)?;
            audit::record(
                conn,
                now,
                Actor::Viewer(&viewer),
                NewEvent::new(AuditAction::ApiClientCreated, Subject::ApiClient(id)).details(&name),
            )?;
            Ok((load_view(conn, id)?, secret_id))
        })
        .await?;
    Ok(IssuedSecret {
        client,
        secret,
        secret_id,
    })
}

/// `apiClients`: every client, or one platform's, newest first. ADMIN only.
pub async fn list(
    services: &Services,
    viewer: &Viewer,
    platform_slug: Option<String>,
) -> ServiceResult<Vec<ApiClientView>> {
    viewer.admin()?;
    let cache = services.reference.clone();
    services
        .db
        .run(move |conn| {
            let platform_id = match platform_slug {
                Some(slug) => Some(cache.platform_id_named(conn, slug.trim(), "platform")?),
                None => None,
            };
            let clients = ApiClient::list(conn, platform_id)?;
            let ids: Vec<i64> = clients.iter().map(|c| c.id).collect();
            let secrets = ApiClientSecret::for_clients(conn, &ids)?;
            Ok(clients
                .into_iter()
                .map(|client| view(client, &secrets))
                .collect())
        })
        .await
}

/// The API client holding the caller's token (`viewer` for a client token); `None` for any other
/// caller.
pub async fn me(services: &Services, viewer: &Viewer) -> ServiceResult<Option<ApiClientView>> {
    let Some(id) = viewer.api_client_id() else {
        return Ok(None);
    };
    services
        .db
        .run(move |conn| {
            let Some(client) = ApiClient::find(conn, id)? else {
                return Ok(None);
            };
            let secrets = ApiClientSecret::for_clients(conn, &[client.id])?;
            Ok(Some(view(client, &secrets)))
        })
        .await
}

/// One client by its number, for `node(id:)`: for an ADMIN, and for the client itself (its own
/// token); `None` for anyone else and when it does not exist.
pub async fn find_visible(
    services: &Services,
    viewer: &Viewer,
    id: i64,
) -> ServiceResult<Option<ApiClientView>> {
    if viewer.admin().is_err() && viewer.api_client_id() != Some(id) {
        return Ok(None);
    }
    services
        .db
        .run(move |conn| {
            let Some(client) = ApiClient::find(conn, id)? else {
                return Ok(None);
            };
            let secrets = ApiClientSecret::for_clients(conn, &[client.id])?;
            Ok(Some(view(client, &secrets)))
        })
        .await
}

/// `rotateApiClientSecret`: a second secret for the client; the old one keeps working until it is
/// revoked (`revokeApiClientSecret`). ADMIN only; a revoked client is a CONFLICT.
pub async fn rotate(services: &Services, viewer: &Viewer, id: i64) -> ServiceResult<IssuedSecret> {
    viewer.admin()?;
    let (secret, secret_hash, secret_hint) = new_secret()?;
    let viewer = viewer.clone();
    let (client, secret_id) = services
        .write(move |conn, now| {
            let client = ApiClient::find(conn, id)?.ok_or(ServiceError::NotFound)?;
            if client.revoked_at.is_some() {
                return Err(ServiceError::conflict(Msg::ApiClientRevoked));
            }
            let secret_id = ApiClientSecret::insert(conn, id, &secret_hash, &secret_hint, now)?;
            audit::record(
                conn,
                now,
                Actor::Viewer(&viewer),
                NewEvent::new(AuditAction::ApiClientSecretRotated, Subject::ApiClient(id))
                    .details(&secret_hint),
            )?;
            Ok((load_view(conn, id)?, secret_id))
        })
        .await?;
    Ok(IssuedSecret {
        client,
        secret,
        secret_id,
    })
}

/// `revokeApiClientSecret`: one secret stops working at once. ADMIN only; revoking twice changes
/// nothing.
pub async fn revoke_secret(
    services: &Services,
    viewer: &Viewer,
    client_id: i64,
    secret_id: i64,
) -> ServiceResult<ApiClientView> {
    viewer.admin()?;
    let viewer = viewer.clone();
    services
        .write(move |conn, now| {
            let secret = ApiClientSecret::find(conn, secret_id)?
                .filter(|secret| secret.api_client_id == client_id)
                .ok_or(ServiceError::NotFound)?;
            if ApiClientSecret::revoke(conn, secret.id, now)? {
                audit::record(
                    conn,
                    now,
                    Actor::Viewer(&viewer),
                    NewEvent::new(
                        AuditAction::ApiClientSecretRevoked,
                        Subject::ApiClient(client_id),
                    )
                    .details(&secret.hint),
                )?;
            }
            load_view(conn, client_id)
        })
        .await
}

/// `revokeApiClient`: the client and every token it holds stop working at once. ADMIN only;
/// revoking twice changes nothing.
pub async fn revoke(services: &Services, viewer: &Viewer, id: i64) -> ServiceResult<ApiClientView> {
    viewer.admin()?;
    let viewer = viewer.clone();
    services
        .write(move |conn, now| {
            ApiClient::find(conn, id)?.ok_or(ServiceError::NotFound)?;
            if ApiClient::revoke(conn, id, now)? {
                audit::record(
                    conn,
                    now,
                    Actor::Viewer(&viewer),
                    NewEvent::new(AuditAction::ApiClientRevoked, Subject::ApiClient(id)),
                )?;
            }
            load_view(conn, id)
        })
        .await
}

/// The client-credentials grant: a token for a live client presenting a live secret.
pub async fn grant(
    services: &Services,
    address: ClientAddress,
    client_id: &str,
    secret: &str,
) -> Result<Grant, GrantError> {
    // A client id is at most a few dozen characters; anything longer is not one of ours, and is
    // not worth a rate-limit row.
    if client_id.is_empty() || client_id.len() > 64 || secret.len() > 128 {
        return Err(GrantError::InvalidClient);
    }
    let attempt = SECRET_GUARD.admit(services, client_id, address).await?;
    let presented = hash_secret(secret);
    let client_id = client_id.to_owned();
    let found = services
        .write(move |conn, now| {
            let Some(live) = ApiClient::live(conn, &client_id)? else {
                return Ok(None);
            };
            let matching = ApiClientSecret::live(conn, live.id)?
                .into_iter()
                .find(|stored| same(&stored.secret_hash, &presented));
            let Some(matching) = matching else {
                return Ok(None);
            };
            ApiClient::touch(conn, live.id, now)?;
            ApiClientSecret::touch(conn, matching.id, now)?;
            Ok(Some((client_id, live.platform_slug)))
        })
        .await?;
    let Some((client_id, platform)) = found else {
        attempt.failed(services).await?;
        return Err(GrantError::InvalidClient);
    };
    attempt.succeeded(services).await?;
    limits::check(services, TOKENS_PER_CLIENT, &client_id).await?;
    let (access_token, expires_in) = services
        .tokens
        .issue_for_client(&client_id, &platform)
        .map_err(|e| GrantError::Service(InternalError::Token(e).into()))?;
    Ok(Grant {
        access_token,
        expires_in,
    })
}

/// The viewer of a client token: the client must still be live and its platform the token's.
pub(crate) async fn viewer_for(
    services: &Services,
    client_id: String,
    platform_slug: Option<String>,
) -> ServiceResult<Viewer> {
    services
        .db
        .run(move |conn| {
            let live = ApiClient::live(conn, &client_id)?.ok_or(ServiceError::InvalidToken)?;
            if platform_slug.as_deref() != Some(live.platform_slug.as_str()) {
                return Err(ServiceError::InvalidToken);
            }
            Ok(Viewer::api_client(live.id, live.platform_id))
        })
        .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_compared_whole() {
        assert!(same("abc", "abc"));
        assert!(!same("abc", "abd"));
        assert!(!same("abc", "abcd"));
    }

    #[test]
    fn a_hint_is_the_last_four_characters() {
        assert_eq!(hint("llcs_abcdefgh"), "efgh");
        assert_eq!(hint("ab"), "ab");
    }

    #[test]
    fn secrets_are_long_and_distinct() -> ServiceResult<()> {
        let (a, hash_a, _) = new_secret()?;
        let (b, _, _) = new_secret()?;
        assert_ne!(a, b);
        assert!(a.starts_with(SECRET_PREFIX) && a.len() >= SECRET_PREFIX.len() + 43);
        assert_eq!(hash_a.len(), 64);
        Ok(())
    }
}
