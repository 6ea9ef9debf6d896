//! Encryption at rest of the fields that identify a person: account e-mail, display name, NIB and
//! business name, a complaint's contact e-mail, message bodies (the free-text replies of
//! reporters) and evidence file names, and of the tracking code an idempotency key keeps for a
//! replay. A copy of the database without the data key reveals no reporter.
//!
//! * Each value is sealed with XChaCha20-Poly1305 under the keyring's *primary* key, with a random
//!   192-bit nonce and the column it belongs to as associated data, so a value moved to another
//!   column fails to open. Stored as `ll1.<key id>.<base64url(nonce ‖ ciphertext)>`.
//! * Sign-in and uniqueness use a blind index of the e-mail: HMAC-SHA-256 of the normalised
//!   address under a key derived from the data key. Rate-limit buckets are keyed by a pseudonym
//!   (HMAC again) of the address or e-mail they count, never the value itself.
//! * The keyring is `LAPORLAPAK_DATA_KEY` (base64 keys, comma-separated, the primary first) or,
//!   when that is unset, the file `DATA_DIR/data-key` (one key a line, the primary first),
//!   generated with one key on first start. A server re-reads the file within a second of it
//!   changing, so `laporlapak pdp rotate-key` can add a key, re-seal every row and retire the old
//!   key while servers keep running.
//! * Every key is 256 random bits; the encryption, index and pseudonym keys are derived from it
//!   with HKDF-SHA-256, so one secret per key is all an operator keeps.
//! * Tracking codes are not stored at all: a complaint keeps the HMAC-SHA-256 of its code under the
//!   *tracking-code index key*, a random 256-bit key stored in the database sealed under the data
//!   key (`index_keys`, [`Field::IndexKey`]). A rotation re-seals that one row, so the hashes stay
//!   valid across rotations (a hash under a key derived from each data key could not be redone
//!   without the codes, which nobody keeps). A copy of the database without the data key cannot
//!   test a code; with it, only by trying codes one by one.

use std::io::Write as _;
use std::os::unix::fs::{OpenOptionsExt as _, PermissionsExt as _};
use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant, SystemTime};

use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use chacha20poly1305::aead::{Aead as _, KeyInit as _, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use diesel::backend::Backend;
use diesel::deserialize::{self, FromSql};
use diesel::serialize::{self, Output, ToSql};
use diesel::sql_types::Text;
use hmac::{Hmac, Mac as _};
use sha2::Sha256;

/// The file in the data directory that holds the keyring when `LAPORLAPAK_DATA_KEY` is unset.
pub const KEY_FILE: &str = "data-key";
/// What every sealed value starts with: the format's version.
const PREFIX: &str = "ll1.";
const NONCE_BYTES: usize = 24;
const KEY_BYTES: usize = 32;
/// How often a server looks at the key file for a change.
const RELOAD_EVERY: Duration = Duration::from_secs(1);

/// The columns whose values are sealed; each seals with its own associated data.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    Email,
    DisplayName,
    Nib,
    BusinessName,
    ContactEmail,
    MessageBody,
    /// A reporter's appeal against a rejection.
    AppealBody,
    /// The name a client gave an evidence file.
    FileName,
    /// The tracking code a submission issued, kept with its idempotency key for a replay.
    IssuedTrackingCode,
    /// A random index key (the tracking-code index key).
    IndexKey,
    /// What a notification mail waiting in the outbox says.
    MailPayload,
}

impl Field {
    pub const fn column(self) -> &'static str {
        match self {
            Self::Email => "accounts.email",
            Self::DisplayName => "accounts.display_name",
            Self::Nib => "accounts.umkm_nib",
            Self::BusinessName => "accounts.umkm_business_name",
            Self::ContactEmail => "complaints.contact_email",
            Self::MessageBody => "messages.body",
            Self::AppealBody => "appeals.body",
            Self::FileName => "complaint_files.file_name",
            Self::IssuedTrackingCode => "idempotency_keys.tracking_code",
            Self::IndexKey => "index_keys.sealed_key",
            Self::MailPayload => "mail_outbox.payload",
        }
    }
}

