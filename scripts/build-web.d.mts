/**
 * Builds web/dist with Vite. `ifMissing`: only when there is none; `ifStale`: only when a source is newer.
 * @returns true when a build exists afterwards (false: Vite is not installed).
 */
export function buildWeb(options?: { ifMissing?: boolean; ifStale?: boolean; quiet?: boolean }): Promise<boolean>;
/** True when web/dist exists and is newer than every dashboard source file. */
export function isBuildFresh(): boolean;
