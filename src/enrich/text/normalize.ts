/**
 * Text normalisation shared by every Earshot model. Language-agnostic on purpose: the same rules serve
 * German, Spanish, English and the other UMSAB languages, and the language is given to the models as a
 * feature instead. Emoji survive as their own tokens because they carry much of the sentiment in tweets.
 */

const URL = /(?:https?:\/\/|www\.)\S+/gu;
const HANDLE = /@[\p{L}\p{N}_]+/gu;
const NUMBER = /\d+(?:[.,:]\d+)*/gu;
// Three or more repeats of one character ("soooo", "!!!!") are squeezed to two: "soo", "!!".
const CURLY_APOSTROPHE = /’/g;
const ELONGATION = /(.)\1{2,}/gu;
const TOKEN = /#?[\p{L}\p{M}']+|<\w+>|[!?]+|\p{Extended_Pictographic}|[:;=][-']?[()DPp]/gu;

/** Placeholders that replace volatile parts of a text. */
export const PLACEHOLDER = { url: '<url>', user: '<user>', num: '<num>' } as const;

/** Lower-cases and replaces links, handles and numbers by placeholders; squeezes elongations. */
export function normalizeText(text: string): string {
  return text
    .replace(URL, ` ${PLACEHOLDER.url} `)
    .replace(HANDLE, ` ${PLACEHOLDER.user} `)
    .toLowerCase()
    .replace(CURLY_APOSTROPHE, "'")
    .replace(NUMBER, ` ${PLACEHOLDER.num} `)
    .replace(ELONGATION, '$1$1');
}

/** Splits a normalised text into word, hashtag, emoji, emoticon, placeholder and `!`/`?` tokens. */
export function tokenize(normalized: string): string[] {
  return normalized.match(TOKEN) ?? [];
}

/** Handles in a raw text, lower-cased ("@united"): brand handles tell a model which domain it is in. */
export function handlesOf(text: string): string[] {
  return (text.match(HANDLE) ?? []).map((h) => h.toLowerCase());
}
