import { DomainException, type Reply, type RequestContract } from '@davmesh/contracts';

/** What the CLI needs of the bus: typed requests. A BusClient is one; so is the control socket. */
export interface AdminChannel {
  request<Req, Res>(contract: RequestContract<Req, Res>, payload: Req): Promise<Reply<Res>>;
  /** Over NATS: a broadcast every replica answers. Absent where one process holds every role. */
  gather?<Req, Res>(contract: RequestContract<Req, Res>, payload: Req, options: { maxWaitMs: number; enough?: (replies: Res[]) => boolean }): Promise<Res[]>;
  close(): Promise<void>;
}

/**
 * A broadcast request's answers: every replica that replied within `maxWaitMs` (or the first
 * `expected`) over NATS; the one answer of an embedded server otherwise.
 */
export async function askEveryInstance<Req, Res>(
  channel: AdminChannel,
  contract: RequestContract<Req, Res>,
  payload: Req,
  wait: { maxWaitMs: number; expected?: number },
): Promise<Res[]> {
  if (!channel.gather) return [await callAdmin(channel, contract, payload)];
  const { expected } = wait;
  return channel.gather(contract, payload, { maxWaitMs: wait.maxWaitMs, enough: expected ? (replies) => replies.length >= expected : undefined });
}

/** A request whose error is thrown as a DomainException. */
export async function callAdmin<Req, Res>(channel: AdminChannel, contract: RequestContract<Req, Res>, payload: Req): Promise<Res> {
  const reply = await channel.request(contract, payload);
  if (!reply.ok) throw new DomainException(reply.error.code, reply.error.message, reply.error.details);
  return reply.data;
}
