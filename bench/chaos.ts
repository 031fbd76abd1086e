/**
 * `npm run chaos`: the fault drills (README, "The fault drills"). Each runs the service as separate
 * processes (the API, 3 workers) on its own redis-server, delivers the sales of bench/chaosPlan.ts
 * (completed, voided, returned twice, returned while pending; duplicates, reversed versions, final
 * versions only the reconciliation poll finds) while faults play, then asks the oracle
 * (bench/chaosOracle.ts) and prints `N passed, M failed`:
 *   1. postgres   its own PostgreSQL cluster stopped `-m immediate` and started twice, then down 20 s
 *   2. lightspeed the fake answers 500s, then hangs, then 429s (20–60 s each) during polls and sale loading
 *   3. api        3 API processes, one SIGKILLed every 2 s during the webhook burst
 *   4. all        1–3 together with worker kills every 3 s and Redis emptied once
 * `--quick` runs them small and short; `--drill=postgres,api` picks some; `--restore` runs the backup and
 * restore drill (bench/chaosRestore.ts) instead. Exit code 0 only when every drill has M = 0.
 */
import { closeAll, runDrill, type DrillOptions } from './chaosDrill.js';
import { runRestoreDrill } from './chaosRestore.js';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const only = args
  .find((a) => a.startsWith('--drill='))
  ?.slice('--drill='.length)
  .split(',');
const SALES = Number(process.env.CHAOS_SALES ?? (quick ? 300 : 3_000));

const DRILLS: DrillOptions[] = [
  { name: 'postgres', sales: SALES, quick, apiProcesses: 1, faults: { postgres: true } },
  { name: 'lightspeed', sales: SALES, quick, apiProcesses: 1, faults: { lightspeed: true } },
  { name: 'api', sales: SALES, quick, apiProcesses: 3, faults: { apiKills: true } },
  { name: 'all', sales: SALES, quick, apiProcesses: 3, faults: { postgres: true, lightspeed: true, apiKills: true, workerKills: true, redisWipe: true } },
];

async function main(): Promise<void> {
  let passed = 0;
  let failed = 0;
  if (args.includes('--restore')) {
    const result = await runRestoreDrill({ sales: SALES, quick });
    passed += result.passed;
    failed += result.failed;
  } else {
    for (const drill of DRILLS.filter((d) => !only || only.includes(d.name))) {
      const started = Date.now();
      let result: { passed: number; failed: number };
      try {
        result = await runDrill(drill);
      } catch (error) {
        console.error(error);
        console.log(`drill ${drill.name}: 0 passed, 1 failed`);
        result = { passed: 0, failed: 1 };
      }
      console.log(`drill ${drill.name}: took ${Math.round((Date.now() - started) / 1000)} s`);
      passed += result.passed;
      failed += result.failed;
    }
  }
  console.log(`${passed} passed, ${failed} failed`);
  process.exitCode = failed === 0 ? 0 : 1;
}

for (const signal of ['SIGINT', 'SIGTERM'] as const)
  process.once(signal, () => {
    console.log(`chaos: ${signal}, stopping what the drills started`);
    void closeAll().finally(() => process.exit(130));
  });

main().catch((error: unknown) => {
  console.error(error);
  console.log('0 passed, 1 failed');
  process.exit(1);
});
