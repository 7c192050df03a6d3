/**
 * One pino logger for the process. Secrets are redacted by key wherever they appear in a logged object,
 * so a source config or a request header can be logged without leaking credentials.
 */
import { pino, type Logger } from 'pino';

export type { Logger };

const SECRET_KEYS = [
  'password', 'secret', 'token', 'accessToken', 'refreshToken', 'apiKey', 'authorization', 'cookie',
  'clientSecret', 'appPassword', 'smtpPassword', 'serviceAccountJson', 'privateKey',
];

export const REDACT_PATHS = [
  ...SECRET_KEYS,
  ...SECRET_KEYS.map((k) => `*.${k}`),
  ...SECRET_KEYS.map((k) => `*.*.${k}`),
  'req.headers.authorization', 'req.headers.cookie', 'req.headers["webhook-signature"]',
  'config.secret', 'config.password', 'config.token',
];

export function createLogger(level: string, destination?: NodeJS.WritableStream): Logger {
  const options = { level, redact: { paths: REDACT_PATHS, censor: '[redacted]' } };
  return destination ? pino(options, destination as pino.DestinationStream) : pino(options);
}
