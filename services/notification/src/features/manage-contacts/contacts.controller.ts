import { Body, Controller, Get, Inject, Param, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CLOCK, type Clock } from '@cs/eventing';
import { id } from '@cs/contracts';
import { ProblemException, Roles, ZodValidationPipe, parseOr400 } from '@cs/platform';
import { DataSource } from 'typeorm';
import { z } from 'zod';
import { E164 } from '../../domain/contacts/contact';
import { Contacts } from '../../infrastructure/contacts/contacts';

const kind = z.enum(['pro', 'client']);

const isTimeZone = (zone: string) => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
};

const body = z.object({
  name: z.string().min(1).max(200),
  email: z.string().email().max(320).optional(),
  phone: z.string().regex(E164, 'must be an E.164 number such as +31612345678').optional(),
  locale: z.string().min(2).max(35),
  timeZone: z.string().refine(isTimeZone, 'must be an IANA time zone'),
  reminderOffsetsMinutes: z
    .array(
      z
        .number()
        .int()
        .positive()
        .max(60 * 24 * 30),
    )
    .max(10)
    .optional(),
});

@ApiTags('contacts')
@ApiBearerAuth()
@Controller('v1/contacts')
export class ContactsController {
  constructor(
    private readonly dataSource: DataSource,
    private readonly contacts: Contacts,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Put(':kind/:id')
  @Roles('service')
  @ApiOperation({
    summary: 'How to reach a Pro or a client (name, email, E.164 phone, locale, time zone)',
  })
  async replace(
    @Param('kind') rawKind: string,
    @Param('id') rawId: string,
    @Body(new ZodValidationPipe(body)) input: z.infer<typeof body>,
  ) {
    const { kind: contactKind, id: contactId } = parseOr400(
      z.object({ kind, id }),
      { kind: rawKind, id: rawId },
      'params',
    );
    const contact = {
      kind: contactKind,
      id: contactId,
      name: input.name,
      email: input.email ?? null,
      phone: input.phone ?? null,
      locale: input.locale,
      timeZone: input.timeZone,
      reminderOffsetsMinutes: input.reminderOffsetsMinutes ?? null,
    };
    await this.contacts.save(this.dataSource.manager, contact, this.clock.now());
    return contact;
  }

  @Get(':kind/:id')
  @Roles('service')
  @ApiOperation({ summary: 'A contact as stored' })
  async view(@Param('kind') rawKind: string, @Param('id') rawId: string) {
    const params = parseOr400(z.object({ kind, id }), { kind: rawKind, id: rawId }, 'params');
    const contact = await this.contacts.find(params.kind, params.id);
    if (!contact)
      throw new ProblemException({
        status: 404,
        type: 'not-found',
        detail: `no contact for ${params.kind} ${params.id}`,
      });
    return contact;
  }
}
