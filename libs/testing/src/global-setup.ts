import { ensureInfrastructure } from './infrastructure';

/** Vitest global setup: the real PostgreSQL and NATS must be there before any test file runs. */
export default async function setup(): Promise<void> {
  await ensureInfrastructure();
}
