/**
 * Reply text without the history: what the customer wrote in this message, not the thread it quotes or
 * the signature under it. Sentiment, topics and brand matching must see the customer's words only — a
 * polite "thanks, solved!" above a quoted angry complaint is not a complaint.
 *
 * Rules, in order (each one is a common client's habit, see the tests):
 * 1. History cut: everything from the first history header on is dropped — an attribution line
 *    ("On … wrote:", "Am … schrieb …:", "El … escribió:", "Le … a écrit :" …, possibly wrapped over up to
 *    three lines, always with a date or an address in it), an Outlook separator ("-----Original Message-----",
 *    "-----Ursprüngliche Nachricht-----" …) or an Outlook header block ("From:/Von:/De:" followed by
 *    "Sent:/Gesendet:/Enviado:", "To:", "Subject:" lines). When the lines after an attribution are answered
 *    inline (`>` lines mixed with new text), only the attribution and the `>` lines go.
 * 2. `>` quoted lines are dropped wherever they are.
 * 3. The signature after the last "-- " delimiter (RFC 3676) goes if it is short, and so does a trailing
 *    "Sent from my iPhone" style line.
 * A forwarded message ("---------- Forwarded message ---------") is kept: it is what the customer wants us
 * to read. If nothing is left, the original text is returned (better to analyse a quote than nothing).
 */

export interface StrippedText {
  text: string;
  /** true when anything was removed. */
  stripped: boolean;
}

const ATTRIBUTIONS = [
  /^On\s.+\swrote:$/i,
  /^Am\s.+\sschrieb\b.*:$/i,
  /^.+\sschrieb am\s.+:$/i,
  /^El\s.+\sescribi[óo]:$/i,
  /^Le\s.+\sa écrit\s?:$/i,
  /^Op\s.+\sschreef\b.*:$/i,
  /^Il giorno\s.+\sha scritto:$/i,
  /^Em\s.+\sescreveu:$/i,
  /^.+<[^<>\s]+@[^<>\s]+>\s+(?:wrote|schrieb|escribió|a écrit|ha scritto|escreveu|skrev|kirjoitti):$/i,
];
const WRAPPING_START = /^(?:On|Am|El|Le|Op|Il giorno|Em)\s/i;
const SEPARATOR =
  /^-{2,}\s*(?:Original Message|Ursprüngliche Nachricht|Originalnachricht|Mensaje original|Message d'origine|Messaggio originale|Mensagem original|Oorspronkelijk bericht)\s*-{2,}$/i;
const UNDERSCORES = /^_{10,}$/;
const HEADER_FROM = /^\*?(?:From|Von|De|Da|Van|Från|Fra):\*?\s+\S/i;
const HEADER_OTHER = /^\*?(?:Sent|Gesendet|Enviado|Envoyé|Inviato|Verzonden|Date|Datum|Fecha|To|An|Para|À|A|Aan|Subject|Betreff|Asunto|Objet|Oggetto|Onderwerp|Cc):\*?\s/i;
const FORWARD = /^(?:-{2,}\s*(?:Forwarded message|Weitergeleitete Nachricht|Mensaje reenviado|Message transféré)\s*-{2,}|Begin forwarded message:|Anfang der weitergeleiteten Nachricht:)$/i;
const QUOTED = /^\s*>/;
const SIG_DELIMITER = /^-- ?$/;
const MOBILE_SIGNOFF =
  /^(?:Sent from my \S.*|Sent from (?:Mail|Outlook|Yahoo Mail) for \S.*|Get Outlook for (?:iOS|Android)|Von meinem \S.* gesendet|Gesendet von meinem \S.*|Enviado desde mi \S.*|Envoyé de mon \S.*|Inviato da \S.*)$/i;
/** A longer block after "-- " is probably text that merely contains the delimiter, so it is kept. */
const MAX_SIGNATURE_LINES = 12;

/** Strip quoted history and signature from a plain-text e-mail body. Pure. */
export function stripQuotedText(text: string): StrippedText {
  const original = text.replace(/\r\n?/g, '\n');
  let lines = cutHistory(original.split('\n'));
  lines = lines.filter((line) => !QUOTED.test(line));
  lines = cutSignature(lines);
  const result = tidy(lines);
  const whole = tidy(original.split('\n'));
  if (!result) return { text: whole, stripped: false };
  return { text: result, stripped: result !== whole };
}

function cutHistory(lines: string[]): string[] {
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (FORWARD.test(line)) return lines;
    if (SEPARATOR.test(line) || isHeaderBlock(lines, UNDERSCORES.test(line) ? i + 1 : i)) return lines.slice(0, i);
    const span = attributionSpan(lines, i);
    if (span === 0) continue;
    const rest = lines.slice(i + span);
    // Inline answers below the attribution: keep them, the `>` filter removes what they answer.
    const inline = rest.some((l) => QUOTED.test(l)) && rest.some((l) => l.trim() && !QUOTED.test(l) && !SIG_DELIMITER.test(l));
    return inline ? [...lines.slice(0, i), ...cutHistory(rest)] : lines.slice(0, i);
  }
  return lines;
}

/** Number of lines (1–3) an attribution starting at `i` spans, or 0 when there is none. */
function attributionSpan(lines: string[], i: number): number {
  let joined = '';
  for (let k = 0; k < 3 && i + k < lines.length; k++) {
    const line = lines[i + k]!.trim();
    if (!line || QUOTED.test(line)) return 0;
    // Only an attribution that starts like one ("On …", "Am …") is followed over a wrapped line.
    if (k > 0 && !WRAPPING_START.test(joined)) return 0;
    joined = k === 0 ? line : `${joined} ${line}`;
    // A real attribution names a date or an address; "On Monday I wrote:" alone is the customer talking.
    if (/\d|@/.test(joined) && ATTRIBUTIONS.some((re) => re.test(joined))) return k + 1;
  }
  return 0;
}

/** "From: …" followed within five lines by at least two more header labels (Sent, To, Subject …). */
function isHeaderBlock(lines: string[], i: number): boolean {
  if (i >= lines.length || !HEADER_FROM.test(lines[i]!.trim())) return false;
  const next = lines.slice(i + 1, i + 6).filter((l) => HEADER_OTHER.test(l.trim()));
  return next.length >= 2;
}

function cutSignature(lines: string[]): string[] {
  let end = lines.length;
  for (let i = lines.length - 1; i >= 0; i--) {
    if (!SIG_DELIMITER.test(lines[i]!)) continue;
    if (lines.slice(i + 1).filter((l) => l.trim()).length <= MAX_SIGNATURE_LINES) end = i;
    break;
  }
  const kept = lines.slice(0, end);
  while (kept.length && !kept.at(-1)!.trim()) kept.pop();
  if (kept.length && MOBILE_SIGNOFF.test(kept.at(-1)!.trim())) kept.pop();
  return kept;
}

function tidy(lines: string[]): string {
  return lines
    .map((l) => l.replace(/\s+$/, ''))
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/**
 * Drop `<blockquote>` elements (with everything nested in them) from an HTML body before it becomes text:
 * HTML mail marks quoted history with blockquotes rather than `>`, and the marking is lost in plain text.
 */
export function dropBlockquotes(html: string): string {
  const tag = /<(\/?)blockquote\b[^>]*>/gi;
  let depth = 0;
  let out = '';
  let last = 0;
  for (let m = tag.exec(html); m; m = tag.exec(html)) {
    if (depth === 0) out += html.slice(last, m.index);
    depth = m[1] ? Math.max(0, depth - 1) : depth + 1;
    last = m.index + m[0].length;
  }
  return depth === 0 ? out + html.slice(last) : out;
}
