export * from './names';
export * from './xml-parse';
export * from './xml-writer';
export * from './propfind-request';
export * from './multistatus';
export * from './dav-error';
export * from './property-update';
export * from './conditional-request';
