import { Inject, Injectable } from '@nestjs/common';
import { newId, PersonalData } from '@cs/eventing';
import { type Principal, forbidden } from '@cs/platform';
import { assertCanBook } from '../../infrastructure/booking-access';
import { BookingCommands, type Outcome } from '../../infrastructure/booking-commands';
import { BOOKING_CONFIG, type BookingConfig } from '../../infrastructure/booking-config';
import { bookingView } from '../../infrastructure/booking-reads';
import { type BookingRequestBody, proIdsOf } from './booking-request';
import { reserveBooking } from './reserve-booking';
import { reserveSeries } from './reserve-series';

/** Books a slot (or holds it), with one Pro or a group, once or as a series: HTTP and gRPC alike. */
@Injectable()
export class BookAppointment {
  constructor(
    private readonly commands: BookingCommands,
    @Inject(BOOKING_CONFIG) private readonly config: BookingConfig,
    private readonly personal: PersonalData,
  ) {}

  book(principal: Principal, body: BookingRequestBody, key: string | undefined): Promise<Outcome> {
    assertCanBook(principal, body.client.clientId, proIdsOf(body));
    if (body.override && !principal.roles.includes('service')) {
      throw forbidden('Only the service role may override the booking rules.');
    }
    return this.commands.run(
      { scope: principal.sub, key, request: { route: 'POST /v1/bookings', body } },
      async (schedules) => {
        const bookingId = newId();
        const reservation = {
          bookingId,
          start: Date.parse(body.start),
          holdUntil: body.hold ? schedules.now + this.config.HOLD_TTL_SECONDS * 1_000 : null,
          seriesId: null,
          packageId: null,
        };
        if (body.recurrence) {
          return {
            status: 201,
            body: await reserveSeries(schedules, body, body.recurrence, reservation, this.personal),
          };
        }
        await reserveBooking(schedules, body, reservation, this.personal);
        return { status: 201, body: bookingView((await schedules.booking(bookingId))!) };
      },
    );
  }
}
