//! Evidence files: uploads through the GraphQL multipart request specification, the SHA-256 kept
//! from intake, the redacted variant platforms get (parsed back to prove it holds no EXIF or GPS),
//! who may download which variant, the caps applied to the stream, duplicates, `verify-evidence`,
//! and a server killed in the middle of an upload. Each runs on both databases and, where the
//! store matters, on both stores (S3 against a local S3-compatible server, see `.ci/moto`).

use std::io::{Read as _, Write as _};
use std::time::Duration;

use serde_json::{Value, json};
use sha2::{Digest as _, Sha256};

use crate::fixtures::{self, Desk, case_id_of, desk};
use crate::helpers::{Backend, PASSWORD, Reply, TestApp};
use crate::intake::complaint;
use crate::review::{REQUEST_INFO, act};
use laporlapak::config::Settings;
use laporlapak::storage::{S3Settings, StoreSettings};

/// Which store a test server keeps evidence in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Store {
    Local,
    S3,
}

/// Like `on_both_backends!`, for each store too: `sqlite_local`, `postgres_local`, `sqlite_s3`,
/// `postgres_s3`. The S3 ones are ignored unless `TEST_S3_ENDPOINT` was set when the tests were
/// built (`.ci/moto/start.sh` starts such a server), and the PostgreSQL ones unless
/// `TEST_DATABASE_URL` was.
macro_rules! on_both_stores {
    ($($name:ident),* $(,)?) => {
        $(
            mod $name {
                use super::Store;
                use crate::helpers::Backend;
                #[actix_web::test]
                async fn sqlite_local() {
                    super::$name(Backend::Sqlite, Store::Local).await
                }
                #[actix_web::test]
                #[cfg_attr(
                    not(laporlapak_postgres_tests),
                    ignore = "set TEST_DATABASE_URL=postgres://… to run on PostgreSQL"
                )]
                async fn postgres_local() {
                    super::$name(Backend::Postgres, Store::Local).await
                }
                #[actix_web::test]
                #[cfg_attr(
                    not(laporlapak_s3_tests),
                    ignore = "start .ci/moto/start.sh and set TEST_S3_ENDPOINT to run on S3"
                )]
                async fn sqlite_s3() {
                    super::$name(Backend::Sqlite, Store::S3).await
                }
                #[actix_web::test]
                #[cfg_attr(
                    any(not(laporlapak_postgres_tests), not(laporlapak_s3_tests)),
                    ignore = "needs both TEST_DATABASE_URL and TEST_S3_ENDPOINT"
                )]
                async fn postgres_s3() {
                    super::$name(Backend::Postgres, Store::S3).await
                }
            }
        )*
    };
}

on_both_stores!(a_gps_photo_is_kept_whole_for_reviewers_and_reaches_platforms_without_metadata,);

crate::on_both_backends!(
    a_stored_file_altered_behind_the_database_is_cut_off_not_served,
    a_renamed_executable_is_refused_naming_the_file,
    an_oversized_upload_is_refused_with_413_before_it_is_read,
    a_multipart_request_without_the_preflight_header_is_refused,
);

pub const SUBMIT: &str = "mutation($input: SubmitComplaintInput!) { submitComplaint(input: $input) {
    trackingCode complaint { id files { id name mediaType original { sha256 size } redacted { sha256 size } } } } }";
const CASE_FILES: &str =
    "query($id: ID!) { case(id: $id) { evidenceFiles { id name mediaType reportCount
    original { sha256 size } redacted { sha256 size } } } }";

// --- fixtures ------------------------------------------------------------------------------

