//! Where evidence bytes live, content-addressed by their SHA-256: a directory under the data
//! directory (the default), or an S3-compatible bucket for deployments with several replicas.
//!
//! A blob is only ever visible under its final name once it is whole and durable: the local store
//! writes a temporary file in the same directory tree, `fsync`s it, renames it into place and
//! `fsync`s the directory; S3 makes an object visible only when its PUT completes. The database
//! row that points at a blob is written after the blob, so a crash at any moment leaves at worst a
//! blob no row points at (harmless; the same content uploaded again reuses it), never a row
//! pointing at a missing or partial file.
//!
//! Uploads are first received into the staging directory (always local), hashed as they stream.
//!
//! A write that fails for lack of space (ENOSPC, a quota) is answered 503 UNAVAILABLE (see
//! `evidence`) and remembered: `/readyz` reports the process not ready until
//! [`BlobStore::probe_write`], which it tries meanwhile, finds room again.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use bytes::Bytes;
use futures_util::stream::{BoxStream, StreamExt as _, TryStreamExt as _};
use object_store::ObjectStoreExt as _;

/// What [`BlobStore::probe_write`] writes and flushes to the staging directory.
const PROBE_BYTES: usize = 64 * 1024;

/// How much of a stored file a download reads at a time.
const STREAM_CHUNK: usize = 64 * 1024;

/// A stored blob read as a stream: its length (for `Content-Length`) and its chunks.
pub struct StoredStream {
    pub len: u64,
    pub chunks: BoxStream<'static, std::io::Result<Bytes>>,
}

impl std::fmt::Debug for StoredStream {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StoredStream")
            .field("len", &self.len)
            .finish()
    }
}

/// A staged file older than this at start-up was left by an upload that never finished.
const STALE_STAGING: std::time::Duration = std::time::Duration::from_secs(3600);

/// Which store evidence goes to (`LAPORLAPAK_EVIDENCE_STORE`).
#[derive(Debug, Clone, Default)]
pub enum StoreSettings {
    /// `DATA_DIR/evidence/blobs`.
    #[default]
    Local,
    S3(S3Settings),
}

/// An S3-compatible bucket.
#[derive(Debug, Clone)]
pub struct S3Settings {
    pub bucket: String,
    /// E.g. `https://s3.ap-southeast-3.amazonaws.com` or a MinIO address; AWS when absent.
    pub endpoint: Option<String>,
    pub region: String,
    pub access_key_id: Option<crate::settings::Secret>,
    pub secret_access_key: Option<crate::settings::Secret>,
    /// Object names start with this (e.g. `evidence/`).
    pub prefix: String,
    /// Allow a plain-http endpoint (a local test server only).
    pub allow_http: bool,
}

#[derive(Debug, thiserror::Error)]
pub enum StorageError {
    #[error("evidence store I/O: {0}")]
    Io(#[from] std::io::Error),
    #[error("evidence store (S3): {0}")]
    S3(#[from] object_store::Error),
    #[error("evidence store: {0:?} is not a SHA-256")]
    BadKey(String),
    #[error("evidence store task failed: {0}")]
    Task(#[from] tokio::task::JoinError),
}

impl StorageError {
    /// Did the write fail for lack of space on the store's disk?
    pub fn is_out_of_space(&self) -> bool {
        match self {
            Self::Io(error) => is_out_of_space(error),
            Self::S3(_) | Self::BadKey(_) | Self::Task(_) => false,
        }
    }
}

/// Is this I/O error a full disk (ENOSPC) or an exhausted quota (EDQUOT), also when wrapped in
/// another I/O error?
pub fn is_out_of_space(error: &std::io::Error) -> bool {
    use std::io::ErrorKind::{QuotaExceeded, StorageFull};
    matches!(error.kind(), StorageFull | QuotaExceeded)
        || error
            .get_ref()
            .and_then(|inner| inner.downcast_ref::<std::io::Error>())
            .is_some_and(is_out_of_space)
}

#[derive(Debug)]
enum Kind {
    Local {
        root: PathBuf,
    },
    S3 {
        store: Box<object_store::aws::AmazonS3>,
        prefix: String,
    },
}

/// The evidence store; cheap to clone.
#[derive(Debug, Clone)]
pub struct BlobStore {
    kind: Arc<Kind>,
    staging: PathBuf,
    /// Whether the last write failed for lack of space (and none succeeded since).
    out_of_space: Arc<AtomicBool>,
}

fn checked(key: &str) -> Result<&str, StorageError> {
    if key.len() == 64 && key.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')) {
        Ok(key)
    } else {
        Err(StorageError::BadKey(key.to_owned()))
    }
}

async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> std::io::Result<T> + Send + 'static,
) -> Result<T, StorageError> {
    Ok(tokio::task::spawn_blocking(f).await??)
}

impl BlobStore {
    /// Opens the store configured by `settings` (creating the local directories), and removes
    /// staged files left by uploads that never finished.
    pub fn open(data_dir: &Path, settings: &StoreSettings) -> Result<Self, StorageError> {
        let base = data_dir.join("evidence");
        let staging = base.join("staging");
        private_dir_all(&staging)?;
        // Directories an older version made 0755 become 0700 too (the files in them are 0600).
        restrict(&base)?;
        restrict(&staging)?;
        remove_stale(&staging);
        let kind = match settings {
            StoreSettings::Local => {
                let root = base.join("blobs");
                private_dir_all(&root)?;
                restrict(&root)?;
                Kind::Local { root }
            }
            StoreSettings::S3(s3) => {
                let mut builder = object_store::aws::AmazonS3Builder::new()
                    .with_bucket_name(&s3.bucket)
                    .with_region(&s3.region)
                    .with_allow_http(s3.allow_http);
                if let Some(endpoint) = &s3.endpoint {
                    builder = builder.with_endpoint(endpoint);
                }
                if let Some(key) = &s3.access_key_id {
                    builder = builder.with_access_key_id(&key.0);
                }
                if let Some(secret) = &s3.secret_access_key {
                    builder = builder.with_secret_access_key(&secret.0);
                }
                Kind::S3 {
                    store: Box::new(builder.build()?),
                    prefix: s3.prefix.clone(),
                }
            }
        };
        Ok(Self {
            kind: Arc::new(kind),
            staging,
            out_of_space: Arc::default(),
        })
    }

