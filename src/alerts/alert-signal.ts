/** What the radar hands to the alert rules after each round (see `raiseAlerts`). */
import type { Mention } from '../mentions/mention.ts';
import type { StreamKind } from '../radar/radar.schema.ts';
import type { StreamPoint } from '../radar/stream-advance.ts';

/** A stream's most anomalous recent bucket in this round. */
export interface StreamSignal {
  type: 'stream';
  stream: { id: number; brandId: number; kind: StreamKind; topic: string };
  point: StreamPoint;
}

/** A single mention scored by the virality or influential-complaint signal. */
export interface MentionSignal {
  type: 'mention';
  rule: 'viral_mention' | 'influential_complaint';
  mention: Mention;
  brandId: number;
  score: number;
  /** Weighted engagement per hour (viral) or effective audience (influential). */
  observed: number;
  /** The value that scores 0.5 (the rule's yardstick). */
  expected: number;
  /** Subject of the incident: the thread for virality, the author for influence. */
  dedupeKey: string;
}

export type AlertSignal = StreamSignal | MentionSignal;
