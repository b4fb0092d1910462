// Signed plans: an Ed25519 signature (node:crypto) over the canonical JSON of the approved plan, digest included.
// A digest can be recomputed by anyone who edits the plan; a signature only by whoever holds the private key — CI,
// which makes the plan from the reviewed manifest. Scripts hold the public key and refuse anything else. Pure:
// keys arrive as KeyObjects (src/ingest/keys.ts reads them from PEM files).
import { createHash, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import { canonicalJson } from './fingerprint.js';
import { SIGNATURE_ALGORITHM, type ApprovedPlan, type PlanSignature } from '../model/approved-plan.js';

export { SIGNATURE_ALGORITHM, type PlanSignature };

/** A key's name: sha256 of its public half (DER SubjectPublicKeyInfo), as `sha256:<hex>`. */
export function keyId(key: KeyObject): string {
  // createPublicKey derives the public half of a private KeyObject.
  const pub = key.type === 'private' ? createPublicKey(key) : key;
  return `sha256:${createHash('sha256')
    .update(pub.export({ type: 'spki', format: 'der' }))
    .digest('hex')}`;
}

/** The bytes a signature covers: the canonical JSON of the plan without its `signature` (UTF-8). */
export function signedBytes(p: ApprovedPlan): Buffer {
  const { signature: _ignored, ...rest } = p;
  return Buffer.from(canonicalJson(rest), 'utf8');
}

/** The plan with its signature by `privateKey` (an Ed25519 private key). */
export function signPlan(p: ApprovedPlan, privateKey: KeyObject): ApprovedPlan {
  if (privateKey.type !== 'private' || privateKey.asymmetricKeyType !== SIGNATURE_ALGORITHM) {
    throw new TypeError('signPlan: the key must be an Ed25519 private key');
  }
  const { signature: _old, ...rest } = p;
  const unsigned = rest as ApprovedPlan;
  const value = sign(null, signedBytes(unsigned), privateKey).toString('base64');
  return { ...unsigned, signature: { algorithm: SIGNATURE_ALGORITHM, key: keyId(privateKey), value } };
}

export interface SignatureCheck {
  /** Absent when the plan is signed by one of the trusted keys. */
  reason?: 'unsigned' | 'untrusted-signature';
  problem?: string;
  /** The key the plan names as its signer (verified only when `reason` is absent). */
  signedBy: string | null;
}

function verifies(bytes: Buffer, key: KeyObject, value: Buffer): boolean {
  try {
    return verify(null, bytes, key, value);
  } catch {
    return false; // a key of another kind, a malformed signature: not a valid signature by this key
  }
}

/** Is the plan signed, by one of `trusted` (Ed25519 public keys), over exactly its current content? */
export function checkSignature(p: ApprovedPlan, trusted: readonly KeyObject[]): SignatureCheck {
  const s = p.signature;
  if (!s) return { reason: 'unsigned', problem: 'the plan is not signed, and only a plan signed by a trusted key may run', signedBy: null };
  const signedBy = s.key;
  const bytes = signedBytes(p);
  const value = Buffer.from(s.value, 'base64');
  // Every trusted key is tried: the `key` field is a claim like any other field of the file.
  for (const key of trusted) {
    if (verifies(bytes, key, value)) {
      const id = keyId(key);
      if (id !== s.key)
        return { reason: 'untrusted-signature', problem: `the signature names key ${s.key}, but verifies with trusted key ${id}: it was edited`, signedBy };
      return { signedBy };
    }
  }
  const ids = new Set(trusted.map(keyId));
  const problem = ids.has(s.key)
    ? `the signature by trusted key ${s.key} does not match the plan: the plan was changed after it was signed`
    : `the plan is signed by key ${s.key}, which is not a trusted key`;
  return { reason: 'untrusted-signature', problem, signedBy };
}
