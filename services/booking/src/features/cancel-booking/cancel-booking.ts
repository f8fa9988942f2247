import { Injectable } from '@nestjs/common';
import { type cancelBody } from '@cs/contracts';
import { type Principal } from '@cs/platform';
import { type z } from 'zod';
import { BookingCommands, type Outcome } from '../../infrastructure/booking-commands';
import { lockedBooking } from '../../infrastructure/booking-preconditions';
import { bookingView } from '../../infrastructure/booking-reads';

/** Cancels a booking or releases a hold; the time is free at once. */
@Injectable()
export class CancelBooking {
  constructor(private readonly commands: BookingCommands) {}

  cancel(
    principal: Principal,
    bookingId: string,
    body: z.infer<typeof cancelBody>,
    precondition: { key?: string; ifMatch?: string },
  ): Promise<Outcome> {
    return this.commands.run(
      {
        scope: principal.sub,
        key: precondition.key,
        request: { route: `POST /v1/bookings/${bookingId}/cancel`, body },
      },
      async (schedules) => {
        const booking = await lockedBooking(schedules, principal, bookingId, precondition.ifMatch);
        for (const proId of booking.pro_ids) {
          await schedules.execute(proId, {
            type: 'cancel',
            bookingId,
            reason: body.reason,
            now: schedules.now,
          });
        }
        return { status: 200, body: bookingView((await schedules.booking(bookingId))!) };
      },
    );
  }
}
