export const CALENDAR_SCHEMA = 'calendar';