/// A value as stored in a sealed column. It has no `Display` and its `Debug` hides it: the only
/// way to the text is [`Vault::open`], and the only way to make one is [`Vault::seal`].
#[derive(
    Clone, PartialEq, Eq, diesel::expression::AsExpression, diesel::deserialize::FromSqlRow,
)]
#[diesel(sql_type = Text)]
pub struct Sealed(String);

impl std::fmt::Debug for Sealed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Sealed(***)")
    }
}

impl Sealed {
    /// The id of the key that sealed it; `None` for a value stored before encryption at rest.
    pub fn key_id(&self) -> Option<&str> {
        let rest = self.0.strip_prefix(PREFIX)?;
        rest.split_once('.').map(|(id, _)| id)
    }
}

impl<DB> FromSql<Text, DB> for Sealed
where
    DB: Backend,
    String: FromSql<Text, DB>,
{
    fn from_sql(bytes: DB::RawValue<'_>) -> deserialize::Result<Self> {
        Ok(Self(<String as FromSql<Text, DB>>::from_sql(bytes)?))
    }
}

impl<DB> ToSql<Text, DB> for Sealed
where
    DB: Backend,
    str: ToSql<Text, DB>,
{
    fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, DB>) -> serialize::Result {
        <str as ToSql<Text, DB>>::to_sql(&self.0, out)
    }
}

#[derive(Debug, thiserror::Error)]
pub enum VaultError {
    #[error("the data key file {path} is refused: {reason}")]
    KeyFile { path: PathBuf, reason: String },
    #[error("LAPORLAPAK_DATA_KEY is refused: {0}")]
    Configured(String),
    #[error("a stored value is sealed under data key {0}, which is not in the keyring")]
    UnknownKey(String),
    #[error("a stored value of {0} does not open: altered, or not sealed for that column")]
    Corrupt(&'static str),
    #[error("randomness is unavailable: {0}")]
    Random(String),
    #[error("the tracking-code index key {0}")]
    IndexKey(&'static str),
}

type HmacSha256 = Hmac<Sha256>;

/// One data key and what is derived from it.
struct DataKey {
    id: String,
    raw: [u8; KEY_BYTES],
    cipher: XChaCha20Poly1305,
    index: HmacSha256,
    pseudonym: HmacSha256,
    /// The Ed25519 seed that signs the audit log's daily heads.
    audit_signing: [u8; KEY_BYTES],
}

impl DataKey {
    fn new(raw: [u8; KEY_BYTES]) -> Self {
        let kdf = hkdf::Hkdf::<Sha256>::new(Some(b"laporlapak data key"), &raw);
        let derive = |info: &[u8]| {
            let mut out = [0u8; KEY_BYTES];
            // 32 bytes is far below HKDF-SHA-256's limit of 8160, so expand cannot fail.
            let _ = kdf.expand(info, &mut out);
            out
        };
        let encryption = derive(b"encryption v1");
        let id = derive(b"key id v1");
        let hmac = |key: [u8; KEY_BYTES]| {
            <HmacSha256 as hmac::Mac>::new_from_slice(&key).unwrap_or_else(|_| unreachable_hmac())
        };
        Self {
            id: laporlapak_domain::hex(&id[..4]),
            raw,
            cipher: XChaCha20Poly1305::new(&encryption.into()),
            index: hmac(derive(b"blind index v1")),
            pseudonym: hmac(derive(b"pseudonym v1")),
            audit_signing: derive(b"audit signing v1"),
        }
    }
}

/// HMAC accepts a key of any length; this only satisfies the type.
fn unreachable_hmac() -> HmacSha256 {
    unreachable!("HMAC-SHA-256 takes a key of any length")
}

/// The data keys, the primary first.
pub struct Keyring {
    keys: Vec<DataKey>,
}

impl Keyring {
    fn new(raw: Vec<[u8; KEY_BYTES]>) -> Option<Self> {
        if raw.is_empty() {
            return None;
        }
        Some(Self {
            keys: raw.into_iter().map(DataKey::new).collect(),
        })
    }

    fn primary(&self) -> &DataKey {
        &self.keys[0]
    }

    fn by_id(&self, id: &str) -> Option<&DataKey> {
        self.keys.iter().find(|key| key.id == id)
    }

    /// The ids of every key, the primary first.
    pub fn ids(&self) -> Vec<String> {
        self.keys.iter().map(|key| key.id.clone()).collect()
    }
}

/// Where the keyring comes from.
#[derive(Debug, Clone)]
pub enum KeySource {
    /// `LAPORLAPAK_DATA_KEY`: fixed for the life of the process.
    Configured,
    /// The key file, re-read when it changes.
    File(PathBuf),
}

struct State {
    keyring: Arc<Keyring>,
    stamp: Option<(SystemTime, u64)>,
    checked_at: Instant,
}

/// Seals and opens the identifying fields; computes blind indexes and pseudonyms.
pub struct Vault {
    source: KeySource,
    state: RwLock<State>,
    /// The tracking-code index key, once [`Vault::install_tracking_index_key`] opened it.
    tracking: RwLock<Option<HmacSha256>>,
}

impl std::fmt::Debug for Vault {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Vault")
            .field("source", &self.source)
            .finish_non_exhaustive()
    }
}

impl Vault {
    /// The keyring from `configured` (`LAPORLAPAK_DATA_KEY`) or else from the key file in
    /// `data_dir`, which is created with one new key when it does not exist.
    pub fn open_keyring(configured: Option<&str>, data_dir: &Path) -> Result<Self, VaultError> {
        match configured.map(str::trim).filter(|value| !value.is_empty()) {
            Some(value) => {
                let keys = parse_keys(value.split(',')).map_err(VaultError::Configured)?;
                let keyring = Keyring::new(keys)
                    .ok_or_else(|| VaultError::Configured("no key given".to_owned()))?;
                Ok(Self::with(KeySource::Configured, keyring, None))
            }
            None => {
                let path = data_dir.join(KEY_FILE);
                create_key_file_if_missing(&path)?;
                let (keyring, stamp) = read_key_file(&path)?;
                Ok(Self::with(KeySource::File(path), keyring, stamp))
            }
        }
    }

