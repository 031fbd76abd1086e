import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';

describe('loadConfig', () => {
  it('has defaults that work on a developer machine', () => {
    const config = loadConfig({});
    expect(config.DATABASE_URL).toBe('postgres://postgres@127.0.0.1:5432/loyalty');
    expect(config.REDIS_URL).toBe('redis://127.0.0.1:6379');
    expect(config.PORT).toBe(3000);
    expect(config.ROLE).toBe('all');
  });

  it.each([
    [{ PORT: 'eighty' }, /^Invalid setting PORT: /],
    [{ ROLE: 'both' }, /^Invalid setting ROLE: /],
    [{ DATABASE_URL: 'mysql://x' }, /^Invalid setting DATABASE_URL: /],
    [{ ADMIN_TOKEN: 'short' }, /^Invalid setting ADMIN_TOKEN: must be at least 24 characters/],
  ])('names the wrong variable: %o', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });
});
