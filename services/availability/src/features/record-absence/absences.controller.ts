import { Body, Controller, Delete, HttpCode, Inject, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { id, instant } from '@cs/contracts';
import { newId } from '@cs/eventing';
import {
  CurrentPrincipal,
  type Principal,
  ProblemException,
  Roles,
  ZodValidationPipe,
  assertCanAccessPro,
  parseOr400,
} from '@cs/platform';
import { z } from 'zod';
import { AbsenceNotFound } from '../../domain/pro/decide';
import {
  PRO_COMMANDS,
  type ProCommandHandler,
  proStreamId,
} from '../../infrastructure/pro-command-handler';

export const absenceBody = z.object({
  start: instant,
  end: instant,
  reason: z.string().max(500).default(''),
});

@ApiTags('pros')
@ApiBearerAuth()
@Controller('v1/pros/:proId/absences')
export class AbsencesController {
  constructor(@Inject(PRO_COMMANDS) private readonly pros: ProCommandHandler) {}

  @Post()
  @HttpCode(201)
  @Roles('service', 'pro')
  @ApiOperation({ summary: 'Block a span of time (vacation, sick leave)' })
  async add(
    @Param('proId') proId: string,
    @Body(new ZodValidationPipe(absenceBody)) body: z.infer<typeof absenceBody>,
    @CurrentPrincipal() principal: Principal,
  ) {
    parseOr400(id, proId, 'params');
    assertCanAccessPro(principal, proId);
    const absenceId = newId();
    await this.pros.handle(proStreamId(proId), { type: 'add_absence', proId, absenceId, ...body });
    return { absenceId };
  }

  @Delete(':absenceId')
  @HttpCode(204)
  @Roles('service', 'pro')
  @ApiOperation({ summary: 'Remove an absence' })
  async remove(
    @Param('proId') proId: string,
    @Param('absenceId') absenceId: string,
    @CurrentPrincipal() principal: Principal,
  ): Promise<void> {
    assertCanAccessPro(principal, proId);
    try {
      await this.pros.handle(proStreamId(proId), { type: 'remove_absence', proId, absenceId });
    } catch (error) {
      if (error instanceof AbsenceNotFound)
        throw new ProblemException({ status: 404, type: 'not-found', detail: error.message });
      throw error;
    }
  }
}