/// EXIF (big-endian TIFF) with a camera make and a GPS position: 6°10'S 106°49'E, Jakarta.
fn exif_with_gps() -> Vec<u8> {
    let mut tiff = b"MM\0\x2a\0\0\0\x08".to_vec();
    let entry = |tag: u16, kind: u16, count: u32, value: [u8; 4]| {
        let mut e = tag.to_be_bytes().to_vec();
        e.extend_from_slice(&kind.to_be_bytes());
        e.extend_from_slice(&count.to_be_bytes());
        e.extend_from_slice(&value);
        e
    };
    // IFD0 at 8: Make, GPS IFD pointer → GPS IFD at 8 + 2 + 24 + 4 = 38.
    tiff.extend_from_slice(&2u16.to_be_bytes());
    tiff.extend(entry(0x010F, 2, 4, *b"Abc\0"));
    tiff.extend(entry(0x8825, 4, 1, 38u32.to_be_bytes()));
    tiff.extend_from_slice(&0u32.to_be_bytes());
    // GPS IFD at 38: four entries → rationals at 38 + 2 + 48 + 4 = 92 and 116.
    tiff.extend_from_slice(&4u16.to_be_bytes());
    tiff.extend(entry(0x0001, 2, 2, *b"S\0\0\0"));
    tiff.extend(entry(0x0002, 5, 3, 92u32.to_be_bytes()));
    tiff.extend(entry(0x0003, 2, 2, *b"E\0\0\0"));
    tiff.extend(entry(0x0004, 5, 3, 116u32.to_be_bytes()));
    tiff.extend_from_slice(&0u32.to_be_bytes());
    for (numerator, denominator) in [(6u32, 1u32), (10, 1), (0, 1), (106, 1), (49, 1), (0, 1)] {
        tiff.extend_from_slice(&numerator.to_be_bytes());
        tiff.extend_from_slice(&denominator.to_be_bytes());
    }
    tiff
}

fn segment(marker: u8, contents: &[u8]) -> Vec<u8> {
    let mut s = vec![0xFF, marker];
    s.extend_from_slice(&u16::try_from(contents.len() + 2).unwrap().to_be_bytes());
    s.extend_from_slice(contents);
    s
}

/// A complete 8×8 grey baseline JPEG, as a phone would send it: EXIF with GPS, XMP with GPS and
/// the device, IPTC, a comment, and a preview appended after the image.
pub fn gps_jpeg(salt: &str) -> Vec<u8> {
    let mut jpeg = vec![0xFF, 0xD8];
    jpeg.extend(segment(0xE0, b"JFIF\0\x01\x01\0\0\x01\0\x01\0\0"));
    let mut exif = b"Exif\0\0".to_vec();
    exif.extend(exif_with_gps());
    jpeg.extend(segment(0xE1, &exif));
    jpeg.extend(segment(
        0xE1,
        b"http://ns.adobe.com/xap/1.0/\0<x:xmpmeta><rdf:Description exif:GPSLatitude=\"6,10.0S\" tiff:Model=\"Pixel Rahasia\"/></x:xmpmeta>",
    ));
    jpeg.extend(segment(
        0xED,
        b"Photoshop 3.0\08BIM\x04\x04\0\0\0\0\0\x0cBy Budi Rahasia",
    ));
    jpeg.extend(segment(0xFE, format!("Budi's phone {salt}").as_bytes()));
    jpeg.extend(segment(0xDB, &[[0u8].as_slice(), &[1u8; 64]].concat()));
    jpeg.extend(segment(0xC0, &[8, 0, 8, 0, 8, 1, 1, 0x11, 0]));
    let mut dc = vec![0x00, 1];
    dc.extend_from_slice(&[0; 15]);
    dc.push(0);
    jpeg.extend(segment(0xC4, &dc));
    let mut ac = vec![0x10, 1];
    ac.extend_from_slice(&[0; 15]);
    ac.push(0);
    jpeg.extend(segment(0xC4, &ac));
    jpeg.extend(segment(0xDA, &[1, 1, 0, 0, 0x3F, 0]));
    // DC difference 0, then end of block: two zero bits, padded with ones.
    jpeg.extend_from_slice(&[0x3F, 0xFF, 0xD9]);
    // What some phones append: a preview with its own EXIF.
    jpeg.extend_from_slice(&[0xFF, 0xD8]);
    jpeg.extend(segment(0xE1, &exif));
    jpeg.extend_from_slice(&[0xFF, 0xD9]);
    jpeg
}

fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// What `sha256sum` prints for these bytes (the operator's own tool, not ours).
fn sha256sum(bytes: &[u8]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("file");
    std::fs::write(&path, bytes).unwrap();
    let out = std::process::Command::new("sha256sum")
        .arg(&path)
        .output()
        .expect("sha256sum runs");
    String::from_utf8_lossy(&out.stdout)
        .split_whitespace()
        .next()
        .unwrap_or_default()
        .to_owned()
}

