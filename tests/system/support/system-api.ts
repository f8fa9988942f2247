import { type AuditEvent } from '@cs/client';
import { spawnTs, SYSTEM_SERVICES, type System, type SystemServiceName } from '@cs/testing';
import { systemClient } from './client';

export type { AuditEvent };

/** One aggregate's recorded history in one service (`GET /v1/audit/streams/{streamId}`). */
export async function audit(
  system: System,
  service: SystemServiceName,
  streamId: string,
  token: string,
): Promise<AuditEvent[]> {
  const answer = await systemClient(system, { token }).audit(service, streamId);
  return answer.ok && answer.status === 200 ? answer.body.events : [];
}

export interface ReplayEntry {
  service: string;
  id: string;
  type: string;
  streamId: string;
  correlationId: string;
  causationId: string | null;
  data: Record<string, unknown>;
  cause:
    | { kind: 'request' }
    | { kind: 'event'; inHistory: boolean; event: { id: string; type: string; service: string } }
    | { kind: 'unknown'; eventId: string };
}

/** `npm run replay -- <args> --json` over the system's event stores, as an auditor runs it. */
export async function replay(system: System, args: string[]): Promise<ReplayEntry[]> {
  const env = { DATABASE_URL: system.databaseUrl, PERSONAL_DATA_SCHEMA: system.personalDataSchema };
  const child = spawnTs('scripts/replay.ts', env, [
    ...args,
    '--json',
    '--schemas',
    SYSTEM_SERVICES.map((service) => system.schemas[service]).join(','),
  ]);
  let out = '';
  let err = '';
  child.stdout?.on('data', (chunk) => (out += String(chunk)));
  child.stderr?.on('data', (chunk) => (err += String(chunk)));
  // `close`, not `exit`: the output is complete only once the pipes are.
  const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
  if (code !== 0) throw new Error(`replay exited with ${code}: ${err}`);
  return out
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as ReplayEntry);
}
