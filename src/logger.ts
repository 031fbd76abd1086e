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

export function createLogger(level: string, base: Record<string, unknown> = {}): Logger {
  return pino({ level, base: { service: 'loyalty', ...base }, redact: { paths: redactPaths, censor: '[redacted]' } });
}
