/** Builds web/dist with Vite unless `ifMissing` and it exists. @returns true when a build exists afterwards. */
export function buildWeb(options?: { ifMissing?: boolean; quiet?: boolean }): Promise<boolean>;
