import cluster from 'node:cluster';
import type { Server } from 'node:http';
import { bootstrapAdminToken } from '../src/access/tokens.js';
import { BootError, checkRedis, preparePostgres, waitFor, type BootWait } from '../src/boot.js';
import { readServerSettings, serverSettingWarnings } from '../src/db/serverCheck.js';
import { ConfigError, loadConfig, type Config } from '../src/config.js';
import type { AppContext } from '../src/context.js';
import { createPool } from '../src/db/pool.js';
import { superviseApiProcesses } from '../src/http/apiProcesses.js';
import { createMetrics } from '../src/metrics.js';
import { createLogger } from '../src/logger.js';
import { LogThrottle } from '../src/logThrottle.js';
import { installKeyring, SecretsKeyError } from '../src/secrets/keyring.js';
import { sealAllSecrets } from '../src/secretRotation/rotateSecrets.js';
import { connectRedis } from '../src/queue/connections.js';
import { createQueues } from '../src/queue/queues.js';
import type { RunningWorkers } from '../workers/index.js';
import type { EventDelivery } from '../src/events/deliveryWorker.js';

async function main(config: Config): Promise<void> {
  const logger = createLogger(config.LOG_LEVEL, { role: config.ROLE }, { buffered: true });
  // Library errors during an outage repeat many times a second: one line per dependency per 30 s.
  const throttle = new LogThrottle(logger);
  const ring = installKeyring(config, (message) => logger.warn(message));
  const wait: BootWait = {
    retries: config.BOOT_RETRIES,
    delayMs: config.BOOT_RETRY_DELAY_MS,
    log: (info) => {
      logger.warn(info, `${info.dependency} not ready (attempt ${info.attempt} of ${info.retries + 1}); retrying in ${info.delayMs} ms`);
      logger.flush();
    },
  };
  await waitFor('postgres', wait, () => preparePostgres(config.DATABASE_URL));
  const redis = connectRedis(config, 'producer', (err) => throttle.log('redis:producer', 'error', { dependency: 'redis', err }, 'Redis connection error'));
  try {
    await waitFor('redis', wait, () => checkRedis(redis, config));
  } catch (error) {
    redis.disconnect();
    throw error;
  }
  const pool = createPool(config.DATABASE_URL);
  pool.on('error', (err) => throttle.log('postgres:idle', 'error', { dependency: 'postgres', err }, 'idle PostgreSQL client error'));
  for (const warning of serverSettingWarnings(await readServerSettings(pool))) logger.warn({ dependency: 'postgres' }, warning);
  const queues = createQueues(redis, config.QUEUE_PREFIX, (err, queue) =>
    throttle.log(`queue:${queue}`, 'error', { dependency: 'redis', queue, err }, 'queue error'),
  );
  // Rows written before encryption (or under a retired key) are sealed now: SQL migrations have no key.
  const sealed = await sealAllSecrets(pool, ring);
  if (sealed.merchants + sealed.endpoints > 0) logger.info({ ...sealed, kid: ring.currentKid }, 'secrets encrypted at rest under the current key');
  const ctx: AppContext = { config, pool, redis, queues, logger, metrics: createMetrics(queues, pool) };

  const generated = await bootstrapAdminToken(pool, config.ADMIN_TOKEN);
  if (generated) {
    // Printed once, to the terminal only: the token is stored hashed and cannot be shown again.
    process.stdout.write(`\nFirst start: an admin token was created. Keep it, it is shown only once:\n\n  ${generated}\n\n`);
  }

  let server: Server | undefined;
  let workers: RunningWorkers | undefined;
  let delivery: EventDelivery | undefined;
  // Each role loads only its own code: the HTTP stack (Express, the routes, the console's contract) is
  // 23–28 MB of a process's resident memory, which a worker would carry for nothing (issue 29).
  if (config.ROLE === 'all' || config.ROLE === 'worker') workers = await (await import('../workers/index.js')).startWorkers(ctx);
  // The events role: only the outbox dispatcher and the webhook senders (EVENT_DELIVERY=events).
  if (config.ROLE === 'events') delivery = (await import('../src/events/deliveryWorker.js')).startEventDelivery(ctx);
  if (config.ROLE === 'all' || config.ROLE === 'api') {
    const [{ createApp }, { routeTable }] = await Promise.all([import('../src/http/app.js'), import('../src/routes.js')]);
    const app = createApp(ctx, routeTable(ctx));
    // Express 5 hands a listen error to this callback: without the check a taken port logged "listening"
    // and the process ran on, serving nothing.
    server = await new Promise<Server>((resolve, reject) => {
      const s = app.listen(config.PORT, config.HOST, (error?: Error) => (error ? reject(listenError(error, config)) : resolve(s)));
    });
    // The address the socket is really bound to (0.0.0.0 is every interface, not just this machine).
    const address = server.address();
    const bound = typeof address === 'object' && address ? (address.family === 'IPv6' ? `[${address.address}]` : address.address) : config.HOST;
    const port = typeof address === 'object' && address ? address.port : config.PORT;
    logger.info({ url: `http://${bound}:${port}`, host: config.HOST, port }, `listening on http://${bound}:${port}`);
    // Where a person goes next: the console (the public address when set, else this machine's).
    const consoleUrl = `${config.PUBLIC_URL?.replace(/\/$/, '') ?? `http://${bound === '0.0.0.0' || bound === '[::]' ? 'localhost' : bound}:${port}`}/console/`;
    logger.info({ console: consoleUrl }, `console at ${consoleUrl}`);
  } else {
    logger.info(`${config.ROLE} role started`);
  }
  // Startup lines matter to whoever is watching the terminal: do not leave them in the buffer.
  logger.flush();

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    const force = setTimeout(() => {
      logger.error('shutdown took too long; exiting');
      process.exit(1);
    }, config.SHUTDOWN_TIMEOUT_MS + 5_000);
    force.unref();
    if (server) {
      const s = server;
      await new Promise<void>((resolve) => s.close(() => resolve()));
    }
    await workers?.close(config.SHUTDOWN_TIMEOUT_MS);
    await delivery?.close();
    await queues.close();
    redis.disconnect();
    await pool.end();
    logger.info('stopped');
    logger.flush();
    setTimeout(() => process.exit(0), 50).unref();
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

/** Every configuration error, whenever it is found (the environment, SECRETS_KEY, SESSION_SECRET), exits with this. */
const CONFIG_EXIT = 2;

/** A configuration error in plain words, naming its variable. */
function configMessage(error: ConfigError | SecretsKeyError): string {
  return error instanceof SecretsKeyError && !/\bSECRETS_KEY\b/.test(error.message) ? `Invalid setting SECRETS_KEY: ${error.message}` : error.message;
}

function listenError(error: Error, config: Config): Error {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'EADDRINUSE')
    return new BootError(`Cannot listen on ${config.HOST}:${config.PORT}: port ${config.PORT} is already in use (set PORT to a free one)`);
  if (code === 'EACCES') return new BootError(`Cannot listen on ${config.HOST}:${config.PORT}: permission denied for port ${config.PORT}`);
  if (code === 'EADDRNOTAVAIL') return new BootError(`Cannot listen on ${config.HOST}:${config.PORT}: HOST ${config.HOST} is not an address of this machine`);
  return new BootError(`Cannot listen on ${config.HOST}:${config.PORT}: ${error.message}`);
}

function exitOnStartError(error: unknown): never {
  if (error instanceof ConfigError || error instanceof SecretsKeyError) {
    console.error(configMessage(error));
    process.exit(CONFIG_EXIT);
  }
  console.error(error instanceof BootError ? error.message : `Failed to start: ${(error as Error).stack ?? String(error)}`);
  process.exit(1);
}

let config: Config;
try {
  config = loadConfig();
} catch (error) {
  exitOnStartError(error);
}
/** Migrates once, then forks the API processes (which find the schema current). */
async function primary(config: Config): Promise<void> {
  const logger = createLogger(config.LOG_LEVEL, { role: 'api-primary' });
  await waitFor(
    'postgres',
    { retries: config.BOOT_RETRIES, delayMs: config.BOOT_RETRY_DELAY_MS, log: (info) => logger.warn(info, `${info.dependency} not ready`) },
    () => preparePostgres(config.DATABASE_URL),
  );
  superviseApiProcesses(config.API_PROCESSES, logger, config.SHUTDOWN_TIMEOUT_MS);
}

(config.API_PROCESSES > 1 && cluster.isPrimary ? primary(config) : main(config)).catch(exitOnStartError);
