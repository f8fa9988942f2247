import { ConfidentialClientApplication } from '@azure/msal-node';
import { Client, type Context, type Middleware } from '@microsoft/microsoft-graph-client';
import type { MailboxLimiter } from './mailbox-limiter';
import { type HttpsSend, microsoftHttps, msalNetworkClient } from './microsoft-https';

export interface MicrosoftClientConfig {
  clientId: string;
  clientSecret: string;
  redirectUri: string;
  /** `https://login.microsoftonline.com/<tenant or common>`; the emulator's in tests. */
  authority: string;
  /** `https://graph.microsoft.com/v1.0`. */
  graphUrl: string;
  /** PEM of one more CA to trust (tests only). */
  ca: string | null;
  timeoutMs: number;
  connectTimeoutMs?: number;
}

/** Delegated access to the Pro's calendars; MSAL adds `openid profile offline_access` itself. */
export const GRAPH_SCOPES = ['Calendars.ReadWrite'];

export const httpsFor = (config: MicrosoftClientConfig): HttpsSend =>
  microsoftHttps({
    ca: config.ca,
    timeoutMs: config.timeoutMs,
    connectTimeoutMs: config.connectTimeoutMs,
  });

/**
 * The official MSAL confidential client, one per use: it holds one account's token cache at a
 * time. The authority is trusted as given (`knownAuthorities`), so MSAL reads its OpenID
 * metadata from it and never asks Microsoft's instance discovery about another host.
 */
export function msalApp(config: MicrosoftClientConfig): ConfidentialClientApplication {
  return new ConfidentialClientApplication({
    auth: {
      clientId: config.clientId,
      clientSecret: config.clientSecret,
      authority: config.authority,
      knownAuthorities: [new URL(config.authority).host],
    },
    system: { networkClient: msalNetworkClient(httpsFor(config)) },
  });
}

const NO_BODY = new Set([204, 205, 304]);

function headersOf(headers: unknown): Record<string, string> {
  if (!headers) return {};
  if (headers instanceof Headers) return Object.fromEntries(headers.entries());
  if (Array.isArray(headers)) return Object.fromEntries(headers as Array<[string, string]>);
  return { ...(headers as Record<string, string>) };
}

/**
 * The Graph client's only middleware: the bearer token, one slot of the mailbox's concurrency,
 * and our transport. The SDK's own retry handler is left out on purpose: a 429 goes back to
 * sync as `rate_limited`, whose backoff and shared limits decide the wait.
 */
class GraphTransport implements Middleware {
  constructor(
    private readonly send: HttpsSend,
    private readonly limiter: MailboxLimiter,
    private readonly mailbox: string,
    private readonly accessToken: string,
  ) {}

  async execute(context: Context): Promise<void> {
    const url = typeof context.request === 'string' ? context.request : context.request.url;
    const headers = headersOf(context.options?.headers);
    headers.authorization = `Bearer ${this.accessToken}`;
    const body = context.options?.body;
    const reply = await this.limiter.run(this.mailbox, () =>
      this.send(
        context.options?.method ?? 'GET',
        new URL(url).href,
        headers,
        typeof body === 'string' ? body : undefined,
      ),
    );
    context.response = new Response(NO_BODY.has(reply.status) ? null : reply.body, {
      status: reply.status,
      headers: reply.headers,
    });
  }
}

/** Graph as one mailbox's access token reaches it; every URL given to `api()` is absolute. */
export function graphClient(
  config: MicrosoftClientConfig,
  limiter: MailboxLimiter,
  mailbox: string,
  accessToken: string,
): Client {
  return Client.initWithMiddleware({
    middleware: new GraphTransport(httpsFor(config), limiter, mailbox, accessToken),
  });
}
