export * from './settings';
export * from './node';
export * from './nest-apps';
export * from './admin-channel';
export * from './control-socket';
export * from './data-dir-lock';
export * from './demo-seed';
export * from './serve';
