import { connect, type NatsConnection } from '@nats-io/transport-node';

export interface NatsOptions {
  natsUrl: string;
  name: string;
}

/** Reconnects for ever: a NATS restart pauses publishing (the outbox keeps the events), it never ends the service. */
export function connectNats({ natsUrl, name }: NatsOptions): Promise<NatsConnection> {
  return connect({
    servers: natsUrl.split(','),
    name,
    maxReconnectAttempts: -1,
    reconnectTimeWait: 500,
    waitOnFirstConnect: false,
  });
}
