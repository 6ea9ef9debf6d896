//! A log anyone can verify: the audit trail as a hash chain with a signed head per day.
//!
//! **Sealing.** Events are written by many transactions at once (`audit::record`, unchanged: the
//! hot path costs no extra statement), and on PostgreSQL their ids are not committed in id order.
//! So no writer extends the chain: a single *sealer* does, in the worker loop of every server
//! process ([`tick`]). It locks the one row of `audit_chain_head` (`FOR UPDATE SKIP LOCKED` on
//! PostgreSQL: of several replicas one seals, the others skip the round; SQLite has one writer),
//! takes the committed events not yet in the chain, in id order, and gives each the next
//! position, in its own transaction. Events are sealed within about a second of their commit (the
//! worker's round). The sealer looks for unsealed events above the greatest id sealed less
//! [`LOOKBACK`] ids, which covers a transaction that commits out of order unless that many later
//! events committed before it; the whole table is swept at each server start and before each
//! day is signed, so such an event is sealed by then at the latest (`verify-audit` counts the
//! events not yet sealed).
//!
//! **Signing.** Once a UTC day is over, the positions sealed during it form an RFC 9162 Merkle
//! tree; its root, the chain hash before and after the day, the day and the positions are signed
//! with Ed25519 under a key derived from the primary data key (so it is kept, backed up and
//! rotated with the data key; each head names its key id and carries its public key).
//!
//! The encodings are in [`encoding`]; verification of the whole log in [`verify`].

pub mod encoding;
pub mod verify;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use chrono::{NaiveDateTime, NaiveTime};
use ed25519_dalek::Signer as _;

use crate::Services;
use crate::error::{ServiceError, ServiceResult};
use crate::viewer::Viewer;
use encoding::Hash;
use laporlapak_db::DbConnection;
pub use laporlapak_db::models::audit_chain::SignedHead;
use laporlapak_db::models::audit_chain::{ChainHead, ChainLink};
use laporlapak_db::models::event::Event;
use laporlapak_domain::SubjectKind;

/// How far below the greatest sealed id the sealer looks for events committed out of order.
pub const LOOKBACK: i64 = 5_000;
/// Events sealed per transaction.
const BATCH: i64 = 1_000;
/// Days signed per round at most (a server that was down for longer catches up round by round).
const DAYS_PER_ROUND: usize = 31;

/// What one round of the sealer did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Round {
    pub sealed: usize,
    pub signed: usize,
}

/// One round: seals the committed events not yet in the chain (every event when `full`, else
/// those within [`LOOKBACK`] of the head), then signs the days that are over.
pub async fn tick(services: &Services, full: bool) -> ServiceResult<Round> {
    let mut round = Round::default();
    loop {
        let sealed = seal_batch(services, full).await?;
        round.sealed += sealed;
        if sealed < usize::try_from(BATCH).unwrap_or(usize::MAX) {
            break;
        }
    }
    if day_to_sign(services).await? {
        // Stragglers first, so that they are sealed (into today) before yesterday is closed.
        while seal_batch(services, true).await? > 0 {}
        round.signed = sign_days(services).await?;
    }
    Ok(round)
}

/// The signing key: derived from the primary data key. Returns its id and the key.
pub fn signing_key(services: &Services) -> ServiceResult<(String, ed25519_dalek::SigningKey)> {
    let (id, seed) = services
        .vault
        .audit_signing_seeds()
        .into_iter()
        .next()
        .ok_or(crate::error::InternalError::Invariant("a data key"))?;
    Ok((id, ed25519_dalek::SigningKey::from_bytes(&seed)))
}

/// The public keys of every data key in the keyring, with their ids, the primary first (base64).
pub fn public_keys(services: &Services) -> Vec<(String, String)> {
    services
        .vault
        .audit_signing_seeds()
        .into_iter()
        .map(|(id, seed)| {
            let key = ed25519_dalek::SigningKey::from_bytes(&seed);
            (id, STANDARD.encode(key.verifying_key().as_bytes()))
        })
        .collect()
}

