import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Controller, Get, Inject, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Public } from '@cs/platform';
import type { Request, Response } from 'express';
import { weekScript } from './week-script';

/** Where browsers reach the booking service; unset, the page's own host on port 3104. */
export const BOOKING_PUBLIC_URL = Symbol('BOOKING_PUBLIC_URL');

const page = (name: string) => readFileSync(join(__dirname, 'page', name), 'utf8');

/**
 * The week page: static files, no token needed to fetch them. The page reads its token from
 * the URL fragment, which browsers never send, so no server or proxy log ever sees it; every
 * API call it makes carries the token itself.
 */
@ApiExcludeController()
@Public()
@Controller('ui')
export class WebWeekController {
  private readonly files = {
    html: page('index.html'),
    js: weekScript(page('week.ts')),
    css: page('week.css'),
  };

  constructor(@Inject(BOOKING_PUBLIC_URL) private readonly bookingUrl: string | undefined) {}

  @Get()
  html(@Req() req: Request, @Res() res: Response): void {
    const booking = new URL(this.bookingFor(req)).origin;
    res
      .set({
        ...HEADERS,
        'content-type': 'text/html; charset=utf-8',
        'content-security-policy': [
          "default-src 'none'",
          "script-src 'self'",
          "style-src 'self'",
          "img-src 'self'",
          `connect-src 'self' ${booking}`,
          "base-uri 'none'",
          "form-action 'none'",
          "frame-ancestors 'none'",
        ].join('; '),
      })
      .send(this.files.html);
  }

  @Get('week.js')
  js(@Res() res: Response): void {
    res.set({ ...HEADERS, 'content-type': 'text/javascript; charset=utf-8' }).send(this.files.js);
  }

  @Get('week.css')
  css(@Res() res: Response): void {
    res.set({ ...HEADERS, 'content-type': 'text/css; charset=utf-8' }).send(this.files.css);
  }

  @Get('config.json')
  config(@Req() req: Request): { bookingUrl: string } {
    return { bookingUrl: this.bookingFor(req) };
  }

  private bookingFor(req: Request): string {
    return this.bookingUrl ?? `${req.protocol}://${req.hostname}:3104`;
  }
}

const HEADERS = {
  'cache-control': 'no-cache',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
};
