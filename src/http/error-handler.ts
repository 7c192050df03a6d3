/**
 * One error shape for every response: `{ error: { code, message, fields? } }`. Known errors keep their
 * status; anything unexpected becomes 500 `internal`, logged with its stack, and its message is not shown.
 */
import type { FastifyError, FastifyInstance } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { AppError, ValidationError, type ErrorCode } from '../lib/errors.ts';

export interface ErrorBody {
  error: { code: ErrorCode | 'unsupported_media_type' | 'rate_limited'; message: string; fields?: Record<string, string>; position?: number };
}

function fastifyCode(err: FastifyError): { status: number; body: ErrorBody } | null {
  switch (err.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return { status: 413, body: { error: { code: 'payload_too_large', message: `The request body is larger than the limit of ${err.message.match(/\d+/)?.[0] ?? 'the configured'} bytes` } } };
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return { status: 415, body: { error: { code: 'unsupported_media_type', message: 'Send the body as application/json' } } };
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return { status: 400, body: { error: { code: 'bad_request', message: 'The body is not valid JSON' } } };
  }
  return null;
}

export function installErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError, request, reply) => {
    if (hasZodFastifySchemaValidationErrors(err)) {
      const fields = Object.fromEntries(err.validation.map((v) => [`${err.validationContext ?? 'request'}${v.instancePath.replace(/\//g, '.')}`, v.message ?? 'invalid']));
      return reply.status(400).send({ error: { code: 'validation', message: 'The request is not valid', fields } } satisfies ErrorBody);
    }
    if (err instanceof AppError) {
      const body: ErrorBody = { error: { code: err.code, message: err.message } };
      if (err instanceof ValidationError && Object.keys(err.fields).length) body.error.fields = err.fields;
      if (typeof (err as { position?: unknown }).position === 'number') body.error.position = (err as unknown as { position: number }).position;
      return reply.status(err.status).send(body);
    }
    const known = fastifyCode(err);
    if (known) return reply.status(known.status).send(known.body);
    if (err.statusCode === 429) return reply.status(429).send({ error: { code: 'rate_limited', message: err.message } } satisfies ErrorBody);
    if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) {
      return reply.status(err.statusCode).send({ error: { code: 'bad_request', message: err.message } } satisfies ErrorBody);
    }
    request.log.error({ err }, 'unhandled error');
    return reply.status(500).send({ error: { code: 'internal', message: 'Something went wrong on our side; the error was logged' } } satisfies ErrorBody);
  });
  app.setNotFoundHandler((request, reply) => {
    reply.status(404).send({ error: { code: 'not_found', message: `No route for ${request.method} ${request.url.split('?')[0]}` } } satisfies ErrorBody);
  });
}

/** JSON bodies must be valid UTF-8: broken bytes are refused with a clear error instead of being guessed at. */
export function installStrictJsonParser(app: FastifyInstance): void {
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_req, body, done) => {
    const buf = body as Buffer;
    if (buf.length === 0) return done(null, undefined);
    let text: string;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(buf);
    } catch {
      return done(new AppError('bad_request', 'The body is not valid UTF-8', 400));
    }
    try {
      done(null, JSON.parse(text));
    } catch (err) {
      done(new AppError('bad_request', `The body is not valid JSON: ${(err as Error).message}`, 400));
    }
  });
}
