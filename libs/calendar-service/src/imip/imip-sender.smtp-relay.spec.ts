import { type DynamicModule } from '@nestjs/common';
import { type PGlite } from '@electric-sql/pglite';
import {
  ImipEnqueue,
  ImipOutgoingChanged,
  ImipOutgoingList,
  type ImipMessageStatus,
  type ImipOutgoingMessage,
  type ImipState,
} from '@davmesh/contracts';
import { openMigratedPGlite, startServiceHarness, type MigratedDatabase, type ServiceHarness } from '@davmesh/service-testing';
import { type StorageTarget } from '@davmesh/storage';
import {
  createTestDatabase,
  describeWithInfrastructure,
  eventually,
  mimeStructure,
  startSmtpRelay,
  TestPki,
  vcalendar,
  type TestDatabase,
  type TestSmtpRelay,
} from '@davmesh/testing';
import { CalendarServiceModule } from '../calendar-service.module';
import { ImipOutcomes } from './imip-queue';
import { ImipSettingsReader, type ImipSettings } from './imip-settings';

const REQUEST = vcalendar(
  'METHOD:REQUEST',
  'BEGIN:VEVENT',
  'UID:review-2026',
  'DTSTAMP:20260101T000000Z',
  'DTSTART:20260302T100000Z',
  'DTEND:20260302T110000Z',
  'SUMMARY:Quarterly review',
  'LOCATION:Room 4',
  'ORGANIZER;CN=Anna Organizer:mailto:anna@example.org',
  'ATTENDEE;CN=Anna Organizer;PARTSTAT=ACCEPTED:mailto:anna@example.org',
  'ATTENDEE;CN=Bob External;PARTSTAT=NEEDS-ACTION;RSVP=TRUE:mailto:bob@partner.example',
  'END:VEVENT',
);

const invitation = (to: string, extra: Partial<ImipOutgoingMessage> = {}): ImipOutgoingMessage => ({
  from: 'mailto:anna@example.org',
  to,
  method: 'REQUEST',
  ical: REQUEST,
  reference: { ownerUserId: 3, uid: 'review-2026', recipient: to },
  ...extra,
});

/** The calendar service with its iMIP settings given by the spec instead of the config service. */
function calendarWith(settings: { current: ImipSettings }) {
  return (storage: StorageTarget): DynamicModule => {
    const module = CalendarServiceModule.register(storage);
    const providers = (module.providers ?? []).filter((p) => p !== ImipSettingsReader);
    return { ...module, providers: [...providers, { provide: ImipSettingsReader, useValue: { current: async () => settings.current } }] };
  };
}

function relayed(relay: TestSmtpRelay, to: string) {
  return relay.mails.filter((m) => m.rcptTo.includes(to));
}

