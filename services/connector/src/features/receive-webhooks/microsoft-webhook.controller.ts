import { Body, Controller, HttpCode, Logger, Post, Query, Req, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { admitVerified, parseOr400, Public, VerifiesFirst } from '@cs/platform';
import type { Request, Response } from 'express';
import { z } from 'zod';
import { SubscriptionManager } from '../push-subscriptions/subscription-manager';
import {
  PushSubscriptionStore,
  type PushTargetRow,
} from '../../infrastructure/push-subscriptions/push-subscription-store';
import { type ChangeReason, ChangeNotifications } from './change-notifications';
import { sortGraphNotifications } from './graph-notifications';
import { PushSecrets } from './push-secrets';
import { refused } from './webhook-verification';

const notification = z.object({
  subscriptionId: z.string().min(1).max(200),
  clientState: z.string().max(1000).nullable().optional(),
  lifecycleEvent: z.string().max(100).optional(),
});
const batch = z.object({ value: z.array(notification).min(1).max(1000) });

/**
 * Graph change and lifecycle notifications
 * (https://learn.microsoft.com/graph/change-notifications-delivery-webhooks,
 * https://learn.microsoft.com/graph/change-notifications-lifecycle-events): the
 * `validationToken` handshake is echoed as text/plain. A batch is judged item by item: a
 * notification without its subscription's `clientState` is refused and logged, the others are
 * applied and Graph gets its 202 (a batch with nothing valid in it gets 401). Changes and
 * `missed` lead to a delta sync, also for a subscription whose id is not stored yet;
 * `reauthorizationRequired` and `subscriptionRemoved` are handed to the subscription manager,
 * so Graph gets its answer at once.
 */
@ApiTags('webhooks')
@Controller('webhooks')
export class MicrosoftWebhookController {
  private readonly logger = new Logger('Webhooks');

  constructor(
    private readonly subscriptions: PushSubscriptionStore,
    private readonly secrets: PushSecrets,
    private readonly notifications: ChangeNotifications,
    private readonly manager: SubscriptionManager,
  ) {}

  @Post('microsoft')
  @Public()
  @VerifiesFirst()
  @HttpCode(202)
  @ApiOperation({ summary: 'Microsoft Graph change and lifecycle notifications' })
  async receive(
    @Query('validationToken') validationToken: unknown,
    @Body() body: unknown,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ): Promise<string | undefined> {
    if (typeof validationToken === 'string' && validationToken.length > 0) {
      response.status(200);
      response.setHeader('content-type', 'text/plain; charset=utf-8');
      response.setHeader('x-content-type-options', 'nosniff');
      return validationToken;
    }
    const { value } = parseOr400(batch, body, 'body');
    const secretOf = (row: PushTargetRow) => this.secrets.secretOf(row);
    const sort = (rows: PushTargetRow[]) => sortGraphNotifications(value, rows, secretOf);
    // A notification naming no known subscription may be for one another instance just opened.
    const rows = await this.secrets.subscriptions(
      'microsoft',
      [...new Set(value.map((n) => n.subscriptionId))],
      (known) => !sort(known).refused.some((r) => r.reason === 'unknown subscription'),
    );
    const { accepted, refused: refusals } = sort(rows);
    if (accepted.length === 0)
      throw refused('microsoft', 'unknown subscription or wrong clientState in the batch');
    await admitVerified(request);
    if (refusals.length > 0)
      this.logger.warn({
        msg: 'webhook notifications refused',
        provider: 'microsoft',
        accepted: accepted.length,
        refused: refusals.map((r) => ({
          subscriptionId: value[r.index]!.subscriptionId,
          reason: r.reason,
        })),
      });
    const reasons = new Map<PushTargetRow, ChangeReason>();
    const renew: string[] = [];
    const resubscribe: string[] = [];
    for (const { notification: n, row } of accepted) {
      switch (n.lifecycleEvent) {
        case undefined:
          if (!reasons.has(row)) reasons.set(row, 'changed');
          continue;
        case 'missed':
          reasons.set(row, 'missed');
          continue;
        case 'subscriptionRemoved':
          // Changes made until a new subscription exists are caught by the delta it leads to.
          resubscribe.push(row.calendarId);
          reasons.set(row, 'missed');
          continue;
        case 'reauthorizationRequired':
          renew.push(row.calendarId);
          continue;
        default:
          continue;
      }
    }
    if (renew.length > 0) await this.subscriptions.request(renew, 'renew');
    if (resubscribe.length > 0) await this.subscriptions.request(resubscribe, 'resubscribe');
    if (reasons.size > 0) await this.notifications.record(reasons);
    if (renew.length + resubscribe.length > 0) this.manager.kick();
    return undefined;
  }
}
