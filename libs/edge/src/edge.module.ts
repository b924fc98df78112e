import { type DynamicModule, Module } from '@nestjs/common';
import { ConfigClientModule } from '@davmesh/config-client';
import { Authenticator } from './auth/authenticator';
import { DirectoryEventsHandler } from './auth/directory-events.handler';
import { ConfigEventsHandler } from './config/config-events.handler';
import { ServerSettingsService } from './config/server-settings.service';
import { DEFAULT_EDGE_OPTIONS, EDGE_OPTIONS, type EdgeOptions } from './edge-options';
import { DavDispatcher } from './http/dav-dispatcher';
import { DAV_METHODS } from './methods/dav-method';
import { OptionsMethod } from './methods/options.method';
import { PropfindMethod } from './methods/propfind.method';
import { PRINCIPAL_PROPERTIES } from './properties/principal.properties';
import { PropertyRegistry } from './properties/property-registry';

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
        { provide: PropertyRegistry, useValue: new PropertyRegistry(PRINCIPAL_PROPERTIES) },
        Authenticator,
        ServerSettingsService,
        OptionsMethod,
        PropfindMethod,
        {
          provide: DAV_METHODS,
          useFactory: (options: OptionsMethod, propfind: PropfindMethod) => [options, propfind],
          inject: [OptionsMethod, PropfindMethod],
        },
        DavDispatcher,
      ],
      exports: [DavDispatcher, Authenticator],
    };
  }
}
