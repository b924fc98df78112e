export * from './vcard';
export * from './vcard-convert';
export * from './vcard-filter';
export * from './vcard-validation';
