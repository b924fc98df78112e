export * from './outbox';
export * from './outbox-relay';
export * from './outbox-store';
export * from './outbox-table';
export * from './outbox.providers';
export * from './write-outcomes';