    fn with(source: KeySource, keyring: Keyring, stamp: Option<(SystemTime, u64)>) -> Self {
        Self {
            source,
            state: RwLock::new(State {
                keyring: Arc::new(keyring),
                stamp,
                checked_at: Instant::now(),
            }),
            tracking: RwLock::new(None),
        }
    }

    pub fn source(&self) -> &KeySource {
        &self.source
    }

    /// The keyring as it is now: from the key file, re-read when it changed (looked at no more
    /// than once a second unless `force`).
    pub fn keyring(&self) -> Arc<Keyring> {
        self.refresh(false)
    }

    fn refresh(&self, force: bool) -> Arc<Keyring> {
        let current = match self.state.read() {
            Ok(state) => {
                let due = force || state.checked_at.elapsed() >= RELOAD_EVERY;
                if !due || !matches!(self.source, KeySource::File(_)) {
                    return state.keyring.clone();
                }
                state.keyring.clone()
            }
            Err(poisoned) => return poisoned.into_inner().keyring.clone(),
        };
        let KeySource::File(path) = &self.source else {
            return current;
        };
        let Ok(mut state) = self.state.write() else {
            return current;
        };
        state.checked_at = Instant::now();
        let stamp = file_stamp(path);
        if stamp.is_some() && stamp == state.stamp {
            return state.keyring.clone();
        }
        match read_key_file(path) {
            Ok((keyring, stamp)) => {
                tracing::info!(keys = ?keyring.ids(), "data keyring re-read from its file");
                state.keyring = Arc::new(keyring);
                state.stamp = stamp;
            }
            Err(error) => {
                tracing::error!(%error, "the data key file changed but cannot be read; keeping the keys in use");
            }
        }
        state.keyring.clone()
    }

    /// Seals `plaintext` for `field` under the primary key.
    pub fn seal(&self, field: Field, plaintext: &str) -> Result<Sealed, VaultError> {
        let keyring = self.keyring();
        seal_with(keyring.primary(), field, plaintext)
    }

    /// Seals an optional value.
    pub fn seal_opt(
        &self,
        field: Field,
        plaintext: Option<&str>,
    ) -> Result<Option<Sealed>, VaultError> {
        plaintext.map(|text| self.seal(field, text)).transpose()
    }

