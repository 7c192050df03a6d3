/** Shared set-up of CLI commands that work on the database without starting the server. */
import path from 'node:path';
import { loadConfig } from '../config.ts';
import { createContext } from '../app.ts';
import type { AppContext } from '../app-context.ts';
import { createLogger } from '../lib/logger.ts';
import { insertWorkspace, listWorkspaces, getWorkspaceById, type Workspace } from '../workspaces/workspace.repository.ts';

export interface CliDbOptions {
  db?: string;
  workspace?: string;
}

/** Opens (and migrates) the database named by --db or the environment; logs only warnings to stderr. */
export async function openCliContext(opts: CliDbOptions): Promise<AppContext> {
  const config = loadConfig(process.env, { ...(opts.db ? { DB_PATH: path.resolve(opts.db) } : {}), RUN_SOURCES: 'false' });
  return createContext(config, { logger: createLogger('warn', process.stderr) });
}

/** The workspace named by --workspace, else the first one; a fresh database gets a "Default" workspace. */
export async function resolveWorkspace(ctx: AppContext, id?: string): Promise<Workspace> {
  if (id) return getWorkspaceById(ctx.db.kysely, Number(id));
  const [first] = await listWorkspaces(ctx.db.kysely);
  return first ?? insertWorkspace(ctx.db.kysely, 'Default', ctx.clock.now());
}
