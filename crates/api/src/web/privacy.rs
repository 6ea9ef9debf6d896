//! `GET /privacy`: the privacy notice (Indonesian by default; `?lang=en` or `Accept-Language`
//! for English). Its version is `privacyNotice.version` in the schema, and registration records
//! the version a person accepted. Change [`NOTICE_VERSION`] with the text.
//!
//! [`NOTICE_VERSION`]: laporlapak_service::privacy::NOTICE_VERSION

use actix_web::{HttpRequest, HttpResponse, web};
use maud::{DOCTYPE, Markup, html};

use laporlapak_domain::i18n::Lang;
use laporlapak_service::privacy::NOTICE_VERSION;

#[derive(serde::Deserialize)]
pub struct NoticeQuery {
    lang: Option<String>,
}

/// One section of the notice: a heading and its paragraphs, in both languages.
struct Section {
    heading: (&'static str, &'static str),
    paragraphs: &'static [(&'static str, &'static str)],
}

const SECTIONS: &[Section] = &[
    Section {
        heading: ("Siapa pengendali data", "Who controls your data"),
        paragraphs: &[(
            "Kementerian yang menjalankan laporlapak adalah pengendali data pribadi Anda menurut Undang-Undang Nomor 27 Tahun 2022 tentang Pelindungan Data Pribadi (UU PDP).",
            "The ministry that runs laporlapak controls your personal data under Law 27 of 2022 on Personal Data Protection (UU PDP).",
        )],
    },
    Section {
        heading: ("Apa yang kami simpan", "What we store"),
        paragraphs: &[
            (
                "Akun: alamat e-mail, nama tampilan, kata sandi (hanya hash argon2), dan bila Anda pelaku UMKM, NIB serta nama usaha. Laporan: tautan dan uraian listing yang Anda laporkan, provinsi dan kota (opsional), berkas bukti, balasan Anda, dan alamat e-mail kontak bila Anda melapor tanpa akun.",
                "Account: e-mail address, display name, password (an argon2 hash only) and, if you are an UMKM seller, your NIB and business name. Complaints: the link and description of the listing you report, province and city (optional), evidence files, your replies, and a contact e-mail if you report without an account.",
            ),
            (
                "E-mail, nama, NIB, nama usaha, e-mail kontak, dan balasan Anda disimpan terenkripsi (XChaCha20-Poly1305); salinan basis data tanpa kuncinya tidak mengungkap siapa pun. Alamat IP tidak disimpan: pembatas laju hanya menyimpan pseudonim yang terhapus dalam 24 jam.",
                "E-mail, name, NIB, business name, contact e-mail and your replies are stored encrypted (XChaCha20-Poly1305); a copy of the database without its key reveals nobody. IP addresses are not stored: rate limits keep only pseudonyms, gone within 24 hours.",
            ),
        ],
    },
    Section {
        heading: ("Siapa yang melihatnya", "Who sees it"),
        paragraphs: &[(
            "Platform tidak pernah menerima identitas pelapor. Peninjau dan administrator kementerian melihat pelapor yang tidak memilih anonim; setiap kali itu terjadi, dicatat dan Anda dapat melihatnya (peran, tujuan, waktu) di myData. Laporan transparansi publik hanya berisi angka agregat.",
            "Platforms never receive a reporter's identity. The ministry's reviewers and administrators see reporters who did not choose anonymity; every such view is recorded and you can see it (role, purpose, time) in myData. The public transparency report holds aggregates only.",
        )],
    },
    Section {
        heading: ("Berapa lama", "For how long"),
        paragraphs: &[(
            "Satu tahun setelah kasus selesai (diselesaikan, ditolak, atau ditutup), e-mail kontak dan tautan laporan ke akun Anda dihapus; laporannya tetap dihitung. Akun disimpan sampai Anda menghapusnya.",
            "One year after a case ends (resolved, rejected or closed), the contact e-mail and the link from its complaints to your account are erased; the complaints still count. Your account is kept until you erase it.",
        )],
    },
    Section {
        heading: ("Hak Anda", "Your rights"),
        paragraphs: &[(
            "Akses dan salinan: query myData memberikan semua data tentang Anda. Perbaikan: mutation updateMyProfile. Penghapusan: mutation deleteMyAccount (laporan tetap ada tanpa tautan ke Anda, karena kasus dapat sedang dalam proses hukum), atau eraseComplaintContact dengan kode pelacakan bila Anda melapor tanpa akun. Permintaan tertulis dijawab oleh operator.",
            "Access and a copy: the myData query gives everything held about you. Correction: the updateMyProfile mutation. Erasure: the deleteMyAccount mutation (complaints stay without any link to you, as a case may be under legal process), or eraseComplaintContact with the tracking code if you reported without an account. Requests by letter are answered by the operator.",
        )],
    },
];

pub async fn notice(request: HttpRequest, query: web::Query<NoticeQuery>) -> HttpResponse {
    let lang = crate::web::page_lang(&request, query.lang.as_deref());
    HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .insert_header(("Content-Security-Policy", crate::web::headers::PAGE_POLICY))
        .insert_header(("Content-Language", lang.code()))
        .body(render(lang).into_string())
}

fn render(lang: Lang) -> Markup {
    let pick = |pair: &(&'static str, &'static str)| if lang == Lang::En { pair.1 } else { pair.0 };
    let title = pick(&(
        "Pemberitahuan privasi laporlapak",
        "laporlapak privacy notice",
    ));
    html! {
        (DOCTYPE)
        html lang=(lang.code()) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) }
            }
            body {
                h1 { (title) }
                p {
                    (pick(&("Versi", "Version"))) " " code { (NOTICE_VERSION) } " · "
                    a href={ "/privacy?lang=" (if lang == Lang::En { "id" } else { "en" }) } {
                        (pick(&("English", "Bahasa Indonesia")))
                    }
                }
                @for section in SECTIONS {
                    h2 { (pick(&section.heading)) }
                    @for paragraph in section.paragraphs {
                        p { (pick(paragraph)) }
                    }
                }
            }
        }
    }
}
