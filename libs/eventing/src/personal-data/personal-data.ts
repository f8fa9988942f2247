import {
  ERASED,
  isSealed,
  type Personal,
  type PersonRef,
  type SealedPersonalData,
} from '@cs/contracts';
import type { Pool, PoolClient } from 'pg';
import { CredentialCipher } from '../crypto/credential-cipher';
import { PersonKeys } from './person-keys';

type Db = Pool | PoolClient;

/** What a sealed value reads as to a reader without the master key whose person is not erased. */
export const SEALED = '[sealed]';

/** A value with its personal data opened: sealed or clear parts replaced by what they hold. */
// Distributes over `Personal<V>`'s two members: the clear one gives V, the sealed one what it hides.
export type Revealed<T> = T extends { clear: infer V }
  ? V | typeof ERASED
  : T extends { sealed: SealedPersonalData }
    ? typeof ERASED
    : T extends readonly (infer E)[]
      ? Revealed<E>[]
      : T extends object
        ? { [K in keyof T]: Revealed<T[K]> }
        : T;

const ownerOf = (person: PersonRef) => `${person.kind}:${person.id}`;

const cipherFor = (version: number, key: Buffer) =>
  new CredentialCipher(new Map([[String(version), key]]));

const isClear = (value: unknown): value is { clear: unknown } =>
  typeof value === 'object' &&
  value !== null &&
  Object.keys(value).length === 1 &&
  'clear' in value;

/** Every sealed value anywhere in `value`. */
function sealedIn(value: unknown, found: SealedPersonalData[] = []): SealedPersonalData[] {
  if (isSealed(value)) found.push(value.sealed);
  else if (Array.isArray(value)) for (const item of value) sealedIn(item, found);
  else if (typeof value === 'object' && value !== null)
    for (const item of Object.values(value)) sealedIn(item, found);
  return found;
}

function replaceIn(value: unknown, open: (sealed: SealedPersonalData) => unknown): unknown {
  if (isSealed(value)) return open(value.sealed);
  if (isClear(value)) return value.clear;
  if (Array.isArray(value)) return value.map((item) => replaceIn(item, open));
  if (typeof value === 'object' && value !== null)
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, replaceIn(item, open)]),
    );
  return value;
}

/** Whether `value` holds personal data in clear anywhere (an event recorded before sealing). */
export function holdsClear(value: unknown): boolean {
  if (isClear(value)) return true;
  if (Array.isArray(value)) return value.some(holdsClear);
  if (typeof value === 'object' && value !== null) return Object.values(value).some(holdsClear);
  return false;
}

const distinctPeople = (sealed: readonly SealedPersonalData[]): PersonRef[] => [
  ...new Map(sealed.map((s) => [ownerOf(s.person), s.person])).values(),
];

/**
 * Crypto-shredding (docs/adr/0008): personal data is sealed with AES-256-GCM under a key of its
 * person's, and opened where it is used; once the person's keys are destroyed it reads as
 * `[erased]` everywhere a copy of it went (event stores, JetStream, read models).
 */
export class PersonalData {
  constructor(readonly keys: PersonKeys) {}

  /** Seals `value` under the person's newest key (made on first use). */
  async seal<T>(db: Db, person: PersonRef, value: T): Promise<Personal<T>> {
    const { version, key } = await this.keys.current(db, person);
    const { ciphertext } = cipherFor(version, key).seal(JSON.stringify(value), ownerOf(person));
    return { sealed: { person, keyVersion: version, ciphertext } };
  }

  /** `value` with every part in clear sealed under the person's key, the sealed ones as they are. */
  async sealClear<T>(db: Db, person: PersonRef, value: T): Promise<T> {
    if (isClear(value)) return (await this.seal(db, person, value.clear)) as T;
    if (Array.isArray(value)) {
      const sealed: unknown[] = [];
      for (const item of value) sealed.push(await this.sealClear(db, person, item));
      return sealed as T;
    }
    if (typeof value !== 'object' || value === null || isSealed(value)) return value;
    const entries: Array<[string, unknown]> = [];
    for (const [key, item] of Object.entries(value))
      entries.push([key, await this.sealClear(db, person, item)]);
    return Object.fromEntries(entries) as T;
  }

  /**
   * `value` with every personal part opened: sealed ones under their person's key, or `[erased]`
   * once that key is gone; clear ones (events recorded before sealing) as they are.
   */
  async reveal<T>(db: Db, value: T): Promise<Revealed<T>> {
    const sealed = sealedIn(value);
    if (sealed.length === 0) return replaceIn(value, () => ERASED) as Revealed<T>;
    const keys = await this.keys.versions(db, distinctPeople(sealed));
    return replaceIn(value, (s) => {
      const key = keys.get(ownerOf(s.person))?.get(s.keyVersion);
      if (!key) return ERASED;
      const plain = cipherFor(s.keyVersion, key).open(
        { keyId: String(s.keyVersion), ciphertext: s.ciphertext },
        ownerOf(s.person),
      );
      return JSON.parse(plain) as unknown;
    }) as Revealed<T>;
  }
}

/**
 * For a reader without the key store (a projection runner given none): clear parts as written;
 * sealed data is refused rather than guessed.
 */
export function revealUnsealed<T>(value: T): Revealed<T> {
  if (sealedIn(value).length > 0)
    throw new Error('sealed personal data: this reader needs the key store (PERSONAL_DATA_KEYS)');
  return replaceIn(value, () => ERASED) as Revealed<T>;
}

/** What an audit shows a caller the key store is not given to: no ciphertext, ever. */
export function withoutCiphertext<T>(value: T): unknown {
  return replaceIn(value, () => SEALED);
}

/**
 * For readers without the master key (the replay CLI run by an auditor): each sealed value reads
 * as `[sealed]` while its key is kept and as `[erased]` once it is destroyed.
 */
export async function maskPersonalData<T>(
  db: Db,
  keySchema: string | null,
  value: T,
): Promise<unknown> {
  const sealed = sealedIn(value);
  const kept = keySchema
    ? await PersonKeys.kept(db, keySchema, distinctPeople(sealed))
    : new Set<string>();
  return replaceIn(value, (s) =>
    kept.has(`${ownerOf(s.person)}:${s.keyVersion}`) ? SEALED : ERASED,
  );
}
