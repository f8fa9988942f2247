import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { RuleViolation, id } from '@cs/contracts';
import { Roles, ZodValidationPipe } from '@cs/platform';
import { z } from 'zod';
import { ConfigurePro } from '../configure-pro/configure-pro.handler';
import { settingsBody } from '../configure-pro/settings-body';
import { forEachPro } from './item-results';

// Each item's settings are checked on their own, so one bad item is that item's answer.
const body = z.object({
  items: z
    .array(z.object({ proId: id, settings: z.unknown() }))
    .min(1)
    .max(1000),
});

@ApiTags('bulk')
@ApiBearerAuth()
@Controller('v1/bulk/pros')
export class BulkProsController {
  constructor(private readonly configurePro: ConfigurePro) {}

  @Post()
  @HttpCode(200)
  @Roles('service')
  @ApiOperation({ summary: "Replace many Pros' settings, each Pro its own change" })
  async replace(@Body(new ZodValidationPipe(body)) input: z.infer<typeof body>) {
    const seen = new Set<string>();
    input.items.forEach(({ proId }, index) => {
      if (seen.has(proId))
        throw new RuleViolation([
          { field: `items.${index}.proId`, message: `Pro ${proId} appears twice` },
        ]);
      seen.add(proId);
    });
    const settingsOf = new Map(input.items.map((item) => [item.proId, item.settings]));
    const results = await forEachPro([...seen], async (proId) => {
      const parsed = settingsBody.safeParse(settingsOf.get(proId));
      if (!parsed.success)
        throw new RuleViolation(
          parsed.error.issues.map((issue) => ({
            field: issue.path.length > 0 ? issue.path.join('.') : 'settings',
            message: issue.message,
          })),
        );
      return this.configurePro.apply(proId, parsed.data);
    });
    return { results };
  }
}
