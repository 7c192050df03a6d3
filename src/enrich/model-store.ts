/**
 * Reading and writing the committed model files under `models/`. The only file I/O in `enrich/`, and it
 * runs once at start-up (or at the end of `earshot train`), never per mention.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { decodeModel, encodeModel } from './linear/codec.ts';
import type { LinearModel } from './linear/model.ts';

/** The trained models the enrichers need. */
export interface ModelBundle {
  /** Sentiment expert for customer feedback (see sentiment/mixture.ts). */
  sentiment: LinearModel;
  /** Sentiment expert for short general tweets. */
  sentimentTweets: LinearModel;
  /** Domain gate between the two sentiment experts. */
  sentimentGate: LinearModel;
  topics: LinearModel;
  relevance: LinearModel;
  /** Fast language identification for the languages of the bundled data (eld decides the rest). */
  language: LinearModel;
}

export const MODEL_FILES: Record<keyof ModelBundle, string> = {
  sentiment: 'sentiment.bin',
  sentimentTweets: 'sentiment-tweets.bin',
  sentimentGate: 'sentiment-gate.bin',
  topics: 'topics.bin',
  relevance: 'relevance.bin',
  language: 'language.bin',
};

/** `models/` at the repository root. */
export const DEFAULT_MODEL_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../models');

/** Loads one model of the bundle; throws with the file name if it is missing or corrupt. */
export function loadModel(key: keyof ModelBundle, dir: string = DEFAULT_MODEL_DIR): LinearModel {
  const full = path.join(dir, MODEL_FILES[key]);
  try {
    return decodeModel(fs.readFileSync(full));
  } catch (err) {
    throw new Error(`cannot load model ${full}: ${(err as Error).message} (run \`earshot train\`)`);
  }
}

/** Loads every model of the bundle; throws with the file name if one is missing or corrupt. */
export function loadModelBundle(dir: string = DEFAULT_MODEL_DIR): ModelBundle {
  const entries = (Object.keys(MODEL_FILES) as (keyof ModelBundle)[]).map((key) => [key, loadModel(key, dir)]);
  return Object.fromEntries(entries) as ModelBundle;
}

export function saveModelBundle(bundle: ModelBundle, dir: string): { file: string; bytes: number }[] {
  fs.mkdirSync(dir, { recursive: true });
  return (Object.keys(MODEL_FILES) as (keyof ModelBundle)[]).map((key) => {
    const file = path.join(dir, MODEL_FILES[key]);
    const buf = encodeModel(bundle[key]);
    fs.writeFileSync(file, buf);
    return { file, bytes: buf.length };
  });
}
