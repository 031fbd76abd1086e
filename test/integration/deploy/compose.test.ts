import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

// docker-compose.yml as Debian's docker-compose resolves it (.ci/run installs it), and the Dockerfile.
const root = path.resolve(import.meta.dirname, '../../..');
const config = () =>
  execFileSync('docker-compose', ['config'], { cwd: root, encoding: 'utf8', env: { PATH: process.env.PATH, SECRETS_KEY: 'k1:test', SESSION_SECRET: 'test' } });

/** One service's block of `docker-compose config` output. */
const block = (out: string, name: string) => {
  const start = out.indexOf(`\n  ${name}:\n`);
  const rest = out.slice(start + 1);
  const end = rest.slice(1).search(/\n {2}\S/);
  return end < 0 ? rest : rest.slice(0, end + 1);
};

describe('docker-compose.yml', () => {
  it('is valid, and refuses to resolve without SECRETS_KEY and SESSION_SECRET', () => {
    const out = config();
    expect(out).toContain('services:');
    expect(() => execFileSync('docker-compose', ['config', '-q'], { cwd: root, env: { PATH: process.env.PATH }, stdio: 'pipe' })).toThrow(/SECRETS_KEY/);
  });

  it('runs postgres, redis (AOF, noeviction), api, worker and events, each with a health check; ports on 127.0.0.1 only', () => {
    const out = config();
    for (const name of ['postgres', 'redis', 'api', 'worker', 'events']) expect(block(out, name)).toContain('healthcheck:');
    const ports = [...out.matchAll(/^ {4}- (\S+:\d+:\d+\S*)$/gm)].map((m) => m[1]!);
    expect(ports.length).toBe(3);
    for (const port of ports) expect(port).toMatch(/^127\.0\.0\.1:/);
    expect(block(out, 'redis')).toMatch(/- --appendonly\n\s+- "?'?yes/);
    expect(block(out, 'redis')).toContain('noeviction');
    // Outbound events are sent by the events service only (EVENT_DELIVERY=events on the worker too).
    for (const name of ['worker', 'events']) expect(block(out, name)).toContain('EVENT_DELIVERY: events');
    for (const name of ['api', 'worker', 'events']) {
      const b = block(out, name);
      expect(b.match(/condition: service_healthy/g)).toHaveLength(2);
      expect(b).toContain(`ROLE: ${name}`);
      expect(b).toMatch(/BOOT_RETRIES: '\d+'/);
    }
  });
});

describe('Dockerfile', () => {
  it('builds in one stage and runs as a non-root user with production dependencies, checking /readyz', () => {
    const file = readFileSync(path.join(root, 'Dockerfile'), 'utf8');
    expect(file.match(/^FROM /gm)).toHaveLength(2);
    expect(file).toMatch(/npm prune --omit=dev/);
    expect(file).toMatch(/^USER node$/m);
    expect(file).toMatch(/^HEALTHCHECK .*dist\/src\/health\/probe\.js/m);
    expect(file).toMatch(/^CMD \["node", "dist\/bin\/main\.js"\]$/m);
  });
});
