import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, posix, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// The layout rules of docs/architecture.md, checked on the source itself: an import that breaks one fails here.
const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

function sources(dir: string): string[] {
  return readdirSync(join(root, dir), { withFileTypes: true }).flatMap((entry) => {
    const path = posix.join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    return /\.tsx?$/.test(entry.name) ? [path] : [];
  });
}

/** Every relative import (static, re-export or dynamic) of every file under src/ and workers/, as repo paths. */
export function importEdges(): Array<{ from: string; to: string }> {
  return [...sources('src'), ...sources('workers')].flatMap((from) => {
    const text = readFileSync(join(root, from), 'utf8');
    const specs = [
      ...text.matchAll(/(?:^|\s)(?:import|export)\s[^'"]*?from\s+['"](\.[^'"]+)['"]|import\(\s*['"](\.[^'"]+)['"]\s*\)|^import\s+['"](\.[^'"]+)['"]/gm),
    ].map((m) => (m[1] ?? m[2] ?? m[3])!);
    return specs.map((spec) => ({ from, to: relative(root, resolve(root, dirname(from), spec)).replace(/\.js$/, '.ts') }));
  });
}

/**
 * The room a file belongs to: its folder under src/ (a file at src/'s top level is its own room), or workers.
 * A module's store/ (its records: schema and SQL) is a room of its own, so that other modules may read a
 * merchant while the merchants module uses them in turn (its routes authorize through access, its connect
 * flow calls Lightspeed).
 */
export function roomOf(path: string): string {
  const parts = path.split('/');
  if (parts[0] === 'workers') return 'workers';
  if (parts.length > 3 && parts[2] === 'store') return `src/${parts[1]}/store`;
  return parts.length === 2 ? path : `src/${parts[1]}`;
}

/** The module a file belongs to (its store included): imports inside one module are its own business. */
const moduleOf = (path: string) => roomOf(path).replace(/\/store$/, '');

