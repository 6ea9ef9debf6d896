//! `submitComplaints` and its CSV upload: a member of an ACTIVE organisation (a trusted flagger)
//! files 1 to 100 complaints at once. Each item is its own complaint, with its own idempotency key
//! (required), its own transaction and its own result — created, joined an existing case, or an
//! error naming the item's field — so one bad item never holds back the others (unlike the
//! platforms' all-or-nothing batches). A batch sent again with the same keys creates nothing new:
//! each item replays its first result.
//!
//! Limits, per organisation and kept on its row (`organisations`): items per batch (at most 100),
//! batches (calls or files) per hour, bytes of a CSV file. A batch does not count against the
//! member's own 60 submissions an hour.

use std::collections::HashSet;

use crate::Services;
use crate::complaint::submit::generate::{Attempt, idempotency_scope};
use crate::complaint::submit::{Filer, SubmitRequest};
use crate::error::{ServiceError, ServiceResult};
use crate::evidence::IncomingFile;
use crate::limits::{self, ClientAddress, Limit, Sharing};
use crate::organisation::{self, Organisation};
use crate::viewer::{Citizen, Viewer};
use laporlapak_db::vault::Field;
use laporlapak_domain::i18n::{Lang, Msg};
use laporlapak_domain::{ReportSource, global_id};

/// The columns of a CSV upload, as its header names them (the fields of `submitComplaints`'
/// items); the first four are required. `evidenceUrls` holds links separated by spaces.
pub const CSV_COLUMNS: [&str; 9] = [
    "category",
    "listingUrl",
    "description",
    "idempotencyKey",
    "platform",
    "accountHandle",
    "province",
    "city",
    "evidenceUrls",
];
const REQUIRED_COLUMNS: usize = 4;

/// What became of one item of a batch.
#[derive(Debug)]
pub struct BulkItemOutcome {
    /// Its place in the batch, from 0 (a CSV file's first row after the header is 0).
    pub index: usize,
    pub idempotency_key: Option<String>,
    pub result: BulkItemResult,
}

#[derive(Debug)]
pub enum BulkItemResult {
    /// A complaint: new, or the first result of the same key replayed.
    Filed {
        complaint_id: i64,
        tracking_code: Option<String>,
        joined_existing_case: bool,
        replayed: bool,
    },
    /// Nothing was filed for the item; `error`'s field names the item's field (`listingUrl`).
    Failed { error: ServiceError },
}

/// The batch limit of an organisation: `batches_per_hour` bulk submissions an hour.
fn batch_limit(organisation: &Organisation) -> Limit {
    Limit {
        name: "bulk-organisation",
        max: organisation.batches_per_hour.max(1),
        window_seconds: 60 * 60,
        sharing: Sharing::Immediate,
    }
}

/// The member's ACTIVE organisation, or FORBIDDEN (no member, or the organisation is suspended or
/// revoked); then its batch limit.
async fn flagger(services: &Services, viewer: &Viewer) -> ServiceResult<(Citizen, Organisation)> {
    let citizen = viewer.citizen()?;
    let found = services
        .db
        .run(move |conn| organisation::flagger_of(conn, citizen))
        .await?
        .ok_or(ServiceError::Forbidden)?;
    let organisation = found.organisation;
    limits::check(
        services,
        batch_limit(&organisation),
        &organisation.id.to_string(),
    )
    .await?;
    Ok((citizen, organisation))
}

/// Files 1 to `max_batch_items` complaints for the member's organisation. CITIZEN members of an
/// ACTIVE organisation only (FORBIDDEN for anyone else).
pub async fn submit_many(
    services: &Services,
    viewer: &Viewer,
    address: ClientAddress,
    requests: Vec<SubmitRequest>,
) -> ServiceResult<Vec<BulkItemOutcome>> {
    let (citizen, organisation) = flagger(services, viewer).await?;
    run(
        services,
        viewer,
        address,
        citizen,
        &organisation,
        requests,
        "items",
    )
    .await
}

