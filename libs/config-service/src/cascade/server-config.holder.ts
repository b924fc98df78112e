import { watch, type FSWatcher } from 'node:fs';
import { join } from 'node:path';
import { Inject, Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { ConfigChanged, MAX_CONFIG_PROBLEMS, type ConfigFilesState } from '@davmesh/contracts';
import { LOGGER, type Logger } from '@davmesh/logging';
import { newInstanceId } from '@davmesh/storage';
import { CacheInvalidator } from '../caches/cache-invalidator';
import { ConfigUnitOfWork } from '../config.unit-of-work';
import { CONFIG_SERVICE_OPTIONS, type ConfigServiceOptions } from './config-service-options';
import { fingerprintServerConfig, loadServerConfig, type ConfigProblem, type ServerConfig } from './server-config';

/** How long changed files must hold still before they are read as the new configuration. */
const SETTLE_MS = 50;

export class ServerConfigInvalidError extends Error {
  constructor(readonly problems: ConfigProblem[]) {
    super(`invalid configuration: ${problems.map((p) => `${p.where}: ${p.message}`).join('; ')}`);
    this.name = 'ServerConfigInvalidError';
  }
}

/**
 * The server-file levels of the cascade, kept current: the directory is watched and
 * polled; a changed set of files is parsed whole and takes effect only if every file
 * is valid. Otherwise each problem is logged with file and line and the last good
 * configuration stays in force.
 */
@Injectable()
export class ServerConfigHolder implements OnModuleInit, OnModuleDestroy {
  private current!: ServerConfig;
  /** Of the files last read, applied or refused. */
  private fingerprint = '';
  private inForce = '';
  private refusedFor: ConfigProblem[] = [];
  private readonly instanceId = newInstanceId('config');
  private timer?: NodeJS.Timeout;
  private watchers: FSWatcher[] = [];
  private reloading: Promise<void> = Promise.resolve();

  constructor(
    @Inject(CONFIG_SERVICE_OPTIONS) private readonly options: ConfigServiceOptions,
    @Inject(ConfigUnitOfWork) private readonly unitOfWork: ConfigUnitOfWork,
    @Inject(CacheInvalidator) private readonly caches: CacheInvalidator,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  get config(): ServerConfig {
    return this.current;
  }

  /** A bad configuration at boot stops the service: there is no last good one to keep. */
  onModuleInit(): void {
    this.fingerprint = fingerprintServerConfig(this.options.configDir);
    const { config, problems } = loadServerConfig(this.options.configDir);
    if (problems.length > 0) throw new ServerConfigInvalidError(problems);
    this.current = config;
    this.inForce = this.fingerprint;
    this.logger.info(
      { configDir: this.options.configDir, properties: config.properties.size, contextSets: config.contextSets.length },
      'server configuration loaded',
    );
    this.timer = setInterval(() => this.schedule(), this.options.pollMs);
    this.timer.unref();
    for (const dir of [this.options.configDir, join(this.options.configDir, 'contextSets')]) {
      try {
        const watcher = watch(dir, () => this.schedule());
        watcher.on('error', () => watcher.close());
        this.watchers.push(watcher);
      } catch {
        // The directory may not exist (yet); polling notices when it appears.
      }
    }
  }

  onModuleDestroy(): void {
    clearInterval(this.timer);
    for (const watcher of this.watchers) watcher.close();
  }

  /** Re-reads the directory now if it changed; resolves when done. */
  reloadIfChanged(): Promise<void> {
    this.reloading = this.reloading.then(() => this.reload()).catch((error: unknown) => {
      this.logger.error({ err: error }, 'configuration reload failed');
    });
    return this.reloading;
  }

  /** `config reload`: re-reads now, then says which files are in force and why any were refused. */
  async filesState(): Promise<ConfigFilesState> {
    await this.reloadIfChanged();
    return {
      instanceId: this.instanceId,
      configDir: this.options.configDir,
      inForce: this.inForce,
      applied: this.inForce === this.fingerprint,
      problems: this.refusedFor.slice(0, MAX_CONFIG_PROBLEMS),
    };
  }

  private schedule(): void {
    void this.reloadIfChanged();
  }

  private async reload(): Promise<void> {
    const fingerprint = fingerprintServerConfig(this.options.configDir);
    if (fingerprint === this.fingerprint) return;
    // A file caught while it is written (truncated, half there) is not the operator's file: read
    // again once the files have held still, and leave a set still changing to the next look.
    await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
    if (fingerprintServerConfig(this.options.configDir) !== fingerprint) {
      setTimeout(() => this.schedule(), SETTLE_MS).unref();
      return;
    }
    this.fingerprint = fingerprint;
    const { config, problems } = loadServerConfig(this.options.configDir);
    this.refusedFor = problems;
    if (problems.length > 0) {
      for (const problem of problems) {
        this.logger.error({ where: problem.where }, `configuration not applied: ${problem.where}: ${problem.message}`);
      }
      this.logger.warn('the last good configuration stays in force');
      return;
    }
    this.current = config;
    this.inForce = fingerprint;
    const revision = await this.unitOfWork.transaction(async (tx, announce) => {
      const bumped = await tx.storedValues.bumpRevision();
      announce(ConfigChanged, { revision: bumped, scope: 'server' });
      return bumped;
    });
    this.logger.info({ revision }, 'server configuration reloaded');
    await this.caches.invalidate({ config: { revision, scope: 'server' } });
  }
}
