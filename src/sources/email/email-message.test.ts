import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { normalizeItem } from '../../pipeline/normalize.ts';
import type { SourceItem, SourceReject } from '../../pipeline/source.ts';
import { classifyAutomated } from './automated.ts';
import { normalizeId, toMessageOutcome, type MessageOutcome } from './email-message.ts';

const FIXTURES = path.resolve(import.meta.dirname, '../../../test/fixtures/email');
const ARRIVED = new Date('2026-11-20T00:00:00Z');

async function outcome(name: string): Promise<MessageOutcome> {
  return toMessageOutcome(fs.readFileSync(path.join(FIXTURES, name)), { uid: 7, internalDate: ARRIVED });
}
async function item(name: string): Promise<SourceItem> {
  const o = await outcome(name);
  assert.equal(o.kind, 'item', name);
  return (o as { item: SourceItem }).item;
}

describe('e-mail message mapping', () => {
  it('maps a customer reply: ids, thread, author, subject, date, stripped text with the full text kept', async () => {
    const m = await item('customer_complaint_thread_1.eml');
    assert.equal(m.externalId, '<CAF3k9x-0001@mail.example.net>');
    assert.equal(m.parentExternalId, '<order-10293-shipped@notify.acme.example>');
    assert.deepEqual(m.extra?.references, ['<order-10293-shipped@notify.acme.example>']);
    assert.deepEqual(m.author, { handle: 'jane.doe@example.net', name: 'Jane Doe' });
    assert.equal(m.title, 'Re: Your order #10293 has shipped');
    assert.equal(m.publishedAt, '2026-11-03T09:14:07.000Z');
    assert.equal(m.channel, 'email');
    assert.equal(m.url, null);
    assert.match(m.text, /charged twice for this order \(2 x €49\.90\)/);
    assert.doesNotMatch(m.text, /wrote:|Good news/);
    assert.match(String(m.extra?.fullText), /> Good news! Your order #10293 has shipped\./);
    assert.equal(m.extra?.imapUid, 7);
  });

  it('decodes windows-1252 (bytes 0x80–0x9F: € „ “ –) and strips a German reply and signature', async () => {
    const m = await item('de_reply_windows1252.eml');
    assert.equal(m.text, 'Guten Tag,\n\ndie Lieferung ist immer noch nicht da und Sie haben mir 59,90 € abgebucht. „In Kürze“ reicht mir nicht – ich möchte mein Geld zurück.\n\nMit freundlichen Grüßen\nJürgen Müller');
    assert.deepEqual(m.author, { handle: 'juergen.mueller@example.de', name: 'Jürgen Müller' });
    assert.equal(m.lang, 'de');
    assert.equal(m.parentExternalId, '<de-4711-1@support.example.test>', 'In-Reply-To wins over the last References id');
    assert.deepEqual(m.extra?.references, ['<de-4711-0@mail.example.de>', '<de-4711-1@support.example.test>']);
  });

  it('strips a Spanish reply with "Enviado desde mi iPhone" and an Outlook "Original Message"', async () => {
    assert.equal((await item('es_reply_iphone.eml')).text, 'La aplicación se cierra cada vez que intento pagar. Es la tercera vez que os escribo.');
    const outlook = await item('en_outlook_original_message.eml');
    assert.equal(outlook.text, 'Still broken after the firmware update. I want a replacement.\n\nSam');
    assert.equal(outlook.parentExternalId, null);
  });

  it('reads an HTML-only message as plain text without its blockquoted history', async () => {
    const m = await item('en_html_blockquote.eml');
    assert.equal(m.text, 'Thanks – the refund arrived. Great service!');
    assert.match(String(m.extra?.fullText), /This is a scam/);
  });

  it('keeps a message without Message-ID under a content hash, dated by its arrival', async () => {
    const m = await item('mailparser_nested.eml');
    assert.match(m.externalId, /^no-message-id:[0-9a-f]{40}$/);
    assert.equal(m.publishedAt, ARRIVED.toISOString());
    assert.equal(m.text, 'Dear Sir,\n\nGood evening.\n\nThe footer');
    assert.equal(m.extra?.fullText, undefined, 'nothing was stripped, so no second copy');
    assert.equal((await item('mailparser_nested.eml')).externalId, m.externalId);
  });

  it('reads a real Gmail-delivered message', async () => {
    const m = await item('mailparser_nodemailer.eml');
    assert.equal(m.externalId, '<012d606e-3550-2d94-b566-6cd996de88e3@kreata.ee>');
    assert.equal(m.title, 'Nodemailer is unicode friendly ✔ (1476358788189)');
    assert.equal(m.text, 'Hello to myself!');
  });

  it('keeps an oversized message within the pipeline limits instead of losing it', async () => {
    const refs = Array.from({ length: 40 }, (_, i) => `<${'r'.repeat(200)}${i}@x.example>`).join(' ');
    const raw = [
      'From: Big Sender <big@example.net>',
      `Subject: ${'long subject '.repeat(250)}`,
      `Message-ID: <${'m'.repeat(600)}@example.net>`,
      `In-Reply-To: <${'p'.repeat(300)}@example.net>`,
      `References: ${refs}`,
      'Content-Type: text/plain; charset=utf-8',
      '',
      `${'"quoted" words '.repeat(8000)}\n\nOn Mon, 2 Nov 2026 at 18:02, Acme <s@example.test> wrote:\n> earlier`,
    ].join('\r\n');
    const m = await toMessageOutcome(Buffer.from(raw), { uid: 1 });
    assert.equal(m.kind, 'item');
    const it = (m as { item: SourceItem }).item;
    assert.match(it.externalId, /^no-message-id:/, 'a 600-character Message-ID is over the id limit');
    assert.equal(it.title!.length, 2000);
    assert.equal(it.text.length, 100_000);
    assert.equal(it.extra?.truncated, true);
    assert.equal(it.extra?.fullText, undefined, 'too large to keep a second copy');
    assert.equal((it.extra?.references as string[]).length, 20);
    assert.equal(it.parentExternalId, (it.extra?.references as string[]).at(-1), 'the over-long In-Reply-To is ignored');
    assert.doesNotThrow(() => normalizeItem(it, 'email', Date.now()));
  });

  it('skips auto-replies and bounces with the reason', async () => {
    const expected: [string, string, RegExp][] = [
      ['auto_reply_out_of_office.eml', 'auto-reply', /Auto-Submitted: auto-replied/],
      ['auto_reply_precedence.eml', 'auto-reply', /precedence: auto_reply/],
      ['mailparser_delivery-status.eml', 'bounce', /multipart\/report; report-type=delivery-status/],
    ];
    for (const [name, kind, reason] of expected) {
      const o = await outcome(name);
      assert.equal(o.kind, 'skipped', name);
      if (o.kind !== 'skipped') continue;
      assert.equal(o.automated.kind, kind, name);
      assert.match(o.automated.reason, reason, name);
    }
  });

  it('rejects what cannot be attributed, keeping the raw message for the dead letter', async () => {
    for (const name of ['malformed_not_an_email.eml', 'mailparser_mixed.eml']) {
      const o = await outcome(name);
      assert.equal(o.kind, 'reject', name);
      const reject = (o as { reject: SourceReject }).reject;
      assert.match(reject.error, /no From address/);
      assert.equal((reject.payload as { imapUid: number }).imapUid, 7);
      assert.match((reject.payload as { source: string }).source, name.startsWith('malformed') ? /^this is not an e-mail/ : /Good Morning/);
    }
    const empty = await toMessageOutcome(Buffer.from('From: a@example.net\r\nMessage-ID: <e@x>\r\n\r\n'), { uid: 1 });
    assert.equal(empty.kind, 'reject');
    assert.match((empty as { reject: SourceReject }).reject.error, /neither a subject nor any text/);
    assert.equal((empty as { reject: SourceReject }).reject.externalId, '<e@x>');
  });
});

describe('automated-message rules', () => {
  const headers = (h: Record<string, string>) => (name: string) => h[name] ?? null;

  it('reads each signal', () => {
    assert.equal(classifyAutomated(headers({ 'auto-submitted': 'no' }), 'a@b.c'), null);
    assert.equal(classifyAutomated(headers({ 'auto-submitted': 'auto-generated' }), 'a@b.c')?.kind, 'auto-reply');
    assert.equal(classifyAutomated(headers({ 'x-autoreply': 'yes' }), 'a@b.c')?.kind, 'auto-reply');
    assert.equal(classifyAutomated(headers({ precedence: 'bulk' }), 'a@b.c')?.kind, 'auto-reply');
    assert.equal(classifyAutomated(headers({ precedence: 'list' }), 'a@b.c'), null, 'a mailing-list post is written by a person');
    assert.equal(classifyAutomated(headers({ 'x-failed-recipients': 'x@y.z' }), 'a@b.c')?.kind, 'bounce');
    assert.equal(classifyAutomated(headers({ 'content-type': 'multipart/report; report-type=disposition-notification' }), 'a@b.c')?.kind, 'auto-reply');
    assert.equal(classifyAutomated(headers({}), 'MAILER-DAEMON@mx.example')?.kind, 'bounce');
    assert.equal(classifyAutomated(headers({ 'return-path': '<>' }), 'a@b.c')?.kind, 'bounce');
    assert.equal(classifyAutomated(headers({ subject: 'Automatic reply: Your order' }), 'a@b.c')?.kind, 'auto-reply');
    assert.equal(classifyAutomated(headers({ subject: 'Re: Automatic reply: Your order' }), 'a@b.c'), null, 'a person answering one');
  });

  it('normalises message ids to the bracketed form', () => {
    assert.equal(normalizeId('abc@x'), '<abc@x>');
    assert.equal(normalizeId(' <abc@x> '), '<abc@x>');
    assert.equal(normalizeId(''), null);
    assert.equal(normalizeId(undefined), null);
  });
});
