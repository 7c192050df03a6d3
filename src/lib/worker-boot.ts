/** The file every worker thread starts from (`worker-boot.mjs`): pass the module to run as `workerData.entry`. */
export const WORKER_BOOT = new URL('./worker-boot.mjs', import.meta.url);
