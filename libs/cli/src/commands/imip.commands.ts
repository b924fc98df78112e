import { type Command } from 'commander';
import {
  ConfigServerValues,
  DomainException,
  IMIP_MAX_ICAL_BYTES,
  IMIP_RECEIVED_METHODS,
  IMIP_STATES,
  ImipOutgoingList,
  ImipReceive,
  type DomainErrorCode,
  type ImipReceived,
  type ImipState,
  type ServerValues,
} from '@davmesh/contracts';
import { callAdmin, type AdminChannel } from '@davmesh/runtime';
import { UsageError } from './config.commands';

type WithChannel = <T>(work: (channel: AdminChannel) => Promise<T>) => Promise<void>;

/** sysexits.h, as an MTA reads the exit of a pipe: accepted, bounce (data, user), try again later. */
export const EX_OK = 0;
export const EX_DATAERR = 65;
export const EX_NOUSER = 67;
export const EX_TEMPFAIL = 75;

/** A command that ends with an exit status of its own (runCli returns it), saying why on stderr. */
export class ExitStatus extends Error {
  constructor(
    readonly exitCode: number,
    message: string,
  ) {
    super(message);
    this.name = 'ExitStatus';
  }
}

/** How much of a mail `imip receive` takes (server values: the operator's files). */
interface ReceiveBounds {
  maxMessageBytes: number;
  maxParts: number;
}

function receiveBounds(values: ServerValues['values']): ReceiveBounds {
  return {
    maxMessageBytes: Number(values['davmesh.imip.receive.maxMessageBytes'].value),
    maxParts: Number(values['davmesh.imip.receive.maxParts'].value),
  };
}

const EXIT_FOR: Partial<Record<DomainErrorCode, number>> = {
  'bad-request': EX_DATAERR,
  forbidden: EX_DATAERR,
  'too-large': EX_DATAERR,
  'not-found': EX_NOUSER,
};

/**
 * `imip receive`: one RFC 5322 message on standard input, as an MTA pipes it (Postfix `pipe`,
 * an alias `|davmesh imip receive`); its text/calendar part (REQUEST, REPLY or CANCEL) goes to
 * the calendar service, which delivers it as scheduling between users does. `imip queue`: the
 * outgoing messages and where they stand.
 */
export function registerImipCommands(program: Command, withChannel: WithChannel, print: (line: string) => void, input: NodeJS.ReadableStream): void {
  const imip = program.command('imip').description('scheduling by e-mail (iMIP, RFC 6047) with people outside the server');

  imip
    .command('receive')
    .description(
      'deliver the iMIP message on standard input: an outside organizer\'s REQUEST or CANCEL to the users it invites, an outside attendee\'s REPLY to the organizer\'s event; exit 0 delivered, 65 bad data, 67 unknown recipient, organizer or event, 75 try again later',
    )
    .option(
      '--accept-all',
      'exit 0 for every message but one to try again later (75): for a pipe that gets a copy of all mail (recipient_bcc_maps), where a bounce would go to whoever sent it',
    )
    .action(async (opts: { acceptAll?: boolean }) => {
      /** Refused for good: a bounce (65, 67), or, with --accept-all, only a line on standard output. */
      const refuse = (exitCode: number, reason: string) => {
        if (!opts.acceptAll) throw new ExitStatus(exitCode, reason);
        print(`not applied: ${reason}`);
      };
      try {
        await withChannel(async (channel) => {
          const bounds = receiveBounds((await callAdmin(channel, ConfigServerValues, {})).values);
          const raw = await readAll(input, bounds.maxMessageBytes);
          if (!raw) return refuse(EX_DATAERR, `the message is over ${bounds.maxMessageBytes} bytes (davmesh.imip.receive.maxMessageBytes)`);
          const mail = await readImipMail(raw, bounds.maxParts);
          if (!mail.ical) return refuse(EX_DATAERR, mail.problem);
          if (!mail.from) return refuse(EX_DATAERR, 'the message has no From address');
          if (Buffer.byteLength(mail.ical) > IMIP_MAX_ICAL_BYTES) return refuse(EX_DATAERR, `the calendar part is over ${IMIP_MAX_ICAL_BYTES} bytes`);
          const received = await callAdmin(channel, ImipReceive, { from: mail.from, ical: mail.ical });
          for (const line of deliveryLines(received, mail.from)) print(line);
        });
      } catch (error) {
        if (error instanceof ExitStatus) throw error;
        const exitCode = error instanceof DomainException ? (EXIT_FOR[error.code] ?? EX_TEMPFAIL) : EX_TEMPFAIL;
        const reason = error instanceof DomainException ? `${error.code}: ${error.message}` : (error as Error).message;
        // No bus, no database, no server: the MTA keeps the message and tries again.
        if (exitCode === EX_TEMPFAIL) throw new ExitStatus(EX_TEMPFAIL, reason);
        refuse(exitCode, reason);
      }
    });

  imip
    .command('queue')
    .description('the outgoing iMIP messages: id, state, SCHEDULE-STATUS, attempts, method, recipient, next attempt or end, last answer')
    .option('--state <state>', `only messages in one state: ${IMIP_STATES.join(', ')}`)
    .option('--limit <n>', 'at most this many, oldest first', '100')
    .action((opts: { state?: string; limit: string }) => {
      if (opts.state !== undefined && !IMIP_STATES.includes(opts.state as ImipState)) {
        throw new UsageError(`--state is one of ${IMIP_STATES.join(', ')}, not "${opts.state}"`);
      }
      const limit = Number(opts.limit);
      if (!Number.isInteger(limit) || limit < 1) throw new UsageError(`--limit "${opts.limit}" is not a positive whole number`);
      return withChannel(async (channel) => {
        let after: string | undefined;
        for (let left = limit; left > 0; ) {
          const page = await callAdmin(channel, ImipOutgoingList, { state: opts.state as ImipState | undefined, after, limit: Math.min(left, 500) });
          for (const m of page.messages) {
            print([m.messageId, m.state, m.scheduleStatus, m.attempts, m.method, m.to, m.nextAttemptAt ?? m.finishedAt ?? '-', m.lastResponse ?? ''].join('\t'));
          }
          left -= page.messages.length;
          if (!page.nextCursor || page.messages.length === 0) break;
          after = page.nextCursor;
        }
      });
    });
}

