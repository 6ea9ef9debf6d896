//! The verifiable audit log: signed day heads and signing keys (public), and inclusion proofs for
//! a takedown request's events (its platform, staff and the regulator). docs/audit-log.md says
//! how to check them.

use async_graphql::{Context, Description, ID, Object, SimpleObject};

use crate::graphql::ContextExt as _;
use crate::graphql::datetime::DateTime;
use crate::graphql::id::{self, NodeType};

use laporlapak_service::audit_log::{self as service, EventProof, SignedHead};

/// The signed head of one UTC day of the audit log: the RFC 9162 Merkle tree of the events sealed
/// that day, and the hash chain before and after it, signed with Ed25519.
#[derive(Description)]
pub struct AuditHead(SignedHead);

#[Object(use_type_description)]
impl AuditHead {
    /// The UTC day (`YYYY-MM-DD`) whose sealed events the tree holds.
    async fn day(&self) -> &str {
        &self.0.day
    }
    /// Chain position of the tree's first leaf (leaf index 0).
    async fn first_position(&self) -> i64 {
        self.0.first_position
    }
    /// Number of leaves (events sealed that day).
    async fn tree_size(&self) -> i64 {
        self.0.tree_size
    }
    /// RFC 9162 Merkle Tree Hash of the day's leaves, hex.
    async fn tree_root(&self) -> &str {
        &self.0.tree_root
    }
    /// Chain hash before the day's first position, hex (64 zeros before position 1).
    async fn previous_chain_hash(&self) -> &str {
        &self.0.previous_chain_hash
    }
    /// Chain hash at the day's last position, hex.
    async fn chain_hash(&self) -> &str {
        &self.0.chain_hash
    }
    /// Id of the signing key (the id of the data key it is derived from).
    async fn key_id(&self) -> &str {
        &self.0.key_id
    }
    /// The Ed25519 public key that verifies the signature, base64 (32 bytes).
    async fn public_key(&self) -> &str {
        &self.0.public_key
    }
    /// Ed25519 signature of `signedMessage`, base64 (64 bytes).
    async fn signature(&self) -> &str {
        &self.0.signature
    }
    /// The exact UTF-8 text signed; a verifier rebuilds it from the fields above.
    async fn signed_message(&self) -> String {
        service::encoding::head_message(&self.0)
    }
    /// When the head was signed.
    async fn signed_at(&self) -> DateTime {
        self.0.signed_at.into()
    }
}

/// The proof that one audit event is in the published log.
#[derive(Description)]
pub struct AuditEventProof(EventProof);

#[Object(use_type_description)]
impl AuditEventProof {
    /// The event's number in the audit trail.
    async fn event_id(&self) -> i64 {
        self.0.event_id
    }
    /// Its position in the hash chain; null until the sealer has sealed it (within seconds).
    async fn position(&self) -> Option<i64> {
        self.0.position
    }
    /// The event's entry: the exact UTF-8 text whose hash is the leaf (SHA-256 of 0x00 and the
    /// entry). Actor and details are in it only as the salted commitment `private`.
    async fn entry(&self) -> Option<&str> {
        self.0.entry.as_deref()
    }
    /// SHA-256(0x00 ‖ entry), hex.
    async fn leaf_hash(&self) -> Option<&str> {
        self.0.leaf_hash.as_deref()
    }
    /// The signed head of the day the event was sealed; null until that day is over and signed.
    async fn head(&self) -> Option<AuditHead> {
        self.0.head.clone().map(AuditHead)
    }
    /// The leaf's index in that day's tree.
    async fn leaf_index(&self) -> Option<i64> {
        self.0.leaf_index
    }
    /// RFC 9162 inclusion proof (audit path), hex hashes from the leaf up.
    async fn audit_path(&self) -> &[String] {
        &self.0.audit_path
    }
}

/// A key that signs (or signed) the audit log's day heads.
#[derive(SimpleObject)]
pub struct AuditSigningKey {
    /// The key's id, as heads name it.
    key_id: String,
    /// The Ed25519 public key, base64 (32 bytes).
    public_key: String,
    /// Whether heads are signed with it now (else an older key still in the keyring).
    current: bool,
}

#[derive(Default)]
pub struct AuditLogQuery;

#[Object]
impl AuditLogQuery {
    /// Public (no token needed): the newest signed day heads of the audit log, newest first.
    #[graphql(complexity = "crate::graphql::DB_READ + child_complexity")]
    async fn audit_heads(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "How many days, 1 to 366.", default = 30)] last: i32,
    ) -> async_graphql::Result<Vec<AuditHead>> {
        Ok(service::heads(ctx.services()?, i64::from(last))
            .await?
            .into_iter()
            .map(AuditHead)
            .collect())
    }

    /// Public (no token needed): the keys that sign the audit log's heads, the current one first.
    async fn audit_signing_keys(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Vec<AuditSigningKey>> {
        Ok(service::public_keys(ctx.services()?)
            .into_iter()
            .enumerate()
            .map(|(i, (key_id, public_key))| AuditSigningKey {
                key_id,
                public_key,
                current: i == 0,
            })
            .collect())
    }

    /// The inclusion proofs of the events about a takedown request, oldest first: for the
    /// platform it was sent to (another platform's request is NOT_FOUND), reviewers, admins and
    /// the regulator; anyone else is refused.
    #[graphql(complexity = "crate::graphql::DB_READ + child_complexity")]
    async fn audit_proof(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The request's global ID (`TakedownRequest.id`).")]
        takedown_request_id: ID,
    ) -> async_graphql::Result<Vec<AuditEventProof>> {
        let id = id::argument(&takedown_request_id, NodeType::TakedownRequest);
        Ok(service::request_proof(ctx.services()?, ctx.viewer(), id)
            .await?
            .into_iter()
            .map(AuditEventProof)
            .collect())
    }
}
