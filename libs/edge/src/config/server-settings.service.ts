import { Inject, Injectable } from '@nestjs/common';
import { BusClient } from '@davmesh/bus';
import { CacheCounts, ChangeGeneration } from '@davmesh/caching';
import { CONFIG_KEYS, ConfigServerValues, parseAgentPatterns, type AgentPatterns, type ConfigChangedEvent, type ConfigKey } from '@davmesh/contracts';
import { DavHttpError } from '../http/dav-exchange';
import { STATUS_FOR_ERROR } from '../http/error-status';
import { compileTrustedProxies, type TrustProxy } from '../http/forwarded';

export interface ServerSettings {
  revision: number;
  /** Where DAV resources live for clients (com.openexchange.dav.prefixPath), no trailing slash. */
  prefix: string;
  /** A path a reverse proxy forwards DAV requests to (com.openexchange.dav.proxyPrefixPath); undefined when it is /. */
  proxyPrefix?: string;
  /** Every server-wide limit of the registry (`davmesh.limits.*`, `davmesh.http.*`, `davmesh.auth.*`), by key. */
  limits: Record<LimitKey, number>;
  /** davmesh.http.trustedProxies: whose X-Forwarded-* headers are believed. */
  trustProxy: TrustProxy;
  /** The agents served as DAV at any path (davmesh.http.userAgentRouting.*); undefined when that is off. */
  userAgentRouting?: AgentPatterns;
}

/** The registry's integer keys: the server-wide limits. */
export type LimitKey = { [K in ConfigKey]: (typeof CONFIG_KEYS)[K]['type'] extends 'integer' ? K : never }[ConfigKey];

export const LIMIT_KEYS = (Object.keys(CONFIG_KEYS) as ConfigKey[]).filter((key): key is LimitKey => CONFIG_KEYS[key].type === 'integer');

const MAX_AGE_MS = 60_000;

/** Server-wide settings, needed before authentication; refreshed when server files change. */
@Injectable()
export class ServerSettingsService {
  private cached?: { settings: ServerSettings; fetchedAt: number };
  /** Server values asked for before a server change arrived are used once, not kept. */
  private readonly generation = new ChangeGeneration();
  readonly counts = new CacheCounts();

  constructor(@Inject(BusClient) private readonly bus: BusClient) {}

  async current(): Promise<ServerSettings> {
    const fresh = this.counts.lookup(this.cached && Date.now() - this.cached.fetchedAt < MAX_AGE_MS ? this.cached.settings : undefined);
    if (fresh) return fresh;
    const askedAt = this.generation.mark();
    const reply = await this.bus.request(ConfigServerValues, {});
    if (!reply.ok) throw new DavHttpError(STATUS_FOR_ERROR[reply.error.code], reply.error.message);
    const prefix = String(reply.data.values['com.openexchange.dav.prefixPath'].value);
    const proxyPrefix = String(reply.data.values['com.openexchange.dav.proxyPrefixPath'].value);
    const settings: ServerSettings = {
      revision: reply.data.revision,
      prefix: prefix === '/' ? '' : prefix,
      proxyPrefix: proxyPrefix === '/' ? undefined : proxyPrefix,
      limits: Object.fromEntries(LIMIT_KEYS.map((key) => [key, Number(reply.data.values[key].value)])) as Record<LimitKey, number>,
      // Both were checked when the config service loaded them.
      trustProxy: compileTrustedProxies(String(reply.data.values['davmesh.http.trustedProxies'].value)),
      userAgentRouting: reply.data.values['davmesh.http.userAgentRouting.enabled'].value === true
        ? parseAgentPatterns(String(reply.data.values['davmesh.http.userAgentRouting.agents'].value))
        : undefined,
    };
    if (this.generation.isCurrent(askedAt)) this.cached = { settings, fetchedAt: Date.now() };
    return settings;
  }

  clear(): void {
    this.generation.changed();
    this.drop();
  }

  onChanged(event: ConfigChangedEvent): void {
    if (event.scope !== 'server') return;
    this.generation.changed();
    if (this.cached && this.cached.settings.revision < event.revision) this.drop();
  }

  private drop(): void {
    if (this.cached) this.counts.invalidations++;
    this.cached = undefined;
  }
}
