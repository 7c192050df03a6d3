/**
 * One pino logger for the process. Secrets are redacted by key wherever they appear in a logged object,
 * so a source config or a request header can be logged without leaking credentials.
 */
import { pino, type Logger } from 'pino';

export type { Logger };

export const REDACT_PATHS = [
  'password', 'secret', 'token', 'accessToken', 'apiKey', 'authorization', 'cookie',
  '*.password', '*.secret', '*.token', '*.accessToken', '*.apiKey', '*.authorization', '*.cookie',
  'req.headers.authorization', 'req.headers.cookie', 'req.headers["webhook-signature"]',
  'config.secret', 'config.password', 'config.token',
];

export function createLogger(level: string, destination?: NodeJS.WritableStream): Logger {
  const options = { level, redact: { paths: REDACT_PATHS, censor: '[redacted]' } };
  return destination ? pino(options, destination as pino.DestinationStream) : pino(options);
}
