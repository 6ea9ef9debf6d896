//! Relay pagination helpers: page sizes and opaque keyset cursors. A cursor encodes the sort key
//! of the last row seen, never an offset, so pages stay correct while rows are inserted.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

use laporlapak_domain::i18n::Msg;
use laporlapak_service::error::{ServiceError, ServiceResult};

pub const DEFAULT_PAGE: i32 = 20;
pub const MAX_PAGE: i32 = 100;

/// The complexity of a page: `first` (defaulted, and counted at the maximum when out of range — the
/// resolver refuses it anyway) times what each item costs, plus the read itself. A page of pages
/// multiplies, so a nested request for ten thousand rows cannot hide behind one short query.
pub fn page_cost(first: Option<i32>, child_complexity: usize) -> usize {
    let items = match first.unwrap_or(DEFAULT_PAGE) {
        n if (1..=MAX_PAGE).contains(&n) => n,
        _ => MAX_PAGE,
    };
    usize::try_from(items)
        .unwrap_or(usize::MAX)
        .saturating_mul(child_complexity)
        .saturating_add(crate::graphql::DB_READ)
}

/// `first`, defaulted and bounded to 1–100.
pub fn page_size(first: Option<i32>) -> ServiceResult<i64> {
    let first = first.unwrap_or(DEFAULT_PAGE);
    if (1..=MAX_PAGE).contains(&first) {
        Ok(i64::from(first))
    } else {
        Err(ServiceError::bad_input(
            "first",
            Msg::OutOfRange {
                min: 1,
                max: i64::from(MAX_PAGE),
            },
        ))
    }
}

pub fn encode(kind: &str, key: &str) -> String {
    URL_SAFE_NO_PAD.encode(format!("{kind}|{key}"))
}

/// The key inside a cursor of `kind`; BAD_USER_INPUT on `after` for anything else.
pub fn decode(kind: &str, cursor: &str) -> ServiceResult<String> {
    let invalid = || ServiceError::bad_input("after", Msg::InvalidCursor);
    if cursor.len() > 256 {
        return Err(invalid());
    }
    let bytes = URL_SAFE_NO_PAD.decode(cursor).map_err(|_| invalid())?;
    let text = String::from_utf8(bytes).map_err(|_| invalid())?;
    match text.split_once('|') {
        Some((found, key)) if found == kind => Ok(key.to_owned()),
        _ => Err(invalid()),
    }
}

/// A cursor whose key is one id.
pub fn decode_id(kind: &str, cursor: Option<&str>) -> ServiceResult<Option<i64>> {
    cursor
        .map(|cursor| {
            decode(kind, cursor)?
                .parse()
                .map_err(|_| ServiceError::bad_input("after", Msg::InvalidCursor))
        })
        .transpose()
}
