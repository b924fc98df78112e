import { type IncomingMessage } from 'node:http';
import { writeConditions, type WriteConditions } from '../http/conditional-headers';

/** The calendar service's ETags are bare tokens; HTTP and DAV:getetag carry them quoted (strong). */
export function quoteEtag(etag: string): string {
  return `"${etag}"`;
}

/** If-Match / If-None-Match / `If:` with the quotes taken off, as the calendar service compares. */
export function calendarWriteConditions(request: IncomingMessage): WriteConditions {
  const conditions = writeConditions(request);
  if (conditions.ifMatch !== undefined) conditions.ifMatch = conditions.ifMatch.replace(/^"(.*)"$/, '$1');
  return conditions;
}
