//! Evidence files: `evidence_blobs` (one row per distinct content, by SHA-256) and
//! `complaint_files` (one row per upload of a blob into a complaint).

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::DbConnection;
use crate::schema::{complaint_files, complaints, evidence_blobs};
use crate::vault::Sealed;
use laporlapak_domain::evidence::MediaType;

#[derive(Debug, Clone, Queryable, Selectable, Identifiable)]
#[diesel(table_name = evidence_blobs)]
pub struct EvidenceBlob {
    pub id: i64,
    pub sha256: String,
    pub size: i64,
    pub media_type: MediaType,
    pub redacted_sha256: Option<String>,
    pub redacted_size: Option<i64>,
    pub created_at: NaiveDateTime,
    /// When retention dropped the original bytes (the redacted variant stays); `sha256` stays as
    /// the record of what was received.
    pub original_erased_at: Option<NaiveDateTime>,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = evidence_blobs)]
pub struct EvidenceBlobInsertForm<'a> {
    pub sha256: &'a str,
    pub size: i64,
    pub media_type: MediaType,
    pub redacted_sha256: Option<&'a str>,
    pub redacted_size: Option<i64>,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Identifiable)]
#[diesel(table_name = complaint_files)]
pub struct ComplaintFile {
    pub id: i64,
    pub complaint_id: i64,
    pub blob_id: i64,
    /// The client's file name, sealed (`vault::Field::FileName`).
    pub file_name: Sealed,
    pub uploader_account_id: Option<i64>,
    pub uploaded_at: NaiveDateTime,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = complaint_files)]
pub struct ComplaintFileInsertForm<'a> {
    pub complaint_id: i64,
    pub blob_id: i64,
    pub file_name: &'a Sealed,
    pub uploader_account_id: Option<i64>,
    pub uploaded_at: NaiveDateTime,
}

impl EvidenceBlob {
    pub fn find_by_sha256(conn: &mut DbConnection, sha256: &str) -> QueryResult<Option<Self>> {
        evidence_blobs::table
            .filter(evidence_blobs::sha256.eq(sha256))
            .select(Self::as_select())
            .first(conn)
            .optional()
    }

    /// The blob row of this content, inserted when it is new. Two uploads of the same content at
    /// once both end with the one row: the loser's insert does nothing and it reads the winner's.
    pub fn find_or_insert(
        conn: &mut DbConnection,
        form: &EvidenceBlobInsertForm<'_>,
    ) -> QueryResult<Self> {
        if let Some(found) = Self::find_by_sha256(conn, form.sha256)? {
            return Ok(found);
        }
        let insert = diesel::insert_into(evidence_blobs::table)
            .values(form)
            .on_conflict_do_nothing();
        match conn {
            DbConnection::Postgres(conn) => insert.execute(conn),
            DbConnection::Sqlite(conn) => insert.execute(conn),
        }?;
        Self::find_by_sha256(conn, form.sha256)?.ok_or(diesel::result::Error::NotFound)
    }

    pub fn find_many(conn: &mut DbConnection, ids: &[i64]) -> QueryResult<Vec<Self>> {
        evidence_blobs::table
            .filter(evidence_blobs::id.eq_any(ids))
            .select(Self::as_select())
            .load(conn)
    }

    /// Every blob, by id, `limit` at a time after `after_id` (for `verify-evidence`).
    pub fn page(conn: &mut DbConnection, after_id: i64, limit: i64) -> QueryResult<Vec<Self>> {
        evidence_blobs::table
            .filter(evidence_blobs::id.gt(after_id))
            .order(evidence_blobs::id)
            .limit(limit)
            .select(Self::as_select())
            .load(conn)
    }

    /// Whether any blob's original or redacted variant has this hash.
    pub fn hash_in_use(conn: &mut DbConnection, sha256: &str) -> QueryResult<bool> {
        diesel::select(diesel::dsl::exists(
            evidence_blobs::table.filter(
                evidence_blobs::sha256
                    .eq(sha256)
                    .or(evidence_blobs::redacted_sha256.eq(sha256)),
            ),
        ))
        .get_result(conn)
    }

    /// Retention: the blobs carried by the uploads of `complaint_ids` whose original can go now —
    /// they have a redacted variant, their original is still there, and every upload of them
    /// belongs to one of `complaint_ids` or to a complaint retention covered already.
    pub fn originals_past_retention(
        conn: &mut DbConnection,
        complaint_ids: &[i64],
    ) -> QueryResult<Vec<Self>> {
        let candidates: Vec<Self> = evidence_blobs::table
            .filter(
                evidence_blobs::id.eq_any(
                    complaint_files::table
                        .filter(complaint_files::complaint_id.eq_any(complaint_ids))
                        .select(complaint_files::blob_id),
                ),
            )
            .filter(evidence_blobs::redacted_sha256.is_not_null())
            .filter(evidence_blobs::original_erased_at.is_null())
            .select(Self::as_select())
            .load(conn)?;
        let mut ready = Vec::with_capacity(candidates.len());
        for blob in candidates {
            let elsewhere: i64 = complaint_files::table
                .inner_join(complaints::table)
                .filter(complaint_files::blob_id.eq(blob.id))
                .filter(complaints::id.ne_all(complaint_ids))
                .filter(complaints::evidence_retained_at.is_null())
                .count()
                .get_result(conn)?;
            if elsewhere == 0 {
                ready.push(blob);
            }
        }
        Ok(ready)
    }

