import { Controller, Get, Inject, Param } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { EventStore, PersonalData, PG_POOL, withoutCiphertext } from '@cs/eventing';
import { Pool } from 'pg';
import { Roles } from '../auth/roles.decorator';
import { ProblemException } from '../errors/problem';

/**
 * The recorded history of one aggregate in this service, with causation, for support and audits.
 * Personal data shows as the caller's role may see it: opened, `[erased]` once its person's keys
 * are gone, never as ciphertext (docs/adr/0008).
 */
@ApiTags('audit')
@ApiBearerAuth()
@Controller('v1/audit')
export class AuditController {
  constructor(
    private readonly store: EventStore,
    @Inject(PG_POOL) private readonly pool: Pool,
    private readonly moduleRef: ModuleRef,
  ) {}

  @Get('streams/:streamId')
  @Roles('service')
  @ApiOperation({
    summary:
      "An aggregate's events in order, with correlation and causation; personal data opened, or [erased]",
  })
  async stream(@Param('streamId') streamId: string) {
    const events = await this.store.readStream(streamId);
    if (events.length === 0) {
      throw new ProblemException({
        status: 404,
        type: 'not-found',
        detail: `no events in stream ${streamId}`,
      });
    }
    const personal = this.keyStore();
    return {
      streamId,
      version: events.at(-1)!.streamVersion,
      // A service without the key store never seals, so nothing of its own is hidden this way.
      events: personal ? await personal.reveal(this.pool, events) : withoutCiphertext(events),
    };
  }

  /** The service's key store, if it keeps personal data (its own module provides it). */
  private keyStore(): PersonalData | undefined {
    try {
      return this.moduleRef.get(PersonalData, { strict: false });
    } catch {
      return undefined;
    }
  }
}
