import type { Source } from '../api.ts';

/** What the status badge shows: a paused source is "paused" whatever its last run did. */
export function sourceState(s: Source): 'paused' | Source['status'] {
  return s.enabled ? s.status : 'paused';
}
