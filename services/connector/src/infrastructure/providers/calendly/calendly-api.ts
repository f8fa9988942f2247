import { z } from 'zod';
import { ProviderError } from '../../../domain/provider/provider-error';
import { providerFetch } from '../provider-fetch';

export interface CalendlyApiConfig {
  /** `https://api.calendly.com`, or an emulator in tests. */
  apiRoot: string;
  timeoutMs: number;
  connectTimeoutMs?: number;
}

const user = z.object({
  uri: z.string().url(),
  name: z.string(),
  current_organization: z.string().url(),
});
const webhook = z.object({
  uri: z.string().url(),
  callback_url: z.string(),
  user: z.string().url().nullable().optional(),
});
const page = z.object({
  collection: z.array(webhook),
  pagination: z.object({ next_page: z.string().url().nullable().optional() }).optional(),
});

export type CalendlyUser = z.infer<typeof user>;
export type CalendlyWebhook = z.infer<typeof webhook>;

/** The invitee events that make and free busy time. */
export const CALENDLY_EVENTS = ['invitee.created', 'invitee.canceled'] as const;

/**
 * The few calls of Calendly's API v2 (https://developer.calendly.com/api-docs) the connector
 * needs, with a personal access token: who the token belongs to, and its webhook subscriptions.
 */
export class CalendlyApi {
  private readonly fetch: typeof fetch;

  constructor(private readonly config: CalendlyApiConfig) {
    this.fetch = providerFetch(config);
  }

  private async call<T extends z.ZodTypeAny>(
    token: string,
    method: string,
    path: string,
    schema: T,
    body?: unknown,
  ): Promise<z.infer<T> | null> {
    const url = new URL(
      path.startsWith('/') ? `${this.config.apiRoot.replace(/\/+$/, '')}${path}` : path,
    );
    // Links Calendly hands out (next pages, subscription URIs) must not carry the token elsewhere.
    if (url.origin !== new URL(this.config.apiRoot).origin)
      throw new ProviderError('invalid_data', `Calendly pointed outside its API: ${url.host}`);
    const response = await this.fetch(url, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const where = `${method} ${url.pathname}`;
    if (response.status === 404) return null;
    if (response.status === 403)
      throw new ProviderError('auth_revoked', `${where}: Calendly refused the token's permissions`);
    if (response.status === 409)
      throw new ProviderError('precondition_failed', `${where}: it exists already`);
    if (!response.ok)
      throw new ProviderError('invalid_data', `${where}: Calendly answered ${response.status}`);
    if (response.status === 204) return schema.parse({});
    const parsed = schema.safeParse(await response.json().catch(() => null));
    if (!parsed.success)
      throw new ProviderError('invalid_data', `${where}: Calendly sent an unexpected answer`);
    return parsed.data;
  }

  /** `GET /users/me`: also proves the token works. */
  async me(token: string): Promise<CalendlyUser> {
    const answer = await this.call(token, 'GET', '/users/me', z.object({ resource: user }));
    if (!answer) throw new ProviderError('auth_revoked', 'Calendly does not know the token');
    return answer.resource;
  }

  /** `POST /webhook_subscriptions`, user scope, signed with our key. */
  async createWebhook(
    token: string,
    input: { url: string; user: CalendlyUser; signingKey: string },
  ): Promise<CalendlyWebhook> {
    const answer = await this.call(
      token,
      'POST',
      '/webhook_subscriptions',
      z.object({ resource: webhook }),
      {
        url: input.url,
        events: CALENDLY_EVENTS,
        organization: input.user.current_organization,
        user: input.user.uri,
        scope: 'user',
        signing_key: input.signingKey,
      },
    );
    if (!answer) throw new ProviderError('not_found', 'Calendly has no webhook subscriptions');
    return answer.resource;
  }

  /** The user's webhook subscriptions, every page. */
  async webhooks(token: string, owner: CalendlyUser): Promise<CalendlyWebhook[]> {
    const query = new URLSearchParams({
      organization: owner.current_organization,
      user: owner.uri,
      scope: 'user',
      count: '100',
    });
    const found: CalendlyWebhook[] = [];
    let next: string | null = `/webhook_subscriptions?${query.toString()}`;
    while (next) {
      const answer: z.infer<typeof page> | null = await this.call(token, 'GET', next, page);
      found.push(...(answer?.collection ?? []));
      next = answer?.pagination?.next_page ?? null;
    }
    return found;
  }

  /** `DELETE` on the subscription's URI; one Calendly no longer has counts as deleted. */
  async deleteWebhook(token: string, uri: string): Promise<void> {
    await this.call(token, 'DELETE', uri, z.object({}));
  }
}
