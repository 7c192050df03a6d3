/**
 * In-process publish/subscribe of newly stored mentions, for the live stream (SSE) and, later, the radar.
 * Publishing happens after the batch transaction commits, never inside it.
 * With several processes on PostgreSQL each process only sees what it stored itself; the SSE stream
 * covers the gap by replaying from the database after `Last-Event-ID` on reconnect.
 */
import { EventEmitter } from 'node:events';
import type { Mention } from './mention.ts';

export type MentionListener = (mentions: Mention[]) => void;
/** Hears every workspace's mentions (the radar). */
export type AllMentionsListener = (workspaceId: number, mentions: Mention[]) => void;

export class MentionBus {
  private readonly emitter = new EventEmitter();
  private readonly everyWorkspace = new Set<AllMentionsListener>();

  constructor() {
    this.emitter.setMaxListeners(0);
  }

  publish(workspaceId: number, mentions: Mention[]): void {
    if (!mentions.length) return;
    this.emitter.emit(String(workspaceId), mentions);
    for (const listener of this.everyWorkspace) listener(workspaceId, mentions);
  }

  /** Lets publishers skip building events nobody will read. */
  hasListeners(workspaceId: number): boolean {
    return this.everyWorkspace.size > 0 || this.emitter.listenerCount(String(workspaceId)) > 0;
  }

  /** @returns a function that unsubscribes. */
  subscribe(workspaceId: number, listener: MentionListener): () => void {
    this.emitter.on(String(workspaceId), listener);
    return () => this.emitter.off(String(workspaceId), listener);
  }

  /** Listens to every workspace (called after each commit, like `subscribe`). @returns a function that unsubscribes. */
  subscribeAll(listener: AllMentionsListener): () => void {
    this.everyWorkspace.add(listener);
    return () => this.everyWorkspace.delete(listener);
  }
}
