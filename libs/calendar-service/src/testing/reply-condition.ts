import { type Reply } from '@davmesh/contracts';

/** What a refused reply names (its precondition, else its code); undefined for success. */
export function condition(reply: Reply<unknown>): string | undefined {
  return reply.ok ? undefined : ((reply.error.details?.['condition'] as string | undefined) ?? reply.error.code);
}