    /// The text of a sealed value. A value stored before encryption at rest (no prefix) is
    /// returned as it is; the first start of this version seals those.
    pub fn open(&self, field: Field, sealed: &Sealed) -> Result<String, VaultError> {
        let Some(rest) = sealed.0.strip_prefix(PREFIX) else {
            return Ok(sealed.0.clone());
        };
        let (id, body) = rest
            .split_once('.')
            .ok_or(VaultError::Corrupt(field.column()))?;
        let mut keyring = self.keyring();
        if keyring.by_id(id).is_none() {
            keyring = self.refresh(true);
        }
        let key = keyring
            .by_id(id)
            .ok_or_else(|| VaultError::UnknownKey(id.to_owned()))?;
        let bytes = URL_SAFE_NO_PAD
            .decode(body)
            .map_err(|_| VaultError::Corrupt(field.column()))?;
        if bytes.len() < NONCE_BYTES {
            return Err(VaultError::Corrupt(field.column()));
        }
        let (nonce, ciphertext) = bytes.split_at(NONCE_BYTES);
        let nonce: [u8; NONCE_BYTES] = nonce
            .try_into()
            .map_err(|_| VaultError::Corrupt(field.column()))?;
        let plaintext = key
            .cipher
            .decrypt(
                &XNonce::from(nonce),
                Payload {
                    msg: ciphertext,
                    aad: field.column().as_bytes(),
                },
            )
            .map_err(|_| VaultError::Corrupt(field.column()))?;
        String::from_utf8(plaintext).map_err(|_| VaultError::Corrupt(field.column()))
    }

    pub fn open_opt(
        &self,
        field: Field,
        sealed: Option<&Sealed>,
    ) -> Result<Option<String>, VaultError> {
        sealed.map(|value| self.open(field, value)).transpose()
    }

    /// The blind index of a normalised e-mail under the primary key: what a new row stores.
    pub fn email_index(&self, normalised_email: &str) -> String {
        index_with(self.keyring().primary(), normalised_email)
    }

    /// The blind index under every key, the primary first: what a look-up matches, so rows not
    /// yet re-sealed after a rotation are still found.
    pub fn email_indexes(&self, normalised_email: &str) -> Vec<String> {
        self.keyring()
            .keys
            .iter()
            .map(|key| index_with(key, normalised_email))
            .collect()
    }

    /// A stable pseudonym of `value` (an address, an e-mail) for keys that must not hold it, such
    /// as rate-limit buckets: 128 bits of HMAC, base64url.
    pub fn pseudonym(&self, value: &str) -> String {
        let mut mac = self.keyring().primary().pseudonym.clone();
        mac.update(value.as_bytes());
        URL_SAFE_NO_PAD.encode(&mac.finalize().into_bytes()[..16])
    }

    /// A new random index key, sealed for the `index_keys` table.
    pub fn new_index_key(&self) -> Result<Sealed, VaultError> {
        let mut raw = [0u8; KEY_BYTES];
        getrandom::fill(&mut raw).map_err(|e| VaultError::Random(e.to_string()))?;
        self.seal(Field::IndexKey, &STANDARD.encode(raw))
    }

    /// Opens the stored tracking-code index key and uses it from now on.
    pub fn install_tracking_index_key(&self, sealed: &Sealed) -> Result<(), VaultError> {
        let text = self.open(Field::IndexKey, sealed)?;
        let raw = parse_keys(std::iter::once(text.as_str()))
            .ok()
            .and_then(|keys| keys.into_iter().next())
            .ok_or(VaultError::IndexKey("is not 256 bits of base64"))?;
        let mac =
            <HmacSha256 as hmac::Mac>::new_from_slice(&raw).unwrap_or_else(|_| unreachable_hmac());
        match self.tracking.write() {
            Ok(mut slot) => *slot = Some(mac),
            Err(poisoned) => *poisoned.into_inner() = Some(mac),
        }
        Ok(())
    }

