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
  /** Processes per service (1), each on its own port, sharing the schema and consumers. */
  instances?: number;
  /** Stream replicas (`NATS_REPLICAS`): 3 on a cluster from `startNatsCluster`, 1 otherwise. */
  replicas?: number;
}

export interface System {
  /** One stream prefix for the whole system; each service has its schema `<id>_<service>`. */
  id: string;
  databaseUrl: string;
  natsUrl: string;
  schemas: Readonly<Record<SystemServiceName, string>>;
  /** The key store booking and notification share (docs/adr/0008). */
  personalDataSchema: string;
  /** The bus under the system's prefix (`js`, `jsm`, `naming`), for reading what happened. */
  ctx: TestContext;
  /** The first instance of each service. */
  services: Readonly<Record<SystemServiceName, ServiceProcess>>;
  instances: Readonly<Record<SystemServiceName, readonly ServiceProcess[]>>;
  /** The next ready instance in turn, as a load balancer with health checks picks one. */
  url(service: SystemServiceName): string;
  caldav: CalDavServerHandle;
  smtp: SmtpTestServer;
  /** A JWT the services accept (docs/api.md claims: `sub`, `roles`, `proId`, `clientId`). */
  token(claims: TestTokenClaims): Promise<string>;
  /** SIGKILL of one instance (the first unless told): no shutdown hooks, connections cut mid-flight. */
  kill(service: SystemServiceName, instance?: number): Promise<void>;
  /** Starts a stopped instance on its port again and waits until it is ready. */
  start(service: SystemServiceName, instance?: number): Promise<void>;
  restart(service: SystemServiceName, instance?: number): Promise<void>;
  /**
   * A rolling deploy's step for one instance: SIGTERM (it drains), these variables changed for
   * good, started again and ready.
   */
  deploy(
    service: SystemServiceName,
    instance: number,
    changes: Readonly<Record<string, string>>,
  ): Promise<void>;
  /** Kills every process, drops the schemas and streams, stops the CalDAV and SMTP servers. */
  stop(): Promise<void>;
}

const ENTRY = (service: SystemServiceName) => `services/${service}/src/main.ts`;

/**
 * The five services as separate processes on free ports, against one PostgreSQL and NATS, with
 * a Radicale CalDAV server and an SMTP catcher: the whole system, as a test or benchmark sees it.
 */
export async function startSystem(options: SystemOptions = {}): Promise<System> {
  const replicas = options.replicas ?? 1;
  const ctx = await createTestContext({
    streams: contexts,
    databaseUrl: options.databaseUrl,
    natsUrl: options.natsUrl,
    replicas,
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
  const personalDataSchema = `${ctx.schema}_personal_data`;
  const instances = {} as Record<SystemServiceName, ServiceProcess[]>;
  // Chosen up front: booking is told where notification is before either starts.
  const ports = {} as Record<SystemServiceName, number>;
  for (const service of SYSTEM_SERVICES) ports[service] = await freePort();
  for (const service of SYSTEM_SERVICES) {
    const port = ports[service];
    const env: Record<string, string> = {
      DATABASE_URL: ctx.databaseUrl,
      NATS_URL: ctx.natsUrl,
      NATS_PREFIX: ctx.prefix,
      NATS_REPLICAS: String(replicas),
      AUTH_JWT_SECRET: TEST_JWT_SECRET,
      LOG_LEVEL: 'warn',
      DB_POOL_SIZE: '6',
      SHUTDOWN_TIMEOUT_MS: '2000',
      ...serviceEnv(service, {
        port,
        grpcPort: await freePort(),
        schema: schemas[service],
        personalDataSchema,
        notificationUrl: `http://127.0.0.1:${ports.notification}`,
        smtpUrl: smtp.url,
      }),
      ...options.env,
      ...options.serviceEnv?.[service],
    };
    instances[service] = [new ServiceProcess(service, ENTRY(service), env, port)];
    // Further instances share every setting (the connector's sealing key too) but their ports.
    for (let i = 1; i < (options.instances ?? 1); i++) {
      const own: Record<string, string> = { ...env, PORT: String(await freePort()) };
      if (env.GRPC_PORT) own.GRPC_PORT = String(await freePort());
      instances[service].push(
        new ServiceProcess(`${service}#${i}`, ENTRY(service), own, Number(own.PORT)),
      );
    }
  }
  const services = Object.fromEntries(
    SYSTEM_SERVICES.map((service) => [service, instances[service][0]!]),
  ) as Record<SystemServiceName, ServiceProcess>;
  const all = Object.values(instances).flat();
  const instance = (service: SystemServiceName, index = 0) => {
    const found = instances[service][index];
    if (!found) throw new Error(`${service} has no instance ${index}`);
    return found;
  };
  const turns = Object.fromEntries(SYSTEM_SERVICES.map((s) => [s, 0])) as Record<
    SystemServiceName,
    number
  >;
  const url = (service: SystemServiceName) => {
    const ready = instances[service].filter((p) => p.ready);
    if (ready.length === 0) return instances[service][0]!.url;
    turns[service] = (turns[service] + 1) % ready.length;
    return ready[turns[service]]!.url;
  };
  const killAll = () => {
    for (const process_ of all) if (process_.pid) process.kill(process_.pid, 9);
  };
  // A test runner that dies must not leave services behind.
  process.once('exit', killAll);

  const stop = async () => {
    process.removeListener('exit', killAll);
    await Promise.all(all.map((s) => s.kill()));
    for (const schema of [...Object.values(schemas), personalDataSchema])
      await ctx.pool.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => undefined);
    await ctx.cleanup();
    await Promise.all([caldav.dispose(), smtp.stop()]);
  };
  try {
    // In turn: one that cannot start is named, and the rest are not started for nothing. Further
    // instances find their schema migrated, so they start side by side.
    for (const service of SYSTEM_SERVICES) await instances[service][0]!.start();
    await Promise.all(SYSTEM_SERVICES.flatMap((s) => instances[s].slice(1)).map((p) => p.start()));
  } catch (error) {
    await stop();
    throw error;
  }

  return {
    id: ctx.id,
    databaseUrl: ctx.databaseUrl,
    natsUrl: ctx.natsUrl,
    schemas,
    personalDataSchema,
    ctx,
    services,
    instances,
    url,
    caldav,
    smtp,
    token: (claims) => signTestToken(TEST_JWT_SECRET, claims),
    kill: (service, index) => instance(service, index).kill(),
    start: (service, index) => instance(service, index).start(),
    async restart(service, index) {
      await instance(service, index).kill();
      await instance(service, index).start();
    },
    async deploy(service, index, changes) {
      const process_ = instance(service, index);
      await process_.kill('SIGTERM');
      process_.configure(changes);
      await process_.start();
    },
    stop,
  };
}
