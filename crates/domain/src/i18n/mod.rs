//! User-facing text in Indonesian (the default) and English (`Accept-Language: en`), through one
//! mechanism: a closed enum whose `text(lang)` matches every variant exhaustively, each with both
//! languages, so a missing translation is a compile error.
//!
//! * [`Msg`]: the messages of errors and answers (GraphQL errors, plain-text refusals), some with
//!   values filled in.
//! * [`PageText`] (in `page.rs`): the fixed words of the HTML pages (the transparency report, the
//!   privacy notice, the GraphQL IDE).
//! * [`TimelineNote::text`]: the steps of a complaint's public timeline.
//!
//! The unit tests (`tests.rs`) read every text in both languages: none empty, none a
//! placeholder, and no Indonesian text the same as its English one unless it is on a short list
//! of words both languages share.

use std::borrow::Cow;

use crate::{CaseStatus, TimelineNote};

mod page;

pub use page::PageText;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    Id,
    En,
}

impl Lang {
    /// Picks the language from an `Accept-Language` header: English only when the client prefers
    /// it over Indonesian.
    pub fn from_accept_language(header: Option<&str>) -> Self {
        let Some(header) = header else {
            return Self::Id;
        };
        // `parse` orders the tags by quality; the first Indonesian or English one decides
        // ("in" is the legacy code for Indonesian that some Android versions still send).
        for tag in accept_language::parse(header) {
            let primary = tag
                .split('-')
                .next()
                .unwrap_or_default()
                .to_ascii_lowercase();
            match primary.as_str() {
                "en" => return Self::En,
                "id" | "in" => return Self::Id,
                _ => {}
            }
        }
        Self::Id
    }

