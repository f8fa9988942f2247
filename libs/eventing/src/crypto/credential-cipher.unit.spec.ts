import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from '@jest/globals';
import { CredentialCipher, parseCredentialKeys } from './credential-cipher';

const key = () => randomBytes(32).toString('base64');

describe('CredentialCipher', () => {
  it('opens what it sealed, for any text, and never shows the text in the ciphertext', () => {
    const cipher = new CredentialCipher(parseCredentialKeys(`k1:${key()}`));
    fc.assert(
      fc.property(fc.string({ minLength: 4 }), fc.uuid(), (secret, rowId) => {
        const sealed = cipher.seal(secret, rowId);
        expect(sealed.keyId).toBe('k1');
        expect(sealed.ciphertext).not.toContain(secret);
        expect(cipher.open(sealed, rowId)).toBe(secret);
      }),
    );
  });

  it('refuses a ciphertext moved to another row or tampered with', () => {
    const cipher = new CredentialCipher(parseCredentialKeys(`k1:${key()}`));
    const sealed = cipher.seal('hunter2', 'conn-1');
    expect(() => cipher.open(sealed, 'conn-2')).toThrow();
    const raw = Buffer.from(sealed.ciphertext, 'base64');
    raw[raw.length - 1] ^= 1;
    expect(() =>
      cipher.open({ ...sealed, ciphertext: raw.toString('base64') }, 'conn-1'),
    ).toThrow();
  });

  it('seals with the newest key and still opens what older keys sealed', () => {
    const k1 = key();
    const old = new CredentialCipher(parseCredentialKeys(`k1:${k1}`));
    const sealed = old.seal('hunter2', 'conn-1');
    const rotated = new CredentialCipher(parseCredentialKeys(`k2:${key()},k1:${k1}`));
    expect(rotated.isStale(sealed)).toBe(true);
    expect(rotated.open(sealed, 'conn-1')).toBe('hunter2');
    expect(rotated.seal('x', 'conn-1').keyId).toBe('k2');
    const dropped = new CredentialCipher(parseCredentialKeys(`k3:${key()}`));
    expect(() => dropped.open(sealed, 'conn-1')).toThrow(/k1 is no longer configured/);
  });

  it('names what is wrong with a key list', () => {
    expect(() => parseCredentialKeys('')).toThrow(/at least one key/);
    expect(() => parseCredentialKeys('k1:abcd')).toThrow(/32 bytes/);
    expect(() => parseCredentialKeys(`nokeyid${key()}`)).toThrow(/<id>:<base64>/);
    const k = key();
    expect(() => parseCredentialKeys(`k1:${k},k1:${k}`)).toThrow(/twice/);
  });
});
