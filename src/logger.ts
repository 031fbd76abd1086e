import { pino, type DestinationStream, type Logger } from 'pino';

export type { Logger };

/** Paths that may hold secrets; pino replaces them before a line is written. */
export const redactPaths = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-signature"]',
  'req.query.token',
  '*.webhookSecret',
  '*.accessToken',
  '*.refreshToken',
  '*.credentials',
  '*.urlToken',
  'token',
];

/** A query parameter whose name looks like a credential has its value replaced in every logged URL. */
const CREDENTIAL_NAME = /token|secret|password|passwd|pwd|key|signature|sig|code|auth|session|credential|state|verifier/i;

/** The URL with every credential-looking query value redacted (and repeated ones each). */
export function redactUrl(url: string): string {
  const q = url.indexOf('?');
  if (q < 0) return url;
  const query = url
    .slice(q + 1)
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      const name = eq < 0 ? pair : pair.slice(0, eq);
      let decoded = name;
      try {
        decoded = decodeURIComponent(name.replace(/\+/g, ' '));
      } catch {
        // A malformed escape in the name: judge it by its raw text.
      }
      return eq >= 0 && CREDENTIAL_NAME.test(decoded) ? `${name}=[redacted]` : pair;
    })
    .join('&');
  return `${url.slice(0, q)}?${query}`;
}

/** A URL without its query at all (an outgoing call's query is none of the log's business). */
const withoutQuery = (url: unknown) => (typeof url === 'string' ? url.split('?')[0] : undefined);

/**
 * The one way an error reaches the log: name, message, code, HTTP status, the URL without its query and
 * the stack. Never `config`, `data`, `request`, `response`, headers or bodies: an HTTP client's error
 * carries the form it posted (a refresh token, the app's client secret) in those.
 */
export function serializeError(error: unknown): Record<string, unknown> | unknown {
  if (!(error instanceof Error)) {
    // Already serialized by a library (pino-http's own error for a 5xx answer): keep its words only.
    if (typeof error === 'object' && error !== null) {
      const e = error as { type?: unknown; message?: unknown };
      return { type: typeof e.type === 'string' ? e.type : 'Error', message: typeof e.message === 'string' ? redactUrl(e.message) : '[non-error object]' };
    }
    return error;
  }
  const e = error as Error & {
    code?: unknown;
    status?: unknown;
    statusCode?: unknown;
    response?: { status?: unknown };
    config?: { url?: unknown; baseURL?: unknown; method?: unknown };
    cause?: unknown;
  };
  const status = e.response?.status ?? e.status ?? e.statusCode;
  const url = e.config ? withoutQuery(e.config.url) : undefined;
  return {
    type: e.name,
    message: redactUrl(e.message),
    ...(typeof e.code === 'string' || typeof e.code === 'number' ? { code: e.code } : {}),
    ...(typeof status === 'number' ? { status } : {}),
    ...(url ? { url, method: typeof e.config?.method === 'string' ? e.config.method : undefined } : {}),
    stack: e.stack ? redactUrl(e.stack) : undefined,
    ...(e.cause instanceof Error ? { cause: serializeError(e.cause) } : {}),
  };
}

/** Serializers every logger of the service uses (child loggers inherit them). */
export const logSerializers = { err: serializeError, error: serializeError };

/**
 * Lines are buffered (4 KB) and written asynchronously: one write per request was a measurable share of
 * the webhook's cost. main.ts flushes on shutdown; a crash can lose the last few lines, never data.
 * `destination` lets tests read what would be written.
 */
export function createLogger(level: string, base: Record<string, unknown> = {}, options: { buffered?: boolean; destination?: DestinationStream } = {}): Logger {
  const destination = options.destination ?? (options.buffered ? pino.destination({ dest: 1, sync: false, minLength: 4096 }) : undefined);
  const settings = { level, base: { service: 'loyalty', ...base }, redact: { paths: redactPaths, censor: '[redacted]' }, serializers: logSerializers };
  return destination ? pino(settings, destination) : pino(settings);
}
