import { vcalendar } from '@davmesh/testing';
import { checkItipMessage, composeImipMail } from './imip-mail';

const REPLY = vcalendar(
  'METHOD:REPLY',
  'BEGIN:VEVENT',
  'UID:lunch-1',
  'DTSTAMP:20260101T000000Z',
  'DTSTART;TZID=Europe/Berlin:20260302T120000',
  'SUMMARY:Lunch',
  'ORGANIZER;CN=Olaf Outside:mailto:olaf@partner.example',
  'ATTENDEE;CN=Anna Insider;PARTSTAT=DECLINED:mailto:anna@example.org',
  'END:VEVENT',
);
const reply = { from: 'anna@example.org', to: 'olaf@partner.example', method: 'REPLY' as const, ical: REPLY, messageId: '<m1@example.org>' };

describe('iMIP mail headers (RFC 6047, RFC 5322 3.6.2)', () => {
  it('writes a REPLY from the attendee to the organizer, the subject from her PARTSTAT and the SUMMARY', () => {
    const mail = composeImipMail(reply, { fromHeader: 'calendar-user' });
    expect(mail).toMatchObject({
      from: { name: 'Anna Insider', address: 'anna@example.org' },
      to: { name: 'Olaf Outside', address: 'olaf@partner.example' },
      subject: 'Declined: Lunch',
      envelope: { from: 'anna@example.org', to: ['olaf@partner.example'] },
      messageId: '<m1@example.org>',
      alternatives: [{ contentType: 'text/calendar; method=REPLY; charset=UTF-8', content: REPLY }],
      attachments: [{ filename: 'reply.ics', contentType: 'application/ics', content: REPLY }],
    });
    expect(mail).not.toHaveProperty('sender');
    expect(mail.text).toContain('Anna Insider answered "Lunch": declined.');
    expect(mail.text).toContain('When: 2026-03-02 12:00 (Europe/Berlin)');
  });

  it('with fromHeader=sender, writes the server\'s address in From (with her name) and her address in Reply-To', () => {
    const mail = composeImipMail(reply, { fromHeader: 'sender', sender: 'calendar@example.org' });
    expect(mail).toMatchObject({
      from: { name: 'Anna Insider', address: 'calendar@example.org' },
      replyTo: { name: 'Anna Insider', address: 'anna@example.org' },
      envelope: { from: 'calendar@example.org' },
    });
    expect(mail).not.toHaveProperty('sender');
  });

  it('checks the METHOD before a message is queued', () => {
    expect(() => checkItipMessage(REPLY, 'REPLY')).not.toThrow();
    expect(() => checkItipMessage(REPLY, 'REQUEST')).toThrow('METHOD is REPLY, not REQUEST');
    expect(() => checkItipMessage(REPLY.replace('METHOD:REPLY\r\n', ''), 'REPLY')).toThrow('METHOD is missing, not REPLY');
  });
});
