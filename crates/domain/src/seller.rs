//! Seller identifiers: what ties listings on different platforms to one seller. Found at intake in
//! what a complaint says about the listing — the account in its URL, phone numbers and WhatsApp
//! links in its description (and in what a reporter's reply marks as the seller's details) — or
//! entered by a reviewer (bank accounts). Never read from the reporter's own contact data
//! (e-mail, account, NIB) nor from a reply's message, the reporter's own voice: callers pass only
//! the listing URL, the seller's handle as reported, and texts about the listing.
//!
//! Every identifier has a normalised `value` that is its linking key: two cases with the same
//! value are suggested as one seller. A phone number and a WhatsApp link to it have the same
//! value (E.164, `+6281234567890`); a handle is namespaced by its platform's host
//! (`tiktok.com/@tokobaju`); a bank account is `BANK NUMBER` (`BCA 1234567890`).

use crate::CanonicalUrl;
use crate::i18n::Msg;
use crate::text_enum::text_enum;

text_enum! {
    /// What an identifier is.
    pub enum IdentifierKind {
        /// A platform account: profile, shop or page, namespaced by the platform's host.
        Handle = "HANDLE",
        /// A phone number, E.164.
        Phone = "PHONE",
        /// A WhatsApp link (`wa.me/62…`, `api.whatsapp.com/send?phone=62…`) to a number, E.164.
        WhatsApp = "WHATSAPP",
        /// A bank account a reviewer entered: bank and number.
        BankAccount = "BANK_ACCOUNT",
    }
}

text_enum! {
    /// Where an identifier was found.
    pub enum IdentifierSource {
        /// The complaint's listing URL.
        ListingUrl = "LISTING_URL",
        /// The seller's handle as the reporter gave it (`accountHandle`).
        AccountHandle = "ACCOUNT_HANDLE",
        /// The complaint's description.
        Description = "DESCRIPTION",
        /// What a reporter's reply to an information request marks as the seller's details.
        Reply = "REPLY",
        /// Entered by a reviewer.
        Reviewer = "REVIEWER",
    }
}

text_enum! {
    /// A reviewer's decision on a suggested link between two cases.
    pub enum LinkDecision {
        /// The two cases are one seller.
        Confirmed = "CONFIRMED",
        /// They are not: the pair is not suggested again.
        Rejected = "REJECTED",
    }
}

/// An identifier as found: its kind and normalised value.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Identifier {
    pub kind: IdentifierKind,
    pub value: String,
}

impl Identifier {
    fn new(kind: IdentifierKind, value: String) -> Self {
        Self { kind, value }
    }
}

/// At most this many identifiers are taken from one text: a description is 5,000 characters, and
/// a list of a hundred numbers is not one seller.
pub const MAX_PER_TEXT: usize = 10;

/// The account the listing URL belongs to.
pub fn from_listing(url: &CanonicalUrl) -> Option<Identifier> {
    url.seller_handle()
        .map(|handle| Identifier::new(IdentifierKind::Handle, handle))
}

/// The seller's handle as a reporter typed it (`@tokobaju`, `tokobaju`, or a profile URL), on the
/// platform of the listing URL.
pub fn from_account_handle(listing: &CanonicalUrl, typed: &str) -> Option<Identifier> {
    let typed = typed.trim();
    if typed.contains('/') {
        return CanonicalUrl::parse(typed)
            .ok()
            .as_ref()
            .and_then(from_listing);
    }
    let name = typed.trim_start_matches('@');
    if name.is_empty()
        || !name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"._-".contains(&b))
    {
        return None;
    }
    let host = listing.host();
    let profile = if host == "tiktok.com" || host == "youtube.com" {
        format!("https://{host}/@{name}")
    } else {
        format!("https://{host}/{name}")
    };
    let parsed = CanonicalUrl::parse(&profile).ok()?;
    // Only a profile of the listing's own platform: a name that is one of its pages is not.
    (parsed.kind() == crate::TargetKind::Account && parsed.host() == host)
        .then(|| from_listing(&parsed))
        .flatten()
}

