import { DomainException, type Reply, type RequestContract } from '@davmesh/contracts';

/** What the CLI needs of the bus: typed requests. A BusClient is one; so is the control socket. */
export interface AdminChannel {
  request<Req, Res>(contract: RequestContract<Req, Res>, payload: Req): Promise<Reply<Res>>;
  close(): Promise<void>;
}

/** A request whose error is thrown as a DomainException. */
export async function callAdmin<Req, Res>(channel: AdminChannel, contract: RequestContract<Req, Res>, payload: Req): Promise<Res> {
  const reply = await channel.request(contract, payload);
  if (!reply.ok) throw new DomainException(reply.error.code, reply.error.message, reply.error.details);
  return reply.data;
}