/// The same from a CSV file (`CSV_COLUMNS`, a header row first), at most the organisation's
/// `max_csv_bytes` bytes and `max_batch_items` rows.
pub async fn submit_csv(
    services: &Services,
    viewer: &Viewer,
    address: ClientAddress,
    file: IncomingFile,
) -> ServiceResult<Vec<BulkItemOutcome>> {
    let (citizen, organisation) = flagger(services, viewer).await?;
    let max_bytes = u64::try_from(organisation.max_csv_bytes).unwrap_or(0);
    if file.staged.size > max_bytes {
        return Err(ServiceError::bad_input(
            file.field,
            Msg::FileTooLarge { max_bytes },
        ));
    }
    let field = file.field.clone();
    let path = file.staged.file.path().to_owned();
    let bytes = tokio::task::spawn_blocking(move || std::fs::read(path))
        .await
        .map_err(|error| ServiceError::Internal(error.into()))?
        .map_err(|_| ServiceError::bad_input(field.clone(), Msg::CsvUnreadable { line: 1 }))?;
    let requests = parse_csv(&bytes, &field)?;
    run(
        services,
        viewer,
        address,
        citizen,
        &organisation,
        requests,
        "file",
    )
    .await
}

/// The rows of a CSV file as submissions; BAD_USER_INPUT on `field` for a file that is not CSV or
/// lacks a required column.
fn parse_csv(bytes: &[u8], field: &str) -> ServiceResult<Vec<SubmitRequest>> {
    let bad = |reason: Msg| ServiceError::bad_input(field.to_owned(), reason);
    let mut reader = csv::ReaderBuilder::new()
        .flexible(false)
        .trim(csv::Trim::All)
        .from_reader(bytes);
    let header = reader
        .headers()
        .map_err(|_| bad(Msg::CsvUnreadable { line: 1 }))?
        .clone();
    let position = |name: &str| header.iter().position(|column| column == name);
    let columns: Vec<Option<usize>> = CSV_COLUMNS.iter().map(|name| position(name)).collect();
    if let Some(missing) = (0..REQUIRED_COLUMNS).find(|&i| columns[i].is_none()) {
        return Err(bad(Msg::CsvColumnMissing {
            column: CSV_COLUMNS[missing].to_owned(),
        }));
    }
    let mut requests = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|error| {
            bad(Msg::CsvUnreadable {
                line: error.position().map_or(0, csv::Position::line),
            })
        })?;
        let cell = |i: usize| {
            columns[i]
                .and_then(|at| record.get(at))
                .map(str::to_owned)
                .filter(|value| !value.is_empty())
        };
        requests.push(SubmitRequest {
            category: cell(0).unwrap_or_default(),
            listing_url: cell(1).unwrap_or_default(),
            description: cell(2).unwrap_or_default(),
            idempotency_key: cell(3),
            platform: cell(4),
            account_handle: cell(5),
            province: cell(6),
            city: cell(7),
            evidence_urls: cell(8)
                .map(|urls| urls.split_whitespace().map(str::to_owned).collect())
                .unwrap_or_default(),
            ..SubmitRequest::default()
        });
    }
    Ok(requests)
}

/// An item's error with its field relative to the item (`input.listingUrl` → `listingUrl`).
fn item_error(error: ServiceError) -> ServiceError {
    match error {
        ServiceError::BadInput { field, reason } => ServiceError::BadInput {
            field: field
                .strip_prefix("input.")
                .map_or(field.clone(), |inner| inner.to_owned().into()),
            reason,
        },
        other => other,
    }
}

/// Whether an item's error ends the whole batch: the database or the server failed, not the item.
fn fatal(error: &ServiceError) -> bool {
    matches!(
        error,
        ServiceError::Internal(_) | ServiceError::Unavailable { .. }
    )
}

