import { type InProcessBroker } from '@davmesh/bus';
import { type Reply } from '@davmesh/contracts';

/**
 * A service on the in-process broker whose replies the test releases: `answer` reads what is
 * stored when the request arrives, only the reply's delivery waits while `hold()` is on. So a
 * change event can overtake a reply, as a busy node sees on NATS.
 */
export function heldResponder<Req>(broker: InProcessBroker, subject: string, queue: string, answer: (request: Req) => Reply<unknown>) {
  const held: (() => void)[] = [];
  let holding = false;
  let requests = 0;
  broker.subscribe(subject, queue, (raw, respond) => {
    const { id, data } = JSON.parse(raw) as { id: string; data: Req };
    requests++;
    const response = answer(data);
    const send = () => respond?.(JSON.stringify({ id, response, isDisposed: true }));
    if (holding) held.push(send);
    else send();
  });
  return {
    /** Requests answered so far. */
    requests: () => requests,
    hold: () => void (holding = true),
    /** Resolves once a reply is being held. */
    async heldReply(): Promise<void> {
      while (held.length === 0) await new Promise((resolve) => setImmediate(resolve));
    },
    release: () => {
      holding = false;
      for (const send of held.splice(0)) send();
    },
  };
}