    /// Did a write fail for lack of space, with no [`BlobStore::probe_write`] succeeding since?
    /// (A write that succeeded proves little: a small file may fit where the next large one does
    /// not.)
    pub fn writes_failing(&self) -> bool {
        self.out_of_space.load(Ordering::Acquire)
    }

    /// Whether writes fail for lack of space: when a write failed so, tries
    /// [`BlobStore::probe_write`] to find out whether there is room again.
    pub async fn out_of_space(&self) -> bool {
        self.writes_failing() && !self.probe_write().await
    }

    /// Notes a failed write (an upload being staged, a blob stored): returns whether it failed
    /// for lack of space, and if so remembers it.
    pub fn observe_failure(&self, error: &std::io::Error) -> bool {
        let full = is_out_of_space(error);
        if full && !self.out_of_space.swap(true, Ordering::AcqRel) {
            tracing::error!(
                store = %self.describe(),
                "evidence writes fail for lack of space: answering them 503 UNAVAILABLE and \
                 /readyz not ready until a probe write succeeds; free space on its disk"
            );
        }
        full
    }

    /// Notes a write that failed.
    fn observe<T>(&self, outcome: Result<T, StorageError>) -> Result<T, StorageError> {
        if let Err(StorageError::Io(error)) = &outcome {
            self.observe_failure(error);
        }
        outcome
    }

    /// Writes and flushes [`PROBE_BYTES`] in the staging directory (where every upload is first
    /// written), then removes them; a success clears [`BlobStore::writes_failing`]. For `/readyz`
    /// while writes fail.
    pub async fn probe_write(&self) -> bool {
        let staging = self.staging.clone();
        let outcome = blocking(move || {
            let mut file = tempfile::Builder::new()
                .prefix("probe-")
                .tempfile_in(&staging)?;
            file.write_all(&[0u8; PROBE_BYTES])?;
            file.as_file().sync_all()
        })
        .await;
        let written = self.observe(outcome).is_ok();
        if written && self.out_of_space.swap(false, Ordering::AcqRel) {
            tracing::warn!(store = %self.describe(), "evidence writes succeed again");
        }
        written
    }

    /// A new, empty staged file: removed when dropped unless stored.
    pub fn stage(&self) -> std::io::Result<tempfile::NamedTempFile> {
        tempfile::Builder::new()
            .prefix("upload-")
            .tempfile_in(&self.staging)
    }

    /// Human-readable name of the store, for logs and `verify-evidence`.
    pub fn describe(&self) -> String {
        match &*self.kind {
            Kind::Local { root } => format!("directory {}", root.display()),
            Kind::S3 { store, prefix } => format!("{store} (prefix {prefix:?})"),
        }
    }

    fn local_path(root: &Path, key: &str) -> PathBuf {
        root.join(&key[..2]).join(key)
    }

    fn s3_path(prefix: &str, key: &str) -> object_store::path::Path {
        object_store::path::Path::from(format!("{prefix}blobs/{key}"))
    }

