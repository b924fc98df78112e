export * from './text-match';
