import { Inject, Injectable } from '@nestjs/common';
import { BusClient } from '@davmesh/bus';
import { EffectiveConfigCache } from '@davmesh/config-client';
import { type User } from '@davmesh/contracts';
import { CarddavResources } from '../carddav/carddav-resources';
import { ServerSettingsService } from '../config/server-settings.service';
import { DavHttpError, type DavExchange } from '../http/dav-exchange';
import { xmlBodyLimits } from '../http/request-body';
import { type PropertyContext } from '../properties/property';
import { PropertyRenderer } from '../properties/property-renderer';
import { ReportRegistry } from '../reports/report-registry';
import { startMultistatus } from '../reports/report-request';
import { visiblePrincipalUser } from '../resources/principal-user';
import { principalCollectionMember, type Resource } from '../resources/resource';
import { type DavMethod } from './dav-method';
import { readPropfindInput } from './propfind-input';

@Injectable()
export class PropfindMethod implements DavMethod {
  readonly method = 'PROPFIND';
  readonly kinds = ['root', 'principal', 'principal-collection', 'addressbook-home', 'addressbook', 'aggregated-addressbook', 'contact'] as const;

  constructor(
    @Inject(PropertyRenderer) private readonly renderer: PropertyRenderer,
    @Inject(ReportRegistry) private readonly reports: ReportRegistry,
    @Inject(BusClient) private readonly bus: BusClient,
    @Inject(ServerSettingsService) private readonly serverSettings: ServerSettingsService,
    @Inject(EffectiveConfigCache) private readonly userConfig: EffectiveConfigCache,
    @Inject(CarddavResources) private readonly carddav: CarddavResources,
  ) {}

  async handle(exchange: DavExchange): Promise<void> {
    const { request, response, resource, user, prefix } = exchange;
    const { depth, propfind, minimal } = await readPropfindInput(request, xmlBodyLimits(await this.serverSettings.current()));
    const base = (target: Resource, subjectUser: User, config: PropertyContext['config']): PropertyContext => ({
      currentUser: user,
      subjectUser,
      resource: target,
      prefix,
      config,
      reports: this.reports.namesFor(target.kind),
    });
    const write = (context: PropertyContext) => this.renderer.describe(context, propfind, minimal);

    if (resource.kind === 'root' || resource.kind === 'principal') {
      const [subjectUser, config] = await Promise.all([this.subjectUser(resource, user), this.userConfig.forUser(user.userId)]);
      const writer = startMultistatus(response);
      await writer.write(writer.response(write(base(resource, subjectUser, config))));
      writer.end();
      return;
    }
    if (resource.kind === 'principal-collection') {
      const config = await this.userConfig.forUser(user.userId);
      const writer = startMultistatus(response);
      await writer.write(writer.response(write(base(resource, user, config))));
      if (depth === '1') await writer.write(writer.response(write(base(principalCollectionMember(resource, prefix, user.userId), user, config))));
      writer.end();
      return;
    }
    const scope = await this.carddav.scopes.open(request, user, prefix);
    if (resource.kind === 'addressbook-home') {
      const writer = startMultistatus(response);
      await writer.write(writer.response(write(base(resource, user, scope.config))));
      if (depth === '1') {
        for (const addressbook of scope.collections) {
          const target: Resource =
            addressbook.kind === 'aggregated'
              ? { kind: 'aggregated-addressbook', path: addressbook.href }
              : { kind: 'addressbook', path: addressbook.href, segment: addressbook.segment };
          await writer.write(writer.response(write({ ...base(target, user, scope.config), addressbook })));
        }
      }
      writer.end();
      return;
    }
    if (resource.kind === 'contact') {
      const { view, object } = await this.carddav.object(exchange, scope);
      if (!object) throw new DavHttpError(404, 'no such contact');
      const writer = startMultistatus(response);
      await writer.write(writer.response(write({ ...base(resource, user, scope.config), addressbook: view, contact: object })));
      writer.end();
      return;
    }
    const view = this.carddav.collection(scope, resource);
    const writer = startMultistatus(response);
    await writer.write(writer.response(write({ ...base(resource, user, scope.config), addressbook: view })));
    if (depth === '1') {
      for await (const page of this.carddav.objects(user, view, false)) {
        const chunk = page.map((contact) => {
          const target: Resource = { kind: 'contact', path: `${view.href}${contact.name}`, segment: view.segment, name: contact.name };
          return writer.response(write({ ...base(target, user, scope.config), addressbook: view, contact }));
        });
        await writer.write(chunk.join(''));
      }
    }
    writer.end();
  }

  private async subjectUser(resource: Resource, currentUser: User): Promise<User> {
    if (resource.kind !== 'principal') return currentUser;
    const user = await visiblePrincipalUser(this.bus, currentUser, resource.userId);
    if (!user) throw new DavHttpError(404, 'no such principal');
    return user;
  }
}
