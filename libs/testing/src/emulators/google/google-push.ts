import { OutgoingWebhooks } from '../shared/outgoing-webhooks';
import { randomToken } from '../shared/random-id';
import { GoogleApiError, badRequest } from './google-errors';

export interface GoogleChannel {
  id: string;
  resourceId: string;
  resourceUri: string;
  calendarId: string;
  address: string;
  token: string | null;
  expiration: number;
  messageNumber: number;
}

export interface PushDelivery {
  channelId: string;
  state: 'sync' | 'exists';
  messageNumber: number;
  /** A test asked for this one to be lost on the way. */
  dropped: boolean;
  /** The webhook's HTTP status; null while in flight, dropped, or when it could not be sent. */
  status: number | null;
}

export interface WatchRequest {
  id?: string;
  type?: string;
  address?: string;
  token?: string;
  expiration?: string;
}

/** Google caps a channel's life; events channels default to and may not exceed a week. */
const MAX_TTL_MS = 7 * 86_400_000;

/**
 * Push channels as in https://developers.google.com/calendar/api/guides/push: a `sync`
 * message when the channel opens, then `exists` on every change, each a bodiless POST with
 * the `X-Goog-*` headers. Google only calls HTTPS addresses; loopback HTTP is allowed here
 * so tests can receive.
 */
export class GooglePushChannels {
  readonly deliveries: PushDelivery[] = [];
  private readonly channels = new Map<string, GoogleChannel>();
  private readonly outgoing = new OutgoingWebhooks();
  private toDrop = 0;

  constructor(private readonly now: () => number) {}

  watch(calendarId: string, resourceUri: string, request: WatchRequest | null): GoogleChannel {
    if (!request?.id) throw badRequest('required', 'Required channel id');
    if (request.type !== 'web_hook' && request.type !== 'webhook')
      throw badRequest('invalid', `Unknown channel type: ${request.type ?? ''}`);
    const address = parseAddress(request.address);
    if (this.channels.has(request.id))
      throw new GoogleApiError(400, 'channelIdNotUnique', 'Channel id not unique');
    const requested = request.expiration ? Number(request.expiration) : Infinity;
    const channel: GoogleChannel = {
      id: request.id,
      resourceId: randomToken(18),
      resourceUri,
      calendarId,
      address,
      token: request.token ?? null,
      expiration: Math.min(requested, this.now() + MAX_TTL_MS),
      messageNumber: 0,
    };
    this.channels.set(channel.id, channel);
    this.send(channel, 'sync');
    return channel;
  }

  stop(id: string | undefined, resourceId: string | undefined): void {
    const channel = id ? this.channels.get(id) : undefined;
    if (!channel || channel.resourceId !== resourceId)
      throw new GoogleApiError(404, 'notFound', `Channel '${id ?? ''}' not found for project`);
    this.channels.delete(channel.id);
  }

  changed(calendarId: string): void {
    for (const channel of this.channels.values())
      if (channel.calendarId === calendarId && channel.expiration > this.now())
        this.send(channel, 'exists');
  }

  list(): GoogleChannel[] {
    return [...this.channels.values()];
  }

  dropNext(count: number): void {
    this.toDrop += count;
  }

  settled(): Promise<void> {
    return this.outgoing.settled();
  }

  private send(channel: GoogleChannel, state: PushDelivery['state']): void {
    channel.messageNumber++;
    const record: PushDelivery = {
      channelId: channel.id,
      state,
      messageNumber: channel.messageNumber,
      dropped: this.toDrop > 0,
      status: null,
    };
    this.deliveries.push(record);
    if (record.dropped) {
      this.toDrop--;
      return;
    }
    const headers: Record<string, string> = {
      'X-Goog-Channel-ID': channel.id,
      'X-Goog-Channel-Expiration': new Date(channel.expiration).toUTCString(),
      'X-Goog-Message-Number': String(channel.messageNumber),
      'X-Goog-Resource-ID': channel.resourceId,
      'X-Goog-Resource-URI': channel.resourceUri,
      'X-Goog-Resource-State': state,
    };
    if (channel.token !== null) headers['X-Goog-Channel-Token'] = channel.token;
    void this.outgoing.post(channel.address, { headers }, record);
  }
}

function parseAddress(address: string | undefined): string {
  let url: URL;
  try {
    url = new URL(address ?? '');
  } catch {
    throw badRequest('invalid', 'Invalid channel address');
  }
  const loopback = ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback))
    throw new GoogleApiError(400, 'push.webhookUrlNotHttps', 'WebHook callback must be HTTPS');
  return url.toString();
}
