//! `laporlapak verify-audit`: recomputes the whole chain from the events as they are now and
//! checks every signed head. Each link is checked on its own (the event exists; its private
//! fields match the commitment; its entry hashes to the stored leaf; the stored chain hash
//! follows from the previous one), so an altered or deleted event is named by its id and
//! position; each day's head is checked against the chain recomputed from the events (tree root
//! and chain hashes) and its Ed25519 signature against its public key, which must be one of the
//! keyring's (or is reported as a key no longer in it).

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;

use super::encoding::{self, Hash};
use crate::Services;
use crate::error::ServiceResult;
use laporlapak_db::DbConnection;
use laporlapak_db::models::audit_chain::{ChainHead, ChainLink, SignedHead};
use laporlapak_db::models::event::Event;

/// Links read per statement.
const BATCH: i64 = 2_000;

/// What a verification found.
#[derive(Debug, Clone, Default)]
pub struct AuditVerification {
    /// Links in the chain.
    pub links: i64,
    /// Signed heads checked.
    pub heads: usize,
    /// Events not yet sealed (the sealer's next round takes them).
    pub unsealed: i64,
    /// Signed by a key that is not in the keyring any more (checked against the key it names).
    pub retired_keys: Vec<String>,
    /// Every discrepancy, in chain order.
    pub problems: Vec<String>,
}

pub async fn verify(services: &Services) -> ServiceResult<AuditVerification> {
    let known: Vec<String> = super::public_keys(services)
        .into_iter()
        .map(|(_, key)| key)
        .collect();
    services.db.run(move |conn| verify_on(conn, &known)).await
}

/// One head being checked: its leaves as recomputed from the events.
struct OpenHead {
    head: SignedHead,
    leaves: Vec<Hash>,
}

fn verify_on(conn: &mut DbConnection, known_keys: &[String]) -> ServiceResult<AuditVerification> {
    let mut report = AuditVerification::default();
    let mut heads = SignedHead::all(conn)?.into_iter().peekable();
    let mut open: Option<OpenHead> = None;
    // The chain as recomputed from the events, and as stored.
    let mut computed = encoding::ZERO;
    let mut stored_previous = encoding::ZERO;
    let mut after = 0_i64;
    loop {
        let links = ChainLink::range(conn, after, BATCH)?;
        if links.is_empty() {
            break;
        }
        let ids: Vec<i64> = links.iter().map(|l| l.event_id).collect();
        let events = Event::by_ids(conn, &ids)?;
        for link in &links {
            if link.position != after + 1 {
                report.problems.push(format!(
                    "positions {} to {} are missing from the chain (links deleted)",
                    after + 1,
                    link.position - 1
                ));
                computed = encoding::ZERO;
            }
            after = link.position;
            report.links += 1;
            let stored_leaf = encoding::parse_hash(&link.leaf_hash).unwrap_or(encoding::ZERO);
            let leaf = match events.iter().find(|e| e.id == link.event_id) {
                None => {
                    report.problems.push(format!(
                        "event {} (position {}) is missing: it was deleted",
                        link.event_id, link.position
                    ));
                    None
                }
                Some(event) => {
                    let salt = encoding::parse_hex(&link.salt).unwrap_or_default();
                    let private = encoding::hex(&encoding::private_commitment(&salt, event));
                    let leaf = encoding::leaf_hash(
                        encoding::entry(event, &link.private_sha256).as_bytes(),
                    );
                    if private != link.private_sha256 {
                        report.problems.push(format!(
                            "event {} (position {}) was altered: its actor or details no longer match what was sealed",
                            event.id, link.position
                        ));
                    } else if leaf != stored_leaf {
                        report.problems.push(format!(
                            "event {} (position {}) was altered: it no longer hashes to its sealed leaf",
                            event.id, link.position
                        ));
                    }
                    Some(leaf)
                }
            };
            let leaf = leaf.unwrap_or(stored_leaf);
            if encoding::hex(&encoding::chain_next(&stored_previous, &stored_leaf))
                != link.chain_hash
            {
                report.problems.push(format!(
                    "position {} (event {}): the stored chain hash does not follow from the previous link",
                    link.position, link.event_id
                ));
            }
            stored_previous = encoding::parse_hash(&link.chain_hash).unwrap_or(encoding::ZERO);
            let previous = computed;
            computed = encoding::chain_next(&computed, &leaf);
            // The day's head this link belongs to.
            if open.is_none()
                && let Some(next) = heads.next_if(|h| h.first_position == link.position)
            {
                if encoding::hex(&previous) != next.previous_chain_hash {
                    report.problems.push(format!(
                        "head of {}: its previous chain hash is not the chain's before position {}",
                        next.day, next.first_position
                    ));
                }
                open = Some(OpenHead {
                    head: next,
                    leaves: Vec::new(),
                });
            }
            if let Some(current) = open.as_mut() {
                current.leaves.push(leaf);
                let head = &current.head;
                if link.position == head.first_position + head.tree_size - 1 {
                    check_head(head, &current.leaves, &computed, known_keys, &mut report);
                    open = None;
                }
            }
        }
    }
    if let Some(current) = open {
        report.problems.push(format!(
            "head of {} signs positions up to {}, but the chain ends at {after}",
            current.head.day,
            current.head.first_position + current.head.tree_size - 1
        ));
    }
    for head in heads {
        report.problems.push(format!(
            "head of {} signs positions {} to {}, which are not in the chain (links deleted, or heads out of order)",
            head.day,
            head.first_position,
            head.first_position + head.tree_size - 1
        ));
    }
    let head = ChainHead::read(conn)?;
    if head.position != after || head.chain_hash != encoding::hex(&stored_previous) {
        report.problems.push(format!(
            "the chain head (position {}) is not the chain's last link (position {after})",
            head.position
        ));
    }
    report.unsealed = ChainLink::count_unsealed(conn)?;
    Ok(report)
}

