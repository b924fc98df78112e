import { Inject, Injectable } from '@nestjs/common';
import { DomainException, type EffectiveConfig } from '@davmesh/contracts';
import { DirectoryRepository } from '../directory/directory.repository';
import { defaultValues } from './defaults';

/** Resolves the effective configuration of a user: server < context sets by tags < context < user. */
@Injectable()
export class CascadeService {
  constructor(@Inject(DirectoryRepository) private readonly directory: DirectoryRepository) {}

  async resolve(userId: number): Promise<EffectiveConfig> {
    const user = await this.directory.findUserById(userId);
    if (!user) throw new DomainException('not-found', `no user ${userId}`);
    return { userId, contextId: user.contextId, revision: 0, values: defaultValues() };
  }
}
