import { z } from 'zod';
import { parseCredentialKeys } from '../crypto/credential-cipher';

/** The settings of every service that seals or opens personal data (docs/adr/0008). */
export const personalDataConfigSchema = z.object({
  /** Master keys that seal each person's keys: `k2:<base64 32 bytes>,k1:<base64 32 bytes>`, newest first. */
  PERSONAL_DATA_KEYS: z.string().superRefine((value, ctx) => {
    try {
      parseCredentialKeys(value);
    } catch (error) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, message: (error as Error).message });
    }
  }),
  /** The key store's schema, shared by those services. */
  PERSONAL_DATA_SCHEMA: z
    .string()
    .regex(/^[a-z_][a-z0-9_]{0,62}$/, 'must be a PostgreSQL schema name')
    .default('personal_data'),
});

export type PersonalDataConfig = z.infer<typeof personalDataConfigSchema>;
