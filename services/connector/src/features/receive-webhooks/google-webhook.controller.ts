import { Controller, Headers, HttpCode, Post, Req } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { admitVerified, Public, VerifiesFirst } from '@cs/platform';
import type { Request } from 'express';
import { z } from 'zod';
import { ChangeNotifications } from './change-notifications';
import { PushSecrets } from './push-secrets';
import { refused, sameSecret } from './webhook-verification';

const headers = z.object({
  'x-goog-channel-id': z.string().min(1).max(200),
  'x-goog-channel-token': z.string().min(1).max(1000),
  'x-goog-resource-id': z.string().min(1).max(500),
  'x-goog-resource-state': z.enum(['sync', 'exists', 'not_exists']),
});

/**
 * Google's channel notifications (https://developers.google.com/calendar/api/guides/push): a
 * bodiless POST whose `X-Goog-*` headers name our channel, echo its token and the watched
 * resource. `sync` opens the channel and asks for nothing; `exists`/`not_exists` say the
 * calendar changed. Answered at once; sync reads the changes afterwards.
 */
@ApiTags('webhooks')
@Controller('webhooks')
export class GoogleWebhookController {
  constructor(
    private readonly secrets: PushSecrets,
    private readonly notifications: ChangeNotifications,
  ) {}

  @Post('google')
  @Public()
  @VerifiesFirst()
  @HttpCode(200)
  @ApiOperation({ summary: 'Google Calendar push channel notifications' })
  async receive(
    @Headers() raw: Record<string, string | undefined>,
    @Req() request: Request,
  ): Promise<void> {
    const parsed = headers.safeParse(raw);
    if (!parsed.success) throw refused('google', 'missing or malformed X-Goog headers');
    const message = parsed.data;
    const channelId = message['x-goog-channel-id'];
    const row = await this.secrets.channel('google', channelId);
    if (!row) throw refused('google', 'unknown channel');
    if (!sameSecret(message['x-goog-channel-token'], this.secrets.secretOf(row)))
      throw refused('google', 'wrong channel token');
    // A channel still being opened has no resource id on record yet; its token vouches for it.
    if (row.channelId === channelId && row.resourceId !== message['x-goog-resource-id'])
      throw refused('google', 'wrong resource id');
    await admitVerified(request);
    if (message['x-goog-resource-state'] === 'sync') return;
    await this.notifications.record(new Map([[row, 'changed']]));
  }
}
