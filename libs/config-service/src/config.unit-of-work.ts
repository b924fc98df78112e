import { Inject, Injectable } from '@nestjs/common';
import { Outbox, UnitOfWork } from '@davmesh/storage';
import { StoredValuesRepository } from './cascade/stored-values.repository';
import { DirectoryRepository } from './directory/directory.repository';

/** The repositories a config transaction works with, bound to it. */
export type ConfigTransaction = { directory: DirectoryRepository; storedValues: StoredValuesRepository };

/** The config service's transactions, with its repositories bound to each. */
@Injectable()
export class ConfigUnitOfWork extends UnitOfWork<ConfigTransaction> {
  constructor(
    @Inject(Outbox) outbox: Outbox,
    @Inject(DirectoryRepository) directory: DirectoryRepository,
    @Inject(StoredValuesRepository) storedValues: StoredValuesRepository,
  ) {
    super(outbox, { directory, storedValues });
  }
}
