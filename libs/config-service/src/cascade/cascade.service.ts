import { Inject, Injectable } from '@nestjs/common';
import {
  CONFIG_KEYS,
  ConfigChanged,
  DomainException,
  type ConfigExplanation,
  type ConfigKey,
  type ConfigValue,
  type EffectiveConfig,
  type EffectiveValue,
  type ExplainedLevel,
  type ServerValues,
  type StoredValue,
} from '@davmesh/contracts';
import { type Announce } from '@davmesh/storage';
import { ConfigUnitOfWork } from '../config.unit-of-work';
import { DirectoryRepository, type UserRow } from '../directory/directory.repository';
import { ServerConfigHolder } from './server-config.holder';
import { type ContextSet } from './server-config';
import { StoredValuesRepository, type StoredRow, type StoredScope } from './stored-values.repository';
import { matchesTags } from './tag-expression';
import { checkSetting } from './value-validation';

interface UserLayers {
  user: UserRow;
  contextTags: string[];
  revision: number;
  /** Per key, every level that sets it, lowest first. */
  levels: Map<ConfigKey, ExplainedLevel[]>;
  matchingSets: ContextSet[];
}

/**
 * The config cascade: built-in default < server files < context sets whose withTags
 * match the context's tags (in file-name order, then as written: the later set wins)
 * < context < user.
 */
@Injectable()
export class CascadeService {
  constructor(
    @Inject(DirectoryRepository) private readonly directory: DirectoryRepository,
    @Inject(StoredValuesRepository) private readonly stored: StoredValuesRepository,
    @Inject(ServerConfigHolder) private readonly server: ServerConfigHolder,
    @Inject(ConfigUnitOfWork) private readonly unitOfWork: ConfigUnitOfWork,
  ) {}

  async resolve(userId: number): Promise<EffectiveConfig> {
    const layers = await this.layersFor(userId);
    const values = {} as Record<ConfigKey, EffectiveValue>;
    for (const [key, levels] of layers.levels) values[key] = levels[levels.length - 1];
    return { userId, contextId: layers.user.contextId, revision: layers.revision, values };
  }

  async serverValues(): Promise<ServerValues> {
    const revision = await this.stored.revision();
    const values = {} as Record<ConfigKey, EffectiveValue>;
    for (const [key, definition] of Object.entries(CONFIG_KEYS) as [ConfigKey, (typeof CONFIG_KEYS)[ConfigKey]][]) {
      values[key] = this.server.config.properties.has(key)
        ? { level: 'server', ...this.server.config.properties.get(key)! }
        : { level: 'default', source: 'built-in default', value: definition.default };
    }
    return { revision, values };
  }

  async explain(userId: number, key: string): Promise<ConfigExplanation> {
    const checkedKey = this.requireKey(key);
    const layers = await this.layersFor(userId);
    const levels = layers.levels.get(checkedKey)!;
    const effective = levels[levels.length - 1];
    return { key: checkedKey, levels, effective, reason: this.reason(checkedKey, layers, effective) };
  }

  async get(scope: StoredScope, scopeId: number): Promise<StoredValue[]> {
    await this.requireScope(scope, scopeId);
    return (await this.stored.list(scope, scopeId)).map(({ key, value }) => ({ key, value }));
  }

  async set(scope: StoredScope, scopeId: number, key: string, raw: ConfigValue): Promise<{ revision: number }> {
    const checked = checkSetting(key, raw, scope);
    if (!checked.ok) throw new DomainException('bad-request', checked.message);
    const contextId = await this.requireScope(scope, scopeId);
    return this.unitOfWork.transaction(async (tx, announce) => {
      const revision = await tx.storedValues.set(scope, scopeId, checked.key, checked.value);
      announceChange(announce, scope, scopeId, contextId, revision);
      return { revision };
    });
  }

  async unset(scope: StoredScope, scopeId: number, key: string): Promise<{ revision: number; removed: boolean }> {
    const checkedKey = this.requireKey(key);
    const contextId = await this.requireScope(scope, scopeId);
    return this.unitOfWork.transaction(async (tx, announce) => {
      const result = await tx.storedValues.unset(scope, scopeId, checkedKey);
      if (result.removed) announceChange(announce, scope, scopeId, contextId, result.revision);
      return result;
    });
  }

  private async layersFor(userId: number): Promise<UserLayers> {
    // Read the revision first: the values read after it are at least that new.
    const revision = await this.stored.revision();
    const user = await this.directory.findUserById(userId);
    if (!user) throw new DomainException('not-found', `no user ${userId}`);
    const context = await this.directory.findContext(user.contextId);
    const contextTags = context?.tags ?? [];
    const storedRows = await this.stored.forUser(userId, user.contextId);
    const server = this.server.config;
    const tagSet = new Set(contextTags);
    const matchingSets = server.contextSets.filter((set) => matchesTags(set.expression, tagSet));

    const levels = new Map<ConfigKey, ExplainedLevel[]>();
    for (const [key, definition] of Object.entries(CONFIG_KEYS) as [ConfigKey, (typeof CONFIG_KEYS)[ConfigKey]][]) {
      levels.set(key, [{ level: 'default', source: 'built-in default', value: definition.default }]);
    }
    for (const [key, sourced] of server.properties) levels.get(key)!.push({ level: 'server', ...sourced });
    for (const set of matchingSets) {
      for (const [key, sourced] of set.values) levels.get(key)!.push({ level: 'context-set', ...sourced });
    }
    for (const scope of ['context', 'user'] as const) {
      for (const row of storedRows.filter((r: StoredRow) => r.scope === scope)) {
        levels.get(row.key)!.push({ level: scope, source: `${scope} ${row.scopeId}`, value: row.value });
      }
    }
    return { user, contextTags, revision, levels, matchingSets };
  }

  private reason(key: ConfigKey, layers: UserLayers, effective: EffectiveValue): string {
    const lines = [`${effective.level} wins (${effective.source}): it is the highest level that sets ${key}.`];
    const tags = layers.contextTags.length ? layers.contextTags.join(', ') : 'none';
    for (const set of this.server.config.contextSets.filter((s) => s.values.has(key))) {
      const matched = layers.matchingSets.includes(set);
      lines.push(
        `context set "${set.name}" (${set.source}) ${matched ? 'matches' : 'does not match'}: withTags "${set.withTags}", context ${layers.user.contextId} has tags ${tags}.`,
      );
    }
    const matching = layers.matchingSets.filter((s) => s.values.has(key));
    if (matching.length > 1) {
      lines.push(
        `several matching context sets set it; the last in file-name order, then file order, wins: "${matching[matching.length - 1].name}".`,
      );
    }
    return lines.join('\n');
  }

  private requireKey(key: string): ConfigKey {
    if (!Object.prototype.hasOwnProperty.call(CONFIG_KEYS, key)) throw new DomainException('bad-request', `unknown key "${key}"`);
    return key as ConfigKey;
  }

  /** Returns the context id the scope belongs to. */
  private async requireScope(scope: StoredScope, scopeId: number): Promise<number> {
    if (scope === 'context') {
      if (!(await this.directory.findContext(scopeId))) throw new DomainException('not-found', `context ${scopeId} does not exist`);
      return scopeId;
    }
    const user = await this.directory.findUserById(scopeId);
    if (!user) throw new DomainException('not-found', `no user ${scopeId}`);
    return user.contextId;
  }
}

function announceChange(announce: Announce, scope: StoredScope, scopeId: number, contextId: number, revision: number): void {
  announce(ConfigChanged, scope === 'context' ? { revision, scope, contextId } : { revision, scope, userId: scopeId, contextId });
}
