//! The key a client sends with `submitComplaint` so that a retry returns the first result instead
//! of a second complaint (the IETF Idempotency-Key draft). A signed-in citizen's key is scoped to
//! its account, so any short key will do. Without an account nothing but the key (and the address)
//! ties a retry to its sender, and a replay hands back the tracking code — the credential to the
//! complaint's thread. So an anonymous key must be unguessable: a UUID, as the draft recommends, or
//! a long random token; "1" from a campaign template is refused.

use crate::i18n::Msg;
use crate::text;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdempotencyKey(String);

impl IdempotencyKey {
    pub const MAX_LEN: usize = 128;
    /// Shortest random token accepted without an account: 22 base64url characters carry 132 bits.
    pub const MIN_TOKEN_LEN: usize = 22;

    /// A signed-in citizen's key: any single line of 1 to 128 characters.
    pub fn for_account(raw: &str) -> Result<Self, Msg> {
        text::single_line(raw, 1, Self::MAX_LEN).map(Self)
    }

    /// A key sent without an account: a UUID, or 22 to 128 characters of `A–Z a–z 0–9 - _`, in
    /// either case with enough distinct symbols that it was not typed by hand.
    pub fn for_anonymous(raw: &str) -> Result<Self, Msg> {
        let value = text::single_line(raw, 1, Self::MAX_LEN)?;
        if is_random_uuid(&value) || is_random_token(&value) {
            Ok(Self(value))
        } else {
            Err(Msg::IdempotencyKeyGuessable)
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

fn distinct(value: &str) -> usize {
    let mut seen: Vec<char> = value.chars().collect();
    seen.sort_unstable();
    seen.dedup();
    seen.len()
}

/// `8-4-4-4-12` hexadecimal digits, with at least 8 different digits (a random UUID has about 15;
/// `11111111-…` and the nil UUID have one).
fn is_random_uuid(value: &str) -> bool {
    let groups: Vec<&str> = value.split('-').collect();
    let shaped = groups.iter().map(|g| g.len()).eq([8, 4, 4, 4, 12])
        && groups
            .iter()
            .all(|g| g.chars().all(|c| c.is_ascii_hexdigit()));
    shaped && distinct(&value.replace('-', "").to_ascii_lowercase()) >= 8
}

/// A base64url-alphabet token of at least 22 characters with at least 12 different symbols.
fn is_random_token(value: &str) -> bool {
    value.chars().count() >= IdempotencyKey::MIN_TOKEN_LEN
        && value
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        && distinct(value) >= 12
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn anonymous_keys_must_be_unguessable() {
        for good in [
            "3f1c9a52-7d2e-4c1b-9e0f-1a2b3c4d5e6f",
            "3F1C9A52-7D2E-4C1B-9E0F-1A2B3C4D5E6F",
            "q8Zr0_Lx3vN-Tb7Kp2Wm9sYd",
        ] {
            assert!(IdempotencyKey::for_anonymous(good).is_ok(), "{good}");
        }
        for bad in [
            "1",
            "campaign-2026",
            "00000000-0000-0000-0000-000000000000",
            "11111111-1111-1111-1111-111111111111",
            "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
            "abcabcabcabcabcabcabcabcabc",
            "3f1c9a52 7d2e 4c1b 9e0f 1a2b3c4d5e6f",
        ] {
            assert_eq!(
                IdempotencyKey::for_anonymous(bad),
                Err(Msg::IdempotencyKeyGuessable),
                "{bad}"
            );
        }
        assert!(IdempotencyKey::for_account("1").is_ok());
        assert_eq!(IdempotencyKey::for_account(""), Err(Msg::Required));
    }
}
