import type { Logger } from './logger.js';

type Level = 'error' | 'warn' | 'info';

/**
 * One line per dependency per interval: the first failure of a kind is logged at once, repeats within
 * `intervalMs` are only counted, and the next line after the interval says how many were skipped. An
 * outage of Redis or PostgreSQL then writes a few lines a minute instead of hundreds a second.
 */
export class LogThrottle {
  private readonly seen = new Map<string, { at: number; skipped: number }>();

  constructor(
    private readonly logger: Logger,
    private readonly intervalMs = 30_000,
    private readonly now: () => number = Date.now,
    private readonly maxKeys = 1_000,
  ) {}

  log(key: string, level: Level, fields: Record<string, unknown>, message: string): void {
    const at = this.now();
    const last = this.seen.get(key);
    if (last && at - last.at < this.intervalMs) {
      last.skipped += 1;
      return;
    }
    if (!last && this.seen.size >= this.maxKeys) this.seen.clear(); // a bound, in case keys are ever made from data
    this.seen.set(key, { at, skipped: 0 });
    this.logger[level]({ ...fields, ...(last?.skipped ? { repeated: last.skipped, sinceMs: at - last.at } : {}) }, message);
  }
}
