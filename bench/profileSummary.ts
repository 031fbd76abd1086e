/**
 * `node dist/bench/profileSummary.js <file.cpuprofile>`: where an API process's CPU went, by the parts of
 * an accepted webhook. Each sample goes to the innermost frame on its stack that names a part (so a
 * JSON.parse inside pg counts as PostgreSQL client, a digest inside verifyXSignature as HMAC).
 */
import { readFileSync } from 'node:fs';

interface Node {
  id: number;
  callFrame: { functionName: string; url: string };
  children?: number[];
}
interface Profile {
  nodes: Node[];
  samples: number[];
  timeDeltas: number[];
}

const PARTS: Array<[string, (fn: string, url: string) => boolean]> = [
  ['(idle)', (fn) => fn === '(idle)'],
  ['GC', (fn) => fn === '(garbage collector)'],
  ['HMAC (verify)', (_fn, url) => /verify\.js$/.test(url) || url.startsWith('node:internal/crypto')],
  ['zod (payload schema)', (_fn, url) => url.includes('/node_modules/zod/')],
  [
    'pino / pino-http (logs)',
    (_fn, url) =>
      /\/node_modules\/(pino|pino-http|pino-std-serializers|sonic-boom|fast-redact|thread-stream|fast-safe-stringify|quick-format-unescaped|on-exit-leak-free|atomic-sleep)\//.test(
        url,
      ),
  ],
  [
    'pg (inbox insert)',
    (_fn, url) => /\/node_modules\/(pg|pg-protocol|pg-pool|pg-types|postgres-\w+|pgpass)\//.test(url) || /inbox\/(repo|groupInsert)\.js$/.test(url),
  ],
  [
    'BullMQ / ioredis (addBulk)',
    (_fn, url) =>
      /\/node_modules\/(bullmq|ioredis|msgpackr|redis-parser|@ioredis|cluster-key-slot|standard-as-callback|denque)\//.test(url) ||
      /queue\/enqueue\.js$/.test(url),
  ],
  ['prom-client (metrics)', (_fn, url) => url.includes('/node_modules/prom-client/')],
  ['form parse (URLSearchParams)', (fn, url) => /URLSearchParams|parseParams/.test(fn) || url === 'node:internal/url'],
  ['JSON.parse + depth check', (fn, url) => (fn === 'parse' && url === '') || /jsonDepth\.js$/.test(url)],
  ['the route and app code', (_fn, url) => url.includes('/dist/src/')],
  [
    'Express + body parsers',
    (_fn, url) =>
      /\/node_modules\/(express|router|body-parser|raw-body|type-is|content-type|iconv-lite|qs|finalhandler|send|accepts|negotiator|on-finished|depd|http-errors|statuses|path-to-regexp|encodeurl|etag|fresh|proxy-addr|forwarded|cookie|mime-types|media-typer|unpipe|bytes|merge-descriptors|parseurl|helmet|express-session|cookie-signature)\//.test(
        url,
      ),
  ],
  ['(program)', (fn) => fn === '(program)'],
];
/** Node's own frames (sockets, streams, timers) belong to whoever called them: the walk goes on up. */
const nodeInternal = (fn: string, url: string) => (url === '' || url.startsWith('node:')) && !/^\((idle|garbage collector|program)\)$/.test(fn);
const SPECIAL = new Set(['HMAC (verify)', 'form parse (URLSearchParams)', 'JSON.parse + depth check']);

const file = process.argv[2];
if (!file) throw new Error('usage: profileSummary <file.cpuprofile>');
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map<number, number>();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);

const partOf = new Map<number, string>();
function part(id: number): string {
  const known = partOf.get(id);
  if (known) return known;
  let at: number | undefined = id;
  let found = 'Node HTTP server / sockets (no library above)';
  while (at !== undefined) {
    const { functionName, url } = byId.get(at)!.callFrame;
    const internal = nodeInternal(functionName, url);
    const hit = PARTS.find(([name, match]) => (!internal || SPECIAL.has(name)) && match(functionName, url));
    if (hit) {
      found = hit[0];
      break;
    }
    at = parent.get(at);
  }
  partOf.set(id, found);
  return found;
}

const totals = new Map<string, number>();
const selfTime = new Map<string, number>();
let all = 0;
profile.samples.forEach((id, i) => {
  const dt = profile.timeDeltas[i] ?? 0;
  all += dt;
  totals.set(part(id), (totals.get(part(id)) ?? 0) + dt);
  const f = byId.get(id)!.callFrame;
  const key = `${f.functionName || '(anonymous)'} ${f.url.replace(/^.*node_modules\//, '').replace(/^file:\/\/.*\/dist\//, '')}`;
  selfTime.set(key, (selfTime.get(key) ?? 0) + dt);
});
const busy = all - (totals.get('(idle)') ?? 0);
console.log(`${file}: ${(all / 1e6).toFixed(1)} s sampled, ${(busy / 1e6).toFixed(1)} s busy`);
for (const [name, t] of [...totals].sort((a, b) => b[1] - a[1])) {
  if (name === '(idle)') continue;
  console.log(`${((100 * t) / busy).toFixed(1).padStart(5)} %  ${name}`);
}
console.log('\ntop self time (busy):');
for (const [name, t] of [...selfTime].sort((a, b) => b[1] - a[1]).slice(0, 25)) {
  if (name.startsWith('(idle)')) continue;
  console.log(`${((100 * t) / busy).toFixed(1).padStart(5)} %  ${name}`);
}
