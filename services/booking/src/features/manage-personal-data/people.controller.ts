import { Controller, Delete, Get, Headers, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { id, personKinds, type PersonRef } from '@cs/contracts';
import { Roles, ZodValidationPipe } from '@cs/platform';
import { z } from 'zod';
import { ErasePerson } from './erase-person';
import { ExportPerson } from './export-person';

const personParams = z.object({ kind: z.enum(personKinds), id });

/** The right to be forgotten and the right of access (docs/adr/0008), for the platform's back office. */
@ApiTags('people')
@ApiBearerAuth()
@Controller('v1/people')
export class PeopleController {
  constructor(
    private readonly eraser: ErasePerson,
    private readonly exporter: ExportPerson,
  ) {}

  @Delete(':kind/:id')
  @Roles('service')
  @ApiOperation({
    summary:
      'Erase a person: their keys are destroyed, so their personal data reads as [erased] everywhere; bookings keep their times',
  })
  async erase(@Param(new ZodValidationPipe(personParams)) person: PersonRef) {
    return { ...person, ...(await this.eraser.erase(person)) };
  }

  @Get(':kind/:id/export')
  @Roles('service')
  @ApiOperation({
    summary:
      "Everything held about a person, their personal data opened, as JSON: booking's, the key store's and notification's part (asked for with the caller's token; 502/503 when it cannot be had)",
  })
  export(
    @Param(new ZodValidationPipe(personParams)) person: PersonRef,
    @Headers('authorization') authorization: string,
  ) {
    return this.exporter.export(person, authorization);
  }
}