describe('layout', () => {
  const edges = importEdges();

  it('finds the imports it checks', () => {
    expect(edges.length).toBeGreaterThan(200);
    expect(edges).toContainEqual({ from: 'src/routes.ts', to: 'src/health/healthRoutes.ts' });
  });

  it('src/http hosts and imports no feature: only itself, the context, the logger, the config and the domain error', () => {
    const allowed = (to: string) => to.startsWith('src/http/') || ['src/context.ts', 'src/logger.ts', 'src/config.ts', 'src/domainError.ts'].includes(to);
    expect(edges.filter((e) => e.from.startsWith('src/http/') && !allowed(e.to))).toEqual([]);
  });

  it('domain code does not import the HTTP edge: only routes and the access module do', () => {
    const edge = (from: string) =>
      /Routes?\.ts$|routes\.ts$/.test(from) || from.startsWith('src/access/') || from.startsWith('src/http/') || from === 'src/routes.ts';
    const domain = ['src/frequentBuyer/', 'src/rules/', 'src/ledger/', 'src/inbox/'];
    expect(edges.filter((e) => domain.some((d) => e.from.startsWith(d)) && !edge(e.from) && e.to.startsWith('src/http/'))).toEqual([]);
  });

  it('nothing in src/ imports workers/ (the entry point bin/main.ts starts both roles)', () => {
    expect(edges.filter((e) => e.from.startsWith('src/') && e.to.startsWith('workers/'))).toEqual([]);
  });

  it('a worker never loads the HTTP stack: bin/main.ts imports each role on start, and workers/ reach no route', () => {
    // 23–28 MB of a worker's resident memory (issue 29's RSS target): measured with the static imports.
    const main = readFileSync(join(root, 'bin/main.ts'), 'utf8');
    const staticImports = [...main.matchAll(/^import\s+(?!type\b)[^'"]*?from\s+['"](\.[^'"]+)['"]/gm)].map((m) => m[1]);
    expect(staticImports).not.toContain('../src/routes.js');
    expect(staticImports).not.toContain('../src/http/app.js');
    expect(staticImports).not.toContain('../workers/index.js');
    const next = new Map<string, string[]>();
    for (const e of edges) next.set(e.from, [...(next.get(e.from) ?? []), e.to]);
    const reached = new Set<string>();
    const visit = (file: string) => {
      if (reached.has(file)) return;
      reached.add(file);
      for (const to of next.get(file) ?? []) visit(to);
    };
    visit('workers/index.ts');
    expect(reached.size).toBeGreaterThan(50);
    expect([...reached].filter((f) => f === 'src/routes.ts' || f === 'src/http/app.ts' || /Routes?\.ts$/.test(f))).toEqual([]);
  });

  it('no two rooms import each other', () => {
    const pairs = new Set(edges.filter((e) => moduleOf(e.from) !== moduleOf(e.to)).map((e) => `${roomOf(e.from)} -> ${roomOf(e.to)}`));
    const mutual = [...pairs].filter((pair) => {
      const [a, b] = pair.split(' -> ') as [string, string];
      return a < b && pairs.has(`${b} -> ${a}`);
    });
    const which = mutual.map((pair) => {
      const [a, b] = pair.split(' -> ') as [string, string];
      return `${pair}: ${edges
        .filter((e) => (roomOf(e.from) === a && roomOf(e.to) === b) || (roomOf(e.from) === b && roomOf(e.to) === a))
        .map((e) => `${e.from} -> ${e.to}`)
        .join(', ')}`;
    });
    expect(which).toEqual([]);
  });
  it('no circle of files: following the imports (types included) never leads back to the file they start from', () => {
    const next = new Map<string, string[]>();
    for (const e of edges) next.set(e.from, [...(next.get(e.from) ?? []), e.to]);
    const done = new Set<string>();
    const circles: string[] = [];
    const visit = (file: string, path: string[]) => {
      if (path.includes(file)) return void circles.push([...path.slice(path.indexOf(file)), file].join(' -> '));
      if (done.has(file)) return;
      for (const to of next.get(file) ?? []) visit(to, [...path, file]);
      done.add(file);
    };
    for (const file of next.keys()) visit(file, []);
    // Known, left to the Lightspeed module: the series' pagers use helpers of the file that picks between them.
    const known = [
      'src/lightspeed/r/salePages.ts -> src/lightspeed/salePages.ts -> src/lightspeed/r/salePages.ts',
      'src/lightspeed/salePages.ts -> src/lightspeed/x/salePages.ts -> src/lightspeed/salePages.ts',
    ];
    expect(circles.filter((circle) => !known.includes(circle))).toEqual([]);
  });
  it('one route table: only src/routes.ts mounts a router (calls a *Routes function)', () => {
    const mounting = sources('src').filter(
      (path) => path !== 'src/routes.ts' && /\b[a-z]\w*Routes\(/.test(readFileSync(join(root, path), 'utf8').replace(/export function \w+Routes\(/g, '')),
    );
    expect(mounting).toEqual([]);
  });
  // A store file: in a module's store/ folder, or named store.ts, repo.ts or *Repo.ts.
  const isStore = (path: string) => /\/store\//.test(path) || /\/(store|repo|\w+Repo)\.ts$/.test(path);
  const runsSql = (text: string) => /\.query\s*(<[\s\S]*?>)?\s*\(/.test(text);
  const code = [...sources('src'), ...sources('workers')].map((path) => ({ path, text: readFileSync(join(root, path), 'utf8') }));

  it('the SQL check sees typed queries too (`.query<T>(`)', () => {
    expect(runsSql('await db.query<{ id: string; n: Array<number> }>(`SELECT 1`)')).toBe(true);
    expect(runsSql('await pool.query(`SELECT 1`)')).toBe(true);
    expect(runsSql('const query = parse(req.query);')).toBe(false);
  });

  it('SQL only in store files: routes, actions and rules call a store', () => {
    // The database's own plumbing, the readiness probe and the metrics' counts.
    const plumbing = ['src/db/pool.ts', 'src/db/migrate.ts', 'src/db/serverCheck.ts', 'src/health/probe.ts', 'src/metrics.ts'];
    // A new file with SQL outside a store fails here.
    const outside = code.filter((f) => runsSql(f.text) && !isStore(f.path) && !plumbing.includes(f.path)).map((f) => f.path);
    expect(outside).toEqual([]);
    // Every route file is held to it, whatever the list says.
    expect(code.filter((f) => /(Routes?|routes)\.ts$/.test(f.path) && runsSql(f.text)).map((f) => f.path)).toEqual([]);
    expect(code.filter((f) => /(Routes?|routes)\.ts$/.test(f.path)).length).toBeGreaterThan(10);
  });

  it('routes parse, authorize, call and answer: no route file opens a transaction (an action owns it)', () => {
    const opening = code.filter((f) => /(Routes?|routes)\.ts$/.test(f.path) && /\bwithTransaction\s*\(/.test(f.text)).map((f) => f.path);
    expect(opening).toEqual([]);
    expect(code.some((f) => /\bwithTransaction\s*\(/.test(f.text) && f.path.startsWith('src/staff/'))).toBe(true);
  });

  it('one writer per table: each table is inserted into, updated and deleted from by one module', () => {
    const writers = new Map<string, Set<string>>();
    for (const { path, text } of code)
      for (const m of text.matchAll(/\b(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+(?!SET\b)([a-z_]+)\b/g))
        writers.set(m[1]!, new Set([...(writers.get(m[1]!) ?? []), moduleOf(path)]));
    expect(writers.size).toBeGreaterThan(20);
    expect(writers.get('rules_versions')).toEqual(new Set(['src/ruleVersions']));
    // The inbox owns every change of its rows (the ledger's one write embeds the inbox's statements); merchants
    // are sealed and re-sealed by their own store.
    expect(writers.get('sale_events')).toEqual(new Set(['src/inbox']));
    expect(writers.get('merchants')).toEqual(new Set(['src/merchants']));
    const several = [...writers].filter(([, modules]) => modules.size > 1);
    expect(several.map(([table, modules]) => `${table}: ${[...modules].join(', ')}`)).toEqual([]);
  });

  it('the console imports nothing of the server but the shared contract (src/contract/)', () => {
    const consoleFiles = sources('console/src');
    expect(consoleFiles.length).toBeGreaterThan(20);
    const serverImports = consoleFiles.flatMap((from) =>
      [...readFileSync(join(root, from), 'utf8').matchAll(/from\s+['"](\.[^'"]+)['"]/g)]
        .map((m) => relative(root, resolve(root, dirname(from), m[1]!)))
        .filter((to) => !to.startsWith('console/'))
        .map((to) => ({ from, to })),
    );
    expect(serverImports.filter((i) => !i.to.startsWith('src/contract/'))).toEqual([]);
    // One API client: no page or component calls fetch itself (the CSV download is a link, not a call).
    expect(consoleFiles.filter((f) => f !== 'console/src/api/client.ts' && /\bfetch\(/.test(readFileSync(join(root, f), 'utf8')))).toEqual([]);
  });
});
