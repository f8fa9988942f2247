import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createTestContext, type TestContext } from '@cs/testing';
import { type Contact } from '../../domain/contacts/contact';
import { notificationMigrations } from '../migrations';
import { ContactRecord } from './contact.entity';
import { Contacts } from './contacts';

let ctx: TestContext;
let contacts: Contacts;

beforeAll(async () => {
  ctx = await createTestContext({
    streams: [],
    migrations: notificationMigrations,
    entities: [ContactRecord],
  });
  contacts = new Contacts(ctx.dataSource.getRepository(ContactRecord));
});
afterAll(() => ctx.cleanup());

const ada: Contact = {
  kind: 'client',
  id: 'c-1',
  name: 'Ada',
  email: 'ada@example.test',
  phone: null,
  locale: 'nl-NL',
  timeZone: 'Europe/Amsterdam',
  reminderOffsetsMinutes: [1440, 90],
};

describe('contacts', () => {
  it('finds what was saved, as it was saved', async () => {
    await contacts.save(ctx.dataSource.manager, ada, new Date('2031-01-01T00:00:00Z'));
    expect(await contacts.find('client', 'c-1')).toEqual(ada);
    expect(await contacts.find('pro', 'c-1')).toBeNull();
  });

  it('replaces the whole contact on a second save', async () => {
    const changed = { ...ada, email: null, phone: '+31612345678', reminderOffsetsMinutes: null };
    await contacts.save(ctx.dataSource.manager, changed, new Date('2031-01-02T00:00:00Z'));
    expect(await contacts.find('client', 'c-1')).toEqual(changed);
    const { rows } = await ctx.pool.query('SELECT updated_at FROM contacts WHERE id = $1', ['c-1']);
    expect(rows).toEqual([{ updated_at: new Date('2031-01-02T00:00:00Z') }]);
  });
});
