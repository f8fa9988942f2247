import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { EntityManager, Repository } from 'typeorm';
import { type Contact } from '../../domain/contacts/contact';
import { ContactRecord } from './contact.entity';

const toContact = ({ updatedAt: _, ...contact }: ContactRecord): Contact => contact;

/** The registered contacts of Pros and clients. */
@Injectable()
export class Contacts {
  constructor(
    @InjectRepository(ContactRecord) private readonly contacts: Repository<ContactRecord>,
  ) {}

  async find(kind: Contact['kind'], id: string): Promise<Contact | null> {
    const record = await this.contacts.findOneBy({ kind, id });
    return record && toContact(record);
  }

  /** Replaces what was registered for this person. */
  async save(manager: EntityManager, contact: Contact, now: Date): Promise<void> {
    await manager.upsert(ContactRecord, { ...contact, updatedAt: now }, ['kind', 'id']);
  }
}
