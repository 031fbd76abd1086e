import ipaddr from 'ipaddr.js';
import { z } from 'zod';

const SECOND = 1000;
const MINUTE = 60 * SECOND;

/** The only reader of process.env: every setting, parsed once at boot. */
export const configSchema = z.object({
  /** `production` turns on the checks a developer machine can skip (the apiBaseUrl allow-list). */
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/ }).default('postgres://postgres@127.0.0.1:5432/loyalty'),
  REDIS_URL: z.url({ protocol: /^rediss?$/ }).default('redis://127.0.0.1:6379'),
  /**
   * Redis Cluster seed nodes, `host:port,host:port`: set, the service connects to the cluster (REDIS_URL
   * then gives only the user, password and TLS). QUEUE_PREFIX must be hash-tagged, e.g. `{loyalty}`.
   */
  REDIS_CLUSTER_NODES: z
    .string()
    .regex(/^\s*[^\s,]+:\d+\s*(,\s*[^\s,]+:\d+\s*)*$/, 'must be host:port,host:port')
    .optional(),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('0.0.0.0'),
  ROLE: z.enum(['all', 'api', 'worker', 'events']).default('all'),
  /**
   * Which processes send outbound events (src/events): `worker` (the default: the worker role sends them
   * beside the sale jobs) or `events` (only ROLE=events processes do; the worker role then leaves them
   * alone, so sending never takes CPU from the sale pipeline). ROLE=all always sends them.
   */
  EVENT_DELIVERY: z.enum(['worker', 'events']).default('worker'),
  /**
   * At boot, how many more times to try PostgreSQL and Redis when they do not answer yet, BOOT_RETRY_DELAY_MS
   * apart (containers start in any order). 0 fails at once with one line naming the dependency.
   */
  BOOT_RETRIES: z.coerce.number().int().min(0).max(1000).default(0),
  BOOT_RETRY_DELAY_MS: z.coerce
    .number()
    .int()
    .min(0)
    .default(2 * SECOND),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Seeds the first admin token when the token table is empty. */
  ADMIN_TOKEN: z.string().min(24, 'must be at least 24 characters').optional(),
  /** Hash-tagged so every BullMQ key of a deployment lands in one Redis Cluster slot. */
  QUEUE_PREFIX: z.string().min(1).default('{loyalty}'),
  /**
   * With ROLE=api: how many API processes serve the one port (node:cluster; the primary only supervises).
   * 1 = this process serves. More lets one machine's cores share the webhook load.
   */
  API_PROCESSES: z.coerce.number().int().min(1).max(64).default(1),
  /**
   * Sale jobs one worker process runs at once. Their sales are applied together (SALES_BATCH_MAX), so this
   * bounds the batch: 50 measured 1.7× the worker capacity of 10 (README, Throughput). Twice the batch, so
   * that the next batch's jobs are taken from the queue while one is written (with as many jobs as one
   * batch, the jobs freed by a commit came back one by one and the first went alone: README Performance).
   */
  WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(400).default(200),
  /**
   * Sales applied together by one statement and commit, at most (the sale jobs running at once are batched).
   * 100, was 50: a batch's fixed cost spread over more sales (README Performance, the evening round).
   */
  SALES_BATCH_MAX: z.coerce.number().int().min(1).max(500).default(100),
  /** BullMQ lock of a running sales job; a killed worker's job is re-run after about this long. */
  JOB_LOCK_MS: z.coerce
    .number()
    .int()
    .min(1000)
    .default(30 * SECOND),
  SWEEP_EVERY_MS: z.coerce
    .number()
    .int()
    .min(SECOND)
    .default(30 * SECOND),
  /** An inbox row not done after this long is re-enqueued by the sweeper. */
  SWEEP_AGE_MS: z.coerce
    .number()
    .int()
    .min(0)
    .default(1 * MINUTE),
  SHUTDOWN_TIMEOUT_MS: z.coerce
    .number()
    .int()
    .min(0)
    .default(10 * SECOND),
  /** How long after its time a pending bucket is woken up (release bucket width). */
  RELEASE_BUCKET_MS: z.coerce
    .number()
    .int()
    .min(SECOND)
    .default(60 * MINUTE),
  R_POLL_EVERY_MS: z.coerce
    .number()
    .int()
    .min(SECOND)
    .default(60 * SECOND),
  X_POLL_EVERY_MS: z.coerce
    .number()
    .int()
    .min(SECOND)
    .default(5 * MINUTE),
  /**
   * Days after a sale version is done before its raw Lightspeed payload is dropped (decisions, ledger,
   * receipts and sale snapshots stay forever). 0 keeps every payload forever.
   */
  PAYLOAD_RETENTION_DAYS: z.coerce.number().int().min(0).max(36_500).default(90),
  /** Unknown tokens or wrong passwords an address (or account) may send per minute before 429 for a minute. */
  AUTH_FAILURES_PER_MINUTE: z.coerce.number().int().min(1).default(20),
  /** Express `trust proxy`: which hops' X-Forwarded-For to believe (the address rate limits count by). */
  TRUST_PROXY: z.string().default('loopback'),
  /** Signs the console's session cookie; required in production (all API processes must share it). */
  SESSION_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  /** A console session ends after this long without a request, and in any case after SESSION_MAX_MS. */
  SESSION_IDLE_MS: z.coerce
    .number()
    .int()
    .min(60 * SECOND)
    .default(30 * MINUTE),
  SESSION_MAX_MS: z.coerce
    .number()
    .int()
    .min(60 * SECOND)
    .default(12 * 60 * MINUTE),
  /**
   * Encrypts merchant secrets at rest (AES-256-GCM): `kid:base64key[,kid:base64key...]`, the first key
   * encrypts, all decrypt. Required in production; elsewhere a development key is used with a warning.
   */
  SECRETS_KEY: z.string().optional(),
  /** When set, `/metrics` answers only `Authorization: Bearer <METRICS_TOKEN>` (its series name merchants). */
  METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  /** Public base URL of this service, as the POS button calls it (signatures cover the full URL). */
  PUBLIC_URL: z.url().optional(),
  REFERENCE_TTL_MS: z.coerce
    .number()
    .int()
    .min(0)
    .default(60 * MINUTE),
  /** Merchants (and their frequent-buyer catalogs) kept in each process's memory caches, least recently used out first. */
  CACHE_MAX_MERCHANTS: z.coerce.number().int().min(1).default(10_000),
  /** Merchants whose Lightspeed reference data (categories, segments, products) is kept in memory; the rest is read from PostgreSQL. */
  REFERENCE_CACHE_MAX_MERCHANTS: z.coerce.number().int().min(1).default(2_000),
  LIGHTSPEED_JWKS_URL: z.url().default('https://cloud.lightspeedapp.com/.well-known/jwks'),
  /** An unknown key id refetches the JWKS at most this often (a forged kid cannot make us hammer Lightspeed). */
  LIGHTSPEED_JWKS_MIN_REFETCH_MS: z.coerce
    .number()
    .int()
    .min(0)
    .default(5 * SECOND),
  /**
   * Origins a platform admin may give a merchant as `apiBaseUrl` in production (comma-separated, e.g. a
   * Lightspeed sandbox). Outside production any http(s) URL is accepted, for the local fake.
   */
  LIGHTSPEED_API_BASE_ALLOWLIST: z
    .string()
    .default('')
    .transform((v) =>
      v
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
    ),
  X_OAUTH_TOKEN_URL: z.url().optional(),
  R_OAUTH_TOKEN_URL: z.url().default('https://cloud.lightspeedapp.com/auth/oauth/token'),
  /** X-Series authorize page a person is sent to when connecting a store (src/connect). */
  X_OAUTH_AUTHORIZE_URL: z.url().default('https://secure.retail.lightspeed.app/connect'),
  /** R-Series authorize page (PKCE S256). */
  R_OAUTH_AUTHORIZE_URL: z.url().default('https://cloud.lightspeedapp.com/auth/oauth/authorize'),
  /** Scopes asked for when connecting (X space-separated, R `employee:` scopes). */
  X_OAUTH_SCOPE: z.string().default('sales:read customers:read products:read payment_types:read outlets:read retailer:read webhooks'),
  R_OAUTH_SCOPE: z.string().default('employee:register_read employee:customers_read employee:inventory_read employee:categories'),
  /** Days of sales a newly connected store is backfilled with. */
  CONNECT_BACKFILL_DAYS: z.coerce.number().int().min(0).max(365).default(30),
  /**
   * API bases given to stores connected through OAuth instead of Lightspeed's own hosts (the local fake, a
   * sandbox); X may contain `{domain_prefix}`. In production they must be in LIGHTSPEED_API_BASE_ALLOWLIST.
   */
  X_CONNECT_API_BASE: z.url({ protocol: /^https?$/ }).optional(),
  R_CONNECT_API_BASE: z.url({ protocol: /^https?$/ }).optional(),
  /**
   * Outbound events (src/events): addresses webhook endpoints may reach although private or loopback
   * (comma-separated IPs or CIDRs, e.g. `127.0.0.1,10.20.0.0/16`): tests and on-premise receivers only.
   */
  WEBHOOK_ALLOW_CIDRS: z
    .string()
    .default('')
    .transform((v) =>
      v
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
    )
    .refine((list) => list.every((c) => ipaddr.isValid(c) || ipaddr.isValidCIDR(c)), 'must be IP addresses or CIDRs, comma-separated'),
  /** One delivery attempt (connect, send, answer) takes at most this long. */
  WEBHOOK_TIMEOUT_MS: z.coerce
    .number()
    .int()
    .min(100)
    .default(15 * SECOND),
  /** An endpoint whose every attempt has failed for this long is disabled (with a notice in the audit log). */
  WEBHOOK_DISABLE_AFTER_MS: z.coerce
    .number()
    .int()
    .min(0)
    .default(5 * 24 * 60 * MINUTE),
  /** After a secret rotation the previous secret also signs for this long (both signatures are sent). */
  WEBHOOK_SECRET_OVERLAP_MS: z.coerce
    .number()
    .int()
    .min(0)
    .default(24 * 60 * MINUTE),
  /**
   * Endpoints drained at once by one worker process (one per endpoint at a time), in each of two lanes: the
   * healthy endpoints, and those whose last round delivered nothing (src/events/deliveryWorker.ts).
   */
  WEBHOOK_CONCURRENCY: z.coerce.number().int().min(1).max(500).default(32),
  /**
   * Days after an outbound event happened before the hourly retention job deletes it with its delivery log,
   * once no delivery of it is still pending (delivered or failed for good). Replay (one or since a time)
   * reaches back this far. 0 keeps them forever.
   */
  EVENT_RETENTION_DAYS: z.coerce.number().int().min(0).max(36_500).default(30),
  /** How often the outbox is read for new events (and every 25th time, due retries are swept). */
  WEBHOOK_DISPATCH_EVERY_MS: z.coerce.number().int().min(10).default(200),
  /**
   * The Insights rollups' upkeep in the ledger's write (issue 25). `off` exists only for the bench's
   * same-run baseline (bench/insightsUpkeepCase.ts): the figures then fall behind until
   * `npm run insights -- rebuild`. Never turn it off in service.
   */
  INSIGHTS_UPKEEP: z.enum(['on', 'off']).default('on'),
  LIGHTSPEED_CLIENT_ID: z.string().optional(),
  LIGHTSPEED_CLIENT_SECRET: z.string().optional(),
});

