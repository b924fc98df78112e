import { type DynamicModule, Module } from '@nestjs/common';
import { ConfigClientModule } from '@davmesh/config-client';
import { Authenticator } from './auth/authenticator';
import { DirectoryEventsHandler } from './auth/directory-events.handler';
import { CarddavResources } from './carddav/carddav-resources';
import { CarddavScopes } from './carddav/carddav-scope';
import { ConfigEventsHandler } from './config/config-events.handler';
import { ServerSettingsService } from './config/server-settings.service';
import { EdgeCaches } from './edge-caches';
import { DEFAULT_EDGE_OPTIONS, EDGE_OPTIONS, type EdgeOptions } from './edge-options';
import { DavDispatcher } from './http/dav-dispatcher';
import { DAV_METHODS } from './methods/dav-method';
import { DeleteMethod } from './methods/delete.method';
import { GetMethod, HeadMethod } from './methods/get.method';
import { MkcolMethod } from './methods/mkcol.method';
import { MoveMethod } from './methods/move.method';
import { OptionsMethod } from './methods/options.method';
import { PropfindMethod } from './methods/propfind.method';
import { ProppatchMethod } from './methods/proppatch.method';
import { PutMethod } from './methods/put.method';
import { ReportMethod } from './methods/report.method';
import { CARDDAV_PROPERTIES } from './properties/carddav.properties';
import { PRINCIPAL_PROPERTIES } from './properties/principal.properties';
import { PropertyRegistry } from './properties/property-registry';
import { PropertyRenderer } from './properties/property-renderer';
import { AddressbookMultigetReport } from './reports/addressbook-multiget.report';
import { AddressbookQueryReport } from './reports/addressbook-query.report';
import { DAV_REPORTS } from './reports/dav-report';
import { ReportRegistry } from './reports/report-registry';
import { SyncCollectionReport } from './reports/sync-collection.report';

const METHODS = [OptionsMethod, PropfindMethod, ProppatchMethod, ReportMethod, GetMethod, HeadMethod, PutMethod, DeleteMethod, MoveMethod, MkcolMethod];
const REPORTS = [AddressbookMultigetReport, AddressbookQueryReport, SyncCollectionReport];

/** The HTTP face: DAV parsing, auth, URL layout. Needs the bus and logger modules. */
@Module({})
export class EdgeModule {
  static register(options: Partial<EdgeOptions> = {}): DynamicModule {
    return {
      module: EdgeModule,
      imports: [ConfigClientModule],
      controllers: [DirectoryEventsHandler, ConfigEventsHandler],
      providers: [
        { provide: EDGE_OPTIONS, useValue: { ...DEFAULT_EDGE_OPTIONS, ...options } },
        { provide: PropertyRegistry, useValue: new PropertyRegistry([...PRINCIPAL_PROPERTIES, ...CARDDAV_PROPERTIES]) },
        PropertyRenderer,
        Authenticator,
        ServerSettingsService,
        CarddavScopes,
        CarddavResources,
        ...REPORTS,
        { provide: DAV_REPORTS, useFactory: (...reports: unknown[]) => reports, inject: REPORTS },
        ReportRegistry,
        ...METHODS,
        { provide: DAV_METHODS, useFactory: (...methods: unknown[]) => methods, inject: METHODS },
        DavDispatcher,
        EdgeCaches,
      ],
      exports: [DavDispatcher, Authenticator, EdgeCaches],
    };
  }
}
