import { z } from 'zod';
import { id } from './events/common';

/** Whose personal data it is: each person has keys of their own (docs/adr/0008). */
export const personKinds = ['client', 'pro'] as const;
export type PersonKind = (typeof personKinds)[number];
export const personRef = z.object({ kind: z.enum(personKinds), id });
export type PersonRef = z.infer<typeof personRef>;

/** What erased personal data reads as, everywhere, once its person's keys are destroyed. */
export const ERASED = '[erased]';

/** AES-256-GCM under one version of the person's key: base64 of IV ‖ tag ‖ ciphertext of the JSON value. */
export const sealedPersonalData = z.object({
  person: personRef,
  keyVersion: z.number().int().positive(),
  ciphertext: z.string().min(1),
});
export type SealedPersonalData = z.infer<typeof sealedPersonalData>;

/**
 * Personal data in an event: sealed under its person's key; an event recorded before sealing
 * holds it in clear, and its upcaster says so (`clear`), so it reads as it was written.
 */
export const personal = <T extends z.ZodTypeAny>(value: T) =>
  z.union([z.object({ sealed: sealedPersonalData }), z.object({ clear: value })]);

export type Personal<T> = { sealed: SealedPersonalData } | { clear: T };

/** How one reaches a client, as the booking request gave it. */
export const contactDetails = z.object({
  name: z.string().max(200).optional(),
  email: z.string().max(320).optional(),
  phone: z.string().max(40).optional(),
});
export type ContactDetails = z.infer<typeof contactDetails>;

export const isSealed = (value: unknown): value is { sealed: SealedPersonalData } =>
  typeof value === 'object' &&
  value !== null &&
  'sealed' in value &&
  sealedPersonalData.safeParse((value as { sealed: unknown }).sealed).success;

/**
 * A place as travel time uses it, once opened: an erased one counts as no place at all, so no
 * travel is added to or from it (docs/design.md §11).
 */
export const placeOrNone = (
  opened: { lat: number; lng: number } | typeof ERASED | null | undefined,
): { lat: number; lng: number } | null =>
  typeof opened === 'object' && opened !== null ? { lat: opened.lat, lng: opened.lng } : null;
