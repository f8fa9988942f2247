import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ERASED, type PersonRef } from '@cs/contracts';
import {
  CredentialCipher,
  holdsClear,
  maskPersonalData,
  parseCredentialKeys,
  PersonalData,
  personalDataMigrations,
  PersonKeys,
  resealStale,
  revealUnsealed,
  runMigrations,
  SEALED,
  withoutCiphertext,
  withTransaction,
} from '@cs/eventing';
import { createTestContext, type TestContext } from '@cs/testing';
import fc from 'fast-check';

const masterKey = () => randomBytes(32).toString('base64');
const K1 = masterKey();

let ctx: TestContext;
let data: PersonalData;

const personalDataWith = (keys: string) =>
  new PersonalData(new PersonKeys(ctx.schema, new CredentialCipher(parseCredentialKeys(keys))));

let people = 0;
const someone = (): PersonRef => ({ kind: 'client', id: `client-${++people}` });
const erase = (person: PersonRef) =>
  withTransaction(ctx.pool, (tx) => data.keys.erase(tx, person, new Date()));

beforeAll(async () => {
  ctx = await createTestContext({ streams: [] });
  await runMigrations(ctx.pool, ctx.schema, personalDataMigrations);
  data = personalDataWith(`k1:${K1}`);
});
afterAll(() => ctx.cleanup());

describe('sealed personal data', () => {
  it('opens to what was sealed, for any value, and never shows it in the stored form', async () => {
    const person = someone();
    await fc.assert(
      fc.asyncProperty(
        fc.record({ name: fc.string({ minLength: 4 }), email: fc.emailAddress() }),
        async (contact) => {
          const sealed = await data.seal(ctx.pool, person, contact);
          expect(JSON.stringify(sealed)).not.toContain(JSON.stringify(contact.email));
          expect(await data.reveal(ctx.pool, { contact: sealed })).toEqual({ contact });
        },
      ),
      { numRuns: 25 },
    );
  });

  it('reads data recorded before sealing as it was written, and leaves other data alone', async () => {
    const value = { address: { clear: 'Oudegracht 1' }, lat: 52.1, tags: ['a'] };
    expect(await data.reveal(ctx.pool, value)).toEqual({
      address: 'Oudegracht 1',
      lat: 52.1,
      tags: ['a'],
    });
  });

  it('does not open under another person: the ciphertext is bound to its owner', async () => {
    const [ann, bob] = [someone(), someone()];
    const sealed = await data.seal(ctx.pool, ann, 'secret');
    if (!('sealed' in sealed)) throw new Error('not sealed');
    await data.seal(ctx.pool, bob, 'warm-up');
    const moved = { sealed: { ...sealed.sealed, person: bob } };
    await expect(data.reveal(ctx.pool, moved)).rejects.toThrow();
  });
});

describe('data recorded before sealing, sealed later (docs/adr/0017)', () => {
  const legacy = {
    client: { clientId: 'c-1' },
    location: { point: { clear: { lat: 52.1, lng: 5.1 } }, address: { clear: 'Oudegracht 1' } },
  };

  it('seals every part in clear, reads the same as before, and erases with its person', async () => {
    const person = someone();
    const sealed = await data.sealClear(ctx.pool, person, legacy);
    expect(holdsClear(legacy)).toBe(true);
    expect(holdsClear(sealed)).toBe(false);
    expect(JSON.stringify(sealed)).not.toMatch(/Oudegracht|52\.1/);
    expect(await data.reveal(ctx.pool, sealed)).toEqual(await data.reveal(ctx.pool, legacy));
    // Sealed parts stay as they are: sealing again changes nothing.
    expect(await data.sealClear(ctx.pool, person, sealed)).toEqual(sealed);
    await erase(person);
    expect(await data.reveal(ctx.pool, sealed)).toEqual({
      client: { clientId: 'c-1' },
      location: { point: ERASED, address: ERASED },
    });
  });

  it('shows no ciphertext without the key store, and a reader without it refuses sealed data', async () => {
    const sealed = await data.sealClear(ctx.pool, someone(), legacy);
    expect(withoutCiphertext(sealed)).toEqual({
      client: { clientId: 'c-1' },
      location: { point: SEALED, address: SEALED },
    });
    expect(revealUnsealed(legacy)).toMatchObject({ location: { address: 'Oudegracht 1' } });
    expect(() => revealUnsealed(sealed)).toThrow(/PERSONAL_DATA_KEYS/);
  });
});

describe('the key store', () => {
  it('seals new data with the newest version and still opens what older versions sealed', async () => {
    const person = someone();
    const old = await data.seal(ctx.pool, person, 'before');
    expect(await data.keys.rotate(ctx.pool, person)).toBe(2);
    const fresh = await data.seal(ctx.pool, person, 'after');
    expect([old, fresh].map((p) => ('sealed' in p ? p.sealed.keyVersion : 0))).toEqual([1, 2]);
    expect(await data.reveal(ctx.pool, [old, fresh])).toEqual(['before', 'after']);
  });

  it('reads erased once the person is erased, every version, and for them only', async () => {
    const [gone, kept] = [someone(), someone()];
    const before = await data.seal(ctx.pool, gone, { name: 'Gone' });
    await data.keys.rotate(ctx.pool, gone);
    const after = await data.seal(ctx.pool, gone, { name: 'Gone again' });
    const other = await data.seal(ctx.pool, kept, { name: 'Kept' });
    expect(await erase(gone)).toBe(2);
    expect(await data.reveal(ctx.pool, [before, after, other])).toEqual([
      ERASED,
      ERASED,
      { name: 'Kept' },
    ]);
    // A key made afterwards never takes a destroyed version's number.
    const later = await data.seal(ctx.pool, gone, 'new');
    expect('sealed' in later && later.sealed.keyVersion).toBe(3);
    expect(await data.reveal(ctx.pool, [before, later])).toEqual([ERASED, 'new']);
  });

  it('gives two concurrent first uses one key', async () => {
    const person = someone();
    const sealed = await Promise.all(
      Array.from({ length: 8 }, (_, i) => data.seal(ctx.pool, person, i)),
    );
    expect(await data.reveal(ctx.pool, sealed)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect((await data.keys.describe(ctx.pool, person)).keyVersions).toHaveLength(1);
  });

  it('masks for a reader without the master key: sealed while kept, erased once gone', async () => {
    const [kept, gone] = [someone(), someone()];
    const value = [await data.seal(ctx.pool, kept, 'a'), await data.seal(ctx.pool, gone, 'b')];
    await erase(gone);
    expect(await maskPersonalData(ctx.pool, ctx.schema, value)).toEqual([SEALED, ERASED]);
  });

  it('seals every key again with a new master key, after which the old one can go', async () => {
    const person = someone();
    const sealed = await data.seal(ctx.pool, person, 'rotated');
    const k2 = masterKey();
    const both = personalDataWith(`k2:${k2},k1:${K1}`);
    const cipher = new CredentialCipher(parseCredentialKeys(`k2:${k2},k1:${K1}`));
    const { resealed } = await resealStale(ctx.pool, cipher, both.keys.sealedColumn);
    expect(resealed).toBeGreaterThan(0);
    expect(await personalDataWith(`k2:${k2}`).reveal(ctx.pool, sealed)).toBe('rotated');
  });
});
