#!/usr/bin/env python3
"""Verifies laporlapak audit-log inclusion proofs against the signed day head, independently of the
server's code (docs/audit-log.md). Input: the JSON answer to

  { auditProof(takedownRequestId: $id) { eventId position entry leafHash leafIndex auditPath
      head { day firstPosition treeSize treeRoot previousChainHash chainHash publicKey signature } } }

and the signing key published out of band (base64), e.g. from `auditSigningKeys` as read earlier.
Usage: verify.py PROOF.json PUBLIC_KEY_BASE64. Exits 0 when every signed proof verifies.
Needs Python 3 and the `cryptography` package."""
import base64, hashlib, json, sys
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

def sha256(b): return hashlib.sha256(b).digest()

def root_from_path(index, size, leaf, path):   # RFC 9162, section 2.1.3.2
    if index >= size: raise ValueError("index beyond tree")
    fn, sn, r = index, size - 1, leaf
    for p in path:
        if sn == 0: raise ValueError("path too long")
        if fn & 1 or fn == sn:
            r = sha256(b"\x01" + p + r)
            while not fn & 1 and fn != 0: fn >>= 1; sn >>= 1
        else:
            r = sha256(b"\x01" + r + p)
        fn >>= 1; sn >>= 1
    if sn != 0: raise ValueError("path too short")
    return r

def verify(proof, public_key_b64):
    head = proof["head"]
    leaf = sha256(b"\x00" + proof["entry"].encode())
    assert leaf.hex() == proof["leafHash"], "entry does not hash to the leaf"
    assert head["publicKey"] == public_key_b64, "head signed by another key than the published one"
    message = ("laporlapak audit head v1\nday=%s\nfirst_position=%d\ntree_size=%d\ntree_root=%s\n"
               "previous_chain_hash=%s\nchain_hash=%s\n") % (
        head["day"], head["firstPosition"], head["treeSize"], head["treeRoot"],
        head["previousChainHash"], head["chainHash"])
    Ed25519PublicKey.from_public_bytes(base64.b64decode(public_key_b64)).verify(
        base64.b64decode(head["signature"]), message.encode())   # raises if forged
    assert proof["position"] == head["firstPosition"] + proof["leafIndex"]
    root = root_from_path(proof["leafIndex"], head["treeSize"], leaf,
                          [bytes.fromhex(h) for h in proof["auditPath"]])
    assert root.hex() == head["treeRoot"], "the audit path does not lead to the signed root"

if __name__ == "__main__":
    proofs = json.load(open(sys.argv[1]))
    signed = [p for p in proofs if p.get("head")]
    for p in signed:
        verify(p, sys.argv[2])
        print("event %d (position %d): in the log of %s" % (p["eventId"], p["position"], p["head"]["day"]))
    if not signed: sys.exit("no signed proof to verify")
