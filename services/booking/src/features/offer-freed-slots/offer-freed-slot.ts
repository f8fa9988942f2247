import { type EventStore, newId } from '@cs/eventing';
import { appointmentsOf, fits } from '../../domain/pro-schedule/placement';
import { activeBookings } from '../../domain/pro-schedule/pro-schedule';
import { scheduleInputTables } from '../../infrastructure/schedule-inputs.projection';
import { type ScheduleTransaction } from '../../infrastructure/schedule-transaction';
import { type WaitlistRow, executeWaitlist } from '../../infrastructure/waitlist-entries';
import { placeIn } from '../../infrastructure/booking-details';

export interface FreedSlot {
  proId: string;
  serviceId: string;
  start: number;
  end: number;
}

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * Offers a slot that has just been freed to the first entry in line that wants it (its service,
 * its Pro or the Pro's territory, inside its window, not offered this slot before, no other
 * offer open) and for whom the slot still fits the Pro's schedule. Returns that entry's id.
 * A slot already on offer to someone is left alone: one offer per slot at a time.
 */
export async function offerFreedSlot(
  schedules: ScheduleTransaction,
  store: EventStore,
  slot: FreedSlot,
  offerTtlMs: number,
): Promise<string | undefined> {
  const schedule = await schedules.schedule(slot.proId);
  const inputs = await schedules.inputs(slot.proId, slot.start);
  if (!inputs) return undefined;
  const { rows } = await schedules.tx.query<WaitlistRow>(
    `SELECT * FROM waitlist_entries
      WHERE status = 'waiting' AND open_offer_expires_at IS NULL AND service_id = $1
        AND (pro_id = $2 OR (pro_id IS NULL AND territory_id =
          (SELECT settings->>'territoryId' FROM ${scheduleInputTables.pros} WHERE pro_id = $2)))
        AND window_from <= $3 AND window_to >= $4
        AND NOT offers @> jsonb_build_array(jsonb_build_object('proId', $2::text, 'start', $3::text))
        AND NOT EXISTS (SELECT 1 FROM waitlist_entries offered
          WHERE offered.open_offer_expires_at IS NOT NULL AND offered.offers @> jsonb_build_array(
            jsonb_build_object('proId', $2::text, 'start', $3::text, 'status', 'open')))
      ORDER BY line LIMIT 20`,
    [slot.serviceId, slot.proId, iso(slot.start), iso(slot.end)],
  );
  const others = appointmentsOf(activeBookings(schedule, schedules.now), inputs.places);
  for (const entry of rows) {
    const request = {
      serviceId: slot.serviceId,
      start: slot.start,
      emergency: false,
      override: false,
      location: placeIn(entry.details.location),
    };
    if (!fits(request, inputs, others, schedules.now)) continue;
    const made = await executeWaitlist(schedules.tx, store, {
      type: 'offer',
      entryId: entry.entry_id,
      offer: { offerId: newId(), ...slot, expiresAt: schedules.now + offerTtlMs },
      now: schedules.now,
    });
    if (made.length > 0) return entry.entry_id;
  }
  return undefined;
}