/// The EXIF fields an independent parser (kamadak-exif) finds in these bytes.
fn exif_fields(bytes: &[u8]) -> Vec<exif::Tag> {
    match exif::Reader::new().read_from_container(&mut std::io::Cursor::new(bytes)) {
        Ok(exif) => exif.fields().map(|f| f.tag).collect(),
        Err(_) => Vec::new(),
    }
}

// --- requests ------------------------------------------------------------------------------

/// A GraphQL multipart request body: `operations`, `map`, then each file under the variable path
/// it fills. Returns (content type, body).
pub fn multipart_body(
    query: &str,
    variables: Value,
    files: &[(&str, &str, Vec<u8>)],
) -> (String, Vec<u8>) {
    let boundary = "----laporlapak-test-boundary-7MA4YWxkTrZu0gW";
    let mut body = Vec::new();
    let mut part = |headers: String, content: &[u8]| {
        body.extend_from_slice(format!("--{boundary}\r\n{headers}\r\n\r\n").as_bytes());
        body.extend_from_slice(content);
        body.extend_from_slice(b"\r\n");
    };
    let operations = json!({ "query": query, "variables": variables }).to_string();
    part(
        "Content-Disposition: form-data; name=\"operations\"".to_owned(),
        operations.as_bytes(),
    );
    let map: serde_json::Map<String, Value> = files
        .iter()
        .enumerate()
        .map(|(i, (path, _, _))| (i.to_string(), json!([path])))
        .collect();
    part(
        "Content-Disposition: form-data; name=\"map\"".to_owned(),
        Value::Object(map).to_string().as_bytes(),
    );
    for (i, (_, name, bytes)) in files.iter().enumerate() {
        part(
            format!(
                "Content-Disposition: form-data; name=\"{i}\"; filename=\"{name}\"\r\nContent-Type: image/jpeg"
            ),
            bytes,
        );
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

/// Sends a multipart request with the `GraphQL-Preflight` header.
pub async fn upload(
    app: &TestApp,
    token: Option<&str>,
    query: &str,
    variables: Value,
    files: &[(&str, &str, Vec<u8>)],
) -> Reply {
    let (content_type, body) = multipart_body(query, variables, files);
    let bearer = token.map(|t| format!("Bearer {t}"));
    let mut headers = vec![
        ("Content-Type", content_type.as_str()),
        ("GraphQL-Preflight", "1"),
    ];
    if let Some(bearer) = &bearer {
        headers.push(("Authorization", bearer.as_str()));
    }
    app.post_bytes(&headers, body).await
}

/// Submits a complaint about `url` with these files (anonymously without a token).
pub async fn submit_with_files(
    app: &TestApp,
    token: Option<&str>,
    url: &str,
    files: &[(&str, Vec<u8>)],
) -> Reply {
    let mut input = complaint(url);
    input["files"] = json!(vec![Value::Null; files.len()]);
    let paths: Vec<String> = (0..files.len())
        .map(|i| format!("variables.input.files.{i}"))
        .collect();
    let parts: Vec<(&str, &str, Vec<u8>)> = files
        .iter()
        .zip(&paths)
        .map(|((name, bytes), path)| (path.as_str(), *name, bytes.clone()))
        .collect();
    upload(app, token, SUBMIT, json!({ "input": input }), &parts).await
}

async fn spawn(backend: Backend, store: Store) -> TestApp {
    spawn_tuned(backend, store, |_| {}).await
}

async fn spawn_tuned(backend: Backend, store: Store, tune: impl FnOnce(&mut Settings)) -> TestApp {
    let s3 = match store {
        Store::Local => None,
        Store::S3 => Some(s3_bucket().await),
    };
    TestApp::spawn_tuned(backend, move |settings| {
        if let Some(s3) = s3 {
            settings.evidence.store = StoreSettings::S3(s3);
        }
        tune(settings);
    })
    .await
}

/// A fresh bucket on the local S3-compatible server named by `TEST_S3_ENDPOINT`.
async fn s3_bucket() -> S3Settings {
    let endpoint = std::env::var("TEST_S3_ENDPOINT")
        .ok()
        .filter(|e| !e.is_empty())
        .expect("TEST_S3_ENDPOINT names the local S3 server (.ci/moto/start.sh)");
    let mut random = [0u8; 6];
    getrandom::fill(&mut random).unwrap();
    let bucket = format!(
        "laporlapak-test-{}",
        random
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect::<String>()
    );
    let created = awc::Client::default()
        .put(format!("{endpoint}/{bucket}"))
        .send()
        .await
        .expect("the S3 server answers");
    assert!(
        created.status().is_success(),
        "bucket not created: {created:?}"
    );
    S3Settings {
        bucket,
        endpoint: Some(endpoint),
        region: "us-east-1".to_owned(),
        access_key_id: Some(laporlapak::config::Secret("testing".to_owned())),
        secret_access_key: Some(laporlapak::config::Secret("testing".to_owned())),
        prefix: "evidence/".to_owned(),
        allow_http: true,
    }
}

async fn download_url(app: &TestApp, token: &str, case_id: &str, variant: &str) -> Reply {
    app.gql(
        Some(token),
        "query($id: ID!, $v: EvidenceVariant) { case(id: $id) { evidenceFiles { downloadUrl(variant: $v) } } }",
        json!({ "id": case_id, "v": variant }),
    )
    .await
}

fn url_of(reply: &Reply) -> String {
    reply.ok()["case"]["evidenceFiles"][0]["downloadUrl"]
        .as_str()
        .expect("a download URL")
        .to_owned()
}

async fn evidence_events(app: &TestApp, reviewer: &str, case_id: &str) -> Vec<Value> {
    let reply = app
        .gql(
            Some(reviewer),
            "query($id: ID!) { case(id: $id) { events { action actorRole details actor { email } } } }",
            json!({ "id": case_id }),
        )
        .await;
    reply.ok()["case"]["events"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["action"] == "evidence.read")
        .cloned()
        .collect()
}

// --- tests ---------------------------------------------------------------------------------

async fn a_gps_photo_is_kept_whole_for_reviewers_and_reaches_platforms_without_metadata(
    backend: Backend,
    store: Store,
) {
    let app = spawn(backend, store).await;
    let Desk {
        reviewer,
        instagram,
        tiktok,
    } = desk(&app).await;
    let photo = gps_jpeg("a");
    // The fixture does carry what must not leak: the test could fail.
    let original_tags = exif_fields(&photo);
    assert!(
        original_tags.contains(&exif::Tag::GPSLatitude),
        "{original_tags:?}"
    );

    let submitted = submit_with_files(
        &app,
        None,
        "https://www.instagram.com/p/GpsPhoto1/",
        &[("IMG_20261130_Rumah_Budi.jpg", photo.clone())],
    )
    .await;
    let submitted = &submitted.ok()["submitComplaint"];
    let file = &submitted["complaint"]["files"][0];
    assert_eq!(file["mediaType"], "image/jpeg");
    assert_eq!(file["name"], "IMG_20261130_Rumah_Budi.jpg");
    assert_eq!(file["original"]["sha256"], sha256sum(&photo).as_str());
    assert_eq!(file["original"]["size"], photo.len());
    let redacted_hash = file["redacted"]["sha256"].as_str().unwrap().to_owned();
    assert_ne!(redacted_hash, sha256_hex(&photo));

    // The reviewer downloads the original, byte for byte, as an attachment that cannot run.
    let complaint_id = submitted["complaint"]["id"].as_str().unwrap();
    let case_id = case_id_of(&app, complaint_id).await;
    let files = app
        .gql(Some(&reviewer), CASE_FILES, json!({ "id": case_id }))
        .await;
    let staff_file = &files.ok()["case"]["evidenceFiles"][0];
    assert_eq!(staff_file["original"]["sha256"], sha256sum(&photo).as_str());
    assert_eq!(staff_file["reportCount"], 1);
    let original_url = url_of(&download_url(&app, &reviewer, &case_id, "ORIGINAL").await);
    let (status, headers, bytes) = app.get_bytes_as(&original_url, Some(&reviewer)).await;
    assert_eq!(status, 200);
    assert!(bytes == photo, "the original comes back byte for byte");
    let header = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    };
    assert!(header("content-disposition").starts_with("attachment;"));
    assert_eq!(header("x-content-type-options"), "nosniff");
    assert!(header("content-security-policy").contains("sandbox"));
    assert!(header("content-security-policy").contains("default-src 'none'"));
    assert_eq!(header("content-type"), "image/jpeg");

    // Before forwarding, no platform sees the case at all.
    let early = app
        .gql(Some(&instagram), CASE_FILES, json!({ "id": case_id }))
        .await;
    assert_eq!(early.ok()["case"], Value::Null);

    fixtures::claim_and_forward_case(&app, &reviewer, &case_id, json!({})).await;

    // Instagram sees the redacted variant only: no name, no original, and no metadata in it.
    let seen = app
        .gql(Some(&instagram), CASE_FILES, json!({ "id": case_id }))
        .await;
    let platform_file = &seen.ok()["case"]["evidenceFiles"][0];
    assert_eq!(platform_file["name"], Value::Null);
    assert_eq!(platform_file["original"], Value::Null);
    assert_eq!(platform_file["redacted"]["sha256"], redacted_hash.as_str());
    let text = seen.body.to_string();
    assert!(
        !text.contains("Budi") && !text.contains(&sha256_hex(&photo)),
        "{text}"
    );
    let refused = download_url(&app, &instagram, &case_id, "ORIGINAL").await;
    refused.expect_code("FORBIDDEN");
    let redacted_url = url_of(&download_url(&app, &instagram, &case_id, "REDACTED").await);
    let (status, _, redacted) = app.get_bytes_as(&redacted_url, Some(&instagram)).await;
    assert_eq!(status, 200);
    assert_eq!(sha256_hex(&redacted), redacted_hash);
    assert_eq!(
        exif_fields(&redacted),
        Vec::<exif::Tag>::new(),
        "no EXIF at all"
    );
    for secret in [&b"GPS"[..], b"Pixel Rahasia", b"Budi", b"Exif", b"8BIM"] {
        assert!(
            !redacted.windows(secret.len()).any(|w| w == secret),
            "{} left in the redacted file",
            String::from_utf8_lossy(secret)
        );
    }
    // Still the same image: the picture's own segments are all there, and it ends at its end.
    let parsed = img_parts::jpeg::Jpeg::from_bytes(redacted.clone().into()).expect("a JPEG");
    let markers: Vec<u8> = parsed.segments().iter().map(|s| s.marker()).collect();
    assert_eq!(markers, vec![0xE0, 0xDB, 0xC0, 0xC4, 0xC4, 0xDA]);
    assert!(redacted.ends_with(&[0xFF, 0xD9]));

    // The link is the platform's: the original path with its signature is refused.
    let tampered = redacted_url.replace("/redacted?", "/original?");
    assert_eq!(app.get_bytes_as(&tampered, Some(&instagram)).await.0, 403);
    // TikTok, and the public, see nothing.
    let other = app
        .gql(Some(&tiktok), CASE_FILES, json!({ "id": case_id }))
        .await;
    assert_eq!(other.ok()["case"], Value::Null);
    let public = app.gql(None, CASE_FILES, json!({ "id": case_id })).await;
    assert_eq!(public.ok()["case"], Value::Null);

    // Both reads are in the audit trail: who, which file, which variant.
    let reads = evidence_events(&app, &reviewer, &case_id).await;
    let summary: Vec<(String, String)> = reads
        .iter()
        .map(|e| {
            (
                e["actorRole"].as_str().unwrap_or("").to_owned(),
                e["details"].as_str().unwrap_or("").to_owned(),
            )
        })
        .collect();
    assert_eq!(
        summary,
        vec![
            ("REVIEWER".to_owned(), "original".to_owned()),
            ("PLATFORM".to_owned(), "redacted".to_owned()),
        ]
    );
    assert_eq!(reads[0]["actor"]["email"], fixtures::REVIEWER_EMAIL);
}

/// Downloads stream from the store and are checked against the recorded hash as they pass: a
/// blob overwritten on disk (same length, other bytes) never reaches the reader whole — the
/// transfer breaks at its end instead of answering a clean 200 with bytes nobody uploaded.
async fn a_stored_file_altered_behind_the_database_is_cut_off_not_served(backend: Backend) {
    let app = spawn(backend, Store::Local).await;
    let Desk { reviewer, .. } = desk(&app).await;
    let photo = gps_jpeg("altered");
    let submitted = submit_with_files(
        &app,
        None,
        "https://www.instagram.com/p/Altered1/",
        &[("foto.jpg", photo.clone())],
    )
    .await;
    let complaint_id = submitted.ok()["submitComplaint"]["complaint"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let case_id = case_id_of(&app, &complaint_id).await;

    // Untouched, it comes back whole, with its length announced.
    let url = url_of(&download_url(&app, &reviewer, &case_id, "ORIGINAL").await);
    let (status, headers, bytes) = app.get_bytes_as(&url, Some(&reviewer)).await;
    assert_eq!(status, 200);
    assert!(bytes == photo);
    assert_eq!(
        headers.get("content-length").and_then(|v| v.to_str().ok()),
        Some(photo.len().to_string().as_str())
    );

    let hash = sha256_hex(&photo);
    let blob = app
        .settings()
        .data_dir
        .join("evidence/blobs")
        .join(&hash[..2])
        .join(&hash);
    let mut altered = photo.clone();
    let last = altered.len() - 3;
    altered[last] ^= 0xFF;
    std::fs::write(&blob, &altered).expect("the blob is overwritten");

    let url = url_of(&download_url(&app, &reviewer, &case_id, "ORIGINAL").await);
    // A small file is one chunk: the server may find the mismatch before the response head
    // leaves (the connection closes with no answer) or after (the body breaks off). Either way
    // the reader never gets a complete answer.
    let sent = app
        .client
        .get(format!("{}{url}", app.address))
        .insert_header(("Authorization", format!("Bearer {reviewer}")))
        .send()
        .await;
    if let Ok(mut response) = sent {
        let status = response.status().as_u16();
        let announced = response
            .headers()
            .get("content-length")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse::<usize>().ok());
        assert_eq!(announced, Some(altered.len()), "{status}");
        // Some clients call a transfer cut short an error, some hand over what came: either
        // way it is shorter than announced and lacks the part that would have completed it.
        if let Ok(body) = response.body().limit(64 * 1024 * 1024).await {
            assert!(
                body.len() < altered.len(),
                "an altered file was answered {status} with a whole body ({} bytes)",
                body.len()
            );
        }
    }
    // The server is fine afterwards, and the file is still what verify-evidence will report.
    let (status, _, _) = app.get_bytes_as("/healthz", None).await;
    assert_eq!(status, 200);
}

async fn a_renamed_executable_is_refused_naming_the_file(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let mut exe = b"MZ\x90\0\x03\0\0\0\x04\0\0\0\xff\xff\0\0".to_vec();
    exe.extend_from_slice(&[0u8; 512]);
    let reply = submit_with_files(
        &app,
        None,
        "https://www.instagram.com/p/Exe1/",
        &[("ok.jpg", gps_jpeg("x")), ("photo.jpg", exe)],
    )
    .await;
    reply.expect_code("BAD_USER_INPUT");
    assert_eq!(reply.field(), "input.files[1]");
    assert!(reply.message().contains("photo.jpg"), "{}", reply.body);
    // A JPEG signature followed by garbage is no image either.
    let broken = submit_with_files(
        &app,
        None,
        "https://www.instagram.com/p/Exe1/",
        &[("broken.jpg", b"\xff\xd8\xff\xe0garbage".to_vec())],
    )
    .await;
    broken.expect_code("BAD_USER_INPUT");
    assert_eq!(broken.field(), "input.files[0]");
    // Nothing was filed.
    let count = app
        .services
        .db
        .run(|conn| {
            use diesel::prelude::*;
            laporlapak::db::schema::complaints::table
                .count()
                .get_result::<i64>(conn)
                .map_err(laporlapak::error::ServiceError::from)
        })
        .await
        .unwrap();
    assert_eq!(count, 0);
}

/// Sends the start of a request over a raw connection, reading the answer all the while: what the
/// server answers before the client has sent the rest. (Read concurrently: a server that closes
/// with unread bytes resets the connection, and a reset can discard an answer not yet read.)
async fn answer_before_the_end(app: &TestApp, head: String, first: &[u8]) -> String {
    let address = app.address.trim_start_matches("http://").to_owned();
    let first = first.to_vec();
    tokio::task::spawn_blocking(move || {
        let mut stream = std::net::TcpStream::connect(address).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(20)))
            .unwrap();
        let mut reader = stream.try_clone().unwrap();
        let reading = std::thread::spawn(move || {
            let mut answer = Vec::new();
            let mut buffer = [0u8; 4096];
            loop {
                match reader.read(&mut buffer) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => {
                        answer.extend_from_slice(&buffer[..n]);
                        if answer.windows(4).any(|w| w == b"\r\n\r\n") {
                            break;
                        }
                    }
                }
            }
            String::from_utf8_lossy(&answer).into_owned()
        });
        stream.write_all(head.as_bytes()).unwrap();
        // The server may answer and close while this is still being written.
        for chunk in first.chunks(16 * 1024) {
            if stream.write_all(chunk).is_err() {
                break;
            }
        }
        reading.join().unwrap()
    })
    .await
    .unwrap()
}

