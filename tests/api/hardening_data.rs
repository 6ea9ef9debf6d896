//! Hardening of the data a reporter leaves behind: redaction by allow-list (a corpus that hides a
//! marker in every place each image container allows, downloaded as a platform), what is
//! extracted from a reporter's words, erasure that holds (also after a restore of an older
//! backup), tracking codes and file names that are not in clear at rest, what a platform sees, and
//! what retention and `myData` cover.

use serde_json::json;

use crate::evidence::{gps_jpeg, submit_with_files};
use crate::fixtures;
use crate::helpers::{Backend, TestApp};

crate::on_both_backends!(
    a_platform_downloads_no_marker_from_any_place_a_container_allows,
    a_file_that_is_only_a_signature_is_refused,
);

/// What every hidden piece carries; no redacted download may hold it.
const MARKER: &[u8] = b"RAHASIA-PENANDA";

// --- image corpus ----------------------------------------------------------------------------

fn jpeg_segment(marker: u8, contents: &[u8]) -> Vec<u8> {
    let mut s = vec![0xFF, marker];
    s.extend_from_slice(&u16::try_from(contents.len() + 2).unwrap().to_be_bytes());
    s.extend_from_slice(contents);
    s
}

/// An 8×8 grey baseline JPEG with the marker in every place JPEG lets a writer put bytes that do
/// not draw the picture: APP0 (a JFIF thumbnail), APP1 (EXIF, XMP), APP2 (an ICC profile),
/// APP13, APP14 (Adobe, past its fields), APP15, COM before the frame, between tables, after the
/// scan (where a progressive file's next scan would be), and after the end of the image.
fn jpeg_corpus() -> Vec<u8> {
    let m = MARKER;
    let mut jpeg = vec![0xFF, 0xD8];
    jpeg.extend(jpeg_segment(
        0xE0,
        &[
            b"JFIF\0\x01\x02\0\0\x01\0\x01\x01\x01".as_slice(),
            &[0, 0, 0],
            m,
        ]
        .concat(),
    ));
    jpeg.extend(jpeg_segment(
        0xE1,
        &[b"Exif\0\0MM\0*".as_slice(), m].concat(),
    ));
    jpeg.extend(jpeg_segment(
        0xE1,
        &[b"http://ns.adobe.com/xap/1.0/\0".as_slice(), m].concat(),
    ));
    jpeg.extend(jpeg_segment(
        0xE2,
        &[b"ICC_PROFILE\0\x01\x01desc".as_slice(), m].concat(),
    ));
    jpeg.extend(jpeg_segment(
        0xED,
        &[b"Photoshop 3.0\08BIM".as_slice(), m].concat(),
    ));
    jpeg.extend(jpeg_segment(
        0xEE,
        &[b"Adobe\0\x64\0\0\0\0\x01".as_slice(), m].concat(),
    ));
    jpeg.extend(jpeg_segment(0xEF, m));
    jpeg.extend(jpeg_segment(0xFE, m));
    jpeg.extend(jpeg_segment(0xDB, &[[0u8].as_slice(), &[1u8; 64]].concat()));
    jpeg.extend(jpeg_segment(0xFE, m));
    jpeg.extend(jpeg_segment(0xC0, &[8, 0, 8, 0, 8, 1, 1, 0x11, 0]));
    let mut dc = vec![0x00, 1];
    dc.extend_from_slice(&[0; 15]);
    dc.push(0);
    jpeg.extend(jpeg_segment(0xC4, &dc));
    jpeg.extend(jpeg_segment(0xE3, m));
    let mut ac = vec![0x10, 1];
    ac.extend_from_slice(&[0; 15]);
    ac.push(0);
    jpeg.extend(jpeg_segment(0xC4, &ac));
    jpeg.extend(jpeg_segment(0xDA, &[1, 1, 0, 0, 0x3F, 0]));
    jpeg.extend_from_slice(&[0x3F]);
    // After the first scan: where a progressive JPEG's further scans and tables sit.
    jpeg.extend(jpeg_segment(0xFE, m));
    jpeg.extend(jpeg_segment(
        0xE1,
        &[b"Exif\0\0MM\0*".as_slice(), m].concat(),
    ));
    jpeg.extend_from_slice(&[0xFF, 0xD9]);
    jpeg.extend_from_slice(m);
    jpeg
}

fn png_chunk(kind: &[u8; 4], data: &[u8]) -> Vec<u8> {
    img_parts::png::PngChunk::new(*kind, bytes::Bytes::copy_from_slice(data))
        .encoder()
        .bytes()
        .to_vec()
}

