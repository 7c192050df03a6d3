// Thread of `checkpointer.ts`: a PASSIVE WAL checkpoint of `file` every `intervalMs`, on its own connection.
// Plain JavaScript, started without the TypeScript loader: a thread that boots tsx costs ~30 MB of memory more.
import { parentPort, workerData } from 'node:worker_threads';
import SQLite from 'better-sqlite3';

const { file, intervalMs } = workerData;
const db = new SQLite(file);
db.pragma('busy_timeout = 1000');
// As the main connection: the database file is synced when a checkpoint has copied pages into it.
db.pragma('synchronous = NORMAL');
const checkpoint = db.prepare('PRAGMA wal_checkpoint(PASSIVE)');
const timer = setInterval(() => {
  try {
    checkpoint.run();
  } catch {
    // SQLITE_BUSY (another checkpoint is running) or a transient error: the next round tries again.
  }
}, intervalMs);
parentPort.on('message', () => {
  clearInterval(timer);
  db.close();
  parentPort.close();
});