async fn an_oversized_upload_is_refused_with_413_before_it_is_read(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let eleven_mib = 11 * 1024 * 1024;
    let mut big = gps_jpeg("big");
    big.resize(eleven_mib, 0);
    let mut input = complaint("https://www.instagram.com/p/Big1/");
    input["files"] = json!([null]);
    let (content_type, body) = multipart_body(
        SUBMIT,
        json!({ "input": input }),
        &[("variables.input.files.0", "big.jpg", big)],
    );
    let headers = |length: &str| {
        format!(
            "POST /graphql HTTP/1.1\r\nHost: test\r\nContent-Type: {content_type}\r\n\
             GraphQL-Preflight: 1\r\nAccept: application/json\r\n{length}\r\n"
        )
    };

    // Declared larger than any request may be (5 files of 10 MiB): refused before a byte of the
    // body is read (none is sent).
    let answer = answer_before_the_end(
        &app,
        headers(&format!("Content-Length: {}\r\n", 64 * 1024 * 1024)),
        &[],
    )
    .await;
    assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");

    // Declared at its true size, 11 MiB: refused once the file passes 10 MiB; the last 512 KiB
    // are never sent.
    let sent = body.len() - 512 * 1024;
    let answer = answer_before_the_end(
        &app,
        headers(&format!("Content-Length: {}\r\n", body.len())),
        &body[..sent],
    )
    .await;
    assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");

    // Not declared (chunked): the same.
    let mut chunked = Vec::new();
    for chunk in body[..sent].chunks(64 * 1024) {
        chunked.extend_from_slice(format!("{:x}\r\n", chunk.len()).as_bytes());
        chunked.extend_from_slice(chunk);
        chunked.extend_from_slice(b"\r\n");
    }
    let answer =
        answer_before_the_end(&app, headers("Transfer-Encoding: chunked\r\n"), &chunked).await;
    assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");

    // Nothing was filed, nothing stored, nothing left staged.
    let data_dir = app.settings().data_dir.join("evidence");
    let count = |dir: std::path::PathBuf| walk(&dir).into_iter().filter(|p| p.is_file()).count();
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(count(data_dir.join("blobs")), 0);
    assert_eq!(count(data_dir.join("staging")), 0);
    // The server still answers.
    let ok = submit_with_files(
        &app,
        None,
        "https://www.instagram.com/p/Big1/",
        &[("small.jpg", gps_jpeg("small"))],
    )
    .await;
    ok.ok();
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    if let Ok(entries) = std::fs::read_dir(dir) {
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                out.extend(walk(&path));
            }
            out.push(path);
        }
    }
    out
}

