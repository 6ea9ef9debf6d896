//! The public register of takedown requests: what an entry's outcome is, the public id it carries,
//! and the scrubbing of the free text it publishes (the platform's reasons), so that no listing
//! address, handle or long number reaches the public through it.

/// Where a request of the register stands, as its filter reads it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RegisterOutcome {
    /// Not answered and not withdrawn.
    Pending,
    /// Answered REMOVED, RESTRICTED or GEO_BLOCKED.
    Acted,
    /// Answered DECLINED.
    Declined,
    /// Answered NEEDS_MORE_INFO.
    NeedsMoreInfo,
    /// Withdrawn after an objection was upheld.
    Withdrawn,
    /// Acted on, then reinstated by the platform.
    Reinstated,
}

impl RegisterOutcome {
    pub const ALL: [RegisterOutcome; 6] = [
        Self::Pending,
        Self::Acted,
        Self::Declined,
        Self::NeedsMoreInfo,
        Self::Withdrawn,
        Self::Reinstated,
    ];

    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "PENDING",
            Self::Acted => "ACTED",
            Self::Declined => "DECLINED",
            Self::NeedsMoreInfo => "NEEDS_MORE_INFO",
            Self::Withdrawn => "WITHDRAWN",
            Self::Reinstated => "REINSTATED",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|o| o.as_str() == value)
    }
}

/// The public id of a request in the register: `TR-` and the request's row number. The register
/// lists every request ever issued (rows are never deleted), so the number tells nothing the
/// register's own `totalCount` does not; it is one sequence over every platform, so it tells
/// nothing about one platform's volume either.
pub fn public_id(row_id: i64) -> String {
    format!("TR-{row_id}")
}

/// The row number of a public id; `None` for anything else.
pub fn parse_public_id(value: &str) -> Option<i64> {
    value
        .strip_prefix("TR-")
        .filter(|digits| !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()))
        .and_then(|digits| digits.parse().ok())
        .filter(|id| *id > 0)
}

/// What stands in the published text for a scrubbed piece.
pub const SCRUBBED: &str = "[…]";

/// Free text fit for the public: every piece of `known` (the listing's address and handle, the
/// seller's identifiers: compared case-insensitively), every token that looks like a web address
/// (a scheme, `www.` or a host name with a dot and letters after it), an `@handle`, an e-mail
/// address and any run of 6 or more digits (a phone or account number) become [`SCRUBBED`]. Law
/// citations (`Permendag 18/2021 Pasal 2`) keep their short numbers.
pub fn scrub(text: &str, known: &[&str]) -> String {
    let mut out = text.to_owned();
    for piece in known.iter().map(|p| p.trim()).filter(|p| p.len() >= 3) {
        out = replace_ignoring_case(&out, piece);
    }
    out.split_inclusive(char::is_whitespace)
        .map(|word| {
            let trimmed = word.trim_end();
            let space = &word[trimmed.len()..];
            if looks_identifying(trimmed) {
                format!("{SCRUBBED}{space}")
            } else {
                word.to_owned()
            }
        })
        .collect()
}

fn replace_ignoring_case(text: &str, piece: &str) -> String {
    let lower_text = text.to_lowercase();
    let lower_piece = piece.to_lowercase();
    // Lower-casing may change byte lengths outside ASCII; then compare as is.
    if lower_text.len() != text.len() || lower_piece.len() != piece.len() {
        return text.replace(piece, SCRUBBED);
    }
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    while let Some(found) = lower_text[at..].find(&lower_piece) {
        let start = at + found;
        out.push_str(&text[at..start]);
        out.push_str(SCRUBBED);
        at = start + piece.len();
    }
    out.push_str(&text[at..]);
    out
}

fn looks_identifying(word: &str) -> bool {
    let core = word.trim_matches(|c: char| {
        matches!(
            c,
            '(' | ')' | '[' | ']' | '"' | '\'' | ',' | '.' | ';' | ':' | '!' | '?' | '<' | '>'
        )
    });
    if core.is_empty() {
        return false;
    }
    let lower = core.to_ascii_lowercase();
    if lower.contains("://") || lower.starts_with("www.") || core.starts_with('@') {
        return true;
    }
    if core.contains('@') && core.contains('.') {
        return true;
    }
    let mut digits = 0;
    for c in core.chars() {
        if c.is_ascii_digit() {
            digits += 1;
            if digits >= 6 {
                return true;
            }
        } else if !matches!(c, '-' | ' ' | '.' | '+') {
            digits = 0;
        }
    }
    // A host name: labels of letters, digits and hyphens, at least one dot, a last label of two or
    // more letters, and a path or none.
    let host = lower.split('/').next().unwrap_or_default();
    let labels: Vec<&str> = host.split('.').collect();
    labels.len() >= 2
        && labels
            .iter()
            .all(|l| !l.is_empty() && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'))
        && labels
            .last()
            .is_some_and(|tld| tld.len() >= 2 && tld.chars().all(|c| c.is_ascii_alphabetic()))
        && !labels.iter().all(|l| l.chars().all(|c| c.is_ascii_digit()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn public_ids_round_trip_and_refuse_anything_else() {
        assert_eq!(public_id(42), "TR-42");
        assert_eq!(parse_public_id("TR-42"), Some(42));
        for bad in ["TR-", "TR-0", "TR--1", "tr-4", "TR-4a", "42"] {
            assert_eq!(parse_public_id(bad), None, "{bad}");
        }
    }

    #[test]
    fn addresses_handles_and_numbers_are_scrubbed_citations_kept() {
        let text = "Listing https://shop.example/p/123 by @tokoabc (toko.example/x) \
                    removed per Permendag 18/2021 Pasal 2; call 0812-3456-7890 or a@b.co. \
                    See www.evil.test, Shopee SELLER-99.";
        let scrubbed = scrub(text, &["SELLER-99"]);
        for gone in [
            "https://",
            "@tokoabc",
            "toko.example",
            "0812",
            "a@b.co",
            "www.",
            "SELLER-99",
        ] {
            assert!(!scrubbed.contains(gone), "{gone} in {scrubbed}");
        }
        assert!(
            scrubbed.contains("Permendag 18/2021 Pasal 2;"),
            "{scrubbed}"
        );
        assert!(scrubbed.contains("removed per"));
        assert_eq!(scrub("seller-99 again", &["SELLER-99"]), "[…] again");
        assert_eq!(scrub("No change. 3.5 hours.", &[]), "No change. 3.5 hours.");
    }
}
