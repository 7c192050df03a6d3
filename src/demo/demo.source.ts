/**
 * Demo replay: streams a bundled real dataset (see datasets/README.md) as if it were arriving live.
 * Original time gaps are kept, divided by `speed` (120 = two hours of the original in one minute); silent
 * stretches longer than `maxGapSeconds` are shortened so the demo never looks dead. When the data runs out
 * it starts over as a new pass (ids prefixed with the pass number), so a demo left running keeps moving.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import type { Source, SourceBatch, SourceItem } from '../pipeline/source.ts';
import type { Clock } from '../lib/clock.ts';
import { sleep } from '../lib/clock.ts';
import { parseTime } from '../lib/time.ts';
import { createRecordMapper } from '../sources/record-mapper.ts';
import { csvColumns, readCsv } from '../sources/file/record-reader.ts';

const DATASETS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../datasets');

export const DEMO_DATASETS = {
  'airline-en': { file: 'airline-en/train.csv', note: 'Twitter US Airline Sentiment, Feb 2015 (CC BY-NC-SA 4.0)' },
  'airline-es': { file: 'airline-es/train.csv', note: 'Spanish airline tweets, Oct–Dec 2017' },
  twcs: { file: 'twcs/twcs_head5000.csv', note: 'Customer Support on Twitter, Oct–Nov 2017 (CC BY-NC-SA 4.0)' },
} as const;

export const demoSettings = z.object({
  dataset: z.enum(Object.keys(DEMO_DATASETS) as [keyof typeof DEMO_DATASETS]),
  speed: z.number().positive().max(1_000_000).default(120),
  maxGapSeconds: z.number().positive().default(20),
});
export type DemoSettings = z.infer<typeof demoSettings>;

interface Timed {
  time: number;
  item: SourceItem;
}

const cache = new Map<string, Promise<Timed[]>>();

/** Loads and time-sorts a dataset once per process. */
export function loadDemoDataset(name: keyof typeof DEMO_DATASETS): Promise<Timed[]> {
  let hit = cache.get(name);
  if (!hit) {
    hit = (async () => {
      const file = path.join(DATASETS_DIR, DEMO_DATASETS[name].file);
      const mapper = createRecordMapper({}, await csvColumns(file));
      const out: Timed[] = [];
      for await (const r of readCsv(file)) {
        if (!r.ok) continue;
        const item = mapper.map(r.record);
        const time = parseTime(item.publishedAt);
        if (time !== null) out.push({ time, item });
      }
      return out.sort((a, b) => a.time - b.time);
    })();
    cache.set(name, hit);
  }
  return hit;
}

interface DemoCursor {
  pass: number;
  index: number;
}

export function createDemoSource(settings: DemoSettings, clock: Clock): Source {
  const maxGapMs = settings.maxGapSeconds * 1000;
  return {
    streaming: true,
    async *read(cursor, signal): AsyncGenerator<SourceBatch> {
      const data = await loadDemoDataset(settings.dataset);
      if (!data.length) throw new Error(`demo dataset ${settings.dataset} has no dated rows`);
      let { pass, index } = cursor ? (JSON.parse(cursor) as DemoCursor) : { pass: 1, index: 0 };
      if (index >= data.length) ({ pass, index } = { pass: pass + 1, index: 0 });
      let anchorWall = clock.now();
      let anchorOrig = data[index]!.time;
      while (!signal.aborted) {
        const now = clock.now();
        const origNow = anchorOrig + (now - anchorWall) * settings.speed;
        const items: SourceItem[] = [];
        while (index < data.length && data[index]!.time <= origNow && items.length < 500) items.push(replayed(data[index++]!, pass, now, settings.dataset));
        if (index >= data.length) ({ pass, index, anchorWall, anchorOrig } = { pass: pass + 1, index: 0, anchorWall: now + 1000, anchorOrig: data[0]!.time });
        if (items.length) yield { items, cursor: JSON.stringify({ pass, index } satisfies DemoCursor) };
        const waitMs = (data[index]!.time - (anchorOrig + (clock.now() - anchorWall) * settings.speed)) / settings.speed;
        if (waitMs > maxGapMs) anchorOrig += (waitMs - maxGapMs) * settings.speed;
        await sleep(Math.max(20, Math.min(waitMs, maxGapMs, 500)), signal);
      }
    },
  };
}

function replayed(t: Timed, pass: number, now: number, dataset: string): SourceItem {
  return {
    ...t.item,
    externalId: pass === 1 ? t.item.externalId : `p${pass}:${t.item.externalId}`,
    parentExternalId: t.item.parentExternalId && pass > 1 ? `p${pass}:${t.item.parentExternalId}` : (t.item.parentExternalId ?? null),
    publishedAt: now,
    channel: 'twitter',
    extra: { demo: dataset, originalPublishedAt: new Date(t.time).toISOString() },
  };
}
