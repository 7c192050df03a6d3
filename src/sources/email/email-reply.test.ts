import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { AppError } from '../../lib/errors.ts';
import { replySubject, replyThreading, sendEmailReply } from './email-reply.ts';
import type { SmtpSettings } from './email-settings.ts';
import { guardFromPolicy } from './host-guard.ts';

interface Captured {
  from: string;
  to: string[];
  auth: { username?: string; password?: string } | null;
  mail: ParsedMail;
}

describe('e-mail reply', () => {
  const captured: Captured[] = [];
  let server: SMTPServer;
  let smtp: SmtpSettings;

  before(async () => {
    server = new SMTPServer({
      authOptional: true,
      allowInsecureAuth: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onAuth(auth, _session, callback) {
        callback(null, { user: { username: auth.username, password: auth.password } });
      },
      onData(stream, session, callback) {
        simpleParser(stream).then(
          (mail) => {
            const from = session.envelope.mailFrom ? session.envelope.mailFrom.address : '';
            captured.push({ from, to: session.envelope.rcptTo.map((r) => r.address), auth: (session.user as Captured['auth']) ?? null, mail });
            callback();
          },
          (err: Error) => callback(err),
        );
      },
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = (server as unknown as { server: { address(): AddressInfo } }).server.address();
    smtp = { host: '127.0.0.1', port, secure: false, starttls: 'off', user: 'support@example.test', password: 's3cret', timeoutSeconds: 5 };
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('sends a threaded reply: In-Reply-To, References chain, one "Re:", credentials used', async () => {
    const sent = await sendEmailReply(smtp, {
      from: { address: 'support@example.test', name: 'Acme Support' },
      to: { address: 'jane.doe@example.net', name: 'Jane Doe' },
      subject: 'Re: Your order #10293 has shipped',
      text: 'Hi Jane, we have refunded the double charge.',
      inReplyTo: '<CAF3k9x-0001@mail.example.net>',
      references: ['<order-10293-shipped@notify.acme.example>'],
    });
    const got = captured.at(-1)!;
    assert.equal(got.mail.inReplyTo, '<CAF3k9x-0001@mail.example.net>');
    assert.deepEqual(got.mail.references, ['<order-10293-shipped@notify.acme.example>', '<CAF3k9x-0001@mail.example.net>']);
    assert.equal(got.mail.subject, 'Re: Your order #10293 has shipped');
    assert.equal(got.mail.messageId, sent.messageId);
    assert.match(sent.messageId, /^<[0-9a-f-]{36}@example\.test>$/);
    assert.equal(got.mail.text?.trim(), 'Hi Jane, we have refunded the double charge.');
    assert.equal(got.mail.from?.text, '"Acme Support" <support@example.test>');
    assert.deepEqual(got.to, ['jane.doe@example.net']);
    assert.deepEqual(got.auth, { username: 'support@example.test', password: 's3cret' });
    assert.deepEqual(sent.accepted, ['jane.doe@example.net']);
  });

  it('answers a first message (no References) and folds localized reply prefixes', async () => {
    const sent = await sendEmailReply({ ...smtp, user: undefined }, {
      from: 'support@example.test',
      to: 'juergen.mueller@example.de',
      subject: 'AW: Re: Ihre Bestellung 4711',
      text: 'Guten Tag Herr Müller, die Erstattung ist unterwegs.',
      inReplyTo: 'de-4711-2@mail.example.de',
    });
    const got = captured.at(-1)!;
    assert.equal(got.mail.subject, 'Re: Ihre Bestellung 4711');
    assert.equal(got.mail.inReplyTo, '<de-4711-2@mail.example.de>');
    assert.equal(got.mail.references, '<de-4711-2@mail.example.de>');
    assert.equal(got.mail.text?.trim(), 'Guten Tag Herr Müller, die Erstattung ist unterwegs.');
    assert.equal(got.auth, null);
    assert.deepEqual(sent.references, ['<de-4711-2@mail.example.de>']);
  });

  it('reports an unreachable server and a refused host with the host named', async () => {
    await assert.rejects(sendEmailReply({ ...smtp, port: 1 }, { from: 'a@example.test', to: 'b@example.net', subject: 's', text: 't', inReplyTo: '<x@y>' }), /^Error: could not send the reply through SMTP 127\.0\.0\.1:1: ESOCKET: connect ECONNREFUSED/);
    await assert.rejects(
      sendEmailReply(smtp, { from: 'a@example.test', to: 'b@example.net', subject: 's', text: 't', inReplyTo: '<x@y>' }, { guard: guardFromPolicy([]) }),
      (e) => e instanceof AppError && e.code === 'fetch_refused',
    );
  });
});

describe('reply headers', () => {
  it('puts exactly one "Re: " in front', () => {
    assert.equal(replySubject('Your order'), 'Re: Your order');
    assert.equal(replySubject('Re: Your order'), 'Re: Your order');
    assert.equal(replySubject('RE: re: Your order'), 'Re: Your order');
    assert.equal(replySubject('AW: SV: Antw: Re[2]: Bestellung'), 'Re: Bestellung');
    assert.equal(replySubject('Fwd: Invoice'), 'Re: Fwd: Invoice');
    assert.equal(replySubject('Regarding: contract'), 'Re: Regarding: contract');
    assert.equal(replySubject('  '), 'Re:');
  });

  it('builds References as the parent chain plus the parent, without repeats, bounded', () => {
    assert.deepEqual(replyThreading('<p@x>', ['<a@x> <b@x>', '<p@x>']), { inReplyTo: '<p@x>', references: ['<a@x>', '<b@x>', '<p@x>'] });
    const long = Array.from({ length: 30 }, (_, i) => `<m${i}@x>`);
    const { references } = replyThreading('<p@x>', long);
    assert.equal(references.length, 20);
    assert.equal(references[0], '<m0@x>');
    assert.deepEqual(references.slice(-2), ['<m29@x>', '<p@x>']);
    assert.throws(() => replyThreading('  '), /needs the Message-ID/);
  });
});