    pub fn code(self) -> &'static str {
        match self {
            Self::Id => "id",
            Self::En => "en",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Msg {
    Unauthenticated,
    InvalidToken,
    Forbidden,
    NotFound,
    Internal,
    RateLimited {
        retry_after: u64,
    },
    Unavailable {
        retry_after: u64,
    },
    Required,
    TooShort {
        min: usize,
    },
    TooLong {
        max: usize,
    },
    ControlCharacters,
    InvalidEmail,
    EmailTaken,
    PasswordTooShort {
        min: usize,
    },
    PasswordTooCommon,
    InvalidCredentials,
    InvalidNib,
    UnknownPlatform,
    PlatformRequired,
    PlatformNotAllowed,
    CannotDisableSelf,
    AlreadySignedIn,
    NotStaffRole,
    UnknownCategory,
    UrlNotHttp,
    UrlInvalid,
    UnknownPlatformHost,
    UrlPlatformMismatch {
        platform: String,
    },
    UnknownProvince,
    TooMany {
        max: usize,
    },
    IdempotencyKeyReused,
    IdempotencyKeyGuessable,
    CaseIsFinal {
        status: CaseStatus,
    },
    AlreadyWithdrawn,
    InvalidCursor,
    OutOfRange {
        min: i64,
        max: i64,
    },
    TransitionNotAllowed {
        status: CaseStatus,
    },
    ClaimedByAnother,
    MergeIntoItself,
    MergeAcrossPlatforms,
    ActedInFuture,
    ActedBeforeIssued,
    AlreadyAnswered,
    /// Both the deprecated `action` and its replacement `decision` were given.
    ActionAndDecision,
    /// A field that does not apply to the answer's decision.
    NotForDecision {
        decision: crate::TakedownDecision,
    },
    /// A geo-block without the territory it applies to.
    TerritoryRequired,
    /// A territory that is not an ISO 3166-1 alpha-2 country code.
    InvalidTerritory,
    /// An account suspension without the date it ends.
    SuspensionEndRequired,
    /// A suspension that ends before now (or before the action).
    SuspensionEndPast,
    /// An account decision said to be about content.
    AccountDecisionOnContent,
    /// A reinstatement or restriction end for a request not answered with an action.
    NothingToReinstate,
    /// The end of a restriction for a decision that is not one (a removal, a termination).
    NotARestriction,
    /// A second reinstatement or restriction end for the same request.
    AlreadyChanged,
    /// A reinstatement or restriction end before the action it reverses.
    ChangeBeforeAction,
    ApiClientRevoked,
    WebhookUrlInvalid,
    WebhookUrlNotHttps,
    WebhookUrlNotPublic,
    WebhookUrlPort,
    DuplicateInBatch,
    DeliveryPending,
    InvalidHost,
    HostTaken,
    InvalidSlug,
    /// A keyword rule's phrase with no word, or too long.
    InvalidKeywordPhrase,
    /// Another keyword rule (active or retired) has this phrase.
    KeywordPhraseTaken,
    /// The keyword rule was changed by someone else since the version the caller sent.
    KeywordRuleChangedMeanwhile,
    /// Another organisation has this name.
    OrganisationNameTaken,
    /// Only a citizen account can be an organisation's member.
    NotACitizenAccount,
    /// The account is a member of an organisation already.
    AlreadyInOrganisation,
    /// A revoked organisation's status is final.
    OrganisationRevoked,
    /// A CSV file that cannot be read at this line.
    CsvUnreadable {
        line: u64,
    },
    /// A CSV file whose header lacks a required column.
    CsvColumnMissing {
        column: String,
    },
    /// Only a rejected case's complaint may be appealed.
    AppealNotRejected,
    /// A complaint is appealed at most once.
    AppealAlreadyFiled,
    /// An appeal comes within this many days of the rejection.
    AppealWindowClosed {
        days: i64,
    },
    /// The reviewer who rejected a case may not decide the appeal against it.
    AppealOwnRejection,
    AppealAlreadyDecided,
    /// Granting the appeal would reopen a case whose target has another open case.
    AppealTargetHasOpenCase,
    PeriodReversed,
    BodyTooLarge {
        max_bytes: usize,
    },
    MalformedRequest,
    JsonOnly,
    ContentTypeMissing,
    NotAcceptable,
    QueriesOnlyOverGet,
    VariableMissing {
        name: String,
    },
    EvidenceTypeRefused {
        name: String,
    },
    EvidenceUnreadable {
        name: String,
    },
    FileTooLarge {
        max_bytes: u64,
    },
    PreflightHeaderMissing,
    /// An argument's value does not fit its type (found while the request was validated).
    InvalidArgument {
        field: String,
        date_time: bool,
    },
    QueryTooComplex {
        cost: usize,
        limit: usize,
    },
    UploadMissing,
    InvalidPhone,
    InvalidBankAccount,
    LinkToItself,
    AlreadySameSeller,
    IdentifierNotOfCase,
    PrivacyNoticeOutdated,
    WrongPassword,
    CurrentPasswordRequired,
    NothingToChange,
    ContactAlreadyErased,
    MailConsentOutdated,
    MailNeedsContactEmail,
    NoRemovalToCheck,
    /// Why erased data's complaints are kept (the answer of an erasure).
    KeptComplaints,
    KeptAuditTrail,
    KeptReplies,
    /// A `from` or `to` of the transparency report that is neither a date nor an instant.
    InvalidPeriodBound,
    /// A `kind` or `outcome` of the register page that is none of its values.
    InvalidRegisterFilter,
    UrgentTrackNotAllowed,
    InvalidLetterDate,
    RecommendationAlreadyDecided,
    EvidenceNotOfCase,
    ObjectionAlreadyPending,
    ObjectionAfterDeadline,
    ObjectionAlreadyDecided,
    RequestWithdrawn,
    OrderNotOfPlatform,
}

impl Msg {
    pub fn text(&self, lang: Lang) -> Cow<'static, str> {
        use Lang::{En, Id};
        let s = |id: &'static str, en: &'static str| -> Cow<'static, str> {
            Cow::Borrowed(if lang == En { en } else { id })
        };
        match (self, lang) {
            (Self::Unauthenticated, _) => s(
                "Anda harus masuk (login) untuk melakukan ini.",
                "You must be signed in to do this.",
            ),
            (Self::InvalidToken, _) => s(
                "Token tidak sah atau sudah kedaluwarsa. Silakan masuk kembali.",
                "The token is invalid or has expired. Please sign in again.",
            ),
            (Self::Forbidden, _) => s(
                "Anda tidak berwenang melakukan ini.",
                "You are not allowed to do this.",
            ),
            (Self::NotFound, _) => s("Data tidak ditemukan.", "Not found."),
            (Self::Internal, _) => s(
                "Terjadi kesalahan pada server. Silakan coba lagi.",
                "Something went wrong on the server. Please try again.",
            ),
            (Self::RateLimited { retry_after }, Id) => Cow::Owned(format!(
                "Terlalu banyak permintaan. Coba lagi dalam {retry_after} detik."
            )),
            (Self::RateLimited { retry_after }, En) => Cow::Owned(format!(
                "Too many requests. Try again in {retry_after} seconds."
            )),
            (Self::Unavailable { retry_after }, Id) => Cow::Owned(format!(
                "Layanan sedang tidak tersedia untuk sementara. Coba lagi dalam {retry_after} detik."
            )),
            (Self::Unavailable { retry_after }, En) => Cow::Owned(format!(
                "The service is temporarily unavailable. Try again in {retry_after} seconds."
            )),
            (Self::Required, _) => s("Wajib diisi.", "This field is required."),
            (Self::TooShort { min }, Id) => Cow::Owned(format!("Minimal {min} karakter.")),
            (Self::TooShort { min }, En) => Cow::Owned(format!("At least {min} characters.")),
            (Self::TooLong { max }, Id) => Cow::Owned(format!("Maksimal {max} karakter.")),
            (Self::TooLong { max }, En) => Cow::Owned(format!("At most {max} characters.")),
            (Self::ControlCharacters, _) => s(
                "Berisi karakter kontrol atau karakter tak terlihat yang tidak diizinkan.",
                "Contains control or invisible characters, which are not allowed.",
            ),
            (Self::InvalidEmail, _) => s(
                "Alamat e-mail tidak valid.",
                "This is not a valid e-mail address.",
            ),
            (Self::EmailTaken, _) => s(
                "Alamat e-mail ini sudah terdaftar.",
                "This e-mail address is already registered.",
            ),
            (Self::PasswordTooShort { min }, Id) => {
                Cow::Owned(format!("Kata sandi minimal {min} karakter."))
            }
            (Self::PasswordTooShort { min }, En) => Cow::Owned(format!(
                "The password must be at least {min} characters long."
            )),
            (Self::PasswordTooCommon, _) => s(
                "Kata sandi ini terlalu umum dan mudah ditebak. Pilih yang lain.",
                "This password is too common and easy to guess. Choose another.",
            ),
            (Self::InvalidCredentials, _) => {
                s("E-mail atau kata sandi salah.", "Wrong e-mail or password.")
            }
            (Self::InvalidNib, _) => s(
                "NIB harus terdiri dari 13 angka.",
                "The NIB must be exactly 13 digits.",
            ),
            (Self::UnknownPlatform, _) => s("Platform tidak dikenal.", "Unknown platform."),
            (Self::PlatformRequired, _) => s(
                "Akun PLATFORM harus menyebutkan platformnya.",
                "A PLATFORM account must name its platform.",
            ),
            (Self::PlatformNotAllowed, _) => s(
                "Hanya akun PLATFORM yang terikat pada platform.",
                "Only PLATFORM accounts belong to a platform.",
            ),
            (Self::CannotDisableSelf, _) => s(
                "Anda tidak dapat menonaktifkan akun Anda sendiri.",
                "You cannot disable your own account.",
            ),
            (Self::AlreadySignedIn, _) => s(
                "Anda sudah masuk; keluar dulu untuk mendaftarkan akun baru.",
                "You are already signed in; sign out to register a new account.",
            ),
            (Self::NotStaffRole, _) => s(
                "Akun staf harus berperan REVIEWER, PLATFORM atau ADMIN.",
                "A staff account must be REVIEWER, PLATFORM or ADMIN.",
            ),
            (Self::UnknownCategory, _) => s("Kategori tidak dikenal.", "Unknown category."),
            (Self::UrlNotHttp, _) => s(
                "Tautan harus diawali http:// atau https://.",
                "The link must start with http:// or https://.",
            ),
            (Self::UrlInvalid, _) => s(
                "Tautan tidak valid. Salin alamat lengkap dari aplikasi atau peramban.",
                "This is not a valid link. Copy the full address from the app or browser.",
            ),
            (Self::UnknownPlatformHost, _) => s(
                "Tautan ini bukan dari platform yang kami kenal. Pilih platformnya atau periksa tautannya.",
                "This link is not from a platform we know. Choose the platform or check the link.",
            ),
            (Self::UrlPlatformMismatch { platform }, Id) => {
                Cow::Owned(format!("Tautan ini bukan tautan {platform}."))
            }
            (Self::UrlPlatformMismatch { platform }, En) => {
                Cow::Owned(format!("This link is not a {platform} link."))
            }
            (Self::UnknownProvince, _) => s(
                "Provinsi tidak dikenal. Tulis nama salah satu dari 38 provinsi Indonesia.",
                "Unknown province. Give the name of one of Indonesia's 38 provinces.",
            ),
            (Self::TooMany { max }, Id) => Cow::Owned(format!("Paling banyak {max} item.")),
            (Self::TooMany { max }, En) => Cow::Owned(format!("At most {max} items.")),
            (Self::IdempotencyKeyGuessable, _) => s(
                "Tanpa akun, kunci idempotensi harus acak dan tidak dapat ditebak: gunakan UUID \
                 (misalnya dari crypto.randomUUID()) atau token acak minimal 22 karakter.",
                "Without an account, the idempotency key must be random and unguessable: use a \
                 UUID (e.g. from crypto.randomUUID()) or a random token of at least 22 characters.",
            ),
            (Self::IdempotencyKeyReused, _) => s(
                "Kunci idempotensi ini sudah dipakai untuk laporan lain.",
                "This idempotency key was already used for a different report.",
            ),
            (Self::CaseIsFinal { status }, Id) => {
                Cow::Owned(format!("Kasus ini sudah selesai (status {status})."))
            }
            (Self::CaseIsFinal { status }, En) => {
                Cow::Owned(format!("This case is already final (status {status})."))
            }
            (Self::AlreadyWithdrawn, _) => s(
                "Laporan ini sudah ditarik.",
                "This complaint has already been withdrawn.",
            ),
            (Self::InvalidCursor, _) => s("Kursor tidak valid.", "Invalid cursor."),
            (Self::OutOfRange { min, max }, Id) => {
                Cow::Owned(format!("Harus antara {min} dan {max}."))
            }
            (Self::OutOfRange { min, max }, En) => {
                Cow::Owned(format!("Must be between {min} and {max}."))
            }
            (Self::TransitionNotAllowed { status }, Id) => Cow::Owned(format!(
                "Tindakan ini tidak dapat dilakukan pada kasus berstatus {status}."
            )),
            (Self::TransitionNotAllowed { status }, En) => {
                Cow::Owned(format!("This cannot be done to a case in status {status}."))
            }
            (Self::ClaimedByAnother, _) => s(
                "Kasus ini sedang ditangani peninjau lain.",
                "Another reviewer has claimed this case.",
            ),
            (Self::MergeIntoItself, _) => s(
                "Kasus tidak dapat digabungkan dengan dirinya sendiri.",
                "A case cannot be merged into itself.",
            ),
            (Self::MergeAcrossPlatforms, _) => s(
                "Hanya kasus pada platform yang sama yang dapat digabungkan.",
                "Only cases on the same platform can be merged.",
            ),
            (Self::ActedInFuture, _) => s(
                "Waktu tindakan tidak boleh di masa depan.",
                "The action time cannot be in the future.",
            ),
            (Self::ActedBeforeIssued, _) => s(
                "Waktu tindakan tidak boleh sebelum permintaan diterbitkan.",
                "The action time cannot be before the request was issued.",
            ),
            (Self::AlreadyAnswered, _) => s(
                "Permintaan ini sudah dijawab.",
                "This request has already been answered.",
            ),
            (Self::ActionAndDecision, _) => s(
                "Isi decision atau action (usang), jangan keduanya.",
                "Give either decision or the deprecated action, not both.",
            ),
            (Self::NotForDecision { decision }, Id) => Cow::Owned(format!(
                "Isian ini tidak berlaku untuk keputusan {decision}."
            )),
            (Self::NotForDecision { decision }, En) => Cow::Owned(format!(
                "This field does not apply to the decision {decision}."
            )),
            (Self::TerritoryRequired, _) => s(
                "Pemblokiran geografis harus menyebutkan wilayahnya (kode negara ISO 3166-1, misalnya ID).",
                "A geo-block must name its territory (ISO 3166-1 country codes, e.g. ID).",
            ),
            (Self::InvalidTerritory, _) => s(
                "Wilayah harus berupa kode negara ISO 3166-1 alpha-2 (dua huruf besar, misalnya ID).",
                "A territory must be an ISO 3166-1 alpha-2 country code (two capital letters, e.g. ID).",
            ),
            (Self::SuspensionEndRequired, _) => s(
                "Penangguhan akun harus menyebutkan sampai kapan berlaku.",
                "An account suspension must say until when it lasts.",
            ),
            (Self::SuspensionEndPast, _) => s(
                "Akhir penangguhan harus di masa depan.",
                "The end of the suspension must be in the future.",
            ),
            (Self::AccountDecisionOnContent, _) => s(
                "Penangguhan atau penghapusan akun berlaku untuk akun, bukan konten.",
                "An account suspension or termination acts on the account, not on content.",
            ),
            (Self::NothingToReinstate, _) => s(
                "Permintaan ini belum dijawab dengan tindakan, jadi tidak ada yang dapat dipulihkan.",
                "This request was not answered with an action, so there is nothing to reinstate.",
            ),
            (Self::NotARestriction, _) => s(
                "Tindakan ini bukan pembatasan yang dapat berakhir: laporkan pemulihan sebagai gantinya.",
                "This action is not a restriction that can end: report a reinstatement instead.",
            ),
            (Self::AlreadyChanged, _) => s(
                "Pemulihan atau berakhirnya pembatasan untuk permintaan ini sudah dilaporkan.",
                "A reinstatement or the end of the restriction has already been reported for this request.",
            ),
            (Self::ChangeBeforeAction, _) => s(
                "Waktunya tidak boleh sebelum tindakan platform.",
                "The time cannot be before the platform's action.",
            ),
            (Self::ApiClientRevoked, _) => s(
                "Klien API ini sudah dicabut.",
                "This API client has been revoked.",
            ),
            (Self::WebhookUrlInvalid, _) => s(
                "Alamat webhook tidak sah: harus URL lengkap tanpa nama pengguna atau kata sandi.",
                "The webhook address is invalid: it must be a full URL without a user name or password.",
            ),
            (Self::WebhookUrlNotHttps, _) => s(
                "Alamat webhook harus memakai https.",
                "The webhook address must use https.",
            ),
            (Self::WebhookUrlPort, _) => s(
                "Alamat webhook harus memakai port 443 atau 8443.",
                "The webhook address must use port 443 or 8443.",
            ),
            (Self::WebhookUrlNotPublic, _) => s(
                "Alamat webhook harus berada di internet publik, bukan di jaringan lokal atau privat.",
                "The webhook address must be on the public internet, not on a loopback or private network.",
            ),
            (Self::DuplicateInBatch, _) => s(
                "Permintaan yang sama muncul lebih dari sekali dalam kiriman ini.",
                "The same request appears more than once in this batch.",
            ),
            (Self::DeliveryPending, _) => s(
                "Pengiriman ini masih menunggu dan akan dicoba lagi.",
                "This delivery is still pending; it will be attempted again.",
            ),
            (Self::InvalidHost, _) => s(
                "Nama host tidak valid (contoh: instagram.com).",
                "Not a valid host name (e.g. instagram.com).",
            ),
            (Self::HostTaken, _) => s(
                "Nama host ini sudah milik platform lain.",
                "This host name already belongs to another platform.",
            ),
            (Self::AppealNotRejected, _) => s(
                "Hanya laporan yang ditolak yang dapat diajukan banding.",
                "Only a rejected complaint can be appealed.",
            ),
            (Self::AppealAlreadyFiled, _) => s(
                "Banding untuk laporan ini sudah diajukan; banding hanya sekali.",
                "This complaint has already been appealed; an appeal is allowed once.",
            ),
            (Self::AppealWindowClosed { days }, Id) => Cow::Owned(format!(
                "Banding harus diajukan dalam {days} hari setelah laporan ditolak."
            )),
            (Self::AppealWindowClosed { days }, En) => Cow::Owned(format!(
                "An appeal must be made within {days} days of the rejection."
            )),
            (Self::AppealOwnRejection, _) => s(
                "Banding diputus oleh peninjau lain, bukan yang menolak laporan.",
                "An appeal is decided by another reviewer, not the one who rejected the case.",
            ),
            (Self::AppealAlreadyDecided, _) => s(
                "Banding ini sudah diputus.",
                "This appeal has already been decided.",
            ),
            (Self::AppealTargetHasOpenCase, _) => s(
                "Target yang sama sudah punya kasus terbuka lain; gabungkan laporan ke kasus itu.",
                "The same target already has another open case; handle the complaint there.",
            ),
            (Self::InvalidKeywordPhrase, _) => s(
                "Frasa harus berisi 1 sampai 6 kata (huruf atau angka), paling banyak 100 karakter.",
                "A phrase is 1 to 6 words (letters or digits), at most 100 characters.",
            ),
            (Self::KeywordPhraseTaken, _) => s(
                "Frasa ini sudah menjadi aturan lain (aktif atau nonaktif); ubah aturan itu.",
                "Another rule (active or retired) has this phrase; change that rule instead.",
            ),
            (Self::OrganisationNameTaken, _) => s(
                "Nama ini sudah dipakai organisasi lain.",
                "Another organisation has this name.",
            ),
            (Self::NotACitizenAccount, _) => s(
                "Hanya akun warga yang dapat menjadi anggota organisasi.",
                "Only a citizen account can be a member of an organisation.",
            ),
            (Self::AlreadyInOrganisation, _) => s(
                "Akun ini sudah menjadi anggota sebuah organisasi.",
                "This account is a member of an organisation already.",
            ),
            (Self::OrganisationRevoked, _) => s(
                "Status pelapor tepercaya organisasi ini sudah dicabut permanen.",
                "This organisation's trusted-flagger status was revoked for good.",
            ),
            (Self::CsvUnreadable { line }, Id) => {
                Cow::Owned(format!("Berkas CSV tidak dapat dibaca pada baris {line}."))
            }
            (Self::CsvUnreadable { line }, En) => {
                Cow::Owned(format!("The CSV file cannot be read at line {line}."))
            }
            (Self::CsvColumnMissing { column }, Id) => Cow::Owned(format!(
                "Baris judul berkas CSV tidak memuat kolom \"{column}\"."
            )),
            (Self::CsvColumnMissing { column }, En) => {
                Cow::Owned(format!("The CSV file's header has no column \"{column}\"."))
            }
            (Self::KeywordRuleChangedMeanwhile, _) => s(
                "Aturan ini baru saja diubah orang lain. Muat ulang lalu coba lagi.",
                "This rule was changed by someone else meanwhile. Reload it and try again.",
            ),
            (Self::InvalidSlug, _) => s(
                "Slug hanya boleh huruf kecil, angka dan tanda hubung (maksimal 32).",
                "A slug is lower-case letters, digits and hyphens (at most 32).",
            ),
            (Self::PeriodReversed, _) => s(
                "Akhir periode harus setelah awalnya.",
                "The end of the period must come after its start.",
            ),
            (Self::EvidenceTypeRefused { name }, Id) => Cow::Owned(format!(
                "Berkas \"{name}\" tidak diterima: hanya JPEG, PNG, WebP, HEIC, PDF dan MP4 \
                 (jenis berkas dinilai dari isinya, bukan namanya)."
            )),
            (Self::EvidenceTypeRefused { name }, En) => Cow::Owned(format!(
                "The file \"{name}\" is refused: only JPEG, PNG, WebP, HEIC, PDF and MP4 are \
                 accepted (judged by its content, not its name)."
            )),
            (Self::EvidenceUnreadable { name }, Id) => Cow::Owned(format!(
                "Berkas \"{name}\" rusak atau bukan gambar yang utuh."
            )),
            (Self::EvidenceUnreadable { name }, En) => Cow::Owned(format!(
                "The file \"{name}\" is damaged or not a complete image."
            )),
            (Self::FileTooLarge { max_bytes }, Id) => Cow::Owned(format!(
                "Berkas terlalu besar (maksimal {max_bytes} byte per berkas)."
            )),
            (Self::FileTooLarge { max_bytes }, En) => Cow::Owned(format!(
                "A file is too large (at most {max_bytes} bytes per file)."
            )),
            (Self::PreflightHeaderMissing, _) => s(
                "Unggahan berkas memerlukan header GraphQL-Preflight: 1 (atau Apollo-Require-Preflight: 1).",
                "File uploads need the header GraphQL-Preflight: 1 (or Apollo-Require-Preflight: 1).",
            ),
            (
                Self::InvalidArgument {
                    field,
                    date_time: true,
                },
                Id,
            ) => Cow::Owned(format!(
                "Nilai {field} bukan tanggal dan waktu RFC 3339 dengan zona waktu (contoh: 2026-11-30T08:15:00Z atau 2026-11-30T15:15:00+07:00)."
            )),
            (
                Self::InvalidArgument {
                    field,
                    date_time: true,
                },
                En,
            ) => Cow::Owned(format!(
                "The value of {field} is not an RFC 3339 date and time with an offset (e.g. 2026-11-30T08:15:00Z or 2026-11-30T15:15:00+07:00)."
            )),
            (
                Self::InvalidArgument {
                    field,
                    date_time: false,
                },
                Id,
            ) => Cow::Owned(format!(
                "Nilai {field} tidak sesuai dengan tipenya dalam skema."
            )),
            (
                Self::InvalidArgument {
                    field,
                    date_time: false,
                },
                En,
            ) => Cow::Owned(format!(
                "The value of {field} does not fit its type in the schema."
            )),
            (Self::QueryTooComplex { cost, limit }, Id) => Cow::Owned(format!(
                "Kueri terlalu kompleks: biayanya {cost}, batasnya {limit}. Minta halaman lebih kecil (first) atau lebih sedikit field."
            )),
            (Self::QueryTooComplex { cost, limit }, En) => Cow::Owned(format!(
                "The query is too complex: it costs {cost}, the limit is {limit}. Ask for smaller pages (first) or fewer fields."
            )),
            (Self::UploadMissing, _) => s(
                "Berkas yang dirujuk tidak ada dalam permintaan, atau sudah dipakai.",
                "The file referred to is not in the request, or was used already.",
            ),
            (Self::BodyTooLarge { max_bytes }, Id) => Cow::Owned(format!(
                "Permintaan terlalu besar (maksimal {max_bytes} byte)."
            )),
            (Self::BodyTooLarge { max_bytes }, En) => Cow::Owned(format!(
                "The request is too large (at most {max_bytes} bytes)."
            )),
            (Self::JsonOnly, _) => s(
                "Kirim permintaan sebagai JSON (Content-Type: application/json).",
                "Send the request as JSON (Content-Type: application/json).",
            ),
            (Self::MalformedRequest, _) => s(
                "Permintaan GraphQL tidak dapat dibaca. Kirim JSON {\"query\": ...}.",
                "The GraphQL request cannot be read. Send JSON {\"query\": ...}.",
            ),
            (Self::ContentTypeMissing, _) => s(
                "Permintaan tanpa Content-Type. Kirim JSON dengan Content-Type: application/json.",
                "The request has no Content-Type. Send JSON with Content-Type: application/json.",
            ),
            (Self::NotAcceptable, _) => s(
                "Jawaban hanya tersedia sebagai application/graphql-response+json atau application/json; sesuaikan header Accept.",
                "Answers are only available as application/graphql-response+json or application/json; adjust the Accept header.",
            ),
            (Self::VariableMissing { name }, Id) => {
                Cow::Owned(format!("Variabel ${name} wajib diisi."))
            }
            (Self::VariableMissing { name }, En) => {
                Cow::Owned(format!("The variable ${name} is required."))
            }
            (Self::QueriesOnlyOverGet, _) => s(
                "Lewat GET hanya kueri yang dijalankan; kirim mutasi dengan POST.",
                "Only queries run over GET; send mutations with POST.",
            ),
            (Self::InvalidPhone, _) => s(
                "Bukan nomor telepon yang sah (contoh: 0812-3456-7890 atau +62 812 3456 7890).",
                "Not a valid phone number (e.g. 0812-3456-7890 or +62 812 3456 7890).",
            ),
            (Self::InvalidBankAccount, _) => s(
                "Tulis nama bank lalu nomor rekening, 5 sampai 20 angka (contoh: BCA 123-456-7890).",
                "Write the bank's name, then the account number of 5 to 20 digits (e.g. BCA 123-456-7890).",
            ),
            (Self::LinkToItself, _) => s(
                "Sebuah kasus tidak dapat ditautkan dengan dirinya sendiri.",
                "A case cannot be linked to itself.",
            ),
            (Self::AlreadySameSeller, _) => s(
                "Kedua kasus sudah dikonfirmasi sebagai penjual yang sama.",
                "Both cases are already confirmed as the same seller.",
            ),
            (Self::IdentifierNotOfCase, _) => s(
                "Pengenal ini bukan milik penjual kasus ini.",
                "This identifier does not belong to this case's seller.",
            ),
            (Self::PrivacyNoticeOutdated, _) => s(
                "Ini bukan versi pemberitahuan privasi yang berlaku. Baca kembali di /privacy.",
                "That is not the current version of the privacy notice. Read it again at /privacy.",
            ),
            (Self::WrongPassword, _) => s("Kata sandi salah.", "The password is wrong."),
            (Self::CurrentPasswordRequired, _) => s(
                "Masukkan kata sandi Anda saat ini untuk mengganti e-mail.",
                "Enter your current password to change the e-mail.",
            ),
            (Self::NothingToChange, _) => s(
                "Tidak ada yang diubah: isi setidaknya satu kolom.",
                "Nothing to change: fill in at least one field.",
            ),
            (Self::ContactAlreadyErased, _) => s(
                "Alamat e-mail kontak laporan ini sudah dihapus.",
                "This complaint's contact e-mail has already been erased.",
            ),
            (Self::MailConsentOutdated, _) => s(
                "Ini bukan versi persetujuan surel pemberitahuan yang berlaku.",
                "That is not the current version of the notification mail consent.",
            ),
            (Self::MailNeedsContactEmail, _) => s(
                "Kabar lewat surel membutuhkan alamat e-mail kontak.",
                "News by e-mail needs a contact e-mail.",
            ),
            (Self::NoRemovalToCheck, _) => s(
                "Platform belum menyatakan menghapus tautan yang dilaporkan.",
                "The platform has not said it removed the reported listing.",
            ),
            (Self::KeptComplaints, _) => s(
                "Laporan tetap disimpan tanpa tautan ke Anda: kasusnya dapat sedang dalam proses hukum, dan laporan tetap dihitung dalam kasus serta laporan transparansi.",
                "Complaints are kept without any link to you: their case may be under legal process, and they still count in their case and in the transparency report.",
            ),
            (Self::KeptAuditTrail, _) => s(
                "Jejak audit menyimpan peristiwanya (apa dan kapan) tanpa identitas Anda: akun yang tersisa tidak berisi e-mail, nama, NIB, atau kata sandi.",
                "The audit trail keeps the events (what and when) without your identity: the account left behind holds no e-mail, name, NIB or password.",
            ),
            (Self::KeptReplies, _) => s(
                "Balasan Anda atas permintaan informasi tetap menjadi bagian dari berkas kasus, terenkripsi dan tanpa tautan ke Anda.",
                "Your replies to information requests stay part of the case file, encrypted and without any link to you.",
            ),
            (Self::InvalidPeriodBound, _) => s(
                "from/to harus berupa tanggal (2026-01-31) atau waktu RFC 3339.",
                "from/to must be dates (2026-01-31) or RFC 3339 times.",
            ),
            (Self::InvalidRegisterFilter, _) => s(
                "kind harus NOTICE atau ORDER; outcome salah satu dari PENDING, ACTED, DECLINED, NEEDS_MORE_INFO, WITHDRAWN, REINSTATED.",
                "kind must be NOTICE or ORDER; outcome one of PENDING, ACTED, DECLINED, NEEDS_MORE_INFO, WITHDRAWN, REINSTATED.",
            ),
            (Self::UrgentTrackNotAllowed, _) => s(
                "Mendesak (4 jam) hanya untuk kategori yang oleh peraturan dimasukkan ke jalur mendesak (terorisme, pornografi anak, konten yang meresahkan masyarakat dan mengganggu ketertiban umum); kategori kasus ini tidak termasuk.",
                "URGENT (4 hours) is only for categories the regulation puts on the urgent track (terrorism, child sexual abuse material, content that disturbs public order); this case's category is not one of them.",
            ),
            (Self::InvalidLetterDate, _) => s(
                "Tanggal surat harus berformat yyyy-mm-dd dan tidak boleh di masa depan.",
                "A letter's date must be written yyyy-mm-dd and cannot be in the future.",
            ),
            (Self::RecommendationAlreadyDecided, _) => s(
                "Rekomendasi ini sudah diputuskan.",
                "This recommendation has already been decided.",
            ),
            (Self::EvidenceNotOfCase, _) => s(
                "Bukti ini tidak termasuk bukti kasus yang direkomendasikan.",
                "This evidence is not among the evidence of the recommended cases.",
            ),
            (Self::ObjectionAlreadyPending, _) => s(
                "Keberatan (sanggah) atas permintaan ini sedang ditinjau.",
                "An objection to this request is already under review.",
            ),
            (Self::ObjectionAfterDeadline, _) => s(
                "Keberatan (sanggah) hanya dapat diajukan sebelum tenggat permintaan.",
                "An objection can only be filed before the request's deadline.",
            ),
            (Self::ObjectionAlreadyDecided, _) => s(
                "Keberatan ini sudah diputuskan.",
                "This objection has already been decided.",
            ),
            (Self::RequestWithdrawn, _) => s(
                "Permintaan ini sudah ditarik setelah keberatan platform diterima.",
                "This request was withdrawn after the platform's objection was upheld.",
            ),
            (Self::OrderNotOfPlatform, _) => s(
                "Perintah ini bukan perintah kepada platform yang dikenai sanksi.",
                "This order was not addressed to the sanctioned platform.",
            ),
        }
    }
}