export type Config = z.infer<typeof configSchema>;

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Parses the environment; a wrong setting throws one line naming the variable and what is wrong. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const present = Object.fromEntries(
    Object.keys(configSchema.shape)
      .filter((key) => env[key] !== undefined && env[key] !== '')
      .map((key) => [key, env[key]]),
  );
  const parsed = configSchema.safeParse(present);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const name = String(issue.path[0] ?? 'environment');
    throw new ConfigError(`Invalid setting ${name}: ${issue.message}`);
  }
  if (parsed.data.API_PROCESSES > 1 && parsed.data.ROLE !== 'api') {
    throw new ConfigError('Invalid setting API_PROCESSES: more than 1 needs ROLE=api (run the worker role as its own processes)');
  }
  // BullMQ's scripts touch several keys of a queue at once: on a cluster they must share one hash slot.
  if (parsed.data.REDIS_CLUSTER_NODES && !/^[^{]*\{[^}]+\}/.test(parsed.data.QUEUE_PREFIX)) {
    throw new ConfigError('Invalid setting QUEUE_PREFIX: must contain a hash tag such as {loyalty} when REDIS_CLUSTER_NODES is set');
  }
  return parsed.data;
}

/** Defaults plus overrides, for tests and tools. */
export function testConfig(overrides: Partial<Config> = {}): Config {
  return { ...configSchema.parse({}), LOG_LEVEL: 'silent', ...overrides };
}
