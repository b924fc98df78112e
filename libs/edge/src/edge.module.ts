import { type DynamicModule, Module } from '@nestjs/common';
import { ConfigClientModule } from '@davmesh/config-client';
import { Authenticator } from './auth/authenticator';
import { CaldavCollections } from './caldav/caldav-collections';
import { CaldavMembers } from './caldav/caldav-members';
import { CaldavResources } from './caldav/caldav-resources';
import { CaldavTree } from './caldav/caldav-tree';
import { CaldavScopes } from './caldav/caldav-scope';
import { FolderEventsHandler } from './caches/folder-events.handler';
import { CalendarFolderCache } from './caldav/calendar-folder-cache';
import { CarddavCollections } from './carddav/carddav-collections';
import { CarddavMembers } from './carddav/carddav-members';
import { CarddavResources } from './carddav/carddav-resources';
import { CarddavTree } from './carddav/carddav-tree';
import { CarddavScopes } from './carddav/carddav-scope';
import { ContactFolderCache } from './carddav/contact-folder-cache';
import { ServerSettingsService } from './config/server-settings.service';
import { EdgeCaches } from './edge-caches';
import { DEFAULT_EDGE_OPTIONS, EDGE_OPTIONS, type EdgeOptions } from './edge-options';
import { DavDispatcher } from './http/dav-dispatcher';
import { DAV_METHODS } from './methods/dav-method';
import { DeleteMethod } from './methods/delete.method';
import { GetMethod, HeadMethod } from './methods/get.method';
import { MkcalendarMethod, MkcolMethod } from './methods/mkcol.method';
import { MoveMethod } from './methods/move.method';
import { OptionsMethod } from './methods/options.method';
import { PropfindMethod } from './methods/propfind.method';
import { ProppatchMethod } from './methods/proppatch.method';
import { PostMethod } from './methods/post.method';
import { PutMethod } from './methods/put.method';
import { ReportMethod } from './methods/report.method';
import { CALDAV_PROPERTIES } from './caldav/caldav.properties';
import { SCHEDULING_PROPERTIES } from './caldav/scheduling.properties';
import { CARDDAV_PROPERTIES } from './carddav/carddav.properties';
import { PRINCIPAL_PROPERTIES } from './principals/principal.properties';
import { WEBDAV_PROPERTIES } from './properties/webdav.properties';
import { PropertyRegistry } from './properties/property-registry';
import { PropertyRenderer } from './properties/property-renderer';
import { ExpandPropertyReport } from './reports/expand-property.report';
import { PrincipalPropertySearchReport } from './principals/principal-property-search.report';
import { PrincipalSearchPropertySetReport } from './principals/principal-search-property-set.report';
import { CalendarQueryReport } from './caldav/calendar-query.report';
import { FreeBusyQueryReport } from './caldav/free-busy-query.report';
import { AddressbookQueryReport } from './carddav/addressbook-query.report';
import { DAV_REPORTS, type DavReport } from './reports/dav-report';
import { CalendarMemberListings, ContactMemberListings, RenderedMemberListings } from './caches/member-listing-cache';
import { MultigetReport } from './reports/multiget.report';
import { ReportRegistry } from './reports/report-registry';
import { SyncCollectionReport } from './reports/sync-collection.report';
import { PrincipalTree } from './principals/principal-tree';
import { DAV_ADAPTERS, DAV_POST_TARGETS, DAV_TREES, type DavAdapter } from './resources/adapters';
import { ScheduleOutbox } from './caldav/schedule-outbox';
import { SharingPost } from './caldav/sharing/sharing-post';
import { SHARING_PROPERTIES } from './caldav/sharing/sharing.properties';
import { NotificationCollections } from './caldav/notifications/notification-collections';
import { NotificationMembers } from './caldav/notifications/notification-members';
import { NotificationResources } from './caldav/notifications/notification-resources';
import { NotificationTree } from './caldav/notifications/notification-tree';
import { NOTIFICATION_PROPERTIES } from './caldav/notifications/notification.properties';

/** Each WebDAV method once; CalDAV and CardDAV reach them through their adapters (DAV_ADAPTERS). The order is the Allow header's. */
const METHODS = [
  OptionsMethod,
  PropfindMethod,
  ProppatchMethod,
  ReportMethod,
  GetMethod,
  HeadMethod,
  PutMethod,
  DeleteMethod,
  MoveMethod,
  MkcolMethod,
  MkcalendarMethod,
  PostMethod,
];
/** CardDAV's members and collections, then CalDAV's, then calendarserver-sharing's notifications': each pair is one adapter. */
const ADAPTER_PARTS = [CarddavMembers, CarddavCollections, CaldavMembers, CaldavCollections, NotificationMembers, NotificationCollections];
/** The namespace as PROPFIND walks it. */
const TREES = [PrincipalTree, CarddavTree, CaldavTree, NotificationTree];
/** Reports no adapter provides. */
const REPORTS = [AddressbookQueryReport, CalendarQueryReport, FreeBusyQueryReport, ExpandPropertyReport, PrincipalPropertySearchReport, PrincipalSearchPropertySetReport];

