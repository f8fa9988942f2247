import { Inject, Injectable } from '@nestjs/common';
import { EventStore } from '@cs/eventing';
import {
  PRO_COMMANDS,
  type ProCommandHandler,
  proStreamId,
} from '../../infrastructure/pro-command-handler';
import { territoryStreamId } from '../../infrastructure/territory-command-handler';
import { type SettingsBody, toSettings } from './settings-body';

/** Replaces a Pro's settings; the territory must exist on the write side, not merely in a read model. */
@Injectable()
export class ConfigurePro {
  constructor(
    @Inject(PRO_COMMANDS) private readonly pros: ProCommandHandler,
    private readonly store: EventStore,
  ) {}

  async handle(
    proId: string,
    body: SettingsBody,
    expectedVersion?: number,
  ): Promise<{ proId: string; version: number }> {
    const { version } = await this.apply(proId, body, expectedVersion);
    return { proId, version };
  }

  /** The same command, saying whether it recorded anything (the same settings again do not). */
  async apply(
    proId: string,
    body: SettingsBody,
    expectedVersion?: number,
  ): Promise<{ version: number; changed: boolean }> {
    const territoryKnown = await this.territoryExists(body.territoryId);
    const result = await this.pros.handle(
      proStreamId(proId),
      {
        type: 'configure_pro',
        proId,
        settings: toSettings(body),
        territoryKnown,
      },
      { expectedVersion },
    );
    return { version: result.version, changed: result.events.length > 0 };
  }

  async territoryExists(territoryId: string): Promise<boolean> {
    return (await this.store.readStream(territoryStreamId(territoryId))).length > 0;
  }
}
