import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { dropBlockquotes, stripQuotedText } from './quote-strip.ts';

const strip = (lines: string[]) => stripQuotedText(lines.join('\n'));

describe('stripQuotedText', () => {
  it('cuts an English attribution, also when Gmail wraps it over two lines', () => {
    const r = strip(['The app crashes at checkout.', '', 'On Mon, 2 Nov 2026 at 18:02, Acme Support <', 'support@example.test> wrote:', '', '> Did you try again?']);
    assert.deepEqual(r, { text: 'The app crashes at checkout.', stripped: true });
  });

  it('cuts German, Spanish and French attributions', () => {
    const cases: [string, string][] = [
      ['Am 03.11.2026 um 17:40 schrieb Acme <support@example.test>:', 'Das Paket fehlt immer noch.'],
      ['Jürgen Müller <jm@example.de> schrieb am Di., 3. Nov. 2026, 17:40:', 'Das Paket fehlt immer noch.'],
      ['El 5 nov 2026, a las 18:22, Acme Soporte <support@example.test> escribió:', 'Sigue sin funcionar.'],
      ['Le jeu. 5 nov. 2026 à 18:22, Acme <support@example.test> a écrit :', 'Toujours en panne.'],
    ];
    for (const [attribution, body] of cases) {
      assert.equal(strip([body, '', attribution, '> quoted', '> more']).text, body, attribution);
    }
  });

  it('cuts unmarked history after an attribution (an HTML quote that lost its blockquote)', () => {
    assert.equal(strip(['Thanks, solved!', 'On Fri, Nov 6, 2026 at 3:14 PM Acme <s@example.test> wrote:', 'We refunded you.']).text, 'Thanks, solved!');
  });

  it('keeps inline answers and drops only what they quote', () => {
    const r = strip(['On 6 Nov 2026, Acme <s@example.test> wrote:', '> Which model do you have?', 'The X200.', '> And the firmware?', 'Version 2.1, still broken.']);
    assert.equal(r.text, 'The X200.\nVersion 2.1, still broken.');
  });

  it('cuts Outlook history: separator line, or a From/Sent/To/Subject block (also in German, after underscores)', () => {
    assert.equal(strip(['Still broken.', '', '-----Original Message-----', 'From: Acme', 'Sent: Thursday', 'Please update.']).text, 'Still broken.');
    assert.equal(strip(['Noch immer defekt.', '', '-----Ursprüngliche Nachricht-----', 'Von: Acme']).text, 'Noch immer defekt.');
    const block = ['Noch immer defekt.', '', '________________________________', 'Von: Acme Kundenservice <support@example.test>', 'Gesendet: Donnerstag, 5. November 2026 16:02', 'An: Jürgen Müller', 'Betreff: Ticket 553', '', 'Bitte aktualisieren Sie.'];
    assert.equal(strip(block).text, 'Noch immer defekt.');
    assert.equal(strip(['Still broken.', '*From:* Acme <s@example.test>', '*Sent:* Thursday', '*To:* Sam', '*Subject:* Ticket']).text, 'Still broken.');
  });

  it('drops `>` quoted lines anywhere', () => {
    assert.equal(strip(['> you said', 'I did not.', '>> earlier']).text, 'I did not.');
  });

  it('drops a short signature after "-- " and a trailing mobile sign-off, keeps a long block after "--"', () => {
    assert.equal(strip(['Refund please.', '', '-- ', 'Jane Doe', 'ACME Corp']).text, 'Refund please.');
    assert.equal(strip(['Refund please.', '--', 'Jane']).text, 'Refund please.');
    assert.equal(strip(['La app no funciona.', '', 'Enviado desde mi iPhone']).text, 'La app no funciona.');
    assert.equal(strip(['Geht nicht.', 'Von meinem iPhone gesendet']).text, 'Geht nicht.');
    const long = ['Intro', '--', ...Array.from({ length: 15 }, (_, i) => `line ${i}`)];
    assert.equal(strip(long).text, long.join('\n'));
  });

  it('keeps a forwarded message and text that only looks like an attribution', () => {
    const fwd = ['See below, this is what your shop sent me.', '', '---------- Forwarded message ---------', 'From: Shop <shop@example.test>', 'Date: Mon, 2 Nov 2026', 'Subject: Order', 'To: me@example.net', '', 'Your order is cancelled.'];
    assert.deepEqual(strip(fwd), { text: fwd.join('\n'), stripped: false });
    const talk = ['On Monday I wrote:', 'please call me back.'];
    assert.equal(strip(talk).text, talk.join('\n'));
  });

  it('returns the whole text when nothing but quotes is left, and normalises line ends', () => {
    assert.deepEqual(stripQuotedText('> only a quote\r\n> here'), { text: '> only a quote\n> here', stripped: false });
    assert.deepEqual(stripQuotedText('Plain\r\n\r\n\r\n\r\ntext\r\n'), { text: 'Plain\n\ntext', stripped: false });
  });
});

describe('dropBlockquotes', () => {
  it('drops nested blockquotes with their content and keeps the rest', () => {
    assert.equal(dropBlockquotes('<p>new</p><blockquote type="cite">old<blockquote>older</blockquote>still old</blockquote><p>after</p>'), '<p>new</p><p>after</p>');
    assert.equal(dropBlockquotes('a<BLOCKQUOTE>never closed'), 'a');
    assert.equal(dropBlockquotes('no quotes'), 'no quotes');
  });
});
