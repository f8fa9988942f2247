import { Inject, Injectable } from '@nestjs/common';
import {
  type EventData,
  isSealed,
  type Personal,
  placeOrNone,
  type proSettingsReplaced,
} from '@cs/contracts';
import { EventStore, PersonalData, PG_POOL } from '@cs/eventing';
import { type GeoPoint } from '@cs/scheduling';
import { Pool } from 'pg';
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
    private readonly personal: PersonalData,
    @Inject(PG_POOL) private readonly pool: Pool,
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
        settings: toSettings(body, await this.sealedHome(proId, body.homeLocation ?? null)),
        territoryKnown,
      },
      { expectedVersion },
    );
    return { version: result.version, changed: result.events.length > 0 };
  }

  /**
   * The Pro's home sealed under their key. The same place as the one recorded keeps its recorded
   * seal, so sending the same settings again still records nothing.
   */
  private async sealedHome(
    proId: string,
    home: GeoPoint | null,
  ): Promise<Personal<GeoPoint> | null> {
    if (!home) return null;
    const place = { lat: home.lat, lng: home.lng };
    const recorded = (await this.store.readStream(proStreamId(proId)))
      .filter((e) => e.type === 'pro.settings_replaced')
      .map((e) => (e.data as EventData<typeof proSettingsReplaced>).settings.homeLocation)
      .at(-1);
    if (recorded && isSealed(recorded)) {
      const opened = placeOrNone(
        await this.personal.reveal<Personal<GeoPoint>>(this.pool, recorded),
      );
      if (opened?.lat === place.lat && opened.lng === place.lng) return recorded;
    }
    return this.personal.seal(this.pool, { kind: 'pro', id: proId }, place);
  }

  async territoryExists(territoryId: string): Promise<boolean> {
    return (await this.store.readStream(territoryStreamId(territoryId))).length > 0;
  }
}
