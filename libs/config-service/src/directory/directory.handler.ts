import { Controller, Inject } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { handleRequest, HandlesRequest } from '@davmesh/bus';
import {
  Authenticate,
  ContextsAdd,
  ContextsList,
  UsersAdd,
  UsersFindByAddress,
  UsersFindByEmail,
  UsersFindByLogin,
  UsersGet,
  UsersList,
  UsersSetEnabled,
  UsersSetPassword,
  UsersUpdate,
  type User,
  type UserChange,
} from '@davmesh/contracts';
import { LOGGER, type Logger } from '@davmesh/logging';
import { CacheInvalidator } from '../caches/cache-invalidator';
import { DirectoryService } from './directory.service';

/** Bus entry points of the directory: validate, call the service, reply. */
@Controller()
export class DirectoryHandler {
  constructor(
    @Inject(DirectoryService) private readonly directory: DirectoryService,
    @Inject(CacheInvalidator) private readonly caches: CacheInvalidator,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  @HandlesRequest(ContextsAdd)
  addContext(@Payload() payload: unknown) {
    return handleRequest(ContextsAdd, payload, this.logger, (r) => this.directory.addContext(r.contextId, r.name, r.tags));
  }

  @HandlesRequest(ContextsList)
  listContexts(@Payload() payload: unknown) {
    return handleRequest(ContextsList, payload, this.logger, () => this.directory.listContexts());
  }

  @HandlesRequest(UsersAdd)
  addUser(@Payload() payload: unknown) {
    return handleRequest(UsersAdd, payload, this.logger, (r) => this.directory.addUser(r));
  }

  @HandlesRequest(UsersFindByAddress)
  findByAddress(@Payload() payload: unknown) {
    return handleRequest(UsersFindByAddress, payload, this.logger, (r) => this.directory.findByAddress(r.contextId, r.addresses));
  }

  @HandlesRequest(UsersFindByEmail)
  findByEmail(@Payload() payload: unknown) {
    return handleRequest(UsersFindByEmail, payload, this.logger, (r) => this.directory.findByEmail(r.contextId, r.emails));
  }

  @HandlesRequest(UsersGet)
  getUser(@Payload() payload: unknown) {
    return handleRequest(UsersGet, payload, this.logger, (r) => this.directory.getUser(r.userId));
  }

  @HandlesRequest(UsersFindByLogin)
  findByLogin(@Payload() payload: unknown) {
    return handleRequest(UsersFindByLogin, payload, this.logger, (r) => this.directory.findByLogin(r.login));
  }

  @HandlesRequest(UsersList)
  listUsers(@Payload() payload: unknown) {
    return handleRequest(UsersList, payload, this.logger, (r) => this.directory.listUsers(r.contextId));
  }

  @HandlesRequest(UsersSetPassword)
  setPassword(@Payload() payload: unknown) {
    return handleRequest(UsersSetPassword, payload, this.logger, async (r) =>
      this.invalidated(await this.directory.setPassword(r.login, r.password), 'password-changed'),
    );
  }

  @HandlesRequest(UsersUpdate)
  updateUser(@Payload() payload: unknown) {
    return handleRequest(UsersUpdate, payload, this.logger, async (r) =>
      this.invalidated(await this.directory.updateProfile(r.login, { displayName: r.displayName, email: r.email }), 'updated'),
    );
  }

  @HandlesRequest(UsersSetEnabled)
  setEnabled(@Payload() payload: unknown) {
    return handleRequest(UsersSetEnabled, payload, this.logger, async (r) =>
      this.invalidated(await this.directory.setEnabled(r.login, r.enabled), r.enabled ? 'enabled' : 'disabled'),
    );
  }

  /** A changed user is answered once no edge can let the old password or the disabled user in (docs/caching.md). */
  private async invalidated(user: User, change: UserChange): Promise<User> {
    const { userId, contextId, login, version } = user;
    await this.caches.invalidate({ user: { userId, contextId, login, change, version } });
    return user;
  }

  @HandlesRequest(Authenticate)
  authenticate(@Payload() payload: unknown) {
    return handleRequest(Authenticate, payload, this.logger, (r) => this.directory.authenticate(r.login, r.password));
  }
}
