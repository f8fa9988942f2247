import { type DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { type Clock, EventStore, PersonalData, personalDataProvider } from '@cs/eventing';
import { type BaseConfig, serviceModules } from '@cs/platform';
import { BookAppointmentController } from './features/book-appointment/book-appointment.controller';
import { BookAppointment } from './features/book-appointment/book-appointment';
import { CancelBooking } from './features/cancel-booking/cancel-booking';
import { MoveBooking } from './features/reschedule-booking/move-booking';
import { CreateBookingGrpc } from './features/book-appointment/create-booking.grpc';
import { CancelBookingGrpc } from './features/cancel-booking/cancel-booking.grpc';
import { RescheduleBookingGrpc } from './features/reschedule-booking/reschedule-booking.grpc';
import { GetBookingGrpc } from './features/view-bookings/get-booking.grpc';
import { GrpcCalls } from './infrastructure/grpc/grpc-calls';
import { BookPackageController } from './features/book-package/book-package.controller';
import { CancelBookingController } from './features/cancel-booking/cancel-booking.controller';
import { ConfirmHoldController } from './features/confirm-hold/confirm-hold.controller';
import { externalConflictsConsumer } from './features/resolve-external-conflicts/external-conflicts.consumer';
import { freedSlotsConsumer } from './features/offer-freed-slots/freed-slots.consumer';
import { OfferExpiry } from './features/offer-freed-slots/offer-expiry';
import { WaitlistController } from './features/join-waitlist/waitlist.controller';
import { AcceptOfferController } from './features/accept-waitlist-offer/accept-offer.controller';
import { CalendarFeedsController } from './features/share-calendar-feed/calendar-feeds.controller';
import { HoldExpiry } from './features/expire-holds/hold-expiry';
import { RescheduleBookingController } from './features/reschedule-booking/reschedule-booking.controller';
import { ViewBookingsController } from './features/view-bookings/view-bookings.controller';
import { ErasePerson } from './features/manage-personal-data/erase-person';
import { ExportPerson } from './features/manage-personal-data/export-person';
import { NotificationPart } from './features/manage-personal-data/notification-part';
import { PeopleController } from './features/manage-personal-data/people.controller';
import { clientReachConsumer } from './features/track-client-reach/client-reach.consumer';
import { BookingCommands } from './infrastructure/booking-commands';
import { BOOKING_CONFIG, type BookingConfig } from './infrastructure/booking-config';
import { IdempotencyKey } from './infrastructure/idempotency/idempotency-key.entity';
import { IdempotencyKeys } from './infrastructure/idempotency/idempotency-keys';
import { ScheduleCache } from './infrastructure/schedule-cache';
import { bookingMigrations } from './infrastructure/migrations';
import { scheduleInputsProjection } from './infrastructure/schedule-inputs.projection';

const STORE_READY = Symbol('STORE_READY');

@Module({})
export class AppModule {
  static forRoot(config: BaseConfig & BookingConfig, clock: Clock): DynamicModule {
    // Consumers are defined before Nest makes the store; they reach it through this, once it exists.
    let eventStore: EventStore | undefined;
    let personalData: PersonalData | undefined;
    // One cache of committed folds for commands and the conflicts consumer alike.
    const scheduleCache = new ScheduleCache();
    const store = () => {
      if (!eventStore) throw new Error('event store not ready');
      return eventStore;
    };
    const personal = () => {
      if (!personalData) throw new Error('key store not ready');
      return personalData;
    };
    return {
      module: AppModule,
      imports: [
        ...serviceModules('booking', config, {
          context: 'booking',
          clock,
          reads: ['availability', 'sync', 'notification'],
          migrations: bookingMigrations,
          projections: [scheduleInputsProjection],
          consumers: [
            externalConflictsConsumer(store, personal, clock, scheduleCache),
            freedSlotsConsumer(store, personal, clock, config.WAITLIST_OFFER_TTL_SECONDS * 1_000),
            clientReachConsumer(),
          ],
        }),
        TypeOrmModule.forFeature([IdempotencyKey]),
      ],
      controllers: [
        BookPackageController,
        BookAppointmentController,
        ViewBookingsController,
        ConfirmHoldController,
        CancelBookingController,
        RescheduleBookingController,
        WaitlistController,
        AcceptOfferController,
        CalendarFeedsController,
        PeopleController,
        CreateBookingGrpc,
        RescheduleBookingGrpc,
        CancelBookingGrpc,
        GetBookingGrpc,
      ],
      providers: [
        { provide: BOOKING_CONFIG, useValue: config },
        personalDataProvider(config),
        ErasePerson,
        ExportPerson,
        NotificationPart,
        {
          provide: STORE_READY,
          useFactory: (store: EventStore, keys: PersonalData) => {
            eventStore = store;
            personalData = keys;
            return true;
          },
          inject: [EventStore, PersonalData],
        },
        BookingCommands,
        IdempotencyKeys,
        { provide: ScheduleCache, useValue: scheduleCache },
        BookAppointment,
        CancelBooking,
        MoveBooking,
        GrpcCalls,
        HoldExpiry,
        OfferExpiry,
      ],
    };
  }
}
