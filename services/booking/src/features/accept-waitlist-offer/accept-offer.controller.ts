import { Body, Controller, Headers, Param, Post, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { id } from '@cs/contracts';
import { EventStore, newId, PersonalData } from '@cs/eventing';
import { CurrentPrincipal, type Principal, Roles, ZodValidationPipe } from '@cs/platform';
import { type Response } from 'express';
import { z } from 'zod';
import { WaitlistConflict } from '../../domain/waitlist/errors';
import { BookingCommands } from '../../infrastructure/booking-commands';
import { requestedLocation } from '../../infrastructure/booking-details';
import { bookingView } from '../../infrastructure/booking-reads';
import { assertCanSeeEntry } from '../../infrastructure/waitlist-access';
import { executeWaitlist, findEntry } from '../../infrastructure/waitlist-entries';
import { reserveBooking } from '../book-appointment/reserve-booking';
import { ConsistentScheduleInputs } from '../../infrastructure/consistent-reads';

const acceptBody = z.object({ offerId: id });

@ApiTags('waitlist')
@ApiBearerAuth()
@Controller('v1/waitlist')
export class AcceptOfferController {
  constructor(
    private readonly commands: BookingCommands,
    private readonly store: EventStore,
    private readonly personal: PersonalData,
  ) {}

  @Post(':entryId/accept')
  @Roles('service', 'pro', 'client')
  @ConsistentScheduleInputs()
  @ApiOperation({
    summary: 'Take an open offer: the offered slot is booked for the waiting client',
  })
  async accept(
    @Param('entryId') entryId: string,
    @Body(new ZodValidationPipe(acceptBody)) body: z.infer<typeof acceptBody>,
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) res: Response,
    @Headers('idempotency-key') key?: string,
  ) {
    const outcome = await this.commands.run(
      {
        scope: principal.sub,
        key,
        request: { route: `POST /v1/waitlist/${entryId}/accept`, body },
      },
      async (schedules) => {
        const entry = assertCanSeeEntry(principal, await findEntry(schedules.tx, entryId), entryId);
        const offer = entry.offers.find((o) => o.offerId === body.offerId);
        if (!offer)
          throw new WaitlistConflict(entryId, 'offer-unknown', `no offer ${body.offerId}`);
        // The Pro's schedule before the entry: the order every command takes its locks in.
        await schedules.lock([offer.proId]);
        const bookingId = newId();
        await executeWaitlist(schedules.tx, this.store, {
          type: 'accept',
          entryId,
          offerId: offer.offerId,
          bookingId,
          now: schedules.now,
        });
        const start = Date.parse(offer.start);
        await reserveBooking(
          schedules,
          {
            serviceId: entry.service_id,
            proId: offer.proId,
            start: offer.start,
            client: entry.details.client,
            location: requestedLocation(entry.details.location),
            priority: 'normal',
            recurrence: null,
            hold: false,
            flexibility: { allowAutoReschedule: false, window: null },
            override: null,
          },
          { bookingId, start, holdUntil: null, seriesId: null, packageId: null },
          this.personal,
        );
        return { status: 201, body: bookingView((await schedules.booking(bookingId))!) };
      },
    );
    res.status(outcome.status);
    return outcome.body;
  }
}
