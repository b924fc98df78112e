import { Events, type NatsConnection } from 'nats';
import { DEFAULT_REQUEST_TIMEOUT_MS } from './bus-client';

/** Past a caller's request timeout, nobody waits for the reply any more. */
const HOLD_MS = DEFAULT_REQUEST_TIMEOUT_MS;
/** A reply sent this shortly before the connection is seen to drop may have gone down with it. */
const AT_RISK_MS = 1000;
/** Replies kept for that case, at most (a bound on memory under load). */
const AT_RISK_MAX = 1000;
/** The caller's connection may come back up to one reconnect interval (500 ms and jitter) after ours. */
const RESEND_AFTER_MS = 1000;

interface Reply {
  send: () => void;
  /** When it was made. */
  at: number;
}

/**
 * Sends replies so that one made as the NATS connection drops still reaches its caller. nats.js
 * drops what was written while disconnected when it dials again, and a reply written just
 * before the drop is seen can be lost with the socket: such a reply (of a write committed as
 * NATS went away) made its caller answer 503 for a stored write. Those replies are sent again
 * when the connection is back, and once more a second later, for a caller that reconnects
 * after this process; callers drop a reply to a request they no longer wait for.
 */
export class ReplyHold {
  private up = true;
  private recent: Reply[] = [];
  private held: Reply[] = [];

  constructor(connection: NatsConnection) {
    void this.follow(connection);
  }

  send(send: () => void): void {
    const reply = { send, at: Date.now() };
    if (!this.up) {
      this.held.push(reply);
      return;
    }
    send();
    this.recent.push(reply);
    if (this.recent.length > AT_RISK_MAX || this.recent[0].at < reply.at - AT_RISK_MS) this.recent = this.recent.filter((r) => r.at >= reply.at - AT_RISK_MS).slice(-AT_RISK_MAX);
  }

  private dropped(): void {
    this.up = false;
    const since = Date.now() - AT_RISK_MS;
    this.held.push(...this.recent.filter((r) => r.at >= since));
    this.recent = [];
  }

  private back(): void {
    this.up = true;
    const due = this.held.filter((r) => r.at > Date.now() - HOLD_MS);
    this.held = [];
    if (due.length === 0) return;
    const resend = () => due.forEach((r) => trySend(r.send));
    resend();
    setTimeout(resend, RESEND_AFTER_MS).unref();
  }

  private async follow(connection: NatsConnection): Promise<void> {
    for await (const status of connection.status()) {
      if (status.type === Events.Disconnect) this.dropped();
      if (status.type === Events.Reconnect) this.back();
    }
  }
}

function trySend(send: () => void): void {
  try {
    send();
  } catch {
    // The connection closed meanwhile (the process is stopping): nobody can get the reply.
  }
}
