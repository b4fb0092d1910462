// Ed25519 key files (PEM) for signed plans: the private key that signs (`plan|check --sign-key`, only CI has it)
// and the public keys that verify (`verify --trust-key`, guard's trustKeys). A bad file is an InputError of one
// line that never quotes the file: key material is never printed.
import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { InputError } from '../model/errors.js';

/** A PEM key is a few hundred bytes; anything much larger is not a key file. */
const MAX_KEY_BYTES = 64 * 1024;

const MAKE = 'make a pair with `blastguard keygen --out DIR` or `openssl genpkey -algorithm ed25519`';

function readKeyFile(file: string): Buffer {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT'
        ? 'file not found'
        : code === 'EACCES'
          ? 'permission denied'
          : code === 'EISDIR'
            ? 'is a directory, not a key file'
            : `cannot read (${code ?? 'error'})`;
    throw new InputError({ file, message: why });
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) throw new InputError({ file, message: 'not a regular file: give a PEM key file' });
    if (st.size > MAX_KEY_BYTES) throw new InputError({ file, message: `is ${st.size} bytes, not a PEM key file (at most ${MAX_KEY_BYTES} bytes)` });
    const buf = Buffer.alloc(st.size);
    let off = 0;
    while (off < buf.length) {
      const n = readSync(fd, buf, off, buf.length - off, off);
      if (n === 0) break;
      off += n;
    }
    return buf.subarray(0, off);
  } finally {
    closeSync(fd);
  }
}

/** The PEM labels in a text (`PRIVATE KEY`, `PUBLIC KEY`, `ENCRYPTED PRIVATE KEY`, …), without looking at key data. */
function pemLabels(text: string): string[] {
  return [...text.matchAll(/-----BEGIN ([A-Z0-9 ]+)-----/g)].map((m) => m[1]);
}

function asText(pem: string | Buffer): string {
  return typeof pem === 'string' ? pem : pem.toString('latin1');
}

/** An Ed25519 private key from PEM text; `file` names it in errors. */
export function parsePrivateKey(pem: string | Buffer, file: string): KeyObject {
  const text = asText(pem);
  const labels = pemLabels(text);
  if (labels.length !== 1)
    throw new InputError({
      file,
      message: `not a PEM private key (${labels.length ? 'more than one PEM block' : 'no "-----BEGIN PRIVATE KEY-----" block'}); ${MAKE}`,
    });
  if (labels[0] === 'ENCRYPTED PRIVATE KEY')
    throw new InputError({ file, message: 'the private key is encrypted; give an unencrypted key file (keep it in the CI secret store)' });
  if (labels[0] === 'PUBLIC KEY') throw new InputError({ file, message: 'is a public key: signing needs the private key (--trust-key takes the public one)' });
  if (labels[0] !== 'PRIVATE KEY') throw new InputError({ file, message: `is a "${labels[0]}" PEM block, not a PKCS#8 private key; ${MAKE}` });
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: text, format: 'pem' });
  } catch {
    throw new InputError({ file, message: `not a valid PEM private key; ${MAKE}` });
  }
  if (key.asymmetricKeyType !== 'ed25519')
    throw new InputError({ file, message: `is an ${key.asymmetricKeyType ?? 'unknown'} key; plans are signed with Ed25519 keys: ${MAKE}` });
  return key;
}

/** An Ed25519 public key from PEM text; a private key is refused (it belongs only where plans are signed). */
export function parsePublicKey(pem: string | Buffer, file: string): KeyObject {
  const text = asText(pem);
  const labels = pemLabels(text);
  if (labels.some((l) => l.includes('PRIVATE KEY'))) {
    throw new InputError({
      file,
      message: 'is a private key: give the public key (blastguard keygen writes it as NAME.pub.pem); the private key belongs only to the CI that signs plans',
    });
  }
  if (labels.length !== 1 || labels[0] !== 'PUBLIC KEY') {
    throw new InputError({ file, message: `not a PEM public key (no single "-----BEGIN PUBLIC KEY-----" block); ${MAKE}` });
  }
  let key: KeyObject;
  try {
    key = createPublicKey({ key: text, format: 'pem' });
  } catch {
    throw new InputError({ file, message: `not a valid PEM public key; ${MAKE}` });
  }
  if (key.asymmetricKeyType !== 'ed25519')
    throw new InputError({ file, message: `is an ${key.asymmetricKeyType ?? 'unknown'} key; plans are signed with Ed25519 keys: ${MAKE}` });
  return key;
}

export function readPrivateKeyFile(file: string): KeyObject {
  return parsePrivateKey(readKeyFile(file), file);
}

export function readPublicKeyFile(file: string): KeyObject {
  return parsePublicKey(readKeyFile(file), file);
}

/** A trusted key as the library accepts it: a KeyObject, or PEM text. */
export function toTrustKey(key: KeyObject | string | Buffer, label: string): KeyObject {
  if (typeof key === 'string' || Buffer.isBuffer(key)) return parsePublicKey(key, label);
  if (key.type !== 'public')
    throw new InputError({ file: label, message: 'is a private key: give the public key; the private key belongs only to the CI that signs plans' });
  if (key.asymmetricKeyType !== 'ed25519')
    throw new InputError({ file: label, message: `is an ${key.asymmetricKeyType ?? 'unknown'} key; plans are signed with Ed25519 keys` });
  return key;
}

/** A signing key as the library accepts it: a KeyObject, or PEM text. */
export function toSigningKey(key: KeyObject | string | Buffer, label: string): KeyObject {
  if (typeof key === 'string' || Buffer.isBuffer(key)) return parsePrivateKey(key, label);
  if (key.type !== 'private' || key.asymmetricKeyType !== 'ed25519') throw new InputError({ file: label, message: 'must be an Ed25519 private key' });
  return key;
}
