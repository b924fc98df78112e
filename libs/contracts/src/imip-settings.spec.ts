import { emailOfCalendarAddress, parseSmtpUrl, redactSmtpUrl } from './imip-settings';

describe('iMIP settings and addresses', () => {
  it('reads a relay URL: scheme, host, port by default, a percent-encoded login', () => {
    expect(parseSmtpUrl('smtp://mail.example.org')).toEqual({ secure: false, host: 'mail.example.org', port: 25 });
    expect(parseSmtpUrl('smtps://mail.example.org')).toEqual({ secure: true, host: 'mail.example.org', port: 465 });
    expect(parseSmtpUrl('smtp://cal%40example.org:p%3Ass@[::1]:587')).toEqual({
      secure: false,
      host: '::1',
      port: 587,
      auth: { user: 'cal@example.org', pass: 'p:ss' },
    });
    expect(parseSmtpUrl('  ')).toBeUndefined();
    expect(() => parseSmtpUrl('smtp://mail.example.org/path')).toThrow(/no path/);
    expect(() => parseSmtpUrl('mail.example.org:25')).toThrow(SyntaxError);
    expect(redactSmtpUrl('smtps://user:secret@mail.example.org')).toBe('smtps://user:***@mail.example.org');
  });

  it('takes the e-mail address out of a calendar user address, or nothing when it is none', () => {
    expect(emailOfCalendarAddress('MAILTO:Bob@Partner.Example')).toBe('bob@partner.example');
    expect(emailOfCalendarAddress('mailto:bob%2Bcal@partner.example?subject=x')).toBe('bob+cal@partner.example');
    expect(emailOfCalendarAddress('bob@partner.example')).toBe('bob@partner.example');
    expect(emailOfCalendarAddress('urn:uuid:6f1c4e0e-0000-4000-8000-000000000000')).toBeUndefined();
    expect(emailOfCalendarAddress('/dav/principals/users/7/')).toBeUndefined();
    expect(emailOfCalendarAddress('mailto:not an address')).toBeUndefined();
  });
});
