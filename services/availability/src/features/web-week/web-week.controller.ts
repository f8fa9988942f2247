import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Controller, Get, Inject, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Public } from '@cs/platform';
import type { Request, Response } from 'express';
import { weekScript } from './week-script';

/**
 * Where browsers reach the services the page calls besides this one; unset, the page's own
 * host on the service's usual port (booking 3104, sync 3102).
 */
export const PEER_URLS = Symbol('PEER_URLS');

export interface PeerUrls {
  booking: string | undefined;
  sync: string | undefined;
}

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

  constructor(@Inject(PEER_URLS) private readonly peers: PeerUrls) {}

  @Get()
  html(@Req() req: Request, @Res() res: Response): void {
    const { bookingUrl, syncUrl } = this.config(req);
    const peers = [...new Set([new URL(bookingUrl).origin, new URL(syncUrl).origin])];
    res
      .set({
        ...HEADERS,
        'content-type': 'text/html; charset=utf-8',
        'content-security-policy': [
          "default-src 'none'",
          "script-src 'self'",
          "style-src 'self'",
          "img-src 'self'",
          `connect-src 'self' ${peers.join(' ')}`,
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
  config(@Req() req: Request): { bookingUrl: string; syncUrl: string } {
    const here = (port: number) => `${req.protocol}://${req.hostname}:${port}`;
    return {
      bookingUrl: this.peers.booking ?? here(3104),
      syncUrl: this.peers.sync ?? here(3102),
    };
  }
}

const HEADERS = {
  'cache-control': 'no-cache',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
};
