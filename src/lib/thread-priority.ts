/**
 * OS scheduling priority of one thread. On Linux a thread's id is a process id to setpriority(2), so a worker
 * thread can make itself yield to the others of the process (os.setPriority on the whole process would lower
 * them all). Elsewhere this does nothing and says so.
 */
import fs from 'node:fs';
import os from 'node:os';

/** Raises the calling thread's niceness to `niceness` (0–19). True when the OS applied it. */
export function lowerThreadPriority(niceness: number): boolean {
  try {
    const tid = Number(fs.readlinkSync('/proc/thread-self').split('/').pop());
    if (!Number.isInteger(tid)) return false;
    os.setPriority(tid, niceness);
    return true;
  } catch {
    return false;
  }
}
