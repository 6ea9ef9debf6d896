//! [`PageText`]: the fixed words of the HTML pages (the transparency report, the privacy notice,
//! the GraphQL IDE), each variant with its Indonesian and English text.

use super::Lang;

/// Declares [`PageText`] from one list: every variant with its Indonesian and its English text (a
/// variant cannot be written without both), `PageText::ALL` in the list's order, and `text`, an
/// exhaustive match over the variants.
macro_rules! page_texts {
    ($($(#[$attr:meta])* $variant:ident => ($id:expr, $en:expr $(,)?),)*) => {
        /// The fixed words of the HTML pages, in both languages. Like `Msg`, a closed enum:
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
        "Berapa permintaan penurunan konten yang dikirim ke setiap platform, dan bagaimana platform menjawabnya. Pemberitahuan kementerian diukur terhadap waktu tanggap yang dijanjikan platform sendiri (bawaan 24 jam, 4 jam mendesak) — keterlambatan bukan pelanggaran hukum. Hanya perintah Komdigi yang memiliki batas waktu menurut Permenkominfo 5/2020 (1×24 jam sejak diterima, 4 jam untuk jenis mendesak).",
        "How many takedown requests went to each platform, and how each platform answered. The ministry's notices are measured against the platform's own committed response time (24 hours, 4 urgent, by default): a late answer is not a breach of the law. Only Komdigi's orders carry a statutory deadline under Permenkominfo 5/2020 (1×24 hours from receipt, 4 hours for the urgent kinds).",
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
    /// The legal chain's table: Komdigi's orders apart from the ministry's notices.
    LegalChainHeading => (
        "Perintah Komdigi dan pemberitahuan kementerian",
        "Komdigi orders and ministry notices",
    ),
    OrdersIssued => ("Perintah Komdigi", "Komdigi orders"),
    OrdersOnTime => ("Perintah dijawab dalam batas waktu hukum", "Orders answered within the statutory time"),
    StatutoryBreaches => ("Pelanggaran batas waktu hukum", "Statutory breaches"),
    Sanctions => ("Sanksi administratif", "Administrative sanctions"),
    NoticesIssued => ("Pemberitahuan kementerian", "Ministry notices"),
    NoticesLate => (
        "Pemberitahuan dijawab melewati waktu yang dijanjikan platform (bukan pelanggaran hukum)",
        "Notices answered after the platform's committed time (not a breach of the law)",
    ),
    Objections => ("Keberatan (sanggah): diajukan / diterima / ditolak", "Objections (sanggah): filed / upheld / rejected"),
    P90Hours => ("Persentil ke-90 (jam)", "90th percentile (hours)"),
    ComplianceRate => ("Tingkat kepatuhan", "Compliance rate"),
    Relistings => ("Muncul lagi setelah dihapus", "Re-listed after removal"),
    Reinstatements => ("Dipulihkan kembali oleh platform", "Later reinstated by the platform"),
    RemovalsConfirmed => (
        "Penghapusan dikonfirmasi pelapor",
        "Removals confirmed by reporters",
    ),
    RemovalsDisputed => ("Penghapusan dibantah pelapor", "Removals disputed by reporters"),
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

    RegisterLink => (
        "Daftar permintaan penurunan konten",
        "Register of takedown requests",
    ),

    // The register of takedown requests (`GET /register`).
    RegisterTitle => ("Daftar permintaan penurunan konten", "Register of takedown requests"),
    RegisterIntro => (
        "Setiap pemberitahuan kementerian dan perintah Komdigi kepada platform, sejak diterbitkan, dengan jawaban dan alasan platform. Tanpa alamat listing, nama akun, identitas penjual, pelapor, atau petugas.",
        "Every notice from the ministry and order from Komdigi to a platform, from the moment it is issued, with the platform's answer and reasons. Without the listing's address, the account name, the seller's identifiers, reporters or staff.",
    ),
    RegisterId => ("Nomor", "Id"),
    RegisterKind => ("Jenis", "Kind"),
    KindNotice => ("Pemberitahuan", "Notice"),
    KindOrder => ("Perintah", "Order"),
    RegisterUrgency => ("Urgensi", "Urgency"),
    RegisterLegalBasis => ("Dasar hukum", "Legal basis"),
    RegisterIssued => ("Diterbitkan", "Issued"),
    RegisterDue => ("Batas waktu", "Due"),
    RegisterAcknowledged => ("Diterima platform", "Acknowledged"),
    RegisterAnswered => ("Dijawab", "Answered"),
    RegisterOutcomeHeading => ("Hasil", "Outcome"),
    RegisterReasons => ("Alasan platform", "The platform's reasons"),
    RegisterObjections => ("Keberatan (sanggah)", "Objections"),
    RegisterRelisting => ("Muncul lagi", "Re-listing"),
    RegisterFilter => ("Saring", "Filter"),
    RegisterAll => ("Semua", "All"),
    RegisterFrom => ("Dari tanggal", "From"),
    RegisterTo => ("Sampai tanggal", "To"),
    RegisterNext => ("Halaman berikutnya", "Next page"),
    RegisterEmpty => ("Tidak ada permintaan untuk saringan ini.", "No requests match this filter."),
    RegisterCount => ("permintaan tercatat", "requests listed"),
    OutcomePending => ("Belum dijawab", "Not answered yet"),
    OutcomeActed => ("Ditindak", "Acted on"),
    OutcomeDeclined => ("Ditolak platform", "Declined"),
    OutcomeNeedsMoreInfo => ("Minta informasi tambahan", "More information asked"),
    OutcomeWithdrawn => ("Ditarik", "Withdrawn"),
    OutcomeReinstated => ("Dipulihkan platform", "Reinstated"),
    Yes => ("Ya", "Yes"),
    BackToScorecard => ("Kembali ke laporan transparansi", "Back to the transparency report"),

    // The ministry's own figures (on `GET /transparency`).
    MinistryHeading => ("Kinerja kementerian sendiri", "The ministry's own figures"),
    MinistryIntro => (
        "Per bulan (UTC), untuk kasus yang dibuka bulan itu: berapa cepat kementerian memutuskan (diteruskan, ditolak, dieskalasi, atau direkomendasikan ke Komdigi), yang belum diputuskan, pertanyaan kepada pelapor, penolakan menurut alasan, dan banding.",
        "Per month (UTC), for the cases opened that month: how fast the ministry decided them (forwarded, rejected, escalated or recommended to Komdigi), those still undecided, questions to reporters, rejections by reason, and appeals.",
    ),
    Month => ("Bulan", "Month"),
    Triaged => ("Diputuskan", "Decided"),
    MedianHoursToTriage => ("Median jam sampai keputusan", "Median hours to decision"),
    P90HoursToTriage => ("Persentil ke-90 jam sampai keputusan", "90th percentile hours to decision"),
    Undecided => ("Belum diputuskan", "Undecided"),
    QuestionsAsked => ("Pertanyaan kepada pelapor", "Questions to reporters"),
    QuestionsUnanswered => ("Tidak dijawab", "Left unanswered"),
    Appeals => ("Banding (menunggu/ditolak/dikabulkan)", "Appeals (pending/upheld/granted)"),
    BacklogByAge => ("Belum diputuskan menurut umur", "Undecided by age"),
    RejectedByReason => ("Ditolak menurut alasan", "Rejected by reason"),
    DownloadMinistryCsv => ("Unduh kinerja kementerian (CSV)", "Download the ministry's figures (CSV)"),

    // Trends (on `GET /transparency`).
    TrendsHeading => ("Tren bulanan per platform", "Monthly trends by platform"),
    TrendsIntro => (
        "Garis: tingkat kepatuhan per bulan (0–100%). Angka di bawah tiap bulan: permintaan / median jam menjawab / muncul lagi / dipulihkan.",
        "Line: compliance rate per month (0–100%). Figures under each month: requests / median hours to answer / re-listings / reinstatements.",
    ),

    // The privacy notice (`GET /privacy`): change `NOTICE_VERSION` with these texts.
    // Unsubscribing from notification mails (`/mail/unsubscribe`).
    MailUnsubscribeTitle => ("Berhenti menerima surel", "Stop receiving e-mails"),
    MailUnsubscribeAsk => (
        "Tekan tombol di bawah untuk berhenti menerima kabar laporan Anda lewat surel.",
        "Press the button below to stop receiving news of your report by e-mail.",
    ),
    MailUnsubscribeButton => ("Berhenti berlangganan", "Unsubscribe"),
    MailUnsubscribed => (
        "Selesai. Anda tidak akan menerima surel tentang laporan ini lagi.",
        "Done. You will not receive e-mails about this report any more.",
    ),
    MailUnsubscribeInvalid => (
        "Tautan ini tidak berlaku.",
        "This link is not valid.",
    ),
    // "Is it still online?" (`/mail/still-online`).
    StillOnlineTitle => ("Apakah tautannya masih ada?", "Is the listing still online?"),
    StillOnlineAsk => (
        "Platform menyatakan telah menindak tautan yang Anda laporkan. Apakah tautan itu masih bisa dibuka?",
        "The platform says it acted on the listing you reported. Can it still be opened?",
    ),
    StillOnlineYes => ("Ya, masih bisa dibuka", "Yes, it is still online"),
    StillOnlineNo => ("Tidak, sudah hilang", "No, it is gone"),
    StillOnlineThanks => (
        "Terima kasih. Jawaban Anda telah dicatat.",
        "Thank you. Your answer has been recorded.",
    ),
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