async fn run(
    services: &Services,
    viewer: &Viewer,
    address: ClientAddress,
    citizen: Citizen,
    organisation: &Organisation,
    requests: Vec<SubmitRequest>,
    field: &'static str,
) -> ServiceResult<Vec<BulkItemOutcome>> {
    let max = usize::try_from(organisation.max_batch_items).unwrap_or(1);
    if requests.is_empty() {
        return Err(ServiceError::bad_input(field, Msg::Required));
    }
    if requests.len() > max {
        return Err(ServiceError::bad_input(field, Msg::TooMany { max }));
    }
    let mut outcomes: Vec<BulkItemOutcome> = Vec::with_capacity(requests.len());
    let mut parsed = Vec::with_capacity(requests.len());
    let mut keys = HashSet::new();
    for (index, request) in requests.into_iter().enumerate() {
        let key = request.idempotency_key.clone();
        let checked = match key.as_deref().map(str::trim).filter(|k| !k.is_empty()) {
            None => Err(ServiceError::bad_input("idempotencyKey", Msg::Required)),
            Some(k) if !keys.insert(k.to_owned()) => Err(ServiceError::bad_input(
                "idempotencyKey",
                Msg::DuplicateInBatch,
            )),
            Some(_) => request.parse(true).map_err(item_error),
        };
        match checked {
            Ok(submission) => parsed.push((index, key, submission)),
            Err(error) => outcomes.push(BulkItemOutcome {
                index,
                idempotency_key: key,
                result: BulkItemResult::Failed { error },
            }),
        }
    }
    let mut filer = Filer::new(
        services,
        viewer,
        Some(citizen),
        ReportSource::Public,
        idempotency_scope(&services.vault, viewer, address)?,
    );
    let organisation_id = organisation.id;
    let filed = services
        .db
        .run(move |conn| {
            // The boost as of the batch's start, the same for all of its items.
            filer.flagger = organisation::flagger_of(conn, citizen)?
                .filter(|flagger| flagger.organisation.id == organisation_id)
                .map(|flagger| (flagger.organisation.id, flagger.boost));
            let mut filed = Vec::with_capacity(parsed.len());
            for (index, key, submission) in parsed {
                let result = match filer.file(conn, &submission, &[], None) {
                    Ok(Attempt::Filed {
                        complaint,
                        joined_existing_case,
                    }) => BulkItemResult::Filed {
                        complaint_id: complaint.id,
                        tracking_code: complaint.tracking_code,
                        joined_existing_case,
                        replayed: false,
                    },
                    Ok(Attempt::Replayed {
                        complaint_id,
                        joined_existing_case,
                        tracking_code,
                    }) => BulkItemResult::Filed {
                        complaint_id,
                        tracking_code: filer
                            .vault
                            .open_opt(Field::IssuedTrackingCode, tracking_code.as_ref())?,
                        joined_existing_case,
                        replayed: true,
                    },
                    Err(error) if fatal(&error) => return Err(error),
                    Err(error) => BulkItemResult::Failed {
                        error: item_error(error),
                    },
                };
                filed.push(BulkItemOutcome {
                    index,
                    idempotency_key: key,
                    result,
                });
            }
            Ok(filed)
        })
        .await?;
    outcomes.extend(filed);
    outcomes.sort_by_key(|outcome| outcome.index);
    Ok(outcomes)
}

/// The per-row result file of a batch: one CSV row per item, in order, with the columns `index`,
/// `idempotencyKey`, `result` (`CREATED`, `JOINED` or `ERROR`), `replayed`, `complaintId` (the
/// global ID), `trackingCode`, `code`, `field` and `message` (in `lang`).
pub fn csv_results(outcomes: &[BulkItemOutcome], lang: Lang) -> ServiceResult<String> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    let write = |writer: &mut csv::Writer<Vec<u8>>, row: &[&str]| {
        writer
            .write_record(row)
            .map_err(|_| ServiceError::invariant("a CSV row is written to memory"))
    };
    write(
        &mut writer,
        &[
            "index",
            "idempotencyKey",
            "result",
            "replayed",
            "complaintId",
            "trackingCode",
            "code",
            "field",
            "message",
        ],
    )?;
    for outcome in outcomes {
        let index = outcome.index.to_string();
        let key = outcome.idempotency_key.as_deref().unwrap_or("");
        match &outcome.result {
            BulkItemResult::Filed {
                complaint_id,
                tracking_code,
                joined_existing_case,
                replayed,
            } => {
                let id = global_id::encode(global_id::NodeType::Complaint, *complaint_id);
                let result = if *joined_existing_case {
                    "JOINED"
                } else {
                    "CREATED"
                };
                let replayed = replayed.to_string();
                write(
                    &mut writer,
                    &[
                        &index,
                        key,
                        result,
                        &replayed,
                        &id,
                        tracking_code.as_deref().unwrap_or(""),
                        "",
                        "",
                        "",
                    ],
                )?;
            }
            BulkItemResult::Failed { error } => {
                let field = match error {
                    ServiceError::BadInput { field, .. } => field.as_ref(),
                    _ => "",
                };
                write(
                    &mut writer,
                    &[
                        &index,
                        key,
                        "ERROR",
                        "false",
                        "",
                        "",
                        error.code(),
                        field,
                        &error.message(lang),
                    ],
                )?;
            }
        }
    }
    let bytes = writer
        .into_inner()
        .map_err(|_| ServiceError::invariant("a CSV file is written to memory"))?;
    String::from_utf8(bytes).map_err(|_| ServiceError::invariant("CSV output is UTF-8"))
}
