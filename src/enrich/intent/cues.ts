/**
 * Transparent multilingual cue rules (de/es/en) for intents that no bundled dataset labels. Each rule is
 * a regular expression over the lower-cased text; docs/models.md explains how they were built and measured.
 */

export const INTENTS = ['complaint', 'question', 'praise', 'suggestion', 'churn_threat', 'escalation_threat'] as const;
export type Intent = (typeof INTENTS)[number];

const b = (words: string): RegExp => new RegExp(`(?:^|[^\\p{L}])(?:${words})(?![\\p{L}])`, 'u');

/** Cues that signal an intent whatever the sentiment model says. */
export const CUES: Record<Intent, RegExp[]> = {
  question: [
    /\?|¿/u,
    b('how (?:do|can|long|much|many)|why (?:is|are|do|does|did|can)|when (?:will|is|does|can)|can (?:you|i|we|someone)|is (?:there|it possible)|any (?:update|news|idea)|does anyone'),
    b('wie (?:kann|lange|viel)|warum|wieso|weshalb|wann (?:kommt|fährt|wird)|gibt es|kann (?:man|ich|mir)|könnt ihr|weiß jemand'),
    b('c[oó]mo (?:puedo|se)|por qu[eé]|cu[aá]ndo|d[oó]nde|alguien sabe|me pueden|pod[eé]is|hay alguna'),
  ],
  complaint: [
    b('worst|terrible|horrible|awful|unacceptable|ridiculous|disappointed|disappointing|disgusted|pathetic|still waiting|no one (?:has|is|will)|nobody|never (?:again|received)|lost (?:my|our)|rude|fail(?:ed|s)?|useless|joke'),
    b('frechheit|unversch[äa]mt|katastroph\\w*|entt[äa]usch\\w*|schlecht\\w*|unm[öo]glich|[äa]rger\\w*|versp[äa]tung\\w*|ausgefallen|zugausfall|chaos|skandal\\w*|unzumutbar|peinlich|sauerei|nervt'),
    b('p[ée]sim[oa]s?|verg[üu]enza|indignante|horrible|fatal|desastre|caos|retras\\w*|cancela\\w*|nunca m[aá]s|estafa\\w*|timo|queja|reclamaci[oó]n|harto|lament?able|inaceptable|ni caso|mal[ií]simo'),
  ],
  praise: [
    b('thank(?:s| you)|great|awesome|amazing|love|excellent|fantastic|kudos|best|appreciate\\w*|wonderful|shout ?out'),
    b('danke|super|toll|klasse|prima|spitze|lob|hervorragend|perfekt|freundlich\\w*'),
    b('gracias|genial|excelente|estupend[oa]|encanta|maravill\\w*|enhorabuena|felicidades|perfecto|bravo|buen[oa] servicio'),
  ],
  suggestion: [
    b('you should|please (?:add|bring|consider|make|offer|allow)|it would be (?:nice|great|good)|would be (?:nice|great) if|why not|i suggest|suggestion|idea'),
    b('ihr solltet|man sollte|sollte(?:n)? (?:die|der|das|man|mal)|w[äa]re (?:es )?(?:sch[öo]n|gut|toll)|vorschlag|k[öo]nntet ihr|bitte (?:f[üu]hrt|macht|bietet)|warum nicht'),
    b('deber[ií]an|deber[ií]ais|ser[ií]a (?:bueno|genial|mejor)|sugerencia|propuesta|podr[ií]an (?:poner|a[ñn]adir|ofrecer)|por qu[eé] no'),
  ],
  churn_threat: [
    b("never (?:fly(?:ing)?|use|book(?:ing)?|buy(?:ing)?) (?:with )?(?:you|again)|switch(?:ing)? to|cancel(?:l?ing)? my (?:account|subscription|membership|card)|done with (?:you|\\w+)|last time i|i'?m (?:leaving|done)|lost (?:a|my) (?:customer|business)|won'?t be (?:flying|using|back)|take my business"),
    b('ich k[üu]ndige|k[üu]ndigung|nie wieder|nicht mehr mit (?:der|euch)|steige (?:um|auf)|wechsle|fahre (?:ab jetzt|jetzt) (?:nur noch )?(?:auto|bus|flixbus)'),
    b('me cambio|me paso a|nunca m[aá]s (?:vuelo|volar[eé]|viajo|con)|[uú]ltima vez que|darme de baja|me doy de baja|no vuelvo a (?:volar|viajar|comprar)'),
  ],
  escalation_threat: [
    b('lawyer|attorney|sue|suing|lawsuit|legal action|small claims|bbb|better business bureau|\\bdot\\b|faa|consumer (?:protection|affairs)|the press|media|news (?:station|channel)|go(?:ing)? viral|regulator|ombudsman|report(?:ing)? you'),
    b('anwalt|rechtsanwalt|klage|verklag\\w*|verbraucherzentrale|schlichtungsstelle|s[öo]p|eba|eisenbahn-bundesamt|presse|medien|zeitung|bild-zeitung|fahrgastrechte'),
    b('abogad[oa]|denuncia\\w*|demanda\\w*|facua|\\bocu\\b|consumo|aesa|defensor del|hoja de reclamaci[oó]n|juzgado|tribunal|prensa|medios'),
  ],
};

/** Intents whose cues fire on the text. */
export function cueIntents(text: string): Set<Intent> {
  const lower = text.toLowerCase();
  const found = new Set<Intent>();
  for (const intent of INTENTS) if (CUES[intent].some((re) => re.test(lower))) found.add(intent);
  return found;
}
