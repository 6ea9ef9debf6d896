//! Account values: role, e-mail, password, display name and the UMKM business identity (NIB).

use std::fmt;

use crate::i18n::Msg;
use crate::text;
use crate::text_enum::text_enum;

text_enum! {
    /// What an account may do (the JWT claim `role`).
    pub enum Role {
        /// A member of the public, self-registered; may declare an UMKM business.
        Citizen = "CITIZEN",
        /// Ministry staff working cases.
        Reviewer = "REVIEWER",
        /// The representative of exactly one platform.
        Platform = "PLATFORM",
        /// The operator: staff accounts, platforms, reference data.
        Admin = "ADMIN",
        /// An officer of Komdigi (the regulator): decides the ministry's recommendations, issues
        /// orders, records sanctions; never sees any reporter.
        Regulator = "REGULATOR",
    }
}

impl Role {
    pub fn is_staff(self) -> bool {
        !matches!(self, Self::Citizen)
    }
}

/// A normalised e-mail address: trimmed and lower-cased, so that `Budi@Mail.ID` and `budi@mail.id`
/// are one account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Email(String);

impl Email {
    pub const MAX_LEN: usize = 254;

    pub fn parse(value: &str) -> Result<Self, Msg> {
        let value = value.trim();
        if value.is_empty() {
            return Err(Msg::Required);
        }
        if value.len() > Self::MAX_LEN {
            return Err(Msg::TooLong { max: Self::MAX_LEN });
        }
        let normalised = value.to_lowercase();
        let valid = email_address::EmailAddress::parse_with_options(
            &normalised,
            email_address::Options::default()
                .without_display_text()
                .without_domain_literal(),
        )
        .is_ok();
        // A public service mails real people: require a dotted domain, not `user@localhost`.
        let dotted_domain = normalised
            .rsplit_once('@')
            .is_some_and(|(_, domain)| domain.contains('.') && !domain.ends_with('.'));
        if valid && dotted_domain {
            Ok(Self(normalised))
        } else {
            Err(Msg::InvalidEmail)
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A password the user chose: 8–128 characters, no composition rules, not one of the most common
/// passwords (NIST SP 800-63B). Checked before any hashing, so an oversized one costs nothing.
pub struct Password(String);

const COMMON_PASSWORDS: &str = include_str!("common_passwords.txt");

impl Password {
    pub const MIN_LEN: usize = 8;
    pub const MAX_LEN: usize = 128;

    pub fn parse(value: &str) -> Result<Self, Msg> {
        // Counted in characters; a byte bound first keeps a huge input from being walked twice.
        if value.len() > Self::MAX_LEN * 4 || value.chars().count() > Self::MAX_LEN {
            return Err(Msg::TooLong { max: Self::MAX_LEN });
        }
        if value.chars().count() < Self::MIN_LEN {
            return Err(Msg::PasswordTooShort { min: Self::MIN_LEN });
        }
        let lowered = value.to_lowercase();
        if COMMON_PASSWORDS
            .lines()
            .map(str::trim)
            .any(|common| !common.is_empty() && !common.starts_with('#') && common == lowered)
        {
            return Err(Msg::PasswordTooCommon);
        }
        Ok(Self(value.to_owned()))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Password {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Password(***)")
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DisplayName(String);

impl DisplayName {
    pub fn parse(value: &str) -> Result<Self, Msg> {
        text::single_line(value, 1, 100).map(Self)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Nomor Induk Berusaha: the 13-digit business identification number issued through OSS.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Nib(String);

impl Nib {
    pub fn parse(value: &str) -> Result<Self, Msg> {
        let digits: String = value.chars().filter(|c| !matches!(c, ' ' | '-')).collect();
        if digits.len() == 13 && digits.bytes().all(|b| b.is_ascii_digit()) {
            Ok(Self(digits))
        } else {
            Err(Msg::InvalidNib)
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn email_is_normalised_and_checked() {
        assert_eq!(
            Email::parse("  Budi.Santoso@Mail.CO.ID ").map(|e| e.0),
            Ok("budi.santoso@mail.co.id".to_owned())
        );
        for bad in [
            "",
            "budi",
            "budi@",
            "@mail.id",
            "budi@localhost",
            "a b@mail.id",
        ] {
            assert!(Email::parse(bad).is_err(), "{bad:?} should be refused");
        }
    }

    #[test]
    fn password_bounds_and_common_list() {
        assert_eq!(
            Password::parse("short").err(),
            Some(Msg::PasswordTooShort { min: 8 })
        );
        assert_eq!(
            Password::parse(&"x".repeat(129)).err(),
            Some(Msg::TooLong { max: 128 })
        );
        assert_eq!(
            Password::parse("Password123").err(),
            Some(Msg::PasswordTooCommon)
        );
        assert!(Password::parse("kopi susu gula aren").is_ok());
        assert!(Password::parse(&"é".repeat(128)).is_ok());
    }

    #[test]
    fn nib_is_thirteen_digits() {
        assert_eq!(
            Nib::parse("1234567890123").map(|n| n.0),
            Ok("1234567890123".to_owned())
        );
        assert_eq!(
            Nib::parse("1234-5678-90123").map(|n| n.0),
            Ok("1234567890123".to_owned())
        );
        for bad in ["123456789012", "12345678901234", "12345678901a3", ""] {
            assert_eq!(Nib::parse(bad), Err(Msg::InvalidNib));
        }
    }

    #[test]
    fn roles_round_trip() {
        for &role in Role::ALL {
            assert_eq!(Role::parse(role.as_str()), Ok(role));
        }
        assert!(Role::parse("superuser").is_err());
    }
}
