import {
  Controller,
  Headers,
  HttpCode,
  Inject,
  Post,
  type RawBodyRequest,
  Req,
} from '@nestjs/common';
import { CLOCK, type Clock } from '@cs/eventing';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { admitVerified, parseOr400, Public, VerifiesFirst } from '@cs/platform';
import type { Request } from 'express';
import type { PoolClient } from 'pg';
import { firstDelivery } from '../../infrastructure/providers/calendly/calendly-deliveries';
import { CalendlyItemStore } from '../../infrastructure/providers/calendly/calendly-item-store';
import { verifyCalendlySignature } from '../../infrastructure/providers/calendly/calendly-signature';
import {
  type CalendlyWebhook,
  calendlyWebhookSchema,
  type InviteeChange,
  inviteeChangeOf,
  scheduledEventToIcs,
} from '../../infrastructure/providers/calendly/calendly-webhook';
import { PUSH_CONFIG, type PushConfig } from '../push-subscriptions/push-config';
import type { PushTargetRow } from '../../infrastructure/push-subscriptions/push-subscription-store';
import { ChangeNotifications } from './change-notifications';
import { PushSecrets } from './push-secrets';
import { refused } from './webhook-verification';

/**
 * Calendly's webhooks: the signature is checked over the exact bytes received before anything
 * is read from them; the delivery is applied once however often Calendly redelivers it (keyed
 * by invitee and event, with a cancellation winning over a booking that arrives after it);
 * the scheduled event goes into the store that `CalendlyProvider` lists, and sync is told.
 */
@ApiTags('webhooks')
@Controller('webhooks')
export class CalendlyWebhookController {
  constructor(
    private readonly secrets: PushSecrets,
    private readonly notifications: ChangeNotifications,
    private readonly items: CalendlyItemStore,
    @Inject(PUSH_CONFIG) private readonly config: PushConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Post('calendly')
  @Public()
  @VerifiesFirst()
  @HttpCode(200)
  @ApiOperation({ summary: 'Calendly invitee.created / invitee.canceled webhooks (signed)' })
  async receive(
    @Req() request: RawBodyRequest<Request>,
    @Headers('calendly-webhook-signature') signature: string | undefined,
  ): Promise<void> {
    const rawBody = request.rawBody;
    const owner: unknown = (request.body as { created_by?: unknown } | undefined)?.created_by;
    if (!rawBody || typeof owner !== 'string') throw refused('calendly', 'unsigned or no owner');
    const now = this.clock.now().getTime();
    const row = (await this.secrets.resource('calendly', owner)).find((candidate) => {
      const signingKey = this.secrets.secretOf(candidate);
      return (
        signingKey !== null &&
        verifyCalendlySignature({
          header: signature,
          rawBody,
          signingKey,
          now,
          toleranceMs: this.config.calendlyToleranceMs,
        }) === 'ok'
      );
    });
    if (!row) throw refused('calendly', 'no subscription whose key signed this');
    await admitVerified(request);
    const webhook = parseOr400(calendlyWebhookSchema, request.body, 'body');
    const change = inviteeChangeOf(webhook);
    if (change.kind === 'ignored') return;
    await this.notifications.record(new Map([[row, 'webhook']]), (tx) =>
      this.apply(tx, row, webhook, change, now),
    );
  }

  /** False: seen before (a redelivery), or a booking already cancelled; nothing to do. */
  private async apply(
    tx: PoolClient,
    row: PushTargetRow,
    webhook: CalendlyWebhook,
    change: Exclude<InviteeChange, { kind: 'ignored' }>,
    now: number,
  ): Promise<boolean> {
    const first = await firstDelivery(tx, {
      calendarId: row.calendarId,
      invitee: change.invitee,
      event: webhook.event,
      receivedAt: new Date(now),
    });
    if (!first) return false;
    if (change.kind === 'freed') await this.items.drop(tx, row.calendarId, change.event.uri);
    else
      await this.items.put(
        tx,
        row.calendarId,
        change.event.uri,
        scheduledEventToIcs(change.event, webhook.created_at),
      );
    return true;
  }
}
