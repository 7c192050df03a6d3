/**
 * Transparent multilingual cue lists (de/es/en) for intents that no bundled dataset labels. A cue is a
 * word or phrase matched on the normalised tokens of a text (see text/normalize.ts): `word` matches the
 * token exactly, `pref*` any token that starts with `pref`, and `a b c` three consecutive tokens.
 * docs/models.md explains how the lists were built and measured. One pass over the tokens, no regex.
 */
import { normalizeText, tokenize } from '../text/normalize.ts';
import { createPrefixIndex, type PrefixIndex } from '../text/prefix-index.ts';

export const INTENTS = ['complaint', 'question', 'praise', 'suggestion', 'churn_threat', 'escalation_threat'] as const;
export type Intent = (typeof INTENTS)[number];
/** What a cue can signal: an intent, or courtesy ("thanks") that is praise only on a positive mention. */
export type CueKind = Intent | 'courtesy';

const words = (s: string): string[] => s.split('|');

/** The cue lexicon, one line per language (en | de | es). */
export const CUES: Record<CueKind, string[]> = {
  question: [
    ...words('help me|please help|pls help|need help|dm me|check dm|check your dm|check my dm|hilfe|brauche hilfe|ayuda|ayúdenos|ayudenos|ayúdame|necesito ayuda|help'),
    ...words('how do|how can|how long|how much|how many|why is|why are|why do|why does|why did|why can|when will|when is|when does|when can|can you|can i|can we|can someone|is there|any update|any news|any idea|does anyone|where do|where can'),
    ...words('wie kann|wie lange|wie viel|warum|wieso|weshalb|wann kommt|wann fährt|wann wird|gibt es|kann man|kann ich|kann mir|könnt ihr|weiß jemand'),
    ...words('cómo puedo|como puedo|cómo se|por qué|por que|cuándo|dónde|alguien sabe|me pueden|podéis|podeis|hay alguna|cuál es|qué pasa'),
  ],
  complaint: [
    ...words('worst|terrible|horrible|awful|unacceptable|ridiculous|disappoint*|disgust*|pathetic|still waiting|nobody|no one has|no one is|rude|fail|failed|fails|useless|joke|incompetent|shame|ruined|hold for|on hold|never received'),
    ...words('frechheit|unverschämt*|katastroph*|enttäusch*|schlecht*|unmöglich|ärger*|verspätung*|ausgefallen|zugausfall|chaos|skandal*|unzumutbar|peinlich|sauerei|nervt|nervig|hölle|armutszeugnis'),
    ...words('pésim*|pesim*|vergüenza|verguenza|indignante|fatal|desastre|caos|retras*|estafa*|timo|queja|reclamaci*|harto|harta|lamentable|inaceptable|ni caso|malísim*|peor|vergonzoso'),
  ],
  praise: [
    ...words('great|awesome|amazing|love|excellent|fantastic|kudos|appreciate*|wonderful|shout out|you rock|the best|impressed|impressive|recommend'),
    ...words('super|toll|tolle|tollen|klasse|prima|spitze|hervorragend|perfekt|freundlich*|lob|empfehlen|empfehlenswert|angenehm'),
    ...words('genial|excelente|estupend*|encanta|maravill*|enhorabuena|felicidades|perfecto|bravo|buen servicio|la mejor|el mejor|amables|recomiendo'),
  ],
  courtesy: words('thanks|thank you|thx|ty|danke|vielen dank|gracias|muchas gracias'),
  suggestion: [
    ...words('you should|please add|please bring|please consider|please make|please offer|please allow|would be nice|would be great|it would be good|why not|i suggest|suggestion|wish you|wish they|put your'),
    ...words('ihr solltet|man sollte|solltet ihr|wäre schön|wäre es schön|wäre gut|wäre toll|vorschlag|könntet ihr|bitte führt|bitte macht|bitte bietet|warum nicht|wie wäre es'),
    ...words('deberían|deberian|deberíais|sería bueno|seria bueno|sería genial|sería mejor|sugerencia|propuesta|podrían poner|podrían añadir|podrían ofrecer|por qué no'),
  ],
  churn_threat: [
    ...words("never fly|never flying|never use|never book|never again|neverflyagain|switch to|switching to|cancel my|cancelling my|canceling my|done with you|i'm done|im done|last time i|i'm leaving|won't be flying|wont be flying|won't be using|take my business|lost a customer|lost a costumer|lost my business|won't see my money|go to jetblue|somewhere else|another airline|diff airline|different airline"),
    ...words('ich kündige|kündige|kündigung|nie wieder|nicht mehr mit|steige um|wechsle|wechseln zu|nur noch auto|nur noch flixbus'),
    ...words('me cambio|me paso a|nunca más|nunca mas|última vez que|ultima vez que|darme de baja|me doy de baja|no vuelvo a|otra compañía|otra aerolínea'),
  ],
  escalation_threat: [
    ...words('lawyer|attorney|sue|suing|lawsuit|legal action|small claims|bbb|better business bureau|faa|consumer protection|consumer affairs|the press|news station|go viral|going viral|regulator|ombudsman|report you|reporting you|dept of transportation'),
    ...words('anwalt|rechtsanwalt|anwältin|klage|klagen|verklag*|verbraucherzentrale|schlichtungsstelle|söp|eisenbahn-bundesamt|presse|fahrgastrechte*'),
    ...words('abogad*|denuncia*|demanda*|demandar|facua|ocu|aesa|defensor del|hoja de reclamaciones|juzgado|tribunal|prensa'),
  ],
};