    /// A keyed hash of `value` in the namespace `domain`, under the tracking-code index key: unlike
    /// [`Vault::pseudonym`] it stays the same across data-key rotations (the index key is only
    /// re-sealed), so it can name something for longer than one key's life — the scope of an
    /// anonymous idempotency key, an erasure-ledger entry. The NUL after `domain` keeps it apart
    /// from tracking-code hashes (codes hold no NUL). Hex HMAC-SHA-256.
    pub fn stable_tag(&self, domain: &str, value: &str) -> Result<String, VaultError> {
        self.tracking_code_index(&format!("{domain}\0{value}"))
    }

    /// The keyed hash of a tracking code in its canonical spelling (`LL-XXXX-XXXX`): what a
    /// complaint stores and a look-up matches. Hex HMAC-SHA-256 under the tracking-code index key.
    pub fn tracking_code_index(&self, canonical_code: &str) -> Result<String, VaultError> {
        let slot = match self.tracking.read() {
            Ok(slot) => slot,
            Err(poisoned) => poisoned.into_inner(),
        };
        let mut mac = slot
            .as_ref()
            .ok_or(VaultError::IndexKey("is not loaded"))?
            .clone();
        mac.update(canonical_code.as_bytes());
        Ok(laporlapak_domain::hex(&mac.finalize().into_bytes()))
    }

    /// The seeds of the Ed25519 keys that sign the audit log's daily heads, one per data key
    /// (derived from it, so it is kept, backed up and rotated with it), with the data key's id,
    /// the primary first.
    pub fn audit_signing_seeds(&self) -> Vec<(String, [u8; KEY_BYTES])> {
        self.keyring()
            .keys
            .iter()
            .map(|key| (key.id.clone(), key.audit_signing))
            .collect()
    }

    /// The id of the primary key.
    pub fn primary_key_id(&self) -> String {
        self.keyring().primary().id.clone()
    }

    /// The key file: adds a new primary key in front of the ones it holds (which stay readable).
    /// Returns the new key's id. Refused for a keyring from `LAPORLAPAK_DATA_KEY`.
    pub fn add_primary_key(&self) -> Result<String, VaultError> {
        let path = self.key_file("add a key")?;
        let keyring = self.refresh(true);
        let mut raw = [0u8; KEY_BYTES];
        getrandom::fill(&mut raw).map_err(|e| VaultError::Random(e.to_string()))?;
        let mut keys = vec![raw];
        keys.extend(keyring.keys.iter().map(|key| key.raw));
        write_key_file(&path, &keys)?;
        let id = DataKey::new(raw).id;
        self.refresh(true);
        Ok(id)
    }

    /// The key file: keeps only the primary key. Returns the ids of the keys removed.
    pub fn retire_old_keys(&self) -> Result<Vec<String>, VaultError> {
        let path = self.key_file("retire keys")?;
        let keyring = self.refresh(true);
        let removed: Vec<String> = keyring.keys[1..].iter().map(|key| key.id.clone()).collect();
        if !removed.is_empty() {
            write_key_file(&path, &[keyring.primary().raw])?;
            self.refresh(true);
        }
        Ok(removed)
    }

    fn key_file(&self, what: &str) -> Result<PathBuf, VaultError> {
        match &self.source {
            KeySource::File(path) => Ok(path.clone()),
            KeySource::Configured => Err(VaultError::Configured(format!(
                "the keys come from the environment, so this command cannot {what}: put the new \
                 key first in LAPORLAPAK_DATA_KEY on every replica, then run it again"
            ))),
        }
    }
}

fn seal_with(key: &DataKey, field: Field, plaintext: &str) -> Result<Sealed, VaultError> {
    let mut nonce = [0u8; NONCE_BYTES];
    getrandom::fill(&mut nonce).map_err(|e| VaultError::Random(e.to_string()))?;
    let ciphertext = key
        .cipher
        .encrypt(
            &XNonce::from(nonce),
            Payload {
                msg: plaintext.as_bytes(),
                aad: field.column().as_bytes(),
            },
        )
        .map_err(|_| VaultError::Corrupt(field.column()))?;
    let mut body = nonce.to_vec();
    body.extend_from_slice(&ciphertext);
    Ok(Sealed(format!(
        "{PREFIX}{}.{}",
        key.id,
        URL_SAFE_NO_PAD.encode(body)
    )))
}

fn index_with(key: &DataKey, normalised_email: &str) -> String {
    let mut mac = key.index.clone();
    mac.update(normalised_email.as_bytes());
    laporlapak_domain::hex(&mac.finalize().into_bytes())
}

fn parse_keys<'a>(values: impl Iterator<Item = &'a str>) -> Result<Vec<[u8; KEY_BYTES]>, String> {
    let mut keys = Vec::new();
    for value in values
        .map(str::trim)
        .filter(|value| !value.is_empty() && !value.starts_with('#'))
    {
        let bytes = STANDARD
            .decode(value)
            .map_err(|_| "a key is not base64".to_owned())?;
        let key: [u8; KEY_BYTES] = bytes
            .try_into()
            .map_err(|_| format!("a key is not {KEY_BYTES} bytes (base64 of 256 random bits)"))?;
        keys.push(key);
    }
    Ok(keys)
}

