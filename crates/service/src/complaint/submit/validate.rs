//! `submitComplaint`, step one: the client's input parsed into a [`Submission`] of domain values,
//! every field checked and named on failure, before anything touches the database.

use std::sync::Arc;

use sha2::{Digest as _, Sha256};

use crate::complaint::{DESCRIPTION_MAX, DESCRIPTION_MIN, MAX_EVIDENCE_PER_REQUEST};
use crate::error::{ServiceError, ServiceResult};
use laporlapak_db::models::platform::PlatformWithHosts;
use laporlapak_domain::canonical_url::MAX_URL_LEN;
use laporlapak_domain::i18n::Msg;
use laporlapak_domain::seller::{self, Identifier, IdentifierSource};
use laporlapak_domain::{CanonicalUrl, Email, IdempotencyKey, Province, UrlError, text};

/// `submitComplaint`'s input as the client sent it.
#[derive(Debug, Default)]
pub struct SubmitRequest {
    pub category: String,
    pub listing_url: String,
    pub platform: Option<String>,
    pub account_handle: Option<String>,
    pub description: String,
    pub province: Option<String>,
    pub city: Option<String>,
    pub evidence_urls: Vec<String>,
    pub anonymous: bool,
    pub contact_email: Option<String>,
    /// Mail news of the complaint to `contact_email` (anonymous reporters; citizens use their
    /// account's setting).
    pub email_notifications: bool,
    /// The consent text's version the reporter agreed to; the current one when omitted.
    pub mail_consent_version: Option<String>,
    /// The request's language: the mails' language.
    pub language: laporlapak_domain::i18n::Lang,
    pub idempotency_key: Option<String>,
    /// Evidence files, staged by the HTTP layer.
    pub files: Vec<crate::evidence::IncomingFile>,
}

/// The same input, parsed.
pub(super) struct Submission {
    pub category: String,
    pub listing_url: String,
    pub canonical: CanonicalUrl,
    pub platform: Option<String>,
    pub account_handle: Option<String>,
    pub description: String,
    pub province: Option<Province>,
    pub city: Option<String>,
    pub evidence_urls: Vec<String>,
    pub anonymous: bool,
    pub contact_email: Option<Email>,
    /// The consent version an anonymous reporter's opt-in to mails records.
    pub mail_consent: Option<&'static str>,
    pub language: laporlapak_domain::i18n::Lang,
    pub idempotency_key: Option<IdempotencyKey>,
    /// The SHA-256 of each evidence file, in order.
    pub file_hashes: Vec<String>,
    /// What the complaint says about the seller: the account of the listing URL, the handle the
    /// reporter gave, and the phone numbers, WhatsApp links and platform links of the description
    /// (never the reporter's contact e-mail or account).
    pub seller_identifiers: Vec<(Identifier, IdentifierSource)>,
}

fn bad(field: impl Into<std::borrow::Cow<'static, str>>) -> impl FnOnce(Msg) -> ServiceError {
    move |reason| ServiceError::bad_input(field, reason)
}

fn url_error(error: UrlError) -> Msg {
    match error {
        UrlError::Empty => Msg::Required,
        UrlError::TooLong => Msg::TooLong { max: MAX_URL_LEN },
        UrlError::ControlCharacter => Msg::ControlCharacters,
        UrlError::NotHttp => Msg::UrlNotHttp,
        UrlError::Invalid => Msg::UrlInvalid,
    }
}

/// An evidence link: any http(s) URL of at most 2,048 characters, kept as given.
pub fn parse_evidence_url(raw: &str) -> Result<String, Msg> {
    let value = text::single_line(raw, 1, MAX_URL_LEN)?;
    let url = url::Url::parse(&value).map_err(|_| Msg::UrlInvalid)?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(Msg::UrlNotHttp);
    }
    if url.host_str().is_none_or(str::is_empty) || value.chars().any(char::is_whitespace) {
        return Err(Msg::UrlInvalid);
    }
    Ok(value)
}

pub(crate) fn parse_evidence_list(
    urls: &[String],
    field: &'static str,
) -> ServiceResult<Vec<String>> {
    if urls.len() > MAX_EVIDENCE_PER_REQUEST {
        return Err(ServiceError::bad_input(
            field,
            Msg::TooMany {
                max: MAX_EVIDENCE_PER_REQUEST,
            },
        ));
    }
    let mut parsed: Vec<String> = Vec::with_capacity(urls.len());
    for (index, url) in urls.iter().enumerate() {
        let url = parse_evidence_url(url).map_err(bad(format!("{field}[{index}]")))?;
        if !parsed.contains(&url) {
            parsed.push(url);
        }
    }
    Ok(parsed)
}

fn optional_line(
    value: Option<&str>,
    max: usize,
    field: &'static str,
) -> ServiceResult<Option<String>> {
    match value.map(str::trim).filter(|v| !v.is_empty()) {
        Some(v) => text::single_line(v, 1, max).map(Some).map_err(bad(field)),
        None => Ok(None),
    }
}