describe('iMIP outgoing queue: sent through a real SMTP relay', () => {
  let relay: TestSmtpRelay;
  let harness: ServiceHarness;
  const settings: { current: ImipSettings } = { current: undefined as unknown as ImipSettings };

  const status = async (messageId: string): Promise<ImipMessageStatus> => {
    const page = await harness.bus.call(ImipOutgoingList, { limit: 500 });
    return page.messages.find((m) => m.messageId === messageId)!;
  };
  const settled = async (messageId: string, state: ImipState, timeoutMs = 8000): Promise<ImipMessageStatus> => {
    let found: ImipMessageStatus | undefined;
    await eventually(async () => {
      found = await status(messageId);
      expect(found.state).toBe(state);
    }, timeoutMs);
    return found!;
  };

  beforeAll(async () => {
    relay = await startSmtpRelay();
    settings.current = {
      relay: { secure: false, host: '127.0.0.1', port: relay.port },
      requireTls: false,
      rejectUnauthorized: true,
      sender: 'calendar@example.org',
      fromHeader: 'calendar-user',
      retry: { firstDelaySeconds: 1, maxDelaySeconds: 2, giveUpHours: 1 },
    };
    harness = await startServiceHarness('calendar', calendarWith(settings));
  }, 60_000);

  afterAll(async () => {
    await harness?.close();
    await relay?.close();
  });

  it('sends an invitation as RFC 6047 has it: text and text/calendar as alternatives, the .ics attached, From the organizer, Sender and envelope the server', async () => {
    const events = harness.events(ImipOutgoingChanged.subject);
    const seen: { state: string; inTransaction: string | undefined }[] = [];
    const stop = harness.app.get(ImipOutcomes).onOutcome(async (tx, outcome) => {
      // Inside the transaction that records the attempt: it sees the row as recorded.
      seen.push({ state: outcome.state, inTransaction: (await tx.imip.find(outcome.messageId))?.state });
    });
    try {
      const queued = await harness.bus.call(ImipEnqueue, invitation('mailto:Bob@Partner.example'));
      expect(queued).toMatchObject({ state: 'queued', scheduleStatus: '1.0' });

      const sent = await settled(queued.messageId, 'sent');
      expect(sent).toMatchObject({ scheduleStatus: '1.1', attempts: 1, to: 'bob@partner.example', method: 'REQUEST', nextAttemptAt: null });
      expect(sent.reference).toEqual({ ownerUserId: 3, uid: 'review-2026', recipient: 'mailto:bob@partner.example' });
      expect(sent.lastResponse).toMatch(/^250/);
      expect(seen).toEqual([{ state: 'sent', inTransaction: 'sent' }]);
      await eventually(() => expect(events).toContainEqual(expect.objectContaining({ messageId: queued.messageId, state: 'sent', scheduleStatus: '1.1', reference: sent.reference })));

      const [mail] = relayed(relay, 'bob@partner.example');
      expect([mail.mailFrom, mail.rcptTo]).toEqual(['calendar@example.org', ['bob@partner.example']]);
      expect(mail.parsed.from?.value).toEqual([{ address: 'anna@example.org', name: 'Anna Organizer' }]);
      expect(mail.parsed.headers.get('sender')).toMatchObject({ value: [{ address: 'calendar@example.org', name: '' }] });
      expect(mail.parsed.to).toMatchObject({ value: [{ address: 'bob@partner.example', name: 'Bob External' }] });
      expect(mail.parsed.subject).toBe('Invitation: Quarterly review');
      expect(mail.parsed.messageId).toMatch(/^<[0-9a-f-]{36}@example\.org>$/);

      const tree = mimeStructure(mail.raw);
      expect(tree.type).toBe('multipart/mixed');
      expect(tree.parts.map((p) => p.type)).toEqual(['multipart/alternative', 'application/ics']);
      expect(tree.parts[0].parts.map((p) => [p.type, p.params])).toEqual([
        ['text/plain', { charset: 'utf-8' }],
        ['text/calendar', { method: 'REQUEST', charset: 'UTF-8' }],
      ]);
      expect(tree.parts[1]).toMatchObject({ disposition: 'attachment', params: { name: 'invite.ics' } });

      const [calendarPart, attached] = mail.parsed.attachments;
      expect(calendarPart.contentType).toBe('text/calendar');
      expect(calendarPart.content.toString('utf8')).toBe(REQUEST);
      expect([attached.contentType, attached.filename, attached.content.toString('utf8')]).toEqual(['application/ics', 'invite.ics', REQUEST]);
      expect(mail.parsed.text).toContain('Anna Organizer invites you to "Quarterly review".');
      expect(mail.parsed.text).toContain('When: 2026-03-02 10:00 UTC – 2026-03-02 11:00 UTC');
      expect(mail.parsed.text).toContain('Where: Room 4');
    } finally {
      stop();
    }
  });

  it('stores the attempt without a listener that fails, so the message is not sent again', async () => {
    const stop = harness.app.get(ImipOutcomes).onOutcome(async () => {
      throw new Error('a bug in the wiring');
    });
    try {
      const queued = await harness.bus.call(ImipEnqueue, invitation('mailto:hank@partner.example'));
      // Stored as sent (not left queued under its lease, to be sent again when the lease runs out).
      expect(await settled(queued.messageId, 'sent')).toMatchObject({ scheduleStatus: '1.1', attempts: 1, nextAttemptAt: null });
      expect(relay.rcptAttempts.get('hank@partner.example')).toBe(1);
    } finally {
      stop();
    }
  });

  it('tries again after a 451 and then sends the message once', async () => {
    relay.answerRcpt = (address, attempt) => (address === 'carl@partner.example' && attempt === 1 ? { code: 451, message: '4.3.0 Mailbox busy, try later' } : undefined);
    const queued = await harness.bus.call(ImipEnqueue, invitation('mailto:carl@partner.example'));

    let waiting: ImipMessageStatus | undefined;
    await eventually(async () => {
      waiting = await status(queued.messageId);
      expect(waiting.attempts).toBe(1);
    }, 8000);
    expect(waiting).toMatchObject({ state: 'queued', scheduleStatus: '1.0' });
    expect(waiting!.lastResponse).toContain('451');
    expect(waiting!.nextAttemptAt).not.toBeNull();

    const sent = await settled(queued.messageId, 'sent');
    expect(sent).toMatchObject({ scheduleStatus: '1.1', attempts: 2 });
    expect(relay.rcptAttempts.get('carl@partner.example')).toBe(2);
    expect(relayed(relay, 'carl@partner.example')).toHaveLength(1);
  });

  it('records a 5xx as refused: an unknown mailbox is 3.7, a policy refusal 5.3, and neither is tried again', async () => {
    relay.answerRcpt = (address) =>
      address === 'nobody@partner.example'
        ? { code: 550, message: '5.1.1 No such user' }
        : address === 'blocked@partner.example'
          ? { code: 550, message: '5.7.1 Relaying denied' }
          : undefined;
    const unknown = await harness.bus.call(ImipEnqueue, invitation('mailto:nobody@partner.example'));
    const blocked = await harness.bus.call(ImipEnqueue, invitation('mailto:blocked@partner.example'));

    expect(await settled(unknown.messageId, 'refused')).toMatchObject({ scheduleStatus: '3.7', attempts: 1, lastResponse: expect.stringContaining('5.1.1') });
    expect(await settled(blocked.messageId, 'refused')).toMatchObject({ scheduleStatus: '5.3', attempts: 1 });
    expect(relayed(relay, 'nobody@partner.example')).toEqual([]);
    expect(relay.rcptAttempts.get('nobody@partner.example')).toBe(1);
  });

  it('refuses at once a recipient that is no e-mail address (3.7), and a message whose METHOD is not the one named', async () => {
    const principal = await harness.bus.call(ImipEnqueue, invitation('urn:uuid:6f1c4e0e-0000-4000-8000-000000000000'));
    expect(principal).toMatchObject({ state: 'refused', scheduleStatus: '3.7' });
    expect(await status(principal.messageId)).toMatchObject({ state: 'refused', attempts: 0, lastResponse: 'not an e-mail address' });

    const mismatch = await harness.bus.request(ImipEnqueue, invitation('mailto:dora@partner.example', { method: 'CANCEL' }));
    expect(mismatch.ok ? undefined : mismatch.error).toMatchObject({ code: 'bad-request', message: expect.stringContaining('METHOD is REQUEST, not CANCEL') });
  });

  it('sends nothing without a relay: the message is kept as not-configured with 5.1', async () => {
    const configured = settings.current;
    settings.current = { ...configured, relay: undefined };
    try {
      const queued = await harness.bus.call(ImipEnqueue, invitation('mailto:erin@partner.example'));
      const kept = await settled(queued.messageId, 'not-configured');
      expect(kept).toMatchObject({ scheduleStatus: '5.1', attempts: 1, nextAttemptAt: null, lastResponse: expect.stringContaining('davmesh.imip.smtp.url') });
      expect(relay.rcptAttempts.has('erin@partner.example')).toBe(false);
    } finally {
      settings.current = configured;
    }
  });

  it('speaks TLS to an smtps:// relay: a certificate it cannot check is a temporary failure, accepted with rejectUnauthorized off', async () => {
    const pki = await TestPki.create();
    const tlsRelay = await startSmtpRelay({ tls: await pki.issue('relay', { hosts: ['127.0.0.1'] }) });
    const configured = settings.current;
    settings.current = { ...configured, relay: { secure: true, host: '127.0.0.1', port: tlsRelay.port }, retry: { ...configured.retry, firstDelaySeconds: 2 } };
    try {
      const queued = await harness.bus.call(ImipEnqueue, invitation('mailto:fred@partner.example'));
      let waiting: ImipMessageStatus | undefined;
      await eventually(async () => {
        waiting = await status(queued.messageId);
        expect(waiting.attempts).toBe(1);
      }, 8000);
      expect(waiting).toMatchObject({ state: 'queued', lastResponse: expect.stringMatching(/certificate/i) });

      settings.current = { ...settings.current, rejectUnauthorized: false };
      expect(await settled(queued.messageId, 'sent')).toMatchObject({ scheduleStatus: '1.1', attempts: 2 });
      expect(relayed(tlsRelay, 'fred@partner.example')).toHaveLength(1);
    } finally {
      settings.current = configured;
      await tlsRelay.close();
      pki.remove();
    }
  });

  it('with requireTls, does not send to a relay that offers no STARTTLS: a temporary failure', async () => {
    const configured = settings.current;
    settings.current = { ...configured, requireTls: true };
    try {
      const queued = await harness.bus.call(ImipEnqueue, invitation('mailto:gina@partner.example'));
      await eventually(async () => expect((await status(queued.messageId)).attempts).toBe(1), 8000);
      expect(await status(queued.messageId)).toMatchObject({ state: 'queued', scheduleStatus: '1.0', lastResponse: expect.stringMatching(/STARTTLS/i) });
      expect(relayed(relay, 'gina@partner.example')).toEqual([]);
    } finally {
      settings.current = configured;
    }
  });
});

