import { Controller, Get, Headers, Inject, Param, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, type Principal, Roles } from '@cs/platform';
import type { Request, Response } from 'express';
import { type AvailabilityChange, ChangeFeed } from '../../infrastructure/read-model/change-feed';
import { ProAvailability } from '../view-availability/pro-availability';

export const SSE_HEARTBEAT_MS = Symbol('SSE_HEARTBEAT_MS');

/**
 * Server-Sent Events: `availability.changed { proId, from, to }` whenever the Pro's read model
 * moves (the change feed's sequence is the event id), a comment as heartbeat, and resumption
 * from `Last-Event-ID` out of the change log. The stream is per Pro; `serviceId` is accepted
 * for clients that watch one service, and every change is sent.
 */
@ApiTags('availability')
@ApiBearerAuth()
@Controller('v1/pros/:proId/availability/stream')
export class AvailabilityStreamController {
  constructor(
    private readonly availability: ProAvailability,
    private readonly feed: ChangeFeed,
    @Inject(SSE_HEARTBEAT_MS) private readonly heartbeatMs: number,
  ) {}

  @Get()
  @Roles('service', 'pro', 'client')
  @ApiOperation({ summary: "Server-Sent Events when a Pro's availability changes" })
  async stream(
    @Param('proId') proId: string,
    @CurrentPrincipal() principal: Principal,
    @Req() req: Request,
    @Res() res: Response,
    @Headers('last-event-id') lastEventId?: string,
  ): Promise<void> {
    // A Pro still being set up may be watched: its first settings are a change too.
    this.availability.assertCanRead(principal, proId);
    res.status(200).set({
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    res.flushHeaders();
    res.write('retry: 3000\n\n');

    let sent = 0;
    let backlog: AvailabilityChange[] | null = [];
    const send = (change: AvailabilityChange) => {
      if (change.seq <= sent) return;
      sent = change.seq;
      const data = JSON.stringify({ proId, from: change.from, to: change.to });
      res.write(`id: ${change.seq}\nevent: availability.changed\ndata: ${data}\n\n`);
    };
    // Live changes wait while the history is read, so none is lost or sent twice.
    const subscription = this.feed.changes.subscribe((change) => {
      if (change.proId !== proId) return;
      if (backlog) backlog.push(change);
      else send(change);
    });
    const heartbeat = setInterval(() => res.write(': heartbeat\n\n'), this.heartbeatMs);
    req.on('close', () => {
      clearInterval(heartbeat);
      subscription.unsubscribe();
    });

    const resumeAfter = Number(lastEventId);
    if (lastEventId !== undefined && Number.isInteger(resumeAfter) && resumeAfter >= 0) {
      for (const change of await this.feed.since(proId, resumeAfter)) send(change);
    }
    for (const change of backlog) send(change);
    backlog = null;
  }
}
