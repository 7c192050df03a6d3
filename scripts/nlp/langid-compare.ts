/**
 * Language identification on short, noisy texts: UMSAB val tweets (known language; never trained on) in
 * de/es/en/fr/it/pt. Compares eld (the dependency), franc, tinyld and cld3-asm (installed outside the
 * repository: `cd /tmp/langid && npm install franc@6 tinyld cld3-asm`) and Earshot's fast language model
 * with eld as fallback. Prints accuracy per language and texts/s. Results: docs/decisions/0002.
 * Usage: node --import tsx scripts/nlp/langid-compare.ts [/tmp/langid]
 */
import path from 'node:path';
import { loadUmsab } from '../../src/enrich/data/datasets.ts';
import { createFeatureMemo } from '../../src/enrich/feature-memo.ts';
import { detectLanguage } from '../../src/enrich/language.enricher.ts';
import { loadModelBundle } from '../../src/enrich/model-store.ts';
import { DEFAULT_UNDERSTANDING, fastLanguageEnricher } from '../../src/enrich/understanding.ts';
import { emptyEnrichment } from '../../src/enrich/enricher.ts';

type Detector = (text: string) => string | null | undefined;
const LANGS = ['de', 'es', 'en', 'fr', 'it', 'pt'];
const ISO3: Record<string, string> = { deu: 'de', spa: 'es', eng: 'en', fra: 'fr', ita: 'it', por: 'pt' };
const dir = process.argv[2] ?? '/tmp/langid';
const rows = loadUmsab('datasets', 'val').filter((r) => LANGS.includes(r.lang));

const ENTRY: Record<string, string> = { franc: 'franc/index.js', tinyld: 'tinyld/dist/tinyld.normal.node.mjs', 'cld3-asm': 'cld3-asm/dist/cjs/index.js' };

async function external(name: string): Promise<Record<string, unknown>> {
  return (await import(path.join(dir, 'node_modules', ENTRY[name] as string))) as Record<string, unknown>;
}

function measure(name: string, detect: Detector): void {
  for (const r of rows.slice(0, 200)) detect(r.text);
  const started = performance.now();
  const got = rows.map((r) => detect(r.text));
  const rate = (rows.length / (performance.now() - started)) * 1000;
  const acc = (lang?: string) => {
    const idx = rows.map((r, i) => (!lang || r.lang === lang ? i : -1)).filter((i) => i >= 0);
    return idx.filter((i) => got[i] === (rows[i] as { lang: string }).lang).length / idx.length;
  };
  console.log(`| ${name} | ${acc().toFixed(3)} | ${LANGS.map((l) => acc(l).toFixed(2)).join(' | ')} | ${Math.round(rate)} |`);
}

async function main(): Promise<void> {
  console.log(`${rows.length} UMSAB val texts, mean ${Math.round(rows.reduce((a, r) => a + r.text.length, 0) / rows.length)} chars`);
  console.log(`| detector | all | ${LANGS.join(' | ')} | texts/s |`);
  console.log(`|---|---|${LANGS.map(() => '---').join('|')}|---|`);
  measure('language.enricher.ts (eld, as configured)', (t) => detectLanguage(t).lang);
  for (const size of ['large', 'medium', 'extrasmall']) {
    const { eld } = (await import(`eld/${size}`)) as { eld: { detect(t: string): { language: string } } };
    measure(`eld 2.1 ${size}, bare detect()`, (t) => eld.detect(t).language || null);
  }
  const bundle = loadModelBundle();
  for (const threshold of [0.8, 0.9, 0.95, 0.99]) {
    const enricher = fastLanguageEnricher(bundle.language, createFeatureMemo(), { ...DEFAULT_UNDERSTANDING, languageThreshold: threshold });
    measure(`fast model, eld below p=${threshold}`, (t) => enricher.enrich({ text: t }, emptyEnrichment()).lang);
  }
  const franc = await external('franc');
  const francFn = franc.franc as (t: string, o?: { only?: string[]; minLength?: number }) => string;
  measure('franc 6 (all languages)', (t) => ISO3[francFn(t, { minLength: 3 })]);
  measure('franc 6 (only these 6)', (t) => ISO3[francFn(t, { minLength: 3, only: Object.keys(ISO3) })]);
  const tinyld = await external('tinyld');
  const tiny = tinyld.detect as (t: string, o?: { only?: string[] }) => string;
  measure('tinyld (all languages)', (t) => tiny(t));
  measure('tinyld (only these 6)', (t) => tiny(t, { only: LANGS }));
  const cld3 = await external('cld3-asm');
  const factory = await (cld3.loadModule as () => Promise<{ create(min: number, max: number): { findLanguage(t: string): { language: string } } }>)();
  const identifier = factory.create(0, 1000);
  measure('cld3-asm (min bytes 0)', (t) => identifier.findLanguage(t).language);
}

await main();
