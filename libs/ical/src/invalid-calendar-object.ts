/** RFC 4791 precondition a refused calendar object violates. */
export type CalendarDataCondition = 'valid-calendar-data' | 'valid-calendar-object-resource' | 'supported-calendar-component' | 'max-instances';

export class InvalidCalendarObject extends Error {
  constructor(
    readonly condition: CalendarDataCondition,
    message: string,
  ) {
    super(message);
    this.name = 'InvalidCalendarObject';
  }
}