impl TimelineNote {
    /// The public timeline's words for this step.
    pub fn text(self, lang: Lang) -> &'static str {
        let (id, en) = match self {
            Self::Received => ("Laporan diterima.", "Complaint received."),
            Self::Withdrawn => (
                "Laporan ditarik oleh pelapor.",
                "Withdrawn by the reporter.",
            ),
            Self::UnderReview => ("Sedang ditinjau.", "Under review."),
            Self::BackInQueue => (
                "Kembali ke antrean peninjauan.",
                "Back in the review queue.",
            ),
            Self::Rejected => (
                "Laporan ditolak setelah ditinjau.",
                "Rejected after review.",
            ),
            Self::InformationRequested => (
                "Peninjau meminta informasi tambahan.",
                "A reviewer asked for more information.",
            ),
            Self::InformationReceived => (
                "Informasi tambahan diterima.",
                "Additional information received.",
            ),
            Self::ReviewResumed => ("Peninjauan dilanjutkan.", "Review resumed."),
            Self::Forwarded => (
                "Permintaan penurunan konten dikirim ke platform.",
                "Takedown request sent to the platform.",
            ),
            Self::Escalated => (
                "Diteruskan ke instansi berwenang.",
                "Escalated to another authority.",
            ),
            Self::MergedAway => (
                "Digabungkan dengan kasus lain tentang target yang sama.",
                "Merged with another case about the same target.",
            ),
            Self::Closed => ("Kasus ditutup.", "Case closed."),
            Self::ClosedNoReply => (
                "Kasus ditutup karena pertanyaan peninjau tidak dijawab sampai batas waktu.",
                "Closed: the reviewer's question was not answered by its deadline.",
            ),
            Self::RemovalDisputed => (
                "Pelapor mendapati tautan masih bisa dibuka; kasus ditinjau kembali.",
                "A reporter found the listing still online; the case is back in review.",
            ),
            Self::LateReplyReopened => (
                "Jawaban diterima setelah batas waktu; kasus ditinjau kembali.",
                "Reply received after the deadline; the case is back in review.",
            ),
            Self::AppealReceived => ("Banding diterima.", "Appeal received."),
            Self::AppealUpheld => (
                "Banding ditolak: penolakan laporan tetap berlaku.",
                "Appeal dismissed: the rejection stands.",
            ),
            Self::AppealGranted => (
                "Banding dikabulkan: laporan ditinjau kembali.",
                "Appeal granted: the complaint is back in review.",
            ),
            Self::Reopened => (
                "Platform memulihkan konten atau akun; kasus ditinjau kembali.",
                "The platform reinstated the content or account; the case is under review again.",
            ),
        };
        if lang == Lang::En { en } else { id }
    }
}

#[cfg(test)]
mod tests;