    /// Retention: records that the blob's original bytes are dropped.
    pub fn mark_original_erased(
        conn: &mut DbConnection,
        id: i64,
        at: NaiveDateTime,
    ) -> QueryResult<()> {
        diesel::update(evidence_blobs::table.find(id))
            .set(evidence_blobs::original_erased_at.eq(at))
            .execute(conn)
            .map(|_| ())
    }

    /// Whether any blob still keeps bytes under `sha256`: an original not dropped, or a redacted
    /// variant.
    pub fn bytes_in_use(conn: &mut DbConnection, sha256: &str) -> QueryResult<bool> {
        diesel::select(diesel::dsl::exists(
            evidence_blobs::table.filter(
                evidence_blobs::sha256
                    .eq(sha256)
                    .and(evidence_blobs::original_erased_at.is_null())
                    .or(evidence_blobs::redacted_sha256.eq(sha256)),
            ),
        ))
        .get_result(conn)
    }

    /// Deletes the blob rows among `ids` that no upload refers to any more; returns them.
    pub fn delete_unreferenced(conn: &mut DbConnection, ids: &[i64]) -> QueryResult<Vec<Self>> {
        let referenced: Vec<i64> = complaint_files::table
            .filter(complaint_files::blob_id.eq_any(ids))
            .select(complaint_files::blob_id)
            .distinct()
            .load(conn)?;
        let orphans: Vec<i64> = ids
            .iter()
            .copied()
            .filter(|id| !referenced.contains(id))
            .collect();
        let rows = Self::find_many(conn, &orphans)?;
        diesel::delete(evidence_blobs::table.filter(evidence_blobs::id.eq_any(&orphans)))
            .execute(conn)?;
        Ok(rows)
    }
}

impl ComplaintFile {
    pub fn insert(conn: &mut DbConnection, form: &ComplaintFileInsertForm<'_>) -> QueryResult<i64> {
        diesel::insert_into(complaint_files::table)
            .values(form)
            .returning(complaint_files::id)
            .get_result(conn)
    }

    pub fn find(conn: &mut DbConnection, id: i64) -> QueryResult<Option<Self>> {
        complaint_files::table
            .find(id)
            .select(Self::as_select())
            .first(conn)
            .optional()
    }

    /// The uploads into the given complaints, oldest first.
    pub fn for_complaints(conn: &mut DbConnection, ids: &[i64]) -> QueryResult<Vec<Self>> {
        complaint_files::table
            .filter(complaint_files::complaint_id.eq_any(ids))
            .order((complaint_files::complaint_id, complaint_files::id))
            .select(Self::as_select())
            .load(conn)
    }

    /// The uploads into every complaint of a case, oldest first.
    pub fn for_case(conn: &mut DbConnection, case_id: i64) -> QueryResult<Vec<Self>> {
        complaint_files::table
            .inner_join(complaints::table)
            .filter(complaints::case_id.eq(case_id))
            .order(complaint_files::id)
            .select(Self::as_select())
            .load(conn)
    }

    pub fn count_for_complaint(conn: &mut DbConnection, complaint_id: i64) -> QueryResult<i64> {
        complaint_files::table
            .filter(complaint_files::complaint_id.eq(complaint_id))
            .count()
            .get_result(conn)
    }

    /// For each blob, how many complaints of the case carry it (withdrawn ones included: the
    /// report was made).
    pub fn reports_in_case(
        conn: &mut DbConnection,
        case_id: i64,
        blob_ids: &[i64],
    ) -> QueryResult<Vec<(i64, i64)>> {
        let rows: Vec<(i64, i64)> = complaint_files::table
            .inner_join(complaints::table)
            .filter(complaints::case_id.eq(case_id))
            .filter(complaint_files::blob_id.eq_any(blob_ids))
            .select((complaint_files::blob_id, complaint_files::complaint_id))
            .distinct()
            .load(conn)?;
        let mut counts: Vec<(i64, i64)> = Vec::new();
        for (blob, _) in rows {
            match counts.iter_mut().find(|(id, _)| *id == blob) {
                Some((_, count)) => *count += 1,
                None => counts.push((blob, 1)),
            }
        }
        Ok(counts)
    }

    /// Deletes a complaint's uploads; returns the blob ids they referred to.
    pub fn delete_for_complaint(
        conn: &mut DbConnection,
        complaint_id: i64,
    ) -> QueryResult<Vec<(i64, i64)>> {
        let rows: Vec<(i64, i64)> = complaint_files::table
            .filter(complaint_files::complaint_id.eq(complaint_id))
            .select((complaint_files::id, complaint_files::blob_id))
            .load(conn)?;
        diesel::delete(
            complaint_files::table.filter(complaint_files::complaint_id.eq(complaint_id)),
        )
        .execute(conn)?;
        Ok(rows)
    }
}