    /// Stores `bytes` under `key` (their SHA-256), durably; content already stored is kept.
    pub async fn put(&self, key: &str, bytes: Bytes) -> Result<(), StorageError> {
        let outcome = self.put_unobserved(key, bytes).await;
        self.observe(outcome)
    }

    async fn put_unobserved(&self, key: &str, bytes: Bytes) -> Result<(), StorageError> {
        let key = checked(key)?.to_owned();
        match &*self.kind {
            Kind::Local { root } => {
                let target = Self::local_path(root, &key);
                let staging = self.staging.clone();
                blocking(move || {
                    if target.exists() {
                        return Ok(());
                    }
                    let mut file = tempfile::Builder::new()
                        .prefix("blob-")
                        .tempfile_in(&staging)?;
                    file.write_all(&bytes)?;
                    persist(file, &target)
                })
                .await
            }
            Kind::S3 { store, prefix } => {
                store
                    .put(&Self::s3_path(prefix, &key), bytes.into())
                    .await?;
                Ok(())
            }
        }
    }

    /// Stores a staged file under `key` (its SHA-256): renamed into place locally, sent to S3
    /// otherwise.
    pub async fn put_staged(
        &self,
        key: &str,
        staged: tempfile::NamedTempFile,
    ) -> Result<(), StorageError> {
        let outcome = self.put_staged_unobserved(key, staged).await;
        self.observe(outcome)
    }

    async fn put_staged_unobserved(
        &self,
        key: &str,
        staged: tempfile::NamedTempFile,
    ) -> Result<(), StorageError> {
        let key = checked(key)?.to_owned();
        match &*self.kind {
            Kind::Local { root } => {
                let target = Self::local_path(root, &key);
                blocking(move || {
                    if target.exists() {
                        return Ok(());
                    }
                    persist(staged, &target)
                })
                .await
            }
            Kind::S3 { .. } => {
                let bytes = blocking(move || std::fs::read(staged.path())).await?;
                self.put_unobserved(&key, Bytes::from(bytes)).await
            }
        }
    }

    /// The bytes stored under `key`; `None` when there are none.
    pub async fn get(&self, key: &str) -> Result<Option<Bytes>, StorageError> {
        let key = checked(key)?.to_owned();
        match &*self.kind {
            Kind::Local { root } => {
                let path = Self::local_path(root, &key);
                blocking(move || match std::fs::read(path) {
                    Ok(bytes) => Ok(Some(Bytes::from(bytes))),
                    Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
                    Err(e) => Err(e),
                })
                .await
            }
            Kind::S3 { store, prefix } => match store.get(&Self::s3_path(prefix, &key)).await {
                Ok(result) => Ok(Some(result.bytes().await?)),
                Err(object_store::Error::NotFound { .. }) => Ok(None),
                Err(e) => Err(e.into()),
            },
        }
    }

    /// The bytes stored under `key` as a stream of chunks, with their length; `None` when there
    /// are none. A download holds one chunk in memory at a time, not the whole file.
    pub async fn stream(&self, key: &str) -> Result<Option<StoredStream>, StorageError> {
        let key = checked(key)?.to_owned();
        match &*self.kind {
            Kind::Local { root } => {
                let path = Self::local_path(root, &key);
                let opened = blocking(move || match std::fs::File::open(path) {
                    Ok(file) => {
                        let len = file.metadata()?.len();
                        Ok(Some((file, len)))
                    }
                    Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
                    Err(e) => Err(e),
                })
                .await?;
                Ok(opened.map(|(file, len)| StoredStream {
                    len,
                    chunks: tokio_util::io::ReaderStream::with_capacity(
                        tokio::fs::File::from_std(file),
                        STREAM_CHUNK,
                    )
                    .boxed(),
                }))
            }
            Kind::S3 { store, prefix } => match store.get(&Self::s3_path(prefix, &key)).await {
                Ok(result) => Ok(Some(StoredStream {
                    len: result.meta.size,
                    chunks: result.into_stream().map_err(std::io::Error::other).boxed(),
                })),
                Err(object_store::Error::NotFound { .. }) => Ok(None),
                Err(e) => Err(e.into()),
            },
        }
    }

    /// Removes what is stored under `key`; nothing stored is not an error.
    pub async fn delete(&self, key: &str) -> Result<(), StorageError> {
        let key = checked(key)?.to_owned();
        match &*self.kind {
            Kind::Local { root } => {
                let path = Self::local_path(root, &key);
                blocking(move || match std::fs::remove_file(path) {
                    Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(e),
                    _ => Ok(()),
                })
                .await
            }
            Kind::S3 { store, prefix } => match store.delete(&Self::s3_path(prefix, &key)).await {
                Ok(()) | Err(object_store::Error::NotFound { .. }) => Ok(()),
                Err(e) => Err(e.into()),
            },
        }
    }