/// Every identifier in a free text (a description or a reply), in order of appearance, without
/// repeats, at most [`MAX_PER_TEXT`]: links to a platform account, WhatsApp links, and phone
/// numbers written as Indonesians write them (`0812-3456-7890`, `+62 812 3456 7890`,
/// `62812…`, `(+62) 812…`, `+62 (0)812…`) or in international form (`+60 12-345 6789`).
pub fn from_text(text: &str) -> Vec<Identifier> {
    let mut found: Vec<(usize, Identifier)> = Vec::new();
    // Links are read as links and then blanked, so that the digits of a URL (a Shopee product id,
    // a wa.me number) are never read again as a phone number.
    let mut rest = String::with_capacity(text.len());
    let mut cursor = 0;
    for (start, token) in tokens(text) {
        let link = trim_punctuation(token);
        if !looks_like_link(link) {
            continue;
        }
        if let Some(identifier) = from_link(link) {
            found.push((start, identifier));
        }
        rest.push_str(&text[cursor..start]);
        rest.extend(std::iter::repeat_n(' ', token.len()));
        cursor = start + token.len();
    }
    rest.push_str(&text[cursor..]);
    found.extend(
        phone_candidates(&rest)
            .into_iter()
            .filter_map(|(start, candidate)| {
                normalise_phone(&candidate)
                    .map(|value| (start, Identifier::new(IdentifierKind::Phone, value)))
            }),
    );
    found.sort_by_key(|(start, _)| *start);
    let mut identifiers: Vec<Identifier> = Vec::new();
    for (_, identifier) in found {
        if !identifiers.contains(&identifier) {
            identifiers.push(identifier);
        }
        if identifiers.len() == MAX_PER_TEXT {
            break;
        }
    }
    identifiers
}

/// A phone number as a reviewer typed it, normalised to E.164.
pub fn parse_phone(raw: &str) -> Result<String, Msg> {
    let candidates = phone_candidates(raw.trim());
    match candidates.as_slice() {
        [(_, candidate)] => normalise_phone(candidate).ok_or(Msg::InvalidPhone),
        _ => Err(Msg::InvalidPhone),
    }
}

/// A bank account as a reviewer typed it (`BCA 123-456-7890`, `bank mandiri: 1230012345678`):
/// the bank's name in capitals, a space, the digits of the number (5 to 20).
pub fn parse_bank_account(raw: &str) -> Result<String, Msg> {
    let raw = raw.trim();
    let split = raw
        .find(|c: char| c.is_ascii_digit())
        .ok_or(Msg::InvalidBankAccount)?;
    let (bank, number) = raw.split_at(split);
    let bank: Vec<String> = bank
        .split(|c: char| c.is_whitespace() || c == ':' || c == '-' || c == '.')
        .filter(|word| !word.is_empty())
        .map(str::to_ascii_uppercase)
        .collect();
    let bank = bank.join(" ");
    let bank_ok =
        (2..=40).contains(&bank.len()) && bank.chars().all(|c| c.is_ascii_alphabetic() || c == ' ');
    let number_ok = number
        .chars()
        .all(|c| c.is_ascii_digit() || c == ' ' || c == '-' || c == '.');
    let digits: String = number.chars().filter(char::is_ascii_digit).collect();
    if !bank_ok || !number_ok || !(5..=20).contains(&digits.len()) {
        return Err(Msg::InvalidBankAccount);
    }
    Ok(format!("{bank} {digits}"))
}

/// Whitespace-separated tokens with their byte offsets.
fn tokens(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.split_whitespace()
        .map(move |token| (token.as_ptr() as usize - text.as_ptr() as usize, token))
}

fn trim_punctuation(token: &str) -> &str {
    token
        .trim_start_matches(['(', '[', '<', '"', '\'', '“'])
        .trim_end_matches([')', ']', '>', '"', '\'', '”', ',', '.', ';', '!', '?', ':'])
}

/// `https://…`, `www.…`, or `host.tld/path`: what people paste as a link.
fn looks_like_link(token: &str) -> bool {
    if token.contains("://") || token.to_ascii_lowercase().starts_with("www.") {
        return true;
    }
    let Some((host, _)) = token.split_once('/') else {
        return false;
    };
    let Some((_, tld)) = host.rsplit_once('.') else {
        return false;
    };
    tld.len() >= 2
        && tld.bytes().all(|b| b.is_ascii_alphabetic())
        && host
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'-')
}

