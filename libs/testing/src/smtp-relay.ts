import { readFileSync } from 'node:fs';
import { type AddressInfo, createServer } from 'node:net';
import { type ParsedMail } from 'mailparser';

/** One message the relay took: the envelope, the bytes, and mailparser's reading of them. */
export interface RelayedMail {
  mailFrom: string;
  rcptTo: string[];
  raw: Buffer;
  parsed: ParsedMail;
}

/** An SMTP reply the relay gives instead of accepting, e.g. `{ code: 451, message: '4.3.0 try later' }`. */
export interface RelayRefusal {
  code: number;
  message: string;
}

export interface TestSmtpRelay {
  port: number;
  /** `smtp://127.0.0.1:<port>` (`smtps://` for a TLS relay), for davmesh.imip.smtp.url. */
  url: string;
  /** What was accepted, in order. */
  mails: RelayedMail[];
  /** RCPT TO commands seen per address (accepted or not). */
  rcptAttempts: Map<string, number>;
  /** Decides each RCPT TO: a refusal, or undefined to accept. `attempt` counts from 1 per address. */
  answerRcpt: (address: string, attempt: number) => RelayRefusal | undefined;
  close(): Promise<void>;
}

export interface SmtpRelayOptions {
  /** A port to listen on (a relay brought back where one was down); a free one otherwise. */
  port?: number;
  /** TLS from the first byte with this certificate (an smtps:// relay). */
  tls?: { certFile: string; keyFile: string };
}

/**
 * A real SMTP server (the smtp-server package) in the test process on 127.0.0.1, accepting any
 * sender without login, keeping each message parsed. No STARTTLS on a plain relay.
 */
export async function startSmtpRelay(options: SmtpRelayOptions = {}): Promise<TestSmtpRelay> {
  // Loaded here, not with @davmesh/testing: they take most of a second, and few specs need them.
  const [{ SMTPServer }, { simpleParser }] = await Promise.all([import('smtp-server'), import('mailparser')]);
  const mails: RelayedMail[] = [];
  const rcptAttempts = new Map<string, number>();
  const relay: Partial<TestSmtpRelay> & Pick<TestSmtpRelay, 'answerRcpt'> = { mails, rcptAttempts, answerRcpt: () => undefined };
  const server = new SMTPServer({
    logger: false,
    authOptional: true,
    disabledCommands: options.tls ? ['AUTH'] : ['AUTH', 'STARTTLS'],
    ...(options.tls ? { secure: true, cert: readFileSync(options.tls.certFile), key: readFileSync(options.tls.keyFile) } : {}),
    onRcptTo(address, _session, callback) {
      const attempt = (rcptAttempts.get(address.address) ?? 0) + 1;
      rcptAttempts.set(address.address, attempt);
      const refusal = relay.answerRcpt(address.address, attempt);
      if (!refusal) return callback();
      callback(Object.assign(new Error(refusal.message), { responseCode: refusal.code }));
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks);
        simpleParser(raw).then(
          (parsed) => {
            mails.push({
              mailFrom: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
              rcptTo: session.envelope.rcptTo.map((r) => r.address),
              raw,
              parsed,
            });
            callback();
          },
          (error: Error) => callback(error),
        );
      });
    },
  });
  server.on('error', () => undefined);
  await new Promise<void>((resolve, reject) => {
    server.server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.server.address() as AddressInfo).port;
  return Object.assign(relay, {
    port,
    url: `${options.tls ? 'smtps' : 'smtp'}://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }) as TestSmtpRelay;
}

/** A port nothing listens on right now (taken from the system, then let go): where a relay is down. */
export async function unusedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', () => resolve()));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

/** A MIME part as the message has it: its content type, parameters, disposition and parts. */
export interface MimePart {
  type: string;
  params: Record<string, string>;
  disposition?: string;
  parts: MimePart[];
}

/**
 * The MIME tree of a raw message (RFC 2045/2046), enough to check its structure: which parts
 * nest in which multipart, with their media types and parameters. Bodies are not decoded.
 */
export function mimeStructure(raw: Buffer | string): MimePart {
  const text = raw.toString('latin1');
  const split = text.search(/\r?\n\r?\n/);
  const head = split < 0 ? text : text.slice(0, split);
  const body = split < 0 ? '' : text.slice(split).replace(/^\r?\n\r?\n/, '');
  const headers = new Map<string, string>();
  for (const line of head.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  const [type, ...rest] = (headers.get('content-type') ?? 'text/plain').split(';');
  const params: Record<string, string> = {};
  for (const param of rest) {
    const eq = param.indexOf('=');
    if (eq > 0) params[param.slice(0, eq).trim().toLowerCase()] = param.slice(eq + 1).trim().replace(/^"(.*)"$/, '$1');
  }
  const part: MimePart = { type: type.trim().toLowerCase(), params, parts: [] };
  const disposition = headers.get('content-disposition')?.split(';')[0].trim().toLowerCase();
  if (disposition) part.disposition = disposition;
  if (part.type.startsWith('multipart/') && params.boundary) {
    const pieces = body.split(`--${params.boundary}`);
    // Before the first boundary is the preamble; from the closing one (`--boundary--`) on, the epilogue.
    for (const piece of pieces.slice(1)) {
      if (piece.startsWith('--')) break;
      part.parts.push(mimeStructure(piece.replace(/^\r?\n/, '')));
    }
  }
  return part;
}

/**
 * An iMIP message as a mail client writes one (RFC 6047): a text/plain note and the iTIP
 * message as `text/calendar; method=…` alternatives, the same attached as an .ics file.
 */
export async function imipMail(mail: { from: string; to: string; subject: string; method: string; ical: string }): Promise<Buffer> {
  const { createTransport } = await import('nodemailer');
  const transport = createTransport({ streamTransport: true, buffer: true, newline: 'windows' });
  const sent = await transport.sendMail({
    from: mail.from,
    to: mail.to,
    subject: mail.subject,
    text: `${mail.subject}\n`,
    alternatives: [{ contentType: `text/calendar; method=${mail.method}; charset=UTF-8`, content: mail.ical }],
    attachments: [{ filename: `${mail.method.toLowerCase()}.ics`, content: mail.ical, contentType: 'application/ics' }],
  });
  return sent.message as Buffer;
}
