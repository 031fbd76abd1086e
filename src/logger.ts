import { pino, type Logger } from 'pino';

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

/**
 * Lines are buffered (4 KB) and written asynchronously: one write per request was a measurable share of
 * the webhook's cost. main.ts flushes on shutdown; a crash can lose the last few lines, never data.
 */
export function createLogger(level: string, base: Record<string, unknown> = {}, options: { buffered?: boolean } = {}): Logger {
  const destination = options.buffered ? pino.destination({ dest: 1, sync: false, minLength: 4096 }) : undefined;
  const settings = { level, base: { service: 'loyalty', ...base }, redact: { paths: redactPaths, censor: '[redacted]' } };
  return destination ? pino(settings, destination) : pino(settings);
}