/// A link's identifier: a WhatsApp number, or the platform account it points at.
fn from_link(link: &str) -> Option<Identifier> {
    let absolute = if link.contains("://") {
        link.to_owned()
    } else {
        format!("https://{link}")
    };
    let url = url::Url::parse(&absolute).ok()?;
    let host = url.host_str()?.to_ascii_lowercase();
    let host = host.strip_prefix("www.").unwrap_or(&host);
    let number = match host {
        "wa.me" => url
            .path_segments()
            .and_then(|mut segments| segments.next())
            .map(str::to_owned),
        "api.whatsapp.com" | "whatsapp.com" | "web.whatsapp.com" => url
            .query_pairs()
            .find(|(key, _)| key == "phone")
            .map(|(_, value)| value.into_owned()),
        _ => {
            return CanonicalUrl::parse(link)
                .ok()
                .as_ref()
                .and_then(from_listing);
        }
    }?;
    let digits: String = number.chars().filter(char::is_ascii_digit).collect();
    // wa.me takes the number without `+`; people also write it with a leading 0.
    let written = if digits.starts_with('0') {
        digits
    } else {
        format!("+{digits}")
    };
    normalise_phone(&written).map(|value| Identifier::new(IdentifierKind::WhatsApp, value))
}

/// Runs of digits with the separators people put in phone numbers (space, `-`, `.`, brackets),
/// with a leading `+`, each with its byte offset; as written, not yet checked.
fn phone_candidates(text: &str) -> Vec<(usize, String)> {
    let bytes = text.as_bytes();
    let mut candidates = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let at_start = |i: usize| {
            i == 0 || {
                let before = bytes[i - 1];
                !(before.is_ascii_alphanumeric() || before == b'+' || before >= 0x80)
            }
        };
        let opens = match bytes[i] {
            b'+' => bytes.get(i + 1).is_some_and(u8::is_ascii_digit),
            b'(' => bytes.get(i + 1) == Some(&b'+'),
            b => b.is_ascii_digit(),
        };
        if !(opens && at_start(i)) {
            i += 1;
            continue;
        }
        let start = i;
        let mut written = String::new();
        let mut digits = 0;
        let mut separators = 0;
        let mut end = i;
        while i < bytes.len() {
            let b = bytes[i];
            if b.is_ascii_digit() {
                // A new group that starts another number: "0812… / 0813…" written with spaces.
                if separators > 0 && digits >= 10 && b == b'0' {
                    break;
                }
                written.push(char::from(b));
                digits += 1;
                separators = 0;
                end = i + 1;
            } else if b == b'+' && written.chars().all(|c| c == '(') {
                written.push('+');
            } else if matches!(b, b' ' | b'-' | b'.' | b'(' | b')') && separators < 2 {
                if b == b'(' || b == b')' {
                    written.push(char::from(b));
                }
                separators += 1;
            } else {
                break;
            }
            i += 1;
        }
        // The run must end on a digit that no letter follows ("0812345678901abc" is a code).
        let followed_by_word = bytes
            .get(end)
            .is_some_and(|b| b.is_ascii_alphanumeric() || *b >= 0x80);
        if digits > 0 && !followed_by_word {
            candidates.push((start, written));
        }
        i = end.max(start + 1);
    }
    candidates
}

