/** Trains only the fast language model (models/language.bin), for quick iterations on language id. */
import fs from 'node:fs';
import { loadAll } from '../../src/enrich/data/datasets.ts';
import { encodeModel } from '../../src/enrich/linear/codec.ts';
import { trainLanguage } from '../../src/enrich/recipe.ts';

const started = Date.now();
fs.writeFileSync('models/language.bin', encodeModel(trainLanguage(loadAll('datasets').train, 1)));
console.log(`models/language.bin in ${Date.now() - started} ms`);
