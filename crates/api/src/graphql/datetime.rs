//! The `DateTime` scalar: RFC 3339 in and out. An input is checked while the request is
//! validated, so a malformed one (no offset, a date alone, a number) refuses the request before
//! anything runs — BAD_USER_INPUT naming the argument — instead of failing inside execution.

use async_graphql::{InputValueError, InputValueResult, Scalar, ScalarType, Value};
use chrono::Utc;

/// A point in time (the schema's description is `graphql::DATE_TIME_DESCRIPTION`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct DateTime(pub chrono::DateTime<Utc>);

impl From<chrono::DateTime<Utc>> for DateTime {
    fn from(at: chrono::DateTime<Utc>) -> Self {
        Self(at)
    }
}

impl From<chrono::NaiveDateTime> for DateTime {
    fn from(at: chrono::NaiveDateTime) -> Self {
        Self(at.and_utc())
    }
}

fn parse(text: &str) -> Option<chrono::DateTime<Utc>> {
    chrono::DateTime::parse_from_rfc3339(text)
        .ok()
        .map(|at| at.with_timezone(&Utc))
}

#[Scalar(
    name = "DateTime",
    specified_by_url = "https://datatracker.ietf.org/doc/html/rfc3339"
)]
impl ScalarType for DateTime {
    fn parse(value: Value) -> InputValueResult<Self> {
        match &value {
            Value::String(text) => parse(text)
                .map(Self)
                .ok_or_else(|| InputValueError::custom(INVALID)),
            _ => Err(InputValueError::expected_type(value)),
        }
    }

    fn is_valid(value: &Value) -> bool {
        matches!(value, Value::String(text) if parse(text).is_some())
    }

    fn to_value(&self) -> Value {
        Value::String(laporlapak_domain::rfc3339(self.0))
    }
}

const INVALID: &str = "not an RFC 3339 date and time with an offset";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_rfc3339_with_an_offset_only() {
        assert!(DateTime::is_valid(&Value::from("2026-11-30T08:15:00Z")));
        assert!(DateTime::is_valid(&Value::from(
            "2026-11-30T15:15:00+07:00"
        )));
        assert!(!DateTime::is_valid(&Value::from("2026-11-30T08:15:00")));
        assert!(!DateTime::is_valid(&Value::from("2026-12-07")));
        assert!(!DateTime::is_valid(&Value::from("garbage")));
        assert!(!DateTime::is_valid(&Value::from(1_700_000_000)));
    }

    #[test]
    fn writes_one_fixed_form() {
        let at = parse("2026-11-30T15:15:00+07:00").map(DateTime);
        assert_eq!(
            at.map(|at| at.to_value()),
            Some(Value::from("2026-11-30T08:15:00.000000Z"))
        );
    }
}