/// A candidate as written, to E.164 when it is a valid number: Indonesian ones as `08…`, `62…`,
/// `+62…` (with the trunk `0` written in brackets or not), any other country with `+`.
fn normalise_phone(written: &str) -> Option<String> {
    let plus = written.trim_start_matches('(').starts_with('+');
    let digits: String = written.chars().filter(char::is_ascii_digit).collect();
    if !(9..=15).contains(&digits.len()) {
        return None;
    }
    let international = if plus {
        digits
    } else if let Some(national) = digits.strip_prefix('0') {
        // Only mobile numbers are read without a country code: a landline-looking run of digits
        // in a description is too often an order number or a date.
        if !national.starts_with('8') {
            return None;
        }
        format!("62{national}")
    } else if digits.starts_with("628") {
        digits
    } else {
        return None;
    };
    // "+62 (0)812…": the trunk prefix never follows the country code.
    let international = match international.strip_prefix("620") {
        Some(rest) => format!("62{rest}"),
        None => international,
    };
    let number = phonenumber::parse(None, format!("+{international}")).ok()?;
    if !phonenumber::is_valid(&number) {
        return None;
    }
    Some(number.format().mode(phonenumber::Mode::E164).to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use IdentifierKind::{Handle, Phone, WhatsApp};

    fn values(text: &str) -> Vec<(IdentifierKind, String)> {
        from_text(text)
            .into_iter()
            .map(|identifier| (identifier.kind, identifier.value))
            .collect()
    }

    #[track_caller]
    fn phone(text: &str, expected: &str) {
        assert_eq!(
            values(text),
            vec![(Phone, expected.to_owned())],
            "identifiers in {text:?}"
        );
    }

    #[track_caller]
    fn nothing(text: &str) {
        assert_eq!(values(text), vec![], "identifiers in {text:?}");
    }

    const E164: &str = "+6281234567890";

    #[test]
    fn mobile_numbers_written_the_indonesian_way() {
        for text in [
            "order WA 0812-3456-7890",
            "Minat? hub 081234567890 ya kak",
            "CP: 0812 3456 7890",
            "telp/wa 0812.3456.7890 (fast respon)",
            "+62 812 3456 7890",
            "+62-812-3456-7890",
            "+6281234567890",
            "62812 3456 7890",
            "6281234567890",
            "(+62) 812-3456-7890",
            "+62 (0)812 3456 7890",
            "Hubungi kami di 0812-3456-7890.",
            "WA:081234567890, DM juga bisa",
            "Telp.0812-3456-7890",
            "nomor admin (0812) 3456 7890",
        ] {
            phone(text, E164);
        }
    }

    #[test]
    fn other_operators_and_lengths() {
        phone("Tsel 0811-1234-567", "+628111234567");
        phone("xl 0817 1234 5678", "+6281712345678");
        phone("indosat 0857-1234-5678", "+6285712345678");
        phone("smartfren 0881 2345 6789", "+6288123456789");
        phone("tri 0896-1234-5678", "+6289612345678");
    }

    #[test]
    fn foreign_numbers_need_their_country_code() {
        phone("supplier Malaysia +60 12-345 6789", "+60123456789");
        phone("gudang Guangzhou +86 138 0013 8000", "+8613800138000");
    }

    #[test]
    fn whatsapp_links() {
        for link in [
            "https://wa.me/6281234567890",
            "wa.me/6281234567890?text=Halo%20kak%20mau%20order",
            "https://wa.me/+6281234567890",
            "http://www.wa.me/081234567890",
            "https://api.whatsapp.com/send?phone=6281234567890&text=halo",
            "https://api.whatsapp.com/send/?phone=%2B6281234567890",
            "(klik wa.me/6281234567890)",
        ] {
            assert_eq!(
                values(&format!("Order lewat {link} ya")),
                vec![(WhatsApp, E164.to_owned())],
                "identifiers in {link:?}"
            );
        }
    }

    #[test]
    fn a_whatsapp_link_and_the_same_number_written_out_are_one_value() {
        assert_eq!(
            values("wa.me/6281234567890 atau telp 0812-3456-7890"),
            vec![(WhatsApp, E164.to_owned()), (Phone, E164.to_owned())]
        );
    }

    #[test]
    fn platform_links_in_a_description_are_handles() {
        assert_eq!(
            values(
                "Cek juga ig https://instagram.com/thrift.bdg dan toko kami shopee.co.id/shop/123456789."
            ),
            vec![
                (Handle, "instagram.com/thrift.bdg".to_owned()),
                (Handle, "shopee.co.id/shop/123456789".to_owned()),
            ]
        );
        assert_eq!(
            values("live tiap malam di https://www.tiktok.com/@bal.press.bdg/live"),
            vec![(Handle, "tiktok.com/@bal.press.bdg".to_owned())]
        );
    }

    #[test]
    fn digits_of_links_are_not_phone_numbers() {
        nothing("https://shopee.co.id/search?keyword=081234567890");
        nothing("lihat https://example.com/order/081234567890");
        nothing("https://wa.link/abc123");
    }

    #[test]
    fn numbers_that_are_not_phones() {
        for text in [
            "harga Rp 62.000 per kg",
            "1 bal isi 100 pcs, berat 100 kg",
            "dikirim 2026-11-30",
            "resi JNE 081234567890123456",
            "kode SKU08123456789",
            "kode 081234567890abc",
            "021-5551234 kantor",
            "0812 345",
            "+62 21 123",
            "NIK 3273012345678901",
        ] {
            nothing(text);
        }
    }

    #[test]
    fn several_numbers_in_one_text() {
        assert_eq!(
            values("admin 1: 0812-3456-7890, admin 2: 0857 1234 5678"),
            vec![
                (Phone, E164.to_owned()),
                (Phone, "+6285712345678".to_owned())
            ]
        );
        assert_eq!(
            values("0812 3456 7890 0857 1234 5678"),
            vec![
                (Phone, E164.to_owned()),
                (Phone, "+6285712345678".to_owned())
            ]
        );
        assert_eq!(values("0812-3456-7890 / 0812 3456 7890").len(), 1);
    }

    #[test]
    fn at_most_ten_identifiers_per_text() {
        let many: Vec<String> = (0..30).map(|n| format!("0812345678{n:02}")).collect();
        assert_eq!(from_text(&many.join(", ")).len(), MAX_PER_TEXT);
    }

    #[test]
    fn listing_urls_and_typed_handles() -> Result<(), crate::UrlError> {
        let tiktok =
            CanonicalUrl::parse("https://www.tiktok.com/@tokobaju/video/7301234567890123456")?;
        assert_eq!(
            from_listing(&tiktok).map(|i| i.value).as_deref(),
            Some("tiktok.com/@tokobaju")
        );
        let post = CanonicalUrl::parse("https://www.instagram.com/p/C1a2B3c4D5e/")?;
        assert_eq!(from_listing(&post), None);
        for (typed, expected) in [
            ("@Thrift.Bdg", Some("instagram.com/thrift.bdg")),
            ("thrift.bdg", Some("instagram.com/thrift.bdg")),
            ("instagram.com/thrift.bdg", Some("instagram.com/thrift.bdg")),
            ("explore", None),
            ("toko baju", None),
            ("", None),
        ] {
            assert_eq!(
                from_account_handle(&post, typed)
                    .map(|i| i.value)
                    .as_deref(),
                expected,
                "typed {typed:?}"
            );
        }
        assert_eq!(
            from_account_handle(&tiktok, "@TokoBaju")
                .map(|i| i.value)
                .as_deref(),
            Some("tiktok.com/@tokobaju")
        );
        Ok(())
    }

    #[test]
    fn reviewer_entered_values() {
        assert_eq!(parse_phone("0812-3456-7890").as_deref(), Ok(E164));
        assert_eq!(parse_phone("+62 812 3456 7890").as_deref(), Ok(E164));
        assert_eq!(parse_phone("12345"), Err(Msg::InvalidPhone));
        assert_eq!(
            parse_phone("0812 3456 7890 0857 1234 5678"),
            Err(Msg::InvalidPhone)
        );
        assert_eq!(
            parse_bank_account("BCA 123-456-7890").as_deref(),
            Ok("BCA 1234567890")
        );
        assert_eq!(
            parse_bank_account("bank mandiri: 123 00 1234567 8").as_deref(),
            Ok("BANK MANDIRI 1230012345678")
        );
        assert_eq!(
            parse_bank_account("1234567890"),
            Err(Msg::InvalidBankAccount)
        );
        assert_eq!(parse_bank_account("BCA 12"), Err(Msg::InvalidBankAccount));
        assert_eq!(
            parse_bank_account("BCA 1234567890 a/n Budi"),
            Err(Msg::InvalidBankAccount)
        );
    }

    #[test]
    fn kinds_and_sources_round_trip() {
        for &kind in IdentifierKind::ALL {
            assert_eq!(IdentifierKind::parse(kind.as_str()), Ok(kind));
        }
        for &source in IdentifierSource::ALL {
            assert_eq!(IdentifierSource::parse(source.as_str()), Ok(source));
        }
        for &decision in LinkDecision::ALL {
            assert_eq!(LinkDecision::parse(decision.as_str()), Ok(decision));
        }
    }
}

text_enum! {
    /// What a watchlist entry is about.
    pub enum WatchlistKind {
        /// A keyword rule: for every platform.
        KeywordRule = "KEYWORD_RULE",
        /// A handle (account, shop) of a confirmed seller, on the platform it was found on.
        SellerHandle = "SELLER_HANDLE",
    }
}

text_enum! {
    /// What one change of the watchlist did to its entry.
    pub enum WatchlistChange {
        /// The entry joined the list.
        Listed = "LISTED",
        /// A keyword rule's phrase or weight changed.
        Changed = "CHANGED",
        /// The entry left the list (a retired keyword rule).
        Delisted = "DELISTED",
    }
}
