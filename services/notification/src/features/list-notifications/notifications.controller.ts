import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { PG_POOL } from '@cs/eventing';
import { id } from '@cs/contracts';
import {
  CurrentPrincipal,
  type Principal,
  Roles,
  assertCanAccessPro,
  parseOr400,
  forbidden,
} from '@cs/platform';
import { Pool } from 'pg';
import { z } from 'zod';

const query = z
  .object({ bookingId: id.optional(), proId: id.optional() })
  .refine((q) => q.bookingId || q.proId, { message: 'give bookingId or proId' });

interface Row {
  notification_id: string;
  kind: string;
  channel: string;
  booking_id: string | null;
  pro_id: string | null;
  recipient_kind: string;
  recipient_id: string;
  to_address: string | null;
  status: string;
  scheduled_for: Date;
  sent_at: Date | null;
  attempts: number;
  last_error: string | null;
  next_attempt_at: Date | null;
}

@ApiTags('notifications')
@ApiBearerAuth()
@Controller('v1/notifications')
export class NotificationsController {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  @Get()
  @Roles('service', 'pro')
  @ApiOperation({
    summary: "A booking's or a Pro's notifications: what was sent, is due, failed or withdrawn",
  })
  async list(@Query() raw: unknown, @CurrentPrincipal() principal: Principal) {
    const { bookingId, proId } = parseOr400(query, raw, 'query');
    if (proId) assertCanAccessPro(principal, proId);
    else if (!principal.roles.includes('service'))
      throw forbidden('A Pro lists notifications with its proId.');
    const { rows } = await this.pool.query<Row>(
      `SELECT * FROM notifications
        WHERE ($1::text IS NULL OR booking_id = $1) AND ($2::text IS NULL OR pro_id = $2)
        ORDER BY scheduled_for, notification_id LIMIT 1000`,
      [bookingId ?? null, proId ?? null],
    );
    return {
      items: rows.map((row) => ({
        id: row.notification_id,
        kind: row.kind,
        channel: row.channel,
        bookingId: row.booking_id,
        proId: row.pro_id,
        recipient: { kind: row.recipient_kind, id: row.recipient_id },
        to: row.to_address,
        status: row.status,
        scheduledFor: row.scheduled_for.toISOString(),
        sentAt: row.sent_at?.toISOString() ?? null,
        attempts: row.attempts,
        lastError: row.last_error,
        nextAttemptAt: row.next_attempt_at?.toISOString() ?? null,
      })),
    };
  }
}
