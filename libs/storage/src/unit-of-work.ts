import { Inject } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { type Announce, type Outbox } from './outbox';

/**
 * A service's repository: all the SQL of one aggregate. Its statements run on `manager`: the
 * DataSource's, each statement on its own (the reads outside a transaction), or, in the copy
 * `in(tx)` gives, the transaction's. Services never see the manager.
 */
export abstract class SqlRepository {
  protected readonly manager: EntityManager;

  constructor(@Inject(DataSource) dataSource: DataSource) {
    this.manager = dataSource.manager;
  }

  /** This repository with its statements in the transaction `tx` (TypeORM's `manager.withRepository`, for repositories of SQL). */
  in(tx: EntityManager): this {
    return Object.assign(Object.create(Object.getPrototypeOf(this) as object) as this, this, { manager: tx });
  }
}

/**
 * A service's one shape of transaction: `work` gets the service's repositories bound to one
 * transaction of the outbox, and `announce` for the events it stores with the change (see
 * Outbox.transaction: the write key, publishing after the commit).
 */
export class UnitOfWork<R extends Record<string, SqlRepository>> {
  constructor(
    private readonly outbox: Outbox,
    private readonly repositories: R,
  ) {}

  transaction<T>(work: (tx: R, announce: Announce) => Promise<T>): Promise<T> {
    return this.outbox.transaction((manager, announce) => {
      const bound = Object.fromEntries(Object.entries(this.repositories).map(([name, repository]) => [name, repository.in(manager)]));
      return work(bound as R, announce);
    });
  }
}
