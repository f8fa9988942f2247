import { Inject, Injectable } from '@nestjs/common';
import { type PersonRef } from '@cs/contracts';
import { currentContext } from '@cs/eventing';
import { ProblemException } from '@cs/platform';
import { BOOKING_CONFIG, type BookingConfig } from '../../infrastructure/booking-config';

const TIMEOUT_MS = 10_000;

/**
 * The notification service's part of a person's export (their registered contact, the messages
 * sent to them), asked for with the caller's own token: notification decides what this caller may
 * see, and booking holds no token of its own (docs/adr/0017). An export is complete or refused.
 */
@Injectable()
export class NotificationPart {
  private readonly base: string;

  constructor(@Inject(BOOKING_CONFIG) config: BookingConfig) {
    this.base = config.NOTIFICATION_URL.replace(/\/$/, '');
  }

  async of(person: PersonRef, authorization: string): Promise<unknown> {
    const path = `/v1/people/${encodeURIComponent(person.kind)}/${encodeURIComponent(person.id)}/export`;
    const correlationId = currentContext()?.correlationId;
    let response: Response;
    try {
      response = await fetch(`${this.base}${path}`, {
        headers: {
          authorization,
          accept: 'application/json',
          ...(correlationId ? { 'x-correlation-id': correlationId } : {}),
        },
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
    } catch {
      throw this.refused(503, 'did not answer');
    }
    if (!response.ok) throw this.refused(502, `answered ${response.status}`);
    return response.json();
  }

  private refused(status: 502 | 503, what: string): ProblemException {
    return new ProblemException({
      status,
      type: 'export-incomplete',
      detail: `the notification service ${what} for its part of the export; nothing is exported without it`,
    });
  }
}
