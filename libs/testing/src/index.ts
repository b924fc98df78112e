export * from './infrastructure';
export * from './multistatus';
export * from './carddav';
export * from './eventually';
export * from './icalendar';
export * from './caldav';
export * from './user-agent-proxy';
export * from './rfc4791-appendix-b';
