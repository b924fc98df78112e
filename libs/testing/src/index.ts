export * from './infrastructure';
export * from './multistatus';
export * from './carddav';
export * from './eventually';
export * from './icalendar';
export * from './user-agent-proxy';
