import type { providers } from '@cs/contracts';

export type Provider = (typeof providers)[number];
