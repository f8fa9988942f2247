import { Injectable } from '@nestjs/common';
import { type rescheduleBody } from '@cs/contracts';
import { type Principal, assertCanAccessPro } from '@cs/platform';
import { type z } from 'zod';
import { BookingCommands, type Outcome } from '../../infrastructure/booking-commands';
import { lockedBooking } from '../../infrastructure/booking-preconditions';
import { bookingView } from '../../infrastructure/booking-reads';
import { rescheduleBooking } from './reschedule-booking';

/** Moves a confirmed booking, to another time and possibly another Pro: HTTP and gRPC alike. */
@Injectable()
export class MoveBooking {
  constructor(private readonly commands: BookingCommands) {}

  move(
    principal: Principal,
    bookingId: string,
    body: z.infer<typeof rescheduleBody>,
    precondition: { key?: string; ifMatch?: string },
  ): Promise<Outcome> {
    return this.commands.run(
      {
        scope: principal.sub,
        key: precondition.key,
        request: { route: `POST /v1/bookings/${bookingId}/reschedule`, body },
      },
      async (schedules) => {
        const booking = await lockedBooking(schedules, principal, bookingId, precondition.ifMatch);
        if (body.proId && principal.roles.includes('pro') && !principal.roles.includes('service'))
          assertCanAccessPro(principal, body.proId);
        await rescheduleBooking(schedules, booking, Date.parse(body.start), body.proId);
        return { status: 200, body: bookingView((await schedules.booking(bookingId))!) };
      },
    );
  }
}
