import { randomUUID } from 'node:crypto';
import { fail, type EventContract, type Reply, type RequestContract } from '@davmesh/contracts';
import { BusClient, DEFAULT_REQUEST_TIMEOUT_MS, ReplyCollector, replyFromPacket, type GatherOptions, type RequestOptions } from './bus-client';
import { NoRespondersError, PayloadTooLargeError, type InProcessBroker, type MessageHeaders } from './in-process-broker';
import { requestTooLarge } from './reply-budget';
import { outgoingRequestId, REQUEST_ID_HEADER } from './request-id';
import { prefixed } from './wire';

export class InProcessBusClient extends BusClient {
  constructor(
    private readonly broker: InProcessBroker,
    private readonly prefix = '',
  ) {
    super();
  }

  async request<Req, Res>(contract: RequestContract<Req, Res>, payload: Req, options?: RequestOptions): Promise<Reply<Res>> {
    const raw = JSON.stringify({ pattern: contract.subject, data: payload, id: randomUUID() });
    try {
      const reply = await this.broker.request(
        prefixed(this.prefix, contract.subject),
        raw,
        options?.timeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS,
        messageHeaders(),
      );
      return replyFromPacket<Res>(reply, contract.subject);
    } catch (error) {
      if (error instanceof NoRespondersError) return fail('unavailable', `no ${contract.service} service is answering`);
      if (error instanceof PayloadTooLargeError) return requestTooLarge(contract.subject, this.broker.maxPayload);
      return fail('unavailable', `the ${contract.service} service did not answer in time`);
    }
  }

  async gather<Req, Res>(contract: RequestContract<Req, Res>, payload: Req, options: GatherOptions<Res>): Promise<Res[]> {
    const collector = new ReplyCollector<Res>(contract.subject, options, () => {});
    const raw = JSON.stringify({ pattern: contract.subject, data: payload, id: randomUUID() });
    const delivered = this.broker.publish(prefixed(this.prefix, contract.subject), raw, (reply) => collector.add(reply), messageHeaders());
    if (delivered === 0) collector.finish();
    else collector.sent();
    return collector.done;
  }

  async emit<P>(contract: EventContract<P>, payload: P): Promise<void> {
    this.broker.publish(prefixed(this.prefix, contract.subject), JSON.stringify({ pattern: contract.subject, data: payload }));
  }

  maxPayload(): number {
    return this.broker.maxPayload;
  }

  async close(): Promise<void> {
    // Nothing to release: the broker belongs to the process.
  }
}

function messageHeaders(): MessageHeaders | undefined {
  const requestId = outgoingRequestId();
  return requestId ? { [REQUEST_ID_HEADER]: requestId } : undefined;
}
