export * from './infrastructure';
export * from './multistatus';