/** Cue kinds as bits of one number, so matching allocates nothing. */
export const CUE_KINDS = [...INTENTS, 'courtesy'] as const satisfies readonly CueKind[];
export const bit = (kind: CueKind): number => 1 << CUE_KINDS.indexOf(kind);

interface Lexicon {
  /** Word → the kinds it signals alone and the phrases starting with it. */
  words: Map<string, { kinds: number; phrases: { rest: string[]; kinds: number }[] }>;
  /** Prefixes of `pref*` cues. */
  prefixes: PrefixIndex<{ prefix: string; kinds: number }>;
}

function buildLexicon(): Lexicon {
  const lexicon: Lexicon = { words: new Map(), prefixes: createPrefixIndex() };
  const entry = (word: string) => {
    let e = lexicon.words.get(word);
    if (e === undefined) lexicon.words.set(word, (e = { kinds: 0, phrases: [] }));
    return e;
  };
  for (const kind of CUE_KINDS) {
    for (const cue of CUES[kind]) {
      const words = tokenize(normalizeText(cue.replace('*', '')));
      const first = words[0] as string;
      if (cue.endsWith('*')) lexicon.prefixes.add(first, { prefix: first, kinds: bit(kind) });
      else if (words.length === 1) entry(first).kinds |= bit(kind);
      else entry(first).phrases.push({ rest: words.slice(1), kinds: bit(kind) });
    }
  }
  return lexicon;
}

const LEXICON = buildLexicon();
const QUESTION = bit('question');

function phraseAt(tokens: readonly string[], i: number, rest: readonly string[]): boolean {
  if (i + rest.length >= tokens.length) return false;
  for (let j = 0; j < rest.length; j++) if (tokens[i + 1 + j] !== rest[j]) return false;
  return true;
}

function tokenKinds(tokens: readonly string[], i: number): number {
  const token = tokens[i] as string;
  const word = LEXICON.words.get(token);
  let kinds = word?.kinds ?? 0;
  const c = token.charCodeAt(0);
  if (c === 33 || c === 63) return token.includes('?') ? kinds | QUESTION : kinds;
  if (word) for (const p of word.phrases) if (phraseAt(tokens, i, p.rest)) kinds |= p.kinds;
  if (token.length >= 3) for (const p of LEXICON.prefixes.candidates(token)) if (token.startsWith(p.prefix)) kinds |= p.kinds;
  return kinds;
}

/** Bit mask (see `bit`) of the cue kinds in the tokens (`tokenize(normalizeText(text))`) of `text`. */
export function cueMask(tokens: readonly string[], text: string): number {
  let kinds = text.includes('¿') ? QUESTION : 0;
  for (let i = 0; i < tokens.length; i++) kinds |= tokenKinds(tokens, i);
  return kinds;
}

/** Intents (and courtesy) whose cues occur in the text. */
export function cueIntents(text: string): Set<CueKind> {
  const mask = cueMask(tokenize(normalizeText(text)), text);
  return new Set(CUE_KINDS.filter((k) => mask & bit(k)));
}
