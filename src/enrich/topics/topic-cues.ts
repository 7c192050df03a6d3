/**
 * Multilingual keyword cues (de/es/en) for complaint topics, for what the topic model cannot know: there is
 * no training data for "offer not honoured", none in Spanish at all, and billing in English and Spanish is
 * rare in the airline set. Same cue syntax as intent/cues.ts: `word`, `pref*`, `two words`.
 */
import { normalizeText, tokenize } from '../text/normalize.ts';
import { createPrefixIndex } from '../text/prefix-index.ts';
import type { Topic } from './taxonomy.ts';

const w = (s: string): string[] => s.split('|');

export const TOPIC_CUES: Partial<Record<Topic, string[]>> = {
  offer_not_honoured: [
    ...w('not honored|not honoured|didn\'t honor|won\'t honor|refuse to honor|false advertising|bait and switch|misleading|promised|as advertised|not as described|fine print'),
    ...w('versprochen|versprechen|irreführend*|lockangebot|kleingedruckte|nicht eingehalten|angebot gilt nicht|werbung gelogen'),
    ...w('prometieron|prometido|publicidad engañosa|engañosa|engaño|no cumplen|no han cumplido|letra pequeña|oferta falsa'),
  ],
  billing_pricing: [
    ...w('refund*|overcharg*|charged|charge me|fee|fees|price*|pricing|bill|billing|invoice|expensive|money back|compensation|voucher'),
    ...w('preis*|teuer*|rechnung*|erstattung*|entschädigung*|gebühr*|abbuchung|geld zurück|zuschlag'),
    ...w('reembolso*|cobr*|precio*|caro|cara|factura*|tarifa*|indemnizaci*|compensaci*|devolución|devolver el dinero|me han cobrado'),
  ],
  cancellations: [
    ...w('cancelled|canceled|cancellation*|cancelled flightled'),
    ...w('ausgefallen|ausfall|zugausfall|gestrichen|storniert'),
    ...w('cancelado|cancelada|cancelaron|cancelación|cancelacion|anulado|suprimido'),
  ],
  delays: [
    ...w('delay*|late|waiting|still waiting|on hold|hours late|missed my connection|missed connection'),
    ...w('verspätung*|verspätet|verspätete|wartezeit|warten|anschluss verpasst|zu spät'),
    ...w('retraso*|retrasado|retrasada|esperando|espera|demora*|perdí la conexión|perdi la conexion'),
  ],
  delivery_luggage: [
    ...w('luggage|baggage|bag|bags|suitcase|lost bag|damaged bag|package|parcel|delivery|not delivered'),
    ...w('gepäck|koffer|paket|lieferung|nicht geliefert|zustellung'),
    ...w('maleta*|equipaje|paquete|entrega|no ha llegado|extraviad*'),
  ],
  booking_account_app: [
    ...w('website|app|online|booking|reservation|check in|check-in|login|log in|account|password|boarding pass'),
    ...w('app|webseite|website|buchung|buchen|reservierung|konto|login|online-ticket|handyticket'),
    ...w('web|página|pagina|app|reserva|check-in|tarjeta de embarque|cuenta|contraseña'),
  ],
  customer_service: [
    ...w('customer service|service agent|agent|staff|rude|unhelpful|no response|no answer|nobody answers|hung up|call center'),
    ...w('kundenservice|servicecenter|hotline|personal|mitarbeiter*|unfreundlich*|keine antwort|schaffner*|zugbegleiter*'),
    ...w('atención al cliente|atencion al cliente|personal|azafat*|maleducad*|no contestan|nadie contesta|sin respuesta'),
  ],
  safety: [
    ...w('unsafe|dangerous|safety|emergency landing|injured|accident|security'),
    ...w('gefährlich|sicherheit|unfall|verletzt|notbremse|polizei'),
    ...w('peligro*|seguridad|accidente|aterrizaje de emergencia|herido*'),
  ],
};

interface Cue {
  words: string[];
  prefix: boolean;
  topic: Topic;
}

const CUES: Cue[] = Object.entries(TOPIC_CUES).flatMap(([topic, list]) =>
  (list ?? []).map((cue) => ({ words: tokenize(normalizeText(cue.replace('*', ''))), prefix: cue.endsWith('*'), topic: topic as Topic })));
const BY_FIRST = new Map<string, Cue[]>();
const BY_PREFIX = createPrefixIndex<Cue>();
for (const cue of CUES) {
  const first = cue.words[0] as string;
  if (cue.prefix && cue.words.length === 1) BY_PREFIX.add(first, cue);
  else BY_FIRST.set(first, [...(BY_FIRST.get(first) ?? []), cue]);
}

function matchesAt(tokens: readonly string[], i: number, cue: Cue): boolean {
  for (let j = 1; j < cue.words.length; j++) if (tokens[i + j] !== cue.words[j]) return false;
  return true;
}

/** Topics whose cues occur in the tokens (`tokenize(normalizeText(text))`), in the order they are found. */
export function cueTopics(tokens: readonly string[]): Topic[] {
  const found: Topic[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i] as string;
    const first = BY_FIRST.get(token);
    if (first) for (const cue of first) if (matchesAt(tokens, i, cue) && !found.includes(cue.topic)) found.push(cue.topic);
    if (token.length < 3) continue;
    for (const cue of BY_PREFIX.candidates(token)) if (token.startsWith(cue.words[0] as string) && !found.includes(cue.topic)) found.push(cue.topic);
  }
  return found;
}
