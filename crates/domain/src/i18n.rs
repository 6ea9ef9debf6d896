//! User-facing text in Indonesian (the default) and English (`Accept-Language: en`), through one
//! mechanism: a closed enum whose `text(lang)` matches every variant exhaustively, each with both
//! languages, so a missing translation is a compile error.
//!
//! * [`Msg`]: the messages of errors and answers (GraphQL errors, plain-text refusals), some with
//!   values filled in.
//! * [`PageText`]: the fixed words of the HTML pages (the transparency report, the privacy
//!   notice, the GraphQL IDE).
//! * [`TimelineNote::text`]: the steps of a complaint's public timeline.
//!
//! The unit tests read every text in both languages: none empty, none a placeholder, and no
//! Indonesian text the same as its English one unless it is on a short list of words both
//! languages share.

use std::borrow::Cow;

use crate::{CaseStatus, TimelineNote};

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
    /// Why erased data's complaints are kept (the answer of an erasure).
    KeptComplaints,
    KeptAuditTrail,
    KeptReplies,
    /// A `from` or `to` of the transparency report that is neither a date nor an instant.
    InvalidPeriodBound,
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
        }
    }
}

/// Declares [`PageText`] from one list: every variant with its Indonesian and its English text (a
/// variant cannot be written without both), `PageText::ALL` in the list's order, and `text`, an
/// exhaustive match over the variants.
macro_rules! page_texts {
    ($($(#[$attr:meta])* $variant:ident => ($id:expr, $en:expr $(,)?),)*) => {
        /// The fixed words of the HTML pages, in both languages. Like [`Msg`], a closed enum:
        /// a page names a variant, never a string of its own.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum PageText {
            $($(#[$attr])* $variant,)*
        }

        impl PageText {
            /// Every variant, in declaration order.
            pub const ALL: &'static [Self] = &[$(Self::$variant,)*];

            pub fn text(self, lang: Lang) -> &'static str {
                let (id, en) = match self {
                    $(Self::$variant => ($id, $en),)*
                };
                if lang == Lang::En { en } else { id }
            }
        }
    };
}

page_texts! {
    /// The link to the page in the other language, named in that language.
    OtherLanguage => ("English", "Bahasa Indonesia"),

    // The transparency report (`GET /transparency`).
    TransparencyTitle => (
        "Transparansi penurunan konten per platform",
        "Takedown transparency by platform",
    ),
    TransparencyIntro => (
        "Berapa permintaan penurunan konten yang dikirim kementerian ke setiap platform, dan bagaimana platform menjawabnya. Batas waktu: 24 jam, 4 jam untuk permintaan mendesak (Permenkominfo 5/2020).",
        "How many takedown requests the ministry sent to each platform, and how each platform answered. Deadlines: 24 hours, 4 hours for urgent requests (Permenkominfo 5/2020).",
    ),
    PeriodAll => ("Seluruh periode", "All time"),
    /// Followed by `: FROM – TO`.
    Period => ("Periode", "Period"),
    /// After a number: "12 requests".
    RequestsCounted => ("permintaan", "requests"),
    /// A column heading.
    Requests => ("Permintaan", "Requests"),
    ActedOnTime => ("Ditindak tepat waktu", "Acted on time"),
    ActedLate => ("Ditindak terlambat", "Acted late"),
    DeclinedByPlatform => ("Ditolak platform", "Declined by the platform"),
    Overdue => ("Lewat batas waktu, belum dijawab", "Past the deadline, unanswered"),
    OtherOutcomes => ("Lainnya (menunggu, butuh info)", "Other (waiting, needs info)"),
    Platform => ("Platform", "Platform"),
    Answered => ("Dijawab", "Answered"),
    MedianHours => ("Median jam menjawab", "Median hours to answer"),
    P90Hours => ("Persentil ke-90 (jam)", "90th percentile (hours)"),
    ComplianceRate => ("Tingkat kepatuhan", "Compliance rate"),
    Relistings => ("Muncul lagi setelah dihapus", "Re-listed after removal"),
    ComplaintsByCategory => ("Aduan per kategori", "Complaints by category"),
    Category => ("Kategori", "Category"),
    Complaints => ("Aduan", "Complaints"),
    Cases => ("Kasus", "Cases"),
    Rejected => ("Ditolak", "Rejected"),
    Forwarded => ("Diteruskan", "Forwarded"),
    Resolved => ("Selesai", "Resolved"),
    Total => ("Total", "Total"),
    NoRequests => ("Belum ada permintaan.", "No requests yet."),
    DownloadCsv => ("Unduh data (CSV)", "Download the data (CSV)"),
    TransparencyDefinitions => (
        "Tepat waktu: dijawab sebelum batas waktu. Ditindak: konten dihapus, dibatasi, atau diblokir untuk Indonesia. Tingkat kepatuhan: ditindak tepat waktu dibagi permintaan. Muncul lagi setelah dihapus: kasus baru atas listing (atau penjual yang tertaut) yang sebelumnya dihapus platform. Jam menjawab (median, persentil ke-90): dihitung dari histogram, selisih paling banyak 6,25% dari angka persis (atau satu menit di bawah 32 menit). Hari dihitung dalam UTC. Data agregat; tidak ada data pribadi.",
        "On time: answered before the deadline. Acted: content removed, restricted, or geo-blocked for Indonesia. Compliance rate: acted on time divided by requests. Re-listed after removal: new cases about a listing (or a linked seller) the platform had removed. Hours to answer (median, 90th percentile): from a histogram, within 6.25% of the exact figure (or a minute below 32 minutes). Days are UTC days. Aggregates only; no personal data.",
    ),

    // The privacy notice (`GET /privacy`): change `NOTICE_VERSION` with these texts.
    PrivacyTitle => ("Pemberitahuan privasi laporlapak", "laporlapak privacy notice"),
    /// Followed by the notice's version.
    Version => ("Versi", "Version"),
    PrivacyControllerHeading => ("Siapa pengendali data", "Who controls your data"),
    PrivacyController => (
        "Kementerian yang menjalankan laporlapak adalah pengendali data pribadi Anda menurut Undang-Undang Nomor 27 Tahun 2022 tentang Pelindungan Data Pribadi (UU PDP).",
        "The ministry that runs laporlapak controls your personal data under Law 27 of 2022 on Personal Data Protection (UU PDP).",
    ),
    PrivacyStoredHeading => ("Apa yang kami simpan", "What we store"),
    PrivacyStored => (
        "Akun: alamat e-mail, nama tampilan, kata sandi (hanya hash argon2), dan bila Anda pelaku UMKM, NIB serta nama usaha. Laporan: tautan dan uraian listing yang Anda laporkan, provinsi dan kota (opsional), berkas bukti, balasan Anda, dan alamat e-mail kontak bila Anda melapor tanpa akun.",
        "Account: e-mail address, display name, password (an argon2 hash only) and, if you are an UMKM seller, your NIB and business name. Complaints: the link and description of the listing you report, province and city (optional), evidence files, your replies, and a contact e-mail if you report without an account.",
    ),
    PrivacyEncryption => (
        "E-mail, nama, NIB, nama usaha, e-mail kontak, dan balasan Anda disimpan terenkripsi (XChaCha20-Poly1305); salinan basis data tanpa kuncinya tidak mengungkap siapa pun. Alamat IP tidak disimpan: pembatas laju hanya menyimpan pseudonim yang terhapus dalam 24 jam.",
        "E-mail, name, NIB, business name, contact e-mail and your replies are stored encrypted (XChaCha20-Poly1305); a copy of the database without its key reveals nobody. IP addresses are not stored: rate limits keep only pseudonyms, gone within 24 hours.",
    ),
    PrivacyRecipientsHeading => ("Siapa yang melihatnya", "Who sees it"),
    PrivacyRecipients => (
        "Platform tidak pernah menerima identitas pelapor. Peninjau dan administrator kementerian melihat pelapor yang tidak memilih anonim; setiap kali itu terjadi, dicatat dan Anda dapat melihatnya (peran, tujuan, waktu) di myData. Laporan transparansi publik hanya berisi angka agregat.",
        "Platforms never receive a reporter's identity. The ministry's reviewers and administrators see reporters who did not choose anonymity; every such view is recorded and you can see it (role, purpose, time) in myData. The public transparency report holds aggregates only.",
    ),
    PrivacyRetentionHeading => ("Berapa lama", "For how long"),
    PrivacyRetention => (
        "Satu tahun setelah kasus selesai (diselesaikan, ditolak, atau ditutup), e-mail kontak dan tautan laporan ke akun Anda dihapus; laporannya tetap dihitung. Akun disimpan sampai Anda menghapusnya.",
        "One year after a case ends (resolved, rejected or closed), the contact e-mail and the link from its complaints to your account are erased; the complaints still count. Your account is kept until you erase it.",
    ),
    PrivacyRightsHeading => ("Hak Anda", "Your rights"),
    PrivacyRights => (
        "Akses dan salinan: query myData memberikan semua data tentang Anda. Perbaikan: mutation updateMyProfile. Penghapusan: mutation deleteMyAccount (laporan tetap ada tanpa tautan ke Anda, karena kasus dapat sedang dalam proses hukum), atau eraseComplaintContact dengan kode pelacakan bila Anda melapor tanpa akun. Permintaan tertulis dijawab oleh operator.",
        "Access and a copy: the myData query gives everything held about you. Correction: the updateMyProfile mutation. Erasure: the deleteMyAccount mutation (complaints stay without any link to you, as a case may be under legal process), or eraseComplaintContact with the tracking code if you reported without an account. Requests by letter are answered by the operator.",
    ),

    // The GraphQL IDE of development servers (`GET /graphql` in a browser).
    /// Followed by a `login` mutation.
    IdeSignIn => (
        "Operasi yang butuh akun: masuk dengan",
        "Operations that need an account: sign in with",
    ),
    /// Followed by the `Authorization` header to enter.
    IdeThenHeader => (
        "lalu salin token ke tab Headers di bawah editor:",
        "then copy the token into the Headers tab below the editor:",
    ),
    IdeLoading => ("Memuat…", "Loading…"),
    IdeLicences => ("Lisensi GraphiQL dan React", "GraphiQL and React licences"),
    /// The editor's first content: how to use it, then a query that needs no account.
    IdeDefaultQuery => (
        "\
# laporlapak GraphQL: tulis kueri di sini, jalankan dengan ▶ (Ctrl-Enter).
# Skema dan penjelasannya: ikon buku di kiri atas.
#
# Operasi yang butuh akun: masuk dulu,
#   mutation { login(email: \"anda@contoh.id\", password: \"…\") { token } }
# lalu di tab Headers di bawah editor isi
#   {\"Authorization\": \"Bearer TOKEN\"}

{
  categories {
    code
    label
  }
}
",
        "\
# laporlapak GraphQL: write a query here, run it with ▶ (Ctrl-Enter).
# The schema and its descriptions: the book icon at the top left.
#
# Operations that need an account: sign in first,
#   mutation { login(email: \"you@example.id\", password: \"…\") { token } }
# then in the Headers tab below the editor enter
#   {\"Authorization\": \"Bearer TOKEN\"}

{
  categories {
    code
    label
  }
}
",
    ),
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
        };
        if lang == Lang::En { en } else { id }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn language_negotiation() {
        assert_eq!(Lang::from_accept_language(None), Lang::Id);
        assert_eq!(Lang::from_accept_language(Some("en")), Lang::En);
        assert_eq!(Lang::from_accept_language(Some("en-US,en;q=0.9")), Lang::En);
        assert_eq!(Lang::from_accept_language(Some("id-ID,en;q=0.5")), Lang::Id);
        assert_eq!(
            Lang::from_accept_language(Some("en;q=0.4,id;q=0.8")),
            Lang::Id
        );
        assert_eq!(Lang::from_accept_language(Some("fr")), Lang::Id);
    }

    /// Every `Msg` variant once, with sample values.
    fn every_msg() -> Vec<Msg> {
        let name = || "bukti.jpg".to_owned();
        let all = vec![
            Msg::Unauthenticated,
            Msg::InvalidToken,
            Msg::Forbidden,
            Msg::NotFound,
            Msg::Internal,
            Msg::RateLimited { retry_after: 30 },
            Msg::Unavailable { retry_after: 5 },
            Msg::Required,
            Msg::TooShort { min: 3 },
            Msg::TooLong { max: 200 },
            Msg::ControlCharacters,
            Msg::InvalidEmail,
            Msg::EmailTaken,
            Msg::PasswordTooShort { min: 12 },
            Msg::PasswordTooCommon,
            Msg::InvalidCredentials,
            Msg::InvalidNib,
            Msg::UnknownPlatform,
            Msg::PlatformRequired,
            Msg::PlatformNotAllowed,
            Msg::CannotDisableSelf,
            Msg::AlreadySignedIn,
            Msg::NotStaffRole,
            Msg::UnknownCategory,
            Msg::UrlNotHttp,
            Msg::UrlInvalid,
            Msg::UnknownPlatformHost,
            Msg::UrlPlatformMismatch {
                platform: "Tokopedia".to_owned(),
            },
            Msg::UnknownProvince,
            Msg::TooMany { max: 10 },
            Msg::IdempotencyKeyReused,
            Msg::IdempotencyKeyGuessable,
            Msg::CaseIsFinal {
                status: CaseStatus::Resolved,
            },
            Msg::AlreadyWithdrawn,
            Msg::InvalidCursor,
            Msg::OutOfRange { min: 1, max: 100 },
            Msg::TransitionNotAllowed {
                status: CaseStatus::Open,
            },
            Msg::ClaimedByAnother,
            Msg::MergeIntoItself,
            Msg::MergeAcrossPlatforms,
            Msg::ActedInFuture,
            Msg::ActedBeforeIssued,
            Msg::AlreadyAnswered,
            Msg::ApiClientRevoked,
            Msg::WebhookUrlInvalid,
            Msg::WebhookUrlNotHttps,
            Msg::WebhookUrlNotPublic,
            Msg::WebhookUrlPort,
            Msg::DuplicateInBatch,
            Msg::DeliveryPending,
            Msg::InvalidHost,
            Msg::HostTaken,
            Msg::InvalidSlug,
            Msg::PeriodReversed,
            Msg::BodyTooLarge { max_bytes: 1024 },
            Msg::MalformedRequest,
            Msg::JsonOnly,
            Msg::ContentTypeMissing,
            Msg::NotAcceptable,
            Msg::QueriesOnlyOverGet,
            Msg::VariableMissing {
                name: "input".to_owned(),
            },
            Msg::EvidenceTypeRefused { name: name() },
            Msg::EvidenceUnreadable { name: name() },
            Msg::FileTooLarge { max_bytes: 4096 },
            Msg::PreflightHeaderMissing,
            Msg::InvalidArgument {
                field: "from".to_owned(),
                date_time: true,
            },
            Msg::InvalidArgument {
                field: "first".to_owned(),
                date_time: false,
            },
            Msg::QueryTooComplex {
                cost: 900,
                limit: 500,
            },
            Msg::UploadMissing,
            Msg::InvalidPhone,
            Msg::InvalidBankAccount,
            Msg::LinkToItself,
            Msg::AlreadySameSeller,
            Msg::IdentifierNotOfCase,
            Msg::PrivacyNoticeOutdated,
            Msg::WrongPassword,
            Msg::CurrentPasswordRequired,
            Msg::NothingToChange,
            Msg::ContactAlreadyErased,
            Msg::KeptComplaints,
            Msg::KeptAuditTrail,
            Msg::KeptReplies,
            Msg::InvalidPeriodBound,
        ];
        // A new variant stops this match compiling: give it a sample above as well.
        for message in &all {
            match message {
                Msg::Unauthenticated
                | Msg::InvalidToken
                | Msg::Forbidden
                | Msg::NotFound
                | Msg::Internal
                | Msg::RateLimited { .. }
                | Msg::Unavailable { .. }
                | Msg::Required
                | Msg::TooShort { .. }
                | Msg::TooLong { .. }
                | Msg::ControlCharacters
                | Msg::InvalidEmail
                | Msg::EmailTaken
                | Msg::PasswordTooShort { .. }
                | Msg::PasswordTooCommon
                | Msg::InvalidCredentials
                | Msg::InvalidNib
                | Msg::UnknownPlatform
                | Msg::PlatformRequired
                | Msg::PlatformNotAllowed
                | Msg::CannotDisableSelf
                | Msg::AlreadySignedIn
                | Msg::NotStaffRole
                | Msg::UnknownCategory
                | Msg::UrlNotHttp
                | Msg::UrlInvalid
                | Msg::UnknownPlatformHost
                | Msg::UrlPlatformMismatch { .. }
                | Msg::UnknownProvince
                | Msg::TooMany { .. }
                | Msg::IdempotencyKeyReused
                | Msg::IdempotencyKeyGuessable
                | Msg::CaseIsFinal { .. }
                | Msg::AlreadyWithdrawn
                | Msg::InvalidCursor
                | Msg::OutOfRange { .. }
                | Msg::TransitionNotAllowed { .. }
                | Msg::ClaimedByAnother
                | Msg::MergeIntoItself
                | Msg::MergeAcrossPlatforms
                | Msg::ActedInFuture
                | Msg::ActedBeforeIssued
                | Msg::AlreadyAnswered
                | Msg::ApiClientRevoked
                | Msg::WebhookUrlInvalid
                | Msg::WebhookUrlNotHttps
                | Msg::WebhookUrlNotPublic
                | Msg::WebhookUrlPort
                | Msg::DuplicateInBatch
                | Msg::DeliveryPending
                | Msg::InvalidHost
                | Msg::HostTaken
                | Msg::InvalidSlug
                | Msg::PeriodReversed
                | Msg::BodyTooLarge { .. }
                | Msg::MalformedRequest
                | Msg::JsonOnly
                | Msg::ContentTypeMissing
                | Msg::NotAcceptable
                | Msg::QueriesOnlyOverGet
                | Msg::VariableMissing { .. }
                | Msg::EvidenceTypeRefused { .. }
                | Msg::EvidenceUnreadable { .. }
                | Msg::FileTooLarge { .. }
                | Msg::PreflightHeaderMissing
                | Msg::InvalidArgument { .. }
                | Msg::QueryTooComplex { .. }
                | Msg::UploadMissing
                | Msg::InvalidPhone
                | Msg::InvalidBankAccount
                | Msg::LinkToItself
                | Msg::AlreadySameSeller
                | Msg::IdentifierNotOfCase
                | Msg::PrivacyNoticeOutdated
                | Msg::WrongPassword
                | Msg::CurrentPasswordRequired
                | Msg::NothingToChange
                | Msg::ContactAlreadyErased
                | Msg::KeptComplaints
                | Msg::KeptAuditTrail
                | Msg::KeptReplies
                | Msg::InvalidPeriodBound => {}
            }
        }
        all
    }

    const EVERY_TIMELINE_NOTE: [TimelineNote; 12] = [
        TimelineNote::Received,
        TimelineNote::Withdrawn,
        TimelineNote::UnderReview,
        TimelineNote::BackInQueue,
        TimelineNote::Rejected,
        TimelineNote::InformationRequested,
        TimelineNote::InformationReceived,
        TimelineNote::ReviewResumed,
        TimelineNote::Forwarded,
        TimelineNote::Escalated,
        TimelineNote::MergedAway,
        TimelineNote::Closed,
    ];

    /// Texts the same in both languages on purpose: words Indonesian shares with English.
    const SAME_IN_BOTH: [PageText; 2] = [PageText::Platform, PageText::Total];

    /// Checks one text in both languages; `what` names it in a failure.
    fn check(what: &str, id: &str, en: &str, may_be_equal: bool) {
        for (lang, text) in [("id", id), ("en", en)] {
            assert!(!text.trim().is_empty(), "{what} is empty in {lang}");
            for placeholder in ["TODO", "FIXME", "XXX", "TBD", "lorem"] {
                assert!(
                    !text.contains(placeholder),
                    "{what} in {lang} is a placeholder: {text}"
                );
            }
        }
        assert!(
            may_be_equal || id != en,
            "{what} is not translated: {id:?} in both languages"
        );
    }

    #[test]
    fn every_message_is_written_in_both_languages() {
        for message in &every_msg() {
            let what = format!("{message:?}");
            check(
                &what,
                &message.text(Lang::Id),
                &message.text(Lang::En),
                false,
            );
        }
        for &text in PageText::ALL {
            check(
                &format!("{text:?}"),
                text.text(Lang::Id),
                text.text(Lang::En),
                SAME_IN_BOTH.contains(&text),
            );
        }
        for note in EVERY_TIMELINE_NOTE {
            // A new variant stops this match compiling: list it above as well.
            match note {
                TimelineNote::Received
                | TimelineNote::Withdrawn
                | TimelineNote::UnderReview
                | TimelineNote::BackInQueue
                | TimelineNote::Rejected
                | TimelineNote::InformationRequested
                | TimelineNote::InformationReceived
                | TimelineNote::ReviewResumed
                | TimelineNote::Forwarded
                | TimelineNote::Escalated
                | TimelineNote::MergedAway
                | TimelineNote::Closed => {}
            }
            check(
                &format!("{note:?}"),
                note.text(Lang::Id),
                note.text(Lang::En),
                false,
            );
        }
    }
}