/** All of `input`, or undefined when it is over `maxBytes`. */
async function readAll(input: NodeJS.ReadableStream, maxBytes: number): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of input) {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    size += buffer.length;
    if (size > maxBytes) return undefined;
    chunks.push(buffer);
  }
  return Buffer.concat(chunks);
}

/** One line per recipient: what became of the message in their calendar. */
function deliveryLines(received: ImipReceived, from: string): string[] {
  return received.deliveries.map((d) => {
    const where = d.copy ? ` (${d.copy.name} in calendar ${d.copy.folderId})` : '';
    return `${d.outcome}: ${received.method} ${received.uid} from ${from} to user ${d.userId}${where}`;
  });
}

const CALENDAR_TYPES = ['text/calendar', 'application/ics'];

/**
 * The From address and the first calendar part (text/calendar, else an .ics attachment) whose
 * METHOD is one the server takes; `problem` says why there is none. A mail of more than
 * `maxParts` MIME parts is refused as the parser reaches the next. mailparser loads here, not
 * with the CLI: it takes most of a second.
 */
export async function readImipMail(raw: Buffer, maxParts: number): Promise<{ from?: string; ical?: string; problem: string }> {
  const { simpleParser } = await import('mailparser');
  let parsed: Awaited<ReturnType<typeof simpleParser>>;
  try {
    parsed = await simpleParser(raw, { maxChildNodes: maxParts });
  } catch (error) {
    const tooMany = (error as { code?: string }).code === 'EMAXLEN';
    return { problem: tooMany ? `the message has more than ${maxParts} MIME parts (davmesh.imip.receive.maxParts)` : `the message cannot be read: ${(error as Error).message}` };
  }
  const from = parsed.from?.value.find((a) => a.address)?.address;
  const parts = parsed.attachments
    .filter((a) => CALENDAR_TYPES.includes(a.contentType.toLowerCase()))
    .sort((a, b) => CALENDAR_TYPES.indexOf(a.contentType.toLowerCase()) - CALENDAR_TYPES.indexOf(b.contentType.toLowerCase()));
  if (parts.length === 0) return { from, problem: 'the message has no calendar part (text/calendar)' };
  const texts = parts.map((part) => decode(part.content, (part.headers.get('content-type') as { params?: Record<string, string> } | undefined)?.params?.charset));
  const ical = texts.find((text) => (IMIP_RECEIVED_METHODS as readonly string[]).includes(methodOf(text)));
  if (!ical) return { from, problem: `the calendar part is an iTIP ${methodOf(texts[0]) || 'message without METHOD'}, not one of ${IMIP_RECEIVED_METHODS.join(', ')}` };
  return { from, ical, problem: '' };
}

function decode(content: Buffer, charset = 'utf-8'): string {
  try {
    return new TextDecoder(charset).decode(content);
  } catch {
    return content.toString('utf8');
  }
}

function methodOf(ical: string): string {
  return /^METHOD:([^\r\n]*)/im.exec(ical.replace(/\r?\n[ \t]/g, ''))?.[1].trim().toUpperCase() ?? '';
}
