import { Injectable } from '@nestjs/common';
import { CommandHandler, EventStore } from '@cs/eventing';
import type { PoolClient } from 'pg';
import {
  type Connection,
  type ConnectionCommand,
  connectionDecider,
  type ConnectionEvent,
} from '../../domain/connection/connection';

export const connectionStreamId = (connectionId: string) => `connection-${connectionId}`;

/** Commands on a connection's stream, decided on what it holds and appended with its version. */
@Injectable()
export class ConnectionCommands {
  private readonly handler: CommandHandler<Connection, ConnectionCommand, ConnectionEvent>;

  constructor(store: EventStore) {
    // Commands on one connection queue instead of failing each other with a lost race.
    this.handler = new CommandHandler(store, connectionDecider, { lock: true });
  }

  /** In the caller's unit of work: its rows commit with the events, or neither does. */
  handleWith(tx: PoolClient, connectionId: string, command: ConnectionCommand) {
    return this.handler.handleWith(tx, connectionStreamId(connectionId), command);
  }
}
