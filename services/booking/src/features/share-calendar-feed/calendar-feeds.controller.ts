import { createHash, randomBytes } from 'node:crypto';
import { Controller, Delete, Get, HttpCode, Inject, Param, Post, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CLOCK, type Clock, PG_POOL, newId } from '@cs/eventing';
import {
  CurrentPrincipal,
  type Principal,
  ProblemException,
  Public,
  Roles,
  assertCanAccessPro,
} from '@cs/platform';
import { type Request, type Response } from 'express';
import { Pool } from 'pg';
import { type BookingRow } from '../../infrastructure/booking-reads';
import { scheduleInputTables } from '../../infrastructure/schedule-inputs.projection';
import { feedCalendar } from './feed-calendar';

const DAY = 24 * 60 * 60_000;
/** What a feed shows: a month back and everything ahead, up to a calendar app's appetite. */
const PAST = 30 * DAY;
const MAX_EVENTS = 5_000;

const hashOf = (token: string) => createHash('sha256').update(token).digest('hex');

const noFeed = () =>
  new ProblemException({ status: 404, type: 'not-found', detail: 'no such feed' });

@ApiTags('feeds')
@Controller()
export class CalendarFeedsController {
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Post('v1/pros/:proId/feeds')
  @ApiBearerAuth()
  @Roles('service', 'pro')
  @ApiOperation({ summary: "A secret iCalendar feed of the Pro's bookings; the URL is the secret" })
  async create(
    @Param('proId') proId: string,
    @CurrentPrincipal() principal: Principal,
    @Req() req: Request,
  ) {
    assertCanAccessPro(principal, proId);
    const feedId = newId();
    const token = randomBytes(32).toString('base64url');
    await this.pool.query(
      'INSERT INTO pro_feeds (feed_id, pro_id, token_hash, created_at) VALUES ($1, $2, $3, $4)',
      [feedId, proId, hashOf(token), this.clock.now()],
    );
    return { feedId, url: `${req.protocol}://${req.get('host')}/v1/feeds/${token}.ics` };
  }

  @Delete('v1/pros/:proId/feeds/:feedId')
  @ApiBearerAuth()
  @Roles('service', 'pro')
  @HttpCode(204)
  @ApiOperation({ summary: 'Revoke a feed: its URL answers 404 from now on' })
  async revoke(
    @Param('proId') proId: string,
    @Param('feedId') feedId: string,
    @CurrentPrincipal() principal: Principal,
  ) {
    assertCanAccessPro(principal, proId);
    const { rowCount } = await this.pool.query(
      `UPDATE pro_feeds SET revoked_at = coalesce(revoked_at, $3) WHERE feed_id = $1 AND pro_id = $2`,
      [feedId, proId, this.clock.now()],
    );
    if (rowCount === 0) throw noFeed();
  }

  @Public()
  @Delete('v1/feeds/:token.ics')
  @HttpCode(204)
  @ApiOperation({ summary: 'Revoke a feed by its URL (whoever holds the URL holds the feed)' })
  async revokeByUrl(@Param('token') token: string) {
    const { rowCount } = await this.pool.query(
      'UPDATE pro_feeds SET revoked_at = $2 WHERE token_hash = $1 AND revoked_at IS NULL',
      [hashOf(token), this.clock.now()],
    );
    if (rowCount === 0) throw noFeed();
  }

  @Public()
  @Get('v1/feeds/:token.ics')
  @ApiOperation({ summary: "The Pro's bookings as text/calendar" })
  async feed(@Param('token') token: string, @Res() res: Response) {
    const { rows: feeds } = await this.pool.query<{ pro_id: string; time_zone: string | null }>(
      `SELECT f.pro_id, p.settings->>'timeZone' AS time_zone
         FROM pro_feeds f LEFT JOIN ${scheduleInputTables.pros} p ON p.pro_id = f.pro_id
        WHERE f.token_hash = $1 AND f.revoked_at IS NULL`,
      [hashOf(token)],
    );
    const feed = feeds[0];
    if (!feed) throw noFeed();
    const now = this.clock.now().getTime();
    const { rows } = await this.pool.query<BookingRow>(
      `SELECT * FROM bookings
        WHERE pro_ids @> ARRAY[$1::text] AND status IN ('confirmed', 'held')
          AND end_at > $2
        ORDER BY start_at, booking_id LIMIT $3`,
      [feed.pro_id, new Date(now - PAST), MAX_EVENTS],
    );
    res
      .status(200)
      .type('text/calendar; charset=utf-8')
      .set('cache-control', 'private, max-age=300')
      .send(feedCalendar(rows, feed.time_zone ?? 'UTC', now));
  }
}
