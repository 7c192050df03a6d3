// Entry of every worker thread: worker threads do not inherit the parent's TypeScript loader, so register tsx
// here, then load the worker module named in `workerData.entry` (a file URL).
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.entry);
