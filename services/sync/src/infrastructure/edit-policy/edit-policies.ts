import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { EntityManager, Repository } from 'typeorm';
import type { EditPolicy } from '../../domain/sync-policy/sync-policy';
import { SyncPolicy } from './sync-policy.entity';

/** The Pros' edit policies; in a unit of work, through its manager. */
@Injectable()
export class EditPolicies {
  constructor(@InjectRepository(SyncPolicy) private readonly policies: Repository<SyncPolicy>) {}

  /** A Pro who never chose gets the platform's default: platform wins. */
  async of(proId: string, manager?: EntityManager): Promise<EditPolicy> {
    const repository = manager?.getRepository(SyncPolicy) ?? this.policies;
    const policy = await repository.findOneBy({ proId });
    return policy?.mirroredEdits ?? 'platform_wins';
  }

  async choose(manager: EntityManager, proId: string, mirroredEdits: EditPolicy): Promise<void> {
    await manager.upsert(SyncPolicy, { proId, mirroredEdits }, ['proId']);
  }
}
