/** Bounds on what one calendar object may hold and cost; the server-wide davmesh.limits.* keys. */
export interface IcalLimits {
  /** CALDAV:max-instances. */
  maxInstances: number;
  /** Recurrence-rule steps one object may take to check at PUT. */
  recurrenceSteps: number;
  /** Milliseconds of recurrence-rule work one object may take to check at PUT. */
  recurrenceMillis: number;
  /** Longest parameter value (a TZID, a CN). */
  parameterLength: number;
  /** Longest property value other than inline binary data. */
  propertyLength: number;
}

export const DEFAULT_ICAL_LIMITS: IcalLimits = {
  maxInstances: 20_000,
  recurrenceSteps: 1_000_000,
  recurrenceMillis: 2_000,
  parameterLength: 1024,
  propertyLength: 256 * 1024,
};
