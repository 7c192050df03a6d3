import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { Worker } from 'node:worker_threads';
import { WORKER_BOOT } from './worker-boot.ts';

/** Niceness of a thread (field 19 of /proc/<pid>/task/<tid>/stat). */
const niceness = (stat: string) => Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]);

describe('lowerThreadPriority', { skip: !fs.existsSync('/proc/thread-self') && 'needs Linux /proc' }, () => {
  it('lowers the priority of the calling thread only', async () => {
    const before = niceness(fs.readFileSync('/proc/thread-self/stat', 'utf8'));
    // A worker thread applies it and reports its own niceness.
    const src = `
      import fs from 'node:fs';
      import { parentPort } from 'node:worker_threads';
      const { lowerThreadPriority } = await import(${JSON.stringify(new URL('./thread-priority.ts', import.meta.url).href)});
      const applied = lowerThreadPriority(Math.min(19, ${before} + 3));
      parentPort.postMessage({ applied, stat: fs.readFileSync('/proc/thread-self/stat', 'utf8') });`;
    const worker = new Worker(WORKER_BOOT, { workerData: { entry: 'data:text/javascript,' + encodeURIComponent(src) } });
    const reply = await new Promise<{ applied: boolean; stat: string }>((resolve, reject) => worker.once('message', resolve).once('error', reject));
    await worker.terminate();
    assert.equal(reply.applied, true);
    assert.equal(niceness(reply.stat), Math.min(19, before + 3));
    assert.equal(niceness(fs.readFileSync('/proc/thread-self/stat', 'utf8')), before, 'the calling process keeps its priority');
  });
});