/** Every REPORT, in the order supported-report-set lists them. */
function allReports(
  renderer: PropertyRenderer,
  rendered: RenderedMemberListings,
  [carddav, caldav, notifications]: DavAdapter[],
  [addressbookQuery, calendarQuery, ...others]: InstanceType<(typeof REPORTS)[number]>[],
): DavReport[] {
  const protocolReports = ({ collections }: DavAdapter, query: DavReport) => [
    new MultigetReport(collections, renderer),
    query,
    new SyncCollectionReport(collections, renderer, rendered),
  ];
  // The notification collection is synced, never queried or multi-got.
  const notificationReports = [new SyncCollectionReport(notifications.collections, renderer, rendered)];
  return [...protocolReports(carddav, addressbookQuery), ...protocolReports(caldav, calendarQuery), ...notificationReports, ...others];
}

/** The HTTP face: DAV parsing, auth, URL layout. Needs the bus and logger modules. */
@Module({})
export class EdgeModule {
  static register(options: Partial<EdgeOptions> = {}): DynamicModule {
    return {
      module: EdgeModule,
      imports: [ConfigClientModule],
      controllers: [FolderEventsHandler],
      providers: [
        { provide: EDGE_OPTIONS, useValue: { ...DEFAULT_EDGE_OPTIONS, ...options } },
        { provide: PropertyRegistry, useValue: new PropertyRegistry([
            ...PRINCIPAL_PROPERTIES,
            ...CARDDAV_PROPERTIES,
            ...CALDAV_PROPERTIES,
            ...SCHEDULING_PROPERTIES,
            ...SHARING_PROPERTIES,
            ...NOTIFICATION_PROPERTIES,
            ...WEBDAV_PROPERTIES,
          ]) },
        PropertyRenderer,
        Authenticator,
        ServerSettingsService,
        { provide: ContactFolderCache, useFactory: () => new ContactFolderCache() },
        { provide: CalendarMemberListings, useFactory: () => new CalendarMemberListings() },
        { provide: ContactMemberListings, useFactory: () => new ContactMemberListings() },
        { provide: RenderedMemberListings, useFactory: () => new RenderedMemberListings() },
        CarddavScopes,
        CarddavResources,
        { provide: CalendarFolderCache, useFactory: () => new CalendarFolderCache() },
        CaldavScopes,
        CaldavResources,
        NotificationResources,
        ...ADAPTER_PARTS,
        {
          provide: DAV_ADAPTERS,
          useFactory: (
            carddavMembers: CarddavMembers,
            carddavCollections: CarddavCollections,
            caldavMembers: CaldavMembers,
            caldavCollections: CaldavCollections,
            notificationMembers: NotificationMembers,
            notificationCollections: NotificationCollections,
          ): DavAdapter[] => [
            { members: carddavMembers, collections: carddavCollections },
            { members: caldavMembers, collections: caldavCollections },
            { members: notificationMembers, collections: notificationCollections },
          ],
          inject: ADAPTER_PARTS,
        },
        ...REPORTS,
        {
          provide: DAV_REPORTS,
          useFactory: (renderer: PropertyRenderer, rendered: RenderedMemberListings, adapters: DavAdapter[], ...reports: InstanceType<(typeof REPORTS)[number]>[]) =>
            allReports(renderer, rendered, adapters, reports),
          inject: [PropertyRenderer, RenderedMemberListings, DAV_ADAPTERS, ...REPORTS],
        },
        ReportRegistry,
        ...TREES,
        { provide: DAV_TREES, useFactory: (...trees: unknown[]) => trees, inject: TREES },
        ScheduleOutbox,
        SharingPost,
        { provide: DAV_POST_TARGETS, useFactory: (outbox: ScheduleOutbox, sharing: SharingPost) => [outbox, sharing], inject: [ScheduleOutbox, SharingPost] },
        ...METHODS,
        { provide: DAV_METHODS, useFactory: (...methods: unknown[]) => methods, inject: METHODS },
        DavDispatcher,
        EdgeCaches,
      ],
      exports: [DavDispatcher, Authenticator, EdgeCaches],
    };
  }
}
