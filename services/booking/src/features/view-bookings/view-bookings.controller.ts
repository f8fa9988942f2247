import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { id, instant } from '@cs/contracts';
import { PG_POOL } from '@cs/eventing';
import {
  CurrentPrincipal,
  type Principal,
  Roles,
  ZodValidationPipe,
  forbidden,
} from '@cs/platform';
import { Pool } from 'pg';
import { z } from 'zod';
import { assertCanSeeBooking } from '../../infrastructure/booking-access';
import { type BookingRow, bookingView, findBooking } from '../../infrastructure/booking-reads';
import { ConsistentBookingRead } from '../../infrastructure/consistent-reads';

const listQuery = z.object({
  proId: id.optional(),
  clientId: id.optional(),
  from: instant.optional(),
  to: instant.optional(),
  status: z.enum(['held', 'confirmed', 'cancelled', 'expired']).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

/** A Pro sees its own schedule and a client its own bookings, whatever they ask for. */
function narrowed(principal: Principal, query: z.infer<typeof listQuery>) {
  if (principal.roles.includes('service')) return query;
  if (principal.roles.includes('pro')) {
    if (query.proId && query.proId !== principal.proId) throw forbidden('Only your own bookings.');
    return { ...query, proId: principal.proId };
  }
  if (query.clientId && query.clientId !== principal.clientId)
    throw forbidden('Only your own bookings.');
  return { ...query, clientId: principal.clientId };
}

@ApiTags('bookings')
@ApiBearerAuth()
@Controller('v1/bookings')
export class ViewBookingsController {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  @Get(':bookingId')
  @Roles('service', 'pro', 'client')
  @ConsistentBookingRead()
  @ApiOperation({ summary: 'A booking with its status, times and version' })
  async view(@Param('bookingId') bookingId: string, @CurrentPrincipal() principal: Principal) {
    return bookingView(
      assertCanSeeBooking(principal, await findBooking(this.pool, bookingId), bookingId),
    );
  }

  @Get()
  @Roles('service', 'pro', 'client')
  @ConsistentBookingRead()
  @ApiOperation({ summary: 'Bookings of a Pro or a client, by time and status' })
  async list(
    @Query(new ZodValidationPipe(listQuery)) query: z.infer<typeof listQuery>,
    @CurrentPrincipal() principal: Principal,
  ) {
    const q = narrowed(principal, query);
    const { rows } = await this.pool.query<BookingRow>(
      `SELECT * FROM bookings
        WHERE ($1::text IS NULL OR pro_ids @> ARRAY[$1::text])
          AND ($2::text IS NULL OR client_id = $2)
          AND ($3::timestamptz IS NULL OR end_at > $3)
          AND ($4::timestamptz IS NULL OR start_at < $4)
          AND ($5::text IS NULL OR status = $5)
        ORDER BY start_at, booking_id LIMIT $6`,
      [
        q.proId ?? null,
        q.clientId ?? null,
        q.from ?? null,
        q.to ?? null,
        q.status ?? null,
        q.limit,
      ],
    );
    return { items: rows.map(bookingView) };
  }
}
