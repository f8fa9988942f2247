import { Controller, Get, Inject, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { id, personKinds, type PersonRef } from '@cs/contracts';
import { PersonalData, PG_POOL } from '@cs/eventing';
import { Roles, ZodValidationPipe } from '@cs/platform';
import { Pool } from 'pg';
import { z } from 'zod';

const personParams = z.object({ kind: z.enum(personKinds), id });

/**
 * This service's part of a person's export (docs/adr/0017): their registered contact, every
 * message to them with where it went, and, for a client, what this service knows of their
 * bookings; personal data opened, or `[erased]`. The booking service's export includes it.
 */
@ApiTags('people')
@ApiBearerAuth()
@Controller('v1/people')
export class PersonExportController {
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    private readonly personal: PersonalData,
  ) {}

  @Get(':kind/:id/export')
  @Roles('service')
  @ApiOperation({
    summary:
      "What the notification service holds about a person (registered contact, messages, bookings' places), opened",
  })
  async export(@Param(new ZodValidationPipe(personParams)) person: PersonRef) {
    const [contact, notifications, bookings] = await Promise.all([
      this.pool.query(
        `SELECT name, email, phone, locale, time_zone, reminder_offsets_minutes, updated_at
           FROM contacts WHERE kind = $1 AND id = $2`,
        [person.kind, person.id],
      ),
      this.pool.query(
        `SELECT notification_id, kind, channel, booking_id, to_address, status, scheduled_for,
                attempts, sent_at, last_error, content, created_at
           FROM notifications WHERE recipient_kind = $1 AND recipient_id = $2
          ORDER BY created_at, notification_id`,
        [person.kind, person.id],
      ),
      this.pool.query(
        `SELECT booking_id, pro_id, service_id, start_at, end_at, location, status
           FROM bookings WHERE ($1 = 'client' AND client_id = $2) OR ($1 = 'pro' AND pro_id = $2)
          ORDER BY start_at`,
        [person.kind, person.id],
      ),
    ]);
    return this.personal.reveal(this.pool, {
      contact: contact.rows[0] ?? null,
      notifications: notifications.rows,
      bookings: bookings.rows,
    });
  }
}
