export const CONFIG_SCHEMA = 'config';
