import { Body, Controller, Headers, HttpCode, Inject, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { RuleViolation, id } from '@cs/contracts';
import { newId } from '@cs/eventing';
import { Roles, ZodValidationPipe } from '@cs/platform';
import { v5 as uuidv5 } from 'uuid';
import { z } from 'zod';
import {
  PRO_COMMANDS,
  type ProCommandHandler,
  proStreamId,
} from '../../infrastructure/pro-command-handler';
import { ScheduleReader } from '../../infrastructure/read-model/schedule-reader';
import { absenceBody } from '../record-absence/absences.controller';
import { forEachPro } from './item-results';

const body = absenceBody
  .extend({
    proIds: z.array(id).min(1).max(5000).optional(),
    territoryId: id.optional(),
  })
  .refine((b) => (b.proIds === undefined) !== (b.territoryId === undefined), {
    path: ['proIds'],
    message: 'give either proIds or territoryId',
  });

/** Absence ids derived from the key make a retried request add nothing twice. */
const ABSENCE_NAMESPACE = '5b0f7f5e-9c1c-4c53-9a57-0f0b3b0d6a11';

@ApiTags('bulk')
@ApiBearerAuth()
@Controller('v1/bulk/absences')
export class BulkAbsencesController {
  constructor(
    @Inject(PRO_COMMANDS) private readonly pros: ProCommandHandler,
    private readonly reader: ScheduleReader,
  ) {}

  @Post()
  @HttpCode(200)
  @Roles('service')
  @ApiOperation({
    summary: 'One absence for many Pros (a territory-wide closure), recorded per Pro',
  })
  async add(
    @Body(new ZodValidationPipe(body)) input: z.infer<typeof body>,
    @Headers('idempotency-key') idempotencyKey?: string,
  ) {
    if (Date.parse(input.end) <= Date.parse(input.start))
      throw new RuleViolation([{ field: 'end', message: 'must be after start' }]);
    // A territory's Pros as the read model knows them now.
    const proIds = input.proIds
      ? [...new Set(input.proIds)]
      : await this.reader.prosIn(input.territoryId as string);
    const absenceIds = new Map(
      proIds.map((proId) => [
        proId,
        idempotencyKey ? uuidv5(`${idempotencyKey}\u0000${proId}`, ABSENCE_NAMESPACE) : newId(),
      ]),
    );
    const results = await forEachPro(proIds, async (proId) => {
      const absenceId = absenceIds.get(proId) as string;
      const { version, events } = await this.pros.handle(proStreamId(proId), {
        type: 'add_absence',
        proId,
        absenceId,
        start: input.start,
        end: input.end,
        reason: input.reason,
      });
      return { version, changed: events.length > 0 };
    });
    return {
      results: results.map((r) =>
        r.status === 'applied' || r.status === 'unchanged'
          ? { ...r, absenceId: absenceIds.get(r.proId) }
          : r,
      ),
    };
  }
}
