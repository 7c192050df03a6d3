/**
 * What each connector gives the shared conformance suite: how to start a replay of its fixtures, what a
 * first and an incremental fetch must store, and how to provoke its failures. The suite
 * (`connectors.conformance.test.ts`) runs the same checks over every case.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Recorded, ReplayServer } from './replay-server.ts';

export interface ChannelReplay {
  server: ReplayServer;
  /** Source settings pointing at the replay server. */
  settings: Record<string, unknown>;
  /** External ids a first fetch must store (exactly). */
  firstIds: string[];
  /** Make newer items available; afterwards a fetch from the cursor must store exactly `allIds`. */
  publishMore(): void;
  allIds: string[];
  /** Serve one malformed item with the next answer (it must become a dead letter). */
  serveBadItem(): void;
  /** Check the incremental requests used the cursor (min_id, numericFilters, before=...). */
  assertIncremental(requests: Recorded[]): void;
  /** Streaming replays: cut the next connection abruptly halfway through (a crash of the network). */
  dropNextStream?(): void;
}

export interface ConnectorCase {
  name: string;
  kind: string;
  /** The replay's "now" (fixtures are from different years). */
  now: number;
  /** Requests that faults are injected into. */
  faultPath: RegExp;
  /** 'body': a malformed response fails the run with `malformedError`; 'frame': a bad frame is dead-lettered. */
  malformed: 'body' | 'frame';
  malformedError?: RegExp;
  /** The replay has too few pages to cut a read short in the middle (a feed is one batch; Play's example has two). */
  singleBatch?: boolean;
  /** Extra environment for the harness (e.g. a shorter FETCH_TIMEOUT_MS). */
  env?: Record<string, string>;
  start(): Promise<ChannelReplay>;
  /** Sends a reply through the channel's sender against the replay and checks the request shape. */
  reply?(replay: ChannelReplay): Promise<void>;
}

const FIXTURES = path.resolve(import.meta.dirname, '../fixtures');

export function fixtureText(channel: string, name: string): string {
  return fs.readFileSync(path.join(FIXTURES, channel, name), 'utf8');
}

export function fixtureJson<T = unknown>(channel: string, name: string): T {
  return JSON.parse(fixtureText(channel, name)) as T;
}
