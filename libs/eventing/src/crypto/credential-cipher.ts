import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

export interface Sealed {
  keyId: string;
  /** base64 of IV (12 bytes) ‖ GCM tag (16 bytes) ‖ ciphertext. */
  ciphertext: string;
}

const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * `k2:<base64 32 bytes>,k1:<base64 32 bytes>`, newest first: the newest seals, every listed
 * key still opens what it sealed, so keys rotate without downtime.
 */
export function parseCredentialKeys(value: string): Map<string, Buffer> {
  const keys = new Map<string, Buffer>();
  for (const entry of value
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean)) {
    const separator = entry.indexOf(':');
    const keyId = entry.slice(0, separator);
    const key = Buffer.from(entry.slice(separator + 1), 'base64');
    if (separator < 1 || !/^[A-Za-z0-9_-]{1,32}$/.test(keyId))
      throw new Error('each key must be <id>:<base64>, the id of letters, digits, _ or -');
    if (key.length !== 32) throw new Error(`key ${keyId} must be 32 bytes of base64`);
    if (keys.has(keyId)) throw new Error(`key id ${keyId} appears twice`);
    keys.set(keyId, key);
  }
  if (keys.size === 0) throw new Error('at least one key is required');
  return keys;
}

/**
 * AES-256-GCM for credentials at rest. The row's id is the associated data, so a ciphertext
 * copied onto another connection does not open.
 */
export class CredentialCipher {
  readonly currentKeyId: string;

  constructor(private readonly keys: Map<string, Buffer>) {
    this.currentKeyId = [...keys.keys()][0]!;
  }

  seal(plaintext: string, boundTo: string): Sealed {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.keys.get(this.currentKeyId)!, iv);
    cipher.setAAD(Buffer.from(boundTo));
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return {
      keyId: this.currentKeyId,
      ciphertext: Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64'),
    };
  }

  open(sealed: Sealed, boundTo: string): string {
    const key = this.keys.get(sealed.keyId);
    if (!key) throw new Error(`credential key ${sealed.keyId} is no longer configured`);
    const raw = Buffer.from(sealed.ciphertext, 'base64');
    const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, IV_BYTES));
    decipher.setAAD(Buffer.from(boundTo));
    decipher.setAuthTag(raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
    return Buffer.concat([
      decipher.update(raw.subarray(IV_BYTES + TAG_BYTES)),
      decipher.final(),
    ]).toString('utf8');
  }

  /** Sealed with an older key: rotation should seal it again with the current one. */
  isStale(sealed: Sealed): boolean {
    return sealed.keyId !== this.currentKeyId;
  }
}
