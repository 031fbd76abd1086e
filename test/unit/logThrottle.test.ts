import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { LogThrottle } from '../../src/logThrottle.js';
import { createLogger } from '../../src/logger.js';

describe('LogThrottle', () => {
  it('logs the first of a kind, counts repeats within the interval, and reports the count on the next line', () => {
    const lines: Array<Record<string, unknown>> = [];
    const logger = createLogger('info', {}, { destination: new Writable({ write: (chunk, _e, done) => (lines.push(JSON.parse(String(chunk))), done()) }) });
    let now = 0;
    const throttle = new LogThrottle(logger, 30_000, () => now);
    for (let i = 0; i < 500; i += 1) {
      now = i * 40; // 500 errors over 20 s of a Redis outage
      throttle.log('redis', 'error', { dependency: 'redis' }, 'Redis connection error');
      throttle.log('postgres', 'warn', { dependency: 'postgres' }, 'PostgreSQL error');
    }
    expect(lines).toHaveLength(2);
    now = 31_000;
    throttle.log('redis', 'error', { dependency: 'redis' }, 'Redis connection error');
    expect(lines).toHaveLength(3);
    expect(lines[2]).toMatchObject({ dependency: 'redis', repeated: 499, msg: 'Redis connection error' });
  });
});
