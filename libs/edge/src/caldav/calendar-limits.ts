import { type CalendarLimits, type EffectiveConfig } from '@davmesh/contracts';

/** The davmesh.limits.* of the user's effective configuration that bound the calendar service's work for them. */
export function calendarLimits(config: EffectiveConfig): CalendarLimits {
  return {
    maxInstances: Number(config.values['davmesh.limits.maxInstances'].value),
    recurrenceSteps: Number(config.values['davmesh.limits.recurrenceSteps'].value),
    recurrenceMillis: Number(config.values['davmesh.limits.recurrenceMillis'].value),
    parameterLength: Number(config.values['davmesh.limits.parameterLength'].value),
    propertyLength: Number(config.values['davmesh.limits.propertyLength'].value),
    maxAttendeesPerInstance: Number(config.values['davmesh.limits.maxAttendeesPerInstance'].value),
    calendarDeleteMeetings: Number(config.values['davmesh.limits.calendarDeleteMeetings'].value),
  };
}
