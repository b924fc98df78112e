import { z } from 'zod';
import { defineRequest, type ServiceName } from './contract';

export interface HealthReport {
  service: ServiceName;
  /** Which node answered: useful to see a queue group spread requests. */
  instanceId: string;
  database: 'ok';
  /** Latest applied migration of the service's schema. */
  schemaVersion: string;
}

const empty = z.object({}).strict();

export const ConfigHealth = defineRequest<Record<string, never>, HealthReport>('config.v1.health', empty, { idempotent: true });
export const CalendarHealth = defineRequest<Record<string, never>, HealthReport>('calendar.v1.health', empty, { idempotent: true });
export const ContactsHealth = defineRequest<Record<string, never>, HealthReport>('contacts.v1.health', empty, { idempotent: true });