async fn a_multipart_request_without_the_preflight_header_is_refused(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let mut input = complaint("https://www.instagram.com/p/Csrf1/");
    input["files"] = json!([null]);
    let (content_type, body) = multipart_body(
        SUBMIT,
        json!({ "input": input }),
        &[("variables.input.files.0", "a.jpg", gps_jpeg("csrf"))],
    );
    let reply = app
        .post_bytes(&[("Content-Type", content_type.as_str())], body.clone())
        .await;
    assert_eq!(reply.status, 415, "{}", reply.body);
    reply.expect_code("BAD_USER_INPUT");
    assert_eq!(reply.field(), "GraphQL-Preflight");
    assert!(
        reply.message().contains("GraphQL-Preflight"),
        "{}",
        reply.body
    );
    // An empty header is no header.
    let reply = app
        .post_bytes(
            &[
                ("Content-Type", content_type.as_str()),
                ("GraphQL-Preflight", ""),
            ],
            body.clone(),
        )
        .await;
    assert_eq!(reply.status, 415);
    // With it, the same body is accepted.
    let reply = app
        .post_bytes(
            &[
                ("Content-Type", content_type.as_str()),
                ("GraphQL-Preflight", "1"),
            ],
            body,
        )
        .await;
    reply.ok();
}

mod after_intake;