fn file_stamp(path: &Path) -> Option<(SystemTime, u64)> {
    let meta = std::fs::metadata(path).ok()?;
    Some((meta.modified().ok()?, meta.len()))
}

fn read_key_file(path: &Path) -> Result<(Keyring, Option<(SystemTime, u64)>), VaultError> {
    let refuse = |reason: String| VaultError::KeyFile {
        path: path.to_owned(),
        reason,
    };
    let stamp = file_stamp(path);
    let text = std::fs::read_to_string(path).map_err(|e| refuse(e.to_string()))?;
    if let Ok(meta) = std::fs::metadata(path)
        && meta.permissions().mode() & 0o077 != 0
    {
        tracing::warn!(path = %path.display(), "the data key file is readable by others; chmod 600 it");
    }
    let keys = parse_keys(text.lines()).map_err(refuse)?;
    let keyring = Keyring::new(keys).ok_or_else(|| refuse("it holds no key".to_owned()))?;
    Ok((keyring, stamp))
}

fn create_key_file_if_missing(path: &Path) -> Result<(), VaultError> {
    if path.exists() {
        return Ok(());
    }
    let refuse = |reason: String| VaultError::KeyFile {
        path: path.to_owned(),
        reason,
    };
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| refuse(e.to_string()))?;
    }
    let mut raw = [0u8; KEY_BYTES];
    getrandom::fill(&mut raw).map_err(|e| VaultError::Random(e.to_string()))?;
    // create_new: of two processes starting at once, one writes the key and both then read it.
    match std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
    {
        Ok(mut file) => {
            writeln!(file, "{}", STANDARD.encode(raw)).map_err(|e| refuse(e.to_string()))?;
            file.sync_all().map_err(|e| refuse(e.to_string()))?;
            tracing::info!(path = %path.display(), "generated a new data key");
            Ok(())
        }
        Err(error) if error.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        Err(error) => Err(refuse(error.to_string())),
    }
}

