import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { CLOCK, type Clock, continueTrace, PersonalData, PG_POOL } from '@cs/eventing';
import { hostname } from 'node:os';
import { Pool } from 'pg';
import { afterFailure, messageIdOf } from '../../domain/delivery/delivery';
import { offerStillOpen } from '../../domain/messages/waitlist-offer';
import { reminderStillUseful } from '../../domain/reminders/reminders';
import { Contacts } from '../../infrastructure/contacts/contacts';
import { DeliveryError, type Mailer } from '../../infrastructure/mail/mailer';
import { DueSignal } from '../../infrastructure/delivery-queue/due-signal';
import {
  DeliveryQueue,
  type NotificationRow,
  type UnreachableReason,
} from '../../infrastructure/delivery-queue/delivery-queue';
import { type SmsProvider } from '../../infrastructure/sms/sms-provider';
import { MAILER, NOTIFICATION_CONFIG, SMS_PROVIDER } from '../../infrastructure/tokens';
import { type NotificationConfig } from '../../config';
import { compose } from './compose';
import { partiesOf } from './parties';

const BATCH = 20;
const MESSAGE_ID_DOMAIN = 'notification.careservice';

/** The name this instance goes by in leases and in its SMTP greeting. */
export const instanceName = (): string => `notification-${process.pid}.${hostname()}`;

/**
 * Sends what is due, on every instance at once: each claims rows with a lease, sends outside
 * any transaction, and records the outcome only while it still holds the lease.
 */
@Injectable()
export class Dispatcher implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Dispatcher');
  private readonly owner = instanceName();
  private readonly stopped = new AbortController();
  private running: Promise<void> | undefined;
  private readonly due: DueSignal;

  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    private readonly queue: DeliveryQueue,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(MAILER) private readonly mailer: Mailer,
    @Inject(SMS_PROVIDER) private readonly sms: SmsProvider | null,
    @Inject(NOTIFICATION_CONFIG) private readonly config: NotificationConfig,
    private readonly personal: PersonalData,
    private readonly contacts: Contacts,
  ) {
    this.due = new DueSignal(pool);
  }

  onApplicationBootstrap(): void {
    this.running = this.loop();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped.abort();
    await this.running;
    this.due.close();
    this.mailer.close();
  }

  private async loop(): Promise<void> {
    while (!this.stopped.signal.aborted) {
      try {
        // Listening before claiming: a row committed in between still rings.
        await this.due
          .listen()
          .catch((error: Error) =>
            this.logger.warn({ msg: 'not listening for due notifications', error: error.message }),
          );
        const claimed = await this.queue.claimDue(
          this.pool,
          this.owner,
          this.config.DISPATCH_LEASE_MS,
          BATCH,
        );
        await this.deliverSideBySide(claimed);
        // Each recipient's next message can only be claimed once this one is out.
        if (claimed.length > 0) continue;
      } catch (error) {
        this.logger.warn({ msg: 'dispatch failed', error: (error as Error).message });
      }
      await this.due.wait(this.config.DISPATCH_INTERVAL_MS, this.stopped.signal);
    }
  }

  /** Several recipients at once over the mailer's pooled connections (a claim holds one each). */
  private async deliverSideBySide(claimed: NotificationRow[]): Promise<void> {
    const waiting = [...claimed];
    const worker = async () => {
      for (let row = waiting.shift(); row; row = waiting.shift()) {
        const due = row;
        // In the trace that scheduled it: the booking's, for an invitation.
        await continueTrace(`deliver ${due.kind}`, due.cause, () => this.deliver(due));
      }
    };
    // Every worker finishes before the next claim, even when one of them fails.
    const outcomes = await Promise.allSettled(
      Array.from({ length: this.config.DISPATCH_CONCURRENCY }, worker),
    );
    const failed = outcomes.find((o) => o.status === 'rejected');
    if (failed) throw failed.reason;
  }

  private async deliver(row: NotificationRow): Promise<void> {
    const leaseMs = this.config.DISPATCH_LEASE_MS;
    if (!(await this.queue.renewLease(this.pool, row, this.owner, leaseMs))) return;
    const now = this.clock.now();
    const content = row.content;
    if (
      row.kind === 'reminder' &&
      'booking' in content &&
      !reminderStillUseful(Date.parse(content.booking.start), now.getTime())
    ) {
      return this.queue.recordCancelled(this.pool, row, this.owner, 'appointment_started');
    }
    // The expiry event may come late or not yet: an offer past its time is not sent.
    if ('offer' in content && !offerStillOpen(Date.parse(content.offer.expiresAt), now.getTime()))
      return this.queue.recordCancelled(this.pool, row, this.owner, 'offer_expired');
    const { recipient, clientErased, ...parties } = await partiesOf(
      this.pool,
      this.personal,
      this.contacts,
      row,
    );
    // Told once per message, at its first try: the booking shows its client as unreachable.
    const unreachable = (reason: UnreachableReason) => (row.attempts === 1 ? reason : undefined);
    if (!recipient && clientErased && row.recipient_kind === 'client')
      return this.queue.recordCancelled(
        this.pool,
        row,
        this.owner,
        'no_address',
        unreachable('erased'),
      );
    if (!recipient)
      return this.fail(
        row,
        `no contact for ${row.recipient_kind} ${row.recipient_id}`,
        false,
        unreachable('no_contact'),
      );
    const to = row.channel === 'email' ? recipient.email : recipient.phone;
    if (!to)
      return this.queue.recordCancelled(
        this.pool,
        row,
        this.owner,
        'no_address',
        unreachable('no_address'),
      );
    if (row.channel === 'sms' && !this.sms)
      return this.queue.recordCancelled(this.pool, row, this.owner, 'channel_unavailable');

    const composed = compose(
      row.kind,
      content,
      { recipient, ...parties },
      {
        organizer: { email: this.config.MAIL_FROM, name: this.config.MAIL_FROM_NAME },
        appUrl: this.config.APP_URL,
        now: now.getTime(),
      },
    );
    const messageId = messageIdOf(row.notification_id, MESSAGE_ID_DOMAIN);
    try {
      if (row.channel === 'email') {
        await this.mailer.send({
          to,
          subject: composed.message.subject,
          text: composed.message.text,
          html: composed.message.html,
          messageId,
          invitation: composed.invitation,
        });
      } else {
        await this.sms!.send({ to, body: composed.message.sms, idempotencyKey: messageId });
      }
    } catch (error) {
      const permanent = error instanceof DeliveryError && error.permanent;
      return this.fail(row, (error as Error).message, permanent);
    }
    await this.queue.recordSent(this.pool, row, this.owner, to);
  }

  private async fail(
    row: NotificationRow,
    error: string,
    permanent: boolean,
    unreachable?: UnreachableReason,
  ): Promise<void> {
    const next = afterFailure(row.attempts, permanent, this.clock.now().getTime(), {
      maxAttempts: this.config.RETRY_MAX_ATTEMPTS,
      baseDelayMs: this.config.RETRY_BASE_MS,
      maxDelayMs: this.config.RETRY_MAX_MS,
    });
    this.logger.warn({
      msg: 'notification not delivered',
      notificationId: row.notification_id,
      attempt: row.attempts,
      final: next.final,
      error,
    });
    await this.queue.recordFailure(
      this.pool,
      row,
      this.owner,
      error,
      next.final ? null : new Date(next.nextAttemptAt),
      unreachable,
    );
  }
}