    /// Where a local blob lives (tests and operators flip bytes there); `None` on S3.
    pub fn local_file(&self, key: &str) -> Option<PathBuf> {
        match &*self.kind {
            Kind::Local { root } => Some(Self::local_path(root, checked(key).ok()?)),
            Kind::S3 { .. } => None,
        }
    }
}

/// Creates `dir` and any missing parent with mode 0700: evidence (ID cards, faces, places) is for
/// the server's user only.
fn private_dir_all(dir: &Path) -> std::io::Result<()> {
    use std::os::unix::fs::DirBuilderExt as _;
    std::fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)
}

/// Gives an existing directory mode 0700.
fn restrict(dir: &Path) -> std::io::Result<()> {
    use std::os::unix::fs::PermissionsExt as _;
    std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))
}

/// Makes a written temporary file durable and gives it its final name, then makes the rename
/// durable too.
fn persist(file: tempfile::NamedTempFile, target: &Path) -> std::io::Result<()> {
    file.as_file().sync_all()?;
    let dir = target.parent().unwrap_or(Path::new("."));
    private_dir_all(dir)?;
    file.persist(target).map_err(|e| e.error)?;
    std::fs::File::open(dir)?.sync_all()
}

/// Removes staged files older than [`STALE_STAGING`] (an upload cut off by a crash).
fn remove_stale(staging: &Path) {
    let Ok(entries) = std::fs::read_dir(staging) else {
        return;
    };
    for entry in entries.flatten() {
        let old = entry
            .metadata()
            .and_then(|m| m.modified())
            .ok()
            .and_then(|modified| modified.elapsed().ok())
            .is_some_and(|age| age > STALE_STAGING);
        if old {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

#[cfg(test)]
mod tests {
    use std::io::Write as _;

    use super::*;
    use crate::error::ServiceError;

    /// A real ENOSPC, from the device that is always full (Linux).
    fn enospc() -> Option<std::io::Error> {
        let mut full = std::fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .ok()?;
        full.write_all(&[0u8; 16]).and_then(|()| full.flush()).err()
    }

    #[test]
    fn a_full_disk_is_out_of_space_and_other_errors_are_not() {
        let Some(error) = enospc() else {
            eprintln!("no /dev/full here: skipped");
            return;
        };
        assert!(is_out_of_space(&error), "{error:?}");
        assert!(is_out_of_space(&std::io::Error::other(error)));
        assert!(is_out_of_space(&std::io::Error::from(
            std::io::ErrorKind::QuotaExceeded
        )));
        assert!(!is_out_of_space(&std::io::Error::from(
            std::io::ErrorKind::PermissionDenied
        )));
        assert!(!StorageError::BadKey("x".to_owned()).is_out_of_space());
    }

    #[test]
    fn the_store_out_of_space_answers_unavailable_and_anything_else_internal() {
        let full = StorageError::Io(std::io::Error::from(std::io::ErrorKind::StorageFull));
        assert!(matches!(
            ServiceError::from(full),
            ServiceError::Unavailable { retry_after } if retry_after > 0
        ));
        let denied = StorageError::Io(std::io::Error::from(std::io::ErrorKind::PermissionDenied));
        assert!(matches!(
            ServiceError::from(denied),
            ServiceError::Internal(_)
        ));
    }

    #[actix_web::test]
    async fn a_failed_write_is_remembered_until_a_probe_succeeds()
    -> Result<(), Box<dyn std::error::Error>> {
        let dir = tempfile::tempdir()?;
        let store = BlobStore::open(dir.path(), &StoreSettings::Local)?;
        assert!(!store.writes_failing());
        assert!(
            !store.observe_failure(&std::io::Error::from(std::io::ErrorKind::PermissionDenied))
        );
        assert!(!store.writes_failing());
        assert!(store.observe_failure(&std::io::Error::from(std::io::ErrorKind::StorageFull)));
        assert!(store.writes_failing());
        assert!(store.probe_write().await);
        assert!(!store.writes_failing());
        // The probe leaves nothing behind.
        assert_eq!(
            std::fs::read_dir(dir.path().join("evidence/staging"))?.count(),
            0
        );
        // A small blob stored proves little: only a probe clears it.
        store.observe_failure(&std::io::Error::from(std::io::ErrorKind::StorageFull));
        store
            .put(&"ab".repeat(32), Bytes::from_static(b"x"))
            .await?;
        assert!(store.writes_failing());
        assert!(!store.out_of_space().await);
        assert!(!store.writes_failing());
        Ok(())
    }
}