/// A 1×1 grey PNG with the marker in every ancillary chunk that can hold text or data, in a
/// private chunk between two IDATs, in an ICC profile's name, and after IEND.
fn png_corpus() -> Vec<u8> {
    let m = MARKER;
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    png.extend(png_chunk(b"IHDR", &[0, 0, 0, 1, 0, 0, 0, 1, 8, 0, 0, 0, 0]));
    png.extend(png_chunk(b"tEXt", &[b"Author\0".as_slice(), m].concat()));
    png.extend(png_chunk(b"iCCP", &[m, b"\0\0x".as_slice()].concat()));
    png.extend(png_chunk(b"eXIf", &[b"MM\0*".as_slice(), m].concat()));
    png.extend(png_chunk(b"zTXt", &[m, b"\0\0".as_slice()].concat()));
    png.extend(png_chunk(
        b"iTXt",
        &[b"XML:com.adobe.xmp\0\0\0\0\0".as_slice(), m].concat(),
    ));
    png.extend(png_chunk(b"sPLT", &[m, b"\0\x08".as_slice()].concat()));
    png.extend(png_chunk(b"tIME", &[0x07, 0xEA, 12, 7, 10, 0, 0]));
    png.extend(png_chunk(b"IDAT", &[0x78, 0x9C, 0x63, 0x60]));
    png.extend(png_chunk(b"prVt", m));
    png.extend(png_chunk(b"IDAT", &[0x00, 0x00, 0x00, 0x02, 0x00, 0x01]));
    png.extend(png_chunk(b"IEND", b""));
    png.extend_from_slice(m);
    png
}

fn riff_chunk(id: &[u8; 4], data: &[u8]) -> Vec<u8> {
    let mut c = id.to_vec();
    c.extend_from_slice(&u32::try_from(data.len()).unwrap().to_le_bytes());
    c.extend_from_slice(data);
    if data.len() % 2 == 1 {
        c.push(0);
    }
    c
}

fn riff(chunks: &[Vec<u8>], trailer: &[u8]) -> Vec<u8> {
    let body: Vec<u8> = chunks.concat();
    let mut file = b"RIFF".to_vec();
    file.extend_from_slice(&u32::try_from(body.len() + 4).unwrap().to_le_bytes());
    file.extend_from_slice(b"WEBP");
    file.extend(body);
    file.extend_from_slice(trailer);
    file
}

/// A 1×1 lossless WebP frame.
const VP8L: [u8; 14] = [
    0x2F, 0, 0, 0, 0, 0x07, 0x10, 0x11, 0x10, 0x88, 0x88, 0xFE, 0x07, 0,
];

/// A still WebP with the marker in ICCP, EXIF, XMP, an unknown chunk before and after the image,
/// VP8X's reserved bytes, and after the RIFF's end.
fn webp_corpus() -> Vec<u8> {
    let m = MARKER;
    riff(
        &[
            riff_chunk(b"VP8X", &[0x3C, b'R', b'H', b'S', 0, 0, 0, 0, 0, 0]),
            riff_chunk(b"ICCP", &[b"desc".as_slice(), m].concat()),
            riff_chunk(b"LLMK", m),
            riff_chunk(b"VP8L", &VP8L),
            riff_chunk(b"EXIF", &[b"MM\0*".as_slice(), m].concat()),
            riff_chunk(b"XMP ", m),
            riff_chunk(b"ZZZZ", m),
        ],
        m,
    )
}

/// An animated WebP whose frame holds an unknown chunk with the marker beside its image, and
/// metadata chunks after the frames.
fn animated_webp_corpus() -> Vec<u8> {
    let m = MARKER;
    let mut frame = vec![0u8; 16];
    frame.extend(riff_chunk(b"UNKN", m));
    frame.extend(riff_chunk(b"VP8L", &VP8L));
    riff(
        &[
            riff_chunk(b"VP8X", &[0x0E, 0, 0, 0, 0, 0, 0, 0, 0, 0]),
            riff_chunk(b"ANIM", &[0, 0, 0, 0, 0, 0]),
            riff_chunk(b"ANMF", &frame),
            riff_chunk(b"EXIF", &[b"MM\0*".as_slice(), m].concat()),
            riff_chunk(b"XMP ", m),
        ],
        b"",
    )
}

