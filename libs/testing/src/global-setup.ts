import { ensureInfrastructure } from './infrastructure';

/** Jest global setup: the real PostgreSQL and NATS must be there before any test file runs. */
export default async function setup(): Promise<void> {
  await ensureInfrastructure();
}
