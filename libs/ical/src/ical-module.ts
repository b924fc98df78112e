// ical.js 2 is an ES module with a CommonJS build; this is the one place that loads it.
import ICAL from 'ical.js';

export default ICAL;
export type IcalComponent = InstanceType<typeof ICAL.Component>;
export type IcalTime = InstanceType<typeof ICAL.Time>;
