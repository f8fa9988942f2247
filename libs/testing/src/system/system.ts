import { contexts } from '@cs/contracts';
import { signTestToken, type TestTokenClaims } from '@cs/platform';
import { startCalDavServer, type CalDavServerHandle } from '../caldav/caldav-server';
import { freePort } from '../free-port';
import { SmtpTestServer } from '../smtp/smtp-test-server';
import { createTestContext, type TestContext } from '../test-context';
import { TEST_JWT_SECRET } from '../test-jwt-secret';
import { ServiceProcess } from './service-process';
import { SYSTEM_SERVICES, type SystemServiceName, serviceEnv } from './system-services';

export interface SystemOptions {
  /** Defaults to the shared PostgreSQL and NATS of the tests. */
  databaseUrl?: string;
  natsUrl?: string;
  /** Variables for every service; they win over the launcher's defaults. */
  env?: Record<string, string>;
  /** Variables for one service; they win over everything else. */
  serviceEnv?: Partial<Record<SystemServiceName, Record<string, string>>>;
}

export interface System {
  /** One stream prefix for the whole system; each service has its schema `<id>_<service>`. */
  id: string;
  databaseUrl: string;
  natsUrl: string;
  schemas: Readonly<Record<SystemServiceName, string>>;
  /** The bus under the system's prefix (`js`, `jsm`, `naming`), for reading what happened. */
  ctx: TestContext;
  services: Readonly<Record<SystemServiceName, ServiceProcess>>;
  url(service: SystemServiceName): string;
  caldav: CalDavServerHandle;
  smtp: SmtpTestServer;
  /** A JWT the services accept (API.md claims: `sub`, `roles`, `proId`, `clientId`). */
  token(claims: TestTokenClaims): Promise<string>;
  /** SIGKILL: no shutdown hooks, connections cut mid-flight. */
  kill(service: SystemServiceName): Promise<void>;
  /** Starts a stopped service on its port again and waits until it is ready. */
  start(service: SystemServiceName): Promise<void>;
  restart(service: SystemServiceName): Promise<void>;
  /** Kills every process, drops the schemas and streams, stops the CalDAV and SMTP servers. */
  stop(): Promise<void>;
}

const ENTRY = (service: SystemServiceName) => `services/${service}/src/main.ts`;

/**
 * The five services as separate processes on free ports, against one PostgreSQL and NATS, with
 * a Radicale CalDAV server and an SMTP catcher: the whole system, as a test or benchmark sees it.
 */
export async function startSystem(options: SystemOptions = {}): Promise<System> {
  const ctx = await createTestContext({
    streams: contexts,
    databaseUrl: options.databaseUrl,
    natsUrl: options.natsUrl,
  });
  const [caldav, smtp] = await Promise.all([
    startCalDavServer('radicale', {
      credentials: { username: 'pro', password: 'calendar-secret' },
    }),
    SmtpTestServer.start(),
  ]);
  const schemas = Object.fromEntries(
    SYSTEM_SERVICES.map((service) => [service, `${ctx.schema}_${service}`]),
  ) as Record<SystemServiceName, string>;
  const services = {} as Record<SystemServiceName, ServiceProcess>;
  for (const service of SYSTEM_SERVICES) {
    const port = await freePort();
    const env = {
      DATABASE_URL: ctx.databaseUrl,
      NATS_URL: ctx.natsUrl,
      NATS_PREFIX: ctx.prefix,
      AUTH_JWT_SECRET: TEST_JWT_SECRET,
      LOG_LEVEL: 'warn',
      DB_POOL_SIZE: '6',
      SHUTDOWN_TIMEOUT_MS: '2000',
      ...serviceEnv(service, {
        port,
        grpcPort: await freePort(),
        schema: schemas[service],
        smtpUrl: smtp.url,
      }),
      ...options.env,
      ...options.serviceEnv?.[service],
    };
    services[service] = new ServiceProcess(service, ENTRY(service), env, port);
  }
  const killAll = () => {
    for (const service of Object.values(services)) if (service.pid) process.kill(service.pid, 9);
  };
  // A test runner that dies must not leave services behind.
  process.once('exit', killAll);

  const stop = async () => {
    process.removeListener('exit', killAll);
    await Promise.all(Object.values(services).map((s) => s.kill()));
    for (const schema of Object.values(schemas))
      await ctx.pool.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => undefined);
    await ctx.cleanup();
    await Promise.all([caldav.dispose(), smtp.stop()]);
  };
  try {
    // In turn: one that cannot start is named, and the rest are not started for nothing.
    for (const service of SYSTEM_SERVICES) await services[service].start();
  } catch (error) {
    await stop();
    throw error;
  }

  return {
    id: ctx.id,
    databaseUrl: ctx.databaseUrl,
    natsUrl: ctx.natsUrl,
    schemas,
    ctx,
    services,
    url: (service) => services[service].url,
    caldav,
    smtp,
    token: (claims) => signTestToken(TEST_JWT_SECRET, claims),
    kill: (service) => services[service].kill(),
    start: (service) => services[service].start(),
    async restart(service) {
      await services[service].kill();
      await services[service].start();
    },
    stop,
  };
}
