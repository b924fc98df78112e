import { Inject, Injectable } from '@nestjs/common';
import { BusClient } from '@davmesh/bus';
import { ConfigServerValues, DomainException, parseSmtpUrl, type ServerValues, type SmtpRelay } from '@davmesh/contracts';

/** The `davmesh.imip.*` server settings, read into one typed value. */
export interface ImipSettings {
  /** Undefined: no relay configured, nothing is sent. */
  relay?: SmtpRelay;
  requireTls: boolean;
  rejectUnauthorized: boolean;
  /** The server's address: envelope sender and Sender header; undefined when not set. */
  sender?: string;
  fromHeader: 'calendar-user' | 'sender';
  retry: { firstDelaySeconds: number; maxDelaySeconds: number; giveUpHours: number };
}

/** Values the config service checked when it loaded them (the URL parses). */
export function imipSettingsOf(values: ServerValues['values']): ImipSettings {
  const text = (key: keyof ServerValues['values']) => String(values[key].value);
  const sender = text('davmesh.imip.from').trim();
  return {
    relay: parseSmtpUrl(text('davmesh.imip.smtp.url')),
    requireTls: values['davmesh.imip.smtp.requireTls'].value === true,
    rejectUnauthorized: values['davmesh.imip.smtp.tls.rejectUnauthorized'].value !== false,
    sender: sender === '' ? undefined : sender.toLowerCase(),
    fromHeader: text('davmesh.imip.fromHeader') === 'sender' ? 'sender' : 'calendar-user',
    retry: {
      firstDelaySeconds: Number(values['davmesh.imip.retry.firstDelaySeconds'].value),
      maxDelaySeconds: Number(values['davmesh.imip.retry.maxDelaySeconds'].value),
      giveUpHours: Number(values['davmesh.imip.retry.giveUpHours'].value),
    },
  };
}

/**
 * Asks the config service for the server values each time a sender pass has messages: a pass
 * is at most once a second, and then a change to a server file holds from the next message on.
 */
@Injectable()
export class ImipSettingsReader {
  constructor(@Inject(BusClient) private readonly bus: BusClient) {}

  /** Throws a DomainException (`unavailable`) when the config service does not answer. */
  async current(): Promise<ImipSettings> {
    const reply = await this.bus.request(ConfigServerValues, {});
    if (!reply.ok) throw new DomainException(reply.error.code, reply.error.message);
    return imipSettingsOf(reply.data.values);
  }
}
