import { Inject, Injectable } from '@nestjs/common';
import { type PersonRef } from '@cs/contracts';
import {
  type Clock,
  CLOCK,
  EventStore,
  PersonalData,
  PG_POOL,
  withTransaction,
} from '@cs/eventing';
import { Pool, type PoolClient } from 'pg';
import { scheduleInputTables } from '../../infrastructure/schedule-inputs.projection';
import { eraseClientCopies } from './erase-client-copies';

export const personStreamId = (person: PersonRef) => `person-${person.kind}-${person.id}`;

/** Rewrites each row's JSON column with the client's personal data erased. */
async function eraseColumn(
  tx: PoolClient,
  table: string,
  column: string,
  where: string,
  clientId: string,
): Promise<void> {
  const { rows } = await tx.query<{ ctid: string; value: unknown }>(
    `SELECT ctid, ${column} AS value FROM ${table} WHERE ${where} FOR UPDATE`,
    [clientId],
  );
  for (const row of rows)
    await tx.query(`UPDATE ${table} SET ${column} = $2 WHERE ctid = $1`, [
      row.ctid,
      JSON.stringify(eraseClientCopies(row.value, clientId)),
    ]);
}

/**
 * `DELETE /v1/people/{kind}/{id}` (docs/adr/0008): in one transaction the person's keys are
 * destroyed, this service's copies in clear are erased, and `person.erased` records who asked.
 * Bookings keep their times, Pros and status.
 */
@Injectable()
export class ErasePerson {
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    private readonly personal: PersonalData,
    private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  erase(person: PersonRef): Promise<{ keysDestroyed: number; erasedAt: string }> {
    return withTransaction(this.pool, async (tx) => {
      const at = this.clock.now();
      const keysDestroyed = await this.personal.keys.erase(tx, person, at);
      if (person.kind === 'client') {
        await eraseColumn(tx, 'bookings', 'details', 'client_id = $1', person.id);
        await eraseColumn(tx, 'waitlist_entries', 'details', 'client_id = $1', person.id);
        await eraseColumn(
          tx,
          'idempotency_keys',
          'response',
          `jsonb_path_exists(response, '$.** ? (@.clientId == $id)', jsonb_build_object('id', $1::text))`,
          person.id,
        );
      } else {
        // A home recorded before sealing is in clear in this model; a sealed one erases itself.
        await tx.query(
          `UPDATE ${scheduleInputTables.pros}
              SET settings = jsonb_set(settings, '{homeLocation}', 'null')
            WHERE pro_id = $1 AND jsonb_typeof(settings->'homeLocation') = 'object'
              AND NOT (settings->'homeLocation' ? 'sealed')`,
          [person.id],
        );
      }
      await this.store.appendWith(
        tx,
        personStreamId(person),
        [
          {
            type: 'person.erased',
            data: { kind: person.kind, personId: person.id, keysDestroyed },
          },
        ],
        { expectedVersion: 'any' },
      );
      return { keysDestroyed, erasedAt: at.toISOString() };
    });
  }
}
