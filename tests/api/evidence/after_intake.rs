//! Evidence after intake: who may download which variant, one stored copy per file, verify-evidence, files added later, deletion, a crash during an upload, and which files reach platforms.

use super::*;

on_both_stores!(
    verify_evidence_finds_a_flipped_byte,
    the_same_file_from_many_reporters_is_stored_once,
);

crate::on_both_backends!(
    download_links_are_for_their_account_variant_and_time_only,
    files_come_with_added_evidence_and_replies_within_the_limits,
    a_complaint_s_files_can_be_deleted,
    the_verify_evidence_command_reports_a_mismatch,
    only_images_reach_platforms,
    killing_the_server_during_an_upload_leaves_no_complaint_without_its_file,
);

async fn download_links_are_for_their_account_variant_and_time_only(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let Desk {
        reviewer,
        instagram,
        ..
    } = desk(&app).await;
    let citizen = app.register("warga@mail.id").await;
    let other = app.register("tetangga@mail.id").await;
    let photo = gps_jpeg("links");
    let submitted = submit_with_files(
        &app,
        Some(&citizen),
        "https://www.instagram.com/p/Links1/",
        &[("a.jpg", photo.clone())],
    )
    .await;
    let complaint_id = submitted.ok()["submitComplaint"]["complaint"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let case_id = case_id_of(&app, &complaint_id).await;

    // The reporter reads its own file; another citizen does not reach the complaint at all.
    let own = app
        .gql(
            Some(&citizen),
            "query($id: ID!) { node(id: $id) { ... on Complaint { files { downloadUrl(variant: ORIGINAL) } } } }",
            json!({ "id": complaint_id }),
        )
        .await;
    let own_url = own.ok()["node"]["files"][0]["downloadUrl"]
        .as_str()
        .unwrap()
        .to_owned();
    let (status, _, bytes) = app.get_bytes_as(&own_url, Some(&citizen)).await;
    assert_eq!(status, 200);
    assert!(bytes == photo);
    let theirs = app
        .gql(
            Some(&other),
            "query($id: ID!) { node(id: $id) { ... on Complaint { files { id } } } }",
            json!({ "id": complaint_id }),
        )
        .await;
    assert_eq!(theirs.ok()["node"], Value::Null);
    // Without a token there is no link to have.
    let anonymous = app
        .gql(
            None,
            "query($id: ID!) { node(id: $id) { ... on Complaint { files { downloadUrl } } } }",
            json!({ "id": complaint_id }),
        )
        .await;
    assert_eq!(anonymous.ok()["node"], Value::Null);

    let url = url_of(&download_url(&app, &reviewer, &case_id, "ORIGINAL").await);
    assert_eq!(app.get_bytes_as(&url, Some(&reviewer)).await.0, 200);
    // Another account's number in the link breaks its signature.
    let forged = regex_replace_account(&url, 999);
    assert_eq!(app.get_bytes_as(&forged, Some(&reviewer)).await.0, 403);
    assert_eq!(
        app.get_bytes_as(&format!("{url}0"), Some(&reviewer))
            .await
            .0,
        403
    );
    assert_eq!(
        app.get_bytes_as("/evidence/1/original", Some(&reviewer))
            .await
            .0,
        403
    );
    // A platform whose case was never forwarded to it has no link, and an old link of a file it
    // may not read is refused even when signed for it.
    let refused = download_url(&app, &instagram, &case_id, "REDACTED").await;
    assert_eq!(refused.ok()["case"], Value::Null);

    // Links expire.
    app.advance_clock(chrono::TimeDelta::seconds(301));
    assert_eq!(app.get_bytes_as(&url, Some(&reviewer)).await.0, 403);
    // A disabled account's fresh link stops working too.
    let fresh = url_of(&download_url(&app, &reviewer, &case_id, "ORIGINAL").await);
    let admin = app.admin().await;
    let reviewer_id = app
        .gql(Some(&reviewer), "{ me { id } }", json!({}))
        .await
        .ok()["me"]["id"]
        .clone();
    app.gql(
        Some(&admin),
        "mutation($id: ID!) { disableAccount(id: $id) { id } }",
        json!({ "id": reviewer_id }),
    )
    .await
    .ok();
    assert_eq!(app.get_bytes_as(&fresh, Some(&reviewer)).await.0, 403);
    let _ = PASSWORD;
}

fn regex_replace_account(url: &str, account: i64) -> String {
    let (path, query) = url.split_once('?').unwrap();
    let query: Vec<String> = query
        .split('&')
        .map(|pair| {
            if pair.starts_with("by=") {
                format!("by=a{account}")
            } else {
                pair.to_owned()
            }
        })
        .collect();
    format!("{path}?{}", query.join("&"))
}

async fn the_same_file_from_many_reporters_is_stored_once(backend: Backend, store: Store) {
    let app = spawn(backend, store).await;
    let Desk { reviewer, .. } = desk(&app).await;
    let photo = gps_jpeg("shared");
    let url = "https://www.instagram.com/p/Shared1/";
    let mut complaint_id = String::new();
    for name in ["one.jpg", "two.jpg", "three.jpg"] {
        let reply = submit_with_files(&app, None, url, &[(name, photo.clone())]).await;
        complaint_id = reply.ok()["submitComplaint"]["complaint"]["id"]
            .as_str()
            .unwrap()
            .to_owned();
    }
    let other = submit_with_files(&app, None, url, &[("other.jpg", gps_jpeg("other"))]).await;
    other.ok();
    let case_id = case_id_of(&app, &complaint_id).await;
    let files = app
        .gql(Some(&reviewer), CASE_FILES, json!({ "id": case_id }))
        .await;
    let files = files.ok()["case"]["evidenceFiles"]
        .as_array()
        .unwrap()
        .clone();
    let counts: Vec<(i64, String)> = files
        .iter()
        .map(|f| {
            (
                f["reportCount"].as_i64().unwrap(),
                f["name"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert_eq!(
        counts,
        vec![(3, "one.jpg".to_owned()), (1, "other.jpg".to_owned())]
    );
    let blobs = app
        .services
        .db
        .run(|conn| {
            use diesel::prelude::*;
            laporlapak::db::schema::evidence_blobs::table
                .count()
                .get_result::<i64>(conn)
                .map_err(laporlapak::error::ServiceError::from)
        })
        .await
        .unwrap();
    assert_eq!(blobs, 2);
    if store == Store::Local {
        let stored = walk(&app.settings().data_dir.join("evidence").join("blobs"))
            .into_iter()
            .filter(|p| p.is_file())
            .count();
        // The two photos differ only in their JPEG comment, which redaction removes: their
        // redacted variants are the same bytes, stored once too.
        assert_eq!(stored, 3, "two originals and one redacted variant");
    }
}

async fn verify_evidence_finds_a_flipped_byte(backend: Backend, store: Store) {
    let app = spawn(backend, store).await;
    let photo = gps_jpeg("verify");
    let reply = submit_with_files(
        &app,
        None,
        "https://www.instagram.com/p/Verify1/",
        &[("a.jpg", photo.clone())],
    )
    .await;
    reply.ok();
    let report = laporlapak::service::evidence::verify_all(&app.services)
        .await
        .unwrap();
    assert_eq!(report.files_checked, 2);
    assert!(report.problems.is_empty(), "{:?}", report.problems);

    // Flip one byte of the stored original, where it is stored.
    let key = sha256_hex(&photo);
    let mut altered = photo.clone();
    altered[40] ^= 0x01;
    match store {
        Store::Local => {
            let path = app.services.evidence.store.local_file(&key).unwrap();
            std::fs::write(&path, &altered).unwrap();
        }
        Store::S3 => {
            // Overwrite the object behind the server's back, through a store of our own.
            let scratch = tempfile::tempdir().unwrap();
            let other = laporlapak::storage::BlobStore::open(
                scratch.path(),
                &app.settings().evidence.store,
            )
            .unwrap();
            other.put(&key, altered.clone().into()).await.unwrap();
        }
    }
    let report = laporlapak::service::evidence::verify_all(&app.services)
        .await
        .unwrap();
    assert_eq!(report.problems.len(), 1, "{:?}", report.problems);
    assert_eq!(report.problems[0].sha256, key);
    assert_eq!(
        report.problems[0].found.as_deref(),
        Some(sha256_hex(&altered).as_str())
    );
}

/// The `laporlapak` binary, with this test server's database and data directory.
async fn the_verify_evidence_command_reports_a_mismatch(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let photo = gps_jpeg("command");
    submit_with_files(
        &app,
        None,
        "https://www.instagram.com/p/Command1/",
        &[("a.jpg", photo.clone())],
    )
    .await
    .ok();
    // What the command printed, both streams, for the assertions and for whoever reads a failure.
    let run = |app: &TestApp| {
        let output = app.command().arg("verify-evidence").output().unwrap();
        let printed = format!(
            "exit {}\nstdout:\n{}\nstderr:\n{}",
            output.status,
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
        (output.status.success(), printed)
    };
    let (succeeded, out) = run(&app);
    assert!(succeeded, "{out}");
    assert!(
        out.contains("2 file(s)") && out.contains("0 problem(s)"),
        "{out}"
    );

    let path = app
        .services
        .evidence
        .store
        .local_file(&sha256_hex(&photo))
        .unwrap();
    let mut bytes = std::fs::read(&path).unwrap();
    let last = bytes.len() - 3;
    bytes[last] ^= 0x80;
    std::fs::write(&path, &bytes).unwrap();
    let (succeeded, out) = run(&app);
    assert!(!succeeded, "{out}");
    assert!(
        out.contains("MISMATCH") && out.contains(&sha256_hex(&photo)),
        "{out}"
    );
    assert!(out.contains("1 problem(s)"), "{out}");
}

async fn files_come_with_added_evidence_and_replies_within_the_limits(backend: Backend) {
    let app = TestApp::spawn_tuned(backend, |settings| {
        settings.evidence.max_files_per_complaint = 3;
        settings.evidence.max_files_per_request = 2;
    })
    .await;
    let Desk { reviewer, .. } = desk(&app).await;
    let citizen = app.register("warga@mail.id").await;
    let submitted = submit_with_files(
        &app,
        Some(&citizen),
        "https://www.instagram.com/p/More1/",
        &[("1.jpg", gps_jpeg("1"))],
    )
    .await;
    let submitted = submitted.ok()["submitComplaint"].clone();
    let complaint_id = submitted["complaint"]["id"].as_str().unwrap().to_owned();
    let tracking_code = submitted["trackingCode"].as_str().unwrap().to_owned();

    // Three files in one request: over the per-request cap of 2, refused before anything is read.
    let add = "mutation($id: ID!, $files: [Upload!]) { addEvidence(complaintId: $id, files: $files) { files { name } } }";
    let three: Vec<(&str, &str, Vec<u8>)> = vec![
        ("variables.files.0", "a.jpg", gps_jpeg("a")),
        ("variables.files.1", "b.jpg", gps_jpeg("b")),
        ("variables.files.2", "c.jpg", gps_jpeg("c")),
    ];
    let too_many = upload(
        &app,
        Some(&citizen),
        add,
        json!({ "id": complaint_id, "files": [null, null, null] }),
        &three,
    )
    .await;
    too_many.expect_code("BAD_USER_INPUT");
    assert_eq!(too_many.field(), "map");

    let added = upload(
        &app,
        Some(&citizen),
        add,
        json!({ "id": complaint_id, "files": [null] }),
        &three[..1],
    )
    .await;
    let names: Vec<Value> = added.ok()["addEvidence"]["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["name"].clone())
        .collect();
    assert_eq!(names, vec![json!("1.jpg"), json!("a.jpg")]);
    // Links alone still work, and neither links nor files is refused.
    let links = app
        .gql(
            Some(&citizen),
            "mutation($id: ID!) { addEvidence(complaintId: $id, urls: [\"https://example.com/x.png\"]) { evidenceUrls } }",
            json!({ "id": complaint_id }),
        )
        .await;
    links.ok();
    let nothing = app
        .gql(
            Some(&citizen),
            "mutation($id: ID!) { addEvidence(complaintId: $id) { id } }",
            json!({ "id": complaint_id }),
        )
        .await;
    nothing.expect_code("BAD_USER_INPUT");
    // Another citizen may not add files to it; staff may not either.
    let stranger = app.register("orang.lain@mail.id").await;
    let one = |name: &'static str, salt: &str| vec![("variables.files.0", name, gps_jpeg(salt))];
    let foreign = upload(
        &app,
        Some(&stranger),
        add,
        json!({ "id": complaint_id, "files": [null] }),
        &one("b.jpg", "b"),
    )
    .await;
    foreign.expect_code("NOT_FOUND");
    let staff = upload(
        &app,
        Some(&reviewer),
        add,
        json!({ "id": complaint_id, "files": [null] }),
        &one("b.jpg", "b"),
    )
    .await;
    staff.expect_code("FORBIDDEN");

    // Replies carry files: by tracking code (anonymous) and signed in; the complaint's cap of 3.
    let case_id = case_id_of(&app, &complaint_id).await;
    fixtures::claim(&app, &reviewer, &case_id).await;
    act(
        &app,
        &reviewer,
        REQUEST_INFO,
        json!({ "id": case_id, "m": "Mohon kirim foto tambahan." }),
    )
    .await
    .ok();
    let by_code = "mutation($c: String!, $files: [Upload!]) { replyToInformationRequestByTrackingCode(trackingCode: $c, message: \"Foto terlampir\", files: $files) { status } }";
    let replied = upload(
        &app,
        None,
        by_code,
        json!({ "c": tracking_code, "files": [null] }),
        &one("b.jpg", "b"),
    )
    .await;
    assert_eq!(
        replied.ok()["replyToInformationRequestByTrackingCode"]["status"],
        "IN_REVIEW"
    );
    let unknown = upload(
        &app,
        None,
        by_code,
        json!({ "c": "LL-AAAA-AAAA", "files": [null] }),
        &one("c.jpg", "c"),
    )
    .await;
    unknown.expect_code("NOT_FOUND");
    let signed = "mutation($id: ID!, $files: [Upload!]) { replyToInformationRequest(complaintId: $id, message: \"Satu lagi\", files: $files) { files { name } } }";
    let over = upload(
        &app,
        Some(&citizen),
        signed,
        json!({ "id": complaint_id, "files": [null] }),
        &one("c.jpg", "c"),
    )
    .await;
    over.expect_code("BAD_USER_INPUT");
    assert_eq!(over.field(), "files");
    // The anonymous reply's file is recorded as uploaded without an account.
    let uploaders = app
        .services
        .db
        .run(|conn| {
            use diesel::prelude::*;
            use laporlapak::db::schema::complaint_files::dsl::*;
            complaint_files
                .order(id)
                .select(uploader_account_id)
                .load::<Option<i64>>(conn)
                .map_err(laporlapak::error::ServiceError::from)
        })
        .await
        .unwrap();
    assert_eq!(uploaders.len(), 3);
    assert!(uploaders[0].is_some() && uploaders[1].is_some() && uploaders[2].is_none());
}

async fn a_complaint_s_files_can_be_deleted(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let shared = gps_jpeg("kept");
    let url = "https://www.instagram.com/p/Delete1/";
    let first = submit_with_files(
        &app,
        None,
        url,
        &[("own.jpg", gps_jpeg("own")), ("shared.jpg", shared.clone())],
    )
    .await;
    let first = first.ok()["submitComplaint"]["complaint"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    submit_with_files(&app, None, url, &[("shared.jpg", shared.clone())])
        .await
        .ok();
    let number =
        laporlapak::graphql::id::decode_as(&first, laporlapak::graphql::id::NodeType::Complaint)
            .unwrap();
    let removed = laporlapak::service::evidence::delete_complaint_files(
        &app.services,
        laporlapak::service::audit::Actor::CommandLine,
        number,
    )
    .await
    .unwrap();
    assert_eq!(removed, 2);
    let store = &app.services.evidence.store;
    // The file only this complaint carried is gone; the one another complaint carries stays.
    assert!(
        store
            .get(&sha256_hex(&gps_jpeg("own")))
            .await
            .unwrap()
            .is_none()
    );
    assert!(store.get(&sha256_hex(&shared)).await.unwrap().is_some());
    let report = laporlapak::service::evidence::verify_all(&app.services)
        .await
        .unwrap();
    assert!(report.problems.is_empty(), "{:?}", report.problems);
    assert_eq!(report.files_checked, 2);
}

async fn killing_the_server_during_an_upload_leaves_no_complaint_without_its_file(
    backend: Backend,
) {
    // The test server only sets up the database; the binary serves it and is killed.
    let app = TestApp::spawn(backend).await;
    let mut server = app
        .command()
        .arg("serve")
        .env("LAPORLAPAK_BIND", "127.0.0.1:0")
        .env("LAPORLAPAK_RATE_LIMITS", "false")
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // The address it prints first; the rest of its output is drained so it never blocks.
    let (lines, first) = std::sync::mpsc::channel();
    let stdout = server.stdout.take().unwrap();
    std::thread::spawn(move || {
        use std::io::BufRead as _;
        for line in std::io::BufReader::new(stdout)
            .lines()
            .map_while(Result::ok)
        {
            let _ = lines.send(line);
        }
    });
    let first_line = loop {
        let line = first.recv_timeout(Duration::from_secs(30)).unwrap();
        if line.contains("serving on") {
            break line;
        }
    };
    let address = first_line
        .split("http://")
        .nth(1)
        .and_then(|rest| rest.split_whitespace().next())
        .unwrap()
        .to_owned();

    // One upload completes; a second is cut off half-way by SIGKILL.
    let photo = gps_jpeg("before the crash");
    let mut big = gps_jpeg("cut off");
    big.resize(4 * 1024 * 1024, 7);
    let complete = {
        let mut input = complaint("https://www.instagram.com/p/Crash1/");
        input["files"] = json!([null]);
        multipart_body(
            SUBMIT,
            json!({ "input": input }),
            &[("variables.input.files.0", "a.jpg", photo.clone())],
        )
    };
    let partial = {
        let mut input = complaint("https://www.instagram.com/p/Crash2/");
        input["files"] = json!([null]);
        multipart_body(
            SUBMIT,
            json!({ "input": input }),
            &[("variables.input.files.0", "b.jpg", big)],
        )
    };
    let request = |(content_type, body): &(String, Vec<u8>)| {
        let mut bytes = format!(
            "POST /graphql HTTP/1.1\r\nHost: test\r\nContent-Type: {content_type}\r\n\
             GraphQL-Preflight: 1\r\nAccept: application/json\r\nContent-Length: {}\r\n\r\n",
            body.len()
        )
        .into_bytes();
        bytes.extend_from_slice(body);
        bytes
    };
    let full = request(&complete);
    let cut = request(&partial);
    let address_for_io = address.clone();
    let answer = tokio::task::spawn_blocking(move || {
        let mut stream = std::net::TcpStream::connect(&address_for_io).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(20)))
            .unwrap();
        stream.write_all(&full).unwrap();
        let mut answer = vec![0u8; 4096];
        let n = stream.read(&mut answer).unwrap();
        answer.truncate(n);
        let mut second = std::net::TcpStream::connect(&address_for_io).unwrap();
        second.write_all(&cut[..cut.len() / 2]).unwrap();
        std::thread::sleep(Duration::from_millis(500));
        String::from_utf8_lossy(&answer).into_owned()
    })
    .await
    .unwrap();
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    server.kill().unwrap();
    server.wait().unwrap();

    // After the crash: one complaint, and every file it points at is whole.
    let complaints = app
        .services
        .db
        .run(|conn| {
            use diesel::prelude::*;
            laporlapak::db::schema::complaints::table
                .select(laporlapak::db::schema::complaints::listing_url)
                .load::<String>(conn)
                .map_err(laporlapak::error::ServiceError::from)
        })
        .await
        .unwrap();
    assert_eq!(
        complaints,
        vec!["https://www.instagram.com/p/Crash1/".to_owned()]
    );
    let verified = app.command().arg("verify-evidence").output().unwrap();
    let out = String::from_utf8_lossy(&verified.stdout).into_owned();
    assert!(verified.status.success(), "{out}");
    assert!(
        out.contains("2 file(s)") && out.contains("0 problem(s)"),
        "{out}"
    );
    // Under final names only whole files: the cut-off upload is at most a staged temporary file.
    let blobs: Vec<_> = walk(&app.settings().data_dir.join("evidence").join("blobs"))
        .into_iter()
        .filter(|p| p.is_file())
        .collect();
    assert_eq!(blobs.len(), 2, "{blobs:?}");
    for blob in blobs {
        let name = blob.file_name().unwrap().to_string_lossy().into_owned();
        assert_eq!(sha256_hex(&std::fs::read(&blob).unwrap()), name);
    }
}

async fn only_images_reach_platforms(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let Desk {
        reviewer,
        instagram,
        ..
    } = desk(&app).await;
    let pdf = b"%PDF-1.7\n%Author: Budi Rahasia\n1 0 obj<<>>endobj\n%%EOF\n".to_vec();
    let submitted = submit_with_files(
        &app,
        None,
        "https://www.instagram.com/p/Mixed1/",
        &[("foto.jpg", gps_jpeg("mixed")), ("surat.pdf", pdf.clone())],
    )
    .await;
    let files = &submitted.ok()["submitComplaint"]["complaint"]["files"];
    assert_eq!(files[1]["mediaType"], "application/pdf");
    assert_eq!(files[1]["redacted"], Value::Null);
    let complaint_id = submitted.ok()["submitComplaint"]["complaint"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let case_id = case_id_of(&app, &complaint_id).await;
    fixtures::claim_and_forward_case(&app, &reviewer, &case_id, json!({})).await;
    let types = |reply: &Reply| -> Vec<String> {
        reply.ok()["case"]["evidenceFiles"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["mediaType"].as_str().unwrap().to_owned())
            .collect()
    };
    let staff = app
        .gql(Some(&reviewer), CASE_FILES, json!({ "id": case_id }))
        .await;
    assert_eq!(types(&staff), vec!["image/jpeg", "application/pdf"]);
    let platform = app
        .gql(Some(&instagram), CASE_FILES, json!({ "id": case_id }))
        .await;
    assert_eq!(types(&platform), vec!["image/jpeg"]);
    // The PDF has no redacted variant to ask for; the reviewer reads its original.
    let urls = app
        .gql(
            Some(&reviewer),
            "query($id: ID!) { case(id: $id) { evidenceFiles { mediaType o: downloadUrl(variant: ORIGINAL) } } }",
            json!({ "id": case_id }),
        )
        .await;
    let pdf_url = urls.ok()["case"]["evidenceFiles"][1]["o"]
        .as_str()
        .unwrap()
        .to_owned();
    let (status, headers, bytes) = app.get_bytes_as(&pdf_url, Some(&reviewer)).await;
    assert_eq!(status, 200);
    assert!(bytes == pdf);
    assert_eq!(
        headers.get("content-type").and_then(|v| v.to_str().ok()),
        Some("application/pdf")
    );
    let redacted = app
        .gql(
            Some(&reviewer),
            "query($id: ID!) { case(id: $id) { evidenceFiles { downloadUrl(variant: REDACTED) } } }",
            json!({ "id": case_id }),
        )
        .await;
    redacted.expect_code("FORBIDDEN");
}
