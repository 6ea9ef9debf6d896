//! Standard Webhooks signatures: `webhook-signature: v1,<base64 HMAC-SHA256 of "id.timestamp.body">`
//! under the endpoint's secret `whsec_<base64 key>`; after a rotation, during the overlap, one such
//! entry per live secret, separated by spaces (the newest first).

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use hmac::{Hmac, Mac as _};
use sha2::Sha256;

use crate::error::{InternalError, ServiceResult};

pub const SECRET_PREFIX: &str = "whsec_";
const KEY_BYTES: usize = 24;

/// A new signing secret.
pub fn new_secret() -> ServiceResult<String> {
    let mut key = [0u8; KEY_BYTES];
    getrandom::fill(&mut key).map_err(InternalError::from)?;
    Ok(format!("{SECRET_PREFIX}{}", STANDARD.encode(key)))
}

/// The `webhook-signature` header value for a message; `None` for a secret that is not ours.
pub fn sign(secret: &str, message_id: &str, timestamp: i64, body: &str) -> Option<String> {
    let key = STANDARD.decode(secret.strip_prefix(SECRET_PREFIX)?).ok()?;
    let mut mac = Hmac::<Sha256>::new_from_slice(&key).ok()?;
    mac.update(format!("{message_id}.{timestamp}.{body}").as_bytes());
    Some(format!(
        "v1,{}",
        STANDARD.encode(mac.finalize().into_bytes())
    ))
}

/// The `webhook-signature` header value under several secrets: their entries in the order given,
/// separated by spaces. `None` when any secret is not ours (or none is given).
pub fn sign_all(secrets: &[&str], message_id: &str, timestamp: i64, body: &str) -> Option<String> {
    let entries = secrets
        .iter()
        .map(|secret| sign(secret, message_id, timestamp, body))
        .collect::<Option<Vec<_>>>()?;
    (!entries.is_empty()).then(|| entries.join(" "))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The example of the Standard Webhooks specification's reference libraries.
    #[test]
    fn matches_the_reference_example() {
        let secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
        let body = r#"{"test": 2432232314}"#;
        assert_eq!(
            sign(secret, "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, body).as_deref(),
            Some("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=")
        );
    }

    #[test]
    fn several_secrets_sign_side_by_side() -> ServiceResult<()> {
        let (old, new) = (new_secret()?, new_secret()?);
        let both = sign_all(&[&new, &old], "msg_2", 7, "{}");
        let expected = [sign(&new, "msg_2", 7, "{}"), sign(&old, "msg_2", 7, "{}")]
            .map(Option::unwrap_or_default)
            .join(" ");
        assert_eq!(both, Some(expected));
        assert_eq!(sign_all(&[], "msg_2", 7, "{}"), None);
        assert_eq!(sign_all(&[&new, "nope"], "msg_2", 7, "{}"), None);
        Ok(())
    }

    #[test]
    fn a_foreign_secret_signs_nothing() {
        assert_eq!(sign("not-a-secret", "msg", 1, "{}"), None);
    }

    #[test]
    fn new_secrets_sign() -> ServiceResult<()> {
        let secret = new_secret()?;
        assert!(sign(&secret, "msg_1", 1, "{}").is_some());
        Ok(())
    }
}