fn check_head(
    head: &SignedHead,
    leaves: &[Hash],
    chain: &Hash,
    known_keys: &[String],
    report: &mut AuditVerification,
) {
    report.heads += 1;
    if encoding::hex(&encoding::merkle_root(leaves)) != head.tree_root {
        report.problems.push(format!(
            "head of {}: the tree of positions {} to {} no longer has the signed root",
            head.day,
            head.first_position,
            head.first_position + head.tree_size - 1
        ));
    }
    if encoding::hex(chain) != head.chain_hash {
        report.problems.push(format!(
            "head of {}: the chain at position {} no longer has the signed hash",
            head.day,
            head.first_position + head.tree_size - 1
        ));
    }
    match signature_ok(head) {
        Ok(()) => {}
        Err(why) => report
            .problems
            .push(format!("head of {}: the signature {why}", head.day)),
    }
    if !known_keys.contains(&head.public_key) && !report.retired_keys.contains(&head.key_id) {
        report.retired_keys.push(head.key_id.clone());
    }
}

/// Checks the head's Ed25519 signature against the public key it names.
pub fn signature_ok(head: &SignedHead) -> Result<(), &'static str> {
    let key: [u8; 32] = STANDARD
        .decode(&head.public_key)
        .ok()
        .and_then(|k| k.try_into().ok())
        .ok_or("names a public key that is not 32 bytes of base64")?;
    let key = ed25519_dalek::VerifyingKey::from_bytes(&key).map_err(|_| "names an invalid key")?;
    let signature: [u8; 64] = STANDARD
        .decode(&head.signature)
        .ok()
        .and_then(|s| s.try_into().ok())
        .ok_or("is not 64 bytes of base64")?;
    key.verify_strict(
        encoding::head_message(head).as_bytes(),
        &ed25519_dalek::Signature::from_bytes(&signature),
    )
    .map_err(|_| "does not verify")
}