fn holds(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

// --- desk ------------------------------------------------------------------------------------

/// Every redacted file of a case, as the platform downloads it.
async fn platform_downloads(app: &TestApp, platform: &str, case_id: &str) -> Vec<Vec<u8>> {
    let urls = app
        .gql(
            Some(platform),
            "query($id: ID!) { case(id: $id) { evidenceFiles { downloadUrl(variant: REDACTED) } } }",
            json!({ "id": case_id }),
        )
        .await;
    let mut files = Vec::new();
    for file in urls.ok()["case"]["evidenceFiles"].as_array().unwrap() {
        let url = file["downloadUrl"].as_str().unwrap();
        let (status, _, bytes) = app.get_bytes_as(url, Some(platform)).await;
        assert_eq!(status, 200);
        files.push(bytes);
    }
    files
}

// --- item 3: redaction -----------------------------------------------------------------------

async fn a_platform_downloads_no_marker_from_any_place_a_container_allows(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let reviewer = fixtures::reviewer(&app).await;
    let instagram = fixtures::representative(&app, "instagram").await;
    let corpus = [
        ("a.jpg", jpeg_corpus()),
        ("b.png", png_corpus()),
        ("c.webp", webp_corpus()),
        ("d.webp", animated_webp_corpus()),
    ];
    for (name, bytes) in &corpus {
        assert!(holds(bytes, MARKER), "{name} carries the marker");
    }
    let submitted = submit_with_files(
        &app,
        None,
        "https://www.instagram.com/p/Corpus1/",
        &corpus
            .iter()
            .map(|(n, b)| (*n, b.clone()))
            .collect::<Vec<_>>(),
    )
    .await;
    let complaint_id = submitted.ok()["submitComplaint"]["complaint"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let case_id = fixtures::case_id_of(&app, &complaint_id).await;
    fixtures::claim_and_forward_case(&app, &reviewer, &case_id, json!({})).await;
    let downloads = platform_downloads(&app, &instagram, &case_id).await;
    assert_eq!(downloads.len(), corpus.len());
    for (download, (name, _)) in downloads.iter().zip(&corpus) {
        assert!(
            !holds(download, MARKER),
            "{name}: the marker reached the platform"
        );
    }
    // Still pictures: the pieces that draw them are all there.
    let jpeg = img_parts::jpeg::Jpeg::from_bytes(downloads[0].clone().into()).unwrap();
    let markers: Vec<u8> = jpeg.segments().iter().map(|s| s.marker()).collect();
    assert_eq!(markers, vec![0xE0, 0xEE, 0xDB, 0xC0, 0xC4, 0xC4, 0xDA]);
    assert!(downloads[0].ends_with(&[0x3F, 0xFF, 0xD9]));
    let png = img_parts::png::Png::from_bytes(downloads[1].clone().into()).unwrap();
    let kinds: Vec<[u8; 4]> = png.chunks().iter().map(|c| c.kind()).collect();
    assert_eq!(kinds, vec![*b"IHDR", *b"IDAT", *b"IDAT", *b"IEND"]);
    for webp in &downloads[2..] {
        assert!(holds(webp, &VP8L), "the frame is kept");
    }
}

async fn a_file_that_is_only_a_signature_is_refused(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let empty_images: [(&str, Vec<u8>); 4] = [
        ("kosong.png", b"\x89PNG\r\n\x1a\n".to_vec()),
        ("kosong.jpg", vec![0xFF, 0xD8, 0xFF, 0xD9]),
        ("kosong.webp", riff(&[], b"")),
        (
            "tanpa-gambar.png",
            [
                b"\x89PNG\r\n\x1a\n".as_slice(),
                &png_chunk(b"IHDR", &[0, 0, 0, 1, 0, 0, 0, 1, 8, 0, 0, 0, 0]),
                &png_chunk(b"IEND", b""),
            ]
            .concat(),
        ),
    ];
    for (name, bytes) in empty_images {
        let reply = submit_with_files(
            &app,
            None,
            "https://www.instagram.com/p/Kosong1/",
            &[(name, bytes)],
        )
        .await;
        reply.expect_code("BAD_USER_INPUT");
        assert_eq!(reply.field(), "input.files[0]", "{name}");
        assert!(reply.message().contains(name), "{}", reply.message());
    }
    // Nothing of the refused requests was filed.
    let whole = submit_with_files(
        &app,
        None,
        "https://www.instagram.com/p/Kosong1/",
        &[("foto.jpg", gps_jpeg("whole"))],
    )
    .await;
    assert_eq!(
        whole.ok()["submitComplaint"]["complaint"]["files"][0]["mediaType"],
        "image/jpeg"
    );
}
