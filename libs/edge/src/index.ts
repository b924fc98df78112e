export * from './edge.module';
export * from './edge-options';
export * from './http/dav-dispatcher';
export * from './auth/authenticator';
export * from './auth/auth-cache';
export * from './auth/basic-credentials';
export * from './resources/resource';
export * from './edge-caches';
