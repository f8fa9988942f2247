import { type DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { type Clock, EventStore, personalDataProvider } from '@cs/eventing';
import { type BaseConfig, serviceModules } from '@cs/platform';
import {
  connectorAlertsConsumer,
  syncAlertsConsumer,
} from './features/alert-people/connection-alerts.consumer';
import { Dispatcher, instanceName } from './features/deliver-notifications/dispatcher';
import { NotificationsController } from './features/list-notifications/notifications.controller';
import { ContactsController } from './features/manage-contacts/contacts.controller';
import { PersonExportController } from './features/forget-people/person-export.controller';
import { bookingNotificationsConsumer } from './features/notify-booking-changes/booking-notifications.consumer';
import { waitlistOffersConsumer } from './features/offer-waitlist-slots/waitlist-offers.consumer';
import { reminderDefaultsConsumer } from './features/remind-appointments/reminder-defaults.consumer';
import { personErasedConsumer } from './features/forget-people/person-erased.consumer';
import { ContactRecord } from './infrastructure/contacts/contact.entity';
import { Contacts } from './infrastructure/contacts/contacts';
import { SmtpMailer } from './infrastructure/mail/mailer';
import { notificationMigrations } from './infrastructure/migrations';
import { DeliveryQueue } from './infrastructure/delivery-queue/delivery-queue';
import { HttpSmsProvider } from './infrastructure/sms/http-sms-provider';
import { MAILER, NOTIFICATION_CONFIG, SMS_PROVIDER } from './infrastructure/tokens';
import type { NotificationConfig } from './config';

@Module({})
export class AppModule {
  static forRoot(config: BaseConfig & NotificationConfig, clock: Clock): DynamicModule {
    const queue = new DeliveryQueue(clock);
    return {
      module: AppModule,
      imports: [
        ...serviceModules('notification', config, {
          context: 'notification',
          clock,
          reads: ['booking', 'connector', 'sync', 'availability'],
          migrations: notificationMigrations,
          consumers: [
            bookingNotificationsConsumer(queue, clock),
            reminderDefaultsConsumer,
            connectorAlertsConsumer(queue, clock),
            syncAlertsConsumer(queue, clock),
            waitlistOffersConsumer(queue, clock),
            personErasedConsumer(),
          ],
        }),
        TypeOrmModule.forFeature([ContactRecord]),
      ],
      controllers: [ContactsController, NotificationsController, PersonExportController],
      providers: [
        { provide: NOTIFICATION_CONFIG, useValue: config },
        personalDataProvider(config),
        Contacts,
        {
          provide: DeliveryQueue,
          useFactory: (store: EventStore) => queue.bind(store),
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