async fn seal_batch(services: &Services, full: bool) -> ServiceResult<usize> {
    // A read first: most rounds find nothing, and take no write lock.
    let pending = services
        .db
        .run(move |conn| {
            let head = ChainHead::read(conn)?;
            let floor = if full {
                0
            } else {
                (head.max_event_id - LOOKBACK).max(0)
            };
            Ok::<_, ServiceError>(!ChainLink::unsealed(conn, floor, 1)?.is_empty())
        })
        .await?;
    if !pending {
        return Ok(0);
    }
    services
        .write(move |conn, now| Ok(seal_locked(conn, now, full)?))
        .await
}

/// Seals up to [`BATCH`] events in the caller's write transaction.
pub fn seal_locked(
    conn: &mut DbConnection,
    now: NaiveDateTime,
    full: bool,
) -> diesel::QueryResult<usize> {
    let Some(mut head) = ChainHead::lock(conn)? else {
        return Ok(0);
    };
    let floor = if full {
        0
    } else {
        (head.max_event_id - LOOKBACK).max(0)
    };
    let events = ChainLink::unsealed(conn, floor, BATCH)?;
    let mut previous = encoding::parse_hash(&head.chain_hash).unwrap_or(encoding::ZERO);
    let mut links = Vec::with_capacity(events.len());
    for event in &events {
        let mut salt = [0u8; 16];
        getrandom::fill(&mut salt).map_err(|e| {
            diesel::result::Error::QueryBuilderError(format!("randomness: {e}").into())
        })?;
        let private = encoding::hex(&encoding::private_commitment(&salt, event));
        let leaf = encoding::leaf_hash(encoding::entry(event, &private).as_bytes());
        let chain = encoding::chain_next(&previous, &leaf);
        head.position += 1;
        head.max_event_id = head.max_event_id.max(event.id);
        links.push(ChainLink {
            position: head.position,
            event_id: event.id,
            sealed_at: now,
            salt: encoding::hex(&salt),
            private_sha256: private,
            leaf_hash: encoding::hex(&leaf),
            chain_hash: encoding::hex(&chain),
        });
        previous = chain;
    }
    if links.is_empty() {
        return Ok(0);
    }
    head.chain_hash = encoding::hex(&previous);
    ChainLink::insert_many(conn, &links)?;
    head.save(conn)?;
    Ok(links.len())
}

fn midnight(at: NaiveDateTime) -> NaiveDateTime {
    at.date().and_time(NaiveTime::MIN)
}

/// The first position no signed head covers.
fn next_unsigned(conn: &mut DbConnection) -> diesel::QueryResult<i64> {
    Ok(SignedHead::latest(conn)?.map_or(1, |head| head.first_position + head.tree_size))
}

/// Whether a day that is over has sealed events no head signs.
async fn day_to_sign(services: &Services) -> ServiceResult<bool> {
    let today = midnight(services.clock.now());
    services
        .db
        .run(move |conn| {
            let first = next_unsigned(conn)?;
            Ok::<_, ServiceError>(
                ChainLink::at(conn, first)?.is_some_and(|link| link.sealed_at < today),
            )
        })
        .await
}

async fn sign_days(services: &Services) -> ServiceResult<usize> {
    let (key_id, key) = signing_key(services)?;
    services
        .write(move |conn, now| {
            if ChainHead::lock(conn)?.is_none() {
                return Ok(0);
            }
            let today = midnight(now);
            let mut signed = 0;
            while signed < DAYS_PER_ROUND {
                let first = next_unsigned(conn)?;
                let Some(link) = ChainLink::at(conn, first)? else {
                    break;
                };
                if link.sealed_at >= today {
                    break;
                }
                let day_start = midnight(link.sealed_at);
                let day_end = day_start + chrono::Duration::days(1);
                let last = ChainLink::last_sealed_before(conn, first, day_end)?.unwrap_or(first);
                let leaves = parse_leaves(&ChainLink::leaf_hashes(conn, first, last)?)?;
                let previous_chain_hash = if first == 1 {
                    encoding::hex(&encoding::ZERO)
                } else {
                    ChainLink::at(conn, first - 1)?
                        .ok_or(crate::error::InternalError::Invariant("the previous link"))?
                        .chain_hash
                };
                let chain_hash = ChainLink::at(conn, last)?
                    .ok_or(crate::error::InternalError::Invariant(
                        "the day's last link",
                    ))?
                    .chain_hash;
                let mut head = SignedHead {
                    day: day_start.format("%Y-%m-%d").to_string(),
                    first_position: first,
                    tree_size: last - first + 1,
                    tree_root: encoding::hex(&encoding::merkle_root(&leaves)),
                    previous_chain_hash,
                    chain_hash,
                    key_id: key_id.clone(),
                    public_key: STANDARD.encode(key.verifying_key().as_bytes()),
                    signature: String::new(),
                    signed_at: now,
                };
                let signature = key.sign(encoding::head_message(&head).as_bytes());
                head.signature = STANDARD.encode(signature.to_bytes());
                head.insert(conn)?;
                signed += 1;
            }
            Ok(signed)
        })
        .await
}

