import { type DynamicModule, Module } from '@nestjs/common';
import { ConfigClientModule } from '@davmesh/config-client';
import { Authenticator } from './auth/authenticator';
import { CaldavResources } from './caldav/caldav-resources';
import { CaldavScopes } from './caldav/caldav-scope';
import { CalendarEventsHandler } from './caldav/calendar-events.handler';
import { CalendarFolderCache } from './caldav/calendar-folder-cache';
import { CarddavResources } from './carddav/carddav-resources';
import { CarddavScopes } from './carddav/carddav-scope';
import { ContactEventsHandler } from './carddav/contact-events.handler';
import { ContactFolderCache } from './carddav/contact-folder-cache';
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
import { CaldavDeleteMethod } from './methods/caldav-delete.method';
import { CaldavGetMethod, CaldavHeadMethod } from './methods/caldav-get.method';
import { CaldavMoveMethod } from './methods/caldav-move.method';
import { CaldavPropfindMethod } from './methods/caldav-propfind.method';
import { CaldavProppatchMethod } from './methods/caldav-proppatch.method';
import { CaldavPutMethod } from './methods/caldav-put.method';
import { CalendarMkcolMethod, MkcalendarMethod } from './methods/mkcalendar.method';
import { CALDAV_PROPERTIES } from './properties/caldav.properties';
import { CARDDAV_PROPERTIES } from './properties/carddav.properties';
import { PRINCIPAL_PROPERTIES } from './properties/principal.properties';
import { WEBDAV_PROPERTIES } from './properties/webdav.properties';
import { PropertyRegistry } from './properties/property-registry';
import { PropertyRenderer } from './properties/property-renderer';
import { AddressbookMultigetReport } from './reports/addressbook-multiget.report';
import { CalendarMultigetReport } from './reports/calendar-multiget.report';
import { ExpandPropertyReport } from './reports/expand-property.report';
import { PrincipalPropertySearchReport } from './reports/principal-property-search.report';
import { PrincipalSearchPropertySetReport } from './reports/principal-search-property-set.report';
import { CalendarQueryReport } from './reports/calendar-query.report';
import { CalendarSyncCollectionReport } from './reports/calendar-sync-collection.report';
import { FreeBusyQueryReport } from './reports/free-busy-query.report';
import { AddressbookQueryReport } from './reports/addressbook-query.report';
import { DAV_REPORTS } from './reports/dav-report';
import { ReportRegistry } from './reports/report-registry';
import { SyncCollectionReport } from './reports/sync-collection.report';

const CARDDAV_METHODS = [PropfindMethod, ProppatchMethod, ReportMethod, GetMethod, HeadMethod, PutMethod, DeleteMethod, MoveMethod, MkcolMethod];
const CALDAV_METHODS = [
  CaldavPropfindMethod,
  CaldavProppatchMethod,
  CaldavGetMethod,
  CaldavHeadMethod,
  CaldavPutMethod,
  CaldavDeleteMethod,
  CaldavMoveMethod,
  MkcalendarMethod,
  CalendarMkcolMethod,
];
const METHODS = [OptionsMethod, ...CARDDAV_METHODS, ...CALDAV_METHODS];
const REPORTS = [
  AddressbookMultigetReport,
  AddressbookQueryReport,
  SyncCollectionReport,
  CalendarMultigetReport,
  CalendarQueryReport,
  CalendarSyncCollectionReport,
  FreeBusyQueryReport,
  ExpandPropertyReport,
  PrincipalPropertySearchReport,
  PrincipalSearchPropertySetReport,
];

/** The HTTP face: DAV parsing, auth, URL layout. Needs the bus and logger modules. */
@Module({})
export class EdgeModule {
  static register(options: Partial<EdgeOptions> = {}): DynamicModule {
    return {
      module: EdgeModule,
      imports: [ConfigClientModule],
      controllers: [CalendarEventsHandler, ContactEventsHandler],
      providers: [
        { provide: EDGE_OPTIONS, useValue: { ...DEFAULT_EDGE_OPTIONS, ...options } },
        { provide: PropertyRegistry, useValue: new PropertyRegistry([...PRINCIPAL_PROPERTIES, ...CARDDAV_PROPERTIES, ...CALDAV_PROPERTIES, ...WEBDAV_PROPERTIES]) },
        PropertyRenderer,
        Authenticator,
        ServerSettingsService,
        { provide: ContactFolderCache, useFactory: () => new ContactFolderCache() },
        CarddavScopes,
        CarddavResources,
        { provide: CalendarFolderCache, useFactory: () => new CalendarFolderCache() },
        CaldavScopes,
        CaldavResources,
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
