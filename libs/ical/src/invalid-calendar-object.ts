/** RFC 4791 (RFC 6638 for an iTIP message) precondition a refused calendar object violates. */
export type CalendarDataCondition = 'valid-calendar-data' | 'valid-calendar-object-resource' | 'supported-calendar-component' | 'max-instances' | 'valid-scheduling-message';

export class InvalidCalendarObject extends Error {
  constructor(
    readonly condition: CalendarDataCondition,
    message: string,
  ) {
    super(message);
    this.name = 'InvalidCalendarObject';
  }
}
