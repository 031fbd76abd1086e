import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { configSchema, loadConfig } from '../../src/config.js';

const root = path.resolve(import.meta.dirname, '../..');
const keys = Object.keys(configSchema.shape).sort();

/** The variables named in the first column of the README's "## Configuration" table. */
function readmeRows(): string[] {
  const readme = readFileSync(path.join(root, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('\n## Configuration\n'));
  const table = section.slice(0, section.indexOf('\n\n', section.indexOf('\n|')));
  return table
    .split('\n')
    .filter((line) => line.startsWith('| `'))
    .flatMap((line) => [...line.split('|')[1]!.matchAll(/`([A-Z0-9_]+)`/g)].map((m) => m[1]!))
    .sort();
}

function envExample(): Map<string, string> {
  const text = readFileSync(path.join(root, '.env.example'), 'utf8');
  return new Map(
    text
      .split('\n')
      .filter((line) => /^[A-Z0-9_]+=/.test(line))
      .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
  );
}

describe('configuration documentation', () => {
  it('the README table has one row per setting of the config schema, and no other', () => {
    expect(readmeRows()).toEqual(keys);
  });

  it('.env.example names every setting, and no other', () => {
    expect([...envExample().keys()].sort()).toEqual(keys);
  });

  it('.env.example as written is a valid configuration', () => {
    expect(() => loadConfig(Object.fromEntries(envExample()))).not.toThrow();
  });
});