impl SubmitRequest {
    /// Parses the input; `signed_in` decides how strong an idempotency key must be.
    pub(super) fn parse(&self, signed_in: bool) -> ServiceResult<Submission> {
        let category = text::single_line(&self.category, 1, 64).map_err(bad("input.category"))?;
        let listing_url = text::single_line(&self.listing_url, 1, MAX_URL_LEN)
            .map_err(bad("input.listingUrl"))?;
        let canonical = CanonicalUrl::parse(&listing_url)
            .map_err(|e| ServiceError::bad_input("input.listingUrl", url_error(e)))?;
        let platform = optional_line(self.platform.as_deref(), 64, "input.platform")?
            .map(|slug| slug.to_lowercase());
        let account_handle =
            optional_line(self.account_handle.as_deref(), 100, "input.accountHandle")?;
        let description = text::multi_line(&self.description, DESCRIPTION_MIN, DESCRIPTION_MAX)
            .map_err(bad("input.description"))?;
        let province =
            match optional_line(self.province.as_deref(), 100, "input.province")? {
                Some(name) => Some(Province::parse(&name).ok_or_else(|| {
                    ServiceError::bad_input("input.province", Msg::UnknownProvince)
                })?),
                None => None,
            };
        let city = optional_line(self.city.as_deref(), 100, "input.city")?;
        let evidence_urls = parse_evidence_list(&self.evidence_urls, "input.evidenceUrls")?;
        let contact_email = match self.contact_email.as_deref().map(str::trim) {
            Some(email) if !email.is_empty() => {
                Some(Email::parse(email).map_err(bad("input.contactEmail"))?)
            }
            _ => None,
        };
        let mail_consent = if self.email_notifications && !signed_in {
            if contact_email.is_none() {
                return Err(ServiceError::bad_input(
                    "input.emailNotifications",
                    Msg::MailNeedsContactEmail,
                ));
            }
            Some(crate::mail::accepted_consent(
                self.mail_consent_version.as_deref(),
                "input.mailConsentVersion",
            )?)
        } else {
            None
        };
        let idempotency_key = match self.idempotency_key.as_deref().map(str::trim) {
            Some(key) if !key.is_empty() => Some(
                if signed_in {
                    IdempotencyKey::for_account(key)
                } else {
                    IdempotencyKey::for_anonymous(key)
                }
                .map_err(bad("input.idempotencyKey"))?,
            ),
            _ => None,
        };
        let seller_identifiers =
            seller_identifiers(&canonical, account_handle.as_deref(), &description);
        Ok(Submission {
            seller_identifiers,
            category,
            listing_url,
            canonical,
            platform,
            account_handle,
            description,
            province,
            city,
            evidence_urls,
            anonymous: self.anonymous,
            contact_email,
            mail_consent,
            language: self.language,
            idempotency_key,
            file_hashes: self.files.iter().map(|f| f.staged.sha256.clone()).collect(),
        })
    }
}

/// The seller identifiers of a complaint, each once, with where it was first found.
fn seller_identifiers(
    listing: &CanonicalUrl,
    account_handle: Option<&str>,
    description: &str,
) -> Vec<(Identifier, IdentifierSource)> {
    let found = seller::from_listing(listing)
        .map(|id| (id, IdentifierSource::ListingUrl))
        .into_iter()
        .chain(
            account_handle
                .and_then(|typed| seller::from_account_handle(listing, typed))
                .map(|id| (id, IdentifierSource::AccountHandle)),
        )
        .chain(
            seller::from_text(description)
                .into_iter()
                .map(|id| (id, IdentifierSource::Description)),
        );
    let mut unique: Vec<(Identifier, IdentifierSource)> = Vec::new();
    for (identifier, source) in found {
        if !unique.iter().any(|(known, _)| known == &identifier) {
            unique.push((identifier, source));
        }
    }
    unique
}

impl Submission {
    /// A digest of everything that makes two submissions "the same request".
    pub(super) fn request_hash(&self) -> String {
        let mut canonical = serde_json::json!({
            "category": self.category,
            "listingUrl": self.listing_url,
            "platform": self.platform,
            "accountHandle": self.account_handle,
            "description": self.description,
            "province": self.province.map(Province::name),
            "city": self.city,
            "evidenceUrls": self.evidence_urls,
            "anonymous": self.anonymous,
            "contactEmail": self.contact_email.as_ref().map(Email::as_str),
        });
        // Only when there are files, so the hash of a request without any is what it always was.
        if !self.file_hashes.is_empty() {
            canonical["files"] = serde_json::json!(self.file_hashes);
        }
        let digest = Sha256::digest(canonical.to_string().as_bytes());
        laporlapak_domain::hex(&digest)
    }
}

/// The platform the URL belongs to, checked against the one the reporter named, among the active
/// `platforms`.
pub(super) fn resolve_platform<'p>(
    platforms: impl Iterator<Item = &'p Arc<PlatformWithHosts>> + Clone,
    canonical: &CanonicalUrl,
    named: Option<&str>,
) -> ServiceResult<Arc<PlatformWithHosts>> {
    let detected = platforms
        .clone()
        .find(|p| p.hosts.iter().any(|host| canonical.belongs_to(host)));
    match named {
        Some(slug) => {
            let named = platforms
                .clone()
                .find(|p| p.platform.slug == slug)
                .ok_or_else(|| ServiceError::bad_input("input.platform", Msg::UnknownPlatform))?;
            if detected.is_none_or(|detected| !Arc::ptr_eq(detected, named)) {
                return Err(ServiceError::bad_input(
                    "input.listingUrl",
                    Msg::UrlPlatformMismatch {
                        platform: named.platform.name.clone(),
                    },
                ));
            }
            Ok(named.clone())
        }
        None => detected
            .cloned()
            .ok_or_else(|| ServiceError::bad_input("input.listingUrl", Msg::UnknownPlatformHost)),
    }
}
