//! What a platform sees of a complaint's identity and time: an opaque key instead of its row
//! number, and the hour instead of the microsecond (issue 28 item 12). Row numbers are sequential:
//! two of them tell a platform how many complaints the ministry received between them, from
//! anyone, about any platform; a time to the microsecond can be matched against a reporter's own
//! activity on the platform.
//!
//! The key is 32 hex digits: the row number masked, then a 64-bit tag. `tag` is a keyed hash
//! (`Vault::stable_tag`, under the tracking-code index key, which survives data-key rotation) of
//! the platform and the row number, and the mask a keyed hash of the platform and the tag; so the
//! key is the same at every read by the same platform, differs between platforms, and opens back to
//! the row number (for the platform's pagination cursors) only with the key and only when its tag
//! checks out. Nothing about the order of complaints can be read from it.

use chrono::{NaiveDateTime, Timelike as _};

use crate::error::ServiceResult;
use laporlapak_db::vault::Vault;

const TAG_DOMAIN: &str = "platform-complaint";
const MASK_DOMAIN: &str = "platform-complaint-mask";

fn hex64(vault: &Vault, domain: &str, value: &str) -> ServiceResult<u64> {
    let digest = vault.stable_tag(domain, value)?;
    let head = digest.get(..16).unwrap_or("0");
    Ok(u64::from_str_radix(head, 16).unwrap_or(0))
}

/// The key a platform sees for complaint `id`.
pub(crate) fn key(vault: &Vault, platform_id: i64, id: i64) -> ServiceResult<String> {
    let tag = hex64(vault, TAG_DOMAIN, &format!("{platform_id}:{id}"))?;
    let mask = hex64(vault, MASK_DOMAIN, &format!("{platform_id}:{tag:016x}"))?;
    let masked = id.cast_unsigned() ^ mask;
    Ok(format!("{masked:016x}{tag:016x}"))
}

/// The row number behind a key `platform_id` was given; `None` for anything else.
pub(crate) fn key_to_id(vault: &Vault, platform_id: i64, key: &str) -> ServiceResult<Option<i64>> {
    if key.len() != 32 || !key.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Ok(None);
    }
    let (Ok(masked), Ok(tag)) = (
        u64::from_str_radix(&key[..16], 16),
        u64::from_str_radix(&key[16..], 16),
    ) else {
        return Ok(None);
    };
    let mask = hex64(vault, MASK_DOMAIN, &format!("{platform_id}:{tag:016x}"))?;
    let id = (masked ^ mask).cast_signed();
    let expected = hex64(vault, TAG_DOMAIN, &format!("{platform_id}:{id}"))?;
    Ok((id > 0 && expected == tag).then_some(id))
}

/// A time as a platform sees it: the hour it fell in.
pub fn coarse(at: NaiveDateTime) -> NaiveDateTime {
    at.date().and_hms_opt(at.hour(), 0, 0).unwrap_or(at)
}
