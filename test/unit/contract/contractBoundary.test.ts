import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, posix, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// The console compiles against the server's contract (src/contract/) and nothing else of the server, so a
// change of an answer breaks the console's typecheck, not a support agent's screen.
const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

function sources(dir: string): string[] {
  return readdirSync(join(root, dir), { withFileTypes: true }).flatMap((entry) => {
    const path = posix.join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    return /\.tsx?$/.test(entry.name) ? [path] : [];
  });
}

/** Each relative import of a file: its target as a repo path, and whether it imports types only. */
function imports(from: string): Array<{ to: string; typeOnly: boolean }> {
  const text = readFileSync(join(root, from), 'utf8');
  return [...text.matchAll(/^(?:import|export)\s+(type\s+)?[^'";]*?from\s+['"](\.[^'"]+)['"]/gm)].map((m) => ({
    to: relative(root, resolve(root, dirname(from), m[2]!)).replace(/\.js$/, '') + '.ts',
    typeOnly: Boolean(m[1]),
  }));
}

describe('the contract between the server and the console', () => {
  it('the console imports nothing of the server but src/contract/', () => {
    const outside = sources('console/src').flatMap((file) =>
      imports(file)
        .filter((i) => i.to.startsWith('src/') && !i.to.startsWith('src/contract/'))
        .map((i) => `${file} -> ${i.to}`),
    );
    expect(outside).toEqual([]);
  });

  it('the console imports the contract at all (the rule above is not empty)', () => {
    const uses = sources('console/src').flatMap((file) => imports(file).filter((i) => i.to.startsWith('src/contract/')));
    expect(uses.length).toBeGreaterThan(5);
  });

  // The console bundles what it imports as values: those must run in a browser (zod and pure schemas, no database, no node:).
  const browserSafe = /^src\/(contract\/\w+|rules\/(rules|sale|decision|reasons))\.ts$/;
  it('what the contract imports as values is browser-safe (pure schemas)', () => {
    const unsafe = sources('src/contract').flatMap((file) =>
      imports(file)
        .filter((i) => !i.typeOnly && !browserSafe.test(i.to))
        .map((i) => `${file} -> ${i.to}`),
    );
    expect(unsafe).toEqual([]);
    for (const file of ['src/rules/rules.ts', 'src/rules/sale.ts', 'src/rules/decision.ts', 'src/rules/reasons.ts']) {
      const text = readFileSync(join(root, file), 'utf8');
      expect(text, file).not.toMatch(/from ['"](node:|pg['"]|express|ioredis|bullmq)/);
      expect(imports(file).filter((i) => !i.typeOnly && !browserSafe.test(i.to))).toEqual([]);
    }
  });
});