fn parse_leaves(hex: &[String]) -> ServiceResult<Vec<Hash>> {
    hex.iter()
        .map(|leaf| {
            encoding::parse_hash(leaf)
                .ok_or_else(|| crate::error::InternalError::Invariant("a stored leaf hash").into())
        })
        .collect()
}

/// The newest `limit` signed heads, newest first (public).
pub async fn heads(services: &Services, limit: i64) -> ServiceResult<Vec<SignedHead>> {
    let limit = limit.clamp(1, 366);
    services
        .db
        .run(move |conn| Ok(SignedHead::newest(conn, limit)?))
        .await
}

/// The proof that one event is in the published log.
#[derive(Debug, Clone)]
pub struct EventProof {
    pub event_id: i64,
    /// Everything below is `None`/empty until the sealer has sealed the event.
    pub position: Option<i64>,
    pub entry: Option<String>,
    pub leaf_hash: Option<String>,
    /// The signed head of the day the event was sealed; `None` until that day is signed.
    pub head: Option<SignedHead>,
    /// The event's index in that day's tree (its position less the head's first position).
    pub leaf_index: Option<i64>,
    /// RFC 9162 audit path, hex, from the leaf up.
    pub audit_path: Vec<String>,
}

/// The proofs that the events about takedown request `request_id` are in the published log:
/// for the platform the request went to (another platform's request is NOT_FOUND), reviewers,
/// admins and the regulator.
pub async fn request_proof(
    services: &Services,
    viewer: &Viewer,
    request_id: i64,
) -> ServiceResult<Vec<EventProof>> {
    let platform = match viewer.platform_rep() {
        Ok(rep) => Some(rep.platform_id()),
        Err(refused) => {
            if viewer.staff().is_none() && viewer.regulator().is_err() {
                return Err(refused);
            }
            None
        }
    };
    services
        .db
        .run(move |conn| {
            let request =
                laporlapak_db::models::takedown_request::TakedownRequest::find(conn, request_id)?
                    .filter(|r| platform.is_none_or(|p| r.platform_id == p))
                    .ok_or(ServiceError::NotFound)?;
            let ids = Event::ids_about(conn, SubjectKind::TakedownRequest, request.id)?;
            let events = Event::by_ids(conn, &ids)?;
            let links = ChainLink::of_events(conn, &ids)?;
            let mut proofs = Vec::with_capacity(ids.len());
            for id in ids {
                let event = events.iter().find(|e| e.id == id);
                let link = links.iter().find(|l| l.event_id == id);
                proofs.push(prove(conn, id, event, link)?);
            }
            Ok(proofs)
        })
        .await
}

fn prove(
    conn: &mut DbConnection,
    event_id: i64,
    event: Option<&Event>,
    link: Option<&ChainLink>,
) -> ServiceResult<EventProof> {
    let mut proof = EventProof {
        event_id,
        position: None,
        entry: None,
        leaf_hash: None,
        head: None,
        leaf_index: None,
        audit_path: Vec::new(),
    };
    let (Some(event), Some(link)) = (event, link) else {
        return Ok(proof);
    };
    proof.position = Some(link.position);
    proof.entry = Some(encoding::entry(event, &link.private_sha256));
    proof.leaf_hash = Some(link.leaf_hash.clone());
    if let Some(head) = SignedHead::covering(conn, link.position)? {
        let last = head.first_position + head.tree_size - 1;
        let leaves = parse_leaves(&ChainLink::leaf_hashes(conn, head.first_position, last)?)?;
        let index = link.position - head.first_position;
        proof.audit_path = encoding::inclusion_path(usize::try_from(index).unwrap_or(0), &leaves)
            .iter()
            .map(|h| encoding::hex(h))
            .collect();
        proof.leaf_index = Some(index);
        proof.head = Some(head);
    }
    Ok(proof)
}
