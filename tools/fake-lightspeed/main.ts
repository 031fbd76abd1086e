/**
 * `npm run fake-lightspeed`: the fake Lightspeed API as a standalone server for development.
 * Options (flags or environment): --port / FAKE_LIGHTSPEED_PORT (4010), --host / FAKE_LIGHTSPEED_HOST
 * (127.0.0.1), --registers N (rate limits of a store with N registers), --token-ttl SECONDS (86400),
 * --strict-tokens (refuse tokens the fake did not issue). Prints the settings to give the service.
 */
import { parseArgs } from 'node:util';
import { FakeLightspeed } from './FakeLightspeed.js';

const usage = `Usage: npm run fake-lightspeed -- [--port 4010] [--host 127.0.0.1] [--registers 1] [--token-ttl 86400] [--strict-tokens]

A local stand-in for Lightspeed Retail's API (X-Series and R-Series) for development and demos.
See tools/fake-lightspeed/README.md for the endpoints, shapes, rate limits and the /_fake control API.`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: process.env.FAKE_LIGHTSPEED_PORT ?? '4010' },
      host: { type: 'string', default: process.env.FAKE_LIGHTSPEED_HOST ?? '127.0.0.1' },
      registers: { type: 'string', default: '1' },
      'token-ttl': { type: 'string', default: '86400' },
      'strict-tokens': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log(usage);
    return;
  }
  const port = Number(values.port);
  const registers = Number(values.registers);
  const ttl = Number(values['token-ttl']);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be a port number, got ${values.port}`);
  if (!Number.isInteger(registers) || registers < 1) throw new Error(`--registers must be a positive integer, got ${values.registers}`);
  if (!Number.isInteger(ttl) || ttl < 1) throw new Error(`--token-ttl must be a positive number of seconds, got ${values['token-ttl']}`);
  const fake = new FakeLightspeed({ registers, accessTtlSeconds: ttl, strictTokens: values['strict-tokens'] });
  const url = await fake.start(port, values.host);
  const env = Object.entries(fake.serviceEnv())
    .map(([k, v]) => `  ${k}=${v}`)
    .join('\n');
  console.log(`fake Lightspeed listening on ${url}
  X-Series merchant apiBaseUrl: ${url}/x/<domainPrefix>   R-Series merchant apiBaseUrl: ${url}
Start the service with:
${env}
Control API: GET ${url}/_fake`);
  const stop = () => void fake.stop().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error((error as Error).message);
  process.exit(1);
});