/** Two calendar replicas (harnesses with a bus each) on one database, PGlite or PostgreSQL. */
function twoReplicas(name: string, openTarget: (pglite: PGlite) => Promise<{ target: StorageTarget; close(): Promise<void> }>): void {
  describe(name, () => {
    let relay: TestSmtpRelay;
    let database: MigratedDatabase;
    let storage: { target: StorageTarget; close(): Promise<void> };
    const replicas: ServiceHarness[] = [];

    beforeAll(async () => {
      relay = await startSmtpRelay();
      const settings = {
        current: {
          relay: { secure: false, host: '127.0.0.1', port: relay.port },
          requireTls: false,
          rejectUnauthorized: true,
          fromHeader: 'calendar-user',
          retry: { firstDelaySeconds: 1, maxDelaySeconds: 2, giveUpHours: 1 },
        } satisfies ImipSettings,
      };
      // The harnesses' database; unused where the replicas are given PostgreSQL.
      database = await openMigratedPGlite();
      storage = await openTarget(database.db);
      for (let i = 0; i < 2; i++) replicas.push(await startServiceHarness('calendar', () => calendarWith(settings)(storage.target), { db: database.db }));
    }, 90_000);

    afterAll(async () => {
      for (const replica of replicas) await replica.close();
      await storage?.close();
      await database?.close();
      await relay?.close();
    });

    it('sends each message once, whichever replica takes it', async () => {
      const ids: string[] = [];
      for (let i = 0; i < 24; i++) {
        const replica = replicas[i % 2];
        ids.push((await replica.bus.call(ImipEnqueue, invitation(`mailto:guest${i}@partner.example`))).messageId);
      }
      await eventually(() => expect(relay.mails).toHaveLength(24), 15_000);
      // The relay has the last mail a moment before its sender has stored the attempt.
      await eventually(async () => {
        const page = await replicas[0].bus.call(ImipOutgoingList, { state: 'sent', limit: 500 });
        expect(page.messages.map((m) => m.messageId).sort()).toEqual([...ids].sort());
      });
      expect(new Set(relay.mails.map((m) => m.parsed.messageId)).size).toBe(24);
      expect([...relay.rcptAttempts.values()].every((n) => n === 1)).toBe(true);
    });
  });
}

twoReplicas('iMIP outgoing queue: two calendar replicas on one PGlite database', async (db) => ({ target: { kind: 'pglite', db }, close: async () => undefined }));

describeWithInfrastructure('iMIP outgoing queue on PostgreSQL', () => {
  twoReplicas('two calendar replicas, each with a pool of its own', async () => {
    const database: TestDatabase = await createTestDatabase();
    return { target: { kind: 'postgres', url: database.url }, close: () => database.drop() };
  });
});
