//! The byte encodings and hashes of the audit log (docs/audit-log.md is the verifier's copy of
//! this; change neither without the other, and never change a version once heads are signed).
//!
//! * An event's **entry** is UTF-8 text, one `name=value` line per field, each ending in `\n`, in
//!   this order, a line left out when its value is NULL:
//!   `laporlapak audit event v1`, `event=<id>`, `at=<YYYY-MM-DDTHH:MM:SS.ffffffZ>`,
//!   `actor_role=`, `action=`, `subject=<type>:<id>`, `case=`, `case_status=`, `private=<hex>`.
//! * `private` commits to the fields that name people or may one day be erased (the acting
//!   account, the acting API client, the details): hex SHA-256 of the link's 16-byte salt followed
//!   by `actor_account=<id>\n`, `actor_api_client=<id>\n` (each left out when NULL) and, when
//!   present, `details=` and the details' bytes to the end. The salt is never published, so the
//!   commitment cannot be tested by guessing; should a field be lawfully erased, the stored
//!   commitment still verifies the chain.
//! * **Leaf hash** (RFC 9162 §2.1.1): SHA-256(0x00 ‖ entry). **Chain hash**: SHA-256(previous
//!   chain hash ‖ leaf hash), 32 zero bytes before position 1.
//! * A day's **tree root** is RFC 9162's Merkle Tree Hash over the leaf hashes of the positions
//!   sealed that UTC day, in chain order (node = SHA-256(0x01 ‖ left ‖ right)); an inclusion
//!   proof is RFC 9162's audit path.
//! * The **signed message** of a day's head is [`head_message`]; the signature is Ed25519.

use chrono::NaiveDateTime;
use sha2::{Digest as _, Sha256};

use laporlapak_db::models::audit_chain::SignedHead;
use laporlapak_db::models::event::Event;

pub type Hash = [u8; 32];

/// The chain hash before the first position.
pub const ZERO: Hash = [0; 32];

/// The timestamp of an entry: microseconds, UTC.
pub fn timestamp(at: NaiveDateTime) -> String {
    at.format("%Y-%m-%dT%H:%M:%S%.6fZ").to_string()
}

/// The commitment to the event's private fields under `salt`.
pub fn private_commitment(salt: &[u8], event: &Event) -> Hash {
    let mut hasher = Sha256::new();
    hasher.update(salt);
    if let Some(id) = event.actor_account_id {
        hasher.update(format!("actor_account={id}\n"));
    }
    if let Some(id) = event.actor_api_client_id {
        hasher.update(format!("actor_api_client={id}\n"));
    }
    if let Some(details) = &event.details {
        hasher.update(b"details=");
        hasher.update(details.as_bytes());
    }
    hasher.finalize().into()
}

/// The event's entry, given its private commitment (hex).
pub fn entry(event: &Event, private_hex: &str) -> String {
    use std::fmt::Write as _;
    let mut out = String::from("laporlapak audit event v1\n");
    let _ = writeln!(out, "event={}", event.id);
    let _ = writeln!(out, "at={}", timestamp(event.at));
    if let Some(role) = event.actor_role {
        let _ = writeln!(out, "actor_role={}", role.as_str());
    }
    let _ = writeln!(out, "action={}", event.action.as_str());
    let _ = writeln!(
        out,
        "subject={}:{}",
        event.subject_type.as_str(),
        event.subject_id
    );
    if let Some(case) = event.case_id {
        let _ = writeln!(out, "case={case}");
    }
    if let Some(status) = event.case_status {
        let _ = writeln!(out, "case_status={}", status.as_str());
    }
    let _ = writeln!(out, "private={private_hex}");
    out
}

pub fn leaf_hash(entry: &[u8]) -> Hash {
    let mut hasher = Sha256::new();
    hasher.update([0u8]);
    hasher.update(entry);
    hasher.finalize().into()
}

pub fn chain_next(previous: &Hash, leaf: &Hash) -> Hash {
    let mut hasher = Sha256::new();
    hasher.update(previous);
    hasher.update(leaf);
    hasher.finalize().into()
}

fn node(left: &Hash, right: &Hash) -> Hash {
    let mut hasher = Sha256::new();
    hasher.update([1u8]);
    hasher.update(left);
    hasher.update(right);
    hasher.finalize().into()
}

