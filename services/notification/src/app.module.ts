import { type DynamicModule, Module } from '@nestjs/common';
import { type Clock, EventStore } from '@cs/eventing';
import { type BaseConfig, serviceModules } from '@cs/platform';
import {
  connectorAlertsConsumer,
  syncAlertsConsumer,
} from './features/alert-people/connection-alerts.consumer';
import { Dispatcher, instanceName } from './features/deliver-notifications/dispatcher';
import { NotificationsController } from './features/list-notifications/notifications.controller';
import { ContactsController } from './features/manage-contacts/contacts.controller';
import { bookingNotificationsConsumer } from './features/notify-booking-changes/booking-notifications.consumer';
import { waitlistOffersConsumer } from './features/offer-waitlist-slots/waitlist-offers.consumer';
import { reminderDefaultsConsumer } from './features/remind-appointments/reminder-defaults.consumer';
import { SmtpMailer } from './infrastructure/mail/mailer';
import { notificationMigrations } from './infrastructure/migrations';
import { NotificationOutbox } from './infrastructure/outbox/notification-outbox';
import { HttpSmsProvider } from './infrastructure/sms/http-sms-provider';
import { CLOCK, MAILER, NOTIFICATION_CONFIG, SMS_PROVIDER } from './infrastructure/tokens';
import type { NotificationConfig } from './service';

@Module({})
export class AppModule {
  static forRoot(config: BaseConfig & NotificationConfig, clock: Clock): DynamicModule {
    const outbox = new NotificationOutbox(clock);
    return {
      module: AppModule,
      imports: serviceModules('notification', config, {
        context: 'notification',
        reads: ['booking', 'connector', 'sync', 'availability'],
        migrations: notificationMigrations,
        consumers: [
          bookingNotificationsConsumer(outbox, clock),
          reminderDefaultsConsumer,
          connectorAlertsConsumer(outbox, clock),
          syncAlertsConsumer(outbox, clock),
          waitlistOffersConsumer(outbox, clock),
        ],
      }),
      controllers: [ContactsController, NotificationsController],
      providers: [
        { provide: CLOCK, useValue: clock },
        { provide: NOTIFICATION_CONFIG, useValue: config },
        {
          provide: NotificationOutbox,
          useFactory: (store: EventStore) => outbox.bind(store),
          inject: [EventStore],
        },
        {
          provide: MAILER,
          useFactory: () =>
            new SmtpMailer(
              config.SMTP_URL,
              `"${config.MAIL_FROM_NAME}" <${config.MAIL_FROM}>`,
              instanceName(),
              config.DISPATCH_CONCURRENCY,
            ),
        },
        {
          provide: SMS_PROVIDER,
          useFactory: () =>
            config.SMS_API_URL
              ? new HttpSmsProvider({
                  baseUrl: config.SMS_API_URL,
                  accountSid: config.SMS_ACCOUNT_SID!,
                  authToken: config.SMS_AUTH_TOKEN!,
                  from: config.SMS_FROM!,
                })
              : null,
        },
        Dispatcher,
      ],
    };
  }
}
