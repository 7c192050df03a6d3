import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ELONGATION, normalizeText, PLACEHOLDER, squeezeElongations, TOKEN, tokenize } from './normalize.ts';

/** Texts that stress the scans: every BMP code point and a sample of astral ones, in the contexts of each rule. */
function probes(): string[] {
  const texts: string[] = [];
  for (let c = 0; c < 0x10000; c++) {
    const ch = String.fromCharCode(c);
    texts.push(`a${ch}b ${ch}${ch}${ch} #${ch}x <${ch}> :${ch}) :d${ch} :-p${ch} ;oo${ch} ^${ch}^ :${ch}`);
  }
  for (let c = 0x10000; c < 0x110000; c += 97) {
    const ch = String.fromCodePoint(c);
    texts.push(`a${ch}b ${ch}${ch}${ch} #${ch}x ${ch}`);
  }
  // Seeded random strings over the characters the rules care about.
  const alphabet = [...'aAzZ09 .,:;=!?#@_-\'’()<>/\tÄößẞéñΣς😂👍🏽€©İ\u0301\n\r', '\ud83d', '\ude02', 'www.', 'https://', '<url>', ':-)', ":'(",
    ...'dDpPoO3^*&', ':D', ':d', ':-p', ';o', ':*', '^_^', '<3', '</3', ':3', '&lt;', '&amp;', '&#39;'];
  let seed = 2026;
  const next = (): number => ((seed = (Math.imul(seed ^ (seed >>> 15), 0x2c1b3c6d) + 0x9e3779b9) | 0) >>> 0) / 2 ** 32;
  for (let i = 0; i < 5000; i++) {
    let t = '';
    for (let j = Math.floor(next() * 60); j > 0; j--) t += alphabet[Math.floor(next() * alphabet.length)] as string;
    texts.push(t);
  }
  // Few distinct characters, so that runs (elongations) are frequent.
  const runs = ['a', 'b', 'o', '!', '\n', ' ', '😂', '\ud83d', '\ude02', 'é'];
  for (let i = 0; i < 5000; i++) {
    let t = '';
    for (let j = Math.floor(next() * 30); j > 0; j--) t += runs[Math.floor(next() * runs.length)] as string;
    texts.push(t);
  }
  return texts;
}

test('the hand-written scans give exactly what the TOKEN and ELONGATION expressions give', () => {
  for (const text of probes()) {
    assert.deepEqual(tokenize(text), text.match(TOKEN) ?? [], JSON.stringify(text));
    const normalized = normalizeText(text);
    assert.deepEqual(tokenize(normalized), normalized.match(TOKEN) ?? [], JSON.stringify(text));
    assert.equal(squeezeElongations(text), text.replace(ELONGATION, '$1$1'), JSON.stringify(text));
  }
});

test('elongations of emoji and letters are squeezed, line breaks are not', () => {
  assert.equal(squeezeElongations('sooooo 😂😂😂😂 !!!\n\n\n'), 'soo 😂😂 !!\n\n\n');
  assert.deepEqual(tokenize(normalizeText('Soooo GOOD :-) ;p =D #Fail <3')), ['soo', 'good', ':-)', ';p', '=d', '#fail', PLACEHOLDER.heart]);
});

const tokens = (text: string): string[] => tokenize(normalizeText(text));

test('emoticons are tokens in any case, also after lower-casing', () => {
  assert.deepEqual(tokens('Great :D'), ['great', ':d']);
  assert.deepEqual(tokens(';D =D :-D :P :-p :O :o :( :\'( :-) :*'), [';d', '=d', ':-d', ':p', ':-p', ':o', ':o', ':(', ":'(", ':-)', ':*']);
  assert.deepEqual(tokens('haha :DDDD'), ['haha', ':dd']);
  assert.deepEqual(tokens('^^ nice ^_^'), ['^^', 'nice', '^_^']);
  // A letter mouth followed by a letter is not an emoticon: "Re:Delay", "note:Please".
  assert.deepEqual(tokens('Re:Delay note:Please'), ['re', 'delay', 'note', 'please']);
});

test('hearts and ":3" are placeholders, numbers next to them stay numbers', () => {
  assert.deepEqual(tokens('I <3 it'), ['i', PLACEHOLDER.heart, 'it']);
  assert.deepEqual(tokens('I <333 it</3'), ['i', PLACEHOLDER.heart, 'it', PLACEHOLDER.brokenHeart]);
  assert.deepEqual(tokens('so cute :3'), ['so', 'cute', PLACEHOLDER.catFace]);
  assert.deepEqual(tokens('3 hours'), [PLACEHOLDER.num, 'hours']);
  assert.deepEqual(tokens('waited <30 min, <3.5 h, at 10:30'), ['waited', PLACEHOLDER.num, 'min', PLACEHOLDER.num, 'h', 'at', PLACEHOLDER.num]);
});

test('HTML entities from feeds are decoded before anything else', () => {
  assert.deepEqual(tokens('I &lt;3 Q&amp;A, &quot;fine&quot; &gt;:('), ['i', PLACEHOLDER.heart, 'q', 'a', 'fine', ':(']);
  assert.deepEqual(tokens('don&#39;t, can&apos;t'), ["don't", "can't"]);
  // One pass: a doubly escaped entity is decoded once.
  assert.equal(normalizeText('&amp;lt;3'), '&lt; <num> ');
  assert.equal(normalizeText('https://x.example/?a=1&amp;b=2 ok'), ' <url>  ok');
});