/// The largest power of two smaller than `n` (n > 1).
fn split(n: usize) -> usize {
    let mut k = 1;
    while k << 1 < n {
        k <<= 1;
    }
    k
}

/// RFC 9162 Merkle Tree Hash over leaf hashes.
pub fn merkle_root(leaves: &[Hash]) -> Hash {
    match leaves.len() {
        0 => Sha256::digest([]).into(),
        1 => leaves[0],
        n => {
            let k = split(n);
            node(&merkle_root(&leaves[..k]), &merkle_root(&leaves[k..]))
        }
    }
}

/// RFC 9162 audit path of leaf `index` (`index < leaves.len()`), from the leaf up.
pub fn inclusion_path(index: usize, leaves: &[Hash]) -> Vec<Hash> {
    let n = leaves.len();
    if n <= 1 || index >= n {
        return Vec::new();
    }
    let k = split(n);
    if index < k {
        let mut path = inclusion_path(index, &leaves[..k]);
        path.push(merkle_root(&leaves[k..]));
        path
    } else {
        let mut path = inclusion_path(index - k, &leaves[k..]);
        path.push(merkle_root(&leaves[..k]));
        path
    }
}

/// RFC 9162 §2.1.3.2: whether `path` proves `leaf` at `index` in a tree of `size` with `root`.
pub fn verify_inclusion(index: u64, size: u64, leaf: &Hash, path: &[Hash], root: &Hash) -> bool {
    if index >= size {
        return false;
    }
    let (mut fn_, mut sn, mut r) = (index, size - 1, *leaf);
    for p in path {
        if sn == 0 {
            return false;
        }
        if fn_ & 1 == 1 || fn_ == sn {
            r = node(p, &r);
            while fn_ & 1 == 0 && fn_ != 0 {
                fn_ >>= 1;
                sn >>= 1;
            }
        } else {
            r = node(&r, p);
        }
        fn_ >>= 1;
        sn >>= 1;
    }
    sn == 0 && r == *root
}

/// The bytes a day's head signs.
pub fn head_message(head: &SignedHead) -> String {
    format!(
        "laporlapak audit head v1\nday={}\nfirst_position={}\ntree_size={}\ntree_root={}\nprevious_chain_hash={}\nchain_hash={}\n",
        head.day,
        head.first_position,
        head.tree_size,
        head.tree_root,
        head.previous_chain_hash,
        head.chain_hash
    )
}

pub fn hex(hash: &[u8]) -> String {
    laporlapak_domain::hex(hash)
}

/// Parses 64 hex digits.
pub fn parse_hash(text: &str) -> Option<Hash> {
    let bytes = parse_hex(text)?;
    bytes.try_into().ok()
}

pub fn parse_hex(text: &str) -> Option<Vec<u8>> {
    if !text.len().is_multiple_of(2) {
        return None;
    }
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(text.get(i..i + 2)?, 16).ok())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn leaves(n: usize) -> Vec<Hash> {
        (0..n)
            .map(|i| leaf_hash(format!("entry {i}").as_bytes()))
            .collect()
    }

    #[test]
    fn every_leaf_of_every_tree_size_up_to_40_proves_its_inclusion() {
        for n in 1..=40 {
            let leaves = leaves(n);
            let root = merkle_root(&leaves);
            for (i, leaf) in leaves.iter().enumerate() {
                let path = inclusion_path(i, &leaves);
                assert!(verify_inclusion(i as u64, n as u64, leaf, &path, &root));
                let other = leaf_hash(b"not in the tree");
                assert!(!verify_inclusion(i as u64, n as u64, &other, &path, &root));
            }
        }
    }

    #[test]
    fn the_tree_hash_is_rfc_9162s() {
        // Empty tree: SHA-256 of nothing; two leaves: one node over both.
        assert_eq!(
            hex(&merkle_root(&[])),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
        let two = leaves(2);
        assert_eq!(merkle_root(&two), node(&two[0], &two[1]));
        let three = leaves(3);
        assert_eq!(
            merkle_root(&three),
            node(&node(&three[0], &three[1]), &three[2])
        );
    }
}
