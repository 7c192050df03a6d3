/**
 * Response decoding and error wording for `safeFetch` (see `safe-fetch.ts`).
 *
 * Error messages name the URL without its query (which may hold tokens) and never include request headers.
 */
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import { AppError } from './errors.ts';
import { redactUrl } from './safe-fetch-policy.ts';

type Inflate = (buf: Buffer, options: zlib.ZlibOptions | zlib.BrotliOptions) => Promise<Buffer>;

const gunzip = promisify(zlib.gunzip) as Inflate;
const inflate = promisify(zlib.inflate) as Inflate;
const inflateRaw = promisify(zlib.inflateRaw) as Inflate;
const brotli = promisify(zlib.brotliDecompress) as Inflate;

export function fetchFailed(message: string): AppError {
  return new AppError('fetch_failed', `Fetch failed: ${message}.`, 502);
}

export function tooLarge(url: URL, maxBytes: number): AppError {
  return fetchFailed(`${redactUrl(url)} returned more than ${maxBytes} bytes (the limit is FETCH_MAX_BYTES)`);
}

/**
 * Undo the Content-Encoding (gzip, deflate, br; several are applied in reverse order). The output is
 * capped at `maxBytes` so that a small compressed body cannot expand into gigabytes.
 */
export async function decodeBody(raw: Buffer, contentEncoding: string | undefined, maxBytes: number, url: URL): Promise<Buffer> {
  if (raw.length === 0 || !contentEncoding) return raw;
  const codings = contentEncoding
    .toLowerCase()
    .split(',')
    .map((c) => c.trim())
    .filter((c) => c && c !== 'identity')
    .reverse();
  let body = raw;
  for (const coding of codings) body = await decodeOne(body, coding, maxBytes, url);
  return body;
}

async function decodeOne(body: Buffer, coding: string, maxBytes: number, url: URL): Promise<Buffer> {
  const options = { maxOutputLength: maxBytes };
  try {
    switch (coding) {
      case 'gzip':
      case 'x-gzip':
        return await gunzip(body, options);
      case 'br':
        return await brotli(body, options);
      case 'deflate':
        // "deflate" should be zlib-wrapped, but some servers send raw deflate; the zlib header tells them apart.
        return (body[0]! & 0x0f) === 8 ? await inflate(body, options) : await inflateRaw(body, options);
      default:
        throw fetchFailed(`${redactUrl(url)} used an unsupported Content-Encoding "${coding}"`);
    }
  } catch (err) {
    if (err instanceof AppError) throw err;
    if ((err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') throw tooLarge(url, maxBytes);
    throw fetchFailed(`could not decode the ${coding} body from ${redactUrl(url)}: ${(err as Error).message}`);
  }
}

const TLS_CODE = /^(CERT_|ERR_TLS_|ERR_SSL_|DEPTH_ZERO|SELF_SIGNED|UNABLE_TO_)/;

/**
 * Turn whatever a request threw into an AppError with a message an operator can act on.
 * `timedOutMs` is set when the call's time budget ran out (the socket error is then just a symptom).
 */
export function toFetchError(err: unknown, url: URL, timedOutMs: number | null): AppError {
  if (err instanceof AppError) return err;
  const where = redactUrl(url);
  if (timedOutMs !== null) return fetchFailed(`${where} did not answer within ${timedOutMs} ms (FETCH_TIMEOUT_MS)`);
  const e = err as NodeJS.ErrnoException;
  const code = e.code ?? '';
  const host = url.hostname;
  const port = url.port || (url.protocol === 'https:' ? '443' : '80');
  if (code === 'ENOTFOUND') return fetchFailed(`could not resolve host ${host} (no such name in DNS)`);
  if (code === 'EAI_AGAIN') return fetchFailed(`DNS lookup for ${host} failed temporarily`);
  if (code === 'ECONNREFUSED') return fetchFailed(`${host}:${port} refused the connection`);
  if (code === 'ECONNRESET') return fetchFailed(`${host}:${port} reset the connection`);
  if (['ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH'].includes(code)) return fetchFailed(`${host}:${port} is unreachable (${code})`);
  if (TLS_CODE.test(code)) return fetchFailed(`TLS error talking to ${host}: ${e.message}`);
  if (code.startsWith('HPE_')) return fetchFailed(`${where} sent an invalid HTTP response`);
  return fetchFailed(`${where}: ${code ? `${code} ` : ''}${e.message ?? String(err)}`);
}
