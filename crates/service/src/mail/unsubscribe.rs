//! One-click unsubscribe (RFC 8058). Every mail carries `List-Unsubscribe: <URL>` and
//! `List-Unsubscribe-Post: List-Unsubscribe=One-Click`; a POST to the URL (by the mail client, or
//! by the button of the page a GET shows) withdraws the consent at once, without signing in.
//!
//! The URL's token names the recipient (`c<complaint id>` or `a<account id>`) with a keyed hash of
//! it under the tracking-code index key (stable across data-key rotations): it cannot be forged
//! nor turned into another person's, and it holds no tracking code.

use subtle::ConstantTimeEq as _;

use crate::Services;
use crate::error::{ServiceError, ServiceResult};
use laporlapak_db::models::mail::{MailConsent, MailOutbox};
use laporlapak_db::vault::Vault;

const DOMAIN: &str = "mail-unsubscribe";
/// Hex characters of the hash a token carries (128 bits).
const TAG_CHARS: usize = 32;

/// Who a token names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Subscriber {
    Complaint(i64),
    Account(i64),
}

impl Subscriber {
    pub fn of(complaint_id: Option<i64>, account_id: Option<i64>) -> Option<Self> {
        match (complaint_id, account_id) {
            (Some(id), _) => Some(Self::Complaint(id)),
            (None, Some(id)) => Some(Self::Account(id)),
            (None, None) => None,
        }
    }

    fn name(self) -> String {
        match self {
            Self::Complaint(id) => format!("c{id}"),
            Self::Account(id) => format!("a{id}"),
        }
    }
}

/// The token of a subscriber's unsubscribe link.
pub fn token(vault: &Vault, subscriber: Subscriber) -> ServiceResult<String> {
    let name = subscriber.name();
    let tag = vault.stable_tag(DOMAIN, &name)?;
    Ok(format!("{name}.{}", &tag[..TAG_CHARS.min(tag.len())]))
}

/// The subscriber a token names, if it is genuine.
pub fn verify(vault: &Vault, token: &str) -> Option<Subscriber> {
    let (name, tag) = token.trim().split_once('.')?;
    let id: i64 = name.get(1..)?.parse().ok()?;
    let subscriber = match name.as_bytes().first()? {
        b'c' => Subscriber::Complaint(id),
        b'a' => Subscriber::Account(id),
        _ => return None,
    };
    let expected = token_tag(vault, subscriber)?;
    bool::from(expected.as_bytes().ct_eq(tag.as_bytes())).then_some(subscriber)
}

fn token_tag(vault: &Vault, subscriber: Subscriber) -> Option<String> {
    let tag = vault.stable_tag(DOMAIN, &subscriber.name()).ok()?;
    Some(tag[..TAG_CHARS.min(tag.len())].to_owned())
}

/// Withdraws the consent a token names and drops the mails not yet sent; NOT_FOUND for a token
/// that is not genuine. Unsubscribing twice is no error.
pub async fn unsubscribe(services: &Services, token: &str) -> ServiceResult<()> {
    let subscriber = verify(&services.vault, token).ok_or(ServiceError::NotFound)?;
    services
        .write(move |conn, now| {
            match subscriber {
                Subscriber::Complaint(id) => {
                    MailConsent::set_for_complaint(conn, id, None, None)?;
                    MailOutbox::drop_pending(conn, Some(id), None, now)?;
                }
                Subscriber::Account(id) => {
                    MailConsent::set_for_account(conn, id, None, None)?;
                    MailOutbox::drop_pending(conn, None, Some(id), now)?;
                }
            }
            Ok(())
        })
        .await
}