/// Writes the keyring to a temporary file beside `path` and renames it over `path`, so a reader
/// sees the old file or the new one, never half of one.
fn write_key_file(path: &Path, keys: &[[u8; KEY_BYTES]]) -> Result<(), VaultError> {
    let refuse = |reason: String| VaultError::KeyFile {
        path: path.to_owned(),
        reason,
    };
    let dir = path.parent().unwrap_or_else(|| Path::new("."));
    let mut temporary = tempfile::Builder::new()
        .prefix(".data-key")
        .permissions(std::fs::Permissions::from_mode(0o600))
        .tempfile_in(dir)
        .map_err(|e| refuse(e.to_string()))?;
    writeln!(
        temporary,
        "# laporlapak data keys, the primary first; keep this file secret and backed up apart from the database"
    )
    .map_err(|e| refuse(e.to_string()))?;
    for key in keys {
        writeln!(temporary, "{}", STANDARD.encode(key)).map_err(|e| refuse(e.to_string()))?;
    }
    temporary
        .as_file()
        .sync_all()
        .map_err(|e| refuse(e.to_string()))?;
    temporary
        .persist(path)
        .map_err(|e| refuse(e.error.to_string()))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    type TestResult = Result<(), Box<dyn std::error::Error>>;

    fn vault() -> Result<(tempfile::TempDir, Vault), Box<dyn std::error::Error>> {
        let dir = tempfile::tempdir()?;
        let vault = Vault::open_keyring(None, dir.path())?;
        Ok((dir, vault))
    }

    #[test]
    fn a_sealed_value_opens_only_for_its_column() -> TestResult {
        let (_dir, vault) = vault()?;
        let sealed = vault.seal(Field::Email, "budi@mail.id")?;
        assert!(!sealed.0.contains("budi"));
        assert_eq!(vault.open(Field::Email, &sealed)?, "budi@mail.id");
        assert!(matches!(
            vault.open(Field::ContactEmail, &sealed),
            Err(VaultError::Corrupt(_))
        ));
        // Two seals of one value differ (random nonce), so equal values cannot be matched.
        assert_ne!(vault.seal(Field::Email, "budi@mail.id")?, sealed);
        Ok(())
    }

    #[test]
    fn the_key_file_is_made_once_with_mode_0600_and_rotation_keeps_old_values_readable()
    -> TestResult {
        let (dir, vault) = vault()?;
        let path = dir.path().join(KEY_FILE);
        assert_eq!(
            std::fs::metadata(&path)?.permissions().mode() & 0o777,
            0o600
        );
        let old = vault.seal(Field::DisplayName, "Budi")?;
        let old_index = vault.email_index("budi@mail.id");
        let new_id = vault.add_primary_key()?;
        assert_eq!(vault.primary_key_id(), new_id);
        assert_ne!(old.key_id(), Some(new_id.as_str()));
        assert_eq!(vault.open(Field::DisplayName, &old)?, "Budi");
        assert_eq!(vault.email_indexes("budi@mail.id")[1], old_index);
        assert_eq!(
            std::fs::metadata(&path)?.permissions().mode() & 0o777,
            0o600
        );
        // Another process (a server) reading the same file sees the new key first.
        let other = Vault::open_keyring(None, dir.path())?;
        assert_eq!(other.primary_key_id(), new_id);
        assert_eq!(vault.retire_old_keys()?.len(), 1);
        assert!(matches!(
            vault.open(Field::DisplayName, &old),
            Err(VaultError::UnknownKey(_))
        ));
        Ok(())
    }

    #[test]
    fn configured_keys_must_be_256_bits_of_base64() -> TestResult {
        let dir = tempfile::tempdir()?;
        assert!(Vault::open_keyring(Some("c2hvcnQ="), dir.path()).is_err());
        assert!(Vault::open_keyring(Some("not base64!"), dir.path()).is_err());
        let key = STANDARD.encode([7u8; 32]);
        let vault = Vault::open_keyring(Some(&key), dir.path())?;
        assert!(vault.add_primary_key().is_err());
        assert!(!dir.path().join(KEY_FILE).exists());
        Ok(())
    }

    #[test]
    fn tracking_code_hashes_survive_a_rotation_of_the_data_key() -> TestResult {
        let (_dir, vault) = vault()?;
        assert!(vault.tracking_code_index("LL-7K3M-Q9XP").is_err());
        let stored = vault.new_index_key()?;
        vault.install_tracking_index_key(&stored)?;
        let hash = vault.tracking_code_index("LL-7K3M-Q9XP")?;
        assert_eq!(hash.len(), 64);
        assert!(!hash.contains("7K3M"));
        assert_ne!(vault.tracking_code_index("LL-7K3M-Q9XQ")?, hash);
        // A rotation re-seals the stored key; installed again, it gives the same hashes.
        vault.add_primary_key()?;
        let resealed = vault.seal(Field::IndexKey, &vault.open(Field::IndexKey, &stored)?)?;
        vault.retire_old_keys()?;
        vault.install_tracking_index_key(&resealed)?;
        assert_eq!(vault.tracking_code_index("LL-7K3M-Q9XP")?, hash);
        Ok(())
    }

    #[test]
    fn a_value_stored_before_encryption_reads_as_it_is() -> TestResult {
        let (_dir, vault) = vault()?;
        let legacy = Sealed("budi@mail.id".to_owned());
        assert_eq!(legacy.key_id(), None);
        assert_eq!(vault.open(Field::Email, &legacy)?, "budi@mail.id");
        Ok(())
    }
}
