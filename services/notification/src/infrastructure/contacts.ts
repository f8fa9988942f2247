import { type Pool, type PoolClient } from 'pg';
import { type Contact } from '../domain/contacts/contact';

interface ContactRow {
  kind: 'pro' | 'client';
  id: string;
  name: string;
  email: string | null;
  phone: string | null;
  locale: string;
  time_zone: string;
  reminder_offsets_minutes: number[] | null;
}

const toContact = (row: ContactRow): Contact => ({
  kind: row.kind,
  id: row.id,
  name: row.name,
  email: row.email,
  phone: row.phone,
  locale: row.locale,
  timeZone: row.time_zone,
  reminderOffsetsMinutes: row.reminder_offsets_minutes,
});

export async function findContact(
  db: Pool | PoolClient,
  kind: 'pro' | 'client',
  id: string,
): Promise<Contact | null> {
  const { rows } = await db.query<ContactRow>(
    'SELECT * FROM contacts WHERE kind = $1 AND id = $2',
    [kind, id],
  );
  return rows[0] ? toContact(rows[0]) : null;
}

export async function saveContact(db: Pool, contact: Contact, now: Date): Promise<void> {
  await db.query(
    `INSERT INTO contacts (kind, id, name, email, phone, locale, time_zone, reminder_offsets_minutes, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
     ON CONFLICT (kind, id) DO UPDATE SET name = excluded.name, email = excluded.email, phone = excluded.phone,
       locale = excluded.locale, time_zone = excluded.time_zone,
       reminder_offsets_minutes = excluded.reminder_offsets_minutes, updated_at = excluded.updated_at`,
    [
      contact.kind,
      contact.id,
      contact.name,
      contact.email,
      contact.phone,
      contact.locale,
      contact.timeZone,
      contact.reminderOffsetsMinutes,
      now,
    ],
  );
}
